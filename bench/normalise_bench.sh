#!/bin/sh
# Throughput of `licit normalise` on a generated CompraNet-shaped file,
# side by side with `mlr --icsv --ocsv cat` (a plain CSV pass-through: the
# floor of what any CSV tool must do) on the same file, in one run.
# usage: bench/normalise_bench.sh [SIZE_MB] [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
size=${1:-100}
build=${2:-build}
out=bench/out
mkdir -p "$out"
data=$out/compranet_${size}mb.csv
[ -s "$data" ] || python3 bench/gen_compranet.py "$size" > "$data"
bytes=$(wc -c < "$data")
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
run() { # name, command...
  name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$out/time.txt" "$@" > /dev/null 2> "$out/stderr.txt" || true
  read -r secs kb user sys < "$out/time.txt"
  awk -v n="$name" -v b="$bytes" -v s="$secs" -v k="$kb" -v u="$user" -v y="$sys" \
    'BEGIN { printf "%-34s %6.2f s wall %8.1f MB/s %6.2f s CPU %8.1f MB peak RSS\n", n, s, b / 1048576 / s, u + y, k / 1024 }'
}
# Miller runs its reader, mapper and writer on separate cores: compare
# CPU time as well as wall time.
echo "input: $data ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }'), $(wc -l < "$data") lines)"
run "licit normalise" "$build/licit" normalise -q "$data"
run "licit normalise --format jsonl" "$build/licit" normalise -q --format jsonl "$data"
if command -v mlr >/dev/null; then
  run "mlr --icsv --ocsv cat" mlr --icsv --ocsv cat "$data"
else
  echo "mlr not installed (apt-get install miller): no peer run"
fi
