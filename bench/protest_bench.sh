#!/bin/sh
# Time and peak memory of `licit bidprotest-stats` on a generated register
# of PROTESTS protests against PROCEDURES procedures (default 1 million
# against 10 million), side by side, in one run, with two peers doing part
# of the same work on the same files: an awk join computing protests /
# distinct procedures per entity (the protest_rate column alone), and
# Miller counting distinct procedures per entity (the denominators alone;
# only up to 1 million procedures: it holds every record in memory).
# usage: bench/protest_bench.sh [PROCEDURES] [PROTESTS] [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
nproc_=${1:-10000000}
nprot=${2:-1000000}
build=${3:-build}
out=bench/out/protests_${nproc_}_${nprot}
mkdir -p "$out"
if [ ! -s "$out/protests.csv" ]; then
  python3 bench/gen_protests.py scale --seed 7 --procedures "$nproc_" \
    --protests "$nprot" "$out"
fi
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
bytes=$(cat "$out/procedures.csv" "$out/protests.csv" | wc -c)
run() { # name, command...
  name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/result.txt" 2> "$out/stderr.txt" || true
  read -r secs kb < "$out/time.txt"
  awk -v n="$name" -v b="$bytes" -v s="$secs" -v k="$kb" \
    'BEGIN { printf "%-40s %7.2f s %8.1f MB/s %8.1f MB peak RSS\n", n, s, b / 1048576 / s, k / 1024 }'
}
echo "input: $out: $(($(wc -l < "$out/procedures.csv") - 1)) procedure rows," \
  "$(($(wc -l < "$out/protests.csv") - 1)) protests," \
  "$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }')"
run "licit bidprotest-stats (all measures)" "$build/licit" bidprotest-stats -q \
  --procedures "$out/procedures.csv" "$out/protests.csv"
cp "$out/result.txt" "$out/licit.csv"
run "licit bidprotest-stats --by entity_id,year" "$build/licit" bidprotest-stats -q \
  --procedures "$out/procedures.csv" --by entity_id,year "$out/protests.csv"
run "awk join (protest_rate only)" awk -F, '
  NR == FNR { if (FNR > 1 && !($2 in seen)) { seen[$2] = 1; procs[$4]++ } next }
  FNR > 1 { prot[$3]++ }
  END { for (e in procs) { r = sprintf("%.6f", prot[e] / procs[e]); sub(/0+$/, "", r); sub(/\.$/, "", r)
          printf "%s,%d,%d,%s\n", e, prot[e], procs[e], r } }' \
  "$out/procedures.csv" "$out/protests.csv"
# the awk and licit rates must agree
sort "$out/result.txt" > "$out/awk_sorted.txt"
awk -F, 'NR > 1 { printf "%s,%s,%s,%s\n", $1, $2, $4, $7 }' "$out/licit.csv" | sort > "$out/licit_sorted.txt"
if cmp -s "$out/awk_sorted.txt" "$out/licit_sorted.txt"; then
  echo "licit and awk agree on protests, procedures and protest_rate of every entity"
else
  echo "MISMATCH between licit and awk: diff $out/awk_sorted.txt $out/licit_sorted.txt"
fi
if [ "$nproc_" -gt 1000000 ]; then
  # Miller keeps every record: ~2.5 KB per procedure, 25 GB at 10 million
  echo "mlr skipped above 1 million procedures (it needs ~2.5 KB per procedure)"
elif command -v mlr >/dev/null; then
  run "mlr count-distinct (denominators only)" mlr --icsv --ocsv \
    count-distinct -f procedure_id,entity_id then count -g entity_id "$out/procedures.csv"
else
  echo "mlr not installed (apt-get install miller): no Miller run"
fi
