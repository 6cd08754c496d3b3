#!/usr/bin/env python3
"""Generate the operation table and the typed calls from gSOAP's output.

Reads what wsdl2h wrote (ews.h: one service operation per WSDL operation,
with its SOAPAction and its request and response wrappers) and what
soapcpp2 wrote (soapStub.h: the C structs), and writes, deterministically:

  ews_op_table.h / ews_op_table.c   one ews_op_descriptor per operation
                                    (runtime/src/ops/op_descriptor.h) and its
                                    typed calls ews_call_<Op>/ews_response_<Op>
  include/ews/operations.h          the public prototypes of those calls
  include/ews/generated_types.h     the generated types they use (soapStub.h's,
                                    without the engine's header)
  ews_mock_fallback.c               for servers built on soapServer.c: a
                                    service function for every operation,
                                    each left out when EWS_MOCK_HAS_<Op> is
                                    defined

    gen_operations.py --ews-h ews.h --stub soapStub.h
                      --operations wsdl/operations.txt --out-dir DIR

operations.txt gives, after an operation's name, the oldest
RequestServerVersion that has it (optional); an operation that is not
listed there (EWS_OPERATIONS=ALL) gets none and is sent with any version.
"""

import argparse
import os
import re
import sys

OP_RE = re.compile(
    r"^//gsoap (\w+)\s+service method-input-action:\s+(\w+)\s+(\S+)\s*$", re.M)
FUNC_RE = re.compile(
    r"^int (__(\w+?)__(\w+))\(\s*\n"
    r"\s*struct (\w+)\s*\*\s*(\w+),[^\n]*\n"
    r"\s*struct (\w+)\s*\*", re.M)
STRUCT_RE = re.compile(r"^struct (\w+)\s*\{\n(.*?)^\};", re.M | re.S)
MEMBER_RE = re.compile(r"^\s*((?:struct |enum )?\w+)\s*(\**)\s*(\w+);", re.M)


class GenError(Exception):
    pass


def structs_of(text):
    """struct name -> list of (type, pointer stars, member name)."""
    out = {}
    for m in STRUCT_RE.finditer(text):
        body = re.sub(r"/\*.*?\*/", "", m.group(2), flags=re.S)
        body = re.sub(r"//[^\n]*", "", body)
        out[m.group(1)] = [(t.strip(), stars, name) for t, stars, name in MEMBER_RE.findall(body)]
    return out


def struct_name(ctype):
    return ctype[len("struct "):] if ctype.startswith("struct ") else None


class Message:
    """How the status of one response-message struct is read."""

    def __init__(self, ctype, seq_member, has_xml):
        self.ctype = ctype            # struct m__XResponseMessageType
        self.seq = seq_member         # __XResponseMessageType_sequence
        self.has_xml = has_xml


def message_of(structs, name):
    """A Message when struct `name` is a response message (ResponseClass and
    a sequence holding ResponseCode), else None."""
    members = structs.get(name)
    if not members or not any(m[2] == "ResponseClass" for m in members):
        return None
    for ctype, stars, member in members:
        seq = struct_name(ctype)
        if stars == "*" and seq and member.endswith("_sequence"):
            fields = {f[2]: f for f in structs.get(seq, [])}
            if "ResponseCode" in fields and "MessageText" in fields:
                xml = fields.get("MessageXml")
                has_xml = bool(xml and {"__size", "__any"} <= {f[2] for f in
                               structs.get(struct_name(xml[0]) or "", [])})
                return Message(name, member, has_xml)
    return None


class Operation:
    def __init__(self, name, action, prefix, req_type, req_member, resp_wrapper):
        self.name = name
        self.action = action
        self.prefix = prefix
        self.req_type = req_type          # m__GetPersonaType
        self.req_member = req_member      # m__GetPersona
        self.resp_wrapper = resp_wrapper  # __m__GetPersonaResponse
        self.resp_type = None             # m__GetPersonaResponseMessageType
        self.resp_member = None           # m__GetPersonaResponseMessage
        self.shape = "OTHER"
        self.message = None               # SINGLE, NESTED: the Message
        self.nested = None                # NESTED: member of resp_type
        self.array_element = None         # ARRAY, NESTED: the message element
        self.min_version = None

    @property
    def req_element(self):
        return self.req_member.replace("__", ":", 1)

    @property
    def resp_element(self):
        return self.resp_member.replace("__", ":", 1)


