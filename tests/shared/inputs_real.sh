#!/bin/sh
# The real CompraNet samples in ../shared/data, gzipped, zstd-compressed,
# zipped together and made spreadsheets (testdata/make_xlsx.py: numbers as
# number cells, the rest shared strings), give the same records as the
# plain files, source aside. Usage: inputs_real.sh BUILD_DIR SOURCE_DIR;
# exits 77 (skip) without ../shared.
set -eu
bin=$1
src=$2
data=$src/../shared/data
[ -d "$data" ] || { echo "no $data: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
records() { "$bin/licit" normalise -q --format jsonl "$@" | sed 's/"source":"[^"]*"//'; }
n=0
for f in "$data"/compranet/*.csv; do
  b=$(basename "$f" .csv)
  records "$f" > "$tmp/want"
  gzip -c "$f" > "$tmp/$b.csv.gz"
  zstd -q -c "$f" > "$tmp/$b.csv.zst"
  python3 "$src/testdata/make_xlsx.py" "$tmp/$b.xlsx" "$f"
  for packed in "$tmp/$b.csv.gz" "$tmp/$b.csv.zst" "$tmp/$b.xlsx"; do
    records "$packed" > "$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" || { echo "$packed: records differ"; diff "$tmp/want" "$tmp/got" | head; exit 1; }
    n=$((n + 1))
  done
done
# both in one zip: each member its own source, in order
(cd "$data/compranet" && python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
for f in sys.argv[2:]:
    z.write(f)
z.close()' "$tmp/bulk.zip" *.csv)
for f in "$data"/compranet/*.csv; do records "$f"; done > "$tmp/want"
records "$tmp/bulk.zip" > "$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || { echo "bulk.zip: records differ"; exit 1; }
echo "$n packed files and one zip: same records as the plain files"
