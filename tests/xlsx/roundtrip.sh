#!/bin/sh
# --format xlsx (kpi, flags): each spreadsheet checked cell by cell against
# the CSV of the same run (tests/xlsx/check.py: numbers as number cells,
# text as text, a frozen bold header), and read back through licit's own
# xlsx reader (licit shard -n 1 writes its rows as CSV) to the same rows;
# the same run twice gives the same bytes; standard output is refused.
# Skipped (77) when licit is built without libxlsxwriter.
# usage: roundtrip.sh BUILD_DIR SOURCE_DIR
set -u
bin=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
PATH="$bin:$PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/licit-xlsx.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
licit normalise -q --rates "$src/testdata/samples/rates.csv" \
  "$src/testdata/samples/compranet_2015.csv" "$src/testdata/samples/ocds_releases.json" -o canon.csv || exit 1
if ! licit kpi -q --format xlsx canon.csv -o probe.xlsx 2>err; then
  if grep -q "built without libxlsxwriter" err; then echo "skip: $(head -1 err)"; exit 77; fi
  cat err; exit 1
fi
fail=0
check() { # name, csv, xlsx, number columns
  echo "== $1"
  python3 "$src/tests/xlsx/check.py" "$2" "$3" "$4" || { echo "FAIL: $1"; fail=1; return; }
  # licit's reader on the written file: the same rows
  rm -rf back && mkdir back && licit shard -q -n 1 "$3" -o back &&
    python3 - "$2" back/part-0001.csv "$4" <<'PY' || { echo "FAIL: $1 read back"; fail=1; }
import csv, sys
a = list(csv.reader(open(sys.argv[1], newline="")))
b = list(csv.reader(open(sys.argv[2], newline="")))
nums = set(sys.argv[3].split(","))
assert len(a) == len(b), (len(a), len(b))
for r, (x, y) in enumerate(zip(a, b)):
    for i, (u, v) in enumerate(zip(x, y)):
        same = u == v or (r and a[0][i] in nums and u and abs(float(u) - float(v)) <= 1e-15 * abs(float(u)))
        assert same, (r + 1, a[0][i], u, v)
print("read back by licit: the same", len(a) - 1, "rows")
PY
}
kpi_numbers=contracts,procedures,amount,suppliers,share_open_count,share_open_amount,share_selective_count,share_selective_amount,share_limited_count,share_limited_amount,share_direct_count,share_direct_amount,mean_tenderers,median_tenderers,single_bid_rate,few_bidders_rate,top_supplier_share,hhi,median_days_tender,median_days_to_award,median_days_to_sign,share_signed_before_published,direct_over_cap
licit kpi -q --by entity_id,year --total canon.csv -o kpi.csv &&
  licit kpi -q --by entity_id,year --total --format xlsx canon.csv -o kpi.xlsx || fail=1
check "kpi --by entity_id,year --total" kpi.csv kpi.xlsx "$kpi_numbers"
licit kpi -q --by entity_id --long canon.csv -o long.csv &&
  licit kpi -q --by entity_id --long --format xlsx canon.csv -o long.xlsx || fail=1
check "kpi --long" long.csv long.xlsx value,numerator,denominator
# the canonical numeric fields (licit-schema(5)) and flags' count
flags_numbers=amount,amount_mxn,n_tenderers,source_line,flag_count
licit flags -q canon.csv -o flags.csv && licit flags -q --format xlsx canon.csv -o flags.xlsx || fail=1
check "flags" flags.csv flags.xlsx "$flags_numbers"
echo "== the same run twice"
licit kpi -q --by entity_id,year --total --format xlsx canon.csv -o again.xlsx &&
  cmp kpi.xlsx again.xlsx && echo "byte-identical" || fail=1
echo "== standard output refused"
licit kpi -q --format xlsx canon.csv >out.xlsx 2>err
st=$?
if [ $st = 2 ] && [ ! -s out.xlsx ] && grep -q "give -o FILE" err; then echo "refused, exit 2"; else
  echo "FAIL: exit $st"; cat err; fail=1; fi
exit $fail
