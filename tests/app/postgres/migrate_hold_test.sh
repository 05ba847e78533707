#!/usr/bin/env bash
# Nobody works in a company while `invoicing migrate` moves it (run under with_postgres.sh):
# the source is held for the whole move, not only checked at its start. A move is stopped at
# its last step (INVOICING_TEST_PAUSE_AT, after the copy was compared) while a second program
# starts: it is told the company is being moved, and a second move is refused; the move then
# ends as usual. Both directions: folder -> database (MOVING.LCK locked) and database ->
# folder (a session advisory lock). A move killed there leaves the folder usable, the database
# refusing work, and the move can be done again.
set -euo pipefail
inv="$1"
pid=""
on_exit() { [ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; }
source "$(dirname "$0")/pg_test_begin.sh"
pg_test_begin held killed other
"$inv" init "$work/firma" --company "Bakkerij Peeters" >/dev/null
"$inv" customer add --code PEETERS --name "Bakkerij Peeters" --data "$work/firma" >/dev/null
cp -a "$work/firma" "$work/firma-kill"

# Starts a move in the background, stopped at its last step; returns when it got there.
paused_move() {
  rm -f "$work/paused"
  INVOICING_TEST_PAUSE_AT=migrate-compared INVOICING_TEST_PAUSE_FILE="$work/paused" \
    "$inv" migrate "$@" >"$work/move.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    [ -e "$work/paused" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "the move ended before its pause: $(cat "$work/move.log")"
    sleep 0.1
  done
  fail "the move did not reach its pause"
}
finish_move() {
  rm -f "$work/paused"
  wait "$pid" || fail "the move failed: $(cat "$work/move.log")"
  pid=""
}

# Folder -> database.
paused_move --data "$work/firma" --to "$base/held"
if "$inv" customer list --data "$work/firma" 2>"$work/err"; then fail "a program worked in the folder while it moved"; fi
grep -q "is being moved (to the database .*held by " "$work/err" || fail "no 'being moved': $(cat "$work/err")"
if "$inv" migrate --data "$work/firma" --to "$base/other" 2>"$work/err"; then fail "a second move of the folder ran"; fi
grep -q "being moved already" "$work/err" || fail "the second move: $(cat "$work/err")"
finish_move
grep -q "every record and file compared equal" "$work/move.log" || fail "the move did not end as usual"
[ ! -e "$work/firma/MOVING.LCK" ] || fail "the move left MOVING.LCK"
if "$inv" customer list --data "$work/firma" 2>"$work/err"; then fail "the moved folder opens"; fi
grep -q "moved to the database" "$work/err" || fail "after the move: $(cat "$work/err")"

# Database -> folder.
paused_move --from "$base/held" --data "$work/back"
if "$inv" customer list --db "$base/held" 2>"$work/err"; then fail "a program worked in the database while it moved"; fi
grep -q "is being moved to a data folder" "$work/err" || fail "no 'being moved' from the database: $(cat "$work/err")"
if "$inv" migrate --from "$base/held" --data "$work/back2" 2>"$work/err"; then fail "a second move of the database ran"; fi
grep -q "being moved already" "$work/err" || fail "the second move of the database: $(cat "$work/err")"
finish_move
"$inv" customer list --data "$work/back" --json >"$work/back.json"
grep -q PEETERS "$work/back.json" || fail "the company did not come back"
if "$inv" customer list --db "$base/held" 2>"$work/err"; then fail "the moved database opens"; fi
grep -q "moved to the data folder" "$work/err" || fail "after the move back: $(cat "$work/err")"

# A move killed while it held the folder: the folder is usable, not "being moved".
paused_move --data "$work/firma-kill" --to "$base/killed"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=""
"$inv" customer list --data "$work/firma-kill" >/dev/null 2>"$work/err" || fail "the folder of a killed move: $(cat "$work/err")"
"$inv" verify --data "$work/firma-kill" >/dev/null || fail "verify after a killed move"
# The database it had filled sends a program to the folder (was: opened as a second copy of the
# company), and the move done again replaces it (was: "holds a company already").
if "$inv" customer list --db "$base/killed" 2>"$work/err"; then fail "the database of a killed move opens"; fi
grep -q "is being moved here from the data folder .*firma-kill, or that move was stopped" "$work/err" ||
  fail "the database of a killed move: $(cat "$work/err")"
if "$inv" migrate --data "$work/firma" --to "$base/killed" 2>"$work/err"; then fail "another folder moved into it"; fi
"$inv" migrate --data "$work/firma-kill" --to "$base/killed" >"$work/again.log" 2>&1 ||
  fail "the killed move done again: $(cat "$work/again.log")"
"$inv" customer list --db "$base/killed" --json | grep -q PEETERS || fail "the company after the move done again"
echo "migrate holds the folder and the database for the whole move; a killed move holds nothing"