UNION = "__m__union_ArrayOfResponseMessagesType"
ARRAY = "m__ArrayOfResponseMessagesType"


def classify(op, structs):
    wrapper = structs.get(op.resp_wrapper)
    if not wrapper or len(wrapper) != 1 or wrapper[0][1] != "*" or not struct_name(wrapper[0][0]):
        raise GenError(f"{op.name}: response wrapper {op.resp_wrapper} is not one struct pointer")
    op.resp_type = struct_name(wrapper[0][0])
    op.resp_member = wrapper[0][2]
    msg = message_of(structs, op.resp_type)
    if msg:
        op.shape, op.message = "SINGLE", msg
        return
    members = structs.get(op.resp_type, [])
    for ctype, stars, member in members:
        if member == "ResponseMessages" and struct_name(ctype) == ARRAY and stars == "*":
            op.shape = "ARRAY"
            union = {m[2] for m in structs.get(UNION, [])}
            if op.name + "ResponseMessage" in union:
                op.array_element = "m:" + op.name + "ResponseMessage"
            return
    for ctype, stars, member in members:
        inner = struct_name(ctype)
        if stars == "*" and inner and message_of(structs, inner):
            op.shape, op.nested, op.message = "NESTED", member, message_of(structs, inner)
            op.array_element = "m:" + member
            return


def read_min_versions(path):
    versions = {}
    if not path or path == "ALL" or not os.path.exists(path):
        return versions
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            words = line.split("#", 1)[0].split()
            if len(words) > 2:
                raise GenError(f"{path}:{number}: expected an operation and at most a version")
            if len(words) == 2:
                if not re.fullmatch(r"Exchange\w+", words[1]):
                    raise GenError(f"{path}:{number}: '{words[1]}' is not a RequestServerVersion")
                versions[words[0]] = words[1]
    return versions


def read_operations(ews_h, stub, operations_file):
    with open(ews_h, encoding="utf-8") as f:
        header = f.read()
    with open(stub, encoding="utf-8") as f:
        structs = structs_of(f.read())
    actions = {m.group(2): (m.group(1), m.group(3)) for m in OP_RE.finditer(header)}
    versions = read_min_versions(operations_file)
    ops = []
    for m in FUNC_RE.finditer(header):
        prefix, name = m.group(2), m.group(3)
        if name not in actions:
            raise GenError(f"{name}: wsdl2h wrote no SOAPAction for it")
        op = Operation(name, actions[name][1], prefix, m.group(4), m.group(5),
                       m.group(6))
        if not op.req_type or op.req_type not in structs:
            raise GenError(f"{name}: request type {op.req_type} not in {stub}")
        classify(op, structs)
        op.min_version = versions.get(name)
        ops.append(op)
    if not ops:
        raise GenError(f"{ews_h}: no service operations found")
    ops.sort(key=lambda o: o.name)
    unknown = sorted(set(versions) - {o.name for o in ops})
    if unknown:
        raise GenError(f"{operations_file}: not in the generated service: {', '.join(unknown)}")
    return ops, structs


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def status_lines(msg, expr, indent):
    seq = f"{expr}->{msg.seq}"
    pad = " " * indent
    lines = [
        f"{pad}st->response_class = (int){expr}->ResponseClass;",
        f"{pad}st->response_code = {seq} ? {seq}->ResponseCode : NULL;",
        f"{pad}st->message_text = {seq} ? {seq}->MessageText : NULL;",
    ]
    if msg.has_xml:
        xml = f"{seq}->MessageXml"
        lines += [
            f"{pad}st->message_xml = {seq} && {xml} ? {xml}->__any : NULL;",
            f"{pad}st->message_xml_count = {seq} && {xml} ? {xml}->__size : 0;",
        ]
    else:
        lines += [f"{pad}st->message_xml = NULL;", f"{pad}st->message_xml_count = 0;"]
    return lines


