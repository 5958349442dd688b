#!/bin/sh
# The benchmark table (issue 10): every licit job beside its peer on the
# same generated files, in one call. Runs alternate licit and peer; each
# time is the median of 3 wall times (one with --quick); the ratio is licit
# time / peer time (below 1: licit is faster). CPU time (user + sys,
# median) is shown beside it: on a loaded machine it is the steadier
# figure. Peak RSS is the largest of the runs. Prints a markdown table on standard output.
#
# usage: bench/run.sh [--quick] [--csv | --scale] [BUILD_DIR]   (default build)
#   --csv: only the CSV rows (issue 10), not the OCDS ones
#   --scale: only the rows of issue 15 (the sharded pipeline under GNU
#            parallel, -j 2 against -j 1 and the ceiling two cores give,
#            the size of a kpi partial file)
#   full run: 500 MB of raw CompraNet-shaped CSV (bench/gen_compranet.py)
#             and its canonical form; not part of CI
#   --quick:  20 MB, one run of each: a smoke test that every row runs
# Peers: DuckDB through node (cd bench && npm install), mlr and sort from
# Debian (apt-get install miller coreutils time). A missing peer leaves its
# rows without a ratio. Files go to bench/out/run/ (kept between runs).
set -eu
cd "$(dirname "$0")/.."
quick=0 csv_only=0 scale_only=0
if [ "${1:-}" = --quick ]; then quick=1; shift; fi
if [ "${1:-}" = --csv ]; then csv_only=1; shift; fi
if [ "${1:-}" = --scale ]; then scale_only=1 csv_only=1; shift; fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
build=${1:-build}
size=500 reps=3
[ $quick = 1 ] && size=20 reps=1
out=bench/out/run
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)"; exit 1; }
[ -x "$build/licit" ] || { echo "bench: no $build/licit: build first"; exit 1; }
licit=$(cd "$build" && pwd)/licit
export LICIT_DATA_DIR="$PWD/data"

raw=$out/raw_${size}mb.csv
canon=$out/canonical_${size}mb.csv
[ -s "$raw" ] || python3 bench/gen_compranet.py "$size" > "$raw" 2>/dev/null
[ -s "$canon" ] || "$licit" normalise -q "$raw" > "$canon"
duck=0
if command -v node >/dev/null && [ -d bench/node_modules/@duckdb/node-api ]; then duck=1; fi

# Where every job's output goes, licit's and the peers' alike: a file in
# memory (tmpfs), one per bench run, emptied after each job. (Not
# /dev/null: DuckDB locks the file it copies to, and two benchmarks at
# once would fail on the one /dev/null.)
sinkdir=/dev/shm
[ -d "$sinkdir" ] && [ -w "$sinkdir" ] || sinkdir=$out
sink=$sinkdir/licit-bench.$$.out dsink=$sinkdir/licit-bench.$$.duck.csv
trap 'rm -f "$sinkdir"/licit-bench.$$.*' EXIT

