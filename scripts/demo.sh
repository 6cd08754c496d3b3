#!/usr/bin/env bash
# The main job: build ews-imlist and run it. With no arguments it lists the
# demo mailbox of the mock EWS server it starts on loopback; any arguments
# are passed to ews-imlist (e.g. --url ... --user ... for a real server).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# Progress goes to stderr, so the tool's output on stdout stays clean.
say() { printf 'demo.sh: %s\n' "$*" >&2; }
tool="$root/build/examples/ews-imlist/ews-imlist"
if [ -x "$tool" ]; then
  say "checking the build in $root/build ..."
else
  say "configuring and building ews-imlist in $root/build (a first build takes a minute or two) ..."
fi
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j "$(nproc 2>/dev/null || echo 2)" --target ews-imlist >/dev/null
if [ $# -eq 0 ]; then
  say "running ews-imlist against its built-in demo mailbox on 127.0.0.1"
else
  say "running ews-imlist $*"
fi
exec "$tool" "$@"
