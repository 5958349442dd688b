#!/usr/bin/env python3
"""Planted duplicates for licit dedupe.

  dedupe_plant.py plant RAW.csv TRUTH.csv [--contracts N] [--seed S]
      writes a CompraNet "Contratos" export (39 columns) of N distinct
      contracts plus planted duplicates of every kind, shuffled, and the
      truth: record number -> contract id, supplier company, kind.
  dedupe_plant.py score MARKED.csv TRUTH.csv [--min-precision P] [--min-recall R]
      reads `licit dedupe --mark` output of the normalised export and
      prints pairwise precision and recall of dup_cluster against the
      planted contracts (and of supplier_entity against the planted
      companies); exits 1 below the thresholds.
  dedupe_plant.py canonical OUT.csv --mb M [--seed S]
      writes about M MB of canonical records without provenance columns
      (for the benchmark), with about 10 % exact duplicates.

Planted kinds: exact (the same raw row again), format (amount and dates
written another way, supplier name in another case and without accents),
republish (same procedure and contract code, new status, url and legal
form spelling), retype (the contract typed into another system: no
procedure number, contract code kept or lost, supplier name with a typo
or without legal form, title abbreviated/truncated/with a typo, amount
rounded, signing date a few days off).
Hazards that must NOT be joined: monthly contracts with the same amount
and title but another month, lots of one procedure with equal amounts,
companies with near-identical names, and rows without ids from "another
system" with the same buyer, supplier and amount but another purchase, or
the same title and an amount 3-10 % off.
"""
import argparse
import csv
import random
import sys
import unicodedata
from collections import Counter, defaultdict

HEADER = ("GOBIERNO,SIGLAS,DEPENDENCIA,CLAVEUC,NOMBRE_DE_LA_UC,RESPONSABLE,NUMERO_EXPEDIENTE,"
          "TITULO_EXPEDIENTE,PLANTILLA_EXPEDIENTE,NUMERO_PROCEDIMIENTO,EXP_F_FALLO,"
          "PROC_F_PUBLICACION,FECHA_APERTURA_PROPOSICIONES,CARACTER,TIPO_CONTRATACION,"
          "TIPO_PROCEDIMIENTO,FORMA_PROCEDIMIENTO,CODIGO_CONTRATO,TITULO_CONTRATO,FECHA_INICIO,"
          "FECHA_FIN,IMPORTE_CONTRATO,MONEDA,ESTATUS_CONTRATO,ARCHIVADO,RAMO,CLAVE_PROGRAMA,"
          "APORTACION_FEDERAL,FECHA_CELEBRACION,CONTRATO_MARCO,COMPRA_CONSOLIDADA,PLURIANUAL,"
          "CLAVE_CARTERA_SHCP,ESTRATIFICACION_MUC,PROVEEDOR_CONTRATISTA,ESTRATIFICACION_MPC,"
          "ESTATUS_EMPRESA,CUENTA_ADMINISTRADA_POR,ANUNCIO").split(",")

ENTITIES = [("IMSS", "Instituto Mexicano del Seguro Social", "050GYR"),
            ("ISSSTE", "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado", "051GYN"),
            ("SCT", "Secretaría de Comunicaciones y Transportes", "009000"),
            ("SEP", "Secretaría de Educación Pública", "011000"),
            ("CFE", "Comisión Federal de Electricidad", "018TOQ"),
            ("PEMEX", "Petróleos Mexicanos", "018T4I")]
UNITS = ["COORDINACIÓN DE ABASTECIMIENTO", "DELEGACIÓN NORTE", "DELEGACIÓN SUR",
         "UNIDAD DE ADMINISTRACIÓN", "DIRECCIÓN DE OBRAS", "HOSPITAL GENERAL"]
WORDS1 = ["Distribuidora", "Comercializadora", "Grupo", "Servicios", "Constructora",
          "Corporativo", "Suministros", "Consultores", "Tecnología", "Laboratorios",
          "Impulsora", "Operadora", "Proveedora", "Ingeniería", "Soluciones"]
WORDS2 = ["Médica", "Industrial", "Integral", "Hospitalaria", "del Bajío", "Azteca",
          "Global", "Papelera", "Eléctrica", "Farmacéutica", "de Occidente",
          "Peninsular", "Mexicana", "Avanzada", "Logística", "Continental"]
WORDS3 = ["del Norte", "del Sur", "de México", "del Centro", "Universal", "Omega",
          "Alfa", "Tenayuca", "Anáhuac", "Pacífico", "Golfo", "Sierra", "Valle", "Real"]
