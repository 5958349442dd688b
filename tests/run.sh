#!/bin/sh
# The test command: builds licit twice (plain with -Werror, then with
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs every test in
# both builds. Usage: tests/run.sh [--no-sanitize]
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DLICIT_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
if [ "${1:-}" != "--no-sanitize" ]; then
  cmake -S . -B build-san -DLICIT_WERROR=ON -DLICIT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
  cmake --build build-san -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-san --output-on-failure -j "$jobs"
fi
