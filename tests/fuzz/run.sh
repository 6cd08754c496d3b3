#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, -fsanitize=fuzzer,address,undefined)
# in a build directory of their own and runs each one for SECONDS (default
# 60), one after the other, over a seed corpus: the response fixtures, our
# own seeds and every saved regression.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS[:SECONDS]...]   e.g. tests/fuzz/run.sh 3600 imlist
#
# A harness named with ":SECONDS" runs that long instead (auth:20).
# The corpus each run grows is kept in $EWS_FUZZ_BUILD_DIR/corpus/<harness>
# (default build-fuzz/), so longer runs build on shorter ones. A crash leaves
# its input in $EWS_FUZZ_BUILD_DIR/artifacts/<harness>/: reproduce it with
#   build-fuzz/tests/fuzz/fuzz_<harness> <file>
# and keep it as a regression in tests/fuzz/regressions/<harness>/, which the
# normal suite replays (test fuzz_regressions).
# Exit status: 0 clean, 1 a harness failed, 77 no clang/libFuzzer here.
set -euo pipefail

secs=${1:-60}
shift || true
harnesses=("$@")
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(imlist imops)
  [ -f "$root/runtime/src/ops/call.c" ] && harnesses+=(http)
  harnesses+=(auth)
fi
build=${EWS_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)
cc=${EWS_FUZZ_CC:-clang}

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
  > "$probe/p.c"
if ! command -v "$cc" >/dev/null ||
   ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
  echo "SKIP: $cc cannot build a libFuzzer program (Debian: apt-get install clang libclang-rt-14-dev)"
  cat "$probe/err" 2>/dev/null || true
  exit 77
fi

mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DEWS_FUZZ=ON \
      -DEWS_SANITIZE=address,undefined -DEWS_BUILD_EXAMPLES=OFF \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" >"$build/fuzz-cmake.log" 2>&1 ||
  { cat "$build/fuzz-cmake.log"; exit 1; }
targets=()
for h in "${harnesses[@]}"; do targets+=(--target "fuzz_${h%%:*}"); done
cmake --build "$build" -j "$jobs" "${targets[@]}" >"$build/fuzz-build.log" 2>&1 ||
  { tail -50 "$build/fuzz-build.log"; exit 1; }

# The fixtures are named by their directory: every one is response.xml.
# Harness B gets each as the body of a 200 (see fake_transport.h).
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/imlist" "$seeds/http"
for f in "$root"/tests/fixtures/*/*/response.xml; do
  [ -f "$f" ] || continue
  d=$(dirname "$f")
  name="$(basename "$(dirname "$d")")-$(basename "$d")"
  cp "$f" "$seeds/imlist/$name.xml"
  { printf '200\nContent-Type: text/xml; charset=utf-8\n\n'; cat "$f"; } >"$seeds/http/$name.txt"
done
# Harness C's inputs start with the operation's index in oom/im_ops.c.
mkdir -p "$seeds/imops"
op=0
for name in $(grep -oE '^    \{ \.name = "[A-Za-z]+"' "$here/oom/im_ops.c" | cut -d'"' -f2); do
  for f in "$root"/tests/fixtures/"$name"/*/response.xml; do
    [ -f "$f" ] || continue
    { printf "\\$(printf '%03o' "$op")"; cat "$f"; } >"$seeds/imops/$name-$(basename "$(dirname "$f")").xml"
  done
  op=$((op + 1))
done
[ "$op" -eq 11 ] || { echo "expected 11 operations in oom/im_ops.c, found $op"; exit 1; }
# One dictionary per harness: B's inputs are XML bodies behind HTTP lines.
cat "$here/imlist.dict" "$here/http.dict" >"$build/http.dict"
cp "$here/imlist.dict" "$build/imlist.dict"
cp "$here/imlist.dict" "$build/imops.dict"

status=0
summary=()
for spec in "${harnesses[@]}"; do
  h=${spec%%:*}
  hsecs=$secs
  [ "$spec" != "$h" ] && hsecs=${spec#*:}
  corpus="$build/corpus/$h"
  artifacts="$build/artifacts/$h"
  mkdir -p "$corpus" "$artifacts" "$seeds/$h"
  dirs=("$corpus" "$seeds/$h")
  for d in "$here/seeds/$h" "$here/regressions/$h"; do
    [ -d "$d" ] && dirs+=("$d")
  done
  dict=()
  [ -f "$build/$h.dict" ] && dict=(-dict="$build/$h.dict")
  log="$build/fuzz-$h.log"
  # A harness that runs third-party code in-process may name its leaks.
  lsan=
  [ -f "$here/lsan-$h.supp" ] && lsan="suppressions=$here/lsan-$h.supp:print_suppressions=0"
  echo "== fuzz_$h: ${hsecs}s over ${dirs[*]}"
  rc=0
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  LSAN_OPTIONS=${LSAN_OPTIONS:-$lsan} \
    "$build/tests/fuzz/fuzz_$h" -max_total_time="$hsecs" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="$artifacts/" "${dirs[@]}" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 || true)
  if [ $rc -ne 0 ]; then
    status=1
    tail -60 "$log"
    echo "fuzz_$h FAILED (exit $rc); inputs in $artifacts:"
    ls -l "$artifacts"
  fi
  summary+=("fuzz_$h: ${execs:-?} executions in ${hsecs}s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files, exit $rc")
done
printf '%s\n' "${summary[@]}"
exit $status
