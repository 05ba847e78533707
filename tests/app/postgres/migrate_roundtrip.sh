#!/usr/bin/env bash
# The demo company moves from its data folder into PostgreSQL and back (run under
# with_postgres.sh, which sets INVOICING_TEST_PG): both moves compare every record; the folder
# that comes back passes `invoicing verify` and shows the same documents, lines and payments as
# the original; the places left are marked as moved; new IDs go on after the copied ones; a move
# that fails leaves the source as it was.
set -euo pipefail
inv="$1"
source "$(dirname "$0")/pg_test_begin.sh"
pg_test_begin roundtrip taken clash

"$inv" demo --data "$work/a" --workstations 1 --docs 1 >"$work/demo.log" || { cat "$work/demo.log" >&2; fail "demo"; }
cp -a "$work/a" "$work/original"

# Every document, every payment and article as the program shows them, and the lines of every
# twentieth document (all of them would take a process each).
snapshot() {  # where-option where -> stdout
  "$inv" doc list "$1" "$2" --json
  for id in $("$inv" doc list "$1" "$2" --json | python3 -c 'import json,sys; print(" ".join(str(d["id"]) for d in json.load(sys.stdin)[::20]))'); do
    "$inv" doc show "$id" "$1" "$2" --json
  done
  "$inv" export --from 2000-01-01 --to 2099-12-31 --type all --format csv --out - "$1" "$2" 2>/dev/null
  "$inv" payment list "$1" "$2" --json
  "$inv" article list "$1" "$2" --json
}
snapshot --data "$work/original" >"$work/original.txt"

# --db takes only a PostgreSQL target, and not together with --data.
if "$inv" verify --db "$work/a" 2>"$work/err"; then fail "--db took a folder"; fi
grep -q "takes a PostgreSQL target" "$work/err" || fail "--db with a folder: $(cat "$work/err")"
if "$inv" verify --db "$base/roundtrip" --data "$work/a" 2>"$work/err"; then fail "--db and --data together"; fi
grep -q "not both" "$work/err" || fail "--db with --data: $(cat "$work/err")"

# A failed move leaves the source usable and the database as it was.
# The first company of a workstation becomes its default, kept without the password.
XDG_CONFIG_HOME="$work/config-init" "$inv" init --db "$base/taken?password=not-kept" >"$work/init.log"
grep -q "taken" "$work/config-init/xbase-invoicing/local.ini" || fail "init --db did not keep the database"
if grep -q "not-kept" "$work/config-init/xbase-invoicing/local.ini"; then fail "init --db kept the password"; fi
grep -q "PGPASSWORD or ~/.pgpass" "$work/init.log" || fail "init --db did not say where the password goes"
if "$inv" migrate --data "$work/a" --to "$base/taken" 2>"$work/err"; then fail "moved into a database holding a company"; fi
grep -q "holds a company already" "$work/err" || fail "the refusal did not say why: $(cat "$work/err")"
psql -qX "$base/clash" -c "CREATE TABLE doc (x integer)"
if "$inv" migrate --data "$work/a" --to "$base/clash" 2>"$work/err"; then fail "moved over a table in the way"; fi
[ "$(psql -qXtA "$base/clash" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 1 ] ||
  fail "a failed move left tables behind"
"$inv" verify --data "$work/a" >/dev/null || fail "the folder is not usable after a failed move"
[ ! -e "$work/a/MOVED.TXT" ] || fail "a failed move marked the folder as moved"

# Into the database: the folder is marked, the database shows the same company.
"$inv" migrate --data "$work/a" --to "$base/roundtrip" >"$work/to.log"
grep -q "every record and file compared equal" "$work/to.log" || fail "no comparison reported"
if "$inv" verify --data "$work/a" 2>"$work/err"; then fail "the moved folder still opens"; fi
grep -q "moved to the database" "$work/err" || fail "the moved folder does not say where the company is"
"$inv" verify --db "$base/roundtrip" >/dev/null
snapshot --db "$base/roundtrip" >"$work/db.txt"
cmp -s "$work/original.txt" "$work/db.txt" || { diff "$work/original.txt" "$work/db.txt" | head -5 >&2; fail "the database shows other documents"; }

# And back into a new folder.
"$inv" migrate --from "$base/roundtrip" --data "$work/b" >"$work/back.log"
"$inv" verify --data "$work/b" >/dev/null || fail "verify of the folder that came back"
snapshot --data "$work/b" >"$work/back.txt"
cmp -s "$work/original.txt" "$work/back.txt" || { diff "$work/original.txt" "$work/back.txt" | head -5 >&2; fail "the folder that came back shows other documents"; }
if "$inv" verify --db "$base/roundtrip" 2>"$work/err"; then fail "the moved database still opens"; fi
grep -q "moved to the data folder" "$work/err" || fail "the moved database does not say where the company is"

# New IDs go on after the copied ones, in the original and in the folder that came back.
new_id() { "$inv" doc new --type quote --party PEETERS "$@" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
[ "$(new_id --data "$work/original")" = "$(new_id --data "$work/b")" ] || fail "the next document ID differs after the round trip"
echo "round trip: $(grep -c . "$work/original.txt") lines of documents, lines, payments and articles equal"
