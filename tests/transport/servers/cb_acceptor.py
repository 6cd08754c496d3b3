#!/usr/bin/env python3
"""An NTLM / Negotiate acceptor over loopback HTTPS that enforces TLS channel
bindings, as Exchange with Extended Protection ("Required") does.

Usage: cb_acceptor.py --pki DIR --user-file FILE [--response FILE]
                      [--kerberos DIR --krb-password PW]

DIR is the test PKI of mkcerts.py (ca.pem, ca.key, good.pem, good.key);
this script adds a leaf signed with ecdsa-with-SHA384 to it. FILE holds
DOMAIN:user:password lines for gss-ntlmssp (NTLM_USER_FILE). Listeners on
127.0.0.1, each announced as "PORT <name> <port>", then "READY"; runs until
stdin closes or SIGTERM:

  https      TLS with good.pem (signed with SHA-256): bindings required
  https384   TLS with the SHA-384 leaf: the binding hash must be SHA-384
  wrongcb    TLS with good.pem, but expects the binding of the SHA-384 leaf:
             what a client sees through a man in the middle; a correctly
             bound client must be refused here
  http       plain http: no bindings expected or required
  ctl        plain http, /stats: per-listener counters

Every other path of a listener is the EWS endpoint: 401 offering Negotiate
and NTLM until the connection has authenticated (connection-bound, as IIS),
then 200 with the --response file (default "<ok/>").

Verification is split in two, both needed for "Required":
  * gss-ntlmssp (through python3-gssapi) gets the expected
    "tls-server-end-point:<hash of our certificate>" as the acceptor's
    channel bindings and rejects an AUTHENTICATE message whose
    MsvAvChannelBindings differ from it;
  * gss-ntlmssp 1.2 accepts a message that carries no binding at all (as
    Windows does in "Allow" mode), so this script reads the AUTHENTICATE
    message itself and refuses one without a non-zero MsvAvChannelBindings.

With --kerberos, a private realm EWS.TEST is made in DIR (krb5-kdc,
krb5-admin-server): principals alice@EWS.TEST (password PW) and
HTTP/localhost (keytab for this acceptor), a krb5kdc on 127.0.0.1, and
DIR/krb5.conf for the client, written last (its presence says the realm is
up). MIT krb5 rejects a wrong binding itself and reports a right one with
GSS_C_CHANNEL_BOUND_FLAG; a Kerberos handshake without that flag is refused
here. Without the KDC programs the realm is left out ("NOKRB <what>" on
stdout) and everything else runs.

Counters (ctl /stats, "<listener> name=value ..."): connections, requests,
ok (handshakes accepted), rejected (refused by gss-ntlmssp: wrong password
or wrong binding), unbound (AUTHENTICATE messages without a binding),
bound (with one), refused_unbound (refused for lack of one); kerberos
(Kerberos handshakes completed, bound or not).

Prints "SKIP <what>" and exits 77 when python3-gssapi (Debian package
python3-gssapi, for the system python3), gss-ntlmssp or openssl is missing.
"""
import argparse
import base64
import hashlib
import os
import shutil
import signal
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SYSTEM_PYTHON = "/usr/bin/python3"
KRB5_MECH = None  # gssapi.MechType.kerberos once imported
# Set by MIT krb5 (1.19+) on an accepted context whose initiator sent the
# same channel bindings as the acceptor's.
GSS_C_CHANNEL_BOUND_FLAG = 0x800
REALM = "EWS.TEST"
NTLMSSP_MECH = "/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so"


def import_gssapi():
    """The Debian package installs the module for the system interpreter
    only; a test build may have found another python3 first."""
    try:
        import gssapi  # noqa: F401
        return None
    except ImportError:
        pass
    if (os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)
            and os.access(SYSTEM_PYTHON, os.X_OK)
            and subprocess.run([SYSTEM_PYTHON, "-c", "import gssapi"],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL).returncode == 0):
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)
    return "python3-gssapi"


# ---- RFC 5929 tls-server-end-point, computed independently of the client --

def der_item(buf, i):
    """(tag, start of content, end of content) of the DER item at i."""
    tag = buf[i]
    length = buf[i + 1]
    i += 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(buf[i:i + n], "big")
        i += n
    return tag, i, i + length


