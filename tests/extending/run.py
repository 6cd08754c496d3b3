#!/usr/bin/env python3
"""Follows docs/EXTENDING.md word for word in a scratch copy of the tree, so
the page cannot drift from what works.

    run.py <source-dir> <schema-dir> <work-dir>

The page marks what a reader types with HTML comments before fenced blocks:
  <!-- extending-test: run -->         shell commands, run in order in one
                                       shell from the top of the source tree
  <!-- extending-test: file PATH -->   a file the reader saves (PATH relative
                                       to the source tree)
  <!-- extending-test: output -->      what the program prints
The copy is <work-dir>/ews-c with <work-dir>/shared/ews-schema pointing at
<schema-dir>, the layout the page assumes. The test fails when a command
fails, when the program does not print the page's output (with the persona's
DisplayName of the canned response), or when following the page changed any
file of the tree but wsdl/ (build/ aside). Exit 77 without the schema.
"""
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

DOC = "docs/EXTENDING.md"
CANNED = "tests/fixtures/canned/GetPersona.xml"
M = "{http://schemas.microsoft.com/exchange/services/2006/messages}"
T = "{http://schemas.microsoft.com/exchange/services/2006/types}"
MARK = re.compile(r"^<!-- extending-test: (run|output|file (\S+)) -->$")
# What following the page may change: the operation list and the fragments
# the cutter writes from it.
MAY_CHANGE = {"wsdl/operations.txt", "wsdl/services.wsdl", "wsdl/messages.xsd", "wsdl/types.xsd"}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def tree_files(src):
    """The files of the tree as a clone has them (tracked, plus new ones
    not ignored, so an uncommitted page is tested too)."""
    try:
        out = subprocess.run(["git", "-C", src, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        fail(f"cannot list the files of {src} with git: {e}")
    return [f for f in out.decode().split("\0") if f and os.path.isfile(os.path.join(src, f))]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def blocks(doc_text):
    """(kind, path, text) for each marked fenced block, in order."""
    out, lines, i = [], doc_text.split("\n"), 0
    while i < len(lines):
        m = MARK.match(lines[i])
        i += 1
        if not m:
            continue
        if i >= len(lines) or not lines[i].startswith("```"):
            fail(f"{DOC}:{i}: a test marker not followed by a fenced block")
        j = i + 1
        while j < len(lines) and lines[j] != "```":
            j += 1
        if j == len(lines):
            fail(f"{DOC}:{i + 1}: fenced block not closed")
        kind = m.group(1).split()[0]
        out.append((kind, m.group(2), "\n".join(lines[i + 1:j]) + "\n"))
        i = j + 1
    return out


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    src, schema, work = (os.path.abspath(a) for a in sys.argv[1:])
    if not os.path.isfile(os.path.join(schema, "messages.xsd")):
        print(f"SKIP: {schema}/messages.xsd not found; the official EWS schema is optional "
              "reference material")
        return 77
    start = time.monotonic()
    shutil.rmtree(work, ignore_errors=True)
    tree = os.path.join(work, "ews-c")
    files = tree_files(src)
    before = {}
    for f in files:
        dst = os.path.join(tree, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(src, f), dst)
        before[f] = digest(dst)
    os.makedirs(os.path.join(work, "shared"))
    os.symlink(schema, os.path.join(work, "shared", "ews-schema"))

    with open(os.path.join(tree, DOC), encoding="utf-8") as f:
        found = blocks(f.read())
    script = [b[2] for b in found if b[0] == "run"]
    outputs = [b[2] for b in found if b[0] == "output"]
    saved = [b for b in found if b[0] == "file"]
    if not script or len(outputs) != 1 or not saved:
        fail(f"{DOC} lost its test markers: {len(script)} run, {len(outputs)} output, "
             f"{len(saved)} file blocks")
    for _, path, text in saved:
        dst = os.path.normpath(os.path.join(tree, path))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "w", encoding="utf-8") as f:
            f.write(text)

    persona = ET.parse(os.path.join(tree, CANNED)).getroot().find(f".//{M}Persona")
    name = persona.find(f"{T}DisplayName").text if persona is not None else None
    if not name or f"DisplayName: {name}\n" not in outputs[0]:
        fail(f"the page's output does not show the canned persona's DisplayName '{name}'")

    # One shell as the reader's terminal, in a session of its own so that
    # whatever it leaves running (the mock) is stopped with it.
    copied = time.monotonic()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PKG_CONFIG", "CMAKE_", "LD_LIBRARY_PATH", "EWS_"))}
    proc = subprocess.Popen(["sh", "-eux", "-c", "".join(script)], cwd=tree, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out = proc.communicate(timeout=1500)[0].decode("utf-8", "replace")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait()
    done = time.monotonic()
    if proc.returncode != 0:
        print(out[-20000:])
        fail(f"the page's commands failed (exit {proc.returncode})")
    if outputs[0] not in out:
        print(out[-20000:])
        fail(f"the program did not print the page's output:\n{outputs[0]}")

    changed = sorted(f for f in files if f not in MAY_CHANGE and
                     (not os.path.isfile(os.path.join(tree, f)) or
                      digest(os.path.join(tree, f)) != before[f]))
    if changed:
        fail("following the page changed files outside wsdl/: " + ", ".join(changed))
    if digest(os.path.join(tree, "wsdl/operations.txt")) == before["wsdl/operations.txt"]:
        fail("following the page did not change wsdl/operations.txt")
    lib = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(work, "ews-install"))
           for f in fs if re.fullmatch(r"libews\.so\.[0-9.]+", f)]
    size = f", libews.so {os.path.getsize(lib[0])} bytes" if lib else ""
    print(f"extending: followed {DOC} ({len(script)} command blocks): copy "
          f"{copied - start:.0f} s, commands {done - copied:.0f} s{size}; "
          f"the program printed 'DisplayName: {name}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
