#!/bin/sh
# Writes the seed corpus of every fuzz target into tests/fuzz/corpus/<target>/
# from the project's own fixtures (testdata/) and tools: the output of
# `licit flags --init`, the settings, mapping and release files of the case
# tests, the samples, and a few inputs written here. Files are named by
# their SHA-1, as libFuzzer names what it adds. Run from anywhere:
#   tests/fuzz/make_corpus.sh [BUILD_DIR]   (default build/; needs licit)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
out=$root/tests/fuzz/corpus
rm -rf "$out"
# put TARGET [PREFIX_BYTE]: a seed on standard input
put() {
  d=$out/$1
  mkdir -p "$d"
  tmp=$d/.new
  if [ $# -gt 1 ]; then printf "$2" >"$tmp"; cat >>"$tmp"; else cat >"$tmp"; fi
  h=$(sha1sum <"$tmp" | cut -c1-40)
  mv "$tmp" "$d/$h"
}
seed() { # seed TARGET FILE [PREFIX]: FILE, cut to 16 KiB
  if [ $# -gt 2 ]; then head -c 16384 "$2" | put "$1" "$3"; else head -c 16384 "$2" | put "$1"; fi
}

# ---- settings (INI) --------------------------------------------------------
"$build/licit" flags --init | put fuzz_settings
for f in $(find "$root/testdata/cases" -name '*.ini' | sort); do seed fuzz_settings "$f"; done
printf '[custom.h]\nfield = title\npattern = (a+)+c|b\nmatch_limit = 1000\ndepth_limit = 50\n' | put fuzz_settings
printf '\357\273\277; bom\r\ncurrency = "USD"\r\n[R003.procurement_method_details]\r\nLicitaci\303\263n P\303\272blica Nacional = 15 # days\r\n' | put fuzz_settings
printf '[MX-SPLIT]\nwindow_days = 30\nmin_contracts = 2\nprocedure_types = direct|limited\n[MX-ROUND]\nmultiple = 0.5e5\n[MX-SUPPLIER-SHARE]\nshare = .5\n[MX-FAILED-THEN-DIRECT]\nfailed_status = (?i)desiert\nsimilarity = 1\n' | put fuzz_settings
printf "[R025]\npercentile = 100\nthreshold = '0.05'\n[R048]\ndigits = 64\n[defaults]\nx = y\n[codelists.a]\n" | put fuzz_settings

# ---- mapping files -----------------------------------------------------------
for f in $(find "$root/testdata/cases" -name '*.map' | sort); do seed fuzz_mapping "$f"; done
printf 'ocid = ID\ncontract_id = CID\namount = AMT\ncurrency = MONEDA\nsigned_date = FECHA\ntitle = TITULO\nsupplier_name = PROVEEDOR\nsupplier_rfc = RFC\nprocedure_type = TIPO\n' | put fuzz_mapping
printf '\357\273\277@ocid_prefix = ocds-x-\r\n@default_law = LOPSRM\r\n; comment\r\ncurrency := MXN\r\ncontract_id = CID\r\ncontract_id = ID\r\n' | put fuzz_mapping

# ---- Cardinal releases (first byte: thresholds or fences) ----------------------
for f in $(find "$root/testdata/cases/flags" -name '*.jsonl' -size +0 | sort) \
         "$root/testdata/samples/ocds_releases.json" "$root/testdata/samples/ocds_releases_mixed.jsonl"; do
  [ -f "$f" ] || continue
  seed fuzz_cardinal "$f" '\000'
  seed fuzz_cardinal "$f" '\003'
done

# ---- numbers ---------------------------------------------------------------------
for v in 0 -0 15 +7 -12.5 .5 3. 1e3 1e-400 1e400 0x1e nan inf -Infinity 9223372036854775807 \
         9223372036854775808 -9223372036854775808 99999999999999999999 123456.789 0.1 \
         1,234.50 '1 000' 15d 2.0 1000000000000 0.000001; do
  printf '%s' "$v" | put fuzz_numbers
done

# ---- readers and values: the samples (fuzz_reader's first byte picks the format) ----
for f in "$root"/testdata/samples/*; do
  seed fuzz_normalise "$f"
  seed fuzz_values "$f"
done
seed fuzz_reader "$root/testdata/samples/compranet_2015.csv" '\000'
seed fuzz_reader "$root/testdata/samples/ocds_releases.json" '\002'
seed fuzz_reader "$root/testdata/samples/ocds_releases_mixed.jsonl" '\001'
seed fuzz_reader "$root/testdata/samples/rates.csv" '\010'
for v in '1,234.50' '$ 1 234,50 M.N.' 'ABIERTO' '2017-03-06T00:00:00Z' '31/02/2016' \
         'PAP010101AB1' 'LAASSP-41-III' 'Juan P\303\251rez S.A. de C.V.'; do
  printf "$v" | put fuzz_values
done
# ---- JSON and OCDS (licit's JSON parser, the OCDS walker) ------------------------
for f in "$root/testdata/samples/ocds_releases.json" "$root/testdata/samples/ocds_releases_mixed.jsonl" \
         $(find "$root/testdata/cases/flags" -name '*.jsonl' -size +0 | sort | head -8); do
  seed fuzz_json "$f"
  seed fuzz_json_ocds "$f"
done
for v in '{"a":[1,-2.5e+3,true,false,null],"b":{"c":"\u00e9\ud83d\ude00\n"}}' '[]' '"\u0000"' \
         '12345678901234567890123' '{"releases":[{"ocid":"x","date":"2015-01-01T00:00:00-06:00"}]}' \
         '{"procurementMet\u0000hod":"open"}'; do
  printf '%s' "$v" | put fuzz_json
done

# ---- compressed, zipped and xlsx inputs (first bytes: the mode, the split) -----------
for m in '\000\000' '\001\000' '\002\000' '\003\000' '\004\200' '\005\000'; do
  seed fuzz_archive "$root/testdata/samples/compranet_2015.csv" "$m"
done
seed fuzz_archive "$root/testdata/samples/ocds_releases_mixed.jsonl" '\004\100'
for m in '\000\000' '\003\000' '\006\000'; do
  seed fuzz_xlsx "$root/testdata/samples/compranet_2015.csv" "$m"
done
printf '<sst><si><t>a</t></si></sst><styleSheet/><worksheet><sheetData><row><c t="s"><v>0</v></c><c><v>42005</v></c></row></sheetData></worksheet>' | put fuzz_xlsx '\001\100'
# ---- licit coverage and licit prepare (raw JSON lines; prepare: settings NUL releases) --
for f in $(find "$root/testdata/cases/coverage" "$root/testdata/cases/prepare" -name 'in.*' | sort); do
  seed fuzz_coverage "$f" '\000'
done
seed fuzz_coverage "$root/testdata/cases/coverage/csv/in.csv" '\001'
for d in $(find "$root/testdata/cases/prepare" -name settings.ini | sort); do
  d=$(dirname "$d")
  { cat "$d/settings.ini"; printf '\000'; cat "$d"/in.jsonl; } | put fuzz_prepare
done
for f in $(find "$root/testdata/cases/prepare" -name '*.json*' | sort); do seed fuzz_prepare "$f"; done

# ---- the two CSV back ends (first byte: format, encoding, delimiter) ----------------
seed fuzz_csv_engines "$root/testdata/samples/compranet_2015.csv" '\000'
seed fuzz_csv_engines "$root/testdata/samples/rates.csv" '\004'
printf 'a;b;c\r\n"x;""y""";2\r\n\r\n3;"multi\nline";\n' | put fuzz_csv_engines '\040'
printf 'a\tb\n1\t"2\n' | put fuzz_csv_engines '\001'
# fuzz_split: the first byte picks 2-8 jobs and the delimiter
seed fuzz_split "$root/testdata/samples/rates.csv" '\003'
printf 'id,text\n1,"one\ntwo"\n2,"say ""hi"""\n3,plain\n4,""\n5,"a,b"\n6,x\n' | put fuzz_split '\005'
printf 'a;b\n1;2\n;\n"";x\n3;"q\n"\n' | put fuzz_split '\201'
printf '\357\273\277\na;b\n1;2\n3;4\n' | put fuzz_split '\202'

# ---- tables (first byte: 0 rates, 1 proc-types, 2 thresholds, 3 holidays,
# 4 sanctioned list, 5 incorporation dates, 6 BESA register) --------------------------
seed fuzz_tables "$root/testdata/samples/rates.csv" '\000'
printf 'date,currency,rate\n' | put fuzz_tables '\000' # no rows: qsort(NULL) was UB
for f in $(find "$root/testdata/cases" -name 'rates*.csv' | sort | head -6); do seed fuzz_tables "$f" '\000'; done
printf 'pattern,type\nlicitacion publica,open\ninvitacion,selective\nadjudicacion directa,direct\n' | put fuzz_tables '\001'
[ -f "$root/data/thresholds_mx.csv" ] && seed fuzz_tables "$root/data/thresholds_mx.csv" '\002'
[ -f "$root/data/holidays_mx.csv" ] && seed fuzz_tables "$root/data/holidays_mx.csv" '\003'
printf 'rfc,name\nAAA010101AAA,EMPRESA FANTASMA SA DE CV\n,Juan P\303\251rez\n' | put fuzz_tables '\004'
printf 'rfc,incorporated\nAAA150101AB1,2015-01-01\n' | put fuzz_tables '\005'
printf 'contract_id\nc1\nc2\n' | put fuzz_tables '\006'
echo "corpus: $(find "$out" -type f | wc -l) files in $out"

# ---- the typed record: canonical rows, values split at 0x1F -------------------
"$build/licit" normalise -q "$root/testdata/samples/compranet_2015.csv" 2>/dev/null | sed -n '2,9p' |
while IFS= read -r line; do printf '%s' "$line" | tr ',' '\037' | put fuzz_canon; done
printf '\037\037\037\037\037\037open\037\037\037works\037\0372015-02-30\037\0372016-02-29\037x\037\037\037\037\0371e5\037mxn\037-0.000001\037\037\037\037\037\037100001\037\0372\037\037\037\037-1' | put fuzz_canon
printf '\037\037\037\037\037\037\037\037\037\037\037\037\037\037\0372015-01-01\037\037\037\037999999999999999999999999.5\037\0370000123.4500' | put fuzz_canon

# ---- the dedupe engine: the dedupe case inputs, and a canonical slice -------------
for f in $(find "$root/testdata/cases/dedupe" -name '*.csv' -size +0 | sort); do seed fuzz_dedupe "$f"; done
"$build/licit" normalise -q "$root/testdata/samples/compranet_2015.csv" 2>/dev/null | head -c 16384 | put fuzz_dedupe

# ---- the report (first byte: flags, side inputs, grouping, language, rows) --------
"$build/licit" normalise -q "$root/testdata/samples/compranet_2015.csv" 2>/dev/null | head -c 16384 | put fuzz_report '\001'
"$build/licit" normalise -q "$root/testdata/samples/compranet_2015.csv" 2>/dev/null | head -c 16384 | put fuzz_report '\377'
seed fuzz_report "$root/testdata/cases/bidprotest-stats/by_entity/protests.csv" '\006'
printf 'source,line,record,field,value,problem\na.csv,2,1,amount,"<b>",not an amount\n' | put fuzz_report '\010'
printf 'contract_id,dup_rule,dup_of,source,source_line\nC1,exact,a.csv:1,a.csv,2\n' | put fuzz_report '\020'

# ---- kpi partial files (first byte: the merge's options, as the target) --------
in="$root/testdata/cases/kpi/by_entity_year/in.csv"
"$build/licit" kpi -q --partial --by entity_id,year "$in" | put fuzz_kpi_partial '\000'
"$build/licit" kpi -q --partial --by buyer_id --kpis suppliers,top_supplier,hhi,median_tenderers,median_days_to_sign,amount "$in" | put fuzz_kpi_partial '\002'
"$build/licit" kpi -q --partial "$in" | put fuzz_kpi_partial '\005'

# ---- bid-protest partial files (first byte: the merge's grouping, as the target) ----
d="$root/testdata/cases/bidprotest-stats/by_entity_year"
"$build/licit" bidprotest-stats -q --partial --procedures "$d/procedures.csv" "$d/protests.csv" | put fuzz_bidprotest_partial '\000'
"$build/licit" bidprotest-stats -q --partial --procedures "$d/procedures.csv" --by entity_id,year "$d/protests.csv" | put fuzz_bidprotest_partial '\001'
"$build/licit" bidprotest-stats -q --partial --by buyer_id,stage "$d/protests.csv" | put fuzz_bidprotest_partial '\002'

# ---- Cardinal partial and fences files (first byte: even partial, odd fences) ----
g=$(mktemp -d)
python3 "$root/bench/gen_ocds.py" 1 2>/dev/null | head -300 > "$g/in.jsonl"
cat "$root"/testdata/cases/flags/cardinal-r0[24]*/in.jsonl >> "$g/in.jsonl"
"$build/licit" flags -q --format cardinal --partial -o "$g/p.csv" "$g/in.jsonl"
put fuzz_cardinal_fences '\000' < "$g/p.csv"
"$build/licit" flags -q --format cardinal --merge "$g/p.csv" | put fuzz_cardinal_fences '\001'
rm -rf "$g"