# one timed run: "seconds kilobytes" on stdout; the command's output is
# thrown away, its failure fails the bench
timed() {
  rm -f "$sink" "$dsink"
  if ! /usr/bin/time -f "%e %M %U %S" -o "$out/time.txt" sh -c "$1" > "$sink" 2> "$out/err.txt"; then
    echo "bench: failed: $1" >&2
    cat "$out/err.txt" >&2
    exit 1
  fi
  tail -n 1 "$out/time.txt" | awk '{ print $1, $2, $3 + $4 }'
}
mb() { awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure NAME INPUT LICIT_CMD PEER_NAME PEER_CMD GOAL: a table row
rows=""
measure() {
  name=$1 inmb=$(mb "$2") lcmd=$3 pname=$4 pcmd=$5 goal=$6
  : > "$out/l.txt"; : > "$out/p.txt"
  i=0
  while [ $i -lt $reps ]; do
    timed "$lcmd" >> "$out/l.txt"
    [ -n "$pcmd" ] && timed "$pcmd" >> "$out/p.txt"
    i=$((i + 1))
  done
  row "$name" "$pname" "$goal" "$(cut -d' ' -f1 "$out/l.txt" | median)" \
      "$(cut -d' ' -f2 "$out/l.txt" | sort -n | tail -n 1)" \
      "$( [ -s "$out/p.txt" ] && cut -d' ' -f1 "$out/p.txt" | median)" \
      "$( [ -s "$out/p.txt" ] && cut -d' ' -f2 "$out/p.txt" | sort -n | tail -n 1)" \
      "$(cut -d' ' -f3 "$out/l.txt" | median)" "$( [ -s "$out/p.txt" ] && cut -d' ' -f3 "$out/p.txt" | median)"
}
# row NAME PEER GOAL LICIT_S LICIT_KB PEER_S PEER_KB LICIT_CPU_S PEER_CPU_S
row() {
  rows="$rows$(awk -v n="$1" -v p="$2" -v g="$3" -v ls="$4" -v lk="$5" -v ps="$6" -v pk="$7" -v lc="$8" -v pc="${9:-}" -v mb="$inmb" 'BEGIN {
    ratio = (ps > 0) ? sprintf("%.2f", ls / ps) : "n/a"
    met = (ps > 0 && g != "") ? ((ls / ps <= g) ? "yes" : "no") : "-"
    cpu = (pc > 0) ? sprintf("%.2f (%.2f / %.2f s)", lc / pc, lc, pc) : sprintf("- (%.2f s)", lc)
    printf "| %s | %.2f s (%.0f MB/s) | %s | %s | %s | %s | %s | %s | %.1f | %s |\n", n, ls, mb / ls, p,
      (ps > 0) ? sprintf("%.2f s", ps) : "n/a", ratio, (g == "") ? "-" : "<= " g, met, cpu, lk / 1024,
      (pk > 0) ? sprintf("%.1f", pk / 1024) : "n/a" }')
"
}

sql() { # THREADS SQL: a DuckDB peer command, or nothing without DuckDB
  [ $duck = 1 ] && printf "node bench/duckdb_sql.mjs %s \"%s\"" "$1" "$2"
}
csv_in() { printf "read_csv('%s', header = true, all_varchar = true)" "$1"; }
num() { printf "TRY_CAST(%s AS DOUBLE)" "$1"; }
share() { # procedure type: count share and amount share
  printf "avg((procedure_type = '%s')::INT) AS share_%s_count, sum(CASE WHEN procedure_type = '%s' THEN %s END) / sum(%s) AS share_%s_amount" \
    "$1" "$1" "$1" "$(num amount_mxn)" "$(num amount_mxn)" "$1"
}
days() { printf "median(date_diff('day', TRY_CAST(%s AS DATE), TRY_CAST(%s AS DATE)))" "$1" "$2"; }
kpi_all_sql="COPY (WITH t AS MATERIALIZED (SELECT * FROM $(csv_in "$canon")),
 s AS (SELECT entity_id, supplier_id, sum($(num amount_mxn)) AS a FROM t GROUP BY entity_id, supplier_id),
 h AS (SELECT entity_id, arg_max(supplier_id, a) AS top_supplier, max(a) / sum(a) AS top_supplier_share,
       sum(a * a) / (sum(a) * sum(a)) AS hhi FROM s GROUP BY entity_id)
 SELECT t.entity_id, count(*) AS contracts, count(DISTINCT procedure_id) AS procedures,
  sum($(num amount_mxn)) AS amount, count(DISTINCT supplier_id) AS suppliers,
  $(share open), $(share selective), $(share limited), $(share direct),
  avg($(num n_tenderers)) AS mean_tenderers, median($(num n_tenderers)) AS median_tenderers,
  avg(($(num n_tenderers) = 1)::INT) AS single_bid_rate, avg(($(num n_tenderers) < 3)::INT) AS few_bidders_rate,
  any_value(h.top_supplier), any_value(h.top_supplier_share), any_value(h.hhi),
  $(days tender_start tender_end), $(days tender_end award_date), $(days award_date signed_date),
  avg((TRY_CAST(signed_date AS DATE) < TRY_CAST(tender_start AS DATE))::INT)
 FROM t JOIN h USING (entity_id) GROUP BY t.entity_id ORDER BY 1) TO '$dsink' (HEADER)"

if [ $scale_only = 0 ]; then
measure "\`normalise\` raw -> canonical CSV" "$raw" "'$licit' normalise -q '$raw'" \
  "DuckDB read_csv -> CSV, 2 threads" \
  "$(sql 2 "COPY (SELECT * FROM $(csv_in "$raw")) TO '$dsink' (HEADER)")" 0.8
