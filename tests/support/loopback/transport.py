"""Mode transport: fixed routes with the behaviours the transport tests need.

One listener per --listen (the tests name them: plain, tls, ...); options
--user/--password (Basic, NTLM), --domain, --proxy-user/--proxy-password,
--need-ntlm (SKIP without Samba's ntlm_auth).

Paths (query parameters in brackets):
  /echo            200; body lists the connection number, the request number
                   on that connection, the body length and every header
  /basic           Basic with --user/--password, else 401
  /bearer [len]    Bearer with the token make_token(len), else 401
  /ntlm [close, close401]  NTLM through Samba's ntlm_auth (--password,
                   --domain); the connection closes after each success
                   (close=1) or after each challenge (close401=1)
  /offers [schemes] 401 offering the given schemes (comma-separated)
  /redirect [to, code]  3xx to "to"; /loop redirects to itself
  /busy [ra]       503 with Retry-After: ra ("date" gives an HTTP-date 30 s ahead)
  /ids             200 with request-id and X-BackEndHttpStatus
  /gzip, /deflate  a compressed body; /bomb [mb] gzip of mb MiB of zeros
  /big [n]         n bytes with Content-Length; /chunked [n] n bytes chunked
  /silence         reads the request, never answers
  /close           reads the request head, closes its side, then resets
  /cookie          sets a cookie, reports whether it came back
  /secrets         401 and Set-Cookie carrying canary strings
  /stats           per-listener counters (not counted themselves)
An absolute-form target (http://host/...) is served as a proxy that demands
Basic --proxy-user/--proxy-password.
"""
import base64
import email.utils
import gzip
import hashlib
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler

from loopback import Skip
from loopback.ntlm_helper import NtlmHelper, ntlm_auth_path

TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
SECRET_COOKIE = "CanaryCookieValue4711"
SECRET_CHALLENGE = base64.b64encode(b"CanaryChallengeToken").decode()
GZIP_TEXT = b"<ok>" + b"compressible EWS text " * 2000 + b"</ok>"


def make_token(n):
    """The bearer token of length n; tests/transport/support.c has the twin."""
    return "".join(TOKEN_ALPHABET[(i * 31 + 7) % 64] for i in range(n))


