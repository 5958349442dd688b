#!/bin/sh
# contrib/licit-parallel on this machine (GNU parallel -j 2) over 7
# shards: the KPIs of the single run, byte for byte.
command -v parallel >/dev/null || { echo "skip: no GNU parallel (apt-get install parallel)"; exit 77; }
. "$(dirname "$0")/common.sh"
"$src/contrib/licit-parallel" -j 2 -n 7 -w parts -o par.csv raw.csv
cmp par.csv single.csv
[ "$(ls parts/flags-*.csv | wc -l)" = 7 ]
echo "licit-parallel -j 2, 7 shards: the single run's KPIs ($(wc -l < single.csv) lines)"
