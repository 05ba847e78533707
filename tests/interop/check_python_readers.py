#!/usr/bin/python3
"""Reads the tables interop_writer made with two independent readers, Debian's python3-dbfread
(dbfread 2.0.7) and python3-dbf (dbf 0.96.5), and compares record count, deleted flags, field
values and memos with expected.json (what the engine was asked to store).

    check_python_readers.py [--writer PATH/interop_writer] FOLDER

With --writer, runs `interop_writer FOLDER` first. Exit status: 0 all matched, 1 mismatches (each
printed), 2 usage or writer failure, 77 a reader package is missing (CTest reports a skip).

Run it with /usr/bin/python3: the Debian packages live in the system interpreter's dist-packages.

Documented reader limitations, and how each is handled (search for "LIMITATION"):
  dbfread
    * no NULL support: _NullFlags is returned as an ordinary field and a null value reads as the
      blank filler the writer leaves in the field bytes ('' for C, 0 for I, None for an empty memo
      pointer). Null values are checked against that filler.
    * V (varchar) is parsed like C (parseV = parseC): the VFP length byte is not applied, so a
      value shorter than the field reads as the data, the 0x00 filler and the length byte. That
      layout is what we check (it is the on-disk form of reference 2.11).
    * Q (varbinary) and W (blob) are unknown types: a table holding them cannot be opened at all,
      so the writer makes no Q/W fields (no reader here could check them).
    * dBASE IV memos: DB4MemoFile reads `length` bytes after the 8-byte block header although that
      length includes the header (reference 3.3; real dBASE IV files agree), and then cuts the
      data at the first 0x1F, relying on the 0x1F filler dBASE IV leaves after a memo. Our filler
      is 0x00, so a memo reads with up to 8 trailing bytes of whatever follows it. We check the
      expected text is a prefix and at most 8 bytes follow.
    * an empty memo (block 0) reads as None, not ''.
    * it returns _NullFlags as raw bytes, which lets us check the bits themselves against
      reference 2.13 (length bits of V fields, null bits, unused bits 0): see check_nullflags.
  dbf (python3-dbf 0.96.5)
    * supports versions 0x03, 0x83, 0xF5, 0x30, 0x31 only: dBASE IV with memo (0x8B) and VFP 9
      tables with varchar (0x32) are refused ("Tables of type ... not supported"); those tables are
      only checked with dbfread.
    * NULL bits: it reads field number k's null flag from bit k of _NullFlags, counting every field;
      VFP (reference 2.13) gives bits only to nullable and V/Q fields, in order. The two agree when
      the nullable fields come first, which is how vfp.dbf is laid out (NC, NI, NM = bits 0, 1, 2).
    * C values keep their trailing blanks (we compare right-trimmed); an empty memo reads ''.
"""

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
from decimal import Decimal

try:
    import dbf
    import dbfread
except ImportError as e:  # pragma: no cover - environment problem, not a test failure
    print(f"check_python_readers: {e}; install python3-dbf and python3-dbfread "
          f"and run with /usr/bin/python3", file=sys.stderr)
    sys.exit(77)


# --------------------------------------------------------------------------- expected values

def exp_date(s):
    y, m, d = (int(x) for x in s.split("-"))
    return datetime.date(y, m, d)


def exp_datetime(s):
    date, time = s.split("T")
    y, mo, d = (int(x) for x in date.split("-"))
    hms, ms = time.split(".")
    h, mi, se = (int(x) for x in hms.split(":"))
    return datetime.datetime(y, mo, d, h, mi, se, int(ms) * 1000)


class Mismatch(Exception):
    pass


COMPARED = {}  # reader -> number of field values compared


def same_number(got, want):
    """want: decimal text; got: int, float or Decimal as a reader returns it."""
    if isinstance(got, bool) or not isinstance(got, (int, float, Decimal)):
        return False
    if isinstance(got, float):
        return got == float(Decimal(want))
    return Decimal(got) == Decimal(want)


def same_real(got, want):
    if not isinstance(got, float):
        return False
    w = float(want)
    return got == w or (math.isnan(got) and math.isnan(w))


def short(x, n=60):
    r = repr(x)
    return r if len(r) <= n else r[:n] + f"...({len(x) if hasattr(x, '__len__') else '?'} long)"


