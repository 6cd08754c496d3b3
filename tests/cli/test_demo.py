"""ews-imlist --demo and the no-argument run: the built-in loopback server's
demo mailbox, listed through the real client over HTTP."""
import os
import unittest

import clitest
from clitest import run

NAMES_GROUPS = ["Other Contacts", "Tagged", "Favorites", "MyCustomGroup2"]
NAMES_PERSONAS = ["Anthony Smith", "Terence Adams"]


class Demo(unittest.TestCase):
    def test_demo_table(self):
        for args in (["--demo"], []):
            with self.subTest(args=args):
                r = run(args)
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(r.err, "", r)
                clitest.check_reference_text(self, r.out)

    def test_demo_json(self):
        for args in (["--demo", "--json"], ["--json"]):
            with self.subTest(args=args):
                r = run(args)
                self.assertEqual(r.rc, 0, r)
                doc = r.json()
                self.assertEqual([g["display_name"] for g in doc["groups"]], NAMES_GROUPS)
                self.assertEqual([p["display_name"] for p in doc["personas"]], NAMES_PERSONAS)
                # the demo mailbox is the reference example's people and
                # groups, its members made personas of the list (the
                # server version is the mock's own)
                clitest.check_reference_json(self, doc, server_version=False, demo=True)

    def test_demo_strict(self):
        # the demo mailbox is schema-valid (Persona/EmailAddresses/Address),
        # so the conformance check passes and the groups show names
        r = run(["--demo", "--strict"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)
        clitest.check_reference_text(self, r.out)
        self.assertIn("Anthony Smith, Terence Adams", r.out)

    def test_demo_trace(self):
        path = os.path.join(clitest.ARGS.tmp, "cli-demo-trace.txt")
        r = run(["--demo", "--trace", path])
        self.assertEqual(r.rc, 0, r)
        with open(path, encoding="utf-8", errors="replace") as f:
            trace = f.read()
        self.assertEqual(os.stat(path).st_mode & 0o077, 0, "trace file is private")
        os.unlink(path)
        self.assertIn("request body", trace)
        self.assertIn("response body", trace)
        self.assertIn("GetImItemList", trace)
        self.assertIn("Anthony Smith", trace)

    def test_demo_old_server_version(self):
        # GetImItemList came with Exchange2013: refused before sending
        r = run(["--demo", "--server-version", "Exchange2010"])
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(len(r.err_lines()), 1, r)
        self.assertIn("Exchange2013", r.err)


if __name__ == "__main__":
    clitest.main()