class Stats:
    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0
        self.with_authorization = 0
        self.ntlm_handshakes = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ews-transport-test/1"

    # ---- connection life ----------------------------------------------
    def setup(self):
        super().setup()
        st = self.server.stats
        with st.lock:
            st.connections += 1
            self.conn_id = st.connections
        self.conn_requests = 0
        self.ntlm = None
        self.ntlm_user = None

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass
        if self.ntlm:
            self.ntlm.close()

    def log_message(self, fmt, *args):
        if self.server.opts.verbose:
            sys.stderr.write("[%s] %s\n" % (self.server.stats.name, fmt % args))

    # ---- plumbing -------------------------------------------------------
    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reply(self, status, body=b"", headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if not any(k.lower() == "content-type" for k, _ in headers):
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        target = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(target.query))
        st = self.server.stats
        if target.path != "/stats":
            self.conn_requests += 1
            with st.lock:
                st.requests += 1
                if self.headers.get("Authorization"):
                    st.with_authorization += 1
        if target.scheme:
            return self.as_proxy()
        route = getattr(self, "route_" + target.path.strip("/").replace("-", "_"), None)
        if route is None:
            self.read_body()
            return self.reply(404, "no such path\n")
        if target.path not in ("/close",):
            self.body = self.read_body()
        route(query)

    # ---- routes -----------------------------------------------------------
    def route_echo(self, q):
        lines = ["conn=%d" % self.conn_id, "req=%d" % self.conn_requests,
                 "len=%d" % len(self.body),
                 "sha256=%s" % hashlib.sha256(self.body).hexdigest()]
        lines += ["h:%s: %s" % (k, v) for k, v in self.headers.items()]
        self.reply(200, "\n".join(lines) + "\n")

    def route_basic(self, q):
        o = self.server.opts
        good = "Basic " + base64.b64encode(("%s:%s" % (o.user, o.password)).encode()).decode()
        if self.headers.get("Authorization") == good:
            return self.reply(200, "basic ok conn=%d\n" % self.conn_id)
        self.reply(401, "who are you\n", [("WWW-Authenticate", 'Basic realm="ews-test"')])

    def route_bearer(self, q):
        want = "Bearer " + make_token(int(q.get("len", "0")))
        got = self.headers.get("Authorization") or ""
        if got == want:
            return self.reply(200, "bearer ok len=%d\n" % (len(got) - 7))
        self.reply(401, "bad token: got %d chars\n" % max(0, len(got) - 7),
                   [("WWW-Authenticate", 'Bearer error="invalid_token"')])

    def route_offers(self, q):
        offers = [s for s in q.get("schemes", "Basic").split(",") if s]
        self.reply(401, "offers\n", [("WWW-Authenticate", s) for s in offers])

    def ntlm_ok(self, q):
        headers = []
        if q.get("close"):
            # The next request must authenticate its new connection again.
            headers.append(("Connection", "close"))
            self.close_connection = True
        self.reply(200, "ntlm ok user=%s conn=%d handshakes=%d\n"
                   % (self.ntlm_user, self.conn_id, self.server.stats.ntlm_handshakes), headers)

    def route_ntlm(self, q):
        o = self.server.opts
        if self.ntlm_user:
            return self.ntlm_ok(q)
        auth = self.headers.get("Authorization") or ""
        if not auth.startswith("NTLM "):
            return self.reply(401, "ntlm please\n", [("WWW-Authenticate", "NTLM")])
        token = auth[5:].strip()
        raw = base64.b64decode(token + "==")
        kind = raw[8] if len(raw) > 8 and raw[:8] == b"NTLMSSP\0" else 0
        if kind == 1:
            if self.ntlm:
                self.ntlm.close()
            self.ntlm = NtlmHelper(o.password, o.domain)
            challenge = self.ntlm.negotiate(token)
            if challenge:
                headers = [("WWW-Authenticate", "NTLM " + challenge)]
                if q.get("close401"):
                    # A broken server: the handshake cannot survive this.
                    headers.append(("Connection", "close"))
                    self.close_connection = True
                return self.reply(401, "challenge\n", headers)
        elif kind == 3 and self.ntlm:
            user = self.ntlm.authenticate(token)
            self.ntlm.close()
            self.ntlm = None
            if user:
                self.ntlm_user = user
                with self.server.stats.lock:
                    self.server.stats.ntlm_handshakes += 1
                return self.ntlm_ok(q)
        self.reply(401, "rejected\n", [("WWW-Authenticate", "NTLM")])

    def route_redirect(self, q):
        self.reply(int(q.get("code", "302")), "moved\n", [("Location", q.get("to", "/echo"))])

    def route_loop(self, q):
        self.reply(302, "again\n", [("Location", "/loop")])

    def route_busy(self, q):
        ra = q.get("ra", "7")
        if ra == "date":
            ra = email.utils.formatdate(time.time() + 30, usegmt=True)
        self.reply(503, "busy\n", [("Retry-After", ra)])

    def route_ids(self, q):
        self.reply(200, "<ids/>", [("request-id", "6a3c1c4e-7b7d-4a59-9a0e-1d2f3a4b5c6d"),
                                   ("X-BackEndHttpStatus", "200"),
                                   ("Content-Type", "text/xml; charset=utf-8")])

    def route_gzip(self, q):
        self.reply(200, gzip.compress(GZIP_TEXT), [("Content-Encoding", "gzip")])

    def route_deflate(self, q):
        self.reply(200, zlib.compress(GZIP_TEXT), [("Content-Encoding", "deflate")])

    def route_bomb(self, q):
        self.reply(200, bomb(int(q.get("mb", "64"))), [("Content-Encoding", "gzip")])

    def route_big(self, q):
        n = int(q.get("n", "0"))
        self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        chunk = b"x" * 65536
        try:
            while n > 0:
                self.wfile.write(chunk[:min(n, len(chunk))])
                n -= len(chunk)
        except OSError:
            self.close_connection = True

    def route_chunked(self, q):
        n = int(q.get("n", "0"))
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            while n > 0:
                part = min(n, 65536)
                self.wfile.write(b"%x\r\n" % part + b"y" * part + b"\r\n")
                n -= part
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True

    def route_silence(self, q):
        # Until the client gives up (EOF) or a minute passes.
        self.connection.settimeout(60)
        try:
            self.connection.recv(1)
        except OSError:
            pass
        self.close_connection = True

    def route_close(self, q):
        # FIN first, so the client's socket is in CLOSE_WAIT; the reset that
        # follows (the request body is left unread) then makes the client's
        # next write fail with EPIPE - the case that raises SIGPIPE.
        self.connection.shutdown(socket.SHUT_WR)
        time.sleep(0.2)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def route_cookie(self, q):
        if ("affinity=" + SECRET_COOKIE) in (self.headers.get("Cookie") or ""):
            return self.reply(200, "cookie=yes\n")
        self.reply(200, "cookie=no\n",
                   [("Set-Cookie", "affinity=%s; Path=/; HttpOnly" % SECRET_COOKIE)])

    def route_secrets(self, q):
        self.reply(401, "secrets\n",
                   [("WWW-Authenticate", "Negotiate " + SECRET_CHALLENGE),
                    ("WWW-Authenticate", 'Basic realm="ews-test"'),
                    ("Set-Cookie", "session=%s; Path=/" % SECRET_COOKIE)])

    def route_stats(self, q):
        lines = []
        for st in self.server.all_stats:
            with st.lock:
                lines.append("%s connections=%d requests=%d authorization=%d ntlm=%d" % (
                    st.name, st.connections, st.requests, st.with_authorization,
                    st.ntlm_handshakes))
        self.reply(200, "\n".join(lines) + "\n")

    # ---- proxy --------------------------------------------------------------
    def as_proxy(self):
        o = self.server.opts
        self.read_body()
        good = "Basic " + base64.b64encode(
            ("%s:%s" % (o.proxy_user, o.proxy_password)).encode()).decode()
        if self.headers.get("Proxy-Authorization") != good:
            return self.reply(407, "proxy auth\n",
                              [("Proxy-Authenticate", 'Basic realm="ews-test-proxy"')])
        self.reply(200, "proxied authorization=%s\n"
                   % ("present" if self.headers.get("Authorization") else "absent"))


