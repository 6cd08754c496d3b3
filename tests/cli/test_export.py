"""ews-imlist export (issue 16) against ews-mock-server over loopback HTTP:
the NDJSON lines and per-mailbox errors, the throttle the workers share (no
request starts during another worker's back-off), --resume after a kill -9
and a cut-off last line, a clean stop on SIGINT, and the progress line on
a terminal only."""
import json
import os
import pty
import signal
import subprocess
import time
import unittest

import clitest
from clitest import MockServer, run

USER = "svc@contoso.com"
PASSWORD = "mock-Passw0rd"
ERROR_KEYS = {"code", "category", "http_status", "response_code", "message", "request_id"}


class Export(unittest.TestCase):
    def setUp(self):
        self.tmp = os.path.join(clitest.ARGS.tmp, self._testMethodName)
        os.makedirs(self.tmp, exist_ok=True)
        self.pwfile = os.path.join(self.tmp, "pw")
        with open(self.pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        os.chmod(self.pwfile, 0o600)
        self.stats = os.path.join(self.tmp, "stats")

    def path(self, name):
        p = os.path.join(self.tmp, name)
        if os.path.exists(p):
            os.remove(p)
        return p

    def mock(self, n, *extra):
        return MockServer("--demo", "--auth", "basic", "--user", USER, "--password-file",
                          self.pwfile, "--impersonator", USER, "--generate-mailboxes", str(n),
                          "--stats", self.stats, *extra)

    def mailboxes(self, names, name="mailboxes"):
        p = self.path(name)
        with open(p, "w") as f:
            f.write("# test list\n\n" + "\n".join(names) + "\n")
        return p

    def base(self, srv, mbx):
        return ["export", "--mailboxes", mbx, "--url", srv.url, "--insecure-http", "--user",
                USER, "--auth", "basic", "--password-file", self.pwfile]

    def read_stats(self):
        with open(self.stats) as f:
            return dict(kv.split("=") for kv in f.read().split()[1:])

    def lines(self, text):
        self.assertTrue(text == "" or text.endswith("\n"), text[-200:])
        return [json.loads(l) for l in text.splitlines()]

    def test_ndjson_and_errors(self):
        names = ["user%d@contoso.com" % i for i in range(1, 7)] + ["nobody@contoso.com"]
        with self.mock(10) as srv:
            r = run(self.base(srv, self.mailboxes(names)) + ["--jobs", "3"])
            single = run(["--url", srv.url, "--insecure-http", "--user", USER, "--auth",
                          "basic", "--password-file", self.pwfile, "--json",
                          "--impersonate", "primary:user1@contoso.com"])
        self.assertEqual(single.rc, 0, single)
        ref = single.json()
        # one mailbox failed: the status of its failure (4, an EWS error)
        self.assertEqual(r.rc, 4, r)
        docs = self.lines(r.out)
        self.assertEqual(sorted(d["mailbox"] for d in docs), sorted(names))
        for d in docs:
            if d["mailbox"] == "nobody@contoso.com":
                self.assertIs(d["ok"], False)
                self.assertEqual(set(d), {"mailbox", "ok", "error"})
                e = d["error"]
                self.assertEqual(set(e), ERROR_KEYS)
                self.assertEqual(e["response_code"], "ErrorNonExistentMailbox")
                self.assertEqual(e["http_status"], 500)
                self.assertEqual(e["category"], "permanent")
                self.assertTrue(e["code"].startswith("EWS_E"))
                self.assertTrue(e["request_id"])
            else:
                self.assertIs(d["ok"], True)
                # the list's JSON shape, as --json gives it
                self.assertEqual({k: v for k, v in d.items() if k not in ("mailbox", "ok")},
                                 ref)
        self.assertIn("7 mailboxes", r.err)
        self.assertIn("6 ok, 1 failed", r.err)
        st = self.read_stats()
        # kept-alive connections: one handshake per worker, not per mailbox
        self.assertEqual(st["handshakes"], st["connections"])
        self.assertLessEqual(int(st["connections"]), 3 + 1)  # + the --json run
        self.assertEqual(int(st["requests"]), 7 + 1)

    def test_usage(self):
        mbx = self.mailboxes(["user1@contoso.com"])
        r = run(["export", "--url", "http://127.0.0.1:9/EWS/Exchange.asmx", "--insecure-http"])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--mailboxes", r.err)
        r = run(["export", "--mailboxes", mbx, "--resume", "--url",
                 "http://127.0.0.1:9/EWS/Exchange.asmx", "--insecure-http"])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--resume needs --output", r.err)
        bad = self.mailboxes(["user1@contoso.com", "not an address"], "bad")
        r = run(["export", "--mailboxes", bad, "--url", "http://127.0.0.1:9/EWS/Exchange.asmx",
                 "--insecure-http"])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("line 4", r.err)
        out = self.path("nonempty.ndjson")
        with open(out, "w") as f:
            f.write("{}\n")
        r = run(["export", "--mailboxes", mbx, "--output", out, "--url",
                 "http://127.0.0.1:9/EWS/Exchange.asmx", "--insecure-http"])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--resume", r.err)
        r = run(["--mailboxes", mbx])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("does not apply to the list command", r.err)

    def test_shared_back_off(self):
        """One worker's ErrorServerBusy (back-off 800 ms) holds every worker:
        in the mock's request log no request starts inside the back-off."""
        back_off_us = 800_000
        log = self.path("requests.log")
        names = ["user%d@contoso.com" % i for i in range(1, 41)]
        with self.mock(40, "--delay", "30", "--busy", "1:%d" % (back_off_us // 1000),
                       "--request-log", log) as srv:
            r = run(self.base(srv, self.mailboxes(names)) + ["--jobs", "4", "-v"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(self.lines(r.out)), 40)
        with open(log) as f:
            rows = [l.split() for l in f if l.strip()]
        busy = [row for row in rows if row[4] == "ErrorServerBusy"]
        self.assertEqual(len(busy), 1, rows)
        answered = int(busy[0][1])
        # the answer takes a moment to reach the client: 100 ms of slack at
        # each end of the window
        inside = [row for row in rows
                  if answered + 100_000 < int(row[0]) < answered + back_off_us - 100_000]
        self.assertEqual(inside, [], "requests started during the back-off: %r" % inside)
        self.assertIn("1 busy answers", r.err)

    def wait_lines(self, path, n, proc, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with open(path, "rb") as f:
                    if f.read().count(b"\n") >= n:
                        return
            except OSError:
                pass
            self.assertIsNone(proc.poll(), "export ended early")
            time.sleep(0.02)
        self.fail("no %d lines in %s" % (n, path))

    def popen(self, args):
        env = dict(os.environ)
        env.pop("EWS_PASSWORD", None)
        return subprocess.Popen(clitest.tool_cmd(args), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)

    def test_resume_after_kill(self):
        names = ["user%d@contoso.com" % i for i in range(1, 201)]
        out = self.path("export.ndjson")
        with self.mock(200, "--delay", "20") as srv:
            mbx = self.mailboxes(names)
            p = self.popen(self.base(srv, mbx) + ["--jobs", "4", "--output", out])
            self.wait_lines(out, 30, p)
            p.kill()
            p.communicate()
            with open(out, "rb") as f:
                first = f.read()
            # what a crash inside a write would leave: a line cut short
            with open(out, "ab") as f:
                f.write(b'{"mailbox":"user199@contoso.com","ok":true,"groups":[{"disp')
            done_before = first.count(b"\n")
            self.assertLess(done_before, 200)
            r = run(self.base(srv, mbx) + ["--jobs", "4", "--output", out, "--resume"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("removed a partial last line", r.err)
        self.assertIn("skipped", r.err)
        with open(out) as f:
            text = f.read()
        self.assertTrue(text.startswith(first.decode()))
        docs = self.lines(text)
        got = [d["mailbox"] for d in docs]
        self.assertEqual(len(got), len(set(got)), "duplicates")
        self.assertEqual(set(got), set(names))
        self.assertTrue(all(d["ok"] for d in docs))
        st = self.read_stats()
        # the second run fetched only what the first had not written
        # (the first may have had up to 4 calls in flight when killed)
        self.assertLessEqual(int(st["requests"]), 200 + 4)

    def test_sigint_stops_cleanly(self):
        names = ["user%d@contoso.com" % i for i in range(1, 61)]
        out = self.path("export.ndjson")
        with self.mock(60, "--delay", "150") as srv:
            p = self.popen(self.base(srv, self.mailboxes(names)) + ["--jobs", "2", "--output",
                                                                      out])
            self.wait_lines(out, 2, p)
            p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=20)
        err = err.decode()
        self.assertEqual(p.returncode, 130, err)
        with open(out) as f:
            docs = self.lines(f.read())
        self.assertLess(len(docs), 60)
        self.assertIn("interrupted: %d of 60 lines written to %s" % (len(docs), out), err)
        self.assertIn("--resume", err)

    def test_progress_on_a_terminal_only(self):
        names = ["user%d@contoso.com" % i for i in range(1, 21)]
        with self.mock(20, "--delay", "60") as srv:
            args = self.base(srv, self.mailboxes(names)) + ["--jobs", "2"]
            piped = run(args)
            verbose = run(args + ["-v"])
            master, slave = pty.openpty()
            env = dict(os.environ)
            env.pop("EWS_PASSWORD", None)
            p = subprocess.Popen(clitest.tool_cmd(args), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=slave, env=env)
            os.close(slave)
            chunks = []
            while True:
                try:
                    b = os.read(master, 4096)
                except OSError:
                    break
                if not b:
                    break
                chunks.append(b)
            p.communicate(timeout=30)
            os.close(master)
        tty = b"".join(chunks).decode("utf-8", "replace")
        self.assertEqual(p.returncode, 0, tty)
        self.assertIn("\r\x1b[K", tty)
        self.assertIn("/20 mailboxes", tty)
        self.assertIn("ETA", tty)
        self.assertIn("20 mailboxes in", tty)
        for r in (piped, verbose):
            self.assertEqual(r.rc, 0, r)
            self.assertNotIn("\r", r.err)
            self.assertNotIn("ETA", r.err)
            self.assertIn("20 ok, 0 failed", r.err)
        self.assertEqual(len(piped.err_lines()), 1, piped)
        self.assertEqual(sum(": ok" in l for l in verbose.err_lines()), 20, verbose)


if __name__ == "__main__":
    clitest.main()
