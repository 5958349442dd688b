#!/bin/sh
# licit flags on the real samples: Mexico rules on normalised CompraNet
# rows, and the Cardinal indicators on the OCDS samples, each checked
# against an independent python3 computation.
# Usage: sh flags_rules.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
data="$src/../shared/data"
[ -d "$data" ] || exit 77
command -v python3 >/dev/null || exit 77
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licit-flags.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
"$build/licit" normalise -q "$data"/compranet/*.csv > "$tmp/contracts.csv" || exit 1
"$build/licit" flags -q --data-dir "$src/data" "$tmp/contracts.csv" > "$tmp/flagged.csv" || exit 1
python3 - "$tmp/contracts.csv" "$tmp/flagged.csv" "$src/data/thresholds_mx.csv" <<'PY' || exit 1
import csv, sys, datetime as dt
from collections import Counter, defaultdict
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
out = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
assert len(rows) == len(out), (len(rows), len(out))
thr = {(int(r["year"]), r["contract_type"]): float(r["max_direct_amount"])
       for r in csv.DictReader(open(sys.argv[3], encoding="utf-8"))}
def d(s):
    try: return dt.date.fromisoformat(s[:10])
    except ValueError: return None
def num(s):
    try: return float(s)
    except ValueError: return None
def mxn(r):
    v = num(r["amount_mxn"])
    if v is None and r["currency"] in ("", "MXN"): v = num(r["amount"])
    return v
def when(r):
    for k in ("signed_date", "award_date", "start_date"):
        if d(r[k]): return r[k]
    return ""
# buyer-year totals for the share rules
n = Counter(); tot = defaultdict(float); sup_n = Counter(); sup_a = defaultdict(float); day = Counter()
for r in rows:
    b = r["buyer_id"] or r["buyer_name"]; w = when(r)
    if not b or not w: continue
    k = (b, w[:4]); n[k] += 1; a = mxn(r)
    if a is not None: tot[k] += a
    s = r["supplier_id"] or r["supplier_name"]
    if s:
        sup_n[k + (s,)] += 1
        if a is not None: sup_a[k + (s,)] += a
    day[k + (w[:10],)] += 1
want = []
for r in rows:
    f = set(); a = mxn(r); w = when(r)
    b = r["buyer_id"] or r["buyer_name"]; s = r["supplier_id"] or r["supplier_name"]
    if r["procedure_type"] == "direct" and a is not None and w and r["contract_type"] \
       and not r["exception"].startswith(("LAASSP-41", "LOPSRM-42")):
        t = thr.get((int(w[:4]), r["contract_type"]))
        if t is not None and a > t: f.add("MX-DIRECT-THRESHOLD")
    am = num(r["amount"])
    if am is not None and am > 0 and am % 100000 == 0: f.add("MX-ROUND")
    if am is None or am <= 0: f.add("MX-BAD-AMOUNT")
    s0, e0 = d(r["start_date"]), d(r["end_date"])
    if s0 and e0 and (e0 - s0).days > 1000: f.add("MX-LONG")
    p, sg, st = d(r["tender_start"]), d(r["signed_date"]), d(r["start_date"])
    if p and ((sg and sg < p) or (st and st < p)): f.add("MX-EARLY")
    te = d(r["tender_end"])
    if r["procedure_type"] == "open" and p and te and r["character"]:
        lim = 20 if r["character"].startswith("Internacional") else 15
        if (te - p).days < lim: f.add("MX-SHORT-PERIOD")
    if b and w and s:
        k = (b, w[:4])
        if n[k] >= 10 and (sup_n[k + (s,)] / n[k] >= 0.5 or (tot[k] > 0 and sup_a[k + (s,)] / tot[k] >= 0.5)):
            f.add("MX-SUPPLIER-SHARE")
    if b and w:
        k = (b, w[:4]); c = day[k + (w[:10],)]
        if n[k] > 10 and c >= 2 and c / n[k] >= 0.03: f.add("MX-SAME-DAY")
    want.append(f)
checked = {"MX-DIRECT-THRESHOLD", "MX-ROUND", "MX-BAD-AMOUNT", "MX-LONG", "MX-EARLY",
           "MX-SHORT-PERIOD", "MX-SUPPLIER-SHARE", "MX-SAME-DAY"}
bad = 0; counts = Counter()
for i, (r, f) in enumerate(zip(out, want)):
    got = set(x for x in r["flags"].split(";") if x) & checked
    counts.update(got)
    assert int(r["flag_count"]) == len([x for x in r["flags"].split(";") if x])
    if got != f:
        bad += 1
        if bad <= 5: print("row", i + 1, "licit", sorted(got), "python", sorted(f))
print("compranet:", len(rows), "rows;", ", ".join(f"{k} {counts[k]}" for k in sorted(checked)))
sys.exit(1 if bad else 0)
PY
# Cardinal R003 and R018 on the record packages (compiledRelease given)
for f in "$data"/ocds/mx-jalisco/*.json "$data"/ocds/fictional/record-*.json; do
  "$build/licit" flags -q --format cardinal --no-meta "$f" > "$tmp/card.json" || exit 1
  python3 - "$f" "$tmp/card.json" <<'PY' || exit 1
import json, sys, datetime as dt
doc = json.load(open(sys.argv[1], encoding="utf-8"))
got = json.load(open(sys.argv[2]))
want = {}
for rec in doc.get("records", []):
    r = rec.get("compiledRelease") or {}
    t = r.get("tender") or {}
    if t.get("status") == "cancelled": continue
    n = t.get("numberOfTenderers")
    if t.get("procurementMethod") in ("open", "selective") and type(n) is int and n == 1:
        want.setdefault(r["ocid"], {})["R018"] = 1.0
    p = t.get("tenderPeriod") or {}
    try:
        s = dt.datetime.fromisoformat(p["startDate"].replace("Z", "+00:00"))
        e = dt.datetime.fromisoformat(p["endDate"].replace("Z", "+00:00"))
        secs = (e - s).total_seconds()
        if int(secs / 86400) < 15: want.setdefault(r["ocid"], {})["R003"] = 1.0
    except (KeyError, ValueError, AttributeError):
        pass
g = {k: {c: v for c, v in d.items() if c in ("R003", "R018")} for k, d in got.get("OCID", {}).items()}
g = {k: v for k, v in g.items() if v}
if g != want:
    print(sys.argv[1], "licit", g, "python", want); sys.exit(1)
PY
done
echo "ocds: R003/R018 agree on the record packages"

# Every Cardinal indicator, defaults: licit against an independent python3
# reading of Cardinal's definitions, on the real records' compiled
# releases and on generated releases with bids (bench/flags_gen.py).
python3 - "$data"/ocds/mx-jalisco/*.json "$data"/ocds/fictional/record-*.json > "$tmp/real.jsonl" <<'PY' || exit 1
import json, sys
for p in sys.argv[1:]:
    for rec in json.load(open(p, encoding="utf-8")).get("records", []):
        if rec.get("compiledRelease"):
            print(json.dumps(rec["compiledRelease"], ensure_ascii=False))
PY
python3 "$src/bench/flags_gen.py" ocds 3 > "$tmp/gen.jsonl" || exit 1
cat > "$tmp/cardinal.py" <<'PY'
# Independent python3 reading of Cardinal's indicators (cardinal-rs 0.0.6
# semantics), all indicators with their defaults: compares with licit.
import json, math, sys
from datetime import datetime

def q8(v, tau):
    v = sorted(v); n = len(v)
    if n == 0: return float("nan")
    h = (n + 1/3) * tau + 1/3; hf = int(h)
    if hf <= 0 or tau == 0: return v[0]
    if hf >= n or tau == 1: return v[-1]
    return v[hf-1] + (h - hf) * (v[hf] - v[hf-1])

def fma(a, b, c):
    return math.fma(a, b, c) if hasattr(math, "fma") else a * b + c

res = {}
def put(g, k, code, val): res.setdefault(g, {}).setdefault(k, {})[code] = val
def st(o, k):
    v = o.get(k) if isinstance(o, dict) else None
    return v if isinstance(v, str) else None
def ob(o, k):
    v = o.get(k) if isinstance(o, dict) else None
    return v if isinstance(v, dict) else None
def ar(o, k):
    v = o.get(k) if isinstance(o, dict) else None
    return v if isinstance(v, list) else None
def num(v): return isinstance(v, (int, float)) and not isinstance(v, bool)

def final_awards(r):
    aw, bids = ar(r, "awards"), ob(r, "bids")
    det = ar(bids, "details") if bids else None
    if aw is None or det is None: return None
    out = []
    for a in aw:
        s = st(a, "status")
        if s is None: continue
        if s == "active": out.append(a)
        elif s not in ("cancelled", "unsuccessful"): return None
    return out, det

def submitted(r):
    b = ob(r, "bids"); d = ar(b, "details") if b else None
    return [x for x in (d or []) if st(x, "status") not in (None, "invited", "withdrawn")]

def rfc3339(s):
    try:
        if len(s) < 20 or s[10] not in "Tt ": return None
        return datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00")).timestamp()
    except ValueError:
        return None

currency = None
ratios = {}; r025 = {}; r038 = [{}, {}, {}]; r048c = {}; r048s = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip(): continue
    try: r = json.loads(line)
    except ValueError: continue
    ocid = st(r, "ocid")
    if ocid is None: continue
    t = ob(r, "tender") or {}
    if st(t, "status") == "cancelled": continue
    # second-lowest ratio
    fa = final_awards(r)
    if fa and len(fa[0]) == 1:
        sup = ar(fa[0][0], "suppliers")
        sid = st(sup[0], "id") if sup and len(sup) == 1 else None
        if sid:
            w = o = None
            for b in fa[1]:
                v = ob(b, "value"); tt = ar(b, "tenderers")
                if st(b, "status") != "valid" or not v or not num(v.get("amount")) or st(v, "currency") is None or not tt or len(tt) != 1 or st(tt[0], "id") is None: continue
                if currency is None: currency = v["currency"]
                if v["currency"] != currency: continue
                tid, amt = tt[0]["id"], v["amount"]
                if tid == sid:
                    if w is None or amt < w[1]: w = (tid, amt)
                elif o is None or amt < o[1]: o = (tid, amt)
            if w and o and o[1] >= w[1]:
                ratios[ocid] = ((o[1] - w[1]) / w[1], w[0], o[0])
    # R003
    tp = ob(t, "tenderPeriod") or {}
    s0, e0 = rfc3339(st(tp, "startDate") or ""), rfc3339(st(tp, "endDate") or "")
    if s0 is not None and e0 is not None and math.trunc((e0 - s0) / 86400) < 15: put("OCID", ocid, "R003", 1.0)
    # R018
    n = t.get("numberOfTenderers")
    if st(t, "procurementMethod") in ("open", "selective") and type(n) is int and n == 1: put("OCID", ocid, "R018", 1.0)
    # R028
    prices = {}
    for b in submitted(r):
        tt = ar(b, "tenderers"); v = ob(b, "value")
        if not tt or not v or not num(v.get("amount")) or st(v, "currency") is None: continue
        ids = frozenset(x["id"] for x in tt if st(x, "id") is not None)
        if not ids: continue
        p = (float(v["amount"]), v["currency"])
        if p in prices and prices[p] != ids:
            put("OCID", ocid, "R028", 1.0)
            for i in ids | prices[p]: put("Tenderer", i, "R028", 1.0)
        prices[p] = ids
    # R030
    end = st(tp, "endDate"); aw = ar(r, "awards"); bd = ob(r, "bids"); det = ar(bd, "details") if bd else None
    if end and aw is not None and det is not None:
        won = {st(x, "id") for a in aw if st(a, "status") == "active" and ar(a, "suppliers") for x in a["suppliers"] if st(x, "id")}
        for b in det:
            d = st(b, "date")
            if st(b, "status") == "valid" and d and ar(b, "tenderers") and d > end:
                for x in b["tenderers"]:
                    if st(x, "id") in won:
                        put("OCID", ocid, "R030", 1.0); put("Tenderer", x["id"], "R030", 1.0)
    # R035
    if fa is not None:
        won = {st(x, "id") for a in fa[0] for x in (ar(a, "suppliers") or []) if st(x, "id")}
        val, dq = set(), set()
        for b in fa[1]:
            s = st(b, "status"); tt = ar(b, "tenderers")
            if s in ("valid", "disqualified") and tt:
                for x in tt:
                    if st(x, "id"): (val if s == "valid" else dq).add(x["id"])
        if len(val) == 1 and val == won and len(dq - val) >= 1:
            put("OCID", ocid, "R035", float(len(dq - val))); put("Tenderer", next(iter(val)), "R035", 0.0)
    # R036
    if aw and any(st(a, "status") == "active" for a in aw):
        low = None; lowd = False; hv = False
        for b in submitted(r):
            v = ob(b, "value")
            if not v or not num(v.get("amount")) or st(v, "currency") is None: continue
            if currency is None: currency = v["currency"]
            if v["currency"] != currency: continue
            if low is None or v["amount"] < low: low, lowd = v["amount"], b["status"] == "disqualified"
            if b["status"] == "valid": hv = True
        if hv and lowd: put("OCID", ocid, "R036", 1.0)
    # R044 (Cardinal's r044 branch): tenderers with one address or contact point
    ten = {}
    for p in ar(r, "parties") or []:
        if isinstance(p, dict) and isinstance(p.get("roles"), list) and "tenderer" in p["roles"] and isinstance(p.get("id"), str):
            ad = p.get("address"); a = None
            if isinstance(ad, dict) and "streetAddress" in ad:
                a = "".join(ad[k].strip().lower() + " " for k in ("streetAddress", "locality", "region", "postalCode", "countryName") if isinstance(ad.get(k), str))
            ten[p["id"]] = (a, p.get("contactPoint"))
    def same_cp(x, y):
        if not isinstance(x, dict) or not isinstance(y, dict): return False
        for k in ("name", "email", "telephone", "faxNumber", "url"):
            if isinstance(x.get(k), str) and isinstance(y.get(k), str): return x[k] == y[k]
        return False
    for i, (a1, c1) in ten.items():
        for j, (a2, c2) in ten.items():
            if i != j and ((a1 is not None and a1 == a2) or same_cp(c2, c1)):
                put("OCID", ocid, "R044", 1.0); put("Tenderer", i, "R044", 1.0)
    # R025
    if fa and len(fa[0]) == 1:
        sup = ar(fa[0][0], "suppliers")
        sid = st(sup[0], "id") if sup and len(sup) == 1 else None
        if sid:
            seen = set()
            for b in fa[1]:
                tt = ar(b, "tenderers")
                if st(b, "status") == "valid" and tt and len(tt) == 1 and st(tt[0], "id") and tt[0]["id"] not in seen:
                    seen.add(tt[0]["id"]); f = r025.setdefault(tt[0]["id"], [0, 0]); f[0] += tt[0]["id"] == sid; f[1] += 1
    # R038
    sb = submitted(r)
    if sb:
        dqn = 0
        for b in sb:
            inc = 1 if b["status"] == "disqualified" else 0; dqn += inc
            for x in ar(b, "tenderers") or []:
                if st(x, "id"): f = r038[2].setdefault(x["id"], [0, 0]); f[0] += inc; f[1] += 1
        by = ob(r, "buyer")
        if by and st(by, "id"): f = r038[0].setdefault(by["id"], [0, 0]); f[0] += dqn; f[1] += len(sb)
        pe = ob(t, "procuringEntity")
        if pe and st(pe, "id"): f = r038[1].setdefault(pe["id"], [0, 0]); f[0] += dqn; f[1] += len(sb)
    # R048
    seen = set()
    for a in aw or []:
        sup = ar(a, "suppliers"); items = ar(a, "items")
        if st(a, "status") == "active" and items is not None and sup and len(sup) == 1 and st(sup[0], "id"):
            sid = sup[0]["id"]
            for it in items:
                c = ob(it, "classification")
                if c and st(c, "id"):
                    if sid not in seen: seen.add(sid); r048c[sid] = r048c.get(sid, 0) + 1
                    r048s.setdefault(sid, set()).add(c["id"][:2])
# finalize
vals = [x[0] for x in ratios.values()]
q1, q3 = q8(vals, .25), q8(vals, .75)
lf = fma(q3 - q1, -1.5, q1)
if q1 > 0 and lf > 0:
    for k, (x, w, o) in ratios.items():
        if x <= lf: put("OCID", k, "R024", x); put("Tenderer", w, "R024", 0.0); put("Tenderer", o, "R024", 0.0)
up = q8([f[1] for f in r025.values()], .75)
rv = [f[0] / f[1] for f in r025.values()]
a1, a3 = q8(rv, .25), q8(rv, .75); lo = fma(a3 - a1, -1.5, a1)
if a1 > 0 and lo > 0:
    for k, f in r025.items():
        if f[1] >= up and f[0] / f[1] <= lo: put("Tenderer", k, "R025", f[0] / f[1])
for g, name in enumerate(("Buyer", "ProcuringEntity", "Tenderer")):
    rs = {k: f[0] / f[1] for k, f in r038[g].items() if f[1] >= 2}
    if rs:
        b1, b3 = q8(list(rs.values()), .25), q8(list(rs.values()), .75); fu = fma(b3 - b1, 1.5, b3)
        if fu > 0:
            for k, x in rs.items():
                if x >= fu: put(name, k, "R038", x)
ln = {k: float(len(r048s[k])) for k, c in r048c.items() if c >= 20}
c1, c3 = q8(list(ln.values()), .25), q8(list(ln.values()), .75); fu = fma(c3 - c1, 1.5, c3)
for k, x in ln.items():
    if x >= fu: put("Tenderer", k, "R048", x)
uf = fma(q3 - q1, 1.5, q3)
if uf > 0:
    for k, (x, w, o) in ratios.items():
        if x >= uf: put("OCID", k, "R058", x); put("Tenderer", w, "R058", 0.0)
got = json.load(open(sys.argv[2])); got.pop("Meta", None)
def same(a, b):
    if a.keys() != b.keys(): return False
    return all(abs(a[k] - b[k]) <= 1e-12 * max(1, abs(b[k])) for k in a)
bad = 0
for g in set(res) | set(got):
    A, B = got.get(g, {}), res.get(g, {})
    for k in set(A) | set(B):
        if not same(A.get(k, {}), B.get(k, {})):
            bad += 1
            if bad <= 5: print(g, k, "licit", A.get(k), "python", B.get(k))
print("cardinal:", {g: len(v) for g, v in got.items()}, "differences:", bad)
sys.exit(1 if bad else 0)
PY
for f in "$tmp/real.jsonl" "$tmp/gen.jsonl"; do
  "$build/licit" flags -q --format cardinal "$f" > "$tmp/card.json" || exit 1
  python3 "$tmp/cardinal.py" "$f" "$tmp/card.json" || exit 1
done
