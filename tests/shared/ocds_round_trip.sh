#!/bin/sh
# licit's own OCDS output read back gives the same canonical records, on
# every CompraNet and OCDS file in ../shared/data (the samples are a case
# test: normalise/ocds_round_trip). Usage: ocds_round_trip.sh BUILD_DIR
# SOURCE_DIR; exits 77 (skip) without ../shared.
set -eu
bin=$1
data=$2/../shared/data
[ -d "$data" ] || { echo "no $data: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for f in "$data"/compranet/*.csv $(find "$data/ocds" -type f -name '*.json' | sort); do
  "$bin/licit" normalise -q "$f" | LC_ALL=C sort > "$tmp/want"
  "$bin/licit" normalise -q --format ocds "$f" > "$tmp/releases.jsonl"
  if [ ! -s "$tmp/releases.jsonl" ]; then # no contract, no release
    [ "$(wc -l < "$tmp/want")" = 1 ] || { echo "$f: records but no release"; exit 1; }
    continue
  fi
  "$bin/licit" normalise -q "$tmp/releases.jsonl" | LC_ALL=C sort > "$tmp/got"
  cmp -s "$tmp/want" "$tmp/got" || { echo "$f: records differ"; diff "$tmp/want" "$tmp/got" | head; exit 1; }
  n=$((n + 1))
done
echo "$n files: same records through OCDS and back"
