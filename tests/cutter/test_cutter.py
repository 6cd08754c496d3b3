#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests for gen/cut_fragments.py against the hand-made schema in mini-schema/.

Run from anywhere:  python3 tests/cutter/test_cutter.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CUTTER = os.path.join(HERE, "..", "..", "gen", "cut_fragments.py")
MINI = os.path.join(HERE, "mini-schema")

XS = "{http://www.w3.org/2001/XMLSchema}"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
OUTPUTS = ("services.wsdl", "messages.xsd", "types.xsd")


def run(*args):
    return subprocess.run([sys.executable, CUTTER, *args],
                          capture_output=True, text=True)


def top_level(path):
    """{(kind, name)} of the top-level named definitions of a schema."""
    root = ET.parse(path).getroot()
    return {(c.tag.replace(XS, ""), c.get("name")) for c in root if c.get("name")}


def snapshot(directory):
    if not os.path.exists(directory):
        return None
    result = {}
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), "rb") as f:
            result[name] = f.read()
    return result


class CutterTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cutter-test-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def ops_file(self, text, name="ops.txt"):
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cut(self, ops_text, out="out", schema=MINI, extra=()):
        out_dir = self.path(out)
        result = run("--schema-dir", schema, "--operations", self.ops_file(ops_text),
                     "--out-dir", out_dir, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return out_dir

    def copy_schema(self):
        target = self.path("schema")
        shutil.copytree(MINI, target)
        return target

    # -- closure --------------------------------------------------------

    def test_closure_ping_and_lookup(self):
        out = self.cut("Ping\n# a comment\n\nLookup   # trailing comment\n")
        self.assertEqual(sorted(os.listdir(out)), sorted(OUTPUTS + ("namespace.xsd",)))
        self.assertEqual(top_level(os.path.join(out, "messages.xsd")), {
            ("simpleType", "ResultCodeType"), ("complexType", "ResponseType"),
            ("complexType", "PingType"), ("element", "Ping"), ("element", "PingResponse"),
            ("complexType", "LookupType"), ("element", "Lookup"),
            ("complexType", "LookupResponseType"), ("element", "LookupResponse")})
        self.assertEqual(top_level(os.path.join(out, "types.xsd")), {
            # header parts, reached only through wsdl:part
            ("element", "Caller"), ("complexType", "CallerType"), ("simpleType", "NameType"),
            ("element", "RequestVersion"), ("element", "ServerVersion"),
            ("simpleType", "VersionType"),
            # substitution group: head, members, member of a member
            ("element", "Path"), ("complexType", "BasePathType"),
            ("element", "FieldURI"), ("element", "IndexedFieldURI"),
            ("element", "SpecialFieldURI"),
            # chain through base / itemType / memberTypes
            ("complexType", "FieldPathType"), ("simpleType", "FieldListType"),
            ("simpleType", "FieldNameType"), ("simpleType", "StandardFieldType"),
            ("simpleType", "CustomFieldType"),
            # attributeGroup -> attribute ref -> type; group ref
            ("attributeGroup", "PagingAttributes"), ("attribute", "Offset"),
            ("simpleType", "OffsetType"), ("group", "ChoiceGroup"),
            ("complexType", "ReplyBody")})

    def test_unreached_definitions_excluded(self):
        out = self.cut("Ping\nLookup\n")
        with open(os.path.join(out, "types.xsd"), encoding="utf-8") as f:
            types = f.read()
        with open(os.path.join(out, "messages.xsd"), encoding="utf-8") as f:
            messages = f.read()
        with open(os.path.join(out, "services.wsdl"), encoding="utf-8") as f:
            wsdl = f.read()
        for name in ("FrobThingType", "KnobType", "UnusedType", '"Shape"', '"Circle"'):
            self.assertNotIn(name, types)
        # m:NameType shares its local name with the reached t:NameType.
        self.assertNotIn('name="NameType"', messages)
        self.assertNotIn("Frobnicate", messages + wsdl)

    def test_ping_only(self):
        out = self.cut("Ping\n")
        # No xml:lang in the closure: no namespace.xsd and no import of it.
        self.assertEqual(sorted(os.listdir(out)), sorted(OUTPUTS))
        with open(os.path.join(out, "types.xsd"), encoding="utf-8") as f:
            self.assertNotIn("XML/1998/namespace", f.read())
        self.assertNotIn(("element", "Path"), top_level(os.path.join(out, "types.xsd")))
        root = ET.parse(os.path.join(out, "services.wsdl")).getroot()
        self.assertEqual([m.get("name") for m in root.iter(WSDL + "message")],
                         ["PingSoapIn", "PingSoapOut"])
        ops = [o.get("name") for pt in root.iter(WSDL + "portType") for o in pt]
        self.assertEqual(ops, ["Ping"])
        binding = root.find(WSDL + "binding")
        self.assertEqual([o.get("name") for o in binding.iter(WSDL + "operation")], ["Ping"])
        self.assertIsNotNone(binding.find("{http://schemas.xmlsoap.org/wsdl/soap/}binding"))
        parts = [p.get("name") for p in root.iter(WSDL + "part")]
        self.assertEqual(parts, ["request", "Impersonation", "RequestVersion",
                                 "PingResult", "ServerVersion"])

    def test_stale_namespace_xsd_removed(self):
        out = self.cut("Lookup\n")
        self.assertTrue(os.path.exists(os.path.join(out, "namespace.xsd")))
        self.cut("Ping\n")
        self.assertFalse(os.path.exists(os.path.join(out, "namespace.xsd")))

    def test_all_operations(self):
        out = self.cut("Ping\nLookup\nFrobnicate\n", out="listed")
        result = run("--schema-dir", MINI, "--operations", "ALL", "--out-dir", self.path("all"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(snapshot(out), snapshot(self.path("all")))
        self.assertIn(("complexType", "FrobThingType"), top_level(self.path("all", "types.xsd")))

    def test_list_operations(self):
        result = run("--schema-dir", MINI, "--list-operations")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["Ping", "Lookup", "Frobnicate"])

    # -- output form ----------------------------------------------------

    def test_deterministic_and_source_ordered(self):
        first = snapshot(self.cut("Ping\nLookup\n", out="a"))
        second = snapshot(self.cut("Lookup\nPing\nPing\n", out="b"))
        self.assertEqual(first, second)
        types = first["types.xsd"].decode()
        self.assertLess(types.index('name="CallerType"'), types.index('name="Path"'))
        self.assertLess(types.index('name="Path"'), types.index('name="ReplyBody"'))

    def test_structure_only_and_format(self):
        for name, data in snapshot(self.cut("Ping\nLookup\n")).items():
            text = data.decode("utf-8")
            self.assertTrue(text.startswith('<?xml version="1.0" encoding="utf-8"?>\n'), name)
            self.assertTrue(text.endswith(">\n"), name)
            self.assertNotIn("\r", text)
            self.assertNotIn("<!--", text)
            self.assertEqual(text.count("<?"), 1, name)
            for word in ("annotation", "documentation", "Dropped", "wsi:Claim"):
                self.assertNotIn(word, text, name)
            for line in text.splitlines()[1:]:
                indent = len(line) - len(line.lstrip(" "))
                self.assertEqual(indent % 2, 0, line)
            ET.fromstring(data)  # well-formed
        messages = snapshot(self.path("out"))["messages.xsd"].decode()
        self.assertIn('value="Error &amp; more &lt;stuff&gt; &quot;quoted&quot;"/>', messages)
        # Namespace declarations stay where the source put them.
        self.assertIn('<xsd:element name="Who" type="q:CallerType" xmlns:q="urn:mini:types"/>',
                      messages)
        self.assertIn('\n  <xsd:import namespace="urn:mini:types" schemaLocation="types.xsd"/>\n',
                      messages)

    def test_capitalised_services_wsdl(self):
        schema = self.copy_schema()
        os.rename(os.path.join(schema, "services.wsdl"), os.path.join(schema, "Services.wsdl"))
        self.assertEqual(snapshot(self.cut("Ping\nLookup\n", out="a")),
                         snapshot(self.cut("Ping\nLookup\n", out="b", schema=schema)))

    def test_check_mode(self):
        out = self.cut("Ping\nLookup\n")
        ops = self.path("ops.txt")
        ok = run("--schema-dir", MINI, "--operations", ops, "--out-dir", out, "--check")
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        with open(os.path.join(out, "types.xsd"), "a", encoding="utf-8") as f:
            f.write("<!-- edited -->\n")
        before = snapshot(out)
        bad = run("--schema-dir", MINI, "--operations", ops, "--out-dir", out, "--check")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("types.xsd: differs", bad.stdout)
        self.assertIn("-<!-- edited -->", bad.stdout)
        self.assertEqual(snapshot(out), before)

    # -- errors: exit 1, name the file and the name, write nothing --------

    def assert_fails(self, schema, ops_text, *needles):
        out_dir = self.path("out")
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "types.xsd"), "w", encoding="utf-8") as f:
            f.write("previous content\n")
        before = snapshot(out_dir)
        result = run("--schema-dir", schema, "--operations", self.ops_file(ops_text),
                     "--out-dir", out_dir)
        self.assertEqual(result.returncode, 1, result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)
        self.assertEqual(snapshot(out_dir), before)
        # A fresh output directory must not even be created.
        fresh = self.path("fresh")
        run("--schema-dir", schema, "--operations", self.path("ops.txt"), "--out-dir", fresh)
        self.assertFalse(os.path.exists(fresh))
        return result.stderr

    def test_error_missing_schema_dir(self):
        missing = self.path("no-such-dir")
        self.assert_fails(missing, "Ping\n", missing)

    def test_error_missing_file(self):
        schema = self.copy_schema()
        os.remove(os.path.join(schema, "types.xsd"))
        self.assert_fails(schema, "Ping\n", os.path.join(schema, "types.xsd"), "not found")

    def test_error_missing_wsdl(self):
        schema = self.copy_schema()
        os.remove(os.path.join(schema, "services.wsdl"))
        self.assert_fails(schema, "Ping\n", os.path.join(schema, "services.wsdl"))

    def test_error_malformed_xml(self):
        schema = self.copy_schema()
        path = os.path.join(schema, "messages.xsd")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines(True)
        number = next(i for i, line in enumerate(lines, 1) if 'name="PingType"' in line)
        lines[number - 1] = lines[number - 1].replace(">", " broken=>", 1)
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines)
        self.assert_fails(schema, "Ping\n", f"{path}:{number}:", "malformed XML")

    def test_error_unknown_operation(self):
        stderr = self.assert_fails(MINI, "Ping\nLookpu\n", self.path("ops.txt"), "'Lookpu'",
                                   "did you mean: Lookup")
        self.assertIn(":2:", stderr)

    def test_error_empty_operations(self):
        self.assert_fails(MINI, "# nothing here\n\n", self.path("ops.txt"), "empty")

    def test_error_unresolvable_type(self):
        schema = self.copy_schema()
        path = os.path.join(schema, "types.xsd")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = text.replace('<xs:element name="Name" type="t:NameType"/>',
                            '<xs:element name="Name" type="t:NoSuchType"/>')
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.assert_fails(schema, "Ping\n", path, "'CallerType'", "t:NoSuchType")

    def test_error_unresolvable_part_element(self):
        schema = self.copy_schema()
        path = os.path.join(schema, "services.wsdl")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace('element="t:Caller"', 'element="t:Callr"'))
        self.assert_fails(schema, "Ping\n", path, "PingSoapIn", "t:Callr")

    def test_unreached_broken_reference_is_ignored(self):
        # Only the closure has to resolve; Frobnicate is not cut here.
        schema = self.copy_schema()
        path = os.path.join(schema, "types.xsd")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace('type="t:KnobType"', 'type="t:Gone"'))
        self.cut("Ping\n", schema=schema)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
