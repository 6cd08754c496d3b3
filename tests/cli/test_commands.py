"""The commands that change the IM list (group, contact, dl) and items,
against ews-mock-server serving a mailbox file: what each prints as text and
as JSON, what the list shows afterwards, and how a refusal is reported."""
import json
import os
import re
import time
import unittest

import clitest
from clitest import MockServer, run

EMPTY = ('<?xml version="1.0" encoding="utf-8"?>\n'
         '<ImItemList xmlns="http://schemas.microsoft.com/exchange/services/2006/types"/>\n')
ADDED = re.compile(r'^Added (?:group|contact|telephone contact|distribution group) '
                   r'"[^"]*"(?: <[^>]*>)? \(id ([A-Za-z0-9+/=]+)\)')


class Commands(unittest.TestCase):
    def setUp(self):
        if not clitest.ARGS.mock_server:
            self.skipTest("ews-mock-server is not built")
        self.mailbox = os.path.join(clitest.ARGS.tmp, "mailbox-%s-%d.xml" % (
            self._testMethodName, time.monotonic_ns()))
        with open(self.mailbox, "w") as f:
            f.write(EMPTY)
        self.server = MockServer("--mailbox", "me@contoso.com=" + self.mailbox)
        self.server.__enter__()

    def tearDown(self):
        self.server.__exit__(None, None, None)

    def cli(self, *args):
        return run(["--url", self.server.url, "--insecure-http"] + list(args))

    def ok(self, *args):
        r = self.cli(*args)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)
        return r

    def refused(self, code, *args):
        """Exit 4, nothing on stdout, one line naming the ResponseCode."""
        r = self.cli(*args)
        self.assertEqual(r.rc, 4, r)
        self.assertEqual(r.out, "", r)
        lines = r.err_lines()
        self.assertEqual(len(lines), 1, r)
        # ews-imlist: OPERATION: text (HTTP 200, CODE, request-id ...)
        self.assertRegex(lines[0], r"^ews-imlist: [A-Za-z]+: .*\(HTTP 200, %s, request-id "
                         % code, r)

    def added_id(self, *args):
        line = self.ok(*args).out
        m = ADDED.match(line)
        self.assertIsNotNone(m, line)
        self.assertEqual(line.count("\n"), 1, line)
        return m.group(1)

    def listing(self):
        return self.ok("list", "--json").json()

    def test_groups(self):
        gid = self.added_id("group", "add", "Friends")
        self.assertTrue(gid.startswith("AAMk"), gid)
        doc = self.ok("group", "add", "Work", "--json").json()
        wid = doc["store_id"]["id"]
        # the created group has exactly the shape of the list's entries
        listed = {g["store_id"]["id"]: g for g in self.listing()["groups"]}
        self.assertEqual(doc, listed[wid])
        self.assertEqual(listed[gid]["display_name"], "Friends")
        self.assertEqual(listed[gid]["group_type"], "IPM.DistList.MOC.UserGroup")

        r = self.ok("group", "rename", gid, "Close friends")
        self.assertEqual(r.out, 'Renamed group %s to "Close friends"\n' % gid)
        self.assertEqual(self.ok("group", "rename", wid, "Job", "--json").json(), {})
        names = sorted(g["display_name"] for g in self.listing()["groups"])
        self.assertEqual(names, ["Close friends", "Job"])
        self.refused("ErrorImGroupDisplayNameAlreadyExists", "group", "add", "job")

        r = self.ok("group", "remove", gid)
        self.assertEqual(r.out, "Removed group %s\n" % gid)
        self.assertEqual([g["display_name"] for g in self.listing()["groups"]], ["Job"])
        self.refused("ErrorInvalidImGroupId", "group", "remove", gid)
        self.refused("ErrorInvalidIdMalformed", "group", "rename", "no such id", "X")

    def test_contacts(self):
        gid = self.added_id("group", "add", "Friends")
        other = self.added_id("group", "add", "Others")
        doc = self.ok("contact", "add", gid, "sip:bob@contoso.com", "--name", "Bob Example",
                      "--json").json()
        pid = doc["persona_id"]
        self.assertEqual(doc["display_name"], "Bob Example")
        self.assertEqual(doc["im_addresses"], ["sip:bob@contoso.com"])
        self.assertEqual(doc["email_address"], "bob@contoso.com")
        listed = self.listing()
        self.assertEqual(listed["personas"], [doc])
        by_id = {g["store_id"]["id"]: g for g in listed["groups"]}
        self.assertEqual(by_id[gid]["member_persona_ids"], [pid])

        line = self.ok("contact", "add", other, "--existing", pid).out
        self.assertEqual(line, "Added contact %s to group %s\n" % (pid, other))
        carol = self.added_id("contact", "add", other, "carol@contoso.com")
        by_id = {g["store_id"]["id"]: g for g in self.listing()["groups"]}
        self.assertEqual(by_id[other]["member_persona_ids"], [pid, carol])

        r = self.ok("contact", "remove", pid, "--group", gid)
        self.assertEqual(r.out, "Removed contact %s from group %s\n" % (pid, gid))
        self.refused("ErrorUnableToRemoveImContactFromGroup",
                     "contact", "remove", pid, "--group", gid)
        self.assertEqual(self.ok("contact", "remove", pid, "--json").json(), {})
        listed = self.listing()
        self.assertEqual([p["persona_id"] for p in listed["personas"]], [carol])
        by_id = {g["store_id"]["id"]: g for g in listed["groups"]}
        self.assertEqual(by_id[other]["member_persona_ids"], [carol])
        self.refused("ErrorItemNotFound", "contact", "remove", pid)
        self.refused("ErrorInvalidImContactId", "contact", "add", gid, "--existing", pid)
        self.refused("ErrorInvalidImGroupId", "contact", "add", "AAMkNoSuchGroup=",
                     "x@contoso.com")

    def test_telephone_contact(self):
        gid = self.added_id("group", "add", "Phones")
        doc = self.ok("contact", "add-tel", gid, "tel:+14255550100", "--json").json()
        self.assertEqual(doc["phones"], [{"number": "+14255550100", "type": "Other"}])
        r = self.ok("contact", "add-tel", gid, "tel:5625550100", "--sip",
                    "sip:john@contoso.com", "--number", "5625550100")
        self.assertRegex(r.out, r'^Added telephone contact "5625550100" \(id AAQk')
        self.refused("ErrorItemNotFound", "contact", "add-tel", "AAMkNoSuchGroup=", "tel:1")

    def test_distribution_groups(self):
        doc = self.ok("dl", "add", "sales@contoso.com", "--name", "Sales", "--json").json()
        self.assertEqual(doc["group_type"], "IPM.DistList.MOC.DG")
        self.assertEqual(doc["smtp_address"], "sales@contoso.com")
        self.assertEqual(doc["display_name"], "Sales")
        line = self.ok("dl", "add", "team@contoso.com").out
        self.assertRegex(line, r'^Added distribution group "team@contoso.com" '
                               r'<team@contoso.com> \(id AAMk')
        self.refused("ErrorInvalidImDistributionGroupSmtpAddress", "dl", "add", "nobody")
        did = doc["store_id"]["id"]
        self.refused("ErrorInvalidImGroupId", "group", "remove", did)
        self.assertEqual(self.ok("dl", "remove", did).out,
                         "Removed distribution group %s\n" % did)
        self.assertEqual([g["display_name"] for g in self.listing()["groups"]],
                         ["team@contoso.com"])
        self.refused("ErrorItemNotFound", "dl", "remove", did)

    def test_items_and_ids(self):
        gid = self.added_id("group", "add", "Friends")
        self.added_id("group", "add", "Others")
        pid = self.added_id("contact", "add", gid, "dan@contoso.com")
        doc = self.ok("items", "--group", gid, "--persona", pid, "--persona",
                      "AAQkNoSuchPersona=", "--json").json()
        self.assertEqual([g["display_name"] for g in doc["groups"]], ["Friends"])
        self.assertEqual([p["persona_id"] for p in doc["personas"]], [pid])

        text = self.ok("items", "--group", gid, "--persona", pid, "--ids").out
        self.assertRegex(text, r"GROUP +TYPE +MEMBERS +ID\n")
        self.assertRegex(text, r"Friends +User group +dan@contoso.com +%s\n" % re.escape(gid))
        text = self.ok("list", "--ids").out
        self.assertRegex(text, r"NAME +E-MAIL +IM +PHONES +ID\n")
        self.assertIn(pid, text)
        # without --ids, the tables stay as they were
        self.assertNotIn(pid, self.ok("list").out)

    def test_names_cannot_drive_the_terminal(self):
        # XML cannot carry C0 controls (the library refuses them before
        # sending); a bidirectional override it can, and C1 controls
        evil = "Evil\u202e\u009b2J"
        line = self.ok("group", "add", evil).out
        self.assertTrue(line.startswith('Added group "Evil??2J" (id AAMk'), line)
        self.assertEqual(self.listing()["groups"][0]["display_name"], evil)
        r = self.cli("group", "add", "B\x07ell")
        self.assertEqual(r.rc, 2, r)
        out = self.ok("list").out
        self.assertIn("Evil??2J", out)
        self.assertNotIn("\u202e", out)


class Demo(unittest.TestCase):
    """--demo runs every command against a fresh copy of the demo mailbox."""

    def test_change_lasts_for_one_command(self):
        r = run(["group", "add", "Friends"])
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.out, r'^Added group "Friends" \(id AAMk')
        r = run(["--demo", "--json"])
        self.assertEqual(len(r.json()["groups"]), 4)
        r = run(["--demo", "group", "remove", "AAMkAGQ1MjJjKAAA="])
        self.assertEqual(r.rc, 0, r)


if __name__ == "__main__":
    clitest.main()
