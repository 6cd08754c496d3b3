#!/usr/bin/env bash
# The embedding example, built against the public shared library only, lists
# the mock server's demo mailbox over real HTTP; and reports a failure the
# way an integrator would see it.
set -euo pipefail
embed=$1 mock=$2
work=$(mktemp -d)
"$mock" --demo --port 0 --port-file "$work/port" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

out=$("$embed" "http://127.0.0.1:$port/EWS/Exchange.asmx" demo@contoso.com none)
for want in "Other Contacts (0 members)" "Tagged (0 members)" "Favorites (1 members)" \
            "MyCustomGroup2 (2 members)" "2 personas"; do
  grep -qF "$want" <<<"$out" || { echo "FAIL: missing '$want' in:"; echo "$out"; exit 1; }
done

# Nothing listens on the port any more: a transport error, exit 1.
kill $pid; wait $pid 2>/dev/null || true
if err=$("$embed" "http://127.0.0.1:$port/EWS/Exchange.asmx" demo@contoso.com none 2>&1); then
  echo "FAIL: succeeded without a server"; exit 1
fi
grep -q "\[transport\]" <<<"$err" || { echo "FAIL: no transport category in: $err"; exit 1; }
echo "1 passed, 0 failed"
