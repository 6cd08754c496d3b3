#!/usr/bin/env bash
# The test command of the README: configure, build and run the whole suite,
# then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
werror=${EWS_WERROR:-OFF}

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEWS_WERROR="$werror"
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEWS_WERROR="$werror" \
      -DEWS_SANITIZE=address,undefined
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE no-sanitizer