FORMS = [("S.A. de C.V.", ["SA de CV", "S.A. DE C.V.", "S. A. de C. V.", "SA. DE CV."]),
         ("S. de R.L. de C.V.", ["S DE RL DE CV", "S. DE R.L. DE C.V."]),
         ("S.A.P.I. de C.V.", ["SAPI DE CV", "S.A.P.I. DE C.V."]),
         ("S.C.", ["SC", "S. C."])]
PEOPLE = ["García López Juan Carlos", "Hernández Pérez María Elena", "Martínez Ruiz José Luis",
          "Rodríguez Sánchez Ana Laura", "González Torres Miguel Ángel", "Ramírez Flores Patricia",
          "López Castillo Fernando", "Morales Vega Guadalupe", "Jiménez Ortiz Ricardo"]
GOODS = ["Adquisición de material de curación", "Adquisición de medicamentos",
         "Suministro de equipo de cómputo", "Adquisición de papelería y consumibles",
         "Compra de mobiliario de oficina", "Adquisición de vestuario y uniformes",
         "Suministro de combustible", "Adquisición de reactivos de laboratorio",
         "Compra de refacciones para vehículos", "Adquisición de equipo médico"]
SERVICES = ["Servicio de limpieza integral", "Servicio de vigilancia", "Mantenimiento preventivo y correctivo de equipo médico",
            "Servicio de fotocopiado", "Mantenimiento de áreas verdes", "Servicio de comedor",
            "Arrendamiento de vehículos", "Servicio de fumigación", "Consultoría en sistemas",
            "Mantenimiento de inmuebles", "Servicio de mensajería", "Soporte técnico a equipos de cómputo"]
PLACES = ["en oficinas centrales", "para el Hospital General", "de la Delegación Norte",
          "para las unidades médicas", "del almacén central", "en planteles educativos", ""]
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]
PROC_TYPES = [("Licitación Pública", "LA", "01. Licitación Pública Nacional LAASSP"),
              ("Invitación a Cuando Menos 3 Personas", "IA", "04. Invitación a cuando menos 3 personas LAASSP"),
              ("Adjudicación Directa Federal", "AA", "07. Adjudicación Directa Nacional Art. 42 LAASSP")]
ABBREV = [("Adquisición de", "Adq."), ("Servicio de", "Serv."), ("Mantenimiento", "Mantto."),
          ("equipo", "eq."), ("para el", "p/"), ("integral", "integ.")]


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def typo(rng, s):
    """One adjacent swap or one doubled letter, away from the first 3 letters."""
    letters = [i for i in range(3, len(s) - 1) if s[i].isalpha() and s[i + 1].isalpha()]
    if not letters:
        return s + "S"
    i = rng.choice(letters)
    if rng.random() < 0.5:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i] + s[i:]


def money(rng, v):
    style = rng.randrange(4)
    if style == 0:
        return "%.2f" % v
    if style == 1:
        return "$ {:,.2f}".format(v)
    if style == 2:
        return "{:,.2f}".format(v).replace(",", "´", 1) if v >= 1e6 else "{:,.2f}".format(v)
    return "{:,.2f}".format(v) + " MXN"


def date_as(d, style):
    y, m, dd = d.split("-")
    if style == 0:
        return d
    if style == 1:
        return "%s/%s/%s" % (dd, m, y)
    if style == 2:
        return d + " 00:00:00 GMT"
    return d + " 10:00"


def shift(d, days):
    import datetime
    return (datetime.date.fromisoformat(d) + datetime.timedelta(days=days)).isoformat()


class Company:
    def __init__(self, cid, base, form, person):
        self.id = cid
        self.base = base
        self.form = form
        self.person = person

    def spelling(self, rng, variant=None):
        if self.person:
            return self.base if variant != "upper" else self.base.upper()
        form, alts = self.form
        return "%s %s" % (self.base, rng.choice(alts) if variant else form)


def make_companies(rng, n):
    out, seen = [], set()
    while len(out) < n:
        if rng.random() < 0.1:
            base, form, person = rng.choice(PEOPLE) + " " + rng.choice(["", "II", "Hijo"]), None, True
            base = base.strip()
        else:
            base = " ".join([rng.choice(WORDS1), rng.choice(WORDS2), rng.choice(WORDS3)])
            form, person = rng.choice(FORMS), False
        key = strip_accents(base).upper()
        if key in seen:
            continue
        seen.add(key)
        out.append(Company(len(out), base, form, person))
    return out


