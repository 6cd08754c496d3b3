"""Mode autodiscover: Autodiscover answers by Host header, from a scenario.

    loopback_server.py --listen tls:CERT:KEY --listen http --log FILE \
        autodiscover SCENARIO.json [--user U --password P]

Serves every host name at once: the test points all of them at it with
libcurl's connect_to (port 443 -> the tls listener, 80 -> the http one) and
the server answers by the Host header. The scenario maps a host to what it
answers:
  {"first.test": {"pox": "settings", "ews": URL, "version": HEX, "smtp": ADDR},
   "url.test": {"pox": "redirectUrl", "url": URL},
   "addr.test": {"pox": "redirectAddr", "addr": ADDR, "by_email": {ADDR: {...}}},
   "x.test": {"pox": "error"} | {"pox": "reflect"} (an error quoting the credentials) | {"status": 404} | {"post302": URL} | {"get302": URL}}
A host not in it answers 404. POSTs need Basic --user/--password (401
otherwise). Every request is appended to the log as one JSON line (scheme,
host, method, path, auth, email) before it is answered.
"""
import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler

RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"


def answer(kind, h, email, reflect=""):
    if kind == "settings":
        protos = "".join(
            "<Protocol><Type>%s</Type><ServerVersion>%s</ServerVersion>"
            "<EwsUrl>%s</EwsUrl></Protocol>" % (t, h.get("version", "73C18880"), url)
            for t, url in (("EXCH", h.get("internal", h["ews"])), ("EXPR", h["ews"])))
        user = "<User><DisplayName>Test</DisplayName><AutoDiscoverSMTPAddress>%s" \
               "</AutoDiscoverSMTPAddress></User>" % h.get("smtp", email)
        account = "<Account><AccountType>email</AccountType><Action>settings</Action>%s" \
                  "</Account>" % protos
        inner = user + account
    elif kind == "redirectUrl":
        inner = "<Account><Action>redirectUrl</Action><RedirectUrl>%s</RedirectUrl></Account>" \
                % h["url"]
    elif kind == "redirectAddr":
        inner = "<Account><Action>redirectAddr</Action><RedirectAddr>%s</RedirectAddr>" \
                "</Account>" % h["addr"]
    else:
        inner = '<Error Time="10:00:00" Id="1"><ErrorCode>500</ErrorCode>' \
                "<Message>The e-mail address cannot be found.%s</Message></Error>" % reflect
    return ('<?xml version="1.0" encoding="utf-8"?>\n<Autodiscover xmlns="%s">'
            '<Response xmlns="%s">%s</Response></Autodiscover>' % (RESPONSE_NS, OUTLOOK_NS, inner))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body="", headers=()):
        body = body.encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower() \
            if not (self.headers.get("Host") or "").startswith("[") else ""
        m = re.search(r"<EMailAddress>([^<]*)</EMailAddress>", body)
        email = m.group(1) if m else None
        auth = self.headers.get("Authorization")
        srv = self.server
        with srv.lock:
            with open(srv.opts.log, "a") as f:
                f.write(json.dumps({"scheme": srv.scheme, "host": host, "method": method,
                                    "path": self.path, "auth": bool(auth),
                                    "email": email}) + "\n")
        h = srv.scenario.get(host)
        if h is None or self.path.lower() != "/autodiscover/autodiscover.xml":
            return self.reply(404)
        if method == "GET":
            if "get302" in h:
                return self.reply(302, headers=(("Location", h["get302"]),))
            return self.reply(h.get("status", 404))
        if "status" in h:
            return self.reply(h["status"])
        if "post302" in h:
            return self.reply(302, headers=(("Location", h["post302"]),))
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (srv.opts.user, srv.opts.password)).encode()).decode()
        if auth != want:
            return self.reply(401, headers=(("WWW-Authenticate", 'Basic realm="ad"'),))
        h = h.get("by_email", {}).get(email, h)
        if "pox" not in h:
            return self.reply(404)
        # "reflect": an error quoting what the client sent, as a hostile
        # server could.
        reflect = " You sent %s (%s)." % (auth, srv.opts.password) if h["pox"] == "reflect" else ""
        return self.reply(200, answer(h["pox"], h, email, reflect))


def add_arguments(ap):
    ap.add_argument("scenario")
    ap.add_argument("--user", default="alice")
    ap.add_argument("--password", default="Secret123")


def start(opts, listeners):
    with open(opts.scenario) as f:
        scenario = json.load(f)
    lock = threading.Lock()
    for lst in listeners:
        lst.opts, lst.scenario, lst.lock = opts, scenario, lock
    return None


def handle(state, listener, conn):
    Handler(conn, ("127.0.0.1", 0), listener)
