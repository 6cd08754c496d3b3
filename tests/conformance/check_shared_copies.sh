#!/bin/sh
# The GetImItemList fixtures copied from Microsoft's examples must stay
# byte-for-byte what ../shared holds (reference-https: with the EWS
# namespaces spelled https://, as some documentation pages do).
#   check_shared_copies.sh <fixtures-dir> <shared-dir>
set -eu
fixtures=$1/GetImItemList
examples=$2/ews-doc-examples/GetImItemList
if [ ! -d "$examples" ]; then
    echo "SKIP: $examples not found; the shared reference examples are optional"
    exit 77
fi
cmp "$examples/response-1.xml" "$fixtures/reference-http/response.xml"
cmp "$examples/fault-1.xml" "$fixtures/fault-incorrect-schema-version/response.xml"
sed 's#http://schemas\.microsoft\.com/exchange/#https://schemas.microsoft.com/exchange/#g' \
    "$examples/response-1.xml" | cmp - "$fixtures/reference-https/response.xml"
echo "fixtures match $examples"