def plant(args):
    rng = random.Random(args.seed)
    companies = make_companies(rng, max(60, args.contracts // 8))
    buyers = []
    for sig, name, prefix in ENTITIES:
        for k, unit in enumerate(rng.sample(UNITS, 3)):
            buyers.append((sig, name, "%s%03d" % (prefix, 900 + k), "%s-%s" % (sig, unit)))
    rows = []  # (raw row, contract id, company id, kind)
    seq = [0]

    def base_contract(buyer, comp, title, amount, signed, proc=None, code=None):
        seq[0] += 1
        ptype, pfx, plantilla = rng.choice(PROC_TYPES)
        year = signed[:4]
        proc = proc or "%s-%s-N%d-%s" % (pfx, buyer[2], seq[0], year)
        code = code or str(700000 + seq[0])
        start = shift(signed, rng.randrange(0, 10))
        end = shift(start, rng.randrange(30, 300))
        r = dict.fromkeys(HEADER, "")
        r.update(GOBIERNO="APF", SIGLAS=buyer[0], DEPENDENCIA=buyer[1], CLAVEUC=buyer[2],
                 NOMBRE_DE_LA_UC=buyer[3], RESPONSABLE="Responsable de Captura",
                 NUMERO_EXPEDIENTE=str(500000 + seq[0]), TITULO_EXPEDIENTE=title,
                 PLANTILLA_EXPEDIENTE=plantilla, NUMERO_PROCEDIMIENTO=proc,
                 EXP_F_FALLO=date_as(shift(signed, -5), 2), CARACTER="Nacional",
                 TIPO_CONTRATACION="Servicios" if title.startswith(("Serv", "Mant", "Arren", "Consul", "Soporte")) else "Adquisiciones",
                 TIPO_PROCEDIMIENTO=ptype, FORMA_PROCEDIMIENTO="Mixta", CODIGO_CONTRATO=code,
                 TITULO_CONTRATO=title, FECHA_INICIO=start, FECHA_FIN=end,
                 IMPORTE_CONTRATO="%.2f" % amount, MONEDA="MXN", ESTATUS_CONTRATO="Activo",
                 ARCHIVADO="No", FECHA_CELEBRACION=date_as(signed, 2), CONTRATO_MARCO="0",
                 COMPRA_CONSOLIDADA="0", PLURIANUAL="0", ESTRATIFICACION_MUC="Mediana",
                 PROVEEDOR_CONTRATISTA=comp.spelling(rng), ESTRATIFICACION_MPC="Mediana",
                 ESTATUS_EMPRESA="Habilitado", CUENTA_ADMINISTRADA_POR="UC",
                 ANUNCIO="https://compranet.example/anuncio/%d" % seq[0])
        return r

    def random_date():
        return "%d-%02d-%02d" % (rng.choice([2014, 2015]), rng.randrange(1, 13), rng.randrange(1, 29))

    def title_for():
        t = rng.choice(GOODS + SERVICES)
        p = rng.choice(PLACES)
        return (t + " " + p).strip()

    ids = 0
    originals = []
    for _ in range(args.contracts):
        buyer, comp = rng.choice(buyers), rng.choice(companies)
        amount = round(rng.lognormvariate(12, 1.6), 2)
        r = base_contract(buyer, comp, title_for(), amount, random_date())
        ids += 1
        rows.append((r, ids, comp.id, "original"))
        originals.append((r, ids, comp, amount))
    # hazards: distinct contracts that look alike
    for _ in range(args.contracts // 10):
        buyer, comp = rng.choice(buyers), rng.choice(companies)
        amount = round(rng.lognormvariate(11, 1), 2)
        t = rng.choice(SERVICES)
        m0 = rng.randrange(0, 9)
        for k in range(3):  # monthly: same amount, title names the month
            signed = "2015-%02d-%02d" % (m0 + k + 1, 3)
            r = base_contract(buyer, comp, "%s mes de %s" % (t, MONTHS[m0 + k]), amount, signed)
            ids += 1
            rows.append((r, ids, comp.id, "hazard-month"))
        proc = "LA-%s-N%d-2015" % (buyer[2], 90000 + ids)
        for k in range(2):  # lots of one procedure, equal amounts
            r = base_contract(buyer, comp, "%s lote %d" % (t, k + 1), amount, "2015-06-10", proc=proc)
            ids += 1
            rows.append((r, ids, comp.id, "hazard-lot"))
    # hazards without ids (another system's distinct contracts): same buyer,
    # supplier and amount a few days apart but another purchase; or the same
    # title but an amount 3-10 % off
    for r, cid, comp, amount in rng.sample(originals, len(originals) // 10):
        d = dict(r)
        d["NUMERO_PROCEDIMIENTO"] = d["CODIGO_CONTRATO"] = d["NUMERO_EXPEDIENTE"] = ""
        d["FECHA_CELEBRACION"] = shift(r["FECHA_CELEBRACION"][:10], rng.randrange(-5, 6))
        if rng.random() < 0.5:
            t = r["TITULO_CONTRATO"]
            item = next(x for x in GOODS + SERVICES if t.startswith(x))
            other = rng.choice([x for x in GOODS + SERVICES if x != item])
            d["TITULO_CONTRATO"] = t.replace(item, other, 1)  # another purchase, same place
            kind = "hazard-title"
        else:
            d["IMPORTE_CONTRATO"] = "%.2f" % (amount * rng.choice([0.9, 0.95, 0.97, 1.03, 1.05, 1.1]))
            kind = "hazard-amount"
        ids += 1
        rows.append((d, ids, comp.id, kind))
    # planted duplicates
    for r, cid, comp, amount in rng.sample(originals, int(len(originals) * 0.4)):
        kind = rng.choice(["exact", "format", "republish", "retype", "retype"])
        d = dict(r)
        if kind == "format":
            d["IMPORTE_CONTRATO"] = money(rng, amount)
            st = rng.randrange(1, 4)
            for f in ("FECHA_INICIO", "FECHA_FIN"):
                d[f] = date_as(r[f], st)
            d["FECHA_CELEBRACION"] = date_as(r["FECHA_CELEBRACION"][:10], rng.randrange(0, 3))
            d["PROVEEDOR_CONTRATISTA"] = strip_accents(r["PROVEEDOR_CONTRATISTA"]).upper()
        elif kind == "republish":
            d["ESTATUS_CONTRATO"] = rng.choice(["Expirado", "Terminado"])
            d["ANUNCIO"] = r["ANUNCIO"] + "?v=2"
            d["PROVEEDOR_CONTRATISTA"] = comp.spelling(rng, variant=True)
            d["IMPORTE_CONTRATO"] = money(rng, amount)
        elif kind == "retype":
            d["NUMERO_PROCEDIMIENTO"] = ""
            d["NUMERO_EXPEDIENTE"] = ""
            d["PLANTILLA_EXPEDIENTE"] = ""
            if rng.random() < 0.5:
                d["CODIGO_CONTRATO"] = ""
            name = comp.base
            v = rng.randrange(3)
            if v == 0:
                name = typo(rng, name)
            if comp.person:
                d["PROVEEDOR_CONTRATISTA"] = name.upper() if v == 2 else name
            else:
                d["PROVEEDOR_CONTRATISTA"] = name if v == 1 else "%s %s" % (name, rng.choice(comp.form[1]))
            t = r["TITULO_CONTRATO"]
            tv = rng.randrange(4)
            if tv == 0:
                for a, b in ABBREV:
                    t = t.replace(a, b)
            elif tv == 1:
                words = t.split()
                t = " ".join(words[:max(3, int(len(words) * 0.7))])
            elif tv == 2:
                t = typo(rng, t)
            else:
                t = t.upper()
            d["TITULO_CONTRATO"] = t
            d["IMPORTE_CONTRATO"] = "%.0f" % amount if rng.random() < 0.5 else "%.2f" % (amount * rng.uniform(0.997, 1.003))
            d["FECHA_CELEBRACION"] = date_as(shift(r["FECHA_CELEBRACION"][:10], rng.randrange(-7, 8)), 1)
            d["EXP_F_FALLO"] = ""
            d["ANUNCIO"] = ""
        rows.append((d, cid, comp.id, kind))
    rng.shuffle(rows)
    with open(args.raw, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for r, *_ in rows:
            w.writerow([r[h] for h in HEADER])
    with open(args.truth, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["record", "contract", "company", "kind"])
        for i, (_, cid, comp, kind) in enumerate(rows, 1):
            w.writerow([i, cid, comp, kind])
    kinds = Counter(k for *_, k in rows)
    print("planted %d rows: %s" % (len(rows), ", ".join("%s %d" % kv for kv in sorted(kinds.items()))),
          file=sys.stderr)


def pairs(labels):
    """Pairs of items sharing a label: sum of C(n, 2)."""
    return sum(n * (n - 1) // 2 for n in Counter(labels).values())


def pair_scores(pred, true):
    both = pairs(list(zip(pred, true)))
    p, t = pairs(pred), pairs(true)
    return (both / p if p else 1.0), (both / t if t else 1.0), both, p, t


def score(args):
    truth = {}
    with open(args.truth, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            truth[int(r["record"])] = r
    with open(args.marked, newline="", encoding="utf-8") as f:
        marked = list(csv.DictReader(f))
    if len(marked) != len(truth):
        print("row count differs: %d marked, %d planted" % (len(marked), len(truth)))
        return 1
    pred = [m["dup_cluster"] for m in marked]
    true = [truth[int(m["source_line"])]["contract"] for m in marked]
    prec, rec, both, p, t = pair_scores(pred, true)
    print("contracts: precision %.4f recall %.4f (%d of %d predicted pairs right, %d planted pairs)"
          % (prec, rec, both, p, t))
    # recall per planted kind: the duplicate found in its contract's cluster
    cl = defaultdict(set)
    for m, c in zip(marked, true):
        cl[c].add(m["dup_cluster"])
    found = Counter()
    total = Counter()
    first = {}
    for m, c in zip(marked, true):
        k = truth[int(m["source_line"])]["kind"]
        if k in ("original",) or k.startswith("hazard"):
            first[c] = m["dup_cluster"]
    for m, c in zip(marked, true):
        k = truth[int(m["source_line"])]["kind"]
        if k == "original" or k.startswith("hazard"):
            continue
        total[k] += 1
        found[k] += m["dup_cluster"] == first[c]
    print("found per kind: " + ", ".join("%s %d/%d" % (k, found[k], total[k]) for k in sorted(total)))
    # supplier entities over distinct spellings
    spell = {}
    for m in marked:
        spell[(m["supplier_name"], m["supplier_entity"])] = truth[int(m["source_line"])]["company"]
    sp, sr, *_ = pair_scores([e for (_, e) in spell], list(spell.values()))
    print("supplier spellings: precision %.4f recall %.4f (%d spellings)" % (sp, sr, len(spell)))
    ok = prec >= args.min_precision and rec >= args.min_recall
    print("contracts precision >= %.2f and recall >= %.2f: %s"
          % (args.min_precision, args.min_recall, "yes" if ok else "NO"))
    return 0 if ok else 1


def canonical(args):
    """Canonical records for the benchmark: realistic widths, ~10 % exact
    copies. No source/source_line columns, so that copies are identical
    lines and `sort -u` and SELECT DISTINCT do the same job as --level exact."""
    rng = random.Random(args.seed)
    cols = ["ocid", "procedure_id", "buyer_id", "buyer_name", "entity_id", "entity_name",
            "procedure_type", "method_details", "character", "contract_type", "exception",
            "tender_start", "tender_end", "award_date", "signed_date", "start_date", "end_date",
            "contract_id", "title", "amount", "currency", "amount_mxn", "supplier_id",
            "supplier_name", "supplier_rfc", "supplier_size", "supplier_size_buyer",
            "n_tenderers", "status", "framework", "consolidated", "multiyear", "url", "test"]
    companies = make_companies(rng, 2000)
    target = args.mb * 1_000_000
    written = 0
    recent = []
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        n = 0
        while written < target:
            n += 1
            if recent and rng.random() < 0.1:
                row = list(rng.choice(recent))
            else:
                sig, name, prefix = rng.choice(ENTITIES)
                comp = rng.choice(companies)
                proc = "LA-%s%03d-N%d-2015" % (prefix, rng.randrange(999), n)
                d = "2015-%02d-%02d" % (rng.randrange(1, 13), rng.randrange(1, 29))
                amt = "%.2f" % rng.lognormvariate(12, 1.6)
                sname = strip_accents(comp.spelling(rng)).upper()
                row = ["compranet-" + proc, proc, prefix + "999", sig + "-" + rng.choice(UNITS), sig, name,
                       "open", "Licitación Pública", "Nacional", "goods", "", d, d, d, d, d, d,
                       str(600000 + n), (rng.choice(GOODS + SERVICES) + " " + rng.choice(PLACES)).strip(),
                       amt, "MXN", amt, sname, sname, "", "Mediana", "Mediana", "", "Activo", "0", "0", "0",
                       "https://compranet.example/anuncio/%d" % n, ""]
                recent.append(row)
                if len(recent) > 1000:
                    recent.pop(rng.randrange(len(recent)))
            w.writerow(row)
            written += sum(len(x) for x in row) + len(row)
    print("wrote %d rows" % n, file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plant")
    p.add_argument("raw")
    p.add_argument("truth")
    p.add_argument("--contracts", type=int, default=3000)
    p.add_argument("--seed", type=int, default=1)
    s = sub.add_parser("score")
    s.add_argument("marked")
    s.add_argument("truth")
    s.add_argument("--min-precision", type=float, default=0.99)
    s.add_argument("--min-recall", type=float, default=0.95)
    c = sub.add_parser("canonical")
    c.add_argument("out")
    c.add_argument("--mb", type=int, default=500)
    c.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.cmd == "plant":
        plant(args)
        return 0
    if args.cmd == "score":
        return score(args)
    canonical(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
