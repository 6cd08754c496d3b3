"""ews-mock-server killed (SIGKILL) at random moments while a client keeps
changing a mailbox file: after every kill the file is a whole mailbox
document equal to the state before the last acknowledged change or after
the one in flight, and a new server starts on it and carries on.

E2E_SEED=<n> repeats a run; E2E_KILLS=<n> sets how many kills (default 30).
"""
import http.client
import os
import random
import threading
import time
import unittest

from e2e import clitest, new_mailbox, read_mailbox
from clitest import MockServer

GROUP = "AAMkCrashTestGroup0001="
PERSONAS = 400   # a file of some size, so a kill can land inside a write

ENVELOPE = (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" '
    'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">'
    '<soap:Header><t:RequestServerVersion Version="Exchange2013"/></soap:Header>'
    '<soap:Body><m:SetImGroup><m:GroupId Id="%s"/><m:NewDisplayName>%s</m:NewDisplayName>'
    '</m:SetImGroup></soap:Body></soap:Envelope>')


class Writer(threading.Thread):
    """Renames the group v<n+1>, v<n+2>, ... until the server goes away;
    counts the renames the server acknowledged."""

    def __init__(self, port, first):
        super().__init__(daemon=True)
        self.port, self.next = port, first
        self.acked = 0
        self.error = None

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            while True:
                body = ENVELOPE % (GROUP, "v%d" % self.next)
                conn.request("POST", "/EWS/Exchange.asmx", body.encode(),
                             {"Content-Type": "text/xml; charset=utf-8"})
                answer = conn.getresponse().read().decode()
                if 'ResponseClass="Success"' not in answer:
                    self.error = answer
                    return
                self.acked += 1
                self.next += 1
        except (OSError, http.client.HTTPException):
            return  # the kill


class CrashSafety(unittest.TestCase):
    def test_kill_while_writing(self):
        if not clitest.ARGS.mock_server:
            self.skipTest("ews-mock-server is not built")
        seed = int(os.environ.get("E2E_SEED", str(time.time_ns() % 1000000)))
        kills = int(os.environ.get("E2E_KILLS", "30"))
        rnd = random.Random(seed)
        print("E2E_SEED=%d" % seed, flush=True)
        personas = [("AAQkCrashTestPersona%04d=" % i, "Person %d" % i) for i in range(PERSONAS)]
        path = new_mailbox("crash", [("v0", GROUP)], personas)
        want_personas = [p[0] for p in personas]
        version = 0          # the name on disk: v<version>
        renames = 0
        for kill in range(kills):
            with MockServer("--mailbox", "me@contoso.com=" + path) as server:
                writer = Writer(server.port, version + 1)
                writer.start()
                time.sleep(rnd.uniform(0.02, 0.5))
                server.kill()
                writer.join(30)
                self.assertFalse(writer.is_alive())
                self.assertIsNone(writer.error, "kill %d (seed %d)" % (kill, seed))
            try:
                state = read_mailbox(path)
            except Exception as e:  # noqa: BLE001 - any parse failure is the finding
                self.fail("kill %d (seed %d): the file is not whole: %s" % (kill, seed, e))
            self.assertEqual(state["personas"], want_personas, "kill %d (seed %d)" % (kill, seed))
            self.assertEqual(len(state["groups"]), 1)
            name, gid = state["groups"][0]
            self.assertEqual(gid, GROUP)
            acked = version + writer.acked
            # the rename in flight may or may not have reached the disk
            self.assertIn(name, ("v%d" % acked, "v%d" % (acked + 1)),
                          "kill %d (seed %d): %d acknowledged" % (kill, seed, writer.acked))
            version = int(name[1:])
            renames += writer.acked
        # the kills must have interrupted real work, not idle servers
        self.assertGreater(renames, kills, "too few writes to mean anything")
        print("%d kills, %d acknowledged renames" % (kills, renames), flush=True)


if __name__ == "__main__":
    clitest.main()
