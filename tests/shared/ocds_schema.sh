#!/bin/sh
# licit normalise --format ocds on the samples and on ../shared/data,
# every release checked against the OCDS 1.1 release schema with a JSON
# Schema validator: Python's jsonschema (Debian python3-jsonschema) or, when
# that is missing, ajv (npm ajv-cli). The schema is not shipped with licit:
# LICIT_OCDS_SCHEMA names a copy of release-schema.json (the tests never
# reach the network). Skipped (77) without a validator or a schema. Usage: ocds_schema.sh BUILD_DIR SOURCE_DIR
set -eu
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
validator=""
for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import jsonschema' 2>/dev/null; then
    validator=$py; break
  fi
done
if [ -z "$validator" ] && command -v ajv >/dev/null; then validator=ajv; fi
[ -n "$validator" ] || { echo "no JSON Schema validator (python3-jsonschema or ajv-cli): skipped"; exit 77; }
schema=${LICIT_OCDS_SCHEMA:-}
[ -n "$schema" ] || { echo "no OCDS release schema (set LICIT_OCDS_SCHEMA to a copy of release-schema.json): skipped"; exit 77; }
[ -r "$schema" ] || { echo "$schema: unreadable"; exit 1; }

set -- "$src"/testdata/samples/compranet_2015.csv "$src"/testdata/samples/ocds_releases.json \
  "$src"/testdata/cases/normalise/era_compranet3/contratos_cnet3_2008.csv \
  "$src"/testdata/cases/normalise/era_2018/contratos_2019.csv
data=$src/../shared/data
[ -d "$data" ] && set -- "$@" "$data"/compranet/*.csv $(find "$data/ocds" -type f -name '*.json' | sort)
"$bin/licit" normalise -q --format ocds "$@" > "$tmp/releases.jsonl"
n=$(wc -l < "$tmp/releases.jsonl")
if [ "$validator" = ajv ]; then
  i=0
  while IFS= read -r line; do
    i=$((i + 1)); printf '%s\n' "$line" > "$tmp/r.json"
    ajv validate --spec=draft4 -c ajv-formats -s "$schema" -d "$tmp/r.json" >/dev/null 2>"$tmp/err" ||
      { echo "release $i:"; cat "$tmp/err"; exit 1; }
  done < "$tmp/releases.jsonl"
else
  "$validator" - "$schema" "$tmp/releases.jsonl" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
bad = 0
for i, line in enumerate(open(sys.argv[2], encoding="utf-8"), start=1):
    rel = json.loads(line)
    for e in v.iter_errors(rel):
        bad += 1
        print(f"release {i} ({rel.get('ocid')}): {'/'.join(map(str, e.absolute_path))}: {e.message}")
        if bad > 20:
            sys.exit(1)
sys.exit(1 if bad else 0)
PY
fi
echo "$n releases valid against $(basename "$schema")"
