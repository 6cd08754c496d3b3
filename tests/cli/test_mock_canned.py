"""ews-mock-server started with canned responses and nothing else: it serves
(with the demo mailbox behind it) instead of refusing to start, and a canned
GetImItemList reaches ews-imlist as it is in the file."""
import unittest

import clitest
from clitest import MockServer, fixture, run


class CannedOnly(unittest.TestCase):
    def setUp(self):
        if not clitest.ARGS.mock_server:
            self.skipTest("ews-mock-server not built")

    def test_canned_alone_serves_it(self):
        # schema-valid holds other groups than the demo mailbox
        canned = fixture("schema-valid")
        saved = run(["--from-file", canned, "--json"])
        self.assertEqual(saved.rc, 0, saved)
        with MockServer("--canned", "GetImItemList=" + canned) as srv:
            served = run(["--url", srv.url, "--insecure-http", "--json"])
        self.assertEqual(served.rc, 0, served)
        self.assertEqual(served.json()["groups"], saved.json()["groups"])
        demo = run(["--demo", "--json"])
        self.assertEqual(demo.rc, 0, demo)
        self.assertNotEqual(served.json()["groups"], demo.json()["groups"])


if __name__ == "__main__":
    clitest.main()
