# Sourced by the test scripts that run under with_postgres.sh. `pg_test_begin DB...` makes a
# temporary folder $work (removed at exit, after the script's own `on_exit` when it defines one),
# private settings and a fixed date, sets $server (the "postgres" database) and $base (to name
# other databases: "$base/NAME"), and creates the databases named.
fail() { echo "FAIL: $*" >&2; exit 1; }
pg_test_begin() {
  work=$(mktemp -d)
  trap 'declare -F on_exit >/dev/null && on_exit; rm -rf "$work"' EXIT
  export XDG_CONFIG_HOME="$work/config" INVOICING_TODAY=2026-06-15
  server="${INVOICING_TEST_PG:?run under with_postgres.sh}"
  base="${server%/*}"
  local create=() db
  for db in "$@"; do create+=(-c "CREATE DATABASE $db"); done
  [ $# = 0 ] || psql -qX "$server" "${create[@]}"
}
