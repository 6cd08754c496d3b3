"""ews-imlist --from-file over the GetImItemList fixtures: exit codes, the
error line, the tables, the JSON field by field, and --strict."""
import os
import unicodedata
import unittest
import xml.etree.ElementTree as ET

import clitest
from clitest import run, fixture

# What each known fixture must give: (lenient exit, strict exit, stderr needle).
# A fixture added later that is not listed here is still run, and must give
# an exit status the tool documents, with exactly one stderr line on failure.
EXPECTED = {
    "reference-http": (0, 6, None),
    "reference-https": (0, 6, None),
    "schema-valid": (0, 0, None),
    "join": (0, 0, None),
    "warning": (0, 0, "warning: GetImItemList: Only part of the list"),
    "unknown-persona-element": (0, 6, None),
    "fault-incorrect-schema-version": (4, 4, "GetImItemList: The request is valid"),
    "server-busy-fault": (4, 4, "ErrorServerBusy"),
    "unknown-response-code": (4, 4, "GetImItemList: A failure this client has never"),
    "malformed": (6, 6, None),
    "truncated": (6, 6, None),
    "empty-body": (6, 6, None),
    "html-error-page": (6, 6, None),
    "wrong-namespace": (6, 6, None),
    # refused rather than read with elements silently lost or changed
    "text-between-elements": (6, 6, "text beside child elements"),
    "text-before-group": (6, 6, "text beside child elements"),
    "cdata-between-elements": (6, 6, "text beside child elements"),
    "comments-between-elements": (0, 0, None),
    "long-prefix": (6, 6, "a name longer than the parser reads"),
    "element-in-text": (6, 6, "text beside child elements"),
    "element-only-in-text": (6, 6, "an element inside the text field 't:DisplayName'"),
    "namespace-case": (6, 6, "2006/Types"),
    "schema-valid-https": (0, 6, None),
    "error-noerror": (4, 4, "NoError"),
    "fault-noerror": (4, 4, "NoError"),
}

DOCUMENTED = {0, 1, 2, 3, 4, 5, 6, 7}

T = "{http://schemas.microsoft.com/exchange/services/2006/types}"


def local(tag):
    return tag.rsplit("}", 1)[-1]


def xml_groups(path):
    """(display name, group type, store id, member ids) of each ImGroup, read
    with ElementTree: an independent reading to compare the tool with."""
    root = ET.parse(path).getroot()
    out = []
    for g in root.iter():
        if local(g.tag) != "ImGroup":
            continue
        rec = {"display_name": None, "group_type": None, "store_id": None, "member_ids": []}
        for c in g:
            n = local(c.tag)
            if n == "DisplayName":
                rec["display_name"] = c.text or ""
            elif n == "GroupType":
                rec["group_type"] = c.text or ""
            elif n == "ExchangeStoreId":
                rec["store_id"] = {"id": c.get("Id"), "change_key": c.get("ChangeKey")}
            elif n == "MemberCorrelationKey":
                rec["member_ids"] = [i.get("Id") for i in c if local(i.tag) == "ItemId"]
        out.append(rec)
    return out


def xml_personas(path):
    root = ET.parse(path).getroot()
    out = []
    for p in root.iter():
        if local(p.tag) != "Persona":
            continue
        rec = {"persona_id": None, "display_name": None, "creation_time": None}
        for c in p:
            n = local(c.tag)
            if n == "PersonaId":
                rec["persona_id"] = c.get("Id")
            elif n == "DisplayName":
                rec["display_name"] = c.text or ""
            elif n == "CreationTime":
                rec["creation_time"] = c.text
        out.append(rec)
    return out


