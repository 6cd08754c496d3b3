#!/usr/bin/env python3
"""The tests' one scripted loopback server: one program, one mode per run.

    loopback_server.py [--listen NAME[:CERT:KEY]]... [--log FILE] MODE [mode options]

Modes (tests/support/loopback/<mode>.py):
  script FILE        answers from a JSON script, in order (client, auth, ops,
                     allocation-failure and CLI tests)
  transport          fixed routes: /echo, /basic, /ntlm, /redirect, a proxy ...
                     (the transport tests)
  autodiscover FILE  Autodiscover answers per Host header (scenario file)
  hostile NAME       misbehaves one way on purpose (tests/hostile)

Every listener binds 127.0.0.1 (one mode adds ::1), port 0, TLS when a
certificate and key are given; without --listen there is one plain listener
named "main". The server prints "PORT <name> <port>" for each, then
"READY" (or "SKIP <why>" and exits 77), and runs until its stdin closes -
the test holds it - or SIGTERM. tests/support/ts_process.c is the C side.

Python tests run a mode in-process instead: `with Loopback("script", ...)`.
"""
import argparse
import importlib
import os
import signal
import socket
import ssl
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loopback import Skip, bind_loopback  # noqa: E402

MODES = ("script", "transport", "autodiscover", "hostile")


class Listener:
    """One listening socket; modes keep their per-listener counters here."""

    def __init__(self, spec, host="127.0.0.1"):
        self.name, _, tls = spec.partition(":")
        self.sock = bind_loopback(host)
        self.port = self.sock.getsockname()[1]
        self.host = host
        self.ctx = None
        if tls:
            cert, key = tls.split(":", 1)
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(cert, key)
        self.scheme = "https" if self.ctx else "http"

    def accept_forever(self, state, handle):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed: the in-process server is stopping
            threading.Thread(target=self.serve, args=(state, handle, conn), daemon=True).start()

    def serve(self, state, handle, conn):
        try:
            if self.ctx:
                # In the connection's thread, so a client that rejects the
                # certificate cannot stall the accept loop.
                conn = self.ctx.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
                conn.settimeout(10)
                conn.do_handshake()
                conn.settimeout(None)
            handle(state, self, conn)
        except Exception:  # noqa: BLE001
            pass  # clients that give up mid-exchange are what many tests do
        finally:
            try:
                conn.close()
            except OSError:
                pass


def parser():
    ap = argparse.ArgumentParser(description="the tests' scripted loopback server")
    ap.add_argument("--listen", action="append", default=[], metavar="NAME[:CERT:KEY]")
    ap.add_argument("--log", help="where the mode records what it saw")
    sub = ap.add_subparsers(dest="mode", required=True)
    for name in MODES:
        load(name).add_arguments(sub.add_parser(name))
    return ap


def load(mode):
    return importlib.import_module("loopback." + mode)


def open_listeners(opts, module):
    specs = opts.listen or list(getattr(module, "DEFAULT_LISTENERS", ["main"]))
    return [Listener(spec) for spec in specs]


def start(opts):
    """Binds, starts the mode and its accept threads: (listeners, state)."""
    module = load(opts.mode)
    if opts.log:
        open(opts.log, "a").close()
    listeners = open_listeners(opts, module)
    state = module.start(opts, listeners)
    for lst in listeners:
        threading.Thread(target=lst.accept_forever, args=(state, module.handle),
                         daemon=True).start()
    return listeners, state


class Loopback:
    """A mode served from threads of this process for a with-block:
    Loopback("script", answers=[...]).url is its first listener's URL."""

    path = "/EWS/Exchange.asmx"

    def __init__(self, mode, *argv, **attrs):
        self.opts = parser().parse_args([mode] + list(argv))
        for k, v in attrs.items():
            setattr(self.opts, k, v)
        self.listeners, self.state = [], None

    @property
    def port(self):
        return self.listeners[0].port

    @property
    def url(self):
        return "http://127.0.0.1:%d%s" % (self.port, self.path)

    def __enter__(self):
        self.listeners, self.state = start(self.opts)
        return self

    def __getattr__(self, name):
        """What the mode records (script: requests, targets)."""
        state = self.__dict__.get("state")
        if state is None:
            raise AttributeError(name)
        return getattr(state, name)

    def __exit__(self, *exc):
        for lst in self.listeners:
            try:
                lst.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            lst.sock.close()


def main():
    opts = parser().parse_args()
    try:
        listeners, _ = start(opts)
    except Skip as why:
        print("SKIP %s" % why, flush=True)
        return 77
    for lst in listeners:
        print("PORT %s %d" % (lst.name, lst.port), flush=True)
    print("READY", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    sys.stdin.read()  # the test closes our stdin when it is done with us
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
