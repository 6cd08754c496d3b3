#!/bin/sh
# Generates the library from the whole official schema at build time
# (EWS_SCHEMA_DIR, EWS_OPERATIONS=ALL) in a build directory of its own, at
# -O0, and builds probe/ against it: the runtime and a program using an
# operation outside the IM family must compile and link. Prints how long
# configure and build took.
#   run.sh <source-dir> <schema-dir> <build-dir>
set -eu
src=$1
schema=$2
build=$3
if [ ! -f "$schema/messages.xsd" ]; then
    echo "SKIP: $schema/messages.xsd not found; the official EWS schema is optional reference material"
    exit 77
fi
start=$(date +%s)
cmake -S "$src/tests/fullschema/probe" -B "$build" -DEWS_SOURCE_DIR="$src" \
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=-O0 \
      -DEWS_BUILD_TESTS=OFF -DEWS_BUILD_EXAMPLES=OFF \
      -DEWS_SCHEMA_DIR="$schema" -DEWS_OPERATIONS=ALL >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log"; exit 1; }
configured=$(date +%s)
cmake --build "$build" --parallel 2 >"$build.build.log" 2>&1 ||
    { tail -n 60 "$build.build.log"; exit 1; }
built=$(date +%s)
"$build/fullschema_probe" >"$build.probe.out" || { cat "$build.probe.out"; exit 1; }
lines=$(wc -l <"$build/ews/generated/soapC.c")
echo "full schema: configure $((configured - start)) s, build $((built - configured)) s" \
     "(soapC.c $lines lines); fullschema_probe serialized ResolveNames"
