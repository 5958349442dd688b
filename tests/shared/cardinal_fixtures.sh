#!/bin/sh
# licit coverage and licit prepare on Cardinal's own fixtures (release
# 0.0.8: tests/fixtures/coverage and tests/fixtures/prepare), read from a
# snapshot of open-contracting/cardinal-rs ($CARDINAL_RS: a git directory
# or a checkout; by default the search tool's mirror). Nothing is copied
# into the project; skipped (77) when no snapshot is there.
# coverage: the same counts (compared as JSON objects); prepare: the same
# output, byte for byte.
set -u
bin=$1
repo=${CARDINAL_RS:-/work/.mirror/open-contracting+cardinal-rs/repo}
tag=0.0.8
git -C "$repo" rev-parse -q --verify "$tag^{commit}" >/dev/null 2>&1 || {
  echo "no cardinal-rs snapshot with tag $tag at $repo: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
for d in coverage prepare; do
  mkdir -p "$work/$d"
  for f in $(git -C "$repo" ls-tree --name-only "$tag" "tests/fixtures/$d/"); do
    git -C "$repo" show "$tag:$f" >"$work/$d/$(basename "$f")"
  done
done
fail=0 n=0
for f in "$work"/coverage/*.jsonl; do
  n=$((n + 1))
  "$bin/licit" coverage -q "$f" >"$work/got" 2>/dev/null || { echo "coverage $(basename "$f"): exit $?"; fail=1; continue; }
  python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
    "$work/got" "${f%.jsonl}.expected" || { echo "coverage $(basename "$f"): differs"; fail=1; }
done
for f in "$work"/prepare/*.jsonl; do
  n=$((n + 1))
  b=${f%.jsonl}
  "$bin/licit" prepare -q --settings "$b.ini" --errors "$work/issues" "$f" >"$work/got" ||
    { echo "prepare $(basename "$f"): exit $?"; fail=1; continue; }
  cmp -s "$work/got" "$b.output" || { echo "prepare $(basename "$f"): differs"; diff "$work/got" "$b.output" | head -5; fail=1; }
  if [ -f "$b.errors" ]; then
    cmp -s "$work/issues" "$b.errors" || { echo "prepare $(basename "$f"): issues differ"; fail=1; }
  fi
done
# R044 is on Cardinal's r044 branch (not in 0.0.8): its fixture, when there
if git -C "$repo" rev-parse -q --verify "r044^{commit}" >/dev/null 2>&1; then
  n=$((n + 1))
  git -C "$repo" show r044:tests/fixtures/indicators/R044.jsonl >"$work/r044.jsonl"
  git -C "$repo" show r044:tests/fixtures/indicators/R044.expected >"$work/r044.expected"
  printf '[R044]\n' >"$work/r044.ini"
  "$bin/licit" flags -q --format cardinal --no-meta --settings "$work/r044.ini" "$work/r044.jsonl" >"$work/got" &&
  python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
    "$work/got" "$work/r044.expected" || { echo "R044: differs"; fail=1; }
fi
[ $fail = 0 ] && echo "$n Cardinal fixtures: same results"
exit $fail
