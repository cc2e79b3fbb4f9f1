#!/bin/bash
# The shipped PostgreSQL backup configuration (packaging/postgresql/) restores the district's data
# to a point in time: a real PostgreSQL 15 archiving through pgBackRest with the shipped
# archive.conf and pgbackrest.conf (only paths and the port rewritten to a temporary directory),
# district tables filled, a full backup, more pushes, a time noted, more pushes; then
# `pgbackrest restore --type=time` to that time must give back exactly the rows committed before it
# (compared row by row through a digest), none after. The shipped patroni.yml must also pass
# `patroni --validate-config` (its listen addresses moved to free loopback ports).
#   postgresql_pitr_test.sh SOURCE_DIR
# Exit 77 (skipped) without PostgreSQL 15 or pgBackRest. As root, PostgreSQL runs as postgres.
set -u
src="$1"
pgbin=/usr/lib/postgresql/15/bin
[ -x "$pgbin/postgres" ] || { echo "skipped: no PostgreSQL 15 (scripts/setup)"; exit 77; }
command -v pgbackrest >/dev/null 2>&1 || { echo "skipped: no pgbackrest (scripts/setup)"; exit 77; }
started=$(date +%s.%N)
dir=$(mktemp -d /tmp/pitr.XXXXXX)
chmod 755 "$dir"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "FAIL $*"
  for log in "$dir"/postgres.log "$dir"/log/*.log; do
    [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; }
  done
  exit 1
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$dir/repo" "$dir/log" "$dir/lock"
sed -e "s#^repo1-path=.*#repo1-path=$dir/repo#" -e "s#^log-path=.*#log-path=$dir/log#" \
    -e "s#^lock-path=.*#lock-path=$dir/lock#" -e "s#^pg1-path=.*#pg1-path=$dir/data#" \
    -e "s#^pg1-port=.*#pg1-port=$port#" -e "s#^pg1-socket-path=.*#pg1-socket-path=$dir#" \
    "$src/packaging/postgresql/pgbackrest.conf" >"$dir/pgbackrest.conf"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
# PostgreSQL's archive_command and the commands below find the configuration through this variable,
# so the shipped archive_command runs unchanged.
export PGBACKREST_CONFIG="$dir/pgbackrest.conf"
pgb() { as_pg env PGBACKREST_CONFIG="$dir/pgbackrest.conf" pgbackrest --stanza=district "$@"; }
sql() { as_pg psql -XAtq -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -d district -c "$1"; }

as_pg "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  fail "initdb: $(tail -3 "$dir/initdb.log")"
{
  cat "$src/packaging/postgresql/archive.conf"
  echo "port = $port"
  echo "listen_addresses = '127.0.0.1'"
  echo "unix_socket_directories = '$dir'"
} >>"$dir/data/postgresql.conf"
pg_start() { as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null || fail "PostgreSQL did not start"; }
pg_start
as_pg psql -XAtq -h "$dir" -p "$port" -d postgres -c "CREATE DATABASE district" >/dev/null || fail "CREATE DATABASE"
pgb stanza-create >/dev/null || fail "pgbackrest stanza-create"
pgb check >/dev/null || fail "pgbackrest check (the shipped archive_command does not archive)"

# The district's tables: a stand-in of its event table (a kiosk's events by uuid, seq, time in ms,
# JSON payload).
sql "CREATE TABLE IF NOT EXISTS pitr_events (uuid TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL,
     seq BIGINT NOT NULL, received_at_ms BIGINT NOT NULL, payload TEXT NOT NULL, UNIQUE (kiosk_id, seq))" ||
  fail "create table"
table=pitr_events
push() {  # push BATCH FROM TO: events FROM..TO of three kiosks, one transaction per kiosk
  for kiosk in k1 k2 k3; do
    sql "INSERT INTO $table (uuid, kiosk_id, seq, received_at_ms, payload)
         SELECT '$1-$kiosk-' || s, '$kiosk', s, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT,
                '{\"batch\":\"$1\",\"content\":\"Phản ánh đường liên thôn số ' || s || '\"}'
         FROM generate_series($2, $3) AS s" || fail "push $1"
  done
}
digest() { sql "SELECT count(*) || ' ' || md5(COALESCE(string_agg(uuid || '|' || kiosk_id || '|' || seq || '|' ||
                 received_at_ms || '|' || payload, ',' ORDER BY uuid), '')) FROM $table"; }

push before-backup 1 200
pgb --type=full backup >"$dir/backup.log" 2>&1 || fail "pgbackrest backup: $(tail -5 "$dir/backup.log")"
push after-backup 201 400
expected=$(digest)
# pgBackRest keeps a backup's stop time to the second and picks a backup whose stop time is before
# the target's whole second: a target in the same second as the backup's end finds none.
sleep 1.1
# The point to restore to: after every commit above (the server's own clock, which stamps commits).
target=$(sql "SELECT to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS.US') || to_char(clock_timestamp(), 'TZH')")
push after-target 401 600
sql "UPDATE $table SET payload = 'changed after the target' WHERE seq = 7" || fail "update"
after=$(digest)
[ "$expected" != "$after" ] || fail "the rows after the target changed nothing"
# Every segment up to now must be in the repository before the primary is "lost".
sql "SELECT pg_switch_wal()" >/dev/null
pgb check >/dev/null || fail "pgbackrest check after the pushes"
as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || fail "stop"

restore_started=$(date +%s.%N)
pgb --delta --type=time "--target=$target" --target-action=promote restore >"$dir/restore.log" 2>&1 ||
  fail "pgbackrest restore: $(tail -5 "$dir/restore.log")"
pg_start
for _ in $(seq 1 300); do
  [ "$(sql 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
  sleep 0.1
done
[ "$(sql 'SELECT pg_is_in_recovery()')" = f ] || fail "the restored cluster stayed in recovery"
restored=$(digest)
restore_s=$(echo "$(date +%s.%N) - $restore_started" | bc)
echo "at the target: $expected"
echo "restored:      $restored"
[ "$restored" = "$expected" ] || fail "the restored rows are not those committed before $target"
[ "$(sql "SELECT count(*) FROM $table WHERE uuid LIKE 'after-target-%'")" = 0 ] || fail "rows after the target came back"
# The restored cluster takes writes and archives them on a new timeline.
push after-restore 601 610
pgb check >/dev/null || fail "pgbackrest check on the restored cluster"

# The shipped Patroni configuration is one Patroni 3.0 accepts.
if command -v patroni >/dev/null 2>&1; then
  ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
  set -- $ports
  sed -e "s#^  listen: 10.0.0.11:8008 #  listen: 127.0.0.1:$1 #" -e "s#^  listen: 10.0.0.11:5432 #  listen: 127.0.0.1:$2 #" \
      "$src/packaging/postgresql/patroni.yml" >"$dir/patroni.yml"
  out=$(patroni --validate-config "$dir/patroni.yml" 2>&1) || fail "patroni --validate-config: $out"
  echo "ok   patroni.yml passes patroni --validate-config"
fi
echo "ok   restored to $target in $restore_s s; took $(echo "$(date +%s.%N) - $started" | bc) s in all"
