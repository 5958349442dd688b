# Shared by the scale tests: BUILD and SRC from the arguments, licit on
# PATH, a scratch folder, generated CompraNet rows and the single run of
# the whole pipeline to compare with: its flagged records (flags.csv) and
# its KPIs (single.csv).
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
PATH="$build:$PATH"; export PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/licit-scale.XXXXXX")
trap 'cleanup' EXIT
cleanup() { rm -rf "$work"; }
cd "$work"
python3 "$src/bench/gen_compranet.py" 3 > raw.csv 2>/dev/null
licit normalise -q raw.csv | licit dedupe -q | licit flags -q > flags.csv
licit kpi -q --by entity_id,year flags.csv > single.csv
# same_flags DIR N: DIR holds N flags-part-*.csv whose rows together are
# the single run's flagged records (sorted: each shard keeps input order)
same_flags() {
  [ "$(ls "$1"/flags-part-*.csv | wc -l)" = "$2" ]
  for f in "$1"/flags-part-*.csv; do tail -n +2 "$f"; done | sort > shards.sorted
  tail -n +2 flags.csv | sort | cmp - shards.sorted
}
