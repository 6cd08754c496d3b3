#!/usr/bin/env bash
# Build-time generation is driven by its inputs: the first build runs
# wsdl2h and soapcpp2, a no-op rebuild runs neither, and editing a fragment
# (or the type map) runs them again.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/wsdl" "$work/wsdl"

cmake -S "$src/tests/codegen/project" -B "$work/build" -DEWS_SOURCE_DIR="$src" \
      -DEWS_WSDL_DIR="$work/wsdl" >/dev/null
build() { cmake --build "$work/build" --target probe_generated_sources 2>&1; }
ran() { grep -c -E "$1" <<<"$2" || true; }

out=$(build)
[ "$(ran 'wsdl2h:' "$out")" -ge 1 ] || { echo "FAIL: first build did not run wsdl2h"; echo "$out"; exit 1; }
[ "$(ran 'soapcpp2:' "$out")" -ge 1 ] || { echo "FAIL: first build did not run soapcpp2"; exit 1; }
[ -s "$work/build/generated/soapC.c" ] || { echo "FAIL: no soapC.c"; exit 1; }

out=$(build)
if [ "$(ran 'wsdl2h:|soapcpp2:' "$out")" -ne 0 ]; then
  echo "FAIL: a no-op rebuild ran a generator"; echo "$out"; exit 1
fi

sleep 1 # coarse file-system clocks
printf '\n' >> "$work/wsdl/types.xsd"
out=$(build)
[ "$(ran 'wsdl2h:' "$out")" -ge 1 ] || { echo "FAIL: editing types.xsd did not regenerate"; echo "$out"; exit 1; }
[ "$(ran 'soapcpp2:' "$out")" -ge 1 ] || { echo "FAIL: editing types.xsd did not rerun soapcpp2"; exit 1; }

# Configure names the problem when a generator is missing or of another
# release (generated code must match the 2.8.124 engine).
printf '#!/bin/sh\necho 2.8.99\n' > "$work/wsdl2h" && chmod +x "$work/wsdl2h"
if out=$(cmake -S "$src/tests/codegen/project" -B "$work/b2" -DEWS_SOURCE_DIR="$src" \
             -DEWS_WSDL_DIR="$work/wsdl" -DEWS_WSDL2H="$work/wsdl2h" 2>&1); then
  echo "FAIL: configure accepted wsdl2h 2.8.99"; exit 1
fi
grep -q "2.8.124" <<<"$out" || { echo "FAIL: no version in the message"; echo "$out"; exit 1; }
if out=$(cmake -S "$src/tests/codegen/project" -B "$work/b3" -DEWS_SOURCE_DIR="$src" \
             -DEWS_WSDL_DIR="$work/wsdl" -DEWS_SOAPCPP2="$work/no-such-dir/soapcpp2" 2>&1); then
  echo "FAIL: configure accepted missing generators"; exit 1
fi
grep -q "libgsoap-dev" <<<"$out" || { echo "FAIL: no install hint"; echo "$out"; exit 1; }
echo "1 passed, 0 failed"
