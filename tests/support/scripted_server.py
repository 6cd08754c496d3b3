#!/usr/bin/env python3
"""Loopback HTTP/1.1 server that answers from a script, for client tests.

    scripted_server.py --script FILE --port-file FILE --log FILE [--tls CERT KEY]

The script is a JSON list of answers, used in order; the last one repeats.
Each answer is an object:
    status        HTTP status (default 200)
    headers       {name: value}
    body | body_file   response body (text, or a file path relative to the script)
    delay_ms      wait before answering
    stall         read the request, then never answer (until killed)
    close         read the request, then close the connection without a word
    partial       send the headers and half the body, then close
    raw           send this text (latin-1) instead of a response, then close
                  (an HTTP/0.9 answer, a broken status line)
    require_auth  {"Authorization": value}: answer 401 unless the request has it
    gzip          send the body gzip-compressed (Content-Encoding: gzip)
    chunked       send the body in chunks of this many bytes, without
                  Content-Length
Every request is appended to the log as one JSON line: its arrival time
(monotonic seconds), method, path, headers and body, so tests can check what
went on the wire and when.
"""
import argparse
import gzip
import json
import os
import socket
import ssl
import sys
import threading
import time


def load_script(path):
    with open(path, encoding="utf-8") as f:
        answers = json.load(f)
    base = os.path.dirname(os.path.abspath(path))
    for a in answers:
        if "body_file" in a:
            with open(os.path.join(base, a["body_file"]), "rb") as bf:
                a["body_bytes"] = bf.read()
        else:
            a["body_bytes"] = a.get("body", "").encode("utf-8")
    return answers


class State:
    def __init__(self, answers, log_path):
        self.answers = answers
        self.next = 0
        self.lock = threading.Lock()
        self.log_path = log_path
        self.connections = 0

    def take(self):
        with self.lock:
            a = self.answers[min(self.next, len(self.answers) - 1)]
            self.next += 1
            return a

    def log(self, entry):
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")


def read_request(f):
    line = f.readline(65536)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers = {}
    while True:
        h = f.readline(65536)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, value = h.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if "content-length" in headers:
        body = f.read(int(headers["content-length"]))
    return method, path, headers, body


def serve_connection(conn, state):
    state.connections += 1
    f = conn.makefile("rb")
    try:
        while True:
            req = read_request(f)
            if req is None:
                return
            method, path, headers, body = req
            state.log({"t": time.monotonic(), "method": method, "path": path,
                       "headers": headers, "body": body.decode("utf-8", "replace"),
                       "connection": state.connections})
            a = state.take()
            if a.get("delay_ms"):
                time.sleep(a["delay_ms"] / 1000.0)
            if a.get("stall"):
                time.sleep(3600)
                return
            if a.get("close"):
                return
            if "raw" in a:
                conn.sendall(a["raw"].encode("latin-1"))
                return
            status = a.get("status", 200)
            need = a.get("require_auth")
            if need and headers.get("authorization") != need.get("Authorization"):
                status, payload, extra = 401, b"", {"WWW-Authenticate": "Bearer"}
            else:
                payload, extra = a["body_bytes"], a.get("headers", {})
            head = "HTTP/1.1 %d X\r\n" % status
            hdrs = {"Content-Type": "text/xml; charset=utf-8"}
            if a.get("gzip"):
                payload = gzip.compress(payload)
                hdrs["Content-Encoding"] = "gzip"
            chunk = a.get("chunked")
            if chunk:
                hdrs["Transfer-Encoding"] = "chunked"
                pieces = [payload[i:i + chunk] for i in range(0, len(payload), chunk)]
                payload = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
            else:
                hdrs["Content-Length"] = str(len(payload))
            hdrs.update(extra)
            for k, v in hdrs.items():
                head += "%s: %s\r\n" % (k, v)
            head += "\r\n"
            if a.get("partial"):
                conn.sendall(head.encode("latin-1") + payload[: len(payload) // 2])
                return
            conn.sendall(head.encode("latin-1") + payload)
    except (OSError, ValueError):
        return
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--script", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = ap.parse_args()

    state = State(load_script(args.script), args.log)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    ctx = None
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(tmp, args.port_file)
    while True:
        conn, _ = srv.accept()
        if ctx:
            try:
                conn = ctx.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                conn.close()
                continue
        threading.Thread(target=serve_connection, args=(conn, state), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
