"""ews-imlist keeps secrets out of what it prints: a canary password (from
--password-file, EWS_PASSWORD or the no-echo prompt) and a canary bearer
token reach the server but never stdout, stderr or the --trace file.

The server is a stdlib stand-in (clitest.FakeEws) so that what went over the
wire can be checked too."""
import base64
import os
import pty
import select
import subprocess
import time
import unittest

import clitest
from clitest import FakeEws, run

CANARY = "Canary-7f3e9b1d-pw!"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.Q2FuYXJ5LXRva2VuLTQ0ZTI.c2ln"
USER = "alice@contoso.com"


def reference_body():
    with open(clitest.fixture("reference-http"), "rb") as f:
        return f.read()


def forms(secret):
    """The secret as it could leak: plain, and inside a Basic credential."""
    return [secret, base64.b64encode(("%s:%s" % (USER, secret)).encode()).decode()]


class Secrets(unittest.TestCase):
    def setUp(self):
        self.tmp = clitest.ARGS.tmp
        self.pwfile = os.path.join(self.tmp, "cli-secret-pw-%d" % os.getpid())
        self.trace = os.path.join(self.tmp, "cli-secret-trace-%d" % os.getpid())

    def tearDown(self):
        for p in (self.pwfile, self.trace):
            if os.path.exists(p):
                os.unlink(p)

    def write(self, path, text):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)

    def read_trace(self):
        with open(self.trace, encoding="utf-8", errors="replace") as f:
            return f.read()

    def assert_no_leak(self, r, secret, trace=True):
        texts = {"stdout": r.out, "stderr": r.err}
        if trace:
            texts["trace"] = self.read_trace()
        for where, text in texts.items():
            for form in forms(secret):
                self.assertNotIn(form, text, "secret in %s" % where)

    def test_password_file_canary(self):
        self.write(self.pwfile, CANARY + "\n")   # the newline is not part of it
        with FakeEws(reference_body(), USER, CANARY) as srv:
            r = run(["--url", srv.url, "--insecure-http", "--user", USER, "--auth", "basic",
                     "--password-file", self.pwfile, "--trace", self.trace, "--json"])
            sent = [h.get("Authorization", "") for h, _ in srv.requests]
        self.assertEqual(r.rc, 0, r)
        clitest.check_reference_json(self, r.json())
        # it was really used...
        self.assertIn("Basic " + forms(CANARY)[1], sent)
        # ...and shows up nowhere we write
        self.assert_no_leak(r, CANARY)
        trace = self.read_trace()
        self.assertIn("request headers", trace)
        self.assertRegex(trace, r"\nAuthorization: (Basic )?\*\*\*\n", "masked header")

    def test_wrong_password_canary(self):
        self.write(self.pwfile, CANARY)
        with FakeEws(reference_body(), USER, "the-right-one") as srv:
            r = run(["--url", srv.url, "--insecure-http", "--user", USER, "--auth", "basic",
                     "--password-file", self.pwfile, "--trace", self.trace])
        self.assertEqual(r.rc, 3, r)
        self.assertEqual(r.out, "")
        self.assertEqual(len(r.err_lines()), 1, r)
        self.assertIn("401", r.err)
        self.assert_no_leak(r, CANARY)

    def test_env_password_canary(self):
        with FakeEws(reference_body(), USER, CANARY) as srv:
            r = run(["--url", srv.url, "--insecure-http", "--user", USER, "--auth", "basic",
                     "--trace", self.trace], env={"EWS_PASSWORD": CANARY})
        self.assertEqual(r.rc, 0, r)
        self.assert_no_leak(r, CANARY)

    def test_token_file_canary(self):
        self.write(self.pwfile, TOKEN + "\n")
        with FakeEws(reference_body(), token=TOKEN) as srv:
            r = run(["--url", srv.url, "--insecure-http", "--token-file", self.pwfile,
                     "--trace", self.trace])
            sent = [h.get("Authorization", "") for h, _ in srv.requests]
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Bearer " + TOKEN, sent)
        self.assert_no_leak(r, TOKEN)

    def test_token_file_reread_when_refused(self):
        """A refused token is replaced by the file's new content (as a token
        helper renewing it would write), and the call goes through."""
        self.write(self.pwfile, "expired-token\n")
        renewed = TOKEN

        def renew():
            self.write(self.pwfile, renewed + "\n")
        with FakeEws(reference_body(), token=renewed, on_reject=renew) as srv:
            r = run(["--url", srv.url, "--insecure-http", "--token-file", self.pwfile,
                     "--trace", self.trace])
            sent = [h.get("Authorization", "") for h, _ in srv.requests]
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(sent, ["Bearer expired-token", "Bearer " + TOKEN])
        self.assert_no_leak(r, TOKEN)

    def test_bad_token_canary(self):
        with FakeEws(reference_body(), token="another-token") as srv:
            r = run(["--url", srv.url, "--insecure-http", "--auth", "bearer",
                     "--trace", self.trace], env={"EWS_TOKEN": TOKEN})
        self.assertEqual(r.rc, 3, r)
        self.assertEqual(len(r.err_lines()), 1, r)
        self.assert_no_leak(r, TOKEN)

    def test_prompt_without_echo(self):
        """The password typed at the prompt is not echoed to the terminal."""
        with FakeEws(reference_body(), USER, CANARY) as srv:
            try:
                master, slave = pty.openpty()
            except OSError as e:
                self.skipTest("no pseudo-terminal here: %s" % e)
            env = dict(os.environ)
            env.pop("EWS_PASSWORD", None)
            p = subprocess.Popen(clitest.tool_cmd(
                ["--url", srv.url, "--insecure-http", "--user", USER, "--auth", "basic",
                 "--trace", self.trace]),
                stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            os.close(slave)
            try:
                prompt = b""
                deadline = time.time() + 60
                while b"Password for %s: " % USER.encode() not in prompt:
                    self.assertLess(time.time(), deadline, prompt)
                    ready, _, _ = select.select([p.stderr], [], [], 1)
                    if ready:
                        chunk = os.read(p.stderr.fileno(), 256)
                        self.assertTrue(chunk, prompt)
                        prompt += chunk
                os.write(master, (CANARY + "\n").encode())
                out, err = p.communicate(timeout=120)
                echoed = b""
                while select.select([master], [], [], 0.2)[0]:
                    try:
                        chunk = os.read(master, 1024)
                    except OSError:
                        break
                    if not chunk:
                        break
                    echoed += chunk
            finally:
                if p.poll() is None:
                    p.kill()
                    p.wait()
                os.close(master)
        self.assertEqual(p.returncode, 0, (out, prompt + err))
        self.assertNotIn(CANARY.encode(), echoed)
        r = clitest.Result(p.returncode, out.decode(), (prompt + err).decode())
        self.assertIn("Anthony Smith", r.out)
        self.assert_no_leak(r, CANARY)


if __name__ == "__main__":
    clitest.main()
