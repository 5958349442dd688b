#!/bin/sh
# Sharded runs equal the single run on ROWS generated canonical records
# (1 000 000 in the normal build, fewer under the sanitizers; and every
# 40th again, exact duplicates), for N = 1,
# 2, 7 and 16 shards cut by licit shard: kpi --partial / --merge byte for
# byte (a grouping within buyers and one across them), dedupe and flags
# the single run's rows (the shards' rows together, sorted: each shard
# keeps its input order), the whole pipeline dedupe | flags | kpi
# --partial per shard and one merge byte for byte, and bidprotest-stats
# --shard --partial / --merge on ROWS/10 procedures byte for byte; and
# kpi, dedupe and flags -j N (those that have -j) the single run's bytes.
# usage: million_rows.sh BUILD SRC ROWS
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) rows=$3
PATH="$build:$PATH"; export PATH
# the data, generated once into the build folder (kept between runs,
# remade when the generators change)
data=$build/scale-data
mkdir -p "$data"
key=$(cat "$src/bench/flags_gen.py" "$src/bench/gen_protests.py" "$0" | cksum | cut -d' ' -f1)-$rows
canon=$data/canon-$key.csv
if [ ! -s "$canon" ]; then
  rm -rf "$data"/canon-* "$data"/protests-*
  mb=$((rows * 235 / 1000000 + 1))
  # and every 40th row again at the end: exact duplicates for dedupe
  python3 "$src/bench/flags_gen.py" csv "$mb" 2>/dev/null | head -n $((rows + 1)) |
    awk 'NR > 1 && NR % 40 == 0 { d[++n] = $0 } { print } END { for (i = 1; i <= n; i++) print d[i] }' > "$canon.tmp"
  python3 "$src/bench/gen_protests.py" scale --seed 5 --procedures $((rows / 10)) \
    --protests $((rows / 100)) "$data/protests-$key" > /dev/null
  mv "$canon.tmp" "$canon"
fi
[ "$(($(wc -l < "$canon") - 1))" -ge "$rows" ] || { echo "generated $(wc -l < "$canon") lines, not $rows rows"; exit 1; }
prot=$data/protests-$key
work=$(mktemp -d "${TMPDIR:-/tmp}/licit-million.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
same() { # what, file, expected
  if cmp -s "$2" "$3"; then echo "$1: the single run"; else echo "$1: DIFFERS"; fail=1; fi
}
body() { tail -n +2 "$1"; }

licit kpi -q --by buyer_id "$canon" > kb.csv
licit kpi -q --by procedure_type,year --total "$canon" > kt.csv
licit dedupe -q "$canon" > dd.csv
licit flags -q dd.csv > ff.csv
licit kpi -q --by procedure_type,year --total ff.csv > kpipe.csv
body dd.csv | sort > dd.sorted
body ff.csv | sort > ff.sorted
licit bidprotest-stats -q --procedures "$prot/procedures.csv" --by entity_id,year --total \
  "$prot/protests.csv" > bp.csv
echo "$(($(wc -l < "$canon") - 1)) rows: $(($(wc -l < dd.csv) - 1)) after dedupe, $(($(wc -l < kt.csv) - 1)) KPI rows by procedure_type,year"
for n in 1 2 7 16; do
  rm -rf s d f pb-* pt-* pp-* pr-*
  licit shard -q -n $n -o s "$canon"
  mkdir d f
  for sh in s/*.csv; do
    b=${sh##*/}
    licit kpi -q --partial --by buyer_id -o "pb-$b" "$sh"
    licit kpi -q --partial --by procedure_type,year -o "pt-$b" "$sh"
    licit dedupe -q -o "d/$b" "$sh"
    licit flags -q -o "f/$b" "d/$b"
    licit kpi -q --partial --by procedure_type,year -o "pp-$b" "f/$b"
  done
  licit kpi -q --merge --by buyer_id pb-* > m.csv; same "$n shards: kpi --by buyer_id" m.csv kb.csv
  licit kpi -q --merge --by procedure_type,year --total pt-* > m.csv
  same "$n shards: kpi --by procedure_type,year --total" m.csv kt.csv
  for sh in d/*; do body "$sh"; done | sort > m.csv; same "$n shards: dedupe (sorted rows)" m.csv dd.sorted
  for sh in f/*; do body "$sh"; done | sort > m.csv; same "$n shards: dedupe | flags (sorted rows)" m.csv ff.sorted
  licit kpi -q --merge --by procedure_type,year --total pp-* > m.csv
  same "$n shards: dedupe | flags | kpi --partial, one merge" m.csv kpipe.csv
  i=1
  while [ $i -le $n ]; do
    licit bidprotest-stats -q --shard $i/$n --partial --by entity_id,year \
      --procedures "$prot/procedures.csv" -o "pr-$i.csv" "$prot/protests.csv"
    i=$((i + 1))
  done
  licit bidprotest-stats -q --merge --by entity_id,year --total pr-* > m.csv
  same "$n shards: bidprotest-stats --by entity_id,year --total" m.csv bp.csv
done
# -j N (N jobs in one process, each its own byte range of the file:
# ranges of at least 64 KiB so that 16 jobs get 16 ranges here too) gives
# the single run's bytes, for each tool that has -j: kpi across buyers
# for N = 2, 7 and 16; kpi by buyer, dedupe and flags for N = 7 (flags is
# the slow one: about 4 s a run here)
has_j() { licit "$1" -q -j 1 tiny.csv > /dev/null 2>&1; }
head -n 3 "$canon" > tiny.csv
export LICIT_RANGE_MIN=65536
if has_j kpi; then
  for n in 2 7 16; do
    licit kpi -q -j $n --by procedure_type,year --total "$canon" > m.csv
    same "-j $n: kpi --by procedure_type,year --total" m.csv kt.csv
  done
  licit kpi -q -j 7 --by buyer_id "$canon" > m.csv; same "-j 7: kpi --by buyer_id" m.csv kb.csv
fi
if has_j dedupe; then licit dedupe -q -j 7 "$canon" > m.csv; same "-j 7: dedupe" m.csv dd.csv; fi
if has_j flags; then licit flags -q -j 7 dd.csv > m.csv; same "-j 7: flags" m.csv ff.csv; fi
exit $fail
