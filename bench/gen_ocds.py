#!/usr/bin/env python3
"""OCDS release JSON Lines shaped like Mexican federal data, for benchmarks.

Each process (ocid) has a tender release (parties, buyer, tender with
tenderers, procurementMethod and items, bids.details), an award release
(awards with suppliers and values) and, for most, a contract release
(contracts with values, periods and an awardID); some processes have only
a tender, some awards are pending or unsuccessful, a few amounts are in
exponent form. Releases of one process are on consecutive lines, in date
order; --shuffle writes the same lines in a random order.

usage: bench/gen_ocds.py SIZE_MB [--shuffle] [--seed N] > releases.jsonl
"""
import json
import re
import random
import sys

BUYERS = [
    ("IMSS", "Instituto Mexicano del Seguro Social"),
    ("ISSSTE", "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado"),
    ("SEP", "Secretaría de Educación Pública"),
    ("CFE", "Comisión Federal de Electricidad"),
    ("PEMEX", "Petróleos Mexicanos"),
    ("SCT", "Secretaría de Comunicaciones y Transportes"),
    ("SSA", "Secretaría de Salud"),
    ("CONAGUA", "Comisión Nacional del Agua"),
    ("SEDENA", "Secretaría de la Defensa Nacional"),
    ("INE", "Instituto Nacional Electoral"),
]
METHODS = [
    ("open", "Licitación Pública", 0.35),
    ("selective", "Invitación a cuando menos tres personas", 0.20),
    ("direct", "Adjudicación Directa", 0.45),
]
CATEGORIES = ["goods", "services", "works"]
WORDS = ("suministro adquisición servicio mantenimiento preventivo correctivo "
         "equipo médico material curación papelería cómputo obra pública "
         "construcción rehabilitación carretera hospital escuela limpieza "
         "vigilancia arrendamiento vehículos medicamentos consumibles").split()
FIRST = ["Grupo", "Comercializadora", "Distribuidora", "Servicios", "Constructora",
         "Farmacéutica", "Tecnología", "Proveedora", "Industrias", "Consultores"]
SECOND = ["del Norte", "Integral", "Azteca", "del Bajío", "Peninsular", "Médica",
          "Nacional", "Occidente", "Pacífico", "Moderna", "Avanzada", "Unida"]
FORMS = ["S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V.", "S.C."]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
EXP = "\x01"  # marks a number to be written in exponent form
EXP_RE = re.compile(r'"\\u0001([^"]*)"')


def rfc(rng):
    return ("".join(rng.choice(LETTERS) for _ in range(3)) +
            "%02d%02d%02d" % (rng.randrange(80, 100), rng.randrange(1, 13), rng.randrange(1, 29)) +
            "".join(rng.choice(LETTERS + "0123456789") for _ in range(3)))


def make_suppliers(rng, n):
    out = []
    for i in range(n):
        name = "%s %s %s" % (rng.choice(FIRST), rng.choice(SECOND), rng.choice(FORMS))
        out.append(("MX-RFC-" + rfc(rng), name))
    return out


def amount(rng, big=False):
    v = round(rng.lognormvariate(12.5 if not big else 15, 1.6), 2)
    if rng.random() < 0.01:  # exponent form, as some publishers write it
        return EXP + "%.5e" % v
    return v if rng.random() < 0.7 else int(v)


def date(y, m, d, h):
    return "%04d-%02d-%02dT%02d:%02d:00-06:00" % (y, m, d, h, (d * 7) % 60)


