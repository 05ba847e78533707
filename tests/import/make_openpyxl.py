#!/usr/bin/env python3
"""Writes the XLSX files the import tests read, with openpyxl (another writer than ours).

    make_openpyxl.py customers OUT.xlsx   customers: dates, numbers, booleans, two sheets
    make_openpyxl.py epoch1904 OUT.xlsx   the same date in the 1904 date system
    make_openpyxl.py many N OUT.xlsx      N generated customers (the benchmark's file)
"""
import datetime
import sys

import openpyxl


def customers(out):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Klanten"
    ws.append(["Klantcode", "Naam", "Adres", "Postcode", "Gemeente", "Land", "BTW-nummer",
               "E-mail", "Betalingstermijn", "Taal", "Klant sinds", "Actief", "Korting"])
    ws.append(["K001", "Brasserie De Hoek", "Marktplein 1", "9000", "Gent", "België",
               "BE0403.199.702", "info@dehoek.be", 30, "Nederlands",
               datetime.date(2019, 3, 15), True, 2.5])
    ws.append(["K002", "Café Fédéral", "Rue Haute 12", 1000, "Bruxelles", "Belgique",
               None, "contact@federal.be", 14, "fr", datetime.datetime(2021, 12, 31, 18, 30),
               False, 0.1])
    # Sparse: a row with cells skipped, two empty rows before it.
    ws["A6"] = "K006"
    ws["B6"] = "Zonder Adres BV"
    ws["I6"] = 60
    other = wb.create_sheet("Leveranciers")
    other.append(["Code fournisseur", "Nom", "N° TVA", "Pays"])
    other.append(["F01", "Grossiste Lambert", "BE0822894253", "BE"])
    wb.save(out)


def epoch1904(out):
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.MAC_EPOCH
    ws = wb.active
    ws.append(["Naam", "Datum"])
    ws.append(["Mac", datetime.date(2020, 2, 29)])
    wb.save(out)


def many(n, out):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Klanten")
    ws.append(["Klantcode", "Naam", "Adres", "Postcode", "Gemeente", "Land", "BTW-nummer",
               "E-mail", "Telefoon", "Betalingstermijn", "Taal"])
    for i in range(1, n + 1):
        body = 4000000 + i
        vat = "BE%08d%02d" % (body, 97 - body % 97)
        ws.append(["K%06d" % i, "Klant %d BV" % i, "Straat %d" % i, str(1000 + i % 8999),
                   "Gemeente %d" % (i % 500), "BE", vat, "klant%d@voorbeeld.be" % i,
                   "+32 9 %03d %02d %02d" % (i % 1000, i % 100, (i // 100) % 100), 30, "nl"])
    wb.save(out)


if __name__ == "__main__":
    if sys.argv[1] == "customers":
        customers(sys.argv[2])
    elif sys.argv[1] == "epoch1904":
        epoch1904(sys.argv[2])
    elif sys.argv[1] == "many":
        many(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit("unknown kind " + sys.argv[1])
