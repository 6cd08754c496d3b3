"""ews-imlist gives up core dumps before it reads a secret (issue 11): a
core of a crash inside gss-ntlmssp held the password twice. While the tool
waits on a server that never answers, holding the password, its core limit
is 0 and a SIGABRT leaves no core, although the test raised the limit it
inherits and the kernel's core_pattern would write one."""
import os
import resource
import signal
import subprocess
import time
import unittest

import clitest

CANARY = "Canary-NoCore-pw-51c"


def wait_for_request(server, seconds):
    """Whether a request reached the server within the time."""
    deadline = time.monotonic() + seconds
    while not server.requests:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def raise_core_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def core_limits(pid):
    with open("/proc/%d/limits" % pid) as f:
        for line in f:
            if line.startswith("Max core file size"):
                return line.split()[4:6]
    return None


class NoCore(unittest.TestCase):
    def setUp(self):
        self.dir = os.path.join(clitest.ARGS.tmp, "nocore-%d" % os.getpid())
        os.makedirs(self.dir, exist_ok=True)
        self.pwfile = os.path.join(self.dir, "pw")
        with open(self.pwfile, "w") as f:
            f.write(CANARY)
        os.chmod(self.pwfile, 0o600)

    def test_no_core_while_holding_the_password(self):
        if clitest.wrapped():
            self.skipTest("the wrapper, not the tool, would be the process checked")
        if not os.path.exists("/proc/self/limits"):
            self.skipTest("no /proc")
        hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
        if hard == 0:
            self.skipTest("the hard core limit is 0 here: nothing to give up")
        # Reads the request and never answers.
        server = clitest.Loopback("script", answers=[{"stall": True}]).__enter__()
        out = open(os.path.join(self.dir, "out"), "wb")
        try:
            p = subprocess.Popen(
                clitest.tool_cmd(["--url", server.url, "--insecure-http", "--user", "alice",
                                  "--auth", "basic", "--password-file", self.pwfile,
                                  "--timeout", "60"]),
                cwd=self.dir, stdout=out, stderr=out, preexec_fn=raise_core_limit)
            status = None
            try:
                # The request is out: the password has been read and is held.
                self.assertTrue(wait_for_request(server, 30), "the request never arrived")
                self.assertEqual(core_limits(p.pid), ["0", "0"])
                p.send_signal(signal.SIGABRT)
                _, status = os.waitpid(p.pid, 0)
                p.returncode = 0  # reaped here
            finally:
                if status is None:
                    p.kill()
                    p.wait()
        finally:
            server.__exit__(None, None, None)
            out.close()
        self.assertTrue(os.WIFSIGNALED(status))
        self.assertEqual(os.WTERMSIG(status), signal.SIGABRT)
        # The kernel says whether it wrote a core (to a file or a pipe).
        self.assertFalse(os.WCOREDUMP(status), "a core was dumped")
        self.assertEqual([f for f in os.listdir(self.dir) if f.startswith("core")], [])


if __name__ == "__main__":
    clitest.main()
