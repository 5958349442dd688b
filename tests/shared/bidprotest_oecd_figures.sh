#!/bin/sh
# The OECD protest figures reproduced on a seeded register
# (bench/gen_protests.py oecd): IMSS 2007-2010 with 1 732 protests = 14.3 %
# of its procedures, 35 % dismissed, half of the examined founded; the rest
# of the government at 3.8 %; ISSSTE with 70-75 % of its protests at the
# award stage each year and a fall of two-thirds. Every figure of the tool
# is also recomputed independently in Python from the generated CSV files.
# Needs no ../shared data: the register is generated.
# usage: sh bidprotest_oecd_figures.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
command -v python3 >/dev/null || exit 77
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licit-oecd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$src/bench/gen_protests.py" oecd --spanish --seed 2012 "$tmp"
licit="$build/licit"
cd "$tmp"

"$licit" bidprotest-stats -q --procedures procedures.csv --long protests.csv > by_entity.csv
"$licit" bidprotest-stats -q --procedures procedures.csv --by entity_id,year --long \
	protests.csv > by_year.csv
# the rest of the federal government: every entity but IMSS (SFP stays:
# it has no procedure count, so its protests must stay out of the rate)
grep -v ',IMSS,' protests.csv > rest_protests.csv
grep -v ',IMSS,' procedures.csv > rest_procedures.csv
"$licit" bidprotest-stats -q --procedures rest_procedures.csv --total --long \
	rest_protests.csv > rest.csv
if "$licit" normalise --help | grep -q -- '--kind'; then
	"$licit" normalise -q --kind protests inconformidades.csv > normalised.csv
fi

python3 - <<'EOF'
import csv, statistics, sys
from collections import defaultdict

fail = []
def check(what, got, want, tol=0.0):
    ok = abs(got - want) <= tol + 1e-9
    print("%-58s %-12s %s %s" % (what, "%.6g" % got, "ok" if ok else "FAIL, want",
                                  "" if ok else "%g +- %g" % (want, tol)))
    if not ok:
        fail.append(what)

def measures(path, keys):
    out = {}
    for r in csv.DictReader(open(path)):
        out[(tuple(r[k] for k in keys), r["measure"])] = r
    return out

def val(m, key, name):
    v = m[(key, name)]["value"]
    return float(v) if v != "" else None

ent = measures("by_entity.csv", ["entity_id"])
yr = measures("by_year.csv", ["entity_id", "year"])
rest = measures("rest.csv", ["entity_id"])
I = ("IMSS",)

# ---- the published figures (rounded in the sources: tolerances) ----------
check("IMSS protests 2007-2010 (1 732)", val(ent, I, "protests"), 1732)
check("IMSS protest rate (14.3 %)", val(ent, I, "protest_rate"), 0.143, 0.0005)
check("IMSS dismissed without merits (35 %)", val(ent, I, "dismissed_share"), 0.35, 0.005)
check("IMSS founded of the examined (half)", val(ent, I, "founded_share_of_examined"), 0.5, 0.005)
check("IMSS award-stage share (70-75 %)", val(ent, I, "award_stage_share"), 0.725, 0.025)
check("rest of government pooled rate (3.8 %)", val(rest, ("ALL",), "protest_rate"), 0.038, 0.0005)
for y in ("2007", "2008", "2009", "2010"):
    check("ISSSTE %s award-stage share (70-75 %%)" % y,
          val(yr, ("ISSSTE", y), "award_stage_share"), 0.725, 0.025)
    check("ISSSTE %s founded at award stage (> 80 %%)" % y,
          val(yr, ("ISSSTE", y), "founded_award_stage_share"), 0.9, 0.1)
check("ISSSTE 2010 change from 2007 (two-thirds down)",
      val(yr, ("ISSSTE", "2010"), "change_from_first"), -2 / 3, 0.005)
