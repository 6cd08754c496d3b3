"""Reads ews-mock-server's GetImItemList answer with zeep, an independent
SOAP stack that is strict by default (run by test_mock_zeep.py, with an
interpreter that has zeep). Prints the group and persona names.
Usage: zeep_read.py SERVICES_WSDL URL"""
import sys

from zeep import Client, Settings

T = "{http://schemas.microsoft.com/exchange/services/2006/types}"


def main():
    wsdl, url = sys.argv[1], sys.argv[2]
    client = Client(wsdl, settings=Settings(strict=True))
    binding = next(iter(client.wsdl.bindings))
    service = client.create_service(binding, url)
    version = client.get_element(T + "RequestServerVersion")(Version="Exchange2013")
    r = service.GetImItemList(_soapheaders=[version])
    body = r["body"]
    assert body["ResponseCode"] == "NoError", body["ResponseCode"]
    items = body["ImItemList"]
    for g in items["Groups"]["_value_1"]:
        print("group", g["ImGroup"]["DisplayName"])
    for p in items["Personas"]["_value_1"]:
        print("persona", p["Persona"]["DisplayName"])


if __name__ == "__main__":
    main()
