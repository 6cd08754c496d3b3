"""Shared by the end-to-end tests: tests/cli's helpers on the import path,
mailbox files written and read back with the standard library."""
import os
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))

import clitest  # noqa: E402  (needs the path above)

T = "http://schemas.microsoft.com/exchange/services/2006/types"


def new_mailbox(name, groups=(), personas=()):
    """Writes a mailbox file (examples/mock/README.md): groups as
    (display name, id), personas as (id, display name). Returns its path."""
    path = os.path.join(clitest.ARGS.tmp, "%s-%d.xml" % (name, time.monotonic_ns()))
    root = ET.Element("{%s}ImItemList" % T)
    g = ET.SubElement(root, "{%s}Groups" % T)
    for display, gid in groups:
        e = ET.SubElement(g, "{%s}ImGroup" % T)
        ET.SubElement(e, "{%s}DisplayName" % T).text = display
        ET.SubElement(e, "{%s}GroupType" % T).text = "IPM.DistList.MOC.UserGroup"
        ET.SubElement(e, "{%s}ExchangeStoreId" % T, Id=gid, ChangeKey="EgAAAA==")
    p = ET.SubElement(root, "{%s}Personas" % T)
    for pid, display in personas:
        e = ET.SubElement(p, "{%s}Persona" % T)
        ET.SubElement(e, "{%s}PersonaId" % T, Id=pid)
        ET.SubElement(e, "{%s}DisplayName" % T).text = display
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def read_mailbox(path):
    """The file as {"groups": [(name, id)], "personas": [id]}; raises when
    it is not a whole mailbox document."""
    root = ET.parse(path).getroot()
    if root.tag != "{%s}ImItemList" % T:
        raise ValueError("%s: root is %s" % (path, root.tag))
    groups = [(g.findtext("{%s}DisplayName" % T), g.find("{%s}ExchangeStoreId" % T).get("Id"))
              for g in root.iterfind("{%s}Groups/{%s}ImGroup" % (T, T))]
    personas = [p.find("{%s}PersonaId" % T).get("Id")
                for p in root.iterfind("{%s}Personas/{%s}Persona" % (T, T))]
    return {"groups": groups, "personas": personas}