def oid_text(raw):
    first = raw[0]
    parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    value = 0
    for b in raw[1:]:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            parts.append(value)
            value = 0
    return ".".join(str(p) for p in parts)


# signatureAlgorithm -> hash; MD5 and SHA-1 are replaced by SHA-256 (4.1)
SIGNATURE_HASH = {
    "1.2.840.113549.1.1.4": "sha256",   # md5WithRSAEncryption
    "1.2.840.113549.1.1.5": "sha256",   # sha1WithRSAEncryption
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "1.2.840.10045.4.1": "sha256",      # ecdsa-with-SHA1
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}


def end_point_binding(pem_path):
    with open(pem_path) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    _, cert, _ = der_item(der, 0)           # Certificate ::= SEQUENCE {
    _, _, tbs_end = der_item(der, cert)     #   tbsCertificate,
    _, alg, _ = der_item(der, tbs_end)      #   signatureAlgorithm SEQUENCE {
    tag, oid, oid_end = der_item(der, alg)  #     algorithm OID
    assert tag == 0x06
    name = SIGNATURE_HASH[oid_text(der[oid:oid_end])]
    return b"tls-server-end-point:" + hashlib.new(name, der).digest(), name


# ---- the NTLM AUTHENTICATE message ----------------------------------------

MSV_AV_EOL = 0
MSV_AV_CHANNEL_BINDINGS = 0x000A


def authenticate_binding(token):
    """None when token holds no NTLM AUTHENTICATE message; else the
    MsvAvChannelBindings value (b"" when absent). Raw NTLM and SPNEGO both
    carry the message unchanged, so it is found by its signature."""
    at = token.find(b"NTLMSSP\x00\x03\x00\x00\x00")
    if at < 0:
        return None
    msg = token[at:]
    nt_len = int.from_bytes(msg[20:22], "little")
    nt_off = int.from_bytes(msg[24:28], "little")
    nt = msg[nt_off:nt_off + nt_len]
    # NTLMv2: NTProofStr (16), then the client challenge structure whose AV
    # pairs start after 28 bytes (MS-NLMP 2.2.2.7).
    i = 16 + 28
    while i + 4 <= len(nt):
        av_id = int.from_bytes(nt[i:i + 2], "little")
        av_len = int.from_bytes(nt[i + 2:i + 4], "little")
        if av_id == MSV_AV_EOL:
            break
        if av_id == MSV_AV_CHANNEL_BINDINGS:
            return nt[i + 4:i + 4 + av_len]
        i += 4 + av_len
    return b""


# ---- HTTP -----------------------------------------------------------------

