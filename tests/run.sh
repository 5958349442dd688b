#!/bin/sh
# The test command. Builds licit with -Werror and runs every test (unit,
# case and real-data tests); builds the libFuzzer targets with clang and
# gives each a short run from its seed corpus; then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs every test again.
# Usage: tests/run.sh [--quick]   (--quick: the first build only)
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DLICIT_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
[ "${1:-}" = "--quick" ] && exit 0

# the benchmark table on 20 MB: a smoke run that every row still runs
# (timings are printed, never judged here)
bench/run.sh --quick

# A target that no longer builds, or crashes at once, fails here; long
# fuzzing runs are done by hand (see README).
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }\n' >"$probe/p.c"
if command -v clang >/dev/null &&
   clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>/dev/null; then
  rm -rf "$probe"
  CC=clang cmake -S . -B build-fuzz -DLICIT_FUZZ=ON -DLICIT_TESTS=OFF -DLICIT_WERROR=ON >/dev/null
  cmake --build build-fuzz -j "$jobs"
  corpus=$(mktemp -d)
  trap 'rm -rf "$corpus" "$corpus.log"' EXIT
  for t in build-fuzz/tests/fuzz/fuzz_*; do
    # a copy of the target's checked-in seeds (tests/fuzz/make_corpus.sh),
    # else the samples
    seeds=tests/fuzz/corpus/$(basename "$t")
    [ -d "$seeds" ] || seeds=testdata/samples
    rm -rf "${corpus:?}"/* && cp "$seeds"/* "$corpus"/
    "$t" -max_total_time=10 -max_len=65536 -rss_limit_mb=2048 "$corpus" >"$corpus.log" 2>&1 ||
      { tail -40 "$corpus.log"; echo "fuzz: $t failed"; exit 1; }
    echo "fuzz: $(basename "$t"): $(grep -o 'Done [0-9]* runs' "$corpus.log"), $(grep -o 'cov: [0-9]*' "$corpus.log" | tail -1) edges"
  done
else
  rm -rf "$probe"
  echo "fuzz: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev): targets not built"
fi

cmake -S . -B build-san -DLICIT_WERROR=ON -DLICIT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-san -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j "$jobs"
