#!/usr/bin/env python3
"""Writes a CompraNet-shaped "Contratos" CSV of about SIZE_MB megabytes
(default 100) to stdout: the 39 columns of the 2010-2017 exports, realistic
values, and the traps of real exports in realistic proportions (amounts
typed with separators and currency signs, several date formats, quoted
fields with commas and newlines, test rows, USD rows). Deterministic.

usage: gen_compranet.py [SIZE_MB] > contratos.csv
"""
import csv
import random
import sys

HEADER = ("GOBIERNO,SIGLAS,DEPENDENCIA,CLAVEUC,NOMBRE_DE_LA_UC,RESPONSABLE,"
          "NUMERO_EXPEDIENTE,TITULO_EXPEDIENTE,PLANTILLA_EXPEDIENTE,"
          "NUMERO_PROCEDIMIENTO,EXP_F_FALLO,PROC_F_PUBLICACION,"
          "FECHA_APERTURA_PROPOSICIONES,CARACTER,TIPO_CONTRATACION,"
          "TIPO_PROCEDIMIENTO,FORMA_PROCEDIMIENTO,CODIGO_CONTRATO,"
          "TITULO_CONTRATO,FECHA_INICIO,FECHA_FIN,IMPORTE_CONTRATO,MONEDA,"
          "ESTATUS_CONTRATO,ARCHIVADO,RAMO,CLAVE_PROGRAMA,APORTACION_FEDERAL,"
          "FECHA_CELEBRACION,CONTRATO_MARCO,COMPRA_CONSOLIDADA,PLURIANUAL,"
          "CLAVE_CARTERA_SHCP,ESTRATIFICACION_MUC,PROVEEDOR_CONTRATISTA,"
          "ESTRATIFICACION_MPC,ESTATUS_EMPRESA,CUENTA_ADMINISTRADA_POR,"
          "ANUNCIO").split(",")
ENTITIES = [("IMSS", "Instituto Mexicano del Seguro Social", "050GYR"),
            ("ISSSTE", "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado", "051GYN"),
            ("SEP", "Secretaría de Educación Pública", "011000"),
            ("CFE", "Comisión Federal de Electricidad", "018TOQ"),
            ("SCT", "Secretaría de Comunicaciones y Transportes", "009000"),
            ("PEMEX", "Petróleos Mexicanos", "018T4O")]
PROCS = [("Licitación Pública", "01. Licitación Pública Nacional LAASSP", "LA", 0.2),
         ("Invitación a Cuando Menos 3 Personas", "04. Invitación a cuando menos tres Nacional LAASSP", "IA", 0.2),
         ("Adjudicación Directa Federal", "07. Adjudicación Directa Nacional Art. 42 LAASSP", "AA", 0.45),
         ("Adjudicación Directa Federal", "ART.41 FRACC.III", "AA", 0.15)]
KINDS = ["Adquisiciones", "Servicios", "Obra Pública", "Servicios Relacionados con la OP", "Arrendamientos"]
WORDS = ("SUMINISTRO ADQUISICION SERVICIO MANTENIMIENTO DE EQUIPO MEDICO MATERIAL "
         "CURACION LIMPIEZA VIGILANCIA PAPELERIA CONSUMIBLES OBRA CONSTRUCCION "
         "CLINICA HOSPITAL MEDICAMENTOS VACUNAS INSUMOS COMPUTO LICENCIAS").split()
FORMS = ["SA DE CV", "S.A. DE C.V.", "S. DE R.L. DE C.V.", "SC", "S.A.P.I. de C.V.", ""]


def amount_text(rng, v):
    r = rng.random()
    if r < 0.80:
        return "%.2f" % v
    if r < 0.90:
        return "{:,.2f}".format(v)
    if r < 0.94:
        return "$ {:,.2f}".format(v)
    if r < 0.96:
        return "%d" % v
    if r < 0.975:
        return "{:,.2f}".format(v).replace(",", "´", 1)
    if r < 0.985:
        return "ABIERTO"
    if r < 0.99:
        return "%.2f Y %.2f" % (v / 2, v / 2)
    return "0"


def date_text(rng, y, m, d, style=None):
    style = style if style is not None else rng.random()
    if style < 0.6:
        return "%04d-%02d-%02d" % (y, m, d)
    if style < 0.8:
        return "%04d-%02d-%02d 00:00:00 GMT" % (y, m, d)
    if style < 0.95:
        return "%04d-%02d-%02d %02d:%02d" % (y, m, d, rng.randrange(8, 19), rng.randrange(60))
    return "%02d/%02d/%04d" % (d, m, y)


def main():
    size = float(sys.argv[1]) if len(sys.argv) > 1 else 100.0
    target = int(size * 1024 * 1024)
    rng = random.Random(2015)
    suppliers = ["%s %s %s" % (rng.choice(["COMERCIALIZADORA", "DISTRIBUIDORA", "GRUPO", "SERVICIOS", "CONSTRUCTORA", "LABORATORIOS"]),
                               rng.choice(WORDS).capitalize(), rng.choice(FORMS)) for _ in range(5000)]
    out = sys.stdout
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    written, n = 0, 0
    while written < target:
        n += 1
        sig, dep, uc = rng.choice(ENTITIES)
        ucid = "%s%03d" % (uc, rng.randrange(1, 60))
        tipo, plantilla, pre = rng.choices(PROCS, weights=[p[3] for p in PROCS])[0][:3]
        y, m, d = rng.randrange(2012, 2018), rng.randrange(1, 13), rng.randrange(1, 29)
        value = rng.lognormvariate(12, 1.6)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 9)))
        if rng.random() < 0.02:
            title += ", LOTE %d\nPARTIDA %d" % (rng.randrange(1, 9), rng.randrange(1, 99))
        currency = "USD" if rng.random() < 0.01 else ("TEST" if rng.random() < 0.001 else "MXN")
        row = ["APF", sig, dep, ucid, "%s-UNIDAD %s" % (sig, ucid), "Responsable %d" % rng.randrange(999),
               str(400000 + n), title[:60], plantilla, "%s-%s-N%d-%d" % (pre, ucid, n % 997, y),
               date_text(rng, y, m, d, 0.7) if pre != "AA" else "",
               date_text(rng, y, m, max(1, d - 5), 0.9) if pre != "AA" else "",
               date_text(rng, y, m, d, 0.9) if pre != "AA" else "",
               "Nacional" if rng.random() < 0.95 else "Internacional abierta",
               rng.choice(KINDS), tipo, rng.choice(["Mixta", "Presencial", "Electrónica", ""]),
               str(500000 + n), title, date_text(rng, y, m, d), date_text(rng, y + rng.randrange(0, 2), 12, 31),
               amount_text(rng, value), currency, rng.choice(["Expirado", "Activo", "Terminado"]), "No",
               "", "", "", date_text(rng, y, m, d) if rng.random() < 0.5 else "", "0", "0",
               "1" if rng.random() < 0.1 else "0", "", rng.choice(["Micro", "Pequeña", "Mediana", "No MIPYME"]),
               rng.choice(suppliers), rng.choice(["Micro", "Pequeña", "Mediana", "No MIPYME"]), "Habilitado", "UC",
               "https://compranet.funcionpublica.gob.mx/esop/guest/go/opportunity/detail?opportunityId=%d" % (300000 + n)]
        w.writerow(row)
        written += sum(len(x) for x in row) + 45  # a close estimate; exactness does not matter
    sys.stderr.write("gen_compranet.py: %d rows\n" % n)


if __name__ == "__main__":
    main()
