#!/usr/bin/env python3
"""Writes a small xlsx workbook for the tests, from plain-text sheet specs.

usage: make_xlsx.py [--1904] [--strings-last] OUT.xlsx SHEET.txt|SHEET.csv ...

Each SHEET.txt is one sheet, named after the file (without .txt). One line
per row, cells separated by '|'; a cell is KIND:VALUE or nothing:

  s:text    shared string            i:text    inline string
  f:text    formula string (t="str") n:1234.5  number
  d:43831   number in a date format  t:43831.5 number in a date-time format
  b:1       boolean                  e:#N/A    error
  (empty)   no cell at all           a line "-" is a row with no cells

A SHEET.csv is a CSV file made one sheet: a number that reads back as
written is a number cell, any other value a shared string.

--1904 uses the 1904 date system; --strings-last stores the shared strings
after the sheets (as some writers do), so readers cannot rely on order.
"""
import csv
import os
import sys
import zipfile
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def spec_rows(path):
    """A sheet spec as rows of (kind, value) cells, None for no cell."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    return [None if line == "-" else
            [tuple(cell.partition(":")[::2]) if cell else None for cell in line.split("|")]
            for line in lines]


def csv_rows(path):
    def cell(v):
        if not v:
            return None
        try:
            if str(int(v)) == v or repr(float(v)) == v:
                return ("n", v)
        except ValueError:
            pass
        return ("s", v)
    with open(path, encoding="utf-8", newline="") as f:
        return [[cell(v) for v in rec] for rec in csv.reader(f)]


def sheet_xml(table, strings):
    rows = []
    index = {v: i for i, v in enumerate(strings)}
    for r, row in enumerate(table, start=1):
        if row is None:
            continue
        cells = []
        for c, cell in enumerate(row):
            if not cell:
                continue
            kind, v = cell
            ref = f'r="{col_name(c)}{r}"'
            if kind == "s":
                if v not in index:
                    index[v] = len(strings)
                    strings.append(v)
                cells.append(f'<c {ref} t="s"><v>{index[v]}</v></c>')
            elif kind == "i":
                cells.append(f'<c {ref} t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>')
            elif kind == "f":
                cells.append(f'<c {ref} t="str"><f>A1</f><v>{escape(v)}</v></c>')
            elif kind == "n":
                cells.append(f'<c {ref}><v>{v}</v></c>')
            elif kind == "d":
                cells.append(f'<c {ref} s="1"><v>{v}</v></c>')
            elif kind == "t":
                cells.append(f'<c {ref} s="2"><v>{v}</v></c>')
            elif kind == "b":
                cells.append(f'<c {ref} t="b"><v>{v}</v></c>')
            elif kind == "e":
                cells.append(f'<c {ref} t="e"><v>{escape(v)}</v></c>')
            else:
                sys.exit(f"unknown cell kind {kind!r} in row {r}")
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet {NS} {RNS}><sheetData>{"".join(rows)}</sheetData></worksheet>')


def main(argv):
    date1904 = "--1904" in argv
    strings_last = "--strings-last" in argv
    args = [a for a in argv if not a.startswith("--")]
    if len(args) < 2:
        sys.exit(__doc__)
    out, specs = args[0], args[1:]
    strings = []
    sheets = []
    for path in specs:
        name, ext = os.path.splitext(os.path.basename(path))
        table = csv_rows(path) if ext == ".csv" else spec_rows(path)
        sheets.append((name, sheet_xml(table, strings)))
    sst = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}>'
            + ('<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>')
            + "<sheets>" + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                                   for i, (n, _) in enumerate(sheets, start=1))
            + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            + "</Relationships>",
        "xl/styles.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}>'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>'
            '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>',
    }
    sheet_parts = {f"xl/worksheets/sheet{i}.xml": xml for i, (_, xml) in enumerate(sheets, start=1)}
    sst_part = {"xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'}
    order = [parts, sheet_parts, sst_part] if strings_last else [parts, sst_part, sheet_parts]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for group in order:
            for name, data in group.items():
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)


if __name__ == "__main__":
    main(sys.argv[1:])
