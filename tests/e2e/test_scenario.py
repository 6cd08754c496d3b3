"""A user's session with ews-imlist against ews-mock-server serving a mailbox
file: create a group, add two contacts and a distribution group, rename the
group, list, remove a contact, remove the group, list again; then restart
the server (and once kill it) and find nothing lost."""
import unittest

from e2e import clitest, new_mailbox, read_mailbox
from clitest import MockServer, run

OLD_GROUP = ("Colleagues", "AAMkExistingGroup0001=")
OLD_PERSONA = ("AAQkExistingPersona0001=", "Olga Old")


class Scenario(unittest.TestCase):
    def setUp(self):
        if not clitest.ARGS.mock_server:
            self.skipTest("ews-mock-server is not built")
        self.file = new_mailbox("scenario", [OLD_GROUP], [OLD_PERSONA])

    def cli(self, url, *args):
        r = run(["--url", url, "--insecure-http", "--json"] + list(args))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err, "", r)
        return r.json()

    def test_session(self):
        server = MockServer("--mailbox", "me@contoso.com=" + self.file)
        with server:
            url = server.url
            gid = self.cli(url, "group", "add", "Project X")["store_id"]["id"]
            alice = self.cli(url, "contact", "add", gid, "sip:alice@contoso.com",
                             "--name", "Alice Example")["persona_id"]
            bob = self.cli(url, "contact", "add", gid, "bob@contoso.com")["persona_id"]
            dl = self.cli(url, "dl", "add", "team@contoso.com", "--name", "Team")
            self.assertEqual(self.cli(url, "group", "rename", gid, "Project Y"), {})

            listed = self.cli(url, "list")
            groups = {g["display_name"]: g for g in listed["groups"]}
            self.assertEqual(sorted(groups), ["Colleagues", "Project Y", "Team"])
            self.assertEqual(groups["Project Y"]["store_id"]["id"], gid)
            self.assertEqual(groups["Project Y"]["member_persona_ids"], [alice, bob])
            self.assertEqual(groups["Team"]["group_type"], "IPM.DistList.MOC.DG")
            self.assertEqual(groups["Team"]["smtp_address"], "team@contoso.com")
            names = {p["persona_id"]: p["display_name"] for p in listed["personas"]}
            self.assertEqual(names, {OLD_PERSONA[0]: OLD_PERSONA[1], alice: "Alice Example",
                                     bob: "bob@contoso.com"})

            self.assertEqual(self.cli(url, "contact", "remove", alice), {})
            self.assertEqual(self.cli(url, "group", "remove", gid), {})
            after = self.cli(url, "list")
            self.assertEqual(sorted(g["display_name"] for g in after["groups"]),
                             ["Colleagues", "Team"])
            self.assertEqual(sorted(p["persona_id"] for p in after["personas"]),
                             sorted([OLD_PERSONA[0], bob]))
            self.assertEqual(next(g for g in after["groups"] if g["display_name"] == "Team"),
                             dl)
            # the text listing tells the same
            text = run(["--url", url, "--insecure-http", "list"]).out
            self.assertIn("Groups: 2\n", text)
            self.assertIn("Personas: 2\n", text)
            self.assertNotIn("Project", text)

        # the file says so too, read without the mock
        on_disk = read_mailbox(self.file)
        self.assertEqual(on_disk["groups"], [OLD_GROUP, ("Team", dl["store_id"]["id"])])
        self.assertEqual(on_disk["personas"], [OLD_PERSONA[0], bob])

        # a new server over the file: nothing lost
        with MockServer("--mailbox", "me@contoso.com=" + self.file) as server:
            self.assertEqual(self.cli(server.url, "list"), after)
            # acknowledged is written: a change survives SIGKILL right after
            bob2 = self.cli(server.url, "contact", "add", OLD_GROUP[1],
                            "bob@contoso.com")["persona_id"]
            self.assertEqual(bob2, bob)
            listed = self.cli(server.url, "list")
            server.kill()
        with MockServer("--mailbox", "me@contoso.com=" + self.file) as server:
            self.assertEqual(self.cli(server.url, "list"), listed)
            group = next(g for g in listed["groups"] if g["display_name"] == "Colleagues")
            self.assertEqual(group["member_persona_ids"], [bob])


if __name__ == "__main__":
    clitest.main()
