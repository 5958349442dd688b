#!/bin/sh
# licit normalise on the real samples in ../shared/data, checked against an
# independent count in Python: rows in = rows out, amount totals, and the
# procedure mix for CompraNet; contract/award rows and amount totals for OCDS.
# Usage: normalise_real.sh BUILD_DIR SOURCE_DIR; exits 77 (skip) without ../shared.
set -eu
bin=$1
data=$2/../shared/data
[ -d "$data" ] || { echo "no $data: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$data"/compranet/*.csv; do
  "$bin/licit" normalise -q --issues "$tmp/issues.csv" "$f" > "$tmp/out.csv"
  python3 - "$f" "$tmp/out.csv" <<'PY'
import csv, sys, collections
raw, out = sys.argv[1], sys.argv[2]
src = list(csv.DictReader(open(raw, encoding="utf-8", newline="")))
got = list(csv.DictReader(open(out, encoding="utf-8", newline="")))
assert len(src) == len(got), f"{raw}: {len(src)} rows in, {len(got)} out"
def amt(s):
    return float(s) if s else 0.0
tot_in = sum(amt(r["IMPORTE_CONTRATO"]) for r in src)
tot_out = sum(amt(r["amount"]) for r in got)
assert abs(tot_in - tot_out) < 0.01, f"amount total {tot_in} != {tot_out}"
kind = {"Licitación Pública": "open", "Invitación a Cuando Menos 3 Personas": "limited",
        "Adjudicación Directa Federal": "direct"}
mix_in = collections.Counter(kind.get(r["TIPO_PROCEDIMIENTO"], "?") for r in src)
mix_out = collections.Counter(r["procedure_type"] for r in got)
assert mix_in == mix_out, f"procedure mix {mix_in} != {mix_out}"
for a, b in zip(src, got):
    assert a["CODIGO_CONTRATO"] == b["contract_id"], "row order or contract id changed"
    assert (a["MONEDA"] == "MXN") == (b["amount_mxn"] == b["amount"] != ""), "amount_mxn"
print(f"{raw}: {len(got)} rows, total {tot_out:.2f}, mix {dict(mix_out)}")
PY
done
for f in "$data"/ocds/*/*.json; do
  "$bin/licit" normalise -q "$f" > "$tmp/out.csv"
  python3 - "$f" "$tmp/out.csv" <<'PY'
import csv, json, sys
path, out = sys.argv[1], sys.argv[2]
doc = json.load(open(path, encoding="utf-8"))
def releases(d):
    if "records" in d:
        for rec in d["records"]:
            if "compiledRelease" in rec:
                yield rec["compiledRelease"]
            else:
                yield merged(rec["releases"])
    elif "releases" in d:
        by = {}
        for r in d["releases"]:
            by.setdefault(r["ocid"], []).append(r)
        for rs in by.values():
            yield rs[0] if len(rs) == 1 else merged(rs)
    else:
        yield d
def merged(rs):
    # only what the count needs: awards and contracts by id, later wins
    out = {"awards": {}, "contracts": {}}
    for r in sorted(rs, key=lambda r: r.get("date", "")):
        for k in ("awards", "contracts"):
            for x in r.get(k) or []:
                out[k].setdefault(x["id"], {}).update(x)
    return {k: list(v.values()) for k, v in out.items()}
rows, total = 0, 0.0
for rel in releases(doc):
    cs = rel.get("contracts") or []
    done = {c.get("awardID") for c in cs}
    for c in cs:
        rows += 1
        v = (c.get("value") or {}).get("amount")
        if v is None:
            v = (c.get("valueWithTax") or {}).get("amount")
        total += v or 0
    for a in rel.get("awards") or []:
        if a["id"] not in done and a.get("status") not in ("pending", "cancelled", "unsuccessful"):
            rows += 1
            total += (a.get("value") or {}).get("amount") or 0
got = list(csv.DictReader(open(out, encoding="utf-8", newline="")))
assert rows == len(got), f"{path}: expected {rows} rows, got {len(got)}"
t = sum(float(r["amount"]) for r in got if r["amount"])
assert abs(t - total) < 0.01, f"{path}: amount total {total} != {t}"
print(f"{path}: {rows} rows, total {t:.2f}")
PY
done
