"""What a server sends back is shown as sent, except the client's secrets.

A hostile or careless server reflects the password it received (in a header
and in a SOAP fault): the --trace file and the error line must show `***` /
stars where it was, in every form the library knows (the password, base64
of user:password, the bearer token), as the README promises (issue 11,
item 7). And masking must never change anything else: the server's request
id survives whole in the error line for secrets of 1 to 8 characters, even
when its end looks like the start of the secret (issue 12, item 4).

The server is clitest.FakeEws on 127.0.0.1."""
import base64
import os
import unittest

import clitest
from clitest import FakeEws, run

USER = "alice@contoso.com"
CANARY = "Refl3cted-Pw-5c2e"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.UmVmbGVjdGVkLXRva2Vu.c2ln"
# ends with "bxy": a prefix of every short secret below
REQUEST_ID = "7c0e5a2f-3d41-4b8e-9a6f-21d3c4e5fbxy"


def basic(user, secret):
    return base64.b64encode(("%s:%s" % (user, secret)).encode()).decode()


def fault(text):
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            '<s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">'
            'a:ErrorAccessDenied</faultcode><faultstring xml:lang="en-US">%s</faultstring>'
            '<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/'
            'errors">ErrorAccessDenied</e:ResponseCode></detail></s:Fault></s:Body></s:Envelope>'
            % text)


class Reflected(unittest.TestCase):
    def setUp(self):
        self.tmp = clitest.ARGS.tmp
        self.secret_file = os.path.join(self.tmp, "cli-reflected-secret-%d" % os.getpid())
        self.trace = os.path.join(self.tmp, "cli-reflected-trace-%d" % os.getpid())

    def tearDown(self):
        for p in (self.secret_file, self.trace):
            if os.path.exists(p):
                os.unlink(p)

    def write_secret(self, text):
        with open(self.secret_file, "w") as f:
            f.write(text)
        os.chmod(self.secret_file, 0o600)

    def read_trace(self):
        with open(self.trace, encoding="utf-8", errors="replace") as f:
            return f.read()

    def call_basic(self, secret, body, headers, trace=True):
        self.write_secret(secret)
        args = ["--url", None, "--insecure-http", "--user", USER, "--auth", "basic",
                "--password-file", self.secret_file]
        if trace:
            args += ["--trace", self.trace]
        with FakeEws(body, USER, secret, status=500, headers=headers) as srv:
            args[1] = srv.url
            return run(args)

    def test_password_reflected_in_header_and_body(self):
        b64 = basic(USER, CANARY)
        text = "Access denied for %s:%s (Basic %s)" % (USER, CANARY, b64)
        r = self.call_basic(CANARY, fault(text),
                            {"X-Echo": "you sent %s and Basic %s" % (CANARY, b64)})
        self.assertEqual(r.rc, 4, r)
        trace = self.read_trace()
        for form in (CANARY, b64):
            for where, t in (("trace", trace), ("stderr", r.err), ("stdout", r.out)):
                self.assertNotIn(form, t, "secret in %s" % where)
        # the reflected parts are there, masked, in the header and in the body
        self.assertIn("X-Echo: you sent *** and Basic ***", trace)
        self.assertIn("Access denied for %s:*** (Basic ***)" % USER, trace)
        # the rest of the answer is untouched
        self.assertIn("<e:ResponseCode xmlns:e=", trace)
        self.assertIn("ErrorAccessDenied", r.err)

    def test_token_reflected_in_header_and_body(self):
        self.write_secret(TOKEN)
        body = fault("token %s is not valid here" % TOKEN)
        with FakeEws(body, token=TOKEN, status=500,
                     headers={"X-Echo": "Bearer " + TOKEN}) as srv:
            r = run(["--url", srv.url, "--insecure-http", "--token-file", self.secret_file,
                     "--trace", self.trace])
        self.assertEqual(r.rc, 4, r)
        trace = self.read_trace()
        self.assertNotIn(TOKEN, trace)
        self.assertNotIn(TOKEN, r.err)
        self.assertIn("X-Echo: Bearer ***", trace)
        self.assertIn("token *** is not valid here", trace)

    def test_request_id_survives_short_secrets(self):
        for n in range(1, 9):
            secret = ("bxyzwvut")[:n]
            with self.subTest(secret_length=n):
                r = self.call_basic(secret, fault("Denied for [%s]." % secret),
                                    {"request-id": REQUEST_ID}, trace=False)
                self.assertEqual(r.rc, 4, r)
                lines = r.err_lines()
                self.assertEqual(len(lines), 1, r)
                self.assertIn("request-id " + REQUEST_ID, lines[0])
                # where the secret appears whole, it is still masked
                self.assertIn("[%s]" % ("*" * n), lines[0])
                self.assertNotIn("[%s]" % secret, lines[0])


if __name__ == "__main__":
    clitest.main()