class Stats:
    NAMES = ("connections", "requests", "ok", "rejected", "unbound", "bound",
             "refused_unbound", "kerberos")

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = dict.fromkeys(self.NAMES, 0)

    def add(self, name):
        with self.lock:
            self.counts[name] += 1

    def line(self, listener):
        with self.lock:
            return listener + " " + " ".join(
                "%s=%d" % (k, v) for k, v in self.counts.items())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ews-cb-acceptor/1"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            # Here, in this connection's thread, so one slow handshake does
            # not hold up the listener.
            self.request.settimeout(30)
            try:
                self.request.do_handshake()
            except (OSError, ssl.SSLError):
                self.request.close()
                raise
        super().setup()
        self.ctx = None
        self.authed = False
        self.server.stats.add("connections")

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def unauthorized(self, scheme=None, token=None):
        if token is not None:
            offers = [(("WWW-Authenticate", "%s %s" % (
                scheme, base64.b64encode(token).decode())))]
        else:
            offers = [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM")]
        self.reply(401, b"", offers)

    def do_POST(self):
        import gssapi
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        srv = self.server
        if srv.name == "ctl":
            body = "".join(s.line(n) + "\n" for n, s in srv.all_stats.items())
            self.reply(200, body.encode())
            return
        srv.stats.add("requests")
        if self.authed:
            self.reply(200, srv.response)
            return
        auth = self.headers.get("Authorization", "")
        scheme, _, b64 = auth.partition(" ")
        if scheme not in ("NTLM", "Negotiate") or not b64.strip():
            self.ctx = None
            self.unauthorized()
            return
        try:
            token = base64.b64decode(b64.strip(), validate=True)
        except ValueError:
            self.unauthorized()
            return
        # A NEGOTIATE message or a SPNEGO initial token starts over.
        if (self.ctx is None or token.startswith(b"NTLMSSP\x00\x01")
                or token[:1] == b"\x60"):
            cb = None
            if srv.binding is not None:
                cb = gssapi.raw.ChannelBindings(application_data=srv.binding)
            self.ctx = gssapi.SecurityContext(usage="accept", channel_bindings=cb)
        seen = authenticate_binding(token)
        if seen is not None:
            bound = len(seen) > 0 and any(seen)
            srv.stats.add("bound" if bound else "unbound")
            if srv.binding is not None and not bound:
                srv.stats.add("refused_unbound")
                self.ctx = None
                self.unauthorized()
                return
        try:
            out = self.ctx.step(token)
            # python-gssapi keeps a failure that came with a token (SPNEGO's
            # reject) until the context is next looked at.
            complete = self.ctx.complete
        except gssapi.exceptions.GSSError as e:
            srv.stats.add("rejected")
            sys.stderr.write("%s: rejected: %s\n" % (srv.name, str(e).replace("\n", " ")))
            self.ctx = None
            self.unauthorized()
            return
        if not complete:
            self.unauthorized(scheme, out or b"")
            return
        if self.ctx.mech == KRB5_MECH:
            srv.stats.add("kerberos")
            bound = bool(int(self.ctx.actual_flags) & GSS_C_CHANNEL_BOUND_FLAG)
            srv.stats.add("bound" if bound else "unbound")
            if srv.binding is not None and not bound:
                srv.stats.add("refused_unbound")
                self.ctx = None
                self.unauthorized()
                return
        self.authed = True
        self.ctx = None
        srv.stats.add("ok")
        headers = []
        if out:
            headers.append(("WWW-Authenticate",
                            "%s %s" % (scheme, base64.b64encode(out).decode())))
        self.reply(200, srv.response, headers)


class Server(ThreadingHTTPServer):
    daemon_threads = True


def make_sha384_leaf(pki):
    """A second leaf of the test CA, signed with ecdsa-with-SHA384."""
    p = lambda name: os.path.join(pki, name)  # noqa: E731
    if os.path.exists(p("sha384.pem")):
        return
    with open(p("sha384.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    run = lambda *a: subprocess.run(["openssl", *a], check=True,  # noqa: E731
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1", "-nodes",
        "-keyout", p("sha384.key"), "-out", p("sha384.csr"), "-subj", "/CN=localhost")
    run("x509", "-req", "-sha384", "-in", p("sha384.csr"), "-CA", p("ca.pem"),
        "-CAkey", p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("sha384.ext"),
        "-out", p("sha384.pem"))


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    # The KDC must not outlive this script, however it ends.
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_realm(d, password):
    """A private KDC; returns its process, or a string naming what is
    missing."""
    tools = {"krb5kdc": "krb5-kdc", "kdb5_util": "krb5-kdc",
             "kadmin.local": "krb5-admin-server"}
    found = {t: shutil.which(t) or (os.path.exists("/usr/sbin/" + t) and "/usr/sbin/" + t)
             for t in tools}
    missing = sorted({tools[t] for t, path in found.items() if not path})
    if missing:
        return ", ".join(missing)
    d = os.path.abspath(d)
    os.makedirs(d, exist_ok=True)
    # The KDC listens on one free port; between the probe's close and its
    # bind another process could take it, which loopback makes unlikely.
    port = free_port()
    conf = os.path.join(d, "krb5.conf")
    with open(os.path.join(d, "krb5.conf.tmp"), "w") as f:
        f.write(f"""[libdefaults]
  default_realm = {REALM}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
[realms]
  {REALM} = {{
    kdc = 127.0.0.1:{port}
  }}
[domain_realm]
  localhost = {REALM}
""")
    with open(os.path.join(d, "kdc.conf"), "w") as f:
        f.write(f"""[kdcdefaults]
  kdc_listen = 127.0.0.1:{port}
  kdc_tcp_listen = 127.0.0.1:{port}
[realms]
  {REALM} = {{
    database_name = {d}/principal
    key_stash_file = {d}/stash
    acl_file = {d}/kadm5.acl
  }}
[logging]
  kdc = FILE:{d}/kdc.log
""")
    env = dict(os.environ, KRB5_CONFIG=os.path.join(d, "krb5.conf.tmp"),
               KRB5_KDC_PROFILE=os.path.join(d, "kdc.conf"))
    run = lambda *a: subprocess.run(a, env=env, check=True, stdin=subprocess.DEVNULL,  # noqa
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    keytab = os.path.join(d, "http.keytab")
    run(found["kdb5_util"], "create", "-s", "-r", REALM, "-P", "kdc-master-" + str(port))
    run(found["kadmin.local"], "-q", "addprinc -pw %s alice" % password)
    run(found["kadmin.local"], "-q", "addprinc -randkey HTTP/localhost")
    run(found["kadmin.local"], "-q", "ktadd -k %s HTTP/localhost" % keytab)
    kdc = subprocess.Popen([found["krb5kdc"], "-n", "-P", os.path.join(d, "kdc.pid")],
                           env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
    import socket
    import time
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if kdc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("krb5kdc did not start")
            time.sleep(0.05)
    os.environ["KRB5_KTNAME"] = "FILE:" + keytab
    os.replace(os.path.join(d, "krb5.conf.tmp"), conf)
    os.environ["KRB5_CONFIG"] = conf
    return kdc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pki", required=True)
    ap.add_argument("--user-file", required=True)
    ap.add_argument("--response")
    ap.add_argument("--kerberos")
    ap.add_argument("--krb-password")
    args = ap.parse_args()

    missing = [m for m in (import_gssapi(),) if m]
    if not any(os.path.exists(p) for p in (NTLMSSP_MECH, "/etc/gss/mech.d/ntlmssp.conf")):
        missing.append("gss-ntlmssp")
    if not shutil.which("openssl"):
        missing.append("openssl")
    if missing:
        print("SKIP not installed: " + ", ".join(missing), flush=True)
        return 77
    # Read by gss-ntlmssp when it first verifies a message.
    os.environ["NTLM_USER_FILE"] = os.path.abspath(args.user_file)
    global KRB5_MECH
    import gssapi
    KRB5_MECH = gssapi.MechType.kerberos
    kdc = None
    if args.kerberos:
        kdc = start_realm(args.kerberos, args.krb_password)
        if isinstance(kdc, str):
            print("NOKRB not installed: " + kdc, flush=True)
            kdc = None

    def leave(*_):
        if kdc is not None:
            kdc.terminate()
        os._exit(0)

    pki = os.path.abspath(args.pki)
    make_sha384_leaf(pki)
    response = b"<ok/>\n"
    if args.response:
        with open(args.response, "rb") as f:
            response = f.read()

    good_cb, _ = end_point_binding(os.path.join(pki, "good.pem"))
    sha384_cb, name = end_point_binding(os.path.join(pki, "sha384.pem"))
    assert name == "sha384"
    listeners = [
        # name, certificate, expected binding (None: none expected)
        ("https", "good", good_cb),
        ("https384", "sha384", sha384_cb),
        ("wrongcb", "good", sha384_cb),
        ("http", None, None),
        ("ctl", None, None),
    ]
    all_stats = {}
    servers = []
    for name, cert, binding in listeners:
        srv = Server(("127.0.0.1", 0), Handler)
        if cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(pki, cert + ".pem"),
                                os.path.join(pki, cert + ".key"))
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                         do_handshake_on_connect=False)
        srv.name = name
        srv.binding = binding
        srv.response = response
        srv.stats = Stats()
        srv.all_stats = all_stats
        if name != "ctl":
            all_stats[name] = srv.stats
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        print("PORT %s %d" % (name, srv.server_address[1]), flush=True)

    signal.signal(signal.SIGTERM, leave)
    print("READY", flush=True)
    sys.stdin.read()
    leave()


if __name__ == "__main__":
    sys.exit(main())