def check_value(reader, table, field, exp, got):
    """Raises Mismatch unless `got` (what `reader` returned) stands for `exp`."""
    t = field["type"]
    k = exp["k"]
    v = exp.get("v")

    def fail(why=""):
        raise Mismatch(f"expected {short(exp)}, {reader} read {short(got)}" + (f" ({why})" if why else ""))

    # ---- nulls
    if k == "null":
        if reader == "dbf":
            if got is not dbf.Null:
                fail()
            return
        # LIMITATION dbfread: no NULL support; it reads the blank filler of the field.
        blank = {"C": "", "I": 0, "M": None, "V": ""}
        if t not in blank:
            fail("no filler rule for this type")
        if got != blank[t] or type(got) is not type(blank[t]):
            fail("null should read as the blank filler")
        return

    # ---- empty (blank N F D L T)
    if k == "empty":
        if got is not None:
            fail("blank value should read as None")
        return

    if t == "C":
        if not isinstance(got, str) or got.rstrip(" ") != v.rstrip(" "):
            fail()
    elif t == "V":
        width = field["length"]
        data = v.encode("cp1252")
        if reader == "dbfread":
            # LIMITATION dbfread: V parsed like C; the length byte and filler stay in the value.
            if len(data) == width:
                raw = data
            elif not data:
                raw = b""
            else:
                raw = data + b"\x00" * (width - 1 - len(data)) + bytes([len(data)])
            want = raw.rstrip(b"\x00 ").decode("cp1252")
            if got != want:
                fail("dbfread reads V as C")
        elif got != v:
            fail()
    elif t in "NF":
        if not same_number(got, v):
            fail()
    elif t == "I":
        if isinstance(got, bool) or not isinstance(got, int) or got != v:
            fail()
    elif t == "Y":
        if not isinstance(got, Decimal) or got != Decimal(v):
            fail()
    elif t == "B":
        if not same_real(got, v):
            fail()
    elif t == "D":
        if type(got) is not datetime.date or got != exp_date(v):
            fail()
    elif t == "T":
        if not isinstance(got, datetime.datetime) or got != exp_datetime(v):
            fail()
    elif t == "L":
        if got is not v and not (isinstance(got, bool) and got == v):
            fail()
    elif t == "M":
        if v == "":
            # LIMITATION dbfread: an empty memo (block 0) reads as None; python3-dbf gives ''.
            if got not in (None, ""):
                fail()
            return
        if not isinstance(got, str):
            fail("memo should be text")
        if got == v:
            return
        if reader == "dbfread" and table["format"] == "db4":
            # LIMITATION dbfread: DB4 memo length taken as excluding the block header.
            if got.startswith(v) and len(got) - len(v) <= 8:
                return
        fail(f"memo of {len(v)} characters read as {len(got)}")
    else:
        fail(f"no comparison rule for type {t}")


# --------------------------------------------------------------------------- readers

def read_dbfread(path):
    """Returns [(deleted, {FIELD: value})] in file order."""
    # dbfread yields live and deleted records separately, each in file order.
    table = dbfread.DBF(path, char_decode_errors="strict")
    live = list(table)
    deleted = list(table.deleted)
    return live, deleted


def read_dbf(path):
    table = dbf.Table(path)
    table.open(dbf.READ_ONLY)
    try:
        names = table.field_names
        rows = []
        for rec in table:
            rows.append((dbf.is_deleted(rec), {n.upper(): rec[n] for n in names}))
        return rows
    finally:
        table.close()


# Tables a reader cannot open at all (see the module docstring), by format/version.
def dbf_supports(table):
    # LIMITATION dbf: versions 0x03, 0x83, 0xF5, 0x30, 0x31 only.
    return table["version"] in (0x03, 0x83, 0xF5, 0x30, 0x31)


def expected_nullflags(table, exp):
    """(value, mask, size) of the _NullFlags bytes for an expected record, per reference 2.13:
    walking the user fields in order, a V/Q field takes a length bit (1 when the value is shorter than
    the field), then a nullable field takes a null bit. Every other bit must be 0. A null V
    field's length bit is not significant (the field holds no value), so it is masked out."""
    value, mask, bit = 0, 0, 0
    for field, ev in zip(table["fields"], exp["values"]):
        is_null = ev["k"] == "null"
        if field["type"] in "VQ":
            short = ev["k"] != "text" or len(ev["v"].encode("cp1252")) < field["length"]
            if short:
                value |= 1 << bit
            if not is_null:
                mask |= 1 << bit
            bit += 1
        if field["nullable"]:
            if is_null:
                value |= 1 << bit
            mask |= 1 << bit
            bit += 1
    if bit == 0:
        return None
    nbytes = (bit + 7) // 8
    all_bits = (1 << (8 * nbytes)) - 1
    unused = all_bits & ~((1 << bit) - 1)
    return value & (mask | unused), mask | unused, nbytes


