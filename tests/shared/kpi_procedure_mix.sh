#!/bin/sh
# licit kpi over the real CompraNet samples: the procedure mix (contracts
# and amounts per procedure type and currency, count shares per entity)
# must equal an independent computation from the raw CSV (python3 csv).
# Usage: sh kpi_procedure_mix.sh BUILD_DIR SOURCE_DIR; 77 = skipped.
set -eu
build=$1
src=$2
data=$src/../shared/data/compranet
[ -d "$src/../shared/data" ] || exit 77
[ -d "$data" ] || exit 77
command -v python3 >/dev/null 2>&1 || exit 77
tmp=$(mktemp -d "${TMPDIR:-/tmp}/licit-kpi-mix.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$build/licit" normalise -q "$data"/*.csv >"$tmp/canon.csv"
"$build/licit" kpi -q --by procedure_type,currency --kpis contracts,amount \
	"$tmp/canon.csv" >"$tmp/mix.csv"
"$build/licit" kpi -q --by entity_id --long \
	--kpis share_open_count,share_selective_count,share_limited_count,share_direct_count \
	"$tmp/canon.csv" >"$tmp/shares.csv"

python3 - "$data" "$tmp/mix.csv" "$tmp/shares.csv" <<'PY'
import csv, glob, sys
from collections import Counter, defaultdict
from decimal import Decimal

data, mix_path, shares_path = sys.argv[1:4]

def kind(t):
    # the OCDS codelist mapping of DOMAIN.md section 3, written out again
    if t.startswith("Licitación Pública"):
        return "open"
    if t.startswith("Invitación a Cuando Menos"):
        return "limited"
    if t.startswith("Adjudicación Directa") or t.startswith("Convenio"):
        return "direct"
    return ""

count, amount = Counter(), defaultdict(Decimal)
by_entity = defaultdict(Counter)
for path in sorted(glob.glob(data + "/*.csv")):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    for r in csv.DictReader(text.splitlines(True)):
        cur = r["MONEDA"].strip().upper()
        if cur == "TEST":
            continue  # test rows: licit kpi leaves them out
        t = kind(r["TIPO_PROCEDIMIENTO"].strip())
        key = (t, cur)
        count[key] += 1
        amt = r["IMPORTE_CONTRATO"].replace("$", "").replace(",", "").strip()
        amount[key] += Decimal(amt)
        by_entity[r["SIGLAS"].strip()][t] += 1

fail = 0
got = {(row["procedure_type"], row["currency"]): row
       for row in csv.DictReader(open(mix_path, newline=""))}
if set(got) != set(count):
    print("groups differ: licit", sorted(got), "python", sorted(count))
    fail = 1
for key in sorted(count):
    row = got.get(key)
    if row is None:
        continue
    if int(row["contracts"]) != count[key]:
        print(key, "contracts", row["contracts"], "expected", count[key])
        fail = 1
    if abs(Decimal(row["amount"]) - amount[key]) > Decimal("0.005"):
        print(key, "amount", row["amount"], "expected", amount[key])
        fail = 1

checked = 0
for row in csv.DictReader(open(shares_path, newline="")):
    c = by_entity[row["entity_id"]]
    t = row["kpi"][len("share_"):-len("_count")]
    den = sum(n for k, n in c.items() if k)
    if int(row["numerator"]) != c[t] or int(row["denominator"]) != den:
        print(row, "expected", c[t], "/", den)
        fail = 1
    elif den and abs(float(row["value"]) - c[t] / den) > 5e-7:
        print(row, "expected share", c[t] / den)
        fail = 1
    checked += 1
if checked != 4 * len(by_entity):
    print("expected", 4 * len(by_entity), "share rows, got", checked)
    fail = 1
print("procedure mix: %d type/currency groups, %d entity shares checked"
      % (len(count), checked))
sys.exit(fail)
PY
