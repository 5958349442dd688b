#!/bin/sh
# Precision and recall of `licit dedupe --level fuzzy` on planted
# duplicates: bench/dedupe_plant.py writes a CompraNet export with known
# duplicates of every kind (exact copies, re-formatted amounts and dates,
# re-publications, re-typed rows with misspelt suppliers and near titles)
# and look-alike distinct contracts; the clusters must reach precision
# 0.99 and recall 0.95 (pairwise, against the planted contracts). Uses
# generated data only, so it runs without ../shared.
# usage: sh tests/shared/dedupe_planted.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/licit-planted.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
for seed in 1 7; do
  python3 "$src/bench/dedupe_plant.py" plant "$work/raw.csv" "$work/truth.csv" \
    --contracts 3000 --seed $seed
  "$build/licit" normalise -q "$work/raw.csv" > "$work/norm.csv"
  "$build/licit" dedupe --level fuzzy --mark "$work/norm.csv" > "$work/marked.csv"
  echo "seed $seed:"
  python3 "$src/bench/dedupe_plant.py" score "$work/marked.csv" "$work/truth.csv" \
    --min-precision 0.99 --min-recall 0.95 || status=1
  # without --mark the same decisions: rows in = rows out + rows removed
  "$build/licit" dedupe -q --level fuzzy --removed "$work/removed.csv" "$work/norm.csv" > "$work/out.csv"
  in=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' "$work/norm.csv")
  kept=$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if not r["dup_of"]))' "$work/marked.csv")
  out=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' "$work/out.csv")
  rem=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' "$work/removed.csv")
  echo "rows in $in, out $out, removed $rem, kept by --mark $kept"
  if [ "$in" != $((out + rem)) ] || [ "$out" != "$kept" ]; then
    echo "FAIL: rows do not add up"; status=1
  fi
done
exit $status
