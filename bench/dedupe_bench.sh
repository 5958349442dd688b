#!/bin/sh
# Throughput of `licit dedupe --level exact` on a generated canonical CSV
# (about 10 % exact copies, no provenance columns so that copies are
# identical lines), side by side with DuckDB's SELECT DISTINCT (through the
# @duckdb/node-api npm package) and `sort -u`, in one run.
# usage: bench/dedupe_bench.sh [SIZE_MB] [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
size=${1:-500}
build=${2:-build}
out=bench/out
mkdir -p "$out"
data=$out/dedupe_${size}.csv
[ -s "$data" ] || python3 bench/dedupe_plant.py canonical "$data" --mb "$size"
bytes=$(wc -c < "$data")
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
run() { # name, output file, command...
  name=$1; res=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$res" 2> "$out/stderr.txt" || { cat "$out/stderr.txt"; }
  read -r secs kb < "$out/time.txt"
  rows=$(($(wc -l < "$res") - 1))
  awk -v n="$name" -v b="$bytes" -v s="$secs" -v k="$kb" -v r="$rows" \
    'BEGIN { printf "%-30s %7.2f s %8.1f MB/s %8.1f MB peak RSS %9d rows out\n", n, s, b / 1048576 / s, k / 1024, r }'
}
echo "input: $data ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }'), $(($(wc -l < "$data") - 1)) rows)"
run "licit dedupe --level exact" "$out/dedupe_licit.csv" "$build/licit" dedupe -q --level exact "$data"
if [ -d bench/node_modules/@duckdb/node-api ] || npm install --prefix bench @duckdb/node-api >/dev/null 2>&1; then
  /usr/bin/time -f "%e %M" -o "$out/time.txt" node bench/dedupe_distinct.mjs "$data" "$out/dedupe_duckdb.csv" 2> "$out/stderr.txt" || cat "$out/stderr.txt"
  read -r secs kb < "$out/time.txt"
  rows=$(($(wc -l < "$out/dedupe_duckdb.csv") - 1))
  awk -v n="duckdb SELECT DISTINCT" -v b="$bytes" -v s="$secs" -v k="$kb" -v r="$rows" \
    'BEGIN { printf "%-30s %7.2f s %8.1f MB/s %8.1f MB peak RSS %9d rows out\n", n, s, b / 1048576 / s, k / 1024, r }'
else
  echo "npm install --prefix bench @duckdb/node-api failed: no DuckDB run"
fi
LC_ALL=C run "sort -u" "$out/dedupe_sort.csv" sort -u "$data"
rm -f "$out/dedupe_licit.csv" "$out/dedupe_duckdb.csv" "$out/dedupe_sort.csv"
