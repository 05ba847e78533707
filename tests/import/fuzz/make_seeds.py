#!/usr/bin/env python3
"""Writes the seeds of the import fuzz targets into a folder (run at fuzz time; nothing is
kept in the repository).

    make_seeds.py csv DIR    text files: encodings, separators, quoting
    make_seeds.py xlsx DIR   XLSX by openpyxl, deflated and stored (stored parts let
                             mutations reach the XML), and hand-made edge cases
    make_seeds.py profile DIR  import profiles (the text files kept in the data folder)
"""
import os
import subprocess
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
kind, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


if kind == "csv":
    put("semicolon-1252.csv", "Code;Nom;Prix;Date\r\nA1;Café;1.234,56;01/03/2024\r\n"
        "A2;\"Dé;\"\"x\"\"\nz\";12,5;2024-02-29\r\n".encode("cp1252"))
    put("comma-bom.csv", b"\xef\xbb\xbfName,Street,Note\n\"Smith, J\",,\"a\nb\"\n")
    put("tab-utf16.txt", "\ufeffNaam\tGemeente\tBTW\r\nJosé\tLiège\tBE0403199702\r\n"
        .encode("utf-16-le"))
    put("title.csv", b"Lijst\n\nKlantnr;Naam;E-mail;IBAN;Land\n1;Een;a@b.be;BE68539007547034;"
        b"Belgie\n")
    put("open-quote.csv", b"a;b\n1;\"never closed\n")
elif kind == "xlsx":
    src = os.path.join(out, "tmp")
    os.makedirs(src, exist_ok=True)
    py = sys.executable
    subprocess.check_call([py, os.path.join(here, "..", "make_openpyxl.py"), "customers",
                           os.path.join(src, "c.xlsx")])
    subprocess.check_call([py, os.path.join(here, "..", "make_openpyxl.py"), "epoch1904",
                           os.path.join(src, "m.xlsx")])
    subprocess.check_call([py, os.path.join(here, "..", "make_bad_xlsx.py"), "broken_sst",
                           os.path.join(src, "sst.xlsx")])
    subprocess.check_call([py, os.path.join(here, "..", "make_bad_xlsx.py"), "rows", "20",
                           os.path.join(src, "rows.xlsx")])
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        with open(path, "rb") as f:
            put(name, f.read())
        # The same parts stored without compression, the small ones only.
        with zipfile.ZipFile(path) as zin, \
                zipfile.ZipFile(os.path.join(out, "stored-" + name), "w", zipfile.ZIP_STORED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename.endswith(("theme1.xml", "docProps/app.xml", "docProps/core.xml")):
                    continue
                zout.writestr(item.filename, data)
        os.remove(path)
    os.rmdir(src)
elif kind == "profile":
    put("full.profile", "# invoicing import profile\nname Klanten uit Winbooks\ntarget customers\n"
        "sheet Blad 1\nencoding windows-1252\nseparator ;\ndecimal ,\nmap code Klant nr\n"
        "map name Firma\nignore Fax\n".encode("utf-8"))
    put("tab.profile", b"name x\ntarget articles\nseparator tab\nmap price Prix \xc3\xa0 l'unit\xc3\xa9\n")
    put("bad.profile", b"name\ntarget nobody\nmap\n")
else:
    sys.exit("unknown kind " + kind)
