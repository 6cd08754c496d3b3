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

# gen_operations.py runs after soapcpp2, and alone when only the minimum
# versions of operations.txt change; its output is the same for the same
# input.
table="$work/build/generated/ews_op_table.c"
[ -s "$table" ] || { echo "FAIL: no ews_op_table.c"; exit 1; }
cp "$table" "$work/table.first"
sleep 1
cp "$work/wsdl/operations.txt" "$work/operations.orig"
sed -i 's/^\(GetImItemList *\) Exchange2013$/\1 Exchange2016/' "$work/wsdl/operations.txt"
out=$(build)
[ "$(ran 'gen_operations:' "$out")" -ge 1 ] || { echo "FAIL: editing operations.txt did not rerun gen_operations"; echo "$out"; exit 1; }
[ "$(ran 'wsdl2h:|soapcpp2:' "$out")" -eq 0 ] || { echo "FAIL: a version column change ran wsdl2h or soapcpp2"; echo "$out"; exit 1; }
grep -q '"GetImItemList", "Exchange2016"' "$table" || { echo "FAIL: the new minimum version is not in the table"; exit 1; }
sleep 1
cp "$work/operations.orig" "$work/wsdl/operations.txt"
build >/dev/null
cmp -s "$table" "$work/table.first" || { echo "FAIL: the same input generated another table"; diff "$work/table.first" "$table" | head; exit 1; }
echo "GetImItemList Exchange2013 extra" >> "$work/wsdl/operations.txt"
sleep 1
if out=$(build); then echo "FAIL: a malformed operations.txt line was accepted"; exit 1; fi
grep -q "expected an operation and at most a version" <<<"$out" || { echo "FAIL: no clear message for a malformed line"; echo "$out"; exit 1; }
cp "$work/operations.orig" "$work/wsdl/operations.txt"

sleep 1 # coarse file-system clocks
printf '\n' >> "$work/wsdl/types.xsd"
out=$(build)
[ "$(ran 'wsdl2h:' "$out")" -ge 1 ] || { echo "FAIL: editing types.xsd did not regenerate"; echo "$out"; exit 1; }
[ "$(ran 'soapcpp2:' "$out")" -ge 1 ] || { echo "FAIL: editing types.xsd did not rerun soapcpp2"; exit 1; }

# Any gSOAP 2.8 release is accepted when wsdl2h, soapcpp2 and the engine
# (stdsoap2.h's GSOAP_VERSION) are that one release; configure refuses a
# mismatch naming all three. Stub generators and a stub header stand in for
# another installation.
stub() { # stub <dir> <wsdl2h release> <soapcpp2 release> <GSOAP_VERSION>
  mkdir -p "$1"
  printf '#!/bin/sh\necho %s\n' "$2" > "$1/wsdl2h"
  printf '#!/bin/sh\nprintf %s\n' "$3" > "$1/soapcpp2"
  chmod +x "$1/wsdl2h" "$1/soapcpp2"
  printf '/* stub */\n#define GSOAP_VERSION %s\n' "$4" > "$1/stdsoap2.h"
}
configure() { # configure <build dir> <stub dir> (one build dir: compiler checks once)
  cmake -S "$src/tests/codegen/project" -B "$1" -DEWS_SOURCE_DIR="$src" \
        -DEWS_WSDL_DIR="$work/wsdl" -DEWS_WSDL2H="$2/wsdl2h" -DEWS_SOAPCPP2="$2/soapcpp2" \
        -DEWS_GSOAP_STDSOAP2_H="$2/stdsoap2.h" 2>&1
}
names() { # names <output> <wsdl2h> <soapcpp2> <engine>: the message names all three
  local flat; flat=$(tr -s ' \n' ' ' <<<"$1")
  for want in "wsdl2h is $2" "soapcpp2 is $3" "engine is $4"; do
    grep -qF "$want" <<<"$flat" || { echo "FAIL: the message does not say '$want'"; echo "$1"; exit 1; }
  done
}
stub "$work/gs132" 2.8.132 2.8.132 208132
out=$(configure "$work/b2" "$work/gs132") || { echo "FAIL: configure refused a matching 2.8.132"; echo "$out"; exit 1; }
grep -q "gSOAP 2.8.132: wsdl2h, soapcpp2 and engine agree" <<<"$out" \
  || { echo "FAIL: no note of the release found"; echo "$out"; exit 1; }
stub "$work/mix" 2.8.132 2.8.132 208124
if out=$(configure "$work/b2" "$work/mix"); then
  echo "FAIL: configure accepted 2.8.132 generators with a 2.8.124 engine"; exit 1
fi
names "$out" 2.8.132 2.8.132 2.8.124
stub "$work/mix2" 2.8.99 2.8.124 208124
if out=$(configure "$work/b2" "$work/mix2"); then
  echo "FAIL: configure accepted wsdl2h 2.8.99"; exit 1
fi
names "$out" 2.8.99 2.8.124 2.8.124
stub "$work/gs27" 2.7.17 2.7.17 207017
if out=$(configure "$work/b2" "$work/gs27"); then
  echo "FAIL: configure accepted gSOAP 2.7"; exit 1
fi
names "$out" 2.7.17 2.7.17 2.7.17
if out=$(cmake -S "$src/tests/codegen/project" -B "$work/b2" -DEWS_SOURCE_DIR="$src" \
             -DEWS_WSDL_DIR="$work/wsdl" -DEWS_SOAPCPP2="$work/no-such-dir/soapcpp2" 2>&1); then
  echo "FAIL: configure accepted missing generators"; exit 1
fi
grep -q "libgsoap-dev" <<<"$out" || { echo "FAIL: no install hint"; echo "$out"; exit 1; }
echo "1 passed, 0 failed"
