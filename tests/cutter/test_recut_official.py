#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Re-cut the official EWS schema and compare with the committed wsdl/ files.

The official schema is not part of the project; it is looked for in
<repo>/../shared/ews-schema.  When it is absent every test is skipped and the
script exits 77 (for CTest's SKIP_RETURN_CODE).

Run from anywhere:  python3 tests/cutter/test_recut_official.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
CUTTER = os.path.join(REPO, "gen", "cut_fragments.py")
WSDL_DIR = os.path.join(REPO, "wsdl")
OPERATIONS = os.path.join(WSDL_DIR, "operations.txt")
OFFICIAL = os.path.normpath(os.path.join(REPO, "..", "shared", "ews-schema"))
FRAGMENT_FILES = ("services.wsdl", "messages.xsd", "types.xsd", "namespace.xsd")
SKIP_CODE = 77


def run(*args):
    return subprocess.run([sys.executable, CUTTER, "--schema-dir", OFFICIAL,
                           "--operations", OPERATIONS, *args],
                          capture_output=True, text=True)


def fragment(directory):
    files = {}
    for name in FRAGMENT_FILES:
        path = os.path.join(directory, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                files[name] = f.read()
    return files


@unittest.skipUnless(os.path.isdir(OFFICIAL),
                     f"official EWS schema not found at {OFFICIAL}")
class RecutOfficialTest(unittest.TestCase):
    def test_committed_fragment_is_byte_identical(self):
        tmp = tempfile.mkdtemp(prefix="recut-")
        self.addCleanup(shutil.rmtree, tmp)
        result = run("--out-dir", tmp)
        self.assertEqual(result.returncode, 0, result.stderr)
        fresh, committed = fragment(tmp), fragment(WSDL_DIR)
        self.assertEqual(sorted(fresh), sorted(committed))
        for name in fresh:
            self.assertTrue(fresh[name] == committed[name],
                            f"wsdl/{name} differs from a fresh cut; rerun gen/cut_fragments.py")

    def test_check_mode_agrees(self):
        result = run("--out-dir", WSDL_DIR, "--check")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun and len(result.skipped) == result.testsRun:
        print(f"SKIPPED: official EWS schema not found at {OFFICIAL}", file=sys.stderr)
        sys.exit(SKIP_CODE)
    sys.exit(0)