BANNER = "/* Generated by gen/gen_operations.py from gSOAP's output. Do not edit. */\n"


def write_table_c(ops, structs):
    out = [BANNER, '#include "soapH.h"', '#include "ews_op_table.h"', '#include "ews/operations.h"', ""]
    if any(o.shape == "ARRAY" for o in ops):
        out += ["/* Any message an ArrayOfResponseMessagesType holds; 0 when the entry",
                " * names none of them. */",
                f"static int union_status(const struct {UNION} *u, ews_response_status *st)",
                "{"]
        for ctype, stars, member in structs.get(UNION, []):
            msg = message_of(structs, struct_name(ctype) or "")
            if stars != "*" or not msg:
                continue
            out.append(f"    if (u->{member}) {{")
            out += status_lines(msg, f"u->{member}", 8)
            out.append(f"        st->element = {c_str('m:' + member)};")
            out += ["        return 1;", "    }"]
        out += ["    return 0;", "}", ""]
    for o in ops:
        n = o.name
        wrapper = f"__{o.prefix}__{n}"
        out += [
            f"/* {n} */",
            f"static void serialize_{n}(struct soap *soap, const void *request)",
            "{",
            f"    struct {wrapper} w = {{ ews_op_unconst(request) }};",
            f"    soap_serialize_{wrapper}(soap, &w);",
            "}",
            f"static int put_{n}(struct soap *soap, const void *request)",
            "{",
            f"    struct {wrapper} w = {{ ews_op_unconst(request) }};",
            f"    return soap_put_{wrapper}(soap, &w, {c_str('-' + o.req_element)}, \"\");",
            "}",
            f"static int read_{n}(struct soap *soap, void *result)",
            "{",
            f"    struct {o.resp_wrapper} r;",
            f"    soap_default_{o.resp_wrapper}(soap, &r);",
            f"    soap_get_{o.resp_wrapper}(soap, &r, {c_str('-' + o.prefix + ':' + n + 'Response')}, NULL);",
            f"    *(void **)result = soap->error == SOAP_OK ? (void *)r.{o.resp_member} : NULL;",
            "    return soap->error;",
            "}",
        ]
        resp = f"const struct {o.resp_type} *r = response;"
        if o.shape == "SINGLE":
            out += [f"static size_t count_{n}(const void *response)", "{",
                    "    return response != NULL;", "}",
                    f"static int status_{n}(const void *response, size_t i, ews_response_status *st)",
                    "{", f"    {resp}", "    (void)i;"]
            out += status_lines(o.message, "r", 4)
            out += [f"    st->element = {c_str(o.resp_element)};", "    return 1;", "}"]
        elif o.shape == "NESTED":
            out += [f"static size_t count_{n}(const void *response)", "{", f"    {resp}",
                    f"    return r && r->{o.nested};", "}",
                    f"static int status_{n}(const void *response, size_t i, ews_response_status *st)",
                    "{", f"    const struct {o.message.ctype} *m = ((const struct {o.resp_type} *)response)->{o.nested};",
                    "    (void)i;"]
            out += status_lines(o.message, "m", 4)
            out += [f"    st->element = {c_str('m:' + o.nested)};", "    return 1;", "}"]
        elif o.shape == "ARRAY":
            out += [f"static size_t count_{n}(const void *response)", "{", f"    {resp}",
                    "    return r && r->ResponseMessages && r->ResponseMessages->__size_ArrayOfResponseMessagesType > 0",
                    "               ? (size_t)r->ResponseMessages->__size_ArrayOfResponseMessagesType : 0;",
                    "}",
                    f"static int status_{n}(const void *response, size_t i, ews_response_status *st)",
                    "{", f"    {resp}",
                    "    return union_status(&r->ResponseMessages->__union_ArrayOfResponseMessagesType[i], st);",
                    "}"]
        fns = (f"count_{n}, status_{n}" if o.shape != "OTHER" else "NULL, NULL")
        out += [
            f"const ews_op_descriptor ews_op_{n} = {{",
            f"    {{ {c_str(n)}, {c_str(o.min_version) if o.min_version else 'NULL'}, {c_str(o.action)} }},",
            f"    {c_str(o.req_element)}, {c_str(o.resp_element)}, "
            f"{c_str(o.array_element) if o.array_element else 'NULL'}, EWS_OP_SHAPE_{o.shape},",
            f"    serialize_{n}, put_{n}, read_{n}, {fns}",
            "};",
            f"int ews_call_{n}(ews_response **out, ews_client *client, const struct {o.req_type} *request,",
            "        const ews_call_options *call)",
            "{",
            f"    return ews_op_call(out, client, &ews_op_{n}, request, call);",
            "}",
            f"const struct {o.resp_type} *ews_response_{n}(const ews_response *response)",
            "{",
            f"    return ews_op_payload(response, &ews_op_{n});",
            "}",
            "",
        ]
    out += ["const ews_op_descriptor *const ews_op_table[] = {"]
    out += [f"    &ews_op_{o.name}," for o in ops]
    out += ["};", f"const size_t ews_op_table_count = {len(ops)};", ""]
    return "\n".join(out)