def process(rng, k, suppliers):
    ocid = "ocds-07smqs-%07d" % k
    code, bname = rng.choice(BUYERS)
    buyer = {"id": "MX-UC-%s-%03d" % (code, rng.randrange(1, 60)), "name": bname}
    method = rng.choices(METHODS, weights=[m[2] for m in METHODS])[0]
    cat = rng.choice(CATEGORIES)
    y, mo, d = rng.randrange(2018, 2024), rng.randrange(1, 13), rng.randrange(1, 20)
    ntend = 1 if method[0] == "direct" else rng.randrange(1, 7)
    tenderers = rng.sample(suppliers, ntend)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 9))).capitalize()
    items = [{"id": str(i + 1), "description": " ".join(rng.choice(WORDS) for _ in range(4)),
              "classification": {"scheme": "CUCOP", "id": str(rng.randrange(10000000, 99999999))},
              "quantity": rng.randrange(1, 500),
              "unit": {"name": rng.choice(["Pieza", "Servicio", "Caja", "Lote"])}}
             for i in range(rng.randrange(1, 4))]
    parties = [{"id": buyer["id"], "name": bname, "roles": ["buyer", "procuringEntity"],
                "identifier": {"scheme": "MX-UC", "id": buyer["id"][6:]},
                "address": {"locality": "Ciudad de México", "countryName": "México"}}]
    for sid, sname in tenderers:
        parties.append({"id": sid, "name": sname, "roles": ["tenderer"],
                        "identifier": {"scheme": "MX-RFC", "id": sid[7:], "legalName": sname}})
    bids = [{"id": "%s-bid-%d" % (ocid, i + 1), "status": rng.choice(["valid"] * 5 + ["disqualified"]),
             "date": date(y, mo, d + 5, 10),
             "tenderers": [{"id": sid, "name": sname}],
             "value": {"amount": amount(rng), "currency": "MXN"}}
            for i, (sid, sname) in enumerate(tenderers)]
    tender = {"id": "%s-T" % ocid[12:], "title": title, "status": "complete",
              "procuringEntity": buyer, "items": items,
              "value": {"amount": amount(rng, True), "currency": "MXN"},
              "procurementMethod": method[0], "procurementMethodDetails": method[1],
              "mainProcurementCategory": cat,
              "tenderPeriod": {"startDate": date(y, mo, d, 9), "endDate": date(y, mo, d + 5, 18)},
              "numberOfTenderers": ntend,
              "tenderers": [{"id": s, "name": n} for s, n in tenderers]}
    if method[0] != "open":
        tender["procurementMethodRationale"] = "Artículo %d fracción %s de la LAASSP" % (
            rng.choice([41, 42]), rng.choice(["I", "III", "V", "VII"]))
    rels = [{"ocid": ocid, "id": ocid + "-tender", "date": date(y, mo, d, 9), "tag": ["tender"],
             "initiationType": "tender", "language": "es", "parties": parties, "buyer": buyer,
             "tender": tender, "bids": {"details": bids}}]
    if rng.random() < 0.08:
        return rels  # no award yet
    nawards = 1 if rng.random() < 0.85 else rng.randrange(2, 4)
    awards, contracts = [], []
    for a in range(nawards):
        sid, sname = rng.choice(tenderers)
        status = "active" if rng.random() < 0.93 else rng.choice(["pending", "unsuccessful"])
        value = {"amount": amount(rng), "currency": "MXN"}
        awards.append({"id": "%s-A%d" % (ocid, a + 1), "title": title, "status": status,
                       "date": date(y, mo, d + 7, 12), "value": value,
                       "suppliers": [{"id": sid, "name": sname}]})
        if status == "active" and rng.random() < 0.9:
            contracts.append({"id": "%s-C%d" % (ocid, a + 1), "awardID": awards[-1]["id"],
                              "title": title, "status": rng.choice(["active", "terminated"]),
                              "value": value, "dateSigned": date(y, mo, d + 9, 11),
                              "period": {"startDate": date(y, mo, d + 10, 0),
                                         "endDate": date(y + 1, mo, d, 0)}})
    rels.append({"ocid": ocid, "id": ocid + "-award", "date": date(y, mo, d + 7, 12),
                 "tag": ["award"], "language": "es", "awards": awards})
    if contracts:
        rels.append({"ocid": ocid, "id": ocid + "-contract", "date": date(y, mo, d + 9, 11),
                     "tag": ["contract"], "language": "es", "contracts": contracts})
    return rels


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__.strip().splitlines()[-1])
    size = float(args[0]) * 1048576
    shuffle = "--shuffle" in args
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 12
    rng = random.Random(seed)
    suppliers = make_suppliers(rng, 4000)
    lines, total, k = [], 0, 0
    out = sys.stdout
    while total < size:
        k += 1
        for rel in process(rng, k, suppliers):
            line = EXP_RE.sub(r"\1", json.dumps(rel, ensure_ascii=False,
                                                 separators=(",", ":"))) + "\n"
            total += len(line.encode())
            if shuffle:
                lines.append(line)
            else:
                out.write(line)
    if shuffle:
        random.Random(seed + 1).shuffle(lines)
        out.writelines(lines)


if __name__ == "__main__":
    main()
