#!/bin/bash
# Runs the benchmarks and writes docs/PERFORMANCE.md and docs/perf-parse.png.
#
#   tests/bench/run.sh [--quick]
#
# Environment: BENCH_ROUNDS (default 3; interleaved rounds, medians reported),
# BENCH_SIZES (default "10 1000 10000 100000"), BENCH_BUILD_DIR (default
# build-bench), BENCH_EXCHANGELIB_ONCE_FROM (persona count from which
# exchangelib runs in the first round only, it takes minutes there; default
# 100000). --quick: 1 round, sizes 10 1000 10000.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/bench"
build=${BENCH_BUILD_DIR:-$root/build-bench}
rounds=${BENCH_ROUNDS:-3}
sizes=${BENCH_SIZES:-"10 1000 10000 100000"}
xl_once_from=${BENCH_EXCHANGELIB_ONCE_FROM:-100000}
if [ "${1:-}" = "--quick" ]; then
    rounds=1
    sizes="10 1000 10000"
fi

missing=()
while read -r pkg; do
    case "$pkg" in ''|'#'*) continue ;; esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done < "$here/packages.txt"
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DEWS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target ews-bench-gen ews-bench-parse ews-bench-textcheck \
    ews-bench-cli-json ews-imlist >/dev/null
have_e2e=0
if cmake --build "$build" -j"$(nproc)" --target ews-bench-e2e >/dev/null 2>&1; then
    have_e2e=1
fi

data="$build/bench-data"
out="$build/bench-results"
mkdir -p "$data" "$out"
results="$out/results.txt"
: > "$results"

for n in $sizes; do
    [ -s "$data/imlist-$n.xml" ] || "$build/tests/bench/ews-bench-gen" "$n" "$data/imlist-$n.xml"
done

# Repetitions inside one process: up to MAX_REPS, within BUDGET seconds.
reps_for() {
    case "$1" in
        10) echo "300 1" ;;
        1000) echo "40 2" ;;
        10000) echo "6 3" ;;
        *) echo "3 1" ;;
    esac
}

{
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "nproc=$(nproc)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "mem_gib=$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
    echo "kernel=$(uname -r)"
    echo "cc=$(cc --version | head -1)"
    echo "libxml2=$(pkg-config --modversion libxml-2.0)"
    echo "gsoap=$(pkg-config --modversion gsoap)"
    echo "exchangelib=$(/usr/bin/python3 -c 'import exchangelib; print(exchangelib.__version__)')"
    echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

# The well-formedness check must refuse whatever the byte-by-byte character
# pre-scan refuses before its time is worth reporting.
ref_response="$root/tests/fixtures/GetImItemList/reference-http/response.xml"
"$build/tests/bench/ews-bench-textcheck" verify 200000 1 "$data"/imlist-*.xml \
    $(find "$root/tests/fixtures" "$root/tests/fuzz" -type f -size -1024k | sort)
for n in $sizes; do
    line=$("$build/tests/bench/ews-bench-textcheck" time "$data/imlist-$n.xml" 20)
    echo "impl=textcheck n=$n $line" | tee -a "$results"
done

for round in $(seq 1 "$rounds"); do
    for n in $sizes; do
        f="$data/imlist-$n.xml"
        read -r max budget < <(reps_for "$n")
        for impl in ews dom reader; do
            line=$("$build/tests/bench/ews-bench-parse" "$impl" "$f" "$max" "$budget")
            echo "round=$round n=$n $line" | tee -a "$results"
        done
        if [ "$round" -eq 1 ] || [ "$n" -lt "$xl_once_from" ]; then
            line=$(/usr/bin/python3 "$here/exchangelib_parse.py" "$f" "$max" "$budget")
            echo "round=$round n=$n $line" | tee -a "$results"
        fi
    done
done

if [ "$have_e2e" = 1 ]; then
    for round in $(seq 1 "$rounds"); do
        "$build/tests/bench/ews-bench-e2e" "$data/imlist-10.xml" | sed "s/^/round=$round /" | tee -a "$results"
        # Microsoft's reference response (13 kB, indented), no sweep.
        "$build/tests/bench/ews-bench-e2e" "$ref_response" 2000 0 | sed "s/^/round=$round /" |
            tee -a "$results"
    done
fi
# ews-imlist --from-file --json against xmllint --noout as whole processes
# (issue 16, item 5), on the largest full list under the response limit;
# its figures are copied into issue16_figures.md by hand.
[ -s "$data/imlist-8000.xml" ] || "$build/tests/bench/ews-bench-gen" 8000 "$data/imlist-8000.xml"
"$build/tests/bench/ews-bench-cli-json" "$build/examples/ews-imlist/ews-imlist" \
    "$data/imlist-8000.xml" 9 | tee "$out/cli-json.txt"
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

/usr/bin/python3 "$here/report.py" "$out/machine.txt" "$results" "$root/docs/PERFORMANCE.md" \
    "$root/docs/perf-parse.png"
echo "wrote docs/PERFORMANCE.md and docs/perf-parse.png"
