#!/usr/bin/env python3
"""Writes hostile XLSX files for the bad-input tests (built by hand with zipfile: no
spreadsheet program writes these).

    make_bad_xlsx.py bomb OUT.xlsx        a sheet that inflates ~1000:1 to 200 MB
    make_bad_xlsx.py broken_sst OUT.xlsx  shared strings that are not well-formed XML
    make_bad_xlsx.py rows N OUT.xlsx      a sheet of N rows (1048576 is Excel's maximum)
"""
import sys
import zipfile

CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
      'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
      '2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets>'
      '</workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
           'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
           '//schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
           '"worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats'
           '.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '</Relationships>')
HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><sheetData>')
TAIL = '</sheetData></worksheet>'


def skeleton(z, sst):
    z.writestr("[Content_Types].xml", CT)
    z.writestr("_rels/.rels", RELS)
    z.writestr("xl/workbook.xml", WB)
    z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
    z.writestr("xl/sharedStrings.xml", sst)


def header_row():
    return ('<row r="1"><c r="A1" t="inlineStr"><is><t>Naam</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Gemeente</t></is></c></row>')


kind, out = sys.argv[1], sys.argv[-1]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    if kind == "bomb":
        skeleton(z, '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write((HEAD + header_row()).encode())
            blank = b" " * (1 << 20)
            for _ in range(200):
                f.write(blank)
            f.write(TAIL.encode())
    elif kind == "broken_sst":
        skeleton(z, '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    '<si><t>Naam</t></si><si><t>Gent</t><si></sst>')
        z.writestr("xl/worksheets/sheet1.xml", HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c>'
                   '</row><row r="2"><c r="A2" t="s"><v>1</v></c></row>' + TAIL)
    elif kind == "rows":
        n = int(sys.argv[2])
        skeleton(z, '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write((HEAD + header_row()).encode())
            chunk = []
            for r in range(2, n + 1):
                chunk.append('<row r="%d"><c r="A%d" t="inlineStr"><is><t>Klant %d</t></is></c>'
                             '<c r="B%d" t="inlineStr"><is><t>Gent</t></is></c></row>'
                             % (r, r, r, r))
                if len(chunk) == 10000:
                    f.write("".join(chunk).encode())
                    chunk = []
            f.write(("".join(chunk) + TAIL).encode())
    else:
        sys.exit("unknown kind " + kind)