class FromFile(unittest.TestCase):
    def test_fixtures_present(self):
        cases = clitest.fixture_cases()
        if not cases:
            self.skipTest("no fixtures under %s/GetImItemList" % clitest.ARGS.fixtures)
        for must in ("reference-http", "schema-valid"):
            self.assertIn(must, cases)

    def test_every_fixture(self):
        cases = clitest.fixture_cases()
        if not cases:
            self.skipTest("no GetImItemList fixtures")
        # under valgrind two of the four combinations cover every code path
        # at half the cost
        combos = [(False, False), (False, True), (True, False), (True, True)]
        if clitest.wrapped():
            combos = [(False, True), (True, False)]
        for case in cases:
            for strict, js in combos:
                with self.subTest(case=case, strict=strict, json=js):
                    self.check_case(case, strict, js)

    def check_case(self, case, strict, js):
        args = ["--from-file", fixture(case)] + (["--strict"] if strict else []) + \
               (["--json"] if js else [])
        r = run(args)
        self.assertIn(r.rc, DOCUMENTED, r)
        exp = EXPECTED.get(case)
        if exp:
            want_rc = exp[1] if strict else exp[0]
            self.assertEqual(r.rc, want_rc, r)
            if exp[2]:
                self.assertIn(exp[2], r.err, r)
        if r.rc != 0:
            self.assertEqual(r.out, "", r)
            lines = r.err_lines()
            self.assertEqual(len(lines), 1, r)
            self.assertTrue(lines[0].startswith("ews-imlist: "), r)
            return
        if js:
            doc = r.json()
            self.assertEqual([g["display_name"] for g in doc["groups"]],
                             [g["display_name"] for g in xml_groups(fixture(case))])
        if not [l for l in r.err_lines() if "warning:" in l]:
            self.assertEqual(r.err, "", r)
        if js:
            self.compare_with_xml(case, doc)

    def compare_with_xml(self, case, doc):
        path = fixture(case)
        groups = xml_groups(path)
        self.assertEqual(len(doc["groups"]), len(groups))
        for got, want in zip(doc["groups"], groups):
            for k in ("display_name", "group_type", "store_id", "member_ids"):
                self.assertEqual(got[k], want[k], "%s: group %s" % (case, k))
        personas = xml_personas(path)
        self.assertEqual(len(doc["personas"]), len(personas))
        for got, want in zip(doc["personas"], personas):
            for k in want:
                self.assertEqual(got[k], want[k], "%s: persona %s" % (case, k))

    # ---- the reference example, field by field -------------------------

    def test_reference_json(self):
        for case in ("reference-http", "reference-https"):
            with self.subTest(case=case):
                r = run(["--from-file", fixture(case), "--json"])
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(r.err, "")
                clitest.check_reference_json(self, r.json())

    def test_reference_text(self):
        r = run(["--from-file", fixture("reference-http")])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Server: Exchange2013 (15.0.349.0)", r.out)
        clitest.check_reference_text(self, r.out)

    def test_stdin(self):
        with open(fixture("reference-http"), "rb") as f:
            r = run(["--from-file", "-", "--json"], stdin=f.read())
        self.assertEqual(r.rc, 0, r)
        clitest.check_reference_json(self, r.json())

    def test_strict_names_email_addresses(self):
        r = run(["--from-file", fixture("reference-http"), "--strict"])
        self.assertEqual(r.rc, 6, r)
        self.assertEqual(r.out, "")
        self.assertEqual(len(r.err_lines()), 1, r)
        self.assertIn("EmailAddresses/EmailAddress", r.err)
        # lenient mode keeps the addresses given under that spelling
        r = run(["--from-file", fixture("reference-http"), "--json"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual([p["email_addresses"] for p in r.json()["personas"]],
                         [["tsmith@contoso.com"], ["tadams@contoso.com"]])

    def test_strict_accepts_schema_valid(self):
        r = run(["--from-file", fixture("schema-valid"), "--strict", "--json"])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["server_version"],
                         {"major": 15, "minor": 1, "major_build": 2507, "minor_build": 6,
                          "version": "V2017_07_11"})
        g = doc["groups"]
        self.assertEqual([x["group_type"] for x in g],
                         ["IPM.DistList.MOC.UserGroup", "IPM.DistList.MOC.DG"])
        self.assertEqual(g[0]["member_persona_ids"], ["PERSONA-ALICE"])
        self.assertEqual(g[1]["store_id"], {"id": "GRP-DL", "change_key": None})
        self.assertEqual(g[1]["smtp_address"], "allstaff@example.com")
        p = doc["personas"][0]
        self.assertEqual(p["email_address"], "alice@example.com")
        self.assertEqual(p["email_addresses"], ["alice@example.com", "alice@home.example.org"])
        self.assertEqual(p["im_addresses"], ["sip:alice@example.com"])
        self.assertEqual(p["phones"][0], {"number": "+1 425 555 0100", "type": "Business"})
        self.assertIn({"number": "+1 425 555 0101", "type": "Business"}, p["phones"])
        self.assertEqual(p["creation_time"], "2021-03-04T05:06:07.123+01:00")
        self.assertEqual(p["attributions"],
                         [{"id": "0", "source_id": {"id": "SRC-ALICE", "change_key": "CK-A"},
                           "display_name": "Outlook", "is_writable": None,
                           "is_quick_contact": None, "is_hidden": None}])

    def test_strict_refuses_https_namespaces(self):
        r = run(["--from-file", fixture("schema-valid-https"), "--strict"])
        self.assertEqual(r.rc, 6, r)
        self.assertEqual(r.out, "")
        self.assertEqual(len(r.err_lines()), 1, r)
        self.assertIn("namespace 'https://schemas.microsoft.com/exchange/services/2006/", r.err)
        r = run(["--from-file", fixture("schema-valid-https"), "--json"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual([p["display_name"] for p in r.json()["personas"]], ["Alice Example"])

    def test_strict_rejects_unknown_element(self):
        r = run(["--from-file", fixture("unknown-persona-element"), "--strict"])
        self.assertEqual(r.rc, 6, r)
        self.assertEqual(len(r.err_lines()), 1, r)
        r = run(["--from-file", fixture("unknown-persona-element")])
        self.assertEqual(r.rc, 0, r)

    def test_join(self):
        r = run(["--from-file", fixture("join"), "--json"])
        self.assertEqual(r.rc, 0, r)
        g = {x["display_name"]: x["member_persona_ids"] for x in r.json()["groups"]}
        self.assertEqual(g, {"Favorites": ["P-ANN", "P-BEA"], "Tagged": ["P-BEA", "P-ANN"],
                             "Strangers": [], "Other Contacts": []})
        r = run(["--from-file", fixture("join")])
        self.assertEqual(r.rc, 0, r)
        rows = {l.split()[0]: l for l in r.out.splitlines() if l.startswith("  ")}
        self.assertIn("Ann, Bea, +1 member not among the personas", rows["Favorites"])
        self.assertIn("Bea, Ann", rows["Tagged"])
        self.assertIn("1 member not among the personas", rows["Strangers"])

    def test_warning_keeps_data(self):
        r = run(["--from-file", fixture("warning"), "--json"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual([g["display_name"] for g in r.json()["groups"]], ["Other Contacts"])
        self.assertEqual(len(r.err_lines()), 1, r)
        self.assertTrue(r.err.startswith("ews-imlist: warning: GetImItemList: "), r)
        self.assertIn("ErrorBatchProcessingStopped", r.err)

    def test_fault_line(self):
        r = run(["--from-file", fixture("fault-incorrect-schema-version")])
        self.assertEqual(r.rc, 4, r)
        # ews-imlist: OPERATION: what happened (details with the EWS code)
        self.assertRegex(r.err, r"^ews-imlist: GetImItemList: The request is valid "
                                r"but does not specify the correct server version[^\n]*"
                                r"\(ErrorIncorrectSchemaVersion\)\n$")

    def test_own_cases(self):
        for name, want_rc in (("empty.xml", 6), ("not-xml.txt", 6), ("escapes.xml", 0),
                              ("terminal-attack.xml", 0)):
            with self.subTest(name=name):
                r = run(["--from-file", clitest.cli_fixture(name)])
                self.assertEqual(r.rc, want_rc, r)

    def test_xml_escapes_decoded(self):
        r = run(["--from-file", clitest.cli_fixture("escapes.xml"), "--json"])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["server_version"], None)
        self.assertEqual(doc["groups"][0]["display_name"], 'R&D <"core"> \'team\'')
        p = doc["personas"][0]
        self.assertEqual(p["display_name"], "Zoë Ångström 李小龙")
        self.assertEqual(p["given_name"], "Zoë")
        self.assertEqual(p["surname"], None)
        self.assertEqual(p["email_address"], "zoe@example.com")
        self.assertEqual(p["email_addresses"], [])
        self.assertEqual(p["phones"], [])
        self.assertEqual(p["creation_time"], None)

    def test_text_width_alignment(self):
        r = run(["--from-file", clitest.cli_fixture("escapes.xml")])
        self.assertEqual(r.rc, 0, r)
        lines = [l for l in r.out.splitlines()
                 if l.startswith(("  NAME", "  Zo", "  Bob"))]
        self.assertEqual(len(lines), 3, r.out)

        def width(s):
            return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
        # the e-mail column starts at the same display column in every row,
        # though the CJK name is longer in bytes and in characters
        starts = set()
        for l in lines:
            key = next(k for k in ("E-MAIL", "zoe@", "bob@") if k in l)
            starts.add(width(l[:l.index(key)]))
        self.assertEqual(len(starts), 1, r.out)

    def test_terminal_attack_masked(self):
        r = run(["--from-file", clitest.cli_fixture("terminal-attack.xml")])
        self.assertEqual(r.rc, 0, r)
        for bad in ("\x9b", "\u202e", "\t"):
            self.assertNotIn(bad, r.out)
        self.assertIn("  Mallory?2J?evil?line  ", r.out)
        self.assertIn("  Ring??31m  ", r.out)
        # JSON keeps the data exactly (escaped by the JSON encoder)
        r = run(["--from-file", clitest.cli_fixture("terminal-attack.xml"), "--json"])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["personas"][0]["display_name"], "Mallory\x9b2J\u202eevil\nline")
        self.assertEqual(doc["groups"][0]["display_name"], "Ring\t\x9b31m")

    def test_oversized_input(self):
        big = os.path.join(clitest.ARGS.tmp, "cli-big.xml")
        with open(big, "wb") as f:
            f.truncate((32 << 20) + 10)
        r = run(["--from-file", big])
        os.unlink(big)
        self.assertEqual(r.rc, 6, r)
        self.assertIn("response limit", r.err)


if __name__ == "__main__":
    clitest.main()
