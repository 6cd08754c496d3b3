"""ews-imlist: command-line handling that needs no server (exit 2 cases,
--help, --version)."""
import unittest

import clitest
from clitest import run


class Usage(unittest.TestCase):
    def usage_error(self, args, *needles, **kw):
        r = run(args, **kw)
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.out, "", r)
        lines = r.err_lines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("ews-imlist: "), r)
        for n in needles:
            self.assertIn(n, lines[0], r)
        return lines[0]

    def test_help(self):
        for flag in ("--help", "-h"):
            r = run([flag])
            self.assertEqual(r.rc, 0, r)
            self.assertIn("Usage: ews-imlist", r.out)
            for opt in ("--url", "--user", "--auth", "--password-file", "--token-file",
                        "--impersonate", "--culture", "--server-version", "--cafile",
                        "--channel-binding", "--timeout", "--retries", "--insecure-http", "--json", "--trace",
                        "--from-file", "--strict", "--demo", "--version"):
                self.assertIn(opt, r.out)
            # the no-argument behaviour is documented
            self.assertIn("Without --url and --from-file it runs as --demo", r.out)
            self.assertEqual(r.err, "")

    def test_version(self):
        r = run(["--version"])
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.out, r"^ews-imlist \d+\.\d+\.\d+ \(ews-c library \d+\.\d+\.\d+\)\n$")

    def test_unknown_option(self):
        self.usage_error(["--frobnicate"], "unknown option", "--frobnicate")

    def test_unknown_option_value_not_echoed(self):
        # a mistyped option may carry a secret; only its name is repeated
        line = self.usage_error(["--pasword=Sekr1t-canary"], "--pasword")
        self.assertNotIn("Sekr1t-canary", line)

    def test_positional_argument(self):
        self.usage_error(["https://mail.contoso.com/EWS/Exchange.asmx"], "unexpected argument")

    def test_password_option_rejected(self):
        for args in (["--password", "hunter2-canary"], ["--password=hunter2-canary"],
                     ["--url", "https://mail.contoso.com/EWS/Exchange.asmx", "--user", "u",
                      "--password", "hunter2-canary"]):
            line = self.usage_error(args, "--password is not accepted", "--password-file")
            self.assertNotIn("hunter2-canary", line)

    def test_bad_impersonate(self):
        base = ["--url", "https://mail.contoso.com/EWS/Exchange.asmx"]
        for form in ("bob@contoso.com", "email:bob@contoso.com", "primary:", "sid", ":x"):
            self.usage_error(base + ["--impersonate", form], "--impersonate",
                             "primary:ADDRESS")

    def test_good_impersonate_forms_parse(self):
        # accepted by the parser: the run then fails for want of a password,
        # which is a different usage error naming the password sources
        for form in ("primary:bob@contoso.com", "smtp:bob@contoso.com",
                     "upn:bob@contoso.com", "sid:S-1-5-21-1-2-3-1001"):
            self.usage_error(["--url", "https://mail.contoso.com/EWS/Exchange.asmx",
                              "--user", "alice", "--impersonate", form],
                             "no password", "--password-file")

    def test_bad_auth(self):
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx", "--auth", "kerberos"],
                         "--auth", "auto, basic, ntlm, negotiate or bearer")
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx", "--auth", ""],
                         "--auth")

    def test_bad_culture(self):
        for tag in ("bad tag!", "en_US", "-en", "en-", "toolongtag-US", "1en"):
            self.usage_error(["--demo", "--culture", tag], "--culture", "en-US")

    def test_missing_value(self):
        self.usage_error(["--url"], "--url needs a value")

    def test_flag_with_value(self):
        self.usage_error(["--json=yes"], "--json takes no value")

    def test_bad_numbers(self):
        base = ["--url", "https://x.invalid/EWS/Exchange.asmx"]
        for v in ("-1", "abc", "1e3", "999999", "5s"):
            self.usage_error(base + ["--timeout", v], "--timeout")
        for v in ("-1", "x", "101"):
            self.usage_error(base + ["--retries", v], "--retries")

    def test_bad_server_version(self):
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx",
                          "--server-version", "Exchange1999"], "--server-version")

    def test_plain_http_needs_insecure_flag(self):
        self.usage_error(["--url", "http://127.0.0.1:1/EWS/Exchange.asmx"],
                         "--insecure-http")

    def test_channel_binding(self):
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx",
                          "--channel-binding", "sometimes"], "--channel-binding",
                         "auto, require or off")
        self.usage_error(["--demo", "--channel-binding", "off"],
                         "--channel-binding does not apply to --demo")
        self.usage_error(["--from-file", "x.xml", "--channel-binding", "off"],
                         "--channel-binding does not apply to --from-file")
        # Required, but nothing to bind to: the library's reason, before any
        # connection is made (port 1 would refuse it).
        self.usage_error(["--url", "http://127.0.0.1:1/EWS/Exchange.asmx", "--insecure-http",
                          "--user", "CONTOSO\\alice", "--auth", "ntlm",
                          "--channel-binding", "require"],
                         "channel binding is required", "http://",
                         env={"EWS_PASSWORD": "pw-canary-9"})

    def test_conflicting_sources(self):
        self.usage_error(["--from-file", "x.xml", "--url", "https://x.invalid/"],
                         "--from-file cannot be combined with --url")
        self.usage_error(["--demo", "--url", "https://x.invalid/"], "--demo")
        self.usage_error(["--from-file", "x.xml", "--user", "alice"],
                         "--user does not apply to --from-file")
        self.usage_error(["--user", "alice"], "--user does not apply to --demo",
                         "did you forget --url")

    def test_no_password_without_terminal(self):
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx", "--user", "alice",
                          "--auth", "basic"], "no password", "EWS_PASSWORD")

    def test_unreadable_password_file(self):
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx", "--user", "alice",
                          "--password-file", "/nonexistent/pw"], "password file",
                         "/nonexistent/pw")

    def test_bearer_needs_token(self):
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx", "--auth", "bearer"],
                         "--token-file", "EWS_TOKEN")
        self.usage_error(["--url", "https://x.invalid/EWS/Exchange.asmx",
                          "--token-file", "/nonexistent/token"], "token file")

    def test_missing_from_file(self):
        self.usage_error(["--from-file", "/nonexistent/response.xml"], "/nonexistent")

    def test_unwritable_trace(self):
        self.usage_error(["--from-file", clitest.fixture("schema-valid"), "--trace",
                          "/nonexistent/dir/trace"], "--trace does not apply")
        self.usage_error(["--demo", "--trace", "/nonexistent/dir/trace"], "--trace",
                         "/nonexistent/dir/trace")


