#!/bin/sh
# What --manifest costs (issue 16 item 3): each job without and with
# --manifest on the canonical file of bench/run.sh, alternating, medians of
# 3 wall and CPU (user + sys) times, and sha256sum(1) of the same file as
# the peer of the hashing alone. Prints a markdown table.
#
# usage: bench/manifest_cost.sh [--quick] [BUILD_DIR]   (--quick: 20 MB, one run)
set -eu
cd "$(dirname "$0")/.."
size=500 reps=3
if [ "${1:-}" = --quick ]; then size=20 reps=1; shift; fi
build=${1:-build}
licit=$(cd "$build" && pwd)/licit
in=bench/out/run/canonical_${size}mb.csv
[ -s "$in" ] || { echo "bench: no $in: run bench/run.sh first"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/dev/shm}/licit-mf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LICIT_DATA_DIR="$PWD/data"

# wall and CPU seconds of one run of "$@"
one() {
  /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$tmp/t"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

row() { # name, then the command (the manifest option is added)
  name=$1; shift
  : >"$tmp/a"; : >"$tmp/b"
  i=0
  while [ $i -lt $reps ]; do
    one "$@" >>"$tmp/a"
    one "$@" --manifest "$tmp/m.json" >>"$tmp/b"
    rm -f "$tmp/out"
    i=$((i + 1))
  done
  wa=$(cut -d' ' -f1 "$tmp/a" | median) ca=$(cut -d' ' -f2 "$tmp/a" | median)
  wb=$(cut -d' ' -f1 "$tmp/b" | median) cb=$(cut -d' ' -f2 "$tmp/b" | median)
  echo "| $name | $wa | $wb | $(echo "$wb $wa" | awk '{printf "%.2f", $1 / $2}') | $ca | $cb | $(echo "$cb $ca" | awk '{printf "%.2f", $1 / $2}') |"
}

echo "| job ($size MB canonical) | wall s | wall s, --manifest | ratio | CPU s | CPU s, --manifest | ratio |"
echo "|---|---|---|---|---|---|---|"
row "kpi --by entity_id -o FILE" "$licit" kpi -q --by entity_id "$in" -o "$tmp/out"
row "kpi --by entity_id < FILE > out" sh -c "exec \"$licit\" kpi -q --by entity_id <\"$in\" >\"$tmp/out\" \"\$@\"" sh
row "dedupe -o FILE (500 MB written)" "$licit" dedupe -q "$in" -o "$tmp/out"
: >"$tmp/s"
i=0
while [ $i -lt $reps ]; do one sha256sum "$in" >>"$tmp/s"; i=$((i + 1)); done
echo "| sha256sum FILE (the peer of the hashing) | $(cut -d' ' -f1 "$tmp/s" | median) | | | $(cut -d' ' -f2 "$tmp/s" | median) | | |"
