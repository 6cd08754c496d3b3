#!/bin/sh
# The IM-list fixtures copied from Microsoft's reference pages must stay
# byte for byte what ../shared holds: each <Op>/<name>.xml there is
# tests/fixtures/<Op>/<name>/ (expected-request.xml or response.xml) here,
# and no copy is missing.
#   check_reference_copies.sh <fixtures-dir> <shared-dir> <operation>...
set -eu
fixtures=$1
examples=$2/ews-doc-examples
shift 2
if [ ! -d "$examples" ]; then
    echo "SKIP: $examples not found; the shared reference examples are optional"
    exit 77
fi
n=0
for op in "$@"; do
    for original in "$examples/$op"/*.xml; do
        [ -e "$original" ] || { echo "no examples for $op in $examples"; exit 1; }
        name=$(basename "$original" .xml)
        case $name in
            request-*) copy=$fixtures/$op/$name/expected-request.xml ;;
            *) copy=$fixtures/$op/$name/response.xml ;;
        esac
        cmp "$original" "$copy"
        n=$((n + 1))
    done
done
echo "$n fixtures match $examples"
