"""Mode script: answers from a JSON list, used in order; the last repeats.

Each answer is an object:
    status        HTTP status (default 200)
    headers       {name: value}
    body | body_file   response body (text, or a path relative to the script)
    delay_ms      wait before answering
    stall         read the request, then never answer (until killed)
    close         read the request, then close the connection without a word
    partial       send the headers and half the body, then close
    raw           send this text (latin-1) instead of a response, then close
                  (an HTTP/0.9 answer, a broken status line)
    require_auth  {"Authorization": value[, "challenge": WWW-Authenticate]}:
                  401 with the challenge (default "Bearer") unless the
                  request has exactly that header
    gzip          send the body gzip-compressed (Content-Encoding: gzip)
    chunked       send the body in chunks of this many bytes, without
                  Content-Length
    forward       a port on 127.0.0.1: act as a forward proxy, relaying the
                  request to /EWS/Exchange.asmx there and its answer back
Every request is appended to --log as one JSON line: arrival time (monotonic
seconds), method, path, headers (names in lower case), body and connection
number, so tests can check what went on the wire and when. In-process
(Loopback), state.requests has (headers, body), state.targets the request
targets, and state.on_reject is called before each 401 of require_auth.
"""
import gzip
import http.client
import json
import os
import threading
import time

from loopback.http_io import Headers, read_request


def add_arguments(ap):
    ap.add_argument("script", nargs="?", help="JSON file; in-process, answers= instead")


def load_script(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f), os.path.dirname(os.path.abspath(path))


def prepare(answers, base):
    for a in answers:
        if "body_file" in a:
            with open(os.path.join(base, a["body_file"]), "rb") as bf:
                a["body_bytes"] = bf.read()
        else:
            body = a.get("body", "")
            a["body_bytes"] = body if isinstance(body, bytes) else body.encode("utf-8")
    return answers


class State:
    def __init__(self, answers, log_path):
        self.answers = answers
        self.next = 0
        self.lock = threading.Lock()
        self.log_path = log_path
        self.connections = 0
        self.requests = []
        self.targets = []
        self.on_reject = None

    def take(self):
        with self.lock:
            a = self.answers[min(self.next, len(self.answers) - 1)]
            self.next += 1
            return a

    def record(self, entry, pairs, body):
        with self.lock:
            self.requests.append((Headers(pairs), body))
            self.targets.append(entry["path"])
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry) + "\n")


def start(opts, listeners):
    if getattr(opts, "answers", None) is not None:
        answers, base = opts.answers, os.getcwd()
    else:
        answers, base = load_script(opts.script)
    state = State(prepare(answers, base), opts.log)
    state.on_reject = getattr(opts, "on_reject", None)
    return state


def forward(port, method, target, pairs, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    hdrs = {k: v for k, v in pairs if k.lower() not in ("proxy-connection", "connection", "host")}
    c.request(method, "/EWS/Exchange.asmx", body=body, headers=hdrs)
    r = c.getresponse()
    data = r.read()
    extra = {k: v for k, v in r.getheaders()
             if k.lower() not in ("content-length", "connection", "transfer-encoding")}
    c.close()
    return r.status, data, extra


def handle(state, listener, conn):
    with state.lock:
        state.connections += 1
        number = state.connections
    f = conn.makefile("rb")
    while True:
        req = read_request(f)
        if req is None:
            return
        method, path, pairs, body = req
        headers = {k.lower(): v for k, v in pairs}
        state.record({"t": time.monotonic(), "method": method, "path": path,
                      "headers": headers, "body": body.decode("utf-8", "replace"),
                      "connection": number}, pairs, body)
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
        hdrs = {"Content-Type": "text/xml; charset=utf-8"}
        if need and headers.get("authorization") != need.get("Authorization"):
            if state.on_reject:
                state.on_reject()
            status, payload = 401, b""
            extra = {"WWW-Authenticate": need.get("challenge", "Bearer")}
        elif "forward" in a:
            status, payload, extra = forward(a["forward"], method, path, pairs, body)
        else:
            payload, extra = a["body_bytes"], a.get("headers", {})
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
        hdrs.update(extra)  # after: a script may lie about the length
        head = "HTTP/1.1 %d X\r\n" % status
        head += "".join("%s: %s\r\n" % kv for kv in hdrs.items()) + "\r\n"
        if a.get("partial"):
            conn.sendall(head.encode("latin-1") + payload[: len(payload) // 2])
            return
        conn.sendall(head.encode("latin-1") + payload)