_bombs = {}
_bomb_lock = threading.Lock()


def bomb(mb):
    """gzip of mb MiB of zeros, made once per size."""
    with _bomb_lock:
        if mb not in _bombs:
            z = zlib.compressobj(9, zlib.DEFLATED, 31)
            chunk = bytes(1 << 20)
            _bombs[mb] = b"".join(z.compress(chunk) for _ in range(mb)) + z.flush()
        return _bombs[mb]


DEFAULT_LISTENERS = ["plain"]


def add_arguments(ap):
    ap.add_argument("--user", default="alice")
    ap.add_argument("--password", default="Secret123")
    ap.add_argument("--domain", default="CONTOSO")
    ap.add_argument("--proxy-user", default="proxyuser")
    ap.add_argument("--proxy-password", default="ProxySecret")
    ap.add_argument("--need-ntlm", action="store_true", help="SKIP without ntlm_auth")
    ap.add_argument("--verbose", action="store_true")


def start(opts, listeners):
    if opts.need_ntlm and not ntlm_auth_path():
        raise Skip("ntlm_auth is not installed (package winbind)")
    all_stats = []
    for lst in listeners:
        lst.opts, lst.stats, lst.all_stats = opts, Stats(lst.name), all_stats
        all_stats.append(lst.stats)
    return None


def handle(state, listener, conn):
    Handler(conn, ("127.0.0.1", 0), listener)
