#!/usr/bin/env python3
"""Generates benchmark inputs for licit flags (deterministic, seed 7).

flags_gen.py ocds SIZE_MB  > releases.jsonl   OCDS compiled releases, one per line,
                                              with bids, awards, items and periods
flags_gen.py csv SIZE_MB   > contracts.csv    canonical records (licit-schema(5))
"""
import json
import random
import sys

R = random.Random(7)
kind, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
out = sys.stdout
written = 0
METHODS = ["open", "open", "selective", "limited", "direct"]
STATUS = ["valid", "valid", "valid", "disqualified", "withdrawn", "pending"]

def release(i):
    n = R.randint(1, 6)
    base = R.randint(10_000, 5_000_000)
    tenderers = [f"MX-RFC-{R.randint(1, 20000)}" for _ in range(n)]
    bids = []
    for t in tenderers:
        bids.append({"id": str(len(bids)), "status": R.choice(STATUS),
                     "date": f"2021-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T10:00:00Z",
                     "tenderers": [{"id": t, "name": "Proveedor " + t}],
                     "value": {"amount": round(base * R.uniform(0.9, 1.6), 2), "currency": "MXN"}})
    winner = R.choice(tenderers)
    start = R.randint(1, 300)
    items = [{"id": str(k), "classification": {"scheme": "UNSPSC", "id": str(R.randint(10, 95)) + "000000"},
              "quantity": R.randint(1, 100)} for k in range(R.randint(1, 4))]
    return {
        "ocid": f"ocds-bench-{i}", "id": f"{i}-compiled", "date": "2021-12-31T00:00:00Z",
        "tag": ["compiled"], "initiationType": "tender",
        "buyer": {"id": f"UC-{R.randint(1, 800)}", "name": "Unidad compradora"},
        "tender": {"id": str(i), "status": R.choice(["complete", "complete", "active", "cancelled"]),
                   "procurementMethod": R.choice(METHODS),
                   "procurementMethodDetails": R.choice(["Licitación Pública Nacional", "Licitación Pública Internacional", "Adjudicación Directa"]),
                   "procuringEntity": {"id": f"PE-{R.randint(1, 300)}"},
                   "numberOfTenderers": n,
                   "tenderPeriod": {"startDate": f"2021-01-01T09:00:00-06:00",
                                    "endDate": f"2021-{1 + (start + R.randint(3, 40)) // 31 % 12:02d}-{R.randint(1, 28):02d}T18:00:00-06:00"}},
        "bids": {"details": bids},
        "awards": [{"id": "1", "status": R.choice(["active", "active", "active", "pending"]),
                    "suppliers": [{"id": winner}], "items": items,
                    "value": {"amount": base, "currency": "MXN"}}],
    }

TITLES = ["Servicio de limpieza", "Adquisición de medicamentos", "Mantenimiento preventivo",
          "Equipo de cómputo", "Papelería", "Servicio de vigilancia", "Obra pública", "Consultoría"]
HEADER = ["ocid", "procedure_id", "buyer_id", "buyer_name", "procedure_type", "character",
          "contract_type", "exception", "tender_start", "tender_end", "award_date", "signed_date",
          "start_date", "end_date", "contract_id", "title", "amount", "currency", "amount_mxn",
          "supplier_id", "supplier_name", "supplier_rfc", "supplier_size", "supplier_size_buyer", "status"]

def row(i):
    y = R.choice([2013, 2014, 2015, 2016])
    m, d = R.randint(1, 12), R.randint(1, 28)
    day = f"{y}-{m:02d}-{d:02d}"
    pt = R.choice(["direct", "direct", "open", "limited"])
    amt = R.choice([R.randint(5_000, 3_000_000), R.randint(1, 30) * 100_000, 50_000])
    sup = f"PROVEEDOR {R.randint(1, 30000)} SA DE CV"
    return [f"compranet-P{i}", f"P{i}", f"UC{R.randint(1, 2000)}", "Unidad", pt,
            R.choice(["Nacional", "Internacional"]), R.choice(["goods", "services", "works"]),
            R.choice(["", "", "LAASSP-41-III", "LAASSP-42"]),
            day if pt != "direct" else "", f"{y}-{m:02d}-{min(d + R.randint(5, 25), 28):02d}" if pt != "direct" else "",
            day, day, day, f"{y + R.randint(0, 3)}-12-31", str(i), R.choice(TITLES) + f" {R.randint(1, 50)}",
            str(amt), "MXN", str(amt), sup, sup, "", R.choice(["Micro", "Pequeña", "Mediana", ""]),
            R.choice(["Micro", "Pequeña", "Mediana"]), R.choice(["Activo", "Expirado", "Desierta"])]

def csvline(v):
    return ",".join('"' + x.replace('"', '""') + '"' if ("," in x or '"' in x) else x for x in v) + "\n"

i = 0
if kind == "csv":
    line = csvline(HEADER)
    out.write(line)
    written += len(line.encode())
while written < size:
    i += 1
    line = (json.dumps(release(i), ensure_ascii=False, separators=(",", ":")) + "\n") if kind == "ocds" else csvline(row(i))
    out.write(line)
    written += len(line.encode())
