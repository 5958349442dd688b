#!/bin/sh
# Denominators from the real CompraNet samples: normalise them, draw a
# seeded protest register from their real procedure ids (plus ids they do
# not contain), and check every count and rate of bidprotest-stats, by
# entity and by entity and year, against an independent Python
# computation (distinct procedure_id, attributed to its first row).
# usage: sh bidprotest_real_procedures.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
data="$src/../shared/data/compranet"
[ -d "$data" ] || exit 77
command -v python3 >/dev/null || exit 77
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licit-realproc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$build/licit" normalise -q "$data"/*.csv > contracts.csv

python3 - <<'EOF'
import csv, random
rng = random.Random(6)
rows = list(csv.DictReader(open("contracts.csv")))
ids = sorted({r["procedure_id"] for r in rows if r["procedure_id"]})
first = {}
for r in rows:
    first.setdefault(r["procedure_id"], r)
stages = ["call", "clarification", "opening", "award", "award", "award", "contract", "other", ""]
outcomes = ["dismissed", "unfounded", "founded", "withdrawn", "pending", ""]
with open("protests.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["protest_id", "procedure_id", "entity_id", "buyer_id", "filed_date",
                "resolved_date", "stage", "outcome"])
    for i in range(400):
        if rng.random() < 0.05:
            pid, ent, buyer, year = "NO-SUCH-%d" % i, "SFP", "027000001", "2014"
        else:
            p = first[rng.choice(ids)]
            pid, ent, buyer = p["procedure_id"], p["entity_id"], p["buyer_id"]
            year = (p["tender_start"] or p["award_date"] or p["signed_date"] or "2014")[:4]
        day = 1 + rng.randrange(27)
        filed = "%s-%02d-%02d" % (year, 1 + rng.randrange(11), day)
        o = rng.choice(outcomes)
        res = "" if o in ("pending", "") else "%s-12-%02d" % (year, 28)
        w.writerow(["INC-%04d" % i, pid, ent, buyer, filed, res, rng.choice(stages), o])
EOF

"$build/licit" bidprotest-stats -q --procedures contracts.csv --long protests.csv > by_entity.csv
"$build/licit" bidprotest-stats -q --procedures contracts.csv --by entity_id,year --long \
	protests.csv > by_year.csv

python3 - <<'EOF'
import csv, statistics, sys, datetime
from collections import defaultdict
first = {}
for r in csv.DictReader(open("contracts.csv")):
    if r["procedure_id"]:
        first.setdefault(r["procedure_id"], r)
def pyear(r):
    for f in ("tender_start", "award_date", "signed_date"):
        if r[f][:4].isdigit():
            return r[f][:4]
    return ""
den = defaultdict(lambda: [0, 0])
for r in first.values():
    c = r["procedure_type"] in ("open", "selective", "limited")
    for k in ((r["entity_id"],), (r["entity_id"], pyear(r))):
        den[k][0] += 1
        den[k][1] += c
groups = defaultdict(list)
for r in csv.DictReader(open("protests.csv")):
    groups[(r["entity_id"],)].append(r)
    groups[(r["entity_id"], r["filed_date"][:4])].append(r)
def d(s):
    return datetime.date(int(s[:4]), int(s[5:7]), int(s[8:10]))
def expect(rows, key):
    p, c = den.get(key, [0, 0])
    oc = [r["outcome"] for r in rows if r["outcome"]]
    st = [r["stage"] for r in rows if r["stage"]]
    comp = sum(r["procedure_id"] in first and first[r["procedure_id"]]["procedure_type"]
               in ("open", "selective", "limited") for r in rows)
    ds = [(d(r["resolved_date"]) - d(r["filed_date"])).days for r in rows if r["resolved_date"]]
    q = lambda a, b: a / b if b else None
    prot = len({r["procedure_id"] for r in rows})
    return {"protests": len(rows), "procedures": p, "competitive_procedures": c,
            "protested_procedures": prot,
            "unmatched_protests": sum(r["procedure_id"] not in first for r in rows),
            "protest_rate": q(len(rows), p), "protested_share": q(prot, p),
            "protest_rate_competitive": q(comp, c),
            "dismissed_share": q(oc.count("dismissed"), len(oc)),
            "founded_share_of_examined": q(oc.count("founded"),
                                           oc.count("founded") + oc.count("unfounded")),
            "award_stage_share": q(st.count("award"), len(st)),
            "median_days_to_resolve": statistics.median(ds) if ds else None}
bad = n = 0
for path, nk in (("by_entity.csv", 1), ("by_year.csv", 2)):
    got = {}
    keys = None
    for r in csv.DictReader(open(path)):
        keys = keys or list(r.keys())[:nk]
        got[(tuple(r[k] for k in keys), r["measure"])] = r["value"]
    # every group of the tool, with or without protests
    tool_groups = {k for k, _ in got}
    for key in tool_groups | {k for k in groups if len(k) == nk}:
        for m, want in expect(groups.get(key, []), key).items():
            v = got.get((key, m))
            n += 1
            g = None if v in (None, "") else float(v)
            if (g is None) != (want is None) or (want is not None and abs(g - want) > 5e-7):
                bad += 1
                if bad < 20:
                    print("MISMATCH", path, key, m, "tool", v, "python", want)
print("real procedures: %d distinct, %d values compared, %d mismatches" % (len(first), n, bad))
sys.exit(1 if bad or n < 100 else 0)
EOF
