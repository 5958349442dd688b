#!/bin/sh
# Issue 12's rows: OCDS release JSON Lines (bench/gen_ocds.py, sorted and
# shuffled) through `licit normalise` side by side with DuckDB's
# read_ndjson writing the same fields to CSV (bench/duckdb_ocds.mjs, 2
# threads), and `licit flags --format cardinal` side by side with the
# licit of before issue 12 (jansson; built from git, commit $LICIT_BASELINE),
# alternating, medians of 3; peak RSS of normalise on the sorted file.
# Checks on the way: the shuffled file gives the same rows as the sorted
# one, and both licits give the same Cardinal output.
# usage: bench/ocds_bench.sh [SIZE_MB] [BUILD_DIR]     (default 200 build)
#        RSS_MB=1024 bench/ocds_bench.sh ...  also: peak RSS on a 1 GB file
set -eu
cd "$(dirname "$0")/.."
size=${1:-200}
build=${2:-build}
base_commit=${LICIT_BASELINE:-c5eb906}
out=bench/out/ocds
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ -x "$build/licit" ] || { echo "no $build/licit: build first"; exit 1; }
sorted=$out/releases_${size}mb.jsonl
shuffled=$out/releases_${size}mb_shuffled.jsonl
[ -s "$sorted" ] || python3 bench/gen_ocds.py "$size" > "$sorted"
[ -s "$shuffled" ] || python3 bench/gen_ocds.py "$size" --shuffle > "$shuffled"

# the licit of before issue 12, for the Cardinal row
base=$out/baseline
if [ ! -x "$base/build/licit" ] && git rev-parse --verify -q "$base_commit^{commit}" >/dev/null; then
  rm -rf "$base" && mkdir -p "$base"
  git archive "$base_commit" | tar -x -C "$base"
  cmake -S "$base" -B "$base/build" -DLICIT_TESTS=OFF >/dev/null
  cmake --build "$base/build" -j2 >/dev/null
fi
duck=
if command -v node >/dev/null && [ -d bench/node_modules/@duckdb/node-api ]; then
  duck=1
else
  echo "no DuckDB (cd bench && npm install): no peer for normalise"
fi

# one timed run: prints "seconds peak_kb"
timed() {
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/run.out" 2> "$out/run.err" ||
    { cat "$out/run.err"; echo "failed: $*"; exit 1; }
  cat "$out/time.txt"
}
median3() { printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -n | sed -n 2p; }
# row LABEL_A LABEL_B "CMD A" "CMD B": alternating, 3 each, medians, ratio A/B
row() {
  la=$1; lb=$2; ca=$3; cb=$4; ta=; tb=; ra=0
  for i in 1 2 3; do
    set -- $(timed sh -c "$ca"); ta="$ta $1"; [ "$2" -gt "$ra" ] && ra=$2
    set -- $(timed sh -c "$cb"); tb="$tb $1"
  done
  ma=$(median3 $ta); mb=$(median3 $tb)
  awk -v la="$la" -v lb="$lb" -v a="$ma" -v b="$mb" -v s="$(wc -c < "$sorted")" -v r="$ra" \
    'BEGIN { printf "%-44s %6.2f s %7.1f MB/s (peak %5.1f MB)\n%-44s %6.2f s %7.1f MB/s\n%-44s %6.2f\n",
             la, a, s/1048576/a, r/1024, lb, b, s/1048576/b, "  ratio " la " / " lb, a/b }'
}

echo "input: $sorted ($(wc -l < "$sorted") releases), and shuffled; medians of 3, alternating"
echo "(timings on a shared, loaded 2-core machine)"
if [ -n "$duck" ]; then
  row "licit normalise (sorted JSON Lines)" "DuckDB read_ndjson -> CSV, 2 threads" \
    "$build/licit normalise -q $sorted" "node bench/duckdb_ocds.mjs $sorted 2 $out/duck.csv PLAIN"
  row "licit normalise (shuffled JSON Lines)" "DuckDB, join by ocid, 2 threads" \
    "$build/licit normalise -q $shuffled" "node bench/duckdb_ocds.mjs $shuffled 2 $out/duck.csv"
fi
# the rows without the source column (the file name)
"$build/licit" normalise -q "$sorted" | sed "s#$sorted#IN#" > "$out/sorted.csv"
"$build/licit" normalise -q "$shuffled" | sed "s#$shuffled#IN#" > "$out/shuffled.csv"
cmp -s "$out/sorted.csv" "$out/shuffled.csv" && echo "shuffled input: the same rows as sorted" ||
  echo "SHUFFLED INPUT GIVES OTHER ROWS"
if [ -x "$base/build/licit" ]; then
  row "licit flags --format cardinal" "licit before issue 12 ($base_commit)" \
    "$build/licit flags --format cardinal $sorted" "$base/build/licit flags --format cardinal $sorted"
  "$build/licit" flags --format cardinal "$sorted" > "$out/card_new.json"
  "$base/build/licit" flags --format cardinal "$sorted" > "$out/card_base.json"
  cmp -s "$out/card_new.json" "$out/card_base.json" && echo "cardinal: the same output as before" ||
    echo "CARDINAL OUTPUT DIFFERS FROM BEFORE"
fi
if [ -n "${RSS_MB:-}" ]; then
  big=$out/releases_${RSS_MB}mb.jsonl
  [ -s "$big" ] || python3 bench/gen_ocds.py "$RSS_MB" > "$big"
  set -- $(timed "$build/licit" normalise -q "$big")
  awk -v m="$RSS_MB" -v s="$1" -v k="$2" \
    'BEGIN { printf "licit normalise, %d MB sorted: %.2f s, peak RSS %.1f MB\n", m, s, k/1024 }'
fi
