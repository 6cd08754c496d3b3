#!/bin/sh
# Generates the library from the whole official schema at build time
# (EWS_SCHEMA_DIR, EWS_OPERATIONS=ALL) in a build directory of its own, at
# -O0, with the mock server, and builds probe/ against it. Then starts
# ews-mock-server on 127.0.0.1 with the canned responses of
# tests/fixtures/canned and runs the probe, which calls operations outside
# the IM family through the public typed API. Only the three targets it
# needs are built (libews, ews-mock-server, the probe; not the tests, not
# ews-imlist). Prints how long configure and build took.
#   run.sh <source-dir> <schema-dir> <build-dir>
set -eu
src=$1
schema=$2
build=$3
if [ ! -f "$schema/messages.xsd" ]; then
    echo "SKIP: $schema/messages.xsd not found; the official EWS schema is optional reference material"
    exit 77
fi
canned=$src/tests/fixtures/canned
start=$(date +%s)
cmake -S "$src/tests/fullschema/probe" -B "$build" -DEWS_SOURCE_DIR="$src" \
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=-O0 \
      -DEWS_BUILD_TESTS=OFF -DEWS_BUILD_EXAMPLES=ON \
      -DEWS_SCHEMA_DIR="$schema" -DEWS_OPERATIONS=ALL >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log"; exit 1; }
configured=$(date +%s)
cmake --build "$build" --parallel 2 --target ews ews-mock-server fullschema_probe \
      >"$build.build.log" 2>&1 ||
    { tail -n 60 "$build.build.log"; exit 1; }
built=$(date +%s)

# The mock, on a free loopback port; stopped however this script ends.
port_file=$build.port
rm -f "$port_file"
"$build/ews/examples/mock/ews-mock-server" --demo --port-file "$port_file" \
    --canned "ResolveNames=$canned/ResolveNames.xml" \
    --canned "GetPersona=$canned/GetPersona-full.xml" \
    --canned "GetUserOofSettings=$canned/GetUserOofSettings.xml" \
    --canned "GetFolder=$canned/GetFolder-second-error.xml" \
    >"$build.mock.log" 2>&1 &
mock=$!
stop_mock() { kill "$mock" 2>/dev/null || :; wait "$mock" 2>/dev/null || :; }
trap stop_mock EXIT
trap 'stop_mock; exit 1' INT TERM
tries=0
while [ ! -s "$port_file" ]; do
    if ! kill -0 "$mock" 2>/dev/null || [ "$tries" -ge 100 ]; then
        echo "ews-mock-server did not start:"; cat "$build.mock.log"; exit 1
    fi
    tries=$((tries + 1))
    sleep 0.1
done
port=$(cat "$port_file")
"$build/fullschema_probe" "http://127.0.0.1:$port/EWS/Exchange.asmx" ||
    { echo "ews-mock-server log:"; cat "$build.mock.log"; exit 1; }

lines=$(wc -l <"$build/ews/generated/soapC.c")
size=$(wc -c <"$(readlink -f "$build/ews/runtime/libews.so")")
echo "full schema: configure $((configured - start)) s, build $((built - configured)) s" \
     "(soapC.c $lines lines, libews.so $size bytes)"