def write_table_h(ops):
    out = [BANNER, "#ifndef EWS_OP_TABLE_H", "#define EWS_OP_TABLE_H", "",
           '#include "ops/op_descriptor.h"', ""]
    out += [f"extern const ews_op_descriptor ews_op_{o.name};" for o in ops]
    out += ["", "/* Every operation, sorted by name. */",
            "extern const ews_op_descriptor *const ews_op_table[];",
            "extern const size_t ews_op_table_count;", "", "#endif", ""]
    return "\n".join(out)


SHAPES = {
    "SINGLE": "one response message",
    "ARRAY": "ResponseMessages: one message per item asked for",
    "NESTED": "a response message inside the response",
    "OTHER": "no response message: only a SOAP fault fails it",
}


def write_public_h(ops):
    out = [BANNER.rstrip(),
           "/* A typed call for every operation the library was generated with",
           " * (wsdl/operations.txt, or the whole schema with EWS_OPERATIONS=ALL):",
           " *",
           " *   int ews_call_<Op>(ews_response **out, ews_client *client,",
           " *                     const struct <request type> *request,",
           " *                     const ews_call_options *call);",
           " *   const struct <response type> *ews_response_<Op>(const ews_response *response);",
           " *",
           " * The request and response types are gSOAP's, from <ews/generated_types.h>;",
           " * their layout is tied to the gSOAP release and the schema the library was",
           " * generated from. ews/response.h says what a call checks and returns. */",
           "#ifndef EWS_OPERATIONS_H", "#define EWS_OPERATIONS_H", "",
           '#include "ews/response.h"', '#include "ews/generated_types.h"', "",
           "EWS_BEGIN_DECLS", "",
           f"#define EWS_GENERATED_OPERATION_COUNT {len(ops)}", ""]
    for o in ops:
        since = f"; RequestServerVersion {o.min_version} or later" if o.min_version else ""
        out += [f"/* {o.name}: sends {o.req_element}, reads {o.resp_element} "
                f"({SHAPES[o.shape]}){since}. */",
                f"EWS_API int ews_call_{o.name}(ews_response **out, ews_client *client,",
                f"        const struct {o.req_type} *request, const ews_call_options *call);",
                f"EWS_API const struct {o.resp_type} *ews_response_{o.name}(const ews_response *response);",
                ""]
    out += ["EWS_END_DECLS", "", "#endif", ""]
    return "\n".join(out)


