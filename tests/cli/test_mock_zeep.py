"""ews-mock-server's GetImItemList answer read by zeep (python3-zeep), a
strict WSDL client of another stack, with the WSDL in EWS_SCHEMA_DIR.
zeep refuses an element the schema does not allow (the reference example's
Persona/EmailAddresses/EmailAddress did exactly that). Skipped (77) when
no Python here has zeep."""
import os
import subprocess
import sys
import unittest

import clitest
from clitest import MockServer

HERE = os.path.dirname(os.path.abspath(__file__))


def python_with_zeep():
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and subprocess.run(
                [py, "-c", "import zeep"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0:
            return py
    return None


class Zeep(unittest.TestCase):
    def test_zeep_reads_get_im_item_list(self):
        py = python_with_zeep()
        if not py:
            self.skipTest("no python3 with zeep (Debian: python3-zeep)")
        if not clitest.ARGS.mock_server:
            self.skipTest("ews-mock-server not built")
        wsdl = os.path.join(os.environ.get("EWS_SCHEMA_DIR", ""), "services.wsdl")
        if not os.path.isfile(wsdl):
            self.skipTest("no services.wsdl at %s" % wsdl)
        with MockServer("--demo") as srv:
            p = subprocess.run([py, os.path.join(HERE, "zeep_read.py"), wsdl, srv.url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-2000:])
        for name in ("group Other Contacts", "group Tagged", "group Favorites",
                     "group MyCustomGroup2", "persona Anthony Smith", "persona Terence Adams"):
            self.assertIn(name, out)


if __name__ == "__main__":
    clitest.main()
