# Shared by the scale tests: BUILD and SRC from the arguments, licit on
# PATH, a scratch folder, generated CompraNet rows and the single run's
# KPIs of the whole pipeline to compare with.
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
PATH="$build:$PATH"; export PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/licit-scale.XXXXXX")
trap 'cleanup' EXIT
cleanup() { rm -rf "$work"; }
cd "$work"
python3 "$src/bench/gen_compranet.py" 3 > raw.csv 2>/dev/null
licit normalise -q raw.csv | licit dedupe -q | licit flags -q | licit kpi -q --by entity_id,year > single.csv