def write_mock_fallback(ops):
    out = [BANNER.rstrip(),
           "/* A service function for every operation of the generated server",
           " * skeleton: each answers through mock_service_fallback (a canned",
           " * response, or an Error saying the mock does not implement it), and is",
           " * left out where EWS_MOCK_HAS_<Op> says the mock has its own. */",
           '#include "soapH.h"', '#include "ews_op_table.h"', "",
           "int mock_service_fallback(struct soap *soap, const ews_op_descriptor *op);", ""]
    for o in ops:
        out += [f"#ifndef EWS_MOCK_HAS_{o.name}",
                f"int __{o.prefix}__{o.name}(struct soap *soap, struct {o.req_type} *request,",
                f"        struct {o.resp_wrapper} *response)",
                "{", "    (void)request;", "    (void)response;",
                f"    return mock_service_fallback(soap, &ews_op_{o.name});", "}",
                "#endif", ""]
    return "\n".join(out)


TYPES_PRELUDE = """\
/* Applications: the engine's header is not installed with the library
 * (which links the engine privately), and an application may have another
 * gSOAP release or none. The types need nothing of it but xsd:long's
 * LONG64, here as the engine defines it with <stdint.h>. The structs are
 * generated, not ours to lint: some are empty (a GNU C extension the
 * library is built with), which -Wpedantic flags. */
#if defined(__GNUC__)
#pragma GCC system_header
#endif
#include <stdint.h>
#ifndef LONG64
#define LONG64 int64_t
#endif
"""


def public_types(stub):
    """include/ews/generated_types.h. The library's own build and tests
    (EWS_WITH_GSOAP_ENGINE, cmake/EwsDependencies.cmake) get soapStub.h
    itself. Applications get its types with the engine's header replaced by
    TYPES_PRELUDE, without the prototypes of the client stubs and the server
    skeleton (neither is exported), and with the layout the library was
    compiled with (no WITH_NOEMPTYSTRUCT member)."""
    engine = re.compile(r'^#include "stdsoap2\.h"\n#if GSOAP_VERSION != \d+\n.*?^#endif\n',
                        re.M | re.S)
    if not engine.search(stub):
        raise GenError("soapStub.h: no #include \"stdsoap2.h\" with its version check")
    text = engine.sub(lambda m: TYPES_PRELUDE, stub, count=1)
    externals = re.search(r"^/\*{20,}\\\n \*\s*\*\n \* Externals ", text, re.M)
    end = text.rfind("#endif")
    if not externals or end < externals.start():
        raise GenError("soapStub.h: no Externals section before its last #endif")
    text = text[:externals.start()] + text[end:]
    text = re.sub(r"^#ifdef WITH_NOEMPTYSTRUCT\n[^\n]*\n#endif\n", "", text, flags=re.M)
    text = text.replace("soapStub_H", "EWS_GENERATED_TYPES_H")
    return (BANNER + "#ifdef EWS_WITH_GSOAP_ENGINE\n#include \"soapStub.h\"\n#else\n"
            + text + "#endif /* EWS_WITH_GSOAP_ENGINE */\n")


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ews-h", required=True)
    ap.add_argument("--stub", required=True)
    ap.add_argument("--operations", help="wsdl/operations.txt (minimum versions)")
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args(argv)
    try:
        ops, structs = read_operations(args.ews_h, args.stub, args.operations)
    except (GenError, OSError) as e:
        print(f"gen_operations: {e}", file=sys.stderr)
        return 1
    d = args.out_dir
    write(os.path.join(d, "ews_op_table.c"), write_table_c(ops, structs))
    write(os.path.join(d, "ews_op_table.h"), write_table_h(ops))
    write(os.path.join(d, "include", "ews", "operations.h"), write_public_h(ops))
    try:
        with open(args.stub, encoding="utf-8") as f:
            types = public_types(f.read())
    except GenError as e:
        print(f"gen_operations: {e}", file=sys.stderr)
        return 1
    write(os.path.join(d, "include", "ews", "generated_types.h"), types)
    write(os.path.join(d, "ews_mock_fallback.c"), write_mock_fallback(ops))
    return 0


if __name__ == "__main__":
    sys.exit(main())