def check_nullflags(table, got_rows, exp_rows, problems):
    for (_, values), exp in zip(got_rows, exp_rows):
        want = expected_nullflags(table, exp)
        if want is None:
            return
        value, mask, nbytes = want
        raw = values.get("_NullFlags")
        where = f"dbfread: {table['file']}: record {exp['recno']}: _NullFlags"
        if not isinstance(raw, bytes) or len(raw) != nbytes:
            problems.append(f"{where}: {raw!r}, expected {nbytes} bytes")
            continue
        got = int.from_bytes(raw, "little")
        if got & mask != value:
            problems.append(f"{where}: 0x{got:0{2 * nbytes}x}, expected 0x{value:0{2 * nbytes}x} "
                            f"in the bits 0x{mask:0{2 * nbytes}x}")


def compare_rows(reader, table, got_rows, exp_rows, problems):
    fields = table["fields"]
    if len(got_rows) != len(exp_rows):
        problems.append(f"{reader}: {table['file']}: {len(got_rows)} records, expected {len(exp_rows)}")
    for (deleted, values), exp in zip(got_rows, exp_rows):
        where = f"{reader}: {table['file']}: record {exp['recno']}"
        if deleted is not None and deleted != exp["deleted"]:
            problems.append(f"{where}: deleted={deleted}, expected {exp['deleted']}")
        for field, ev in zip(fields, exp["values"]):
            if field["name"] not in values:
                problems.append(f"{where}: field {field['name']} missing")
                continue
            COMPARED[reader] = COMPARED.get(reader, 0) + 1
            try:
                check_value(reader, table, field, ev, values[field["name"]])
            except Mismatch as m:
                problems.append(f"{where}: field {field['name']} ({field['type']}): {m}")
            except Exception as e:  # a reader bug or a value we cannot interpret
                problems.append(f"{where}: field {field['name']}: {type(e).__name__}: {e}")


def check_structure(folder, table, problems):
    """Header and field descriptors as each reader sees them."""
    path = os.path.join(folder, table["file"])
    fields = table["fields"]
    where = f"dbfread: {table['file']}"
    d = dbfread.DBF(path)
    h = d.header
    if h.dbversion != table["version"]:
        problems.append(f"{where}: version byte 0x{h.dbversion:02X}, expected 0x{table['version']:02X}")
    if h.language_driver != table["codepage_mark"]:
        problems.append(f"{where}: codepage mark 0x{h.language_driver:02X}, expected "
                        f"0x{table['codepage_mark']:02X}")
    if d.encoding != "cp1252":
        problems.append(f"{where}: text decoded as {d.encoding}, expected cp1252")
    if h.numrecords != len(table["records"]):
        problems.append(f"{where}: header record count {h.numrecords}, expected {len(table['records'])}")
    # The last-update date is stamped with today's date when the table is written.
    if d.date is None or abs((d.date - datetime.date.today()).days) > 1:
        problems.append(f"{where}: last update {d.date}, expected about today")
    user = [f for f in d.fields if f.type != "0"]
    if [f.name for f in user] != [f["name"] for f in fields]:
        problems.append(f"{where}: fields {[f.name for f in user]}, expected {[f['name'] for f in fields]}")
    for got, exp in zip(user, fields):
        if (got.type, got.length, got.decimal_count) != (exp["type"], exp["length"], exp["decimals"]):
            problems.append(f"{where}: field {exp['name']}: {got.type}({got.length},{got.decimal_count}), "
                            f"expected {exp['type']}({exp['length']},{exp['decimals']})")
        # FoxPro and VFP read the field displacement (descriptor bytes 12-15, reference 1.6);
        # dBASE tables may hold anything there.
        if table["format"] in ("vfp", "fox2") and got.address != exp["offset"]:
            problems.append(f"{where}: field {exp['name']}: displacement {got.address}, "
                            f"expected {exp['offset']}")
        if table["format"] == "vfp":
            flags = got.reserved1  # descriptor byte 18 (dbfread's name for it)
            if bool(flags & 0x02) != exp["nullable"] or bool(flags & 0x04) != exp["binary"]:
                problems.append(f"{where}: field {exp['name']}: flags 0x{flags:02X}, expected "
                                f"nullable={exp['nullable']} binary={exp['binary']}")

    if not dbf_supports(table):
        return
    where = f"dbf: {table['file']}"
    t = dbf.Table(path)
    t.open(dbf.READ_ONLY)
    try:
        if len(t) != len(table["records"]):
            problems.append(f"{where}: {len(t)} records, expected {len(table['records'])}")
        if t.codepage.name != "cp1252":
            problems.append(f"{where}: codepage {t.codepage}, expected cp1252")
        if [n.upper() for n in t.field_names] != [f["name"] for f in fields]:
            problems.append(f"{where}: fields {t.field_names}")
        for exp in fields:
            info = t.field_info(exp["name"].lower())
            got = (chr(info[0]), info[1], info[2])
            if got != (exp["type"], exp["length"], exp["decimals"]):
                problems.append(f"{where}: field {exp['name']}: {got}, expected "
                                f"{(exp['type'], exp['length'], exp['decimals'])}")
    finally:
        t.close()


