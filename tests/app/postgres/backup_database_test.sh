#!/usr/bin/env bash
# `invoicing backup` and `restore` on a company in PostgreSQL (run under with_postgres.sh): the
# backup of a database is the same ZIP a data folder gives (tables as of one moment, manifest);
# it restores into a new database and into a data folder, both passing `verify` with the same
# documents; a database that holds a company is never replaced; --append adds another company's
# backup to it (store/merge), and refuses clashing numbers with nothing changed.
set -euo pipefail
inv="$1"
source "$(dirname "$0")/pg_test_begin.sh"
pg_test_begin src back empty
"$inv" demo --db "$base/src" --workstations 2 --docs 5 >/dev/null
"$inv" backup --db "$base/src" --to "$work/backups" >"$work/backup.log" || fail "backup: $(cat "$work/backup.log")"
zip=$(ls "$work"/backups/*.zip)
[ "$(ls "$work"/backups/*.zip | wc -l)" = 1 ] || fail "not one backup"
# The listing in a file: `grep -q` ending a pipe early would fail it under pipefail (SIGPIPE).
unzip -Z1 "$zip" >"$work/zip.txt"
grep -qx "DOC.DBF" "$work/zip.txt" || fail "the backup holds no DOC.DBF"
unzip -p "$zip" manifest.json | python3 -c 'import json,sys; m=json.load(sys.stdin); assert m["tables"]["DOC"] > 0, m' ||
  fail "the manifest counts no documents"
snapshot() { "$inv" doc list "$@" --json; "$inv" payment list "$@" --json; "$inv" article list "$@" --json; }
snapshot --db "$base/src" >"$work/src.txt"
# Into a new database, and into a folder: the same company.
"$inv" restore "$zip" --db "$base/back" >"$work/restore.log" || fail "restore into a database: $(cat "$work/restore.log")"
grep -q "moved into the database" "$work/restore.log" || fail "no comparison said: $(cat "$work/restore.log")"
"$inv" verify --db "$base/back" >/dev/null || fail "verify of the restored database"
snapshot --db "$base/back" >"$work/back.txt"
cmp -s "$work/src.txt" "$work/back.txt" || fail "the restored database differs: $(diff "$work/src.txt" "$work/back.txt" | head -5)"
"$inv" restore "$zip" --data "$work/folder" >/dev/null || fail "restore into a folder"
"$inv" verify --data "$work/folder" >/dev/null || fail "verify of the restored folder"
snapshot --data "$work/folder" >"$work/folder.txt"
cmp -s "$work/src.txt" "$work/folder.txt" || fail "the restored folder differs"
# Never over a company, never appended into a database.
if "$inv" restore "$zip" --db "$base/src" 2>"$work/err"; then fail "restored over a company"; fi
grep -q "holds a company already" "$work/err" || fail "over a company: $(cat "$work/err")"
snapshot --db "$base/src" | cmp -s - "$work/src.txt" || fail "the refused restore changed the company"
# Added (--append) to a company in a database: the same backup again clashes on its invoice
# numbers and is refused with nothing changed; another company's backup is added, as into a folder.
if "$inv" restore "$zip" --mode append --db "$base/back" >"$work/out" 2>"$work/err"; then fail "appended clashing numbers"; fi
grep -q "nothing was changed" "$work/err" || fail "the clashing append: $(cat "$work/err")"
snapshot --db "$base/back" | cmp -s - "$work/src.txt" || fail "the refused append changed the database"
if "$inv" restore "$zip" --mode append --db "$base/empty" 2>"$work/err"; then fail "appended into an empty database"; fi
grep -q "holds no company" "$work/err" || fail "append into an empty database: $(cat "$work/err")"
"$inv" init "$work/other" --company "Ander Bedrijf" >/dev/null
"$inv" customer add --code NIEUW --name "Nieuwe Klant" --data "$work/other" >/dev/null
"$inv" customer add --code PEETERS --name "Bakkerij Peeters" --data "$work/other" >/dev/null
"$inv" doc new --type quote --party NIEUW --data "$work/other" >/dev/null
# Finalized by a user the database does not know: its audit entry is attributed to whoever
# appends, the original name kept once in front of its text.
"$inv" doc add-line 1 --text Werk --qty 1 --price 10 --data "$work/other" >/dev/null
"$inv" doc finalize 1 --user anna --data "$work/other" >/dev/null
"$inv" backup --data "$work/other" --to "$work/other-backups" >/dev/null
other_zip=$(ls "$work"/other-backups/*.zip)
docs_before=$("$inv" doc list --db "$base/back" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$inv" restore "$other_zip" --mode append --dry-run --db "$base/back" >"$work/dry.log" || fail "append dry run: $(cat "$work/dry.log")"
snapshot --db "$base/back" | cmp -s - "$work/src.txt" || fail "the dry run changed the database"
"$inv" restore "$other_zip" --mode append --db "$base/back" --user bert >"$work/append.log" || fail "append: $(cat "$work/append.log")"
psql -qXAt "$base/back" -c "SELECT username || '|' || text FROM audit WHERE text LIKE '%anna on %'" >"$work/audit.txt"
grep -Eqx "bert\|\[anna on [^]]+\] quote [0-9]+/1 total 12\.10" "$work/audit.txt" ||
  fail "the appended audit entry (one, attributed to bert, anna's name once in front): $(cat "$work/audit.txt")"
# Its PEETERS is another one than the database's (other name): added under a suffix, as into a folder.
grep -q "^added: .*2 customers, 1 documents" "$work/append.log" || fail "the append report: $(cat "$work/append.log")"
grep -q "added as PEETERS-2" "$work/append.log" || fail "the clashing code was not named: $(cat "$work/append.log")"
"$inv" customer list --db "$base/back" --json >"$work/customers.json"
grep -q "Nieuwe Klant" "$work/customers.json" || fail "the appended customer is not in the database"
docs_after=$("$inv" doc list --db "$base/back" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$docs_after" = $((docs_before + 1)) ] || fail "documents $docs_before -> $docs_after, not one more"
"$inv" verify --db "$base/back" >/dev/null || fail "verify after the append"
echo "backup of a database restored into a database and a folder, another appended; refusals as expected"
