#!/bin/sh
# licit report on the real 2013 CompraNet sample: the page's procedure mix
# counts (ALL row) are licit kpi's (direct 233, limited 88, open 78 when
# this was written), and every ALL-row figure on the page is one kpi prints.
# Usage: sh report_compranet_2013.sh BUILD_DIR SOURCE_DIR; 77 = skipped.
set -eu
build=$1
src=$2
f=$src/../shared/data/compranet/contratos_2013_sample.csv
[ -f "$f" ] || { echo "skipped: no $f"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licit-report-2013.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$build/licit" normalise -q "$f" >"$tmp/records.csv"
"$build/licit" report -q --lang en -o "$tmp/report.html" "$tmp/records.csv"
"$build/licit" kpi -q --long --total --by entity_id,year \
	--kpis share_open_count,share_selective_count,share_limited_count,share_direct_count \
	"$tmp/records.csv" | grep '^ALL,ALL,' | cut -d, -f3,5 | sort >"$tmp/kpi.txt"
grep -o 'id="mix-all-share_[a-z]*_count" data-value="[^"]*" data-num="[^"]*"' "$tmp/report.html" |
	sed 's/id="mix-all-\([a-z_]*\)" data-value="[^"]*" data-num="\([^"]*\)"/\1,\2/' | sort >"$tmp/page.txt"
cat "$tmp/page.txt"
diff "$tmp/kpi.txt" "$tmp/page.txt"
grep -qx 'share_direct_count,233' "$tmp/page.txt"
grep -qx 'share_limited_count,88' "$tmp/page.txt"
grep -qx 'share_open_count,78' "$tmp/page.txt"
echo ok
