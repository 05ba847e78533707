#!/usr/bin/env bash
# xbase export into a real PostgreSQL (run under tests/app/postgres/with_postgres.sh):
# - the three fixture tables written by another engine arrive with every value their data.txt
#   gives (text in UTF-8, numbers, dates, datetimes, nulls, binary memos and varbinary as bytea);
# - Debian's pgdbf, run as a separate program on the same tables, gives the same rows (where
#   pgdbf reads a type right; where it does not, our values are checked against the generator);
# - an existing table is replaced only with --replace, a failure part-way leaves the database as
#   it was (no table of the export, the replaced one still there), and a connection failure does
#   not show the password.
# Arguments: the xbase binary, the shared folder (fixtures).
set -euo pipefail
xbase="$1"
fixtures="$2/fixtures"
server="${INVOICING_TEST_PG:?run under with_postgres.sh}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v pgdbf >/dev/null; then
  [ "${CI:-}" = true ] && fail "pgdbf is not installed (scripts/install-deps.sh installs it)"
  echo "pgdbf is not installed: skipped" >&2
  exit 77
fi
sql() { psql -qXtA -v ON_ERROR_STOP=1 "$server" -c "$1"; }
cp -r "$fixtures/vfp" "$fixtures/fox2" "$fixtures/db3" "$work/"

# 1. The fixtures, value by value against the other engine's reading (data.txt).
for set in vfp fox2 db3; do
  "$xbase" export "$work/$set/FIX.DBF" --to "$server" --schema "$set" >"$work/$set.out" 2>"$work/$set.err" ||
    fail "export of $set: $(cat "$work/$set.err")"
  grep -q "FIX.DBF -> $set.fix: 973 records (27 deleted left out)" "$work/$set.out" || fail "$set: $(cat "$work/$set.out")"
  psql -qX "$server" -c "COPY (SELECT * FROM $set.fix ORDER BY id) TO STDOUT" >"$work/$set.copy"
  sql "SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns
       WHERE table_schema = '$set' AND table_name = 'fix'" >"$work/$set.types"
done
grep -q "M holds binary data (NUL bytes) in 60 records: exported as bytea" "$work/vfp.err" ||
  fail "the binary memos were not announced: $(cat "$work/vfp.err")"
python3 - "$work" "$fixtures" <<'EOF'
import datetime, decimal, re, sys
work, fixtures = sys.argv[1], sys.argv[2]

def unescape_fixture(s):  # data.txt: \xHH is a raw codepage byte, the rest printable ASCII
    out, i = bytearray(), 0
    while i < len(s):
        if s.startswith('\\x', i):
            out.append(int(s[i + 2:i + 4], 16)); i += 4
        else:
            out += s[i].encode(); i += 1
    return bytes(out)