measure "\`kpi --by buyer_id --kpis contracts,amount\`" "$canon" \
  "'$licit' kpi -q --by buyer_id --kpis contracts,amount '$canon'" "DuckDB GROUP BY, 2 threads" \
  "$(sql 2 "COPY (SELECT buyer_id, count(*), sum($(num amount)) FROM $(csv_in "$canon") GROUP BY buyer_id ORDER BY 1) TO '$dsink' (HEADER)")" 0.6
measure "\`kpi --by entity_id\` (all KPIs)" "$canon" "'$licit' kpi -q --by entity_id '$canon'" \
  "DuckDB, the same aggregates, 2 threads" "$(sql 2 "$kpi_all_sql")" 1.0
measure "\`dedupe --level exact\`" "$canon" "'$licit' dedupe -q --level exact '$canon'" \
  "LC_ALL=C sort -u" "LC_ALL=C sort -u '$canon'" 1.0
measure "\`dedupe\` (key level)" "$canon" "'$licit' dedupe -q '$canon'" \
  "LC_ALL=C sort -u" "LC_ALL=C sort -u '$canon'" 1.0
measure "\`dedupe --level exact\`" "$canon" "'$licit' dedupe -q --level exact '$canon'" \
  "DuckDB SELECT DISTINCT *, 2 threads" \
  "$(sql 2 "COPY (SELECT DISTINCT * FROM $(csv_in "$canon")) TO '$dsink' (HEADER)")" 0.5
measure "\`dedupe --level fuzzy\`" "$canon" "'$licit' dedupe -q --level fuzzy '$canon'" \
  "DuckDB SELECT DISTINCT *, 1 thread" \
  "$(sql 1 "COPY (SELECT DISTINCT * FROM $(csv_in "$canon")) TO '$dsink' (HEADER)")" 1.0
measure "\`flags\` (Mexico rules)" "$canon" "'$licit' flags -q '$canon'" "mlr cat" \
  "$(command -v mlr >/dev/null && echo "mlr --icsv --ocsv cat '$canon'")" 0.25
# issue 16: the report page against licit kpi printing the page's KPIs
# (the kpi command of the page's "how to reproduce"), goal under 2x
report_kpis=contracts,procedures,amount,suppliers,share_open_count,share_open_amount,share_selective_count,share_selective_amount,share_limited_count,share_limited_amount,share_direct_count,share_direct_amount,mean_tenderers,single_bid_rate,top_supplier,top_supplier_share,hhi,direct_over_cap,currency
measure "\`report\` (HTML page, --by entity_id,year)" "$canon" "'$licit' report -q '$canon'" \
  "licit kpi --long --total, the page's KPIs" \
  "'$licit' kpi -q --long --total --by entity_id,year --kpis $report_kpis '$canon'" 2.0

fi # scale_only

if [ $csv_only = 0 ]; then
# OCDS (issue 12): release JSON Lines from bench/gen_ocds.py, sorted by
# process and shuffled, against DuckDB's read_ndjson writing the same
# fields as CSV (the sorted file: each release's own awards and contracts;
# the shuffled one: joined by ocid, as licit compiles them), and Cardinal
# mode against the licit of before issue 12 (jansson), built from git
# (commit $LICIT_BASELINE, default c5eb906; not in --quick)
osize=200
[ $quick = 1 ] && osize=10
ocds=$out/ocds_${osize}mb.jsonl ocds_shuf=$out/ocds_${osize}mb_shuffled.jsonl
[ -s "$ocds" ] || python3 bench/gen_ocds.py "$osize" > "$ocds"
[ -s "$ocds_shuf" ] || python3 bench/gen_ocds.py "$osize" --shuffle > "$ocds_shuf"
nd_in() { printf "read_ndjson('%s', maximum_object_size = 67108864)" "$1"; }
ocds_sql() { # INPUT JOIN(0/1): the canonical fields DuckDB can take from releases
  if [ "$2" = 1 ]; then
    from="r LEFT JOIN (SELECT ocid, unnest(awards) AS a FROM r) USING (ocid)"
  else
    from="(SELECT *, unnest(awards) AS a FROM r) r"
  fi
  printf "%s" "COPY (WITH r AS (SELECT * FROM $(nd_in "$1"))
 SELECT r.ocid, r.tender.id, r.buyer.id, r.buyer.name, r.tender.procurementMethod,
  r.tender.procurementMethodDetails, r.tender.mainProcurementCategory,
  r.tender.tenderPeriod.startDate, r.tender.tenderPeriod.endDate, r.tender.numberOfTenderers,
  NULL AS contract_id, a.id, a.date, a.status, CAST(a.value.amount AS VARCHAR), a.value.currency,
  a.suppliers[1].id, a.suppliers[1].name FROM $from
 UNION ALL SELECT ocid, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, c.id, c.awardID,
  c.dateSigned, c.status, CAST(c.value.amount AS VARCHAR), c.value.currency, NULL, NULL
 FROM (SELECT ocid, unnest(contracts) AS c FROM r)) TO '$dsink' (HEADER)"
}
inmb_ocds=$(mb "$ocds")
measure "\`normalise\` OCDS release JSON Lines -> canonical" "$ocds" "'$licit' normalise -q '$ocds'" \
  "DuckDB read_ndjson -> the same fields as CSV, 2 threads" "$(sql 2 "$(ocds_sql "$ocds" 0)")" 1.0
