#!/usr/bin/env bash
# Many workstations at once on one data folder, in both numbering modes: 4 processes x 250
# documents (quotes, orders, delivery notes, invoices, credit notes, random cancels), while
# processes are killed with SIGKILL at random moments and started again. Afterwards
# `invoicing verify`: numbers per type and fiscal year 1..n without gap or duplicate (drafts
# holding a reserved number and the FREE list count in multi-user numbering), numbers in date
# order (a given-back number goes only to a document whose date fits between its neighbours),
# stock equals the sum of its moves, conversions once, credit notes within their invoice, open
# items that add up, every table and tag passes xbase check. Then the seats: with the Basic
# edition's 3 seats a fourth program is refused, and a killed one frees its seat.
# Usage: numbering_stress.sh INVOICING [DOCS_PER_PROCESS [LICENCE_ISSUER TEST_SECRET_KEY]]
# (the demo company runs as Pro; the seats need a Basic licence signed with the test key)
# With INVOICING_TEST_PG set (tests/app/postgres/with_postgres.sh) the same runs on PostgreSQL:
# the seeded company is moved into a database of its own (`invoicing migrate`) and the workers
# use --db; the seats part is store_postgres_test's there. With STRESS_RESTART_SERVER=1 as well,
# the server is restarted (pg_ctl restart -m fast: every session ended, running transactions
# rolled back) while the workers run, twice per mode: they reconnect and go on, and verify still
# finds every number once.
set -euo pipefail
bin=$1
per=${2:-250}
issuer=${3:-}
key=${4:-}
root=$(mktemp -d)
export XDG_CONFIG_HOME="$root/config"  # local settings of these "workstations", not the user's
# A failing run keeps its folder (the data, the workers' errors) and says where: the output of
# earlier failures was lost with it.
trap 'rc=$?; kill -9 $(jobs -p) 2>/dev/null || true
      if [ "$rc" = 0 ]; then rm -rf "$root"; else echo "failed (exit $rc): the folder is kept in $root"; fi' EXIT

restart_server() {
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "${INVOICING_TEST_PG_DATA:?}" -m fast -w -t 60 restart >/dev/null
}

# Waits (30 s at most) until the database has COUNT sessions besides this check's own.
wait_for_sessions() {
  local target=$1 count=$2 n
  for _ in $(seq 300); do
    n=$(psql -qXAt "$target" -c "SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = current_database()")
    [ "$n" -ge "$count" ] && return 0
    sleep 0.1
  done
  echo "only $n sessions on $target after 30 s"
}

