#!/bin/sh
# contrib/licit-slurm's steps as Slurm would run them (the split, each
# array task with its SLURM_ARRAY_TASK_ID, then the merge), 5 shards: the
# KPIs of the single run, byte for byte, and its flagged records (-k).
# (Submitting needs a Slurm cluster: not here.)
. "$(dirname "$0")/common.sh"
LICIT_STEP=split "$src/contrib/licit-slurm" -n 5 -k -w parts -o slurm.csv raw.csv
for i in 1 2 3 4 5; do
  LICIT_STEP=shard SLURM_ARRAY_TASK_ID=$i "$src/contrib/licit-slurm" -n 5 -k -w parts -o slurm.csv raw.csv
done
LICIT_STEP=merge "$src/contrib/licit-slurm" -n 5 -k -w parts -o slurm.csv raw.csv
cmp slurm.csv single.csv
same_flags parts 5
[ ! -e parts/shards ]
echo "licit-slurm, the split, 5 array tasks and the merge: the single run's KPIs and flagged records"
