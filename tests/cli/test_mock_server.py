"""ews-imlist against the ews-mock-server program over loopback HTTP(S):
the tables and JSON of its demo mailbox, and the exit status and error line
of each failure class (3 auth, 4 EWS error, 5 transport, 6 invalid
response; 2 for a version the library refuses to send)."""
import os
import shutil
import subprocess
import sys
import time
import unittest

import clitest
from clitest import MockServer, run

USER = "svc@contoso.com"
PASSWORD = "mock-Passw0rd"


class AgainstMock(unittest.TestCase):
    def setUp(self):
        self.tmp = clitest.ARGS.tmp
        self.pwfile = os.path.join(self.tmp, "mock-pw")
        with open(self.pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        os.chmod(self.pwfile, 0o600)

    def failure(self, r, rc, *needles):
        """One line on stderr, nothing on stdout, the right exit status."""
        self.assertEqual(r.rc, rc, r)
        self.assertEqual(r.out, "", r)
        lines = r.err_lines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("ews-imlist: "), r)
        for n in needles:
            self.assertIn(n, lines[0], r)
        return lines[0]

    def test_table_and_json(self):
        with MockServer("--demo") as srv:
            base = ["--url", srv.url, "--insecure-http"]
            r = run(base)
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.err, "")
            clitest.check_reference_text(self, r.out)
            self.assertIn("Server: V2017_07_11 (15.1.2507.6)", r.out)
            r = run(base + ["--json", "--culture", "en-US", "--timeout", "30",
                            "--retries", "2"])
            self.assertEqual(r.rc, 0, r)
            doc = r.json()
            clitest.check_reference_json(self, doc, server_version=False, demo=True)
            self.assertEqual(doc["server_version"]["version"], "V2017_07_11")

    def test_basic_auth(self):
        with MockServer("--demo", "--auth", "basic", "--user", USER,
                        "--password-file", self.pwfile) as srv:
            base = ["--url", srv.url, "--insecure-http", "--user", USER, "--auth", "basic"]
            r = run(base + ["--password-file", self.pwfile, "--json"])
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(len(r.json()["groups"]), 4)
            r = run(base, env={"EWS_PASSWORD": "not-the-password"})
            line = self.failure(r, 3, "HTTP 401")
            self.assertNotIn("not-the-password", line)
            # auto picks Basic from the server's offer... but only over https
            # or with credentials allowed over http, which --insecure-http is
            r = run(["--url", srv.url, "--insecure-http", "--user", USER,
                     "--password-file", self.pwfile])
            self.assertEqual(r.rc, 0, r)
            # no credentials at all: refused as well
            r = run(["--url", srv.url, "--insecure-http"])
            self.failure(r, 3, "401")

    def test_bearer(self):
        token = os.path.join(self.tmp, "mock-token")
        with open(token, "w") as f:
            f.write("mock-token-123\n")
        with MockServer("--demo", "--auth", "bearer", "--token-file", token) as srv:
            r = run(["--url", srv.url, "--insecure-http", "--token-file", token])
            self.assertEqual(r.rc, 0, r)
            r = run(["--url", srv.url, "--insecure-http", "--auth", "bearer"],
                    env={"EWS_TOKEN": "stale-token"})
            self.failure(r, 3)

    def test_impersonation(self):
        with MockServer("--demo", "--user", USER) as srv:
            r = run(["--url", srv.url, "--insecure-http",
                     "--impersonate", "primary:demo@contoso.com"])
            line = self.failure(r, 4, "GetImItemList: ", "(HTTP 500, ErrorImpersonateUserDenied, ")
            self.assertRegex(line, r"request-id [0-9a-f-]{36}")
        with MockServer("--demo", "--user", USER, "--impersonator", USER) as srv:
            for form in ("primary:demo@contoso.com", "smtp:DEMO@contoso.com",
                         "upn:demo@contoso.com"):
                r = run(["--url", srv.url, "--insecure-http", "--impersonate", form])
                self.assertEqual(r.rc, 0, (form, r))
            r = run(["--url", srv.url, "--insecure-http",
                     "--impersonate", "primary:nobody@contoso.com"])
            self.failure(r, 4, "ErrorNonExistentMailbox")

    def test_version(self):
        with MockServer("--demo", "--min-version", "Exchange2016") as srv:
            r = run(["--url", srv.url, "--insecure-http"])
            self.failure(r, 4, "ErrorInvalidServerVersion", "HTTP 500")
            r = run(["--url", srv.url, "--insecure-http", "--server-version", "Exchange2016"])
            self.assertEqual(r.rc, 0, r)
        with MockServer("--demo") as srv:
            # GetImItemList needs Exchange2013; the library refuses an older
            # RequestServerVersion before sending, a usage error (exit 2)
            r = run(["--url", srv.url, "--insecure-http", "--server-version", "Exchange2010"])
            self.failure(r, 2, "Exchange2013")

    def test_busy(self):
        with MockServer("--demo", "--busy", "1:50") as srv:
            r = run(["--url", srv.url, "--insecure-http", "--retries", "0"])
            # busy or unavailable after the retry budget: 7, whichever layer
            self.failure(r, 7, "ErrorServerBusy")
        with MockServer("--demo", "--busy", "1:50") as srv:
            # the default policy waits the back-off and tries again
            r = run(["--url", srv.url, "--insecure-http", "--json"])
            self.assertEqual(r.rc, 0, r)
        with MockServer("--demo", "--http503", "5:0") as srv:
            r = run(["--url", srv.url, "--insecure-http", "--retries", "0"])
            self.failure(r, 7, "503")

    def test_transport_failures(self):
        port = clitest.free_port()
        r = run(["--url", "http://127.0.0.1:%d/EWS/Exchange.asmx" % port, "--insecure-http"])
        self.failure(r, 5)
        with MockServer("--demo", "--delay", "5000") as srv:
            t0 = time.monotonic()
            r = run(["--url", srv.url, "--insecure-http", "--timeout", "1", "--retries", "0"])
            self.failure(r, 5)
            self.assertLess(time.monotonic() - t0, 30)
        with MockServer("--demo") as srv:
            r = run(["--url", srv.url.replace("/EWS/Exchange.asmx", "/nowhere"),
                     "--insecure-http"])
            self.failure(r, 5, "404")

    def test_trace(self):
        trace = os.path.join(self.tmp, "mock-trace")
        with MockServer("--demo", "--auth", "basic", "--user", USER,
                        "--password-file", self.pwfile) as srv:
            r = run(["--url", srv.url, "--insecure-http", "--user", USER, "--auth", "basic",
                     "--password-file", self.pwfile, "--trace", trace])
        self.assertEqual(r.rc, 0, r)
        with open(trace, encoding="utf-8", errors="replace") as f:
            text = f.read()
        os.unlink(trace)
        self.assertNotIn(PASSWORD, text)
        self.assertRegex(text, r"=== \S+Z request headers \(\d+ bytes\) ===")
        self.assertIn("<m:GetImItemList", text)
        self.assertIn("Anthony Smith", text)

    def test_from_file_malformed(self):
        r = run(["--from-file", clitest.fixture("malformed")])
        self.failure(r, 6)

    def test_https_cafile(self):
        openssl = shutil.which("openssl")
        if not openssl:
            self.skipTest("openssl(1) is not installed")
        cert = os.path.join(self.tmp, "mock-cert.pem")
        key = os.path.join(self.tmp, "mock-key.pem")
        p = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-days", "1", "-subj", "/CN=127.0.0.1",
                            "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertEqual(p.returncode, 0, p.stdout)
        with MockServer("--demo", "--tls-cert", cert, "--tls-key", key) as srv:
            # a certificate nobody vouches for: TLS failure, exit 5
            r = run(["--url", srv.url])
            self.failure(r, 5)
            r = run(["--url", srv.url, "--cafile", cert, "--json"])
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(len(r.json()["personas"]), 2)


if __name__ == "__main__":
    clitest.parse_args()
    if not clitest.ARGS.mock_server:
        print("SKIP: ews-mock-server is not built in this tree")
        sys.exit(clitest.SKIP)
    clitest.main()