def unescape_copy(s):  # COPY's text form
    if s == '\\N':
        return None
    m = {'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\'}
    return re.sub(r'\\(.)', lambda g: m.get(g.group(1), g.group(1)), s)

failures = 0
for fx in ('vfp', 'fox2', 'db3'):
    types = dict(c.split(' ', 1) for c in open(f'{work}/{fx}.types').read().strip().split(','))
    names = list(types)
    got = {}
    for line in open(f'{work}/{fx}.copy', encoding='utf-8'):
        cells = [unescape_copy(c) for c in line.rstrip('\n').split('\t')]
        got[int(decimal.Decimal(cells[0]))] = dict(zip(names, cells))
    expected_rows = 0
    for line in open(f'{fixtures}/{fx}/data.txt', encoding='latin-1'):
        cells = line.rstrip('\n').split('\t')
        recno, deleted, values = int(cells[0]), cells[1] == '1', cells[2:]
        if deleted:
            if recno in got: print(f'{fx}: deleted record {recno} exported'); failures += 1
            continue
        expected_rows += 1
        row = got.get(recno)
        if row is None:
            print(f'{fx}: record {recno} missing'); failures += 1; continue
        for name, raw in zip(names, values):
            have, kind = row[name], types[name]
            if raw == '\\N':
                ok = have is None
            elif kind == 'bytea':
                data = unescape_fixture(raw.split(':', 1)[1]) if ':' in raw and name == 'm' else bytes.fromhex(raw)
                ok = (have or '\\x') == '\\x' + data.hex()
            elif kind in ('text', 'character varying'):
                data = unescape_fixture(raw.split(':', 1)[1] if name == 'm' else raw).decode('cp1252')
                if name != 'vc':
                    data = data.rstrip(' ')
                ok = have == data
            elif kind == 'date':
                ok = have == (f'{raw[:4]}-{raw[4:6]}-{raw[6:]}' if raw else None)
            elif kind.startswith('timestamp'):
                ok = (have is None and raw == '') or (have is not None and raw != '' and
                     datetime.datetime.fromisoformat(have) == datetime.datetime.fromisoformat(raw))
            elif kind == 'boolean':
                ok = have == {'T': 't', 'F': 'f'}[raw]
            elif kind == 'double precision':
                ok = abs(float(have) - float(raw)) < 1e-9
            else:  # integer, numeric
                ok = have is not None and decimal.Decimal(have) == decimal.Decimal(raw)
            if not ok:
                failures += 1
                if failures < 20: print(f'{fx} record {recno} {name} ({kind}): expected {raw!r}, got {have!r}')
    if len(got) != expected_rows:
        print(f'{fx}: {len(got)} rows, expected {expected_rows}'); failures += 1
sys.exit(1 if failures else 0)
EOF
grep -q "m bytea" "$work/vfp.types" || fail "vfp memo type: $(cat "$work/vfp.types")"
grep -q "m text" "$work/db3.types" || fail "db3 memo type: $(cat "$work/db3.types")"

# 2. The same tables through pgdbf (a separate program), compared row for row in SQL.
python3 - >"$work/made.jsonl" <<'EOF'
import json
for i in range(1, 301):
    print(json.dumps({
        "_deleted": i % 11 == 0,
        "ID": i, "NAME": (f'Zoë "Café" \\ tab\there {i}' if i % 7 else ""),
        "AMOUNT": f"{i * 37 - 5000}.{i % 100:02d}", "QTY": i % 500,
        "D": (f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}" if i % 10 else None), "OK": i % 2 == 0,
        "NOTE": (f"line1\r\nline2 é {i}" if i % 3 else ""), "T": f"2026-01-02T03:04:{i % 60:02d}.000",
        "B": i / 8.0, "F": f"{i}.125", "Y": f"{i}.1234", "NN": (None if i % 4 == 0 else f"n{i}")}))
EOF
"$xbase" create "$work/made.dbf" --type vfp --codepage 1252 \
  --fields "ID I, NAME C(30), AMOUNT N(12,2), QTY N(5), D D, OK L, NOTE M, T T, B B, F F(12,3), Y Y, NN C(10) NULL" >/dev/null
"$xbase" load "$work/made.dbf" "$work/made.jsonl" >/dev/null 2>"$work/err" || fail "load: $(cat "$work/err")"
sql "CREATE SCHEMA pgdbf"
for t in db3/FIX.DBF:db3/FIX.DBT made.dbf:made.fpt; do
  pgdbf -s cp1252 -m "$work/${t#*:}" "$work/${t%%:*}" 2>"$work/pgdbf.err" |
    PGOPTIONS="-c search_path=pgdbf" psql -qX -v ON_ERROR_STOP=1 "$server" >/dev/null 2>>"$work/pgdbf.err" ||
    fail "pgdbf on $t: $(cat "$work/pgdbf.err")"
done
"$xbase" export "$work/made.dbf" --to "$server" >"$work/made.out"
grep -q "made.dbf -> public.made: 273 records (27 deleted left out)" "$work/made.out" || fail "made: $(cat "$work/made.out")"
same() {  # columns, ours, pgdbf's
  local diff
  diff=$(sql "SELECT (SELECT count(*) FROM (SELECT $1 FROM $2 EXCEPT ALL SELECT $1 FROM $3) a) + \
                     (SELECT count(*) FROM (SELECT $1 FROM $3 EXCEPT ALL SELECT $1 FROM $2) b)")
  [ "$diff" = 0 ] || fail "$2 and $3 differ in $diff rows over ($1)"
}
same "*" db3.fix pgdbf.fix
# pgdbf 0.6.2 writes nulls as empty text, reads B fields as 0, and gives F(12,3) and Y columns
# NUMERIC(3)/DECIMAL(4) (the decimals are lost): those columns are compared with the generator.
same "id, name, amount, qty, d, ok, note, t, coalesce(nn, '')" public.made pgdbf.made
[ "$(sql "SELECT count(*) FROM public.made WHERE b <> id / 8.0 OR f <> id + 0.125 OR y <> id + 0.1234
          OR (nn IS NULL) <> (id % 4 = 0) OR (d IS NULL) <> (id % 10 = 0)")" = 0 ] ||
  fail "made: B, F, Y or the nulls are not as loaded"

# 3. Replacing, failing part-way, and connection errors.
if "$xbase" export "$work/made.dbf" --to "$server" 2>"$work/err"; then fail "an existing table was overwritten"; fi
grep -q "public.made exists in the database: nothing was exported (--replace replaces it)" "$work/err" ||
  fail "existing table: $(cat "$work/err")"
"$xbase" export "$work/made.dbf" --to "$server" --replace --deleted >/dev/null
[ "$(sql "SELECT count(*) || '/' || count(*) FILTER (WHERE _deleted) FROM public.made")" = "300/27" ] ||
  fail "--replace --deleted did not give every record with its deleted mark"
mkdir "$work/two"
cp "$work/made.dbf" "$work/two/a.dbf"; cp "$work/made.fpt" "$work/two/a.fpt"
cp "$work/made.dbf" "$work/two/b.dbf"; cp "$work/made.fpt" "$work/two/b.fpt"
sql "CREATE SCHEMA two; CREATE TABLE two.a (x integer); INSERT INTO two.a VALUES (7); CREATE VIEW two.b AS SELECT 1 AS y"
if "$xbase" export "$work/two" --to "$server" --schema two --replace 2>"$work/err"; then fail "export over a view succeeded"; fi
grep -q "b.dbf: .*nothing was exported" "$work/err" || fail "part-way failure: $(cat "$work/err")"
[ "$(sql "SELECT x FROM two.a")" = 7 ] || fail "a failed export did not keep the table it was replacing"
if "$xbase" export "$work/made.dbf" --to "postgresql://someone:s3cret-word@127.0.0.1:1/x" 2>"$work/err"; then
  fail "exported to a closed port"
fi
grep -q "cannot connect to postgresql://someone@127.0.0.1:1/x" "$work/err" || fail "connection error: $(cat "$work/err")"
if grep -q "s3cret" "$work/err"; then fail "the password was shown"; fi
if "$xbase" export "$work/made.dbf" --to "$work/folder" 2>"$work/err"; then fail "a folder was taken as a target"; fi
grep -q "takes a postgresql:// target" "$work/err" || fail "bad target: $(cat "$work/err")"
echo "xbase export: fixtures, pgdbf cross-check, replace and failures as expected"
