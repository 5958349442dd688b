#!/bin/sh
# licit's JSON parser against jansson on the real OCDS files in
# ../shared/data (each file whole and line by line): the same values.
# Usage: json_differential.sh BUILD_DIR SOURCE_DIR; exits 77 (skip) without ../shared.
set -eu
data=$2/../shared/data/ocds
[ -d "$data" ] || { echo "no $data: skipped"; exit 77; }
find "$data" -name '*.json*' -type f | sort | xargs "$1/tests/json_diff"
