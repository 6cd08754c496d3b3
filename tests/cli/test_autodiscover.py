#!/usr/bin/env python3
"""ews-imlist --email: Autodiscover against ews-mock-server over https on
loopback, the endpoint cache, and --url winning over the address.

The mock serves POX Autodiscover for its mailboxes with a certificate for
contoso.com and *.contoso.com; --connect-to sends port 443 of those names
to it, so the tool asks https://contoso.com/autodiscover/autodiscover.xml
as it would on the Internet. What went over the wire is read from --trace.
"""
import os
import shutil
import stat
import subprocess
import sys

import clitest
from clitest import MockServer, run

ADDR = "demo@contoso.com"


class AutodiscoverTest(clitest.unittest.TestCase):
    def setUp(self):
        openssl = shutil.which("openssl")
        if not openssl:
            self.skipTest("openssl(1) is not installed")
        self.tmp = os.path.join(clitest.ARGS.tmp, self.id().rsplit(".", 1)[-1])
        shutil.rmtree(self.tmp, ignore_errors=True)
        os.makedirs(self.tmp)
        self.cert = os.path.join(self.tmp, "cert.pem")
        self.key = os.path.join(self.tmp, "key.pem")
        p = subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                            "-subj", "/CN=contoso.com",
                            "-addext", "subjectAltName=DNS:contoso.com,DNS:*.contoso.com",
                            "-keyout", self.key, "-out", self.cert],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.cache = os.path.join(self.tmp, "cache")
        self.n = 0

    def mock(self, *extra):
        return MockServer("--demo", "--tls-cert", self.cert, "--tls-key", self.key, *extra)

    def tool(self, srv, *args, env=None):
        """Runs the tool with a fresh trace file; returns (result, trace)."""
        self.n += 1
        trace = os.path.join(self.tmp, "trace-%d.txt" % self.n)
        e = {"XDG_CACHE_HOME": self.cache}
        e.update(env or {})
        r = run(["--connect-to", ":443:127.0.0.1:%d" % srv.port, "--cafile", self.cert,
                 "--trace", trace, "--json"] + list(args), env=e, drop_env=("EWS_EMAIL",))
        with open(trace, encoding="utf-8", errors="replace") as f:
            return r, f.read()

    def assert_listed(self, r):
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()["personas"]), 2)

    def test_email_discovers_then_uses_the_cache(self):
        with self.mock() as srv:
            r, trace = self.tool(srv, "--email", ADDR)
            self.assert_listed(r)
            self.assertIn("POST /autodiscover/autodiscover.xml", trace)
            self.assertIn("Host: contoso.com", trace)
            path = os.path.join(self.cache, "ews-c", "endpoints")
            st = os.stat(path)
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
            self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
            with open(path) as f:
                self.assertIn(ADDR + "\t", f.read())

            # The second run takes the endpoint from the cache: no
            # Autodiscover request at all, straight to EWS.
            r, trace = self.tool(srv, "--email", ADDR)
            self.assert_listed(r)
            self.assertNotIn("/autodiscover/", trace)
            self.assertIn("POST /EWS/Exchange.asmx", trace)

            # --no-cache asks again.
            r, trace = self.tool(srv, "--email", ADDR, "--no-cache")
            self.assert_listed(r)
            self.assertIn("POST /autodiscover/autodiscover.xml", trace)

    def write_cache(self, line, mode=0o600):
        d = os.path.join(self.cache, "ews-c")
        os.makedirs(d, mode=0o700, exist_ok=True)
        path = os.path.join(d, "endpoints")
        with open(path, "w") as f:
            f.write(line)
        os.chmod(path, mode)

    def test_stale_or_foreign_cache_entries_are_not_used(self):
        with self.mock() as srv:
            # Expired: asked again, and the entry replaced.
            self.write_cache("v1\t%s\t1000\thttps://stale.contoso.com/EWS/Exchange.asmx\n"
                             % ADDR)
            r, trace = self.tool(srv, "--email", ADDR)
            self.assert_listed(r)
            self.assertIn("POST /autodiscover/autodiscover.xml", trace)
            self.assertNotIn("stale.contoso.com", trace)
            # Live, but in a file others may write: not trusted.
            self.write_cache("v1\t%s\t99999999999\thttps://planted.contoso.com/EWS/x\n"
                             % ADDR, 0o666)
            r, trace = self.tool(srv, "--email", ADDR)
            self.assert_listed(r)
            self.assertIn("POST /autodiscover/autodiscover.xml", trace)
            self.assertNotIn("planted.contoso.com", trace)

    def test_env_email_and_url_wins(self):
        with self.mock() as srv:
            r, trace = self.tool(srv, "--no-cache", env={"EWS_EMAIL": ADDR})
            self.assert_listed(r)
            self.assertIn("POST /autodiscover/autodiscover.xml", trace)
            url = "https://mail.contoso.com/EWS/Exchange.asmx"
            r, trace = self.tool(srv, "--no-cache", "--url", url, "--email", ADDR)
            self.assert_listed(r)
            self.assertNotIn("/autodiscover/", trace)
            self.assertIn("Host: mail.contoso.com", trace)

    def test_email_beats_env_url(self):
        with self.mock() as srv:
            r, trace = self.tool(srv, "--no-cache", "--email", ADDR,
                                 env={"EWS_URL": "https://elsewhere.contoso.com/EWS/x"})
            self.assert_listed(r)
            self.assertIn("POST /autodiscover/autodiscover.xml", trace)
            self.assertNotIn("elsewhere", trace)

    def test_verbose_names_each_candidate(self):
        with self.mock() as srv:
            r, _ = self.tool(srv, "-v", "--email", ADDR)
            self.assert_listed(r)
            self.assertIn("ews-imlist: autodiscover: "
                          "https://contoso.com/autodiscover/autodiscover.xml [domain]", r.err)
            r, _ = self.tool(srv, "-v", "--email", ADDR)
            self.assert_listed(r)
            self.assertIn("from the endpoint cache", r.err)

    def test_redirect_addr(self):
        with self.mock("--autodiscover-redirect", "old@contoso.com=" + ADDR) as srv:
            r, trace = self.tool(srv, "--no-cache", "--email", "old@contoso.com")
            self.assert_listed(r)
            self.assertIn("<EMailAddress>old@contoso.com</EMailAddress>", trace)
            self.assertIn("<EMailAddress>%s</EMailAddress>" % ADDR, trace)

    def test_redirect_url(self):
        to = "https://mail.contoso.com/autodiscover/autodiscover.xml"
        with self.mock("--autodiscover-redirect", ADDR + "=" + to) as srv:
            r, trace = self.tool(srv, "--no-cache", "--email", ADDR)
            self.assert_listed(r)
            self.assertIn("Host: mail.contoso.com", trace)

    def test_bad_override_is_a_usage_error(self):
        r = run(["--email", ADDR, "--resolve", "contoso.com:443"], drop_env=("EWS_EMAIL",))
        self.assertEqual(r.rc, 2, r)
        self.assertIn("resolve", r.err)


if __name__ == "__main__":
    clitest.parse_args()
    if not clitest.ARGS.mock_server:
        print("SKIP: ews-mock-server is not built in this tree")
        sys.exit(clitest.SKIP)
    clitest.main()