if ("SFP",) in {k for k, _ in ent}:
    if val(ent, ("SFP",), "protest_rate") is not None:
        fail.append("SFP (no procedures) must have an empty rate")
    print("SFP protest_rate empty (n/a)                                 ok")

# ---- independent recomputation of every measure --------------------------
procs = {}
for r in csv.DictReader(open("procedures.csv")):
    if r["procedure_id"] not in procs:
        procs[r["procedure_id"]] = r
den = defaultdict(lambda: [0, 0])
for r in procs.values():
    for k in ((r["entity_id"],), (r["entity_id"], r["tender_start"][:4])):
        den[k][0] += 1
        den[k][1] += r["procedure_type"] in ("open", "selective", "limited")
groups = defaultdict(list)
for r in csv.DictReader(open("protests.csv")):
    groups[(r["entity_id"],)].append(r)
    groups[(r["entity_id"], r["filed_date"][:4])].append(r)

def days(a, b):
    import datetime
    d = lambda s: datetime.date(int(s[:4]), int(s[5:7]), int(s[8:]))
    return (d(b) - d(a)).days

def expect(rows, key):
    n = len(rows)
    p, c = den.get(key, [0, 0])
    oc = [r["outcome"] for r in rows if r["outcome"]]
    st = [r for r in rows if r["stage"]]
    fo = [r for r in rows if r["outcome"] == "founded" and r["stage"]]
    ex = sum(o in ("founded", "unfounded") for o in oc)
    comp = sum(r["procedure_id"] in procs and procs[r["procedure_id"]]["procedure_type"]
               in ("open", "selective", "limited") for r in rows)
    ds = [days(r["filed_date"], r["resolved_date"]) for r in rows if r["resolved_date"]]
    q = lambda a, b: a / b if b else None
    return {
        "protests": n, "procedures": p, "competitive_procedures": c,
        "protested_procedures": len({r["procedure_id"] for r in rows}),
        "unmatched_protests": sum(r["procedure_id"] not in procs for r in rows),
        "protest_rate": q(n, p),
        "protested_share": q(len({r["procedure_id"] for r in rows}), p),
        "protest_rate_competitive": q(comp, c),
        "dismissed_share": q(oc.count("dismissed"), len(oc)),
        "founded_share_of_examined": q(oc.count("founded"), ex),
        "award_stage_share": q(sum(r["stage"] == "award" for r in st), len(st)),
        "founded_award_stage_share": q(sum(r["stage"] == "award" for r in fo), len(fo)),
        "withdrawn_share": q(oc.count("withdrawn"), len(oc)),
        "pending_share": q(oc.count("pending"), len(oc)),
        "median_days_to_resolve": statistics.median(ds) if ds else None,
    }

mismatch = 0
compared = 0
for table, m in (("by_entity", ent), ("by_year", yr)):
    for key, rows in groups.items():
        if (table == "by_entity") != (len(key) == 1):
            continue
        for name, want in expect(rows, key).items():
            got = val(m, key, name)
            compared += 1
            if (want is None) != (got is None) or (want is not None and abs(got - want) > 5e-7):
                mismatch += 1
                print("MISMATCH %s %s %s: tool %s, python %s" % (table, key, name, got, want))
print("independent recomputation: %d values compared, %d mismatches" % (compared, mismatch))
if mismatch:
    fail.append("independent recomputation")

# ---- the Spanish register normalises onto the canonical one -------------
try:
    norm = list(csv.DictReader(open("normalised.csv")))
except FileNotFoundError:
    norm = None
if norm is not None:
    canon = list(csv.DictReader(open("protests.csv")))
    cols = list(canon[0].keys())
    same = len(norm) == len(canon) and all(
        all(a[c] == b[c] for c in cols) for a, b in zip(norm, canon))
    print("normalise --kind protests of the Spanish register: %s (%d rows)"
          % ("identical" if same else "DIFFERENT", len(norm)))
    if not same:
        fail.append("normalise --kind protests")

if fail:
    print("FAILED:", ", ".join(fail))
    sys.exit(1)
EOF
