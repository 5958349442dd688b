#!/usr/bin/env python3
"""Writes a realistic bid-protest register (inconformidades) and the
procedures it refers to, deterministically from a seed.

  gen_protests.py oecd  [--seed S] [--spanish] OUTDIR
      IMSS 2007-2010 as in the OECD review (000, L2186-2196): 12 112
      procedures, 1 732 protests (14.3 %), 606 dismissed (35 %), 563
      founded and 563 unfounded (half of the examined), 1 250 at the award
      stage (72 %), 470 of the founded at the award stage (83 %); ISSSTE
      falling by two-thirds from 2007 to 2010 with 70-75 % of its protests
      at the award stage every year (001, L2720-2730); the rest of the
      federal government at exactly 3.8 % (1 900 protests, 50 000
      procedures, ISSSTE included); SFP with 15 protests and no procedure
      count; 20 PEMEX protests naming procedures absent from the file.
  gen_protests.py scale [--seed S] [--spanish] --procedures N --protests M OUTDIR
      N procedures (one contract row each) and M protests over 30 entities.

Writes OUTDIR/procedures.csv (canonical contract records: the columns
bidprotest-stats reads), OUTDIR/protests.csv (canonical protest records)
and, with --spanish, OUTDIR/inconformidades.csv: the same protests with
Spanish headers, Spanish values and DD/MM/YYYY dates, as an SFP register
would have them (input for `licit normalise --kind protests`).
"""
import argparse
import datetime
import os
import random
import sys

PROC_COLS = ["ocid", "procedure_id", "buyer_id", "entity_id", "procedure_type",
             "tender_start", "award_date", "contract_id", "amount", "currency"]
PROTEST_COLS = ["protest_id", "procedure_id", "entity_id", "buyer_id", "filed_date",
                "resolved_date", "stage", "outcome"]
SPANISH_COLS = ["EXPEDIENTE", "NUMERO_PROCEDIMIENTO", "SIGLAS", "CLAVEUC",
                "FECHA_PRESENTACION", "FECHA_RESOLUCION", "ACTO_IMPUGNADO",
                "SENTIDO_RESOLUCION"]
STAGE_ES = {"call": ["Convocatoria"], "clarification": ["Junta de aclaraciones"],
            "opening": ["Presentación y apertura de proposiciones", "Apertura"],
            "award": ["Fallo", "FALLO", "Acto de fallo"],
            "contract": ["Formalización del contrato"], "other": ["Otro"]}
OUTCOME_ES = {"dismissed": ["Desechada", "Improcedente", "Sobreseída", "SOBRESEIMIENTO"],
              "unfounded": ["Infundada", "INFUNDADA"], "founded": ["Fundada"],
              "withdrawn": ["Desistimiento"], "pending": ["En trámite"], "": [""]}
OTHER_STAGES = (["call"] * 25 + ["clarification"] * 30 + ["opening"] * 30 +
                ["contract"] * 10 + ["other"] * 5)
YEARS = [2007, 2008, 2009, 2010]
# (siglas, buyer-code prefix, procedures, protests per year, shares of
# open / limited / direct); protests of SFP and ISSSTE as the seeds say
OECD = [
    ("IMSS", "050GYR", 12112, [480, 450, 420, 382], (0.45, 0.15, 0.40)),
    ("ISSSTE", "051GYN", 8000, [360, 250, 170, 120], (0.40, 0.20, 0.40)),
    ("SEDENA", "007000", 6000, [40, 38, 37, 35], (0.30, 0.20, 0.50)),
    ("PEMEX", "018T4O", 12000, [90, 90, 85, 85], (0.35, 0.15, 0.50)),
    ("CFE", "018TOQ", 10000, [80, 75, 75, 70], (0.35, 0.20, 0.45)),
    ("SCT", "009000", 8000, [40, 40, 40, 40], (0.40, 0.20, 0.40)),
    ("SSA", "012000", 6000, [10, 10, 10, 10], (0.25, 0.25, 0.50)),
    ("SFP", "027000", 0, [4, 4, 4, 3], (0, 0, 0)),
]
TYPE_PREFIX = {"open": "LA", "limited": "IA", "direct": "AA"}


