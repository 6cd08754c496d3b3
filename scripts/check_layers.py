#!/usr/bin/env python3
"""Checks that runtime/src's includes point down its layers.

Each folder of runtime/src is a layer whose README.md has a line
"May include: a, b, ..." naming the layers its files may include (a header
is included by its path from runtime/src: "core/buf.h"), plus "generated"
for the headers gSOAP and gen/gen_operations.py write into the build tree.
Public headers ("ews/...") may be included anywhere. Anything else (a file
outside the folders, an include of a folder not listed, an unknown flat
name) is reported with its file and line.

    check_layers.py [RUNTIME_SRC]      check (default: runtime/src here)
    check_layers.py --self-test        check that a violation is caught
"""
import os
import re
import sys
import tempfile

GENERATED = {"soapH.h", "soapStub.h", "stdsoap2.h", "ews_op_table.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
MAY = re.compile(r"^May include:\s*(.+)$", re.M)


def allowed_of(src, layer):
    path = os.path.join(src, layer, "README.md")
    try:
        with open(path, encoding="utf-8") as f:
            m = MAY.search(f.read())
    except OSError:
        return None
    return {w.strip() for w in m.group(1).split(",")} if m else None


def check(src):
    problems = []
    layers = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    for name in sorted(os.listdir(src)):
        if name.endswith((".c", ".h")):
            problems.append(f"{name}: a source file outside the layer folders")
    for layer in layers:
        allowed = allowed_of(src, layer)
        if allowed is None:
            problems.append(f"{layer}/README.md: no 'May include:' line")
            continue
        unknown = allowed - set(layers) - {"generated"}
        if unknown:
            problems.append(f"{layer}/README.md: unknown layers {sorted(unknown)}")
        for name in sorted(os.listdir(os.path.join(src, layer))):
            if not name.endswith((".c", ".h")):
                continue
            rel = f"{layer}/{name}"
            with open(os.path.join(src, rel), encoding="utf-8") as f:
                for no, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    if inc.startswith("ews/"):
                        continue
                    if "/" in inc:
                        target = inc.split("/", 1)[0]
                        if target not in layers:
                            problems.append(f"{rel}:{no}: includes {inc}: no layer '{target}'")
                        elif target != layer and target not in allowed:
                            problems.append(f"{rel}:{no}: includes {inc}: {layer} may not "
                                            f"include {target} (May include: "
                                            f"{', '.join(sorted(allowed))})")
                        elif not os.path.exists(os.path.join(src, inc)):
                            problems.append(f"{rel}:{no}: includes {inc}, which does not exist")
                    elif inc in GENERATED:
                        if "generated" not in allowed:
                            problems.append(f"{rel}:{no}: includes generated {inc}: {layer} "
                                            "may not")
                    else:
                        problems.append(f"{rel}:{no}: includes \"{inc}\": name runtime headers "
                                        "by their layer (\"core/buf.h\")")
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as d:
        for layer, may, text in (("low", "low", '#include "high/x.h"\n'),
                                 ("high", "low, high", '#include "low/y.h"\n#include "soapH.h"\n')):
            os.mkdir(os.path.join(d, layer))
            with open(os.path.join(d, layer, "README.md"), "w") as f:
                f.write(f"# {layer}\n\nMay include: {may}\n")
        with open(os.path.join(d, "low", "y.h"), "w") as f:
            f.write('#include "high/x.h"\n')
        with open(os.path.join(d, "high", "x.h"), "w") as f:
            f.write('#include "low/y.h"\n#include "soapH.h"\n#include "flat.h"\n')
        got = check(d)
        want = ["low/y.h:1: includes high/x.h: low may not include high",
                "high/x.h:2: includes generated soapH.h",
                'high/x.h:3: includes "flat.h"']
        missing = [w for w in want if not any(p.startswith(w) for p in got)]
        if missing or len(got) != len(want):
            print("self-test failed: got", got, "missing", missing)
            return 1
    print("self-test: the three planted violations were reported")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "runtime", "src")
    problems = check(src)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the layers of {src}")
        return 1
    print(f"runtime/src: every include points down its layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
