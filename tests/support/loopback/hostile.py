"""Mode hostile: a loopback EWS endpoint that misbehaves on purpose, one way
per NAME.

    loopback_server.py --log FILE hostile NAME [--count N]
    (redirect-loop: --listen main:CERT:KEY before "hostile", it is https)

Raw sockets, so every byte on the wire is the one written here. What the
server saw and did goes to --log as lines "<event> <detail>" (request,
sent, other-host, ...), which the tests read. The ways are the functions named mode_<NAME> below. Modes that
compose text put the Basic credentials they received into it, so that a
client quoting server text in its errors would leak its own password.
"""
import argparse
import base64
import socket
import struct
import threading
import time
import zlib

from loopback import bind_loopback

ENV_OPEN = (b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            b'<GetImItemListResponse ResponseClass="Success" '
            b'xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">'
            b'<ResponseCode>NoError</ResponseCode><ImItemList>')
ENV_CLOSE = b'</ImItemList></GetImItemListResponse></s:Body></s:Envelope>'
TYPES_NS = b'xmlns="http://schemas.microsoft.com/exchange/services/2006/types"'


class Server:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.requests = 0
        self.port = 0
        self.other_port = 0
        self.bomb = b""

    def count_request(self):
        with self.lock:
            self.requests += 1
            return self.requests

    def log(self, event, detail=""):
        with self.lock, open(self.args.log, "a", encoding="utf-8") as f:
            f.write("%s %s\n" % (event, detail))


def read_head(conn):
    """The request line and headers; None when the client hung up first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 20:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers, rest


def read_body(conn, headers, rest, limit=None):
    want = int(headers.get("content-length", "0"))
    if limit is not None:
        want = min(want, limit)
    while len(rest) < want:
        chunk = conn.recv(min(65536, want - len(rest)))
        if not chunk:
            break
        rest += chunk
    return rest


def read_request(server, conn):
    got = read_head(conn)
    if got is None:
        return None
    line, headers, rest = got
    read_body(conn, headers, rest)
    headers[":number"] = server.count_request()
    server.log("request", "%s authorization=%s" % (line.split(" ")[1] if " " in line else "?",
                                                   "yes" if "authorization" in headers else "no"))
    return headers


def echo_of(headers):
    """What the client sent as credentials, decoded, for reflection."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            return "%s (%s)" % (base64.b64decode(auth[6:]).decode("utf-8", "replace"), auth)
        except ValueError:
            pass
    return auth


def credentials_query(headers):
    """The credentials received, as a query string for a reflecting Location."""
    auth = headers.get("authorization", "")
    plain = ""
    if auth[:6].lower() == "basic ":
        plain = base64.b64decode(auth[6:]).decode("utf-8", "replace")
    return "?from=%s&auth=%s" % (plain, auth[6:])


def answer(conn, status, body, ctype="text/xml; charset=utf-8", extra=()):
    head = ["HTTP/1.1 %d Hostile" % status, "Content-Type: " + ctype,
            "Content-Length: %d" % len(body), "Connection: close", *extra]
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def wait_for_hangup(conn):
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def send_until_refused(server, conn, blocks, what):
    """Sends blocks until the client stops reading; logs how much went out."""
    sent = 0
    try:
        for b in blocks:
            conn.sendall(b)
            sent += len(b)
    except OSError:
        pass
    server.log("sent", "%s %d" % (what, sent))


def personas_body(count):
    items = [b'<Persona><PersonaId Id="p%d"/><DisplayName>n%d</DisplayName></Persona>' % (i, i)
             for i in range(count)]
    return ENV_OPEN + b"<Personas " + TYPES_NS + b">" + b"".join(items) + b"</Personas>" + ENV_CLOSE


def one_persona_with_id(raw_id):
    return (ENV_OPEN + b"<Personas " + TYPES_NS + b'><Persona><PersonaId Id="' + raw_id +
            b'"/></Persona></Personas>' + ENV_CLOSE)


# ---- modes: each serves one accepted connection ----------------------------

def mode_silence(server, conn):
    if read_request(server, conn) is not None:
        wait_for_hangup(conn)


def mode_drip(server, conn):
    if read_request(server, conn) is None:
        return
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")

    def drops():
        while True:
            yield b" "
            time.sleep(0.5)
    send_until_refused(server, conn, drops(), "drip")


