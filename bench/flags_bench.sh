#!/bin/sh
# Throughput and peak RSS of `licit flags`: the Cardinal indicators
# (--format cardinal) on generated OCDS compiled releases, and the Mexico
# rules (two passes) on generated canonical records. The peer, Cardinal
# (ocdscardinal, Rust), is run on the same JSON Lines when it is on PATH
# (it is not installable from the registries this project reaches).
# usage: bench/flags_bench.sh [OCDS_MB] [CSV_MB] [BUILD_DIR]   (default 200 500 build)
set -eu
cd "$(dirname "$0")/.."
ocds_mb=${1:-200}
csv_mb=${2:-500}
build=${3:-build}
out=bench/out/flags
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ -x "$build/licit" ] || { echo "no $build/licit: build first"; exit 1; }
jsonl=$out/releases_${ocds_mb}mb.jsonl
csv=$out/contracts_${csv_mb}mb.csv
[ -s "$jsonl" ] || python3 bench/flags_gen.py ocds "$ocds_mb" > "$jsonl"
[ -s "$csv" ] || python3 bench/flags_gen.py csv "$csv_mb" > "$csv"
echo "(timings on a shared, loaded 2-core machine)"

run() { # label, input, command...
  label=$1; input=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/$label.out" 2> "$out/$label.err"
  read -r secs kb < "$out/time.txt"
  bytes=$(wc -c < "$input")
  awk -v l="$label" -v b="$bytes" -v s="$secs" -v k="$kb" \
    'BEGIN { printf "%-28s %8.1f MB %7.2f s %8.1f MB/s  peak RSS %7.1f MB\n", l, b/1048576, s, (s > 0 ? b/1048576/s : 0), k/1024 }'
}
run licit-cardinal "$jsonl" "$build/licit" flags --format cardinal "$jsonl"
if command -v ocdscardinal >/dev/null; then
  run ocdscardinal "$jsonl" ocdscardinal indicators "$jsonl"
  python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); sys.exit(0 if a==b else 1)' \
    "$out/licit-cardinal.out" "$out/ocdscardinal.out" && echo "outputs agree" || echo "OUTPUTS DIFFER"
fi
run licit-mexico "$csv" "$build/licit" flags -q "$csv"
run licit-mexico-long "$csv" "$build/licit" flags -q --long "$csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("cardinal results:", {k: len(v) for k, v in d.items() if k != "Meta"})' "$out/licit-cardinal.out"
