#!/bin/sh
# Browser tests: licit report pages of the shipped samples, the generated
# OECD protest register and the real files in ../shared/data, opened in
# headless Chromium (tests/browser/report.mjs); screenshots are written to
# BUILD_DIR/browser/. Skipped (77) without chromium, node or
# tests/browser/node_modules (cd tests/browser && npm install).
# Usage: sh run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here=$src/tests/browser
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "skipped: no $chromium (apt-get install chromium)"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "skipped: no node"; exit 77; }
[ -d "$here/node_modules/playwright-core" ] ||
	{ echo "skipped: no $here/node_modules (cd tests/browser && npm install)"; exit 77; }
out=$build/browser
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licit-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
licit=$build/licit
kpis=contracts,share_open_count,share_limited_count,share_direct_count

# an expectation: the ALL row's figure of kpi KPI in section SEC, as kpi prints it
all_fig() { # all_fig SEC KPI RECORDS
	"$licit" kpi -q --long --total --by entity_id,year --kpis "$2" "$3" |
		awk -F, -v s="$1" -v k="$2" '$1 == "ALL" && $2 == "ALL" {
			printf "{\"sel\": \"#%s-all-%s\", \"attr\": \"data-value\", \"eq\": \"%s\"},\n", s, k, $4
			if ($5 != "") printf "{\"sel\": \"#%s-all-%s\", \"attr\": \"data-num\", \"eq\": \"%s\"},\n", s, k, $5 }'
}

# 1. the shipped samples, the whole pipeline, flags on
"$licit" normalise -q --issues "$tmp/issues.csv" --rates "$src/testdata/samples/rates.csv" \
	"$src/testdata/samples/compranet_2015.csv" "$src/testdata/samples/ocds_releases.json" >"$tmp/s.csv"
"$licit" dedupe -q --removed "$tmp/removed.csv" "$tmp/s.csv" >"$tmp/su.csv"
"$licit" report -q --lang en --flags --issues "$tmp/issues.csv" --removed "$tmp/removed.csv" \
	-o "$tmp/samples.html" "$tmp/su.csv"
{ echo '['; for k in contracts share_direct_count share_direct_amount amount; do all_fig mix $k "$tmp/su.csv"; done
  all_fig competition single_bid_rate "$tmp/su.csv"
  echo '{"sel": "#flag-MX-NO-RFC", "text": "MX-NO-RFC"}]'; } >"$tmp/samples.json"
node "$here/report.mjs" "$tmp/samples.html" "$tmp/samples.json" "$out/samples"

# 2. the generated OECD register: IMSS's 14.3 %, the pooled and mean federal figures
python3 "$src/bench/gen_protests.py" oecd --spanish "$tmp/oecd" >/dev/null
"$licit" normalise -q --kind protests "$tmp/oecd/inconformidades.csv" >"$tmp/protests.csv"
"$licit" report -q --lang en --protests "$tmp/protests.csv" --procedures "$tmp/oecd/procedures.csv" \
	-o "$tmp/oecd.html" "$tmp/oecd/procedures.csv"
cat >"$tmp/oecd.json" <<'J'
[{"sel": "#protest-IMSS-protest_rate", "text": "14.3%"},
 {"sel": "#protest-IMSS-protest_rate", "attr": "data-value", "eq": "0.142999"},
 {"sel": "#protest-IMSS-protests", "text": "1,732"},
 {"sel": "#protest-ALL-protest_rate", "text": "5.8%"},
 {"sel": "#protest-ALL-mean_entity_protest_rate", "text": "5.2%"},
 {"sel": "#protest-SFP-protest_rate", "text": "n/a"}]
J
node "$here/report.mjs" "$tmp/oecd.html" "$tmp/oecd.json" "$out/oecd"
LC_ALL= LANG=es_MX.UTF-8 "$licit" report -q --protests "$tmp/protests.csv" \
	--procedures "$tmp/oecd/procedures.csv" -o "$tmp/oecd-es.html" "$tmp/oecd/procedures.csv"
echo '[{"sel": "#protest-IMSS-protest_rate", "text": "14,3 %"}, {"sel": "#protests-h", "text": "Inconformidades"}]' >"$tmp/oecd-es.json"
node "$here/report.mjs" "$tmp/oecd-es.html" "$tmp/oecd-es.json" "$out/oecd-es"

# 3. the real files of ../shared/data
data=$src/../shared/data
if [ ! -d "$data/compranet" ]; then
	echo "shared data: skipped (no $data)"
	exit 0
fi
"$licit" normalise -q "$data/compranet/contratos_2013_sample.csv" >"$tmp/c13.csv"
"$licit" report -q --lang en --flags -o "$tmp/c13.html" "$tmp/c13.csv"
{ echo '['; for k in $(echo "$kpis" | tr , " ") share_direct_amount; do all_fig mix $k "$tmp/c13.csv"; done
  echo '{"sel": "#mix-all-share_direct_count", "text": "233 / 399"},'
  echo '{"sel": "#mix-all-share_limited_count", "text": "88 / 399"},'
  echo '{"sel": "#mix-all-share_open_count", "text": "78 / 399"}]'; } >"$tmp/c13.json"
grep -q '"eq": "233"' "$tmp/c13.json" || { echo "licit kpi no longer counts 233 direct contracts in the 2013 sample"; exit 1; }
node "$here/report.mjs" "$tmp/c13.html" "$tmp/c13.json" "$out/compranet-2013"
# every real file the readers take: both CompraNet samples and the Mexican OCDS
set -- "$data"/compranet/*.csv
for d in mx-jalisco mx-apf; do
	[ -d "$data/ocds/$d" ] && set -- "$@" "$data/ocds/$d"/*.json
done
"$licit" normalise -q "$@" >"$tmp/real.csv" 2>/dev/null
"$licit" report -q --lang es --flags -o "$tmp/real.html" "$tmp/real.csv"
{ echo '['; all_fig mix contracts "$tmp/real.csv"; echo '{"sel": "#mix-h", "text": "Tipos de procedimiento"}]'; } >"$tmp/real.json"
node "$here/report.mjs" "$tmp/real.html" "$tmp/real.json" "$out/shared-data"
