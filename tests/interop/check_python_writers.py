#!/usr/bin/python3
"""The other direction of check_python_readers.py: Debian's python3-dbf (0.96.5) writes tables,
the engine reads them (`interop_writer --dump TABLE`), and every record, deleted flag and field
value must be what python3-dbf was asked to store.

    check_python_writers.py --engine PATH/interop_writer FOLDER

Exit status: 0 all matched, 1 mismatches, 2 usage or tool failure, 77 python3-dbf missing.
Run it with /usr/bin/python3 (the Debian package lives in the system interpreter).

python3-dbf writes VFP (0x30), FoxPro 2 (0xF5) and dBASE III (0x83) tables; it has no dBASE IV
or VFP 9 varchar support. Its documented deviations that shape the tables here:
  * NULL bits: it stores field number k's null flag in bit k of _NullFlags, counting every
    field, where VFP (reference 2.13) numbers only nullable and V/Q fields. The two agree only
    when the nullable fields come first, so the VFP table puts them first (with the nullable
    fields elsewhere the file would mean something else to VFP, and to us).
  * A Python None is stored as the blank value; only dbf.Null makes a VFP NULL.
  * It writes no 0x1A end-of-file marker (the engine accepts that with a warning).
  * It strips blanks from both ends of a C value before storing it.
  * It refuses to store -2147483648 or 2147483647 in an I field (off-by-one range check).
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal

try:
    import dbf
except ImportError as e:  # pragma: no cover
    print(f"check_python_writers: {e}; install python3-dbf and run with /usr/bin/python3",
          file=sys.stderr)
    sys.exit(77)

ALPHABET = ("abcdefghijklmnopqrstuvwxyzAQZ0179 .,-'\"\\\r\n\t"
            "éëïüÖç€„“”™œŠßñÆøŸž•…°±µ¿")
NAMES = ["Zoë Ångström", "François Müller", "Jürgen Größ", "naïve café", "Œuvre ŠŽšžŸ",
         "„quoted“ €100 ™", "", "  indented", "O'Brien \"Bob\""]
MEMO_SIZES = [0, 1, 55, 56, 57, 63, 64, 65, 503, 504, 505, 510, 511, 512, 513, 4096, 20000]


def text_of(n, seed):
    x = (seed * 2654435761 + 12345) & 0xFFFFFFFF
    out = []
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out.append(ALPHABET[(x >> 16) % len(ALPHABET)])
    return "".join(out)


# (table file, python3-dbf type, field specs)
TABLES = [
    ("py_vfp.dbf", "vfp",
     "nc C(12) null; ni I null; nm M null; name C(30); amount N(12,2); ratio F(15,5); born D; "
     "active L; note M; qty I; price Y; stamp T; real B"),
    ("py_fox2.dbf", "fp", "name C(30); amount N(12,2); ratio F(15,5); born D; active L; note M"),
    ("py_db3.dbf", "db3", "name C(30); amount N(12,2); born D; active L; note M"),
]
ROWS = 40


def value_for(name, i):
    """What row i (1-based) stores in field `name`; None = blank; dbf.Null = NULL."""
    if name == "nc":
        return dbf.Null if i % 4 == 0 else f"K{i * 37:05}é"
    if name == "ni":
        return dbf.Null if i % 5 == 0 else -3 * i
    if name == "nm":
        return dbf.Null if i % 6 == 0 else f"nullable memo {i} – " + text_of(i * 3, i)
    if name == "name":
        return NAMES[i % len(NAMES)]
    if name == "amount":
        return None if i % 11 == 0 else Decimal(((i * 7919) % 200003 - 100000)) / 100
    if name == "ratio":
        return None if i % 12 == 0 else Decimal(((i * 104729) % 2000001 - 1000000)) / 100000
    if name == "born":
        return None if i % 13 == 0 else datetime.date(1900, 1, 1) + datetime.timedelta(days=i * 997)
    if name == "active":
        return None if i % 3 == 2 else i % 3 == 0
    if name == "note":
        return text_of(MEMO_SIZES[i % len(MEMO_SIZES)], i)
    if name == "qty":
        # python3-dbf refuses both ends of the int32 range (its range check is off by one).
        return [2147483646, -2147483647][i - 1] if i <= 2 else (-1) ** i * i * i * 37
    if name == "price":
        return Decimal((i * 1234577 % 20000000 - 10000000) * 3) / 10000
    if name == "stamp":
        if i % 9 == 0:
            return None
        return datetime.datetime(2001, 1, 1) + datetime.timedelta(seconds=i * 3637123 % 315360000,
                                                                  milliseconds=i * 7 % 1000)
    if name == "real":
        return [0.0, -1.5, 3.141592653589793, 1e300, -2.5e-10, 123456789.125, 0.1][i % 7]
    raise KeyError(name)


def write_tables(folder):
    written = []
    for file, kind, spec in TABLES:
        path = os.path.join(folder, file)
        t = dbf.Table(path, spec, codepage="cp1252", dbf_type=kind)
        t.open(dbf.READ_WRITE)
        names = [s.split()[0] for s in spec.split(";")]
        rows = []
        for i in range(1, ROWS + 1):
            if i % 17 == 5:
                t.append()  # a blank record
                rows.append({"deleted": False, "values": {n: None for n in names}, "blank": True})
                continue
            values = {n: value_for(n, i) for n in names}
            t.append(tuple(values[n] for n in names))
            rows.append({"deleted": False, "values": values})
        for i in range(1, ROWS + 1):
            if i % 7 == 3:
                dbf.delete(t[i - 1])
                rows[i - 1]["deleted"] = True
        t.close()
        written.append((file, kind, names, rows))
    return written


def check_value(ftype, want, got):
    """want: what python3-dbf was given; got: the engine's {"k", "v"}."""
    k, v = got["k"], got.get("v")
    if want is dbf.Null:
        return k == "null"
    if ftype == "C":
        # python3-dbf strips C values on both sides before storing them (update_character).
        return k == "text" and v == (want or "").strip()
    if ftype == "M":
        return k == "text" and v == (want or "")
    if ftype in "NF":
        return (k == "empty") if want is None else (k == "number" and Decimal(v) == Decimal(want))
    if ftype == "D":
        return (k == "empty") if want is None else (k == "date" and v == want.isoformat())
    if ftype == "L":
        return (k == "empty") if want is None else (k == "logical" and v is want)
    if ftype == "I":
        return k == "integer" and v == (want or 0)
    if ftype == "Y":
        return k == "currency" and Decimal(v) == (want or Decimal(0))
    if ftype == "B":
        return k == "real" and float(v) == (want or 0.0)
    if ftype == "T":
        if want is None:
            return k == "empty"
        return k == "datetime" and v == want.strftime("%Y-%m-%dT%H:%M:%S.") + f"{want.microsecond // 1000:03}"
    raise ValueError(f"no rule for type {ftype}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", required=True, help="interop_writer (its --dump mode)")
    ap.add_argument("folder")
    args = ap.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    # Remove only what an earlier run wrote (python3-dbf will not overwrite a memo file).
    ours = {os.path.splitext(f)[0] for f, _, _ in TABLES}
    for f in os.listdir(args.folder):
        if os.path.splitext(f)[0] in ours:
            os.remove(os.path.join(args.folder, f))

    problems = []
    compared = 0
    for file, kind, names, rows in write_tables(args.folder):
        r = subprocess.run([args.engine, "--dump", os.path.join(args.folder, file)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"{file}: the engine cannot read it: {r.stderr.strip()}")
            continue
        got = json.loads(r.stdout)
        types = {}
        spec = next(s for f, _, s in TABLES if f == file)
        for s in spec.split(";"):
            n, t = s.split()[:2]
            types[n] = t[0]
        if got["fields"] != [n.upper() for n in names]:
            problems.append(f"{file}: fields {got['fields']}, expected {[n.upper() for n in names]}")
            continue
        if got["codepage"] != 1252:
            problems.append(f"{file}: read as codepage {got['codepage']}, expected 1252")
        if len(got["records"]) != len(rows):
            problems.append(f"{file}: {len(got['records'])} records, expected {len(rows)}")
        for rec, row in zip(got["records"], rows):
            where = f"{file}: record {rec['recno']}"
            if rec["deleted"] != row["deleted"]:
                problems.append(f"{where}: deleted={rec['deleted']}, expected {row['deleted']}")
            for n, gv in zip(names, rec["values"]):
                compared += 1
                want = row["values"][n]
                if row.get("blank") and types[n] == "L":
                    want = None
                if gv["k"] == "error" or not check_value(types[n], want, gv):
                    w = repr(want)
                    problems.append(f"{where}: field {n.upper()}: python3-dbf wrote "
                                    f"{w[:60]}, the engine read {str(gv)[:80]}")
        print(f"{file}: {len(rows)} records written by python3-dbf ({kind}), read by the engine; "
              f"warnings: {got['warnings'] or 'none'}")
    print(f"values compared: {compared}")
    if problems:
        for p in problems[:200]:
            print(f"MISMATCH {p}")
        print(f"FAILED: {len(problems)} mismatches")
        return 1
    print("OK: the engine reads what python3-dbf wrote")
    return 0


if __name__ == "__main__":
    sys.exit(main())
