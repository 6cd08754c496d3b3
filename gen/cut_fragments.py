#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Cut the EWS WSDL and schemas down to the type closure of some operations.

The official Exchange Web Services description (Services.wsdl, messages.xsd,
types.xsd) defines well over a hundred operations and thousands of types.
Feeding all of it to gSOAP produces a huge library, so ews-c generates its
serializers from a fragment that holds only what the chosen operations need.

Usage:
    python3 gen/cut_fragments.py --schema-dir DIR --operations FILE --out-dir OUTDIR
    python3 gen/cut_fragments.py --schema-dir DIR --operations ALL --out-dir OUTDIR
    python3 gen/cut_fragments.py --schema-dir DIR --operations FILE --out-dir OUTDIR --check
    python3 gen/cut_fragments.py --schema-dir DIR --list-operations

DIR holds services.wsdl (or Services.wsdl, as Exchange serves it), messages.xsd
and types.xsd.  FILE lists one operation name a line (a second word, the
oldest RequestServerVersion with it, is for gen_operations.py); blank lines and '#'
comments are ignored; ALL means every operation of the portType.

OUTDIR receives services.wsdl, messages.xsd, types.xsd and, only when the kept
definitions use the xml: namespace (xml:lang), a small namespace.xsd so the
fragment compiles offline.  Output is deterministic: definitions stay in
source order, comments and annotations are dropped, and the files are
re-indented with two spaces.  Nothing is written unless the whole cut succeeds.

--check writes nothing; it exits 1 and prints a diff summary when the files in
OUTDIR differ from what would be written.  Errors exit 1 with a message on
stderr naming the file and the offending name.
"""

import argparse
import difflib
import os
import sys
from xml.parsers import expat

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ATTRIBUTES = ("lang", "space", "base", "id")  # what our namespace.xsd defines

# Top-level schema components and the symbol space each one lives in
# (complex and simple types share one, as XML Schema says).
KIND_OF = {"element": "element", "complexType": "type", "simpleType": "type",
           "group": "group", "attributeGroup": "attributeGroup",
           "attribute": "attribute"}

# (schema element, attribute) -> symbol space of the QName(s) it holds.
# memberTypes and substitutionGroup hold whitespace-separated lists.
# xs:keyref/@refer is not followed: it names an identity constraint,
# which lives inside an element declaration that is kept anyway.
QNAME_ATTRS = {
    ("element", "type"): "type", ("attribute", "type"): "type",
    ("restriction", "base"): "type", ("extension", "base"): "type",
    ("list", "itemType"): "type", ("union", "memberTypes"): "type",
    ("element", "ref"): "element", ("attribute", "ref"): "attribute",
    ("attributeGroup", "ref"): "attributeGroup", ("group", "ref"): "group",
    ("element", "substitutionGroup"): "element",
}

NAMESPACE_XSD = """\
<?xml version="1.0" encoding="utf-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang">
    <xs:simpleType>
      <xs:union memberTypes="xs:language">
        <xs:simpleType>
          <xs:restriction base="xs:string">
            <xs:length value="0"/>
          </xs:restriction>
        </xs:simpleType>
      </xs:union>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="space">
    <xs:simpleType>
      <xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/>
        <xs:enumeration value="preserve"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