def mode_stall_mid_body(server, conn):
    if read_request(server, conn) is None:
        return
    body = personas_body(50)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n"
                 % len(body) + body[: len(body) // 2])
    wait_for_hangup(conn)


def mode_endless_chunked(server, conn):
    if read_request(server, conn) is None:
        return
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n")
    payload = b"<x>" + b"a" * 65000 + b"</x>"
    chunk = b"%x\r\n" % len(payload) + payload + b"\r\n"

    def forever():
        while True:
            yield chunk
    send_until_refused(server, conn, forever(), "chunked")


def mode_close_mid_request(server, conn):
    got = read_head(conn)
    if got is None:
        return
    _, headers, rest = got
    part = read_body(conn, headers, rest, limit=server.args.count)
    server.log("request-body", "%d of %s" % (len(part), headers.get("content-length")))
    # SO_LINGER 0: close with a reset, so the client's next send fails at once.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def mode_big(server, conn):
    if read_request(server, conn) is None:
        return
    total = 50 << 20
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % total)
    block = b"<x>" + b"b" * (65536 - 7) + b"</x>"
    send_until_refused(server, conn, (block for _ in range(total // len(block))), "big")


def gzip_bomb():
    """A gzip stream of 64 MiB of XML whitespace (about 64 KiB on the wire)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(ENV_OPEN)]
    spaces = b" " * (1 << 20)
    out += [z.compress(spaces) for _ in range(64)]
    out += [z.compress(ENV_CLOSE), z.flush()]
    return b"".join(out)


def mode_gzip_bomb(server, conn):
    if read_request(server, conn) is None:
        return
    body = server.bomb
    server.log("gzip", "%d bytes compressed" % len(body))
    answer(conn, 200, body, extra=("Content-Encoding: gzip",))
    wait_for_hangup(conn)


def mode_nested(server, conn):
    if read_request(server, conn) is None:
        return
    n = 1000000
    after = (b"<Personas " + TYPES_NS +
             b'><Persona><PersonaId Id="after-deep"/></Persona></Personas>')
    answer(conn, 200, ENV_OPEN + b"<a>" * n + b"</a>" * n + after + ENV_CLOSE)
    wait_for_hangup(conn)


def mode_personas(server, conn):
    if read_request(server, conn) is None:
        return
    answer(conn, 200, personas_body(server.args.count))
    wait_for_hangup(conn)


def mode_nul_id(server, conn):
    if read_request(server, conn) is not None:
        answer(conn, 200, one_persona_with_id(b"p1&#0;admin"))


def mode_bad_utf8_id(server, conn):
    if read_request(server, conn) is not None:
        answer(conn, 200, one_persona_with_id(b"p1\xc0\xafadmin\xff"))


def mode_html_500(server, conn):
    headers = read_request(server, conn)
    if headers is not None:
        page = ("<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
                "<body><h1>Server Error</h1><p>Request from %s failed.</p></body></html>"
                % echo_of(headers))
        answer(conn, 500, page.encode("utf-8"), "text/html; charset=utf-8")


def mode_html_200_soap(server, conn):
    if read_request(server, conn) is not None:
        answer(conn, 200, personas_body(2), "text/html")


def mode_png(server, conn):
    if read_request(server, conn) is not None:
        png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
               b"\x00\x00\x00\x1f\x15\xc4\x89" + bytes(range(256)) * 4)
        answer(conn, 200, png, "image/png")


def mode_soap12_fault(server, conn):
    headers = read_request(server, conn)
    if headers is None:
        return
    fault = ('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">'
             '<env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value>'
             '<env:Subcode><env:Value '
             'xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">'
             'a:ErrorInvalidRequest</env:Value></env:Subcode></env:Code>'
             '<env:Reason><env:Text xml:lang="en">The request from %s is invalid.</env:Text>'
             '</env:Reason>'
             '</env:Fault></env:Body></env:Envelope>' % echo_of(headers))
    answer(conn, 500, fault.encode("utf-8"), "application/soap+xml; charset=utf-8")


def mode_ews_error(server, conn):
    headers = read_request(server, conn)
    if headers is None:
        return
    body = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            '<m:GetImItemListResponse ResponseClass="Error" '
            'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">'
            '<m:MessageText>Access is denied for %s.</m:MessageText>'
            '<m:ResponseCode>ErrorAccessDenied</m:ResponseCode>'
            '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>'
            '</m:GetImItemListResponse></s:Body></s:Envelope>' % echo_of(headers))
    answer(conn, 200, body.encode("utf-8"))


def mode_redirect_loop(server, conn):
    # Keep-alive: the client may reuse the connection for the next hop.
    while True:
        headers = read_request(server, conn)
        if headers is None:
            return
        loc = "https://127.0.0.1:%d/EWS/Exchange.asmx%s&hop=%d" % (
            server.port, credentials_query(headers), headers[":number"])
        conn.sendall(("HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n"
                      % loc).encode("latin-1"))


def mode_redirect_away(server, conn):
    headers = read_request(server, conn)
    if headers is None:
        return
    # Odd requests go to plain http, even ones to https: either way another
    # host, which the client must not visit with our credentials.
    scheme = "http" if headers[":number"] % 2 else "https"
    loc = "%s://[::1]:%d/EWS/Exchange.asmx%s" % (scheme, server.other_port,
                                                     credentials_query(headers))
    answer(conn, 307, b"", extra=("Location: " + loc,))


def mode_huge_header(server, conn):
    if read_request(server, conn) is None:
        return
    body = personas_body(2)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nrequest-id: " +
                 b"f" * server.args.count + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    wait_for_hangup(conn)


# Back-off hints far past any retry budget: the client must end the call
# with a typed error at once instead of sleeping (or wrapping the sum of
# elapsed time and hint round to a wait that seems to fit).
RETRY_AFTER = {
    "retry-after-huge": "99999999999999999999",
    "retry-after-date": "Fri, 31 Dec 9999 23:59:59 GMT",
}


def mode_retry_after_huge(server, conn):
    if read_request(server, conn) is not None:
        answer(conn, 503, b"", extra=("Retry-After: " + RETRY_AFTER[server.args.mode],))


mode_retry_after_date = mode_retry_after_huge

BACK_OFF = {
    "backoff-huge": "9223372036854775807",      # LONG_MAX
    "backoff-overflow": "9" * 40,               # past any integer type
}


def mode_backoff_huge(server, conn):
    """ErrorServerBusy as Exchange writes it (t:MessageXml), with a hint
    nobody can wait for."""
    if read_request(server, conn) is None:
        return
    fault = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
             '<s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">'
             'a:ErrorServerBusy</faultcode><faultstring xml:lang="en-US">The server cannot service '
             'this request right now. Try again later.</faultstring><detail>'
             '<e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">'
             'ErrorServerBusy</e:ResponseCode>'
             '<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">'
             '<t:Value Name="BackOffMilliseconds">%s</t:Value></t:MessageXml>'
             '</detail></s:Fault></s:Body></s:Envelope>' % BACK_OFF[server.args.mode])
    answer(conn, 500, fault.encode("utf-8"))


mode_backoff_overflow = mode_backoff_huge


# ---- plumbing ---------------------------------------------------------------

def record_other_host(server, listener):
    """The listener on ::1: notes anything that ever reaches it."""
    while True:
        conn, _ = listener.accept()
        conn.settimeout(2)
        try:
            data = conn.recv(65536)
        except OSError:
            data = b""
        server.log("other-host", "bytes=%d authorization=%s" % (
            len(data), "yes" if b"authorization:" in data.lower() else "no"))
        conn.close()


def add_arguments(ap):
    ap.add_argument("name", help="the misbehaviour: a mode_<name> below, - for _")
    ap.add_argument("--count", type=int, default=0)


def start(opts, listeners):
    handler = globals().get("mode_" + opts.name.replace("-", "_"))
    if not handler:
        raise ValueError("unknown hostile mode " + opts.name)
    # The ways read their own name and --count as server.args.mode/.count.
    server = Server(argparse.Namespace(mode=opts.name, count=opts.count, log=opts.log))
    server.handler = handler
    server.port = listeners[0].port
    if opts.name == "gzip-bomb":
        server.bomb = gzip_bomb()  # before READY: the call's time is the client's own
    if opts.name == "redirect-away":
        other = bind_loopback("::1")
        server.other_port = other.getsockname()[1]
        threading.Thread(target=record_other_host, args=(server, other), daemon=True).start()
    return server


def handle(server, listener, conn):
    server.handler(server, conn)