run_mode() {
  local mode=$1 dir="$root/$1" kills=0 restarts=0
  rm -f "$root"/w*.out
  # Customers and stocked articles for the workers (the demo company's, which runs as Pro).
  "$bin" demo --data "$dir.seed" --workstations 1 --docs 1 >/dev/null
  rm -rf "$dir"
  local where=(--data "$dir")
  if [ -n "${INVOICING_TEST_PG:-}" ]; then
    psql -qX "$INVOICING_TEST_PG" -c "CREATE DATABASE stress_$mode"
    where=(--db "${INVOICING_TEST_PG%/*}/stress_$mode")
    "$bin" migrate --data "$dir.seed" --to "${where[1]}" >/dev/null
  else
    mv "$dir.seed" "$dir"
  fi
  "$bin" numbering mode "$mode" "${where[@]}" >/dev/null
  declare -A pids
  for w in 1 2 3 4; do
    "$bin" work "${where[@]}" --user "w$w" --workstation "PC-$w" --docs "$per" --seed "$w$RANDOM" >>"$root/w$w.out" 2>"$root/w$w.err" &
    pids[$w]=$!
  done
  # Kill a random running worker now and then; start it again with a shorter run.
  for k in $(seq 1 8); do
    sleep "0.$(( 2 + RANDOM % 6 ))"
    if [ "${STRESS_RESTART_SERVER:-}" = 1 ] && { [ "$k" = 1 ] || [ "$k" = 3 ]; }; then
      # Only a restart that meets connected workers tests anything: on a loaded machine they
      # may still be starting (and the check below failed with "no worker lost an action").
      [ "$k" != 1 ] || wait_for_sessions "${where[1]}" 4
      restart_server
      restarts=$((restarts + 1))
      continue
    fi
    w=$(( 1 + RANDOM % 4 ))
    if kill -0 "${pids[$w]}" 2>/dev/null; then
      kill -9 "${pids[$w]}" 2>/dev/null || true
      wait "${pids[$w]}" 2>/dev/null || true
      kills=$((kills + 1))
      "$bin" work "${where[@]}" --user "w$w" --workstation "PC-$w" --docs $((per / 4)) --seed "$w$RANDOM" >>"$root/w$w.out" 2>"$root/w$w.err" &
      pids[$w]=$!
    fi
  done
  local failed=0
  for w in 1 2 3 4; do
    if ! wait "${pids[$w]}"; then failed=1; echo "worker $w failed:"; cat "$root/w$w.err"; fi
  done
  [ "$failed" = 0 ] || exit 1
  if ! out=$("$bin" verify "${where[@]}"); then
    echo "$mode: verify failed after $kills kills:"; echo "$out"; exit 1
  fi
  [ "${STRESS_RESTART_SERVER:-}" != 1 ] || grep -qE "[1-9][0-9]* lost with the connection" "$root"/w*.out ||
    { echo "$mode: no worker lost an action to a restart"; cat "$root"/w*.out; exit 1; }
  echo "$mode numbering: $kills SIGKILLs, $restarts server restarts; $("$bin" doc list "${where[@]}" --json | grep -o '"status":"final"' | wc -l) final documents; $out"
}

run_mode serialized
run_mode multiuser

# Seats: 3 in the Basic edition (the demo data in a company with a Basic licence).
[ -n "$issuer" ] || { echo "seats not tested: no licence issuer given"; exit 0; }
[ -z "${INVOICING_TEST_PG:-}" ] || { echo "seats on PostgreSQL: see store_postgres_test"; exit 0; }
dir="$root/basic"
"$issuer" issue --key "$key" --licensee "Seats test" --vat BE0431115213 --edition basic \
  --updates-until 2099-12-31 --out "$root/basic.lic" 2>/dev/null
"$bin" init "$dir" --demo --licence "$root/basic.lic" >/dev/null
for w in 1 2 3; do
  "$bin" work --data "$dir" --user "s$w" --workstation "PC-$w" --docs 1000000 >/dev/null 2>"$root/s$w.err" &
  eval "seat$w=$!"
done
# Wait (30 s at most) until the three hold their seats: a fixed pause lets a fourth program in
# on a loaded machine, where a worker may not have opened the company yet.
held=0
for _ in $(seq 300); do
  held=$("$bin" seats --data "$dir" --json | { grep -o '"seat [0-9]*:' || true; } | wc -l)
  [ "$held" -ge 3 ] && break
  sleep 0.1
done
for w in 1 2 3; do
  eval "p=\$seat$w"
  kill -0 "$p" 2>/dev/null || { echo "seat worker s$w ended early:"; cat "$root/s$w.err"; exit 1; }
done
[ "$held" -ge 3 ] || { echo "only $held of 3 seats taken after 30 s"; exit 1; }
if "$bin" customer list --data "$dir" --user s4 2>"$root/refused.txt" >/dev/null; then
  echo "a fourth program got one of 3 seats"; exit 1
fi
grep -q "all 3 seats of the Basic edition are in use" "$root/refused.txt" || { cat "$root/refused.txt"; exit 1; }
kill -9 "$seat2"; wait "$seat2" 2>/dev/null || true
"$bin" customer list --data "$dir" --user s4 >/dev/null
echo "seats: the fourth program was refused ($(head -c 120 "$root/refused.txt")...), and got a seat once one was killed"
