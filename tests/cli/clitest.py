"""Shared helpers for the ews-imlist tests: running the tool as a child,
locating fixtures, a stand-in EWS server (tests/support/loopback_server.py
in script mode, in this process), and the reference data.

Every test script takes the same arguments (see parse_args); CTest passes
them from tests/cli/CMakeLists.txt. EWS_CLI_WRAPPER, when set, is a command
prefix (e.g. "valgrind -q --error-exitcode=99") put before the tool.
"""
import argparse
import base64
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loopback_server import Loopback  # noqa: E402

SKIP = 77

ARGS = None


def parse_args():
    """Parses the common arguments; the rest go to unittest."""
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--tool", required=True)
    p.add_argument("--fixtures", required=True, help="tests/fixtures")
    p.add_argument("--shared", default="", help="../shared, may be absent")
    p.add_argument("--mock-server", default="", help="ews-mock-server, may be empty")
    p.add_argument("--tmp", default="", help="scratch directory")
    ARGS, rest = p.parse_known_args()
    if not ARGS.tmp:
        ARGS.tmp = os.environ.get("TMPDIR", "/tmp")
    os.makedirs(ARGS.tmp, exist_ok=True)
    return [sys.argv[0]] + rest


def main():
    """Runs the unittest cases of the calling module; exit 77 when every
    test was skipped, so CTest reports a skip and not a pass."""
    argv = parse_args()
    prog = unittest.main(argv=argv, exit=False, verbosity=2)
    r = prog.result
    if not r.wasSuccessful():
        sys.exit(1)
    if r.testsRun and len(r.skipped) == r.testsRun:
        sys.exit(SKIP)
    sys.exit(0)


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def json(self):
        return json.loads(self.out)

    def err_lines(self):
        return [l for l in self.err.splitlines() if l.strip()]

    def __repr__(self):
        return "rc=%r\n--- stdout\n%s\n--- stderr\n%s" % (self.rc, self.out, self.err)


def wrapped():
    """True when the tool runs under a wrapper such as valgrind."""
    return bool(os.environ.get("EWS_CLI_WRAPPER", "").strip())


def tool_cmd(args):
    wrapper = shlex.split(os.environ.get("EWS_CLI_WRAPPER", ""))
    return wrapper + [ARGS.tool] + list(args)


def run(args, stdin=None, env=None, timeout=120, drop_env=()):
    """Runs the tool; stdin is bytes or None (then /dev/null)."""
    e = dict(os.environ)
    for k in ("EWS_PASSWORD", "EWS_TOKEN") + tuple(drop_env):
        e.pop(k, None)
    if env:
        e.update(env)
    p = subprocess.run(tool_cmd(args), input=stdin if stdin is not None else b"",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                       timeout=timeout)
    return Result(p.returncode, p.stdout.decode("utf-8", "replace"),
                  p.stderr.decode("utf-8", "replace"))


def fixture(case, op="GetImItemList"):
    return os.path.join(ARGS.fixtures, op, case, "response.xml")


def fixture_cases(op="GetImItemList"):
    d = os.path.join(ARGS.fixtures, op)
    if not os.path.isdir(d):
        return []
    return sorted(c for c in os.listdir(d)
                  if os.path.isfile(os.path.join(d, c, "response.xml")))


def cli_fixture(name):
    return os.path.join(ARGS.fixtures, "cli", name)