class CommandUsage(unittest.TestCase):
    """The commands' words, operands and options, checked before any call."""

    usage_error = Usage.usage_error

    def test_help_lists_commands(self):
        out = run(["--help"]).out
        for words in ("list", "items", "group add NAME", "group rename GROUP-ID NAME",
                      "group remove GROUP-ID", "contact add GROUP-ID IM-ADDRESS",
                      "--existing PERSONA-ID", "contact add-tel GROUP-ID TEL-URI",
                      "contact remove PERSONA-ID [--group GROUP-ID]",
                      "dl add SMTP-ADDRESS [--name NAME]", "dl remove GROUP-ID", "--ids"):
            self.assertIn(words, out)

    def test_unknown_words(self):
        self.usage_error(["frobnicate"], "unexpected argument 'frobnicate'", "commands: list")
        self.usage_error(["group"], "group: expected add, rename or remove")
        self.usage_error(["group", "delete", "X"], "expected add, rename or remove, not 'delete'")
        self.usage_error(["contact", "list"], "contact: expected add, add-tel or remove")
        self.usage_error(["dl"], "dl: expected add or remove")

    def test_operand_counts(self):
        self.usage_error(["group", "add"], "group add: expected NAME")
        self.usage_error(["group", "add", "a", "b"], "group add: expected NAME")
        self.usage_error(["group", "rename", "ID"], "group rename: expected GROUP-ID NAME")
        self.usage_error(["contact", "add", "G"], "contact add: expected GROUP-ID IM-ADDRESS")
        self.usage_error(["contact", "add", "G", "x@y", "--existing", "P"],
                         "contact add: expected GROUP-ID")
        self.usage_error(["list", "extra"], "list: expected no operands")
        self.usage_error(["group", "add", ""], "an operand is empty")

    def test_options_belong_to_commands(self):
        self.usage_error(["group", "add", "X", "--persona", "P"],
                         "--persona does not apply to the group add command")
        self.usage_error(["dl", "remove", "G", "--name", "N"],
                         "--name does not apply to the dl remove command")
        self.usage_error(["group", "add", "X", "--ids"], "--ids does not apply")
        self.usage_error(["contact", "remove", "P", "--group", "A", "--group", "B"],
                         "one --group at a time")
        self.usage_error(["contact", "add", "G", "--existing", "P", "--name", "N"],
                         "--name does not apply to --existing")
        self.usage_error(["items"], "items: give the ids")
        self.usage_error(["items"] + ["--group=G"] * 101, "--group: at most 100")

    def test_tel_uri(self):
        self.usage_error(["contact", "add-tel", "G", "4255550100"], "must be a tel: URI")

    def test_commands_need_a_server(self):
        self.usage_error(["--from-file", clitest.fixture("schema-valid"), "group", "add", "X"],
                         "the group add command needs --url or --demo")

    def test_words_among_options(self):
        # the command may stand anywhere among the options
        r = run(["--json", "list", "--demo"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()["groups"]), 4)


