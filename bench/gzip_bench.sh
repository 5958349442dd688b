#!/bin/sh
# What gzip input costs the CSV reader beyond the decompression itself:
# `licit normalise` and `licit kpi` (whose work is mostly reading) on a
# generated CompraNet-shaped file, plain and gzipped, alternating, medians
# of 5 of CPU time, beside `gzip -dc` of the same file (the decompression
# alone) and `zcat | licit` (both processes' CPU) in the same run.
#   loss = (t_gz - t_plain - t_gunzip) / t_plain
# usage: bench/gzip_bench.sh [SIZE_MB] [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
size=${1:-100}
build=${2:-build}
out=bench/out
mkdir -p "$out"
data=$out/compranet_${size}mb.csv
[ -s "$data" ] || python3 bench/gen_compranet.py "$size" > "$data"
canon=$out/canonical_${size}mb.csv
[ -s "$canon" ] || "$build/licit" normalise -q "$data" > "$canon"
for f in "$data" "$canon"; do [ -s "$f.gz" ] || gzip -c -6 "$f" > "$f.gz"; done
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
secs() { # command... -> CPU seconds (user + system: the machine is shared,
  # and wall time there measures the neighbours too)
  /usr/bin/time -f "%U %S" -o "$out/time.txt" sh -c "$*" > /dev/null 2>&1 || true
  awk '{ print $1 + $2 }' "$out/time.txt"
}
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
bench() { # label, plain file, tool command
  label=$1 file=$2 tool=$3
  p="" g="" z="" d=""
  for i in 1 2 3 4 5; do
    p="$p $(secs "$tool '$file'")"
    g="$g $(secs "$tool '$file.gz'")"
    d="$d $(secs "gzip -dc '$file.gz'")"
    z="$z $(secs "gzip -dc '$file.gz' | $tool")"
  done
  # shellcheck disable=SC2086
  P=$(median $p) G=$(median $g) D=$(median $d) Z=$(median $z)
  awk -v l="$label" -v p="$P" -v g="$G" -v d="$D" -v z="$Z" 'BEGIN {
    printf "%-17s CPU: plain %6.2f s  gz %6.2f s  gzip -dc %5.2f s  zcat| %6.2f s  loss beyond decompression %+5.1f %%\n",
      l, p, g, d, z, (g - p - d) / p * 100 }'
}
echo "input: $data ($(wc -c < "$data") bytes), $canon ($(wc -c < "$canon") bytes)"
for engine in fast libcsv; do
  bench "normalise $engine" "$data" "$build/licit normalise -q --csv-engine $engine"
  bench "kpi $engine" "$canon" "$build/licit kpi -q --csv-engine $engine --by entity_id"
done
