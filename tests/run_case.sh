#!/bin/sh
# Runs one case folder: `cmd` is a shell command run in a scratch copy of
# the folder with the built tools first on PATH; its stdout must equal
# `expout`, its stderr `experr` (when present), its exit status `status`
# (default 0). LICIT_UPDATE=1 rewrites the expectations instead.
set -u
case_dir=$(cd "$1" && pwd) || exit 1
bin=$(cd "$2" && pwd) || exit 1
# TESTDATA lets a case use the shipped samples: cp "$TESTDATA/samples/x" .
TESTDATA=$(cd "$case_dir/../../.." && pwd)
export TESTDATA
work=$(mktemp -d "${TMPDIR:-/tmp}/licit-case.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
cp -R "$case_dir"/. "$work"/
cd "$work" || exit 1
PATH="$bin:$PATH" LC_ALL=C sh ./cmd >out 2>err </dev/null
got=$?
want=0
[ -f status ] && want=$(cat status)
if [ "${LICIT_UPDATE:-0}" = 1 ]; then
  cp out "$case_dir/expout"
  if [ -s err ] || [ -f "$case_dir/experr" ]; then cp err "$case_dir/experr"; fi
  if [ "$got" != 0 ]; then echo "$got" >"$case_dir/status"; else rm -f "$case_dir/status"; fi
  exit 0
fi
fail=0
if [ "$got" != "$want" ]; then
  echo "exit status $got, expected $want"; fail=1
fi
if ! diff -u expout out; then fail=1; fi
if [ -f experr ] && ! diff -u experr err; then fail=1; fi
if [ $fail = 1 ]; then echo "--- stderr:"; cat err; fi
exit $fail
