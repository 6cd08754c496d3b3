#!/usr/bin/env bash
# The test command of the README: configure, build and run the whole suite;
# then the suite under AddressSanitizer + UndefinedBehaviorSanitizer, the
# threaded test under ThreadSanitizer, and the C integration tests under
# valgrind's memcheck.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
werror=${EWS_WERROR:-OFF}
step() { printf '\n==== %s\n' "$*"; }

step "build and test (Release: the configuration users run)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DEWS_WERROR="$werror"
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

step "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEWS_WERROR="$werror" \
      -DEWS_SANITIZE=address,undefined
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE 'no-sanitizer|fuzz'

step "ThreadSanitizer (clients in parallel threads)"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DEWS_WERROR="$werror" -DEWS_SANITIZE=thread
cmake --build build-tsan -j "$jobs" --target client_threads ops_calls mock_throttle cells
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -L tsan

step "valgrind memcheck (C integration tests)"
ctest --test-dir build --output-on-failure -j "$jobs" -T memcheck -L integration \
      -LE 'no-sanitizer|valgrind|script'
