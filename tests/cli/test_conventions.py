"""ews-imlist's command-line conventions, through the tool over loopback
HTTP: short options and '--', EWS_URL/EWS_USER/EWS_AUTH, --proxy and
--noproxy (and proxy variables that must not break --demo or a loopback
URL), -v lines for retries, authentication legs and refused redirects,
--trace -, one exit status per outcome (2 for an unreadable --cafile, 7 for
a server busy after the retries) and one error line without repeats."""
import base64
import os
import subprocess
import unittest

import clitest
from clitest import FakeEws, Loopback, MockServer, run

USER = "svc@contoso.com"
PASSWORD = "conv-Passw0rd"


def Proxy(upstream_port):
    """A forward HTTP proxy on 127.0.0.1 that sends every request to one
    upstream port on loopback, whatever host the client named; .targets
    has the targets it was asked for."""
    proxy = Loopback("script", answers=[{"forward": upstream_port}])
    proxy.path = ""
    return proxy


def Redirector(location):
    """Answers every POST with 302 to another host."""
    return Loopback("script", answers=[{"status": 302, "headers": {"Location": location}}])


DEAD_PROXY = {}


def dead_proxy_env():
    """Proxy variables that name a port nothing listens on."""
    if not DEAD_PROXY:
        url = "http://127.0.0.1:%d" % clitest.free_port()
        for k in ("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            DEAD_PROXY[k] = url
    return dict(DEAD_PROXY)


NO_PROXY_VARS = ("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                 "no_proxy", "NO_PROXY", "EWS_URL", "EWS_USER", "EWS_AUTH")


def cli(args, env=None, **kw):
    return run(args, env=env, drop_env=NO_PROXY_VARS, **kw)


def reference_body():
    with open(clitest.fixture("schema-valid"), "rb") as f:
        return f.read()


class Conventions(unittest.TestCase):
    def one_line(self, r, rc):
        self.assertEqual(r.rc, rc, r)
        lines = r.err_lines()
        self.assertEqual(len(lines), 1, r)
        return lines[0]

    # ---- options ----------------------------------------------------------
    def test_short_options_and_double_dash(self):
        r = cli(["-V"])
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.out.startswith("ews-imlist "), r)
        r = cli(["-h"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("-u, --user", r.out)
        # options after the command word, also where getopt would stop
        r = cli(["list", "--demo", "--json"], env={"POSIXLY_CORRECT": "1"})
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()["groups"]), 4)
        # a group whose name starts with '-' after '--'
        r = cli(["--demo", "group", "add", "--", "-x"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn('Added group "-x"', r.out)
        # ... and without '--' it is an unknown option: usage, name echoed
        r = cli(["--demo", "group", "add", "-x"])
        self.assertIn("unknown option '-x'", self.one_line(r, 2))
        # getopt_long would take an abbreviation: --password must not
        # become --password-file, nor be echoed
        r = cli(["--password", "hunter2"])
        line = self.one_line(r, 2)
        self.assertIn("--password is not accepted", line)
        self.assertNotIn("hunter2", r.err)
        r = cli(["--pass=hunter2"])
        line = self.one_line(r, 2)
        self.assertNotIn("hunter2", r.err)

    def test_help_states_defaults(self):
        r = cli(["--help"])
        self.assertEqual(r.rc, 0, r)
        lines = r.out.splitlines()
        timeout = [l for l in lines if l.lstrip().startswith("--timeout")]
        retries = [l for l in lines if l.lstrip().startswith("--retries")]
        self.assertIn("default 120", timeout[0])
        self.assertIn("default 4", retries[0])
        for word in ("--proxy", "--noproxy", "-v, --verbose", "EWS_URL", "7 server busy"):
            self.assertIn(word, r.out)

    def test_short_user_and_environment(self):
        with FakeEws(reference_body(), user=USER, password=PASSWORD) as srv:
            # -u with --url
            r = cli(["--url", srv.url, "--insecure-http", "-u", USER, "--auth", "basic"],
                    env={"EWS_PASSWORD": PASSWORD})
            self.assertEqual(r.rc, 0, r)
            # the same from the environment alone
            env = {"EWS_URL": srv.url, "EWS_USER": USER, "EWS_AUTH": "basic",
                   "EWS_PASSWORD": PASSWORD}
            n = len(srv.requests)
            r = cli(["--insecure-http", "--json"], env=env)
            self.assertEqual(r.rc, 0, r)
            self.assertTrue(r.json()["groups"])
            self.assertGreater(len(srv.requests), n)
            # options win over the environment
            r = cli(["--insecure-http", "--user", "someone@contoso.com"], env=env)
            self.assertEqual(r.rc, 3, r)
            # --demo and --from-file ignore EWS_URL (and with it the others)
            r = cli(["--demo"], env=env)
            self.assertEqual(r.rc, 0, r)
            r = cli(["--from-file", clitest.fixture("schema-valid")], env=env)
            self.assertEqual(r.rc, 0, r)
            bad = dict(env, EWS_AUTH="kerberos5")
            r = cli(["--insecure-http"], env=bad)
            self.assertIn("EWS_AUTH", self.one_line(r, 2))

    # ---- proxies -------------------------------------------------------------
    def test_proxy_variables_do_not_break_loopback(self):
        env = dead_proxy_env()
        r = cli(["--demo"], env=env)
        self.assertEqual(r.rc, 0, r)
        clitest.check_reference_text(self, r.out)
        with FakeEws(reference_body()) as srv:
            r = cli(["--url", srv.url, "--insecure-http"], env=env)
            self.assertEqual(r.rc, 0, r)
            # not even an explicit proxy takes a loopback request
            r = cli(["--url", srv.url, "--insecure-http", "--proxy", env["http_proxy"]])
            self.assertEqual(r.rc, 0, r)

    def test_proxy_and_noproxy(self):
        with FakeEws(reference_body()) as srv, \
                Proxy(srv.port) as proxy:
            url = "http://mail.contoso.invalid/EWS/Exchange.asmx"
            r = cli(["--url", url, "--insecure-http", "--proxy", proxy.url, "--json"])
            self.assertEqual(r.rc, 0, r)
            self.assertTrue(r.json()["groups"])
            self.assertEqual(proxy.targets, [url])
            # the standard variables are followed too
            r = cli(["--url", url, "--insecure-http"], env={"http_proxy": proxy.url})
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(len(proxy.targets), 2)
            # --noproxy: straight to the (unresolvable) host, not the proxy
            for noproxy in ("mail.contoso.invalid", "contoso.invalid", "*"):
                r = cli(["--url", url, "--insecure-http", "--proxy", proxy.url,
                         "--noproxy", noproxy])
                self.assertEqual(r.rc, 5, r)
                self.assertEqual(len(proxy.targets), 2, noproxy)
            r = cli(["--url", url, "--insecure-http", "--noproxy", "*"],
                    env={"http_proxy": proxy.url})
            self.assertEqual(r.rc, 5, r)
            self.assertEqual(len(proxy.targets), 2)
            # proxy options make no sense for a saved file or the demo
            r = cli(["--demo", "--proxy", proxy.url])
            self.assertIn("--proxy does not apply to --demo", self.one_line(r, 2))

    # ---- -v ----------------------------------------------------------------------
    def test_verbose_retries_and_busy_exit(self):
        with MockServer("--demo", "--busy", "3:50") as srv:
            r = cli(["--url", srv.url, "--insecure-http", "--retries", "1", "-v"])
            self.assertEqual(r.rc, 7, r)
            lines = r.err_lines()
            self.assertEqual(len(lines), 2, r)
            self.assertEqual(lines[0], "ews-imlist: GetImItemList: server busy "
                             "(ErrorServerBusy), retrying in 50 ms, attempt 2 of 2")
            self.assert_no_repeats(lines[1])
        with MockServer("--demo", "--http503", "2:1") as srv:
            r = cli(["--url", srv.url, "--insecure-http", "--verbose", "--retries", "2"])
            self.assertEqual(r.rc, 0, r)
            self.assertEqual([l for l in r.err_lines()], [
                "ews-imlist: GetImItemList: server busy (HTTP 503), retrying in 1 s, "
                "attempt 2 of 3",
                "ews-imlist: GetImItemList: server busy (HTTP 503), retrying in 1 s, "
                "attempt 3 of 3"])
        with MockServer("--demo", "--http503", "5:0") as srv:
            r = cli(["--url", srv.url, "--insecure-http", "--retries", "1"])
            line = self.one_line(r, 7)
            self.assert_no_repeats(line)
        with FakeEws(b"slow down", status=429) as srv:
            r = cli(["--url", srv.url, "--insecure-http", "--retries", "0"])
            self.assertIn("(HTTP 429", self.one_line(r, 7))
        # without -v a retry is silent
        with MockServer("--demo", "--busy", "1:50") as srv:
            r = cli(["--url", srv.url, "--insecure-http"])
            self.assertEqual((r.rc, r.err), (0, ""), r)

    def test_verbose_auth_legs_without_secrets(self):
        pwfile = os.path.join(clitest.ARGS.tmp, "conv-pw")
        with open(pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        with FakeEws(reference_body(), user=USER, password=PASSWORD) as srv:
            r = cli(["--url", srv.url, "--insecure-http", "-u", USER, "--password-file",
                     pwfile, "-v"])
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.err_lines(),
                             ["ews-imlist: GetImItemList: authenticating with Basic, leg 1"])
            r = cli(["--url", srv.url, "--insecure-http", "-u", USER, "--auth", "basic", "-v"],
                    env={"EWS_PASSWORD": "wrong-" + PASSWORD})
            self.assertEqual(r.rc, 3, r)
            lines = r.err_lines()
            self.assertEqual(lines[0],
                             "ews-imlist: GetImItemList: authenticating with Basic, leg 1")
            self.assertEqual(len(lines), 2, r)
            self.assert_no_repeats(lines[1])
            for secret in (PASSWORD, base64.b64encode(("%s:wrong-%s" % (USER, PASSWORD))
                                                      .encode()).decode()):
                self.assertNotIn(secret, r.err)

    def test_verbose_redirect_refused(self):
        with Redirector("https://elsewhere.example/EWS/Exchange.asmx") as srv:
            r = cli(["--url", srv.url, "--insecure-http", "-v"])
            self.assertEqual(r.rc, 5, r)
            lines = r.err_lines()
            self.assertEqual(len(lines), 2, r)
            self.assertTrue(lines[0].startswith(
                "ews-imlist: GetImItemList: not following the redirect to "
                "https://elsewhere.example/EWS/Exchange.asmx: "), r)
            self.assert_no_repeats(lines[1])

    # ---- output and exit statuses ---------------------------------------------
    def test_trace_to_stderr(self):
        tmp = os.path.join(clitest.ARGS.tmp, "trace-cwd")
        os.makedirs(tmp, exist_ok=True)
        p = subprocess.run(clitest.tool_cmd(["--demo", "--trace", "-"]), cwd=tmp,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 0)
        err = p.stderr.decode("utf-8", "replace")
        self.assertIn("request body", err)
        self.assertIn("GetImItemListResponse", err)
        self.assertIn("Anthony Smith", p.stdout.decode())
        self.assertFalse(os.path.exists(os.path.join(tmp, "-")))

    def test_unreadable_files_are_usage(self):
        missing = os.path.join(clitest.ARGS.tmp, "no-such-file.pem")
        for args in (["--cafile", missing], ["--token-file", missing],
                     ["-u", USER, "--password-file", missing]):
            r = cli(["--url", "https://mail.contoso.invalid/EWS/Exchange.asmx"] + args)
            line = self.one_line(r, 2)
            self.assertIn("no-such-file.pem", line)

    def assert_no_repeats(self, line):
        """ews-imlist: OPERATION: what happened (details): nothing twice."""
        self.assertRegex(line, r"^ews-imlist: [A-Za-z]+: [^()]*[^ ]")
        for part in ("GetImItemList", "HTTP ", "attempts", "request-id"):
            self.assertLessEqual(line.count(part), 1, line)


if __name__ == "__main__":
    clitest.main()