class Options(unittest.TestCase):
    """getopt_long's conventions as the tool keeps them: short options alone,
    attached or clustered, '--', and one message naming the option (never
    its value) for an unknown one, a missing value or an abbreviation."""

    ENV = ("EWS_URL", "EWS_EMAIL", "EWS_USER", "EWS_AUTH")

    def usage_error(self, args, *needles):
        return Usage.usage_error(self, args, *needles, drop_env=self.ENV)

    def test_short_options_reach_their_long_ones(self):
        # each refusal names the long option the letter stands for
        for args in (["-u", "alice"], ["-ualice"], ["-vu", "alice"], ["-v", "-ualice"]):
            self.usage_error(args, "--user does not apply to --demo")
        self.usage_error(["-j", "2"], "--jobs does not apply to the list command")
        self.usage_error(["-o", "out.ndjson"], "--output does not apply to the list command")
        # the value is checked as the long option's
        self.usage_error(["export", "--mailboxes", "-", "-j0"], "--jobs: expected a number")
        self.usage_error(["export", "--mailboxes", "-", "-j", "65"], "--jobs: expected a number")
        # a required value is the next word even when it starts with '-'
        self.usage_error(["-u", "--json"], "--user does not apply to --demo")
        for args in (["-Vv"], ["-vV"]):
            r = run(args)
            self.assertEqual(r.rc, 0, r)
            self.assertTrue(r.out.startswith("ews-imlist "), r)

    def test_double_dash_ends_options(self):
        # after '--' an option's spelling is a word like any other
        self.usage_error(["--demo", "--", "--json"], "unexpected argument '--json'")
        self.usage_error(["--", "-u", "alice"], "unexpected argument '-u'")
        self.usage_error(["--demo", "group", "add", "--", "-x", "--json"],
                         "group add: expected NAME")
        r = run(["--demo", "--json", "--", "list"], drop_env=self.ENV)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()["groups"]), 4)

    def test_unknown_options(self):
        self.usage_error(["-x"], "unknown option '-x'")
        self.usage_error(["-vx"], "unknown option '-x'")
        self.usage_error(["--demo", "-U", "alice"], "unknown option '-U'")
        self.usage_error(["--frobnicate=x"], "unknown option '--frobnicate'")
        self.usage_error(["---json"], "unknown option '---json'")

    def test_missing_values(self):
        self.usage_error(["-u"], "-u (--user) needs a value")
        self.usage_error(["-vj"], "-j (--jobs) needs a value")
        self.usage_error(["export", "--mailboxes", "-", "-o"], "-o (--output) needs a value")
        self.usage_error(["--demo", "--output"], "--output needs a value")
        self.usage_error(["--password-file"], "--password-file needs a value")
        self.usage_error(["--url="], "--url: empty value")
        self.usage_error(["-u", ""], "--user: empty value")

    def test_no_abbreviations(self):
        # getopt_long alone would take any unique prefix (and an exact name
        # over a longer one); the man page says options are never abbreviated
        for word in ("--jso", "--dem", "--ver", "--no", "--impersonate-k"):
            self.usage_error([word], "unknown option '%s'" % word)
        # a prefix with a value: refused by name, the value not repeated and
        # not taken as --password-file's or --impersonate-kind's
        for args in (["--pass", "pw-canary-1"], ["--password-f=pw-canary-1"],
                     ["--imp=primary:pw-canary-1"]):
            line = self.usage_error(args, "unknown option '%s'" % args[0].split("=")[0])
            self.assertNotIn("pw-canary-1", line)
        # --password itself keeps its own message, with a value or without
        for args in (["--password"], ["--password="], ["-v", "--password", "pw-canary-2"]):
            line = self.usage_error(args, "--password is not accepted")
            self.assertNotIn("pw-canary-2", line)
        # an exact name that begins a longer one is that option
        self.usage_error(["--demo", "--impersonate", "nonsense"], "--impersonate: expected")


if __name__ == "__main__":
    clitest.main()
