"""An independent client reads the mock's throttling back-off (issue 12,
item 1).

Exchange puts a fault's MessageXml in the types namespace, and exchangelib
(Debian's python3-exchangelib) reads BackOffMilliseconds only from
{types}MessageXml under detail. Here the mock answers a GetImItemList with
ErrorServerBusy (--busy 1:2500) and exchangelib's own response and fault
readers (EWSService._get_soap_parts and _raise_soap_errors) must raise
ErrorServerBusy with back_off 2.5 s. Before the mock switched to the types
namespace they saw no back-off at all.

exchangelib is installed for the system python3; when the interpreter CTest
runs lacks it, the script re-runs itself under /usr/bin/python3. Exit 77
(skip) when neither has it."""
import os
import subprocess
import sys
import urllib.request

SYSTEM_PYTHON = "/usr/bin/python3"


def exchangelib_or_reexec():
    try:
        import exchangelib  # noqa: F401
        return
    except ImportError:
        pass
    if (os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)
            and os.access(SYSTEM_PYTHON, os.X_OK)
            and subprocess.run([SYSTEM_PYTHON, "-c", "import exchangelib"],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL).returncode == 0):
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)
    print("SKIP python3-exchangelib is not installed")
    sys.exit(77)


exchangelib_or_reexec()

import unittest  # noqa: E402

from exchangelib.errors import ErrorServerBusy  # noqa: E402
from exchangelib.services.common import EWSService  # noqa: E402

import clitest  # noqa: E402
from clitest import MockServer  # noqa: E402

REQUEST = (b'<?xml version="1.0" encoding="utf-8"?>'
           b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
           b'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" '
           b'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">'
           b'<s:Header><t:RequestServerVersion Version="Exchange2013"/></s:Header>'
           b'<s:Body><m:GetImItemList/></s:Body></s:Envelope>')


class Response:
    """What exchangelib's readers take from requests: the body's bytes."""

    def __init__(self, data):
        self.data = data

    def iter_content(self):
        yield self.data


def post(url):
    req = urllib.request.Request(url, data=REQUEST, method="POST", headers={
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": '"http://schemas.microsoft.com/exchange/services/2006/messages/'
                      'GetImItemList"'})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class ExchangelibReadsBusy(unittest.TestCase):
    def test_back_off_from_mock_busy_fault(self):
        with MockServer("--demo", "--busy", "1:2500") as srv:
            status, data = post(srv.url)
        self.assertEqual(status, 500, data)
        _, body = EWSService._get_soap_parts(Response(data))
        fault = body.find("{http://schemas.xmlsoap.org/soap/envelope/}Fault")
        self.assertIsNotNone(fault, data)
        with self.assertRaises(ErrorServerBusy) as cm:
            EWSService._raise_soap_errors(fault=fault)
        self.assertEqual(cm.exception.back_off, 2.5)


if __name__ == "__main__":
    clitest.main()