def day(y, doy):
    return datetime.date(y, 1, 1) + datetime.timedelta(days=doy)


class Gen:
    def __init__(self, seed, outdir, spanish):
        self.rng = random.Random(seed)
        # Spanish spellings from their own stream: the canonical files are
        # the same with or without --spanish
        self.srng = random.Random(seed + 1)
        self.outdir = outdir
        os.makedirs(outdir, exist_ok=True)
        self.pf = open(os.path.join(outdir, "procedures.csv"), "w", newline="")
        self.xf = open(os.path.join(outdir, "protests.csv"), "w", newline="")
        self.sf = open(os.path.join(outdir, "inconformidades.csv"), "w",
                       newline="", encoding="utf-8") if spanish else None
        self.pf.write(",".join(PROC_COLS) + "\n")
        self.xf.write(",".join(PROTEST_COLS) + "\n")
        if self.sf:
            self.sf.write(",".join(SPANISH_COLS) + "\n")
        self.seq = {}
        self.nprotest = 0
        self.ncontract = 0

    def procedures(self, siglas, code, n, shares, nbuyers, rows_per_proc=True):
        """Writes n procedures; returns {year: [(id, buyer, start), ...]} of
        the competitive ones."""
        rng = self.rng
        comp = {y: [] for y in YEARS}
        out = []
        for i in range(n):
            y = YEARS[i % len(YEARS)]
            r = rng.random()
            t = "open" if r < shares[0] else "limited" if r < shares[0] + shares[1] else "direct"
            buyer = "%s%03d" % (code, 1 + rng.randrange(nbuyers))
            k = (buyer, y)
            self.seq[k] = self.seq.get(k, 0) + 1
            pid = "%s-%s-N%d-%d" % (TYPE_PREFIX[t], buyer, self.seq[k], y)
            start = day(y, rng.randrange(300))
            award = start + datetime.timedelta(days=15 + rng.randrange(30))
            nrows = 1
            if rows_per_proc:
                nrows += (rng.random() < 0.25) + (rng.random() < 0.05)
            for _ in range(nrows):
                self.ncontract += 1
                out.append("compranet-%s,%s,%s,%s,%s,%s,%s,C%08d,%d.%02d,MXN\n" % (
                    pid, pid, buyer, siglas, t, start, award, self.ncontract,
                    rng.randrange(20000, 9000000), rng.randrange(100)))
            if t != "direct":
                comp[y].append((pid, buyer, start))
            if len(out) >= 65536:
                self.pf.write("".join(out))
                out = []
        self.pf.write("".join(out))
        return comp

    def protest(self, siglas, proc, stage, outcome):
        rng = self.rng
        pid, buyer, start = proc
        self.nprotest += 1
        filed = start + datetime.timedelta(days=5 + rng.randrange(40))
        if filed.year != start.year:  # the year of a protest is that of its procedure
            filed = datetime.date(start.year, 12, 31)
        if outcome == "pending":
            resolved = ""
        else:
            lo, span = {"dismissed": (8, 30), "withdrawn": (5, 25)}.get(outcome, (25, 90))
            resolved = (filed + datetime.timedelta(days=lo + rng.randrange(span))).isoformat()
        pno = "INC-%07d/%d" % (self.nprotest, filed.year)
        self.xf.write("%s,%s,%s,%s,%s,%s,%s,%s\n" % (
            pno, pid, siglas, buyer, filed.isoformat(), resolved, stage, outcome))
        if self.sf:
            res_es = "" if not resolved else "%s/%s/%s" % (resolved[8:], resolved[5:7], resolved[:4])
            self.sf.write("%s,%s,%s,%s,%s,%s,%s,%s\n" % (
                pno, pid, siglas, buyer, filed.strftime("%d/%m/%Y"), res_es,
                self.srng.choice(STAGE_ES[stage]), self.srng.choice(OUTCOME_ES[outcome])))

    def close(self):
        for f in (self.pf, self.xf, self.sf):
            if f:
                f.close()


def exact_mix(rng, n, parts):
    """A shuffled list of n labels with exact counts (the last part takes
    the rest)."""
    out = []
    for label, k in parts[:-1]:
        out += [label] * k
    out += [parts[-1][0]] * (n - len(out))
    rng.shuffle(out)
    return out


def random_outcome(rng):
    r = rng.random()
    return ("dismissed" if r < 0.33 else "unfounded" if r < 0.63 else
            "founded" if r < 0.88 else "withdrawn" if r < 0.95 else "pending")


def oecd(args):
    g = Gen(args.seed, args.outdir, args.spanish)
    rng = g.rng
    for siglas, code, nproc, per_year, shares in OECD:
        comp = g.procedures(siglas, code, nproc, shares, 25)
        total = sum(per_year)
        if siglas == "IMSS":
            # exact joint counts: 606 dismissed, 563 founded, 563 unfounded;
            # 1 250 at the award stage, 470 of them founded
            pairs = ([("founded", "award")] * 470 + [("founded", None)] * 93 +
                     [("x", "award")] * 780 + [("x", None)] * (total - 1343))
            rng.shuffle(pairs)
            rest = exact_mix(rng, total - 563, [("dismissed", 606), ("unfounded", 0)])
            mix = []
            for o, s in pairs:
                if o == "x":
                    o = rest.pop()
                mix.append((o, s or rng.choice(OTHER_STAGES)))
        else:
            mix = None
        for yi, y in enumerate(YEARS):
            n = per_year[yi]
            if siglas == "ISSSTE":
                # 72 % of each year's protests at the award stage, and at
                # least 80 % of the founded ones
                award = round(0.72 * n)
                founded = n // 4
                fa = round(0.84 * founded)
                labels = ([("founded", "award")] * fa + [("founded", None)] * (founded - fa) +
                          [(None, "award")] * (award - fa) + [(None, None)] * (n - award - founded + fa))
                rng.shuffle(labels)
                ymix = [(o or rng.choice(["dismissed", "unfounded", "unfounded", "withdrawn"]),
                         s or rng.choice(OTHER_STAGES)) for o, s in labels]
            elif mix is not None:
                ymix, mix = mix[:n], mix[n:]
            else:
                ymix = [(random_outcome(rng), "award" if rng.random() < 0.7
                         else rng.choice(OTHER_STAGES)) for _ in range(n)]
            for i, (o, s) in enumerate(ymix):
                if nproc == 0 or (siglas == "PEMEX" and i < 5):
                    # a procedure the procedures file does not have
                    buyer = "%s%03d" % (code, 1 + rng.randrange(25))
                    ghost = ("LA-%s-N9%03d-%d" % (buyer, i, y), buyer, day(y, rng.randrange(300)))
                    g.protest(siglas, ghost, s, o)
                else:
                    g.protest(siglas, rng.choice(comp[y]), s, o)
    g.close()


def scale(args):
    g = Gen(args.seed, args.outdir, args.spanish)
    rng = g.rng
    ents = [("E%02d" % i, "%03dX%02d" % (i, i)) for i in range(30)]
    weights = [1.0 / (i + 1) for i in range(30)]
    wsum = sum(weights)
    left_p, left_x = args.procedures, args.protests
    for i, (siglas, code) in enumerate(ents):
        last = i == len(ents) - 1
        np_ = left_p if last else int(args.procedures * weights[i] / wsum)
        nx = left_x if last else int(args.protests * weights[i] / wsum)
        left_p -= np_
        left_x -= nx
        comp = g.procedures(siglas, code, np_, (0.4, 0.2, 0.4), 200, rows_per_proc=False)
        pool = [p for y in YEARS for p in comp[y]]
        for _ in range(nx):
            g.protest(siglas, rng.choice(pool), "award" if rng.random() < 0.7
                      else rng.choice(OTHER_STAGES), random_outcome(rng))
    g.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profile", choices=["oecd", "scale"])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=2012)
    ap.add_argument("--spanish", action="store_true")
    ap.add_argument("--procedures", type=int, default=100000)
    ap.add_argument("--protests", type=int, default=10000)
    args = ap.parse_args()
    (oecd if args.profile == "oecd" else scale)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