measure "\`normalise\` OCDS JSON Lines, shuffled" "$ocds_shuf" "'$licit' normalise -q '$ocds_shuf'" \
  "DuckDB read_ndjson, joined by ocid, 2 threads" "$(sql 2 "$(ocds_sql "$ocds_shuf" 1)")" ""
# Cardinal's coverage and prepare (issue 14) against jansson parsing the
# same lines (bench/jansson_lines.c, built here): goal 5x faster
jl=$out/jansson_lines
[ -x "$jl" ] && [ "$jl" -nt bench/jansson_lines.c ] ||
  cc -O2 -o "$jl" bench/jansson_lines.c -ljansson
measure "\`coverage\` OCDS JSON Lines" "$ocds" "'$licit' coverage -q '$ocds'" \
  "jansson json_loadb of each line" "'$jl' '$ocds'" 0.2
measure "\`prepare\` OCDS JSON Lines (corrected releases written)" "$ocds" \
  "'$licit' prepare -q --errors /dev/null '$ocds'" "jansson json_loadb of each line" "'$jl' '$ocds'" 0.2
base=$out/baseline-${LICIT_BASELINE:-c5eb906}
if [ $quick = 0 ] && [ ! -x "$base/build/licit" ] &&
   git rev-parse --verify -q "${LICIT_BASELINE:-c5eb906}^{commit}" >/dev/null; then
  rm -rf "$base" && mkdir -p "$base"
  git archive "${LICIT_BASELINE:-c5eb906}" | tar -x -C "$base"
  cmake -S "$base" -B "$base/build" -DLICIT_TESTS=OFF >/dev/null && cmake --build "$base/build" -j2 >/dev/null
fi
measure "\`flags --format cardinal\` OCDS JSON Lines" "$ocds" "'$licit' flags --format cardinal '$ocds'" \
  "licit before issue 12 (${LICIT_BASELINE:-c5eb906})" \
  "$( [ -x "$base/build/licit" ] && echo "'$base/build/licit' flags --format cardinal '$ocds'")" 0.125
# the same rows whatever the order of the lines, and Cardinal's output
# the same as before issue 12
"$licit" normalise -q "$ocds" | sed "s#$ocds#IN#" > "$out/ocds_sorted.csv"
"$licit" normalise -q "$ocds_shuf" | sed "s#$ocds_shuf#IN#" > "$out/ocds_shuffled.csv"
ocds_check="shuffled OCDS gives the same rows as sorted: $(cmp -s "$out/ocds_sorted.csv" "$out/ocds_shuffled.csv" && echo yes || echo NO)"
rm -f "$out/ocds_sorted.csv" "$out/ocds_shuffled.csv"
if [ -x "$base/build/licit" ]; then
  "$licit" flags --format cardinal "$ocds" > "$out/card_new.json"
  "$base/build/licit" flags --format cardinal "$ocds" > "$out/card_old.json"
  ocds_check="$ocds_check; Cardinal output as before issue 12: $(cmp -s "$out/card_new.json" "$out/card_old.json" && echo yes || echo NO)"
  rm -f "$out/card_new.json" "$out/card_old.json"
