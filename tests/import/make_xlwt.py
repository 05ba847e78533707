#!/usr/bin/env python3
"""Writes an Excel 97-2003 (BIFF8) file with xlwt for the XLS reader's test.

    make_xlwt.py OUT.xls
"""
import datetime
import sys

import xlwt

wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("Articles")
for col, h in enumerate(["Code article", "Libellé", "Unité", "Prix unitaire", "Taux TVA",
                         "Stock", "Date"]):
    ws.write(0, col, h)
date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
rows = [["A-100", "Vis inox 4×40", "pc", 0.1235, 21, 1500, datetime.date(2023, 1, 31)],
        ["A-200", "Peinture blanche 2,5 l", "pot", 34.95, 6, -2, datetime.date(2024, 2, 29)]]
for r, row in enumerate(rows, start=1):
    for col, v in enumerate(row):
        if isinstance(v, datetime.date):
            ws.write(r, col, v, date_style)
        else:
            ws.write(r, col, v)
second = wb.add_sheet("Notes")
second.write(0, 0, "Naam")
second.write(1, 0, "Tweede blad")
wb.save(sys.argv[1])