</xs:schema>
"""


class CutError(Exception):
    pass


class Node:
    """An element as written in the source: raw tag, attributes in source
    order (namespace declarations included, so they come back out exactly
    where they were), and the prefix map in scope for resolving QNames."""

    def __init__(self, tag, attrs, ns, line, uri, local):
        self.tag, self.attrs, self.ns, self.line = tag, attrs, ns, line
        self.uri, self.local = uri, local
        self.children = []

    def get(self, name):
        for key, value in self.attrs:
            if key == name:
                return value
        return None

    def elements(self):
        return [c for c in self.children if isinstance(c, Node)]

    def is_(self, uri, local):
        return self.uri == uri and self.local == local

    def copy_with(self, children):
        clone = Node(self.tag, list(self.attrs), self.ns, self.line, self.uri, self.local)
        clone.children = children
        return clone


def parse_xml(path):
    # expat without namespace processing hands us the raw prefixed names and
    # the xmlns attributes in source order; we keep the prefix scopes ourselves.
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise CutError(f"{path}: file not found")
    except OSError as e:
        raise CutError(f"{path}: cannot read: {e.strerror}")
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    stack, roots = [], []

    def start(tag, flat):
        attrs = list(zip(flat[::2], flat[1::2]))
        ns = stack[-1].ns if stack else {"xml": XML_NS}
        decls = {k[6:]: v for k, v in attrs if k.startswith("xmlns:")}
        decls.update({"": v for k, v in attrs if k == "xmlns"})
        if decls:
            ns = {**ns, **decls}
        prefix, _, local = tag.rpartition(":")
        uri = ns.get(prefix)
        line = parser.CurrentLineNumber
        if prefix and uri is None:
            raise CutError(f"{path}:{line}: undeclared namespace prefix '{prefix}' in <{tag}>")
        node = Node(tag, attrs, ns, line, uri, local)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def text(data):
        if stack:
            stack[-1].children.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise CutError(f"{path}:{e.lineno}:{e.offset + 1}: malformed XML: "
                       f"{expat.ErrorString(e.code)}")
    return roots[0]


def resolve(qname, node):
    """QName string -> (namespace URI, local name), using the prefixes in
    scope where it appears; None if the prefix is not declared there."""
    prefix, _, local = qname.rpartition(":")
    uri = node.ns.get(prefix)
    if uri is None and prefix:
        return None
    return uri, local


class Schemas:
    """Index of the top-level definitions of messages.xsd and types.xsd."""

    def __init__(self, docs):
        self.docs = docs                  # [(path, root)]
        self.defs = {}                    # (kind, uri, name) -> (path, node)
        self.members = {}                 # head key -> [member keys]
        for path, root in docs:
            if not root.is_(XS, "schema"):
                raise CutError(f"{path}: root element is <{root.tag}>, expected xs:schema")
            tns = root.get("targetNamespace")
            for node in root.elements():
                kind = KIND_OF.get(node.local) if node.uri == XS else None
                if kind is None:
                    continue
                key = (kind, tns, node.get("name"))
                if key in self.defs:
                    raise CutError(f"{path}:{node.line}: {node.local} '{key[2]}' "
                                   f"is defined twice")
                self.defs[key] = (path, node)
                for head in (node.get("substitutionGroup") or "").split():
                    resolved = resolve(head, node)
                    if resolved:  # a bad prefix is reported if the member is ever kept
                        self.members.setdefault(("element",) + resolved, []).append(key)

    def lookup(self, kind, qname, at, path, where, xml_users):
        """Key of the definition qname names, or None for xs: built-ins and
        the xml: attributes (those record path in xml_users instead)."""
        resolved = resolve(qname, at)
        if resolved is None:
            raise CutError(f"{path}:{at.line}: {where} uses undeclared prefix in '{qname}'")
        uri, local = resolved
        if uri == XS:
            return None
        if uri == XML_NS and kind == "attribute" and local in XML_ATTRIBUTES:
            xml_users.add(path)
            return None
        key = (kind, uri, local)
        if key not in self.defs:
            raise CutError(f"{path}:{at.line}: {where} references undefined {kind} "
                           f"'{qname}' ({{{uri}}}{local})")
        return key

    def closure(self, seeds, xml_users):
        kept, work = set(), list(seeds)
        while work:
            key = work.pop()
            if key in kept:
                continue
            kept.add(key)
            path, node = self.defs[key]
            where = f"{node.local} '{key[2]}'"
            for kind, qname, at in references(node):
                ref = self.lookup(kind, qname, at, path, where, xml_users)
                if ref is not None:
                    work.append(ref)
            # Anything may stand in for a kept head, so its members must exist
            # in the fragment even though nothing names them directly.
            work.extend(self.members.get(key, ()))
        return kept


def references(node):
    """Yield (symbol space, QName, element it sits on) for every QName in a
    definition, annotations excluded."""
    if node.uri != XS or node.local == "annotation":
        return
    for name, value in node.attrs:
        kind = QNAME_ATTRS.get((node.local, name))
        if kind:
            for qname in value.split():
                yield kind, qname, node
    for child in node.elements():
        yield from references(child)


def find_wsdl(schema_dir):
    if not os.path.isdir(schema_dir):
        raise CutError(f"{schema_dir}: schema directory not found")
    for name in ("services.wsdl", "Services.wsdl"):
        path = os.path.join(schema_dir, name)
        if os.path.isfile(path):
            return path
    raise CutError(f"{os.path.join(schema_dir, 'services.wsdl')}: file not found "
                   f"(Services.wsdl not found either)")


def load(schema_dir):
    wsdl_path = find_wsdl(schema_dir)
    wsdl = parse_xml(wsdl_path)
    if not wsdl.is_(WSDL, "definitions"):
        raise CutError(f"{wsdl_path}: root element is <{wsdl.tag}>, expected wsdl:definitions")
    port_types = [n for n in wsdl.elements() if n.is_(WSDL, "portType")]
    if len(port_types) != 1:
        raise CutError(f"{wsdl_path}: expected exactly one wsdl:portType, found {len(port_types)}")
    xsds = [(p, parse_xml(p)) for p in
            (os.path.join(schema_dir, n) for n in ("messages.xsd", "types.xsd"))]
    return wsdl_path, wsdl, port_types[0], Schemas(xsds)


def operation_names(port_type):
    return [op.get("name") for op in port_type.elements() if op.is_(WSDL, "operation")]


def read_operations(path, known):
    if path == "ALL":
        return list(known)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise CutError(f"{path}: cannot read operations list: {e.strerror}")
    wanted, problems = [], []
    lowered = {name.lower(): name for name in known}
    for number, line in enumerate(lines, 1):
        words = line.split("#", 1)[0].split()
        # An operation, then optionally the oldest RequestServerVersion that
        # has it (gen/gen_operations.py reads that column).
        if len(words) > 2 or (len(words) == 2 and not words[1].startswith("Exchange")):
            problems.append(f"{path}:{number}: expected an operation name and at most a "
                            f"RequestServerVersion, got '{line.strip()}'")
        elif words and words[0] not in known:
            close = difflib.get_close_matches(words[0].lower(), lowered, n=3, cutoff=0.6)
            hint = f" (did you mean: {', '.join(lowered[c] for c in close)}?)" if close else ""
            problems.append(f"{path}:{number}: unknown operation '{words[0]}'{hint}")
        elif words and words[0] not in wanted:
            wanted.append(words[0])
    if problems:
        raise CutError("\n".join(problems))
    if not wanted:
        raise CutError(f"{path}: operations list is empty")
    return wanted


def cut(schema_dir, operations_file):
    """Return {file name: bytes} for the fragment."""
    wsdl_path, wsdl, port_type, schemas = load(schema_dir)
    wanted = set(read_operations(operations_file, operation_names(port_type)))
    tns = wsdl.get("targetNamespace")
    messages = {n.get("name"): n for n in wsdl.elements() if n.is_(WSDL, "message")}
    pt_key = (tns, port_type.get("name"))
    used = set()

    def use_messages(op, nodes):
        # input/output/fault in the portType, soap:header(fault) in the binding:
        # any element with a message attribute inside a kept operation.
        for node in nodes:
            qname = node.get("message")
            if qname is not None:
                resolved = resolve(qname, node)
                if resolved is None or resolved[0] != tns or resolved[1] not in messages:
                    raise CutError(f"{wsdl_path}:{node.line}: operation '{op}' references "
                                   f"undefined message '{qname}'")
                used.add(resolved[1])
            use_messages(op, node.elements())

    def keep_ops(parent):
        ops = [n for n in parent.elements()
               if not n.is_(WSDL, "operation") or n.get("name") in wanted]
        for op in ops:
            if op.is_(WSDL, "operation"):
                use_messages(op.get("name"), op.elements())
        return parent.copy_with(ops)

    top, kept_bindings = [], set()
    for node in wsdl.elements():
        if node.is_(WSDL, "portType"):
            node = keep_ops(node)
        elif node.is_(WSDL, "binding"):
            if resolve(node.get("type") or "", node) != pt_key:
                continue
            kept_bindings.add((tns, node.get("name")))
            node = keep_ops(node)
        top.append(node)

    # Message parts are the roots of the type closure.
    seeds, xml_users = [], set()
    for name, message in messages.items():
        if name not in used:
            continue
        for part in message.elements():
            for attr, kind in (("element", "element"), ("type", "type")):
                qname = part.get(attr)
                if part.is_(WSDL, "part") and qname is not None:
                    where = f"message '{name}' part '{part.get('name')}'"
                    key = schemas.lookup(kind, qname, part, wsdl_path, where, xml_users)
                    if key is not None:
                        seeds.append(key)
    kept = schemas.closure(seeds, xml_users)

    wsdl_children = []
    for node in top:
        if node.is_(WSDL, "message") and node.get("name") not in used:
            continue
        if node.is_(WSDL, "service"):
            ports = [p for p in node.elements() if not p.is_(WSDL, "port")
                     or resolve(p.get("binding") or "", p) in kept_bindings]
            if not any(p.is_(WSDL, "port") for p in ports):
                continue
            node = node.copy_with(ports)
        wsdl_children.append(node)
    out = {"services.wsdl": serialize(wsdl.copy_with(wsdl_children))}
    for path, root in schemas.docs:
        out[os.path.basename(path)] = serialize(cut_schema(root, kept, path in xml_users))
    if xml_users:
        out["namespace.xsd"] = NAMESPACE_XSD.encode("utf-8")
    return out


def cut_schema(root, kept, uses_xml):
    tns = root.get("targetNamespace")
    children = []
    for node in root.elements():
        if node.uri == XS and node.local in KIND_OF:
            if (KIND_OF[node.local], tns, node.get("name")) not in kept:
                continue
        elif node.is_(XS, "import") and node.get("namespace") == XML_NS:
            if not uses_xml:
                continue
            # Point the import at the namespace.xsd we write next to it.
            # (Microsoft's own copy has no schemaLocation there.)
            attrs = [(k, "namespace.xsd" if k == "schemaLocation" else v)
                     for k, v in node.attrs]
            if node.get("schemaLocation") is None:
                attrs.append(("schemaLocation", "namespace.xsd"))
            node = node.copy_with(node.children)
            node.attrs = attrs
        children.append(node)
    return root.copy_with(children)


def escape(text, attribute=False):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        # Character references keep tabs and newlines from being normalised
        # to spaces when the value is read back.
        text = (text.replace('"', "&quot;").replace("\t", "&#9;")
                .replace("\n", "&#10;").replace("\r", "&#13;"))
    return text


def dropped(node):
    return node.is_(XS, "annotation") or node.is_(WSDL, "documentation")


def emit(node, depth, out):
    pad = "  " * depth
    head = pad + "<" + node.tag + "".join(
        f' {k}="{escape(v, True)}"' for k, v in node.attrs)
    kids = [c for c in node.children if isinstance(c, Node) and not dropped(c)]
    text = "".join(c for c in node.children if isinstance(c, str))
    if not kids:
        if text.strip():
            out.append(f"{head}>{escape(text)}</{node.tag}>")
        else:
            out.append(head + "/>")
        return
    out.append(head + ">")
    for child in node.children:
        if isinstance(child, Node):
            if not dropped(child):
                emit(child, depth + 1, out)
        elif child.strip():  # mixed content; not used by the EWS schema
            out.append(pad + "  " + escape(child.strip()))
    out.append(f"{pad}</{node.tag}>")


def serialize(root):
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    emit(root, 0, out)
    return ("\n".join(out) + "\n").encode("utf-8")


def read_existing(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def check(out_dir, files):
    stale = {} if "namespace.xsd" in files else {"namespace.xsd": None}
    differ = False
    for name, data in {**files, **stale}.items():
        path = os.path.join(out_dir, name)
        old = read_existing(path)
        if old == data:
            continue
        differ = True
        if old is None:
            print(f"{path}: missing")
            continue
        if data is None:
            print(f"{path}: present but no longer produced")
            continue
        diff = list(difflib.unified_diff(
            old.decode("utf-8", "replace").splitlines(), data.decode("utf-8").splitlines(),
            f"{path} (current)", f"{path} (cut)", lineterm=""))
        print(f"{path}: differs")
        for line in diff[:60]:
            print(line)
        if len(diff) > 60:
            print(f"... {len(diff) - 60} more diff lines")
    if not differ:
        print(f"{out_dir}: fragments are up to date")
    return 1 if differ else 0


def write(out_dir, files):
    os.makedirs(out_dir, exist_ok=True)
    temps = []
    try:
        for name, data in files.items():
            path = os.path.join(out_dir, name)
            if read_existing(path) == data:
                continue  # leave mtimes alone so builds do not redo gSOAP for nothing
            temp = f"{path}.{os.getpid()}.tmp"
            temps.append((temp, path))
            with open(temp, "wb") as f:
                f.write(data)
        for temp, path in temps:
            os.replace(temp, path)
    except OSError as e:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.remove(temp)
        raise CutError(f"{e.filename}: cannot write: {e.strerror}")
    stale = os.path.join(out_dir, "namespace.xsd")
    if "namespace.xsd" not in files and os.path.exists(stale):
        os.remove(stale)  # nothing imports it any more


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schema-dir", required=True,
                    help="directory with services.wsdl, messages.xsd, types.xsd")
    ap.add_argument("--operations", help="operations list file, or ALL")
    ap.add_argument("--out-dir", help="where to write the fragment")
    ap.add_argument("--check", action="store_true",
                    help="compare with OUTDIR instead of writing; exit 1 if different")
    ap.add_argument("--list-operations", action="store_true",
                    help="print the portType's operation names and exit")
    args = ap.parse_args(argv)
    if not args.list_operations and not (args.operations and args.out_dir):
        ap.error("--operations and --out-dir are required unless --list-operations is given")
    try:
        if args.list_operations:
            _, _, port_type, _ = load(args.schema_dir)
            print("\n".join(operation_names(port_type)))
            return 0
        files = cut(args.schema_dir, args.operations)
        if args.check:
            return check(args.out_dir, files)
        write(args.out_dir, files)
        return 0
    except CutError as e:
        print(f"cut_fragments: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
