#!/bin/sh
# contrib/licit-parallel on this machine (GNU parallel -j 2) over 7
# shards: the KPIs of the single run, byte for byte, and with -k the
# single run's flagged records (sorted); without -k only the KPI
# partials are left in the work folder; a failing input fails the run
# and writes no KPIs.
command -v parallel >/dev/null || { echo "skip: no GNU parallel (apt-get install parallel)"; exit 77; }
. "$(dirname "$0")/common.sh"
"$src/contrib/licit-parallel" -j 2 -n 7 -k -w parts -o par.csv raw.csv
cmp par.csv single.csv
same_flags parts 7
"$src/contrib/licit-parallel" -j 2 -n 3 -w parts -o par3.csv raw.csv
cmp par3.csv single.csv
[ "$(ls parts)" = "$(printf 'kpi-part-%04d.csv\n' 1 2 3)" ]
if "$src/contrib/licit-parallel" -n 2 -o bad.csv raw.csv missing.csv 2> err.txt; then
  echo "a missing input did not fail"; exit 1
fi
[ ! -e bad.csv ] && grep -q missing.csv err.txt
echo "licit-parallel -j 2, 7 and 3 shards: the single run's KPIs ($(wc -l < single.csv) lines) and flagged records"