fi
if [ $quick = 0 ]; then # peak RSS flat in input size: a 1 GB file, no peer
  big=$out/ocds_1024mb.jsonl
  [ -s "$big" ] || python3 bench/gen_ocds.py 1024 > "$big"
  measure "\`normalise\` OCDS JSON Lines, 1 GB (goal: peak RSS <= 64 MB)" "$big" \
    "'$licit' normalise -q '$big'" "none" "" ""
fi
fi # csv_only

if [ $scale_only = 0 ]; then
# the four-tool pipeline against the sum of its stages run alone on files
s1=$out/stage1.csv s2=$out/stage2.csv s3=$out/stage3.csv
: > "$out/pipe.txt"; : > "$out/stages.txt"
i=0
while [ $i -lt $reps ]; do
  timed "'$licit' normalise -q '$raw' | '$licit' dedupe -q | '$licit' flags -q | '$licit' kpi -q --by entity_id" >> "$out/pipe.txt"
  a=$(timed "'$licit' normalise -q '$raw' > '$s1'")
  b=$(timed "'$licit' dedupe -q '$s1' > '$s2'")
  c=$(timed "'$licit' flags -q '$s2' > '$s3'")
  d=$(timed "'$licit' kpi -q --by entity_id '$s3'")
  echo "$a $b $c $d" | awk '{ k = $2; if ($5 > k) k = $5; if ($8 > k) k = $8; if ($11 > k) k = $11;
    print $1 + $4 + $7 + $10, k, $3 + $6 + $9 + $12 }' >> "$out/stages.txt"
  i=$((i + 1))
done
rm -f "$s1" "$s2" "$s3"
inmb=$(mb "$raw")
row "\`normalise | dedupe | flags | kpi\`" "the four stages one after another on files" 0.7 \
  "$(cut -d' ' -f1 "$out/pipe.txt" | median)" "$(cut -d' ' -f2 "$out/pipe.txt" | sort -n | tail -n 1)" \
  "$(cut -d' ' -f1 "$out/stages.txt" | median)" "$(cut -d' ' -f2 "$out/stages.txt" | sort -n | tail -n 1)" \
  "$(cut -d' ' -f3 "$out/pipe.txt" | median)" "$(cut -d' ' -f3 "$out/stages.txt" | median)"
fi # scale_only

# Issue 15. The sharded pipeline: contrib/licit-parallel -j 2 (the raw
# input normalised once into 2 shards, dedupe | flags | kpi --partial on
# each under GNU parallel, the merge) against the single-process pipeline,
# the same KPIs byte for byte; both with their temporary files in memory.
# Goal: 1.6x faster (time ratio <= 0.625).
inmb=$(mb "$raw")
if command -v parallel >/dev/null; then
  par="TMPDIR='$sinkdir' PATH='$(dirname "$licit")':\$PATH contrib/licit-parallel -j 2 -n 2"
  measure "\`contrib/licit-parallel -j 2 -n 2\` raw -> KPIs by entity_id,year" "$raw" \
    "$par -o '$sinkdir/licit-bench.$$.par.csv' '$raw'" "the single pipeline (normalise, dedupe, flags, kpi piped)" \
    "TMPDIR='$sinkdir'; export TMPDIR; '$licit' normalise -q '$raw' | '$licit' dedupe -q | '$licit' flags -q | '$licit' kpi -q --by entity_id,year > '$sinkdir/licit-bench.$$.one.csv'" 0.625
  cmp -s "$sinkdir/licit-bench.$$.par.csv" "$sinkdir/licit-bench.$$.one.csv" ||
    { echo "bench: contrib/licit-parallel's KPIs differ from the single pipeline's" >&2; exit 1; }
  checks="${checks:+$checks; }the sharded pipeline's KPIs are the single pipeline's: yes"
  rm -f "$sinkdir/licit-bench.$$.par.csv" "$sinkdir/licit-bench.$$.one.csv"
else
  rows="$rows| \`contrib/licit-parallel -j 2 -n 2\` | not available (no GNU parallel) | the single pipeline | | | <= 0.625 | - | | | |