def check_table(folder, table, problems, notes):
    path = os.path.join(folder, table["file"])
    records = table["records"]
    checked = []
    try:
        check_structure(folder, table, problems)
    except Exception as e:
        problems.append(f"{table['file']}: structure check failed: {type(e).__name__}: {e}")

    # dbfread
    try:
        live, deleted = read_dbfread(path)
    except Exception as e:
        problems.append(f"dbfread: {table['file']}: cannot read: {type(e).__name__}: {e}")
    else:
        exp_live = [r for r in records if not r["deleted"]]
        exp_deleted = [r for r in records if r["deleted"]]
        compare_rows("dbfread", table, [(None, v) for v in live], exp_live, problems)
        compare_rows("dbfread", table, [(None, v) for v in deleted], exp_deleted, problems)
        check_nullflags(table, [(None, v) for v in live], exp_live, problems)
        check_nullflags(table, [(None, v) for v in deleted], exp_deleted, problems)
        checked.append("dbfread")

    # python3-dbf
    if not dbf_supports(table):
        notes.append(f"dbf: {table['file']}: skipped, python3-dbf does not support version "
                     f"0x{table['version']:02X}")
        try:  # make sure the limitation is still what we think it is
            read_dbf(path)
            problems.append(f"dbf: {table['file']}: version 0x{table['version']:02X} opened although "
                            f"python3-dbf was believed not to support it; enable the comparison")
        except dbf.DbfError:
            pass
    else:
        try:
            rows = read_dbf(path)
        except Exception as e:
            problems.append(f"dbf: {table['file']}: cannot read: {type(e).__name__}: {e}")
        else:
            compare_rows("dbf", table, rows, records, problems)
            checked.append("dbf")
    return checked


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--writer", help="run this interop_writer into FOLDER first")
    ap.add_argument("folder")
    args = ap.parse_args()

    if args.writer:
        r = subprocess.run([args.writer, args.folder])
        if r.returncode != 0:
            print(f"check_python_readers: {args.writer} failed (exit {r.returncode})", file=sys.stderr)
            return 2
    with open(os.path.join(args.folder, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)

    problems, notes = [], []
    for table in expected["tables"]:
        checked = check_table(args.folder, table, problems, notes)
        n = len(table["records"])
        nd = sum(r["deleted"] for r in table["records"])
        print(f"{table['file']}: {n} records ({nd} deleted), {len(table['fields'])} fields; "
              f"read with {', '.join(checked) or 'nothing'}")
    for n in notes:
        print(f"note: {n}")
    print("values compared: " + ", ".join(f"{r} {n}" for r, n in sorted(COMPARED.items())))
    if problems:
        for p in problems[:200]:
            print(f"MISMATCH {p}")
        if len(problems) > 200:
            print(f"... and {len(problems) - 200} more")
        print(f"FAILED: {len(problems)} mismatches")
        return 1
    print("OK: every reader that supports a table reads what the engine wrote")
    return 0


if __name__ == "__main__":
    sys.exit(main())
