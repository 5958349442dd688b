#!/bin/sh
# Throughput of `licit kpi --by buyer_id --kpis contracts,amount` on a
# generated file of canonical records, in one run with its peers on the
# same file: `mlr stats1 -a count,sum -g buyer_id` and DuckDB (GROUP BY
# through the @duckdb/node-api npm package, 1 and 2 threads). Checks that
# all outputs agree (contracts and summed amount per buyer) and prints
# MB/s and peak RSS for each.
# usage: bench/kpi_bench.sh [SIZE_MB] [BUILD_DIR]     (default 500 build)
# DuckDB: npm install --prefix bench @duckdb/node-api (bench/node_modules)
set -eu
cd "$(dirname "$0")/.."
size=${1:-500}
build=${2:-build}
out=bench/out/kpi
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ -x "$build/licit" ] || { echo "no $build/licit: build first"; exit 1; }

# a 50 MB chunk, concatenated (without its header) up to the size asked
data=$out/canonical_${size}mb.csv
if [ ! -s "$data" ]; then
  chunk=$out/canonical_chunk50.csv
  [ -s "$chunk" ] || python3 bench/kpi_gen.py 50 > "$chunk"
  copies=$(( (size + 49) / 50 ))
  { cat "$chunk"; i=1; while [ $i -lt $copies ]; do tail -n +2 "$chunk"; i=$((i + 1)); done; } > "$data"
fi
bytes=$(wc -c < "$data")
echo "input: $data ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }'), $(($(wc -l < "$data") - 1)) rows)"
echo "(timings on a shared, loaded 2-core machine)"

run() { # name, output file, command...
  name=$1; res=$2; shift 2
  if ! /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$res" 2> "$out/stderr.txt"; then
    echo "$name: failed:"; cat "$out/stderr.txt"; return 1
  fi
  read -r secs kb < "$out/time.txt"
  awk -v n="$name" -v b="$bytes" -v s="$secs" -v k="$kb" \
    'BEGIN { printf "%-40s %7.2f s %8.1f MB/s %8.1f MB peak RSS\n", n, s, b / 1048576 / (s > 0 ? s : 0.01), k / 1024 }'
}

status=0
run "licit kpi --by buyer_id" "$out/licit.csv" \
  "$build/licit" kpi -q --by buyer_id --kpis contracts,amount "$data" || status=1
outs="licit=$out/licit.csv"
if command -v mlr >/dev/null; then
  run "mlr stats1 -a count,sum -g buyer_id" "$out/mlr.csv" \
    mlr --icsv --ocsv stats1 -a count,sum -f amount -g buyer_id "$data" || status=1
  outs="$outs mlr=$out/mlr.csv"
else
  echo "mlr not installed (apt-get install miller): no mlr run"
fi
if [ -d bench/node_modules/@duckdb/node-api ] && command -v node >/dev/null; then
  for t in 1 2; do
    run "duckdb GROUP BY (threads=$t)" "$out/duckdb$t.csv" \
      sh -c 'node bench/duckdb_groupby.mjs "$1" "$2" "$3" && cat "$3"' sh \
      "$data" "$t" "$out/duckdb$t.out.csv" || status=1
    outs="$outs duckdb$t=$out/duckdb$t.csv"
  done
else
  echo "DuckDB not installed (npm install --prefix bench @duckdb/node-api): no DuckDB run"
fi

# every output: the same buyers, the same counts, sums equal to 1e-9
python3 - $outs <<'PY' || status=1
import csv, sys
res = {}
for arg in sys.argv[1:]:
    name, path = arg.split("=", 1)
    rows = {}
    for r in csv.DictReader(open(path, newline="")):
        if name == "mlr":
            rows[r["buyer_id"]] = (int(r["amount_count"]), float(r["amount_sum"]))
        else:
            rows[r["buyer_id"]] = (int(r["contracts"]), float(r["amount"]))
    res[name] = rows
ref_name, ref = next(iter(res.items()))
ok = True
for name, rows in res.items():
    if set(rows) != set(ref):
        print("check: %s and %s list different buyers" % (name, ref_name)); ok = False
        continue
    for b, (n, s) in ref.items():
        m, t = rows[b]
        if m != n or abs(t - s) > 1e-9 * max(1.0, abs(s)):
            print("check: %s %s: %d %.2f vs %s %d %.2f" % (b, name, m, t, ref_name, n, s))
            ok = False
            break
print("check: %s agree on %d buyers, %d rows" % (
    ", ".join(res), len(ref), sum(n for n, _ in ref.values())) if ok else "check: outputs DIFFER")
sys.exit(0 if ok else 1)
PY
exit $status