"
fi
# -j 2 against -j 1 on the canonical file (goal: 1.7x faster, time ratio
# <= 0.588), the output bytes compared; a build whose tool has no -j yet
# gets a row that says so
head -n 3 "$canon" > "$out/tiny.csv"
jobs_row() { # NAME TOOL_AND_OPTIONS
  inmb=$(mb "$canon")
  # shellcheck disable=SC2086
  if ! "$licit" $2 -q -j 1 "$out/tiny.csv" > /dev/null 2>&1; then
    rows="$rows| \`$1 -j 2\` | not available (no -j in this build) | the same, -j 1 | | | <= 0.588 | - | | | |
"
    return 0
  fi
  measure "\`$1 -j 2\`" "$canon" "'$licit' $2 -q -j 2 '$canon'" "the same, -j 1" "'$licit' $2 -q -j 1 '$canon'" 0.588
  j1=$sinkdir/licit-bench.$$.j1 j2=$sinkdir/licit-bench.$$.j2
  # shellcheck disable=SC2086
  "$licit" $2 -q -j 1 "$canon" > "$j1" && "$licit" $2 -q -j 2 "$canon" > "$j2"
  cmp -s "$j1" "$j2" || { echo "bench: $1: -j 2 and -j 1 give other bytes" >&2; exit 1; }
  rm -f "$j1" "$j2"
  checks="${checks:+$checks; }$1: -j 2 gives -j 1's bytes"
}
jobs_row "kpi --by entity_id" "kpi --by entity_id"
jobs_row "dedupe --level exact" "dedupe --level exact"
jobs_row "dedupe" "dedupe"
jobs_row "flags" "flags"
# What two cores of this machine give in this run, for work that shares
# nothing: one -j 1 run on each half of the canonical file, the two at
# once, against the two one after the other. A -j 2 row can only come
# near its goal when this row does.
h1=$out/half1.csv h2=$out/half2.csv
half=$(( ($(wc -l < "$canon") + 1) / 2 ))
head -n "$half" "$canon" > "$h1"
{ head -n 1 "$canon"; tail -n +$((half + 1)) "$canon"; } > "$h2"
ceiling_row() { # NAME TOOL_AND_OPTIONS
  inmb=$(mb "$canon")
  measure "ceiling: two \`$1 -j 1\` at once, a half each" "$canon" \
    "'$licit' $2 -q -j 1 '$h1' & p=\$!; '$licit' $2 -q -j 1 '$h2' && wait \$p" "the two one after the other" \
    "'$licit' $2 -q -j 1 '$h1' && '$licit' $2 -q -j 1 '$h2'" 0.588
}
ceiling_row "kpi --by entity_id" "kpi --by entity_id"
ceiling_row "flags" "flags"
rm -f "$h1" "$h2"
# the partial file of kpi --by entity_id,year against its input (goal <= 5 %)
"$licit" kpi -q --partial --by entity_id,year -o "$sink" "$canon"
checks="${checks:+$checks; }kpi --partial --by entity_id,year: $(awk -v p="$(wc -c < "$sink")" -v i="$(wc -c < "$canon")" 'BEGIN {
  printf "%.1f MB, %.2f %% of the input (goal <= 5 %%: %s)", p / 1048576, 100 * p / i, (p <= 0.05 * i) ? "met" : "NOT met" }')"
rm -f "$sink"

echo "Input: $(awk -v b="$(wc -c < "$raw")" 'BEGIN { printf "%.0f MB", b / 1048576 }') raw CompraNet-shaped CSV, $(awk -v b="$(wc -c < "$canon")" 'BEGIN { printf "%.0f MB", b / 1048576 }') canonical${inmb_ocds:+, $inmb_ocds MB OCDS release JSON Lines}; $reps run(s) each, median wall time; $(nproc) cores; every job's output written to a file in memory ($sinkdir)."
[ -z "${ocds_check:-}" ] || checks="$ocds_check${checks:+; $checks}"
[ -z "${checks:-}" ] || echo "Checks: $checks."
echo "Load average (1, 5, 15 min): $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?") at the end."
[ $duck = 1 ] || echo "DuckDB not installed (cd bench && npm install): its rows have no ratio."
echo
echo "| job | licit | peer | peer time | licit/peer | goal | met | CPU licit/peer (user+sys) | licit peak RSS MB | peer peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf "%s" "$rows"
