#!/usr/bin/env python3
"""Generates canonical contract records (the columns `licit normalise`
writes) for benchmarking `licit kpi`: SIZE_MB megabytes of CSV on stdout,
with BUYERS buying units. Deterministic (fixed seed).
usage: kpi_gen.py SIZE_MB [BUYERS]"""
import random
import sys

COLS = ("ocid,procedure_id,buyer_id,buyer_name,entity_id,entity_name,procedure_type,"
        "method_details,character,contract_type,exception,tender_start,tender_end,"
        "award_date,signed_date,start_date,end_date,contract_id,title,amount,currency,"
        "amount_mxn,supplier_id,supplier_name,supplier_rfc,supplier_size,"
        "supplier_size_buyer,n_tenderers,status,framework,consolidated,multiyear,url,"
        "test,source,source_line")
TYPES = [("open", "Licitación Pública"), ("limited", "Invitación a Cuando Menos 3 Personas"),
         ("direct", "Adjudicación Directa Federal")]
ENTITIES = ["IMSS", "ISSSTE", "SEP", "SCT", "PEMEX", "CFE", "SSA", "SEDENA", "SEMAR", "CONAGUA"]
WORDS = ["MATERIAL", "DE", "CURACIÓN", "SERVICIO", "MANTENIMIENTO", "EQUIPO", "MÉDICO",
         "LIMPIEZA", "VIGILANCIA", "OBRA", "PÚBLICA", "ADQUISICIÓN", "MEDICAMENTOS",
         "PAPELERÍA", "CÓMPUTO", "ARRENDAMIENTO", "VEHÍCULOS", "Y", "PARA", "LA"]


def main():
    size = float(sys.argv[1]) * 1e6
    nbuyers = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rnd = random.Random(20150101)
    buyers = []
    for i in range(nbuyers):
        ent = ENTITIES[i % len(ENTITIES)]
        buyers.append(("%03dGYR%03d" % (i % 1000, i // 10), '"%s-UNIDAD COMPRADORA %d, DELEGACIÓN"' % (ent, i),
                       ent, "Instituto %s" % ent))
    suppliers = [("PROVEEDORA %d SA DE CV" % i, "PROVEEDORA %d S.A. DE C.V." % i) for i in range(20000)]
    out = sys.stdout
    out.write(COLS + "\n")
    written, n = 0, 0
    batch = []
    while written < size:
        n += 1
        b = buyers[rnd.randrange(nbuyers)]
        t = TYPES[rnd.randrange(3)]
        s = suppliers[rnd.randrange(len(suppliers))]
        y = 2013 + rnd.randrange(3)
        m = 1 + rnd.randrange(12)
        d = 1 + rnd.randrange(28)
        pid = "LA-%s-N%d-%d" % (b[0], n // 3, y)
        amount = "%d.%02d" % (rnd.randrange(1000, 50000000), rnd.randrange(100))
        title = " ".join(rnd.choice(WORDS) for _ in range(6))
        ntend = str(1 + rnd.randrange(8)) if t[0] != "direct" else ""
        date = "%d-%02d-%02d" % (y, m, d)
        line = ",".join((
            "compranet-" + pid, pid, b[0], b[1], b[2], b[3], t[0], t[1], "Nacional", "goods", "",
            date, date, date, date, date, "%d-12-31" % y, str(100000 + n), title, amount, "MXN",
            amount, s[0], s[1], "", "Mediana", "Mediana", ntend, "Expirado", "0", "0", "0",
            "https://compranet.example/anuncio/%d" % n, "", "contratos.csv", str(n)))
        batch.append(line)
        written += len(line) + 1
        if len(batch) == 5000:
            out.write("\n".join(batch) + "\n")
            batch = []
    if batch:
        out.write("\n".join(batch) + "\n")


if __name__ == "__main__":
    main()
