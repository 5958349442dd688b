#!/bin/sh
# licit dedupe over the real samples in ../shared/data, checked against
# an independent count in python3: CompraNet rows that repeat a
# procedure_id + contract_id (ids folded as the key rule folds them) or
# repeat a whole row; the fictional OCDS folder, where five files carry one
# contract (contract, implementation, release package, records);
# and the Mexican OCDS samples.
# usage: sh tests/shared/dedupe_samples.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
data=$src/../shared/data
[ -d "$data" ] || { echo "no $data: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/licit-dedupe.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0

cat > "$work/check.py" <<'PY'
import csv, re, sys, unicodedata
from collections import defaultdict

def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()

norm, marked, want_removed = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.DictReader(open(norm, newline="", encoding="utf-8")))
# independent clusters: same folded procedure_id + contract_id when both
# are present, else the whole row without provenance
parent = list(range(len(rows)))
def find(i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
seen = {}
for i, r in enumerate(rows):
    keys = [("row",) + tuple(v for k, v in r.items() if k not in ("source", "source_line"))]
    p, c = fold(r.get("procedure_id", "")), fold(r.get("contract_id", ""))
    if p and c:
        keys.append(("key", p, c))
    for k in keys:
        if k in seen:
            parent[find(i)] = find(seen[k])
        else:
            seen[k] = i
groups = defaultdict(list)
for i in range(len(rows)):
    groups[find(i)].append(i)
expect = len(rows) - len(groups)
repeated = sum(1 for g in groups.values() if len(g) > 1)
m = list(csv.DictReader(open(marked, newline="", encoding="utf-8")))
got = defaultdict(list)
for i, r in enumerate(m):
    got[r["dup_cluster"]].append(i)
same = sorted(map(tuple, groups.values())) == sorted(map(tuple, got.values()))
print("rows %d, python: %d duplicates in %d groups; dedupe --mark: %d clusters, same partition: %s; "
      "dedupe removed %s" % (len(rows), expect, repeated, len(got), same, want_removed))
sys.exit(0 if same and expect == int(want_removed) and len(m) == len(rows) else 1)
PY

echo "== CompraNet samples"
"$build/licit" normalise -q "$data"/compranet/*.csv > "$work/cn.csv"
"$build/licit" dedupe --mark "$work/cn.csv" > "$work/cn_marked.csv" 2> "$work/err"
cat "$work/err"
"$build/licit" dedupe --removed "$work/cn_removed.csv" "$work/cn.csv" > "$work/cn_out.csv" 2> "$work/err"
cat "$work/err"
removed=$(($(wc -l < "$work/cn_removed.csv") - 1))
python3 "$work/check.py" "$work/cn.csv" "$work/cn_marked.csv" "$removed" || status=1
grep '^licit-dedupe: .* removed' "$work/err" | grep -q " $removed removed" || { echo "FAIL: stderr count"; status=1; }

echo "== CompraNet samples, supplier entities"
"$build/licit" dedupe --suppliers "$work/cn.csv" > "$work/cn_ent.csv"
python3 - "$work/cn.csv" "$work/cn_ent.csv" <<'PY' || status=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
ents = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
# every supplier row is in exactly one entity; the entities never have
# fewer members than the distinct normalised names (supplier_id) allow
n = sum(1 for r in rows if r["supplier_name"] or r["supplier_rfc"])
total = sum(int(e["rows"]) for e in ents)
ids = {r["supplier_id"] for r in rows if r["supplier_id"]}
print("supplier rows %d, in entities %d; distinct supplier_id %d, entities %d"
      % (n, total, len(ids), len(ents)))
for e in ents:
    if e["rule"] == "similar":
        print("  similar:", e["variants"])
sys.exit(0 if n == total and len(ents) <= len(ids) else 1)
PY

echo "== OCDS fictional: one contract in five files"
"$build/licit" normalise -q "$data"/ocds/fictional/*.json > "$work/f.csv"
"$build/licit" dedupe --level fuzzy --mark "$work/f.csv" > "$work/f_marked.csv"
python3 - "$work/f.csv" "$work/f_marked.csv" <<'PY' || status=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
m = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
ocids = {r["ocid"] for r in rows}
clusters = {r["dup_cluster"] for r in m}
print("rows %d, distinct ocid %d, fuzzy clusters %d" % (len(rows), len(ocids), len(clusters)))
sys.exit(0 if len(m) == len(rows) and len(clusters) == len(ocids) == 1 else 1)
PY
"$build/licit" dedupe -q --mark "$work/f.csv" > "$work/f_key.csv"
"$build/licit" dedupe -q --level key --removed "$work/f_rem.csv" "$work/f.csv" > /dev/null
python3 "$work/check.py" "$work/f.csv" "$work/f_key.csv" "$(($(wc -l < "$work/f_rem.csv") - 1))" || status=1

echo "== OCDS Mexico (APF, Jalisco)"
"$build/licit" normalise -q "$data"/ocds/mx-*/*.json > "$work/mx.csv"
"$build/licit" dedupe --mark "$work/mx.csv" > "$work/mx_marked.csv"
"$build/licit" dedupe -q --removed "$work/mx_rem.csv" "$work/mx.csv" > /dev/null
python3 "$work/check.py" "$work/mx.csv" "$work/mx_marked.csv" "$(($(wc -l < "$work/mx_rem.csv") - 1))" || status=1
exit $status
