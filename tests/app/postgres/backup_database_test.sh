#!/usr/bin/env bash
# `invoicing backup` and `restore` on a company in PostgreSQL (run under with_postgres.sh): the
# backup of a database is the same ZIP a data folder gives (tables as of one moment, manifest);
# it restores into a new database and into a data folder, both passing `verify` with the same
# documents; a database that holds a company is never replaced, and --append is refused there.
set -euo pipefail
inv="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" INVOICING_TODAY=2026-06-15
server="${INVOICING_TEST_PG:?run under with_postgres.sh}"
base="${server%/*}"
fail() { echo "FAIL: $*" >&2; exit 1; }
psql -qX "$server" -c "CREATE DATABASE src" -c "CREATE DATABASE back"
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
if "$inv" restore "$zip" --mode append --db "$base/back" 2>"$work/err"; then fail "appended into a database"; fi
grep -q "added (--append) to a company in a data folder only" "$work/err" || fail "append: $(cat "$work/err")"
snapshot --db "$base/src" | cmp -s - "$work/src.txt" || fail "the refused restore changed the company"
echo "backup of a database restored into a database and a folder; refusals as expected"
