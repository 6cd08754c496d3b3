#!/usr/bin/env bash
# The main job: build ews-imlist and run it. With no arguments it lists the
# demo mailbox of the mock EWS server it starts on loopback; any arguments
# are passed to ews-imlist (e.g. --url ... --user ... for a real server).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j "$(nproc 2>/dev/null || echo 2)" --target ews-imlist >/dev/null
exec "$root/build/examples/ews-imlist/ews-imlist" "$@"
