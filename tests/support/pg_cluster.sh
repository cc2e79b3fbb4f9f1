#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the "district/pg:" and "e2e/pg:" tests (ctest fixture
# pg_cluster): `start DIR` runs initdb and starts the server listening only on a unix socket in
# DIR/sock; `stop DIR` stops it and removes DIR. Tests create a database each (tests/support/
# temp_dir.cpp). Without the PostgreSQL binaries it says so and exits 0: every test of the fixture
# then exits 77 (skipped), none passes. postgres refuses to run as root: as root the cluster belongs
# to the "postgres" user (or "nobody").
set -euo pipefail
action=$1
dir=$2
bin=${KIOSK_PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

owner=postgres
getent passwd postgres >/dev/null || owner=nobody

case $action in
start)
  if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "pg_cluster: no PostgreSQL 15 binaries in $bin: the PostgreSQL tests are skipped"
    exit 0
  fi
  if [ -S "$dir/sock/.s.PGSQL.5432" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    exit 0  # left running by an interrupted run: reused
  fi
  rm -rf "$dir"
  mkdir -p "$dir/sock"
  [ "$(id -u)" = 0 ] && chown -R "$owner" "$dir"
  # C collation: text sorts byte by byte, as SQLite's does (docs/postgresql.md).
  as_owner "$bin/initdb" -D "$dir/data" -U kiosk --auth=trust --locale=C --encoding=UTF8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log"; exit 1; }
  # Test settings: durability off (the tests' data is thrown away), room for every test's servers.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir/sock' -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
        -c shared_buffers=64MB" >/dev/null || { cat "$dir/server.log"; exit 1; }
  echo "pg_cluster: PostgreSQL running on $dir/sock"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg_cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac
