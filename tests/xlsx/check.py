#!/usr/bin/env python3
"""Checks an xlsx file licit wrote against the CSV of the same run.

usage: check.py CSV XLSX NUMBER_COLUMNS

The sheet (read from the zip with the standard library, not with licit)
must hold the CSV's header as a bold, frozen first row, and each CSV cell
in the same place: empty as a blank cell, a plain decimal in one of the
NUMBER_COLUMNS (comma-separated) as a number cell of the same value (as a
double: within one part in 1e15), every other value (a top supplier's
name in kpi --long's value column, say) as a text cell of the same text. Prints one line per column (its name and the cell types it
holds); exit 1 at the first difference."""
import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

PLAIN = re.compile(r"-?(0|[1-9][0-9]*|0(?=\.))(\.[0-9]+)?")
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_cells(path):
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
                      for si in sst.findall("m:si", NS)]
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    frozen = pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1"
    rows = {}
    for row in root.findall("m:sheetData/m:row", NS):
        r = int(row.get("r")) - 1
        for c in row.findall("m:c", NS):
            t = c.get("t", "n")
            if t == "inlineStr":
                v = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
                kind = "text"
            elif t == "s":
                v, kind = shared[int(c.find("m:v", NS).text)], "text"
            elif t == "n":
                v, kind = c.find("m:v", NS).text, "number"
            else:
                v, kind = c.find("m:v", NS).text, t
            rows.setdefault(r, {})[col_index(c.get("r"))] = (kind, v, c.get("s"))
    return frozen, rows


def main():
    csv_path, xlsx_path, numbers = sys.argv[1], sys.argv[2], set(sys.argv[3].split(","))
    with open(csv_path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    frozen, rows = sheet_cells(xlsx_path)
    if not frozen:
        print("the header row is not frozen")
        return 1
    header = table[0]
    kinds = {i: set() for i in range(len(header))}
    for r, line in enumerate(table):
        got = rows.get(r, {})
        extra = set(got) - set(range(len(line)))
        if extra:
            print(f"row {r + 1}: cells beyond the CSV's columns")
            return 1
        for i, want in enumerate(line):
            cell = got.get(i)
            where = f"row {r + 1}, {header[i]}"
            if want == "":
                if cell is not None:
                    print(f"{where}: a cell where the CSV is empty")
                    return 1
                continue
            if cell is None:
                print(f"{where}: no cell for '{want}'")
                return 1
            kind, v, style = cell
            if r == 0:
                if kind != "text" or v != want or style is None:
                    print(f"{where}: header cell {cell}, not bold text '{want}'")
                    return 1
                continue
            kinds[i].add(kind)
            if header[i] in numbers and PLAIN.fullmatch(want):
                a, b = float(v), float(want)
                if kind != "number" or abs(a - b) > 1e-15 * max(abs(a), abs(b), 1e-300):
                    print(f"{where}: {kind} '{v}', not the number {want}")
                    return 1
            elif kind != "text" or v != want:
                print(f"{where}: {kind} '{v}', not the text '{want}'")
                return 1
    if len(rows) != len(table):
        print(f"{len(rows)} rows in the sheet, {len(table)} in the CSV")
        return 1
    for i, name in enumerate(header):
        print(f"{name}: {' '.join(sorted(kinds[i])) or 'empty'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