def free_port():
    """A loopback port nothing listens on (bound, then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def FakeEws(body, user=None, password=None, status=200, token=None, on_reject=None,
            headers=None):
    """A minimal EWS endpoint on 127.0.0.1 for a with-block: the loopback
    server's script mode in this process, answering every POST with `body`
    when the Basic credentials (or the bearer token) match, else 401;
    on_reject is called before each 401. srv.requests has what went over
    the wire, (headers, body) pairs."""
    answer = {"status": status, "body": body if isinstance(body, bytes) else body.encode(),
              "headers": dict({"request-id": "fake-req-0001"}, **(headers or {}))}
    if user is not None:
        basic = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        answer["require_auth"] = {"Authorization": "Basic " + basic,
                                  "challenge": 'Basic realm="ews"'}
    elif token is not None:
        answer["require_auth"] = {"Authorization": "Bearer " + token, "challenge": "Bearer"}
    return Loopback("script", answers=[answer], on_reject=on_reject)


class MockServer:
    """ews-mock-server as a child, on a free port it reports in a file.
    EWS_MOCK_WRAPPER, when set, is a command prefix put before it (as
    EWS_CLI_WRAPPER is for the tool); a server that does not exit 0 on
    SIGTERM fails the test."""

    def __init__(self, *args):
        self.dir = ARGS.tmp
        self.port_file = os.path.join(self.dir, "port-%d-%d" % (os.getpid(), time.monotonic_ns()))
        self.args = shlex.split(os.environ.get("EWS_MOCK_WRAPPER", ""))
        self.args += [ARGS.mock_server, "--port", "0", "--port-file", self.port_file]
        self.args += list(args)
        self.proc = None
        self.scheme = "https" if "--tls-cert" in args else "http"

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("ews-mock-server exited %s: %s" % (
                    self.proc.returncode, self.proc.stderr.read().decode()))
            try:
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    break
            except (OSError, ValueError):
                pass
            if time.time() > deadline:
                raise AssertionError("ews-mock-server did not start")
            time.sleep(0.02)
        return self

    @property
    def url(self):
        return "%s://127.0.0.1:%d/EWS/Exchange.asmx" % (self.scheme, self.port)

    def kill(self):
        """SIGKILL: the server gets no chance to finish anything."""
        self.proc.kill()
        self.proc.wait()
        # the port file outlives a killed server; the next one writes anew
        try:
            os.remove(self.port_file)
        except OSError:
            pass

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            err = self.proc.stderr.read().decode("utf-8", "replace")
            self.proc.stderr.close()
            if self.proc.returncode != 0 and exc[0] is None:
                raise AssertionError("ews-mock-server exited %s: %s" % (self.proc.returncode,
                                                                         err))
            return
        self.proc.stderr.close()


# ---- what Microsoft's reference GetImItemList example holds -------------

REF_GROUPS = [
    {"display_name": "Other Contacts", "group_type": "IPM.DistList.MOC.OtherContacts",
     "store_id": {"id": "AAMkAGQ1MjJjMTBkLThQoTbWAAAAAAQUAAA=", "change_key": "EgAAAA=="},
     "member_ids": []},
    {"display_name": "Tagged", "group_type": "IPM.DistList.MOC.Tagged",
     "store_id": {"id": "AAMkAGQ1MjJAAQTAAA=", "change_key": "EgAAAA=="},
     "member_ids": []},
    {"display_name": "Favorites", "group_type": "IPM.DistList.MOC.Favorites",
     "store_id": {"id": "AAMkAGQ1MjJjMTAAAAAQSAAA=", "change_key": "EgAAAA=="},
     "member_ids": ["AAMkAGQ1MjJtt/bhQoTbWAAAAAAvcAAA="]},
    {"display_name": "MyCustomGroup2", "group_type": "IPM.DistList.MOC.UserGroup",
     "store_id": {"id": "AAMkAGQ1MjJjKAAA=", "change_key": "EgAAAA=="},
     "member_ids": ["AAMkAGQ1Matt/bhQoTbWAAAAAAvcAAA=", "AAMkAGQ1MjJjMTBkTbWAAAAAAveAAA="]},
]

REF_PERSONAS = [
    {"persona_id": "AAQkAGQ1MjJjMTBkLTc4YkZmRkYQAQAFgxE1nBcqRGgYWWorM9/+s=",
     "persona_type": "Person", "display_name": "Anthony Smith",
     "given_name": "Anthony", "surname": "Smith",
     "email_address": "tsmith@contoso.com", "email_addresses": ["tsmith@contoso.com"],
     "im_addresses": ["tsmith@contoso.com"],
     "phones": [{"number": "4255550110", "type": "Home"},
                {"number": "4255550120", "type": "Mobile"}],
     "creation_time": "2012-01-12T22:14:36Z",
     "attributions": [
         {"id": "0",
          "source_id": {"id": "AQMkAGQ1MjIAYzEwZC03OGNlLTQ5Bq239uFChNtYAAAIvDAAAAA==",
                        "change_key": "EQAAABYAAABtF8oI7iVOQatt/bhQoTbWAAAAADB3"},
          "display_name": "Outlook", "is_writable": True, "is_quick_contact": False,
          "is_hidden": False},
         {"id": "1",
          "source_id": {"id": "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5Ny04/bhQoTbWAAAAAAveAAA=",
                        "change_key": "EQAAABYAAABtF8oI7iVOQatt/bhQoTbWAAAAAAym"},
          "display_name": "Outlook", "is_writable": True, "is_quick_contact": True,
          "is_hidden": False}]},
    {"persona_id": "AAQkAGQ1MjJjMTBkLkYQAQAJ3EkhEEXN5KufGbSYJanZk=",
     "persona_type": "Person", "display_name": "Terence Adams",
     "given_name": None, "surname": None,
     "email_address": "tadams@contoso.com", "email_addresses": ["tadams@contoso.com"],
     "im_addresses": ["tadams@contoso.com"], "phones": [],
     "creation_time": "2012-01-05T23:06:58Z",
     "attributions": [
         {"id": "0",
          "source_id": {"id": "AAMkAGQ1MjVOQatt/bhQoTbWAAAA7iVOQatt/bhQoTbWAAAAAAvcAAA=",
                        "change_key": "EQAAABYAAABtF8oI7iVOQatt/bhQoTbWAAAAAAyg"},
          "display_name": "Outlook", "is_writable": True, "is_quick_contact": True,
          "is_hidden": False}]},
]

GROUP_KEYS = {"display_name", "group_type", "store_id", "member_ids", "member_persona_ids"}
PERSONA_KEYS = {"persona_id", "persona_type", "display_name", "given_name", "surname",
                "email_address", "email_addresses", "im_addresses", "phones",
                "creation_time", "attributions"}


# The demo mailbox (examples/mock/demo-mailbox.xml) is the reference
# example made coherent: its group members are the personas' sources.
ANTHONY_SOURCE = "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5Ny04/bhQoTbWAAAAAAveAAA="
TERENCE_SOURCE = "AAMkAGQ1MjVOQatt/bhQoTbWAAAA7iVOQatt/bhQoTbWAAAAAAvcAAA="
DEMO_MEMBERS = {
    "Favorites": ([ANTHONY_SOURCE], [REF_PERSONAS[0]["persona_id"]]),
    "MyCustomGroup2": ([ANTHONY_SOURCE, TERENCE_SOURCE],
                       [REF_PERSONAS[0]["persona_id"], REF_PERSONAS[1]["persona_id"]]),
}


def check_reference_json(tc, doc, server_version=True, demo=False):
    """Field by field, so a failure names the field. demo: the demo
    mailbox's group members instead of the example's."""
    tc.assertEqual(set(doc), {"server_version", "groups", "personas"})
    if server_version:
        tc.assertEqual(doc["server_version"],
                       {"major": 15, "minor": 0, "major_build": 349, "minor_build": 0,
                        "version": "Exchange2013"})
    tc.assertEqual(len(doc["groups"]), 4)
    for got, want in zip(doc["groups"], REF_GROUPS):
        tc.assertTrue(GROUP_KEYS <= set(got), got.keys())
        want = dict(want)
        # the example's ids were shortened: no member is any persona's source
        want["member_persona_ids"] = []
        if demo:
            want["member_ids"], want["member_persona_ids"] = DEMO_MEMBERS.get(
                want["display_name"], ([], []))
        for k, v in want.items():
            tc.assertEqual(got[k], v, "group %s: %s" % (want["display_name"], k))
    tc.assertEqual(len(doc["personas"]), 2)
    for got, want in zip(doc["personas"], REF_PERSONAS):
        tc.assertTrue(PERSONA_KEYS <= set(got), got.keys())
        for k, v in want.items():
            tc.assertEqual(got[k], v, "persona %s: %s" % (want["display_name"], k))


def check_reference_text(tc, out):
    lines = out.splitlines()
    tc.assertIn("Groups: 4", lines)
    tc.assertIn("Personas: 2", lines)
    for name in ("Other Contacts", "Tagged", "Favorites", "MyCustomGroup2",
                 "Anthony Smith", "Terence Adams", "tsmith@contoso.com",
                 "tadams@contoso.com", "4255550110 (Home)", "4255550120 (Mobile)"):
        tc.assertIn(name, out)
    # aligned: the second column of the persona table starts at one offset
    rows = [l for l in lines if l.startswith("  Anthony Smith") or l.startswith("  Terence Adams")
            or l.startswith("  NAME")]
    tc.assertEqual(len(rows), 3, out)
    def email_column(row):
        for key in ("E-MAIL", "tsmith@", "tadams@"):
            if key in row:
                return row.index(key)
        return -1
    tc.assertEqual(len({email_column(r) for r in rows}), 1, out)
