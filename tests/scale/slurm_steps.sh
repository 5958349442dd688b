#!/bin/sh
# contrib/licit-slurm's steps as Slurm would run them (the split, each
# array task with its SLURM_ARRAY_TASK_ID, then the merge), 5 shards: the
# KPIs of the single run, byte for byte, and its flagged records (-k).
# Then its submission through a stand-in sbatch that runs each job at
# once (array tasks one after another) and logs its options: three jobs,
# the array after the split, the merge after the array, the same result.
# (A real Slurm cluster is not tested here.)
. "$(dirname "$0")/common.sh"
LICIT_STEP=split "$src/contrib/licit-slurm" -n 5 -k -w parts -o slurm.csv raw.csv
for i in 1 2 3 4 5; do
  LICIT_STEP=shard SLURM_ARRAY_TASK_ID=$i "$src/contrib/licit-slurm" -n 5 -k -w parts -o slurm.csv raw.csv
done
LICIT_STEP=merge "$src/contrib/licit-slurm" -n 5 -k -w parts -o slurm.csv raw.csv
cmp slurm.csv single.csv
same_flags parts 5
[ ! -e parts/shards ]

mkdir bin
cat > bin/sbatch <<'EOS'
#!/bin/sh
id=$(($(wc -l < "$SBATCH_LOG") + 1))
echo "$LICIT_STEP $*" >> "$SBATCH_LOG"
array=""
while [ $# -gt 0 ]; do
  case $1 in --array=*) array=${1#--array=}; shift ;; --*) shift ;; *) break ;; esac
done
if [ -n "$array" ]; then
  for i in $(seq "${array%-*}" "${array#*-}"); do SLURM_ARRAY_TASK_ID=$i "$@" || exit 1; done
else
  "$@" || exit 1
fi
echo "$id"
EOS
chmod +x bin/sbatch
: > sbatch.log
PATH="$work/bin:$PATH" SBATCH_LOG=$work/sbatch.log "$src/contrib/licit-slurm" -n 3 -w sub -o sub.csv raw.csv > ids.txt
cmp sub.csv single.csv
[ "$(cut -d' ' -f1 sbatch.log | tr '\n' ' ')" = "split shard merge " ]
grep -q '^shard .*--array=1-3 --dependency=afterok:1 ' sbatch.log
grep -q '^merge .*--dependency=afterok:2 ' sbatch.log
[ "$(ls sub)" = "$(printf 'kpi-part-%04d.csv\n' 1 2 3)" ]
echo "licit-slurm, the split, 5 array tasks and the merge: the single run's KPIs and flagged records; submitted (3 shards): 3 jobs in order"
