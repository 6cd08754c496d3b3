"""Every answer ews-mock-server gives to the twelve IM-list operations, and
the EWS error responses it gives to requests it cannot carry out, validated
with xmllint against an EWS schema: the official one (../shared/ews-schema;
skipped, exit 77, when absent) or the project's cut fragments (wsdl/), as
EWS_SCHEMA_DIR says. The answers are taken from ews-imlist's --trace, so
the requests are the real client's.

Also: the demo mailbox is coherent (each group member is a persona of the
list, so the tables show names), and `ews-imlist --demo --strict` exits 0.
"""
import os
import re
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

import clitest
from clitest import MockServer, run

SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"
BLOCK = re.compile(rb"=== \S+ (response body) \((\d+) bytes\) ===\n")


def schema_dir():
    return os.environ.get("EWS_SCHEMA_DIR", "")


def response_bodies(trace_path):
    """The response bodies of a --trace file, in order."""
    with open(trace_path, "rb") as f:
        data = f.read()
    out = []
    pos = 0
    while True:
        m = BLOCK.search(data, pos)
        if not m:
            return out
        n = int(m.group(2))
        out.append(data[m.end():m.end() + n])
        pos = m.end() + n


class MockSchema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = schema_dir()
        if not d or not os.path.isfile(os.path.join(d, "messages.xsd")):
            raise unittest.SkipTest("no EWS schema at '%s' (the official schema is optional "
                                    "reference material in ../shared/ews-schema)" % d)
        if not clitest.ARGS.mock_server:
            raise unittest.SkipTest("ews-mock-server not built")
        cls.xsd = os.path.join(d, "messages.xsd")
        cls.n = 0

    def validate(self, body, what):
        """Each element child of the SOAP Header and Body, as its own
        document, against messages.xsd (which imports types.xsd)."""
        env = ET.fromstring(body)
        self.assertEqual(env.tag, SOAP + "Envelope", what)
        parts = []
        for part in ("Header", "Body"):
            el = env.find(SOAP + part)
            if el is not None:
                parts.extend(list(el))
        self.assertTrue(parts, what)
        for el in parts:
            self.assertFalse(el.tag == SOAP + "Fault", "%s: a SOAP fault" % what)
            MockSchema.n += 1
            path = os.path.join(clitest.ARGS.tmp, "part-%d.xml" % MockSchema.n)
            with open(path, "wb") as f:
                f.write(ET.tostring(el))
            p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", self.xsd, path],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.assertEqual(p.returncode, 0, "%s: %s\n%s" % (
                what, el.tag, p.stderr.decode("utf-8", "replace")))

    def traced(self, srv, name, *args, rc=0):
        trace = os.path.join(clitest.ARGS.tmp, "trace-%s" % name)
        r = run(["--url", srv.url, "--insecure-http", "--trace", trace] + list(args))
        self.assertEqual(r.rc, rc, "%s: %r" % (name, r))
        bodies = response_bodies(trace)
        self.assertTrue(bodies, "%s: no response in the trace" % name)
        for i, b in enumerate(bodies):
            self.validate(b, "%s response %d" % (name, i + 1))
        return r

    def test_twelve_operations(self):
        with MockServer("--demo") as srv:
            doc = self.traced(srv, "GetImItemList", "--json").json()
            g = [x["store_id"]["id"] for x in doc["groups"]]
            p = [x["persona_id"] for x in doc["personas"]]
            self.traced(srv, "GetImItems", "items", "--group", g[2], "--persona", p[0])
            new = self.traced(srv, "AddImGroup", "group", "add", "Project X", "--json").json()
            gid = new["store_id"]["id"]
            self.traced(srv, "SetImGroup", "group", "rename", gid, "Project Y")
            c = self.traced(srv, "AddNewImContactToGroup", "contact", "add", gid,
                            "sip:carol@contoso.com", "--name", "Carol", "--json").json()
            self.traced(srv, "AddImContactToGroup", "contact", "add", g[3], "--existing",
                        c["persona_id"])
            t = self.traced(srv, "AddNewTelUriContactToGroup", "contact", "add-tel", gid,
                            "tel:+14255550100", "--json").json()
            self.traced(srv, "RemoveImContactFromGroup", "contact", "remove",
                        c["persona_id"], "--group", g[3])
            self.traced(srv, "RemoveContactFromImList", "contact", "remove", t["persona_id"])
            dl = self.traced(srv, "AddDistributionGroupToImList", "dl", "add",
                             "sales@contoso.com", "--name", "Sales", "--json").json()
            self.traced(srv, "RemoveDistributionGroupFromImList", "dl", "remove",
                        dl["store_id"]["id"])
            self.traced(srv, "RemoveImGroup", "group", "remove", gid)
            # EWS error responses (ResponseClass="Error") are schema-valid too
            self.traced(srv, "error-RemoveImGroup", "group", "remove", gid, rc=4)
            self.traced(srv, "error-SetImGroup", "group", "rename", gid, "Z", rc=4)
            self.traced(srv, "unknown-GetImItems", "items", "--group", gid)


class DemoMailbox(unittest.TestCase):
    """Runs once, whatever the schema: the demo's own coherence."""

    def test_members_are_personas(self):
        r = run(["--demo", "--json"])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        names = {x["persona_id"]: x["display_name"] for x in doc["personas"]}
        members = 0
        for g in doc["groups"]:
            self.assertEqual(len(g["member_persona_ids"]), len(g["member_ids"]), g)
            for pid in g["member_persona_ids"]:
                self.assertIn(pid, names)
                members += 1
        self.assertGreater(members, 0)
        r = run(["--demo"])
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("not among the personas", r.out)
        self.assertIn("Anthony Smith, Terence Adams", r.out)

    def test_demo_strict(self):
        r = run(["--demo", "--strict"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "")
        for name in ("Other Contacts", "Tagged", "Favorites", "MyCustomGroup2",
                     "Anthony Smith", "Terence Adams"):
            self.assertIn(name, r.out)


if __name__ == "__main__":
    clitest.main()
