#!/bin/bash
# The Patroni layout (scripts/ha-cluster, packaging/postgresql/patroni.yml's settings) loses no
# acknowledged commit when the primary dies: three writers insert through the multi-host URI
# (target_session_attrs=read-write), each row once by its key as a kiosk's events are (a retry after
# an error is idempotent: ON CONFLICT DO NOTHING); the primary's postmaster is SIGKILLed; the
# writers must be acknowledged again within 30 s of the kill, and every row any of them was told
# was committed must be on the new primary exactly once. Then the old primary must come back as
# the synchronous standby.
#   postgresql_failover_test.sh SOURCE_DIR
# Runs only with KIOSK_TEST_HA=1 (scripts/test --ha, .ci/run): about 50 s, mostly waiting on
# Patroni. Exit 77 (skipped) otherwise, or without patroni, etcd or PostgreSQL 15.
set -u
src="$1"
[ "${KIOSK_TEST_HA:-0}" = 1 ] || { echo "skipped: set KIOSK_TEST_HA=1 (scripts/test --ha)"; exit 77; }
started=$(date +%s.%N)
dir=$(mktemp -d /tmp/failover.XXXXXX)
chmod 755 "$dir"
cleanup() {
  for pid in "${writers[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  [ -f "$dir/ha/cluster.json" ] && "$src/scripts/ha-cluster" stop "$dir/ha" >/dev/null 2>&1
  rm -rf "$dir"
}
writers=()
trap cleanup EXIT
fail() {
  echo "FAIL $*"
  "$src/scripts/ha-cluster" status "$dir/ha" 2>&1
  for f in "$dir"/writer-*.err; do [ -s "$f" ] && { echo "--- $f"; tail -5 "$f"; }; done
  for f in "$dir"/ha/node*/patroni.log; do [ -f "$f" ] && { echo "--- $f"; tail -15 "$f"; }; done
  exit 1
}
"$src/scripts/ha-cluster" start "$dir/ha" >"$dir/env" 2>"$dir/start.err"
rc=$?
[ $rc = 77 ] && { echo "skipped: $(cat "$dir/start.err")"; exit 77; }
[ $rc = 0 ] || fail "ha-cluster start: $(cat "$dir/start.err")"
. "$dir/env"
up=$(date +%s.%N)
psql -XAtq -v ON_ERROR_STOP=1 "$HA_URI" -c "CREATE TABLE pushed (writer INT NOT NULL, seq INT NOT NULL,
  PRIMARY KEY (writer, seq))" || fail "create table"

# A writer: one row per commit; after each acknowledged commit its seq goes into writer-N.acked with
# the times the attempt began and was acknowledged. An error (the primary gone) is retried with the
# same seq until acknowledged.
writer() {
  local n=$1 seq=1 began
  while [ ! -f "$dir/stop" ]; do
    began=$(date +%s.%N)
    if psql -XAtq -v ON_ERROR_STOP=1 "$HA_URI" \
         -c "INSERT INTO pushed VALUES ($n, $seq) ON CONFLICT DO NOTHING" >/dev/null 2>>"$dir/writer-$n.err"; then
      echo "$seq $began $(date +%s.%N)" >>"$dir/writer-$n.acked"
      seq=$((seq + 1))
    else
      sleep 0.2
    fi
  done
}
for n in 1 2 3; do
  writer "$n" &
  writers+=($!)
done
acked() { [ -f "$dir/writer-$1.acked" ] && wc -l <"$dir/writer-$1.acked" || echo 0; }
for _ in $(seq 1 100); do
  [ "$(acked 1)" -ge 20 ] && [ "$(acked 2)" -ge 20 ] && [ "$(acked 3)" -ge 20 ] && break
  sleep 0.1
done
old=$("$src/scripts/ha-cluster" kill-primary "$dir/ha") || fail "kill-primary"
killed_at=$(date +%s.%N)
# Each writer is acknowledged again, for a commit begun after the kill, within 30 s of it.
worst=0
for n in 1 2 3; do
  resumed=""
  for _ in $(seq 1 300); do
    resumed=$(awk -v k="$killed_at" '$2 > k { print $3 - k; exit }' "$dir/writer-$n.acked")
    [ -n "$resumed" ] && break
    sleep 0.1
  done
  [ -n "$resumed" ] || fail "writer $n was not acknowledged within 30 s of the kill"
  worst=$(echo "if ($resumed > $worst) $resumed else $worst" | bc)
done
sleep 1  # a few commits on the new primary
touch "$dir/stop"
wait "${writers[@]}"
writers=()
new=$("$src/scripts/ha-cluster" wait-primary "$dir/ha" --not "$old" --timeout 60) ||
  fail "no new primary with its synchronous standby"
back=$(date +%s.%N)

# Every acknowledged row is there exactly once (the key forbids doubles; lost rows are missing).
for n in 1 2 3; do
  want=$(awk '{ print $1 }' "$dir/writer-$n.acked" | sort -n | tr '\n' ' ')
  have=$(psql -XAtq "$HA_URI" -c "SELECT seq FROM pushed WHERE writer = $n ORDER BY seq" | tr '\n' ' ')
  missing=$(comm -23 <(tr ' ' '\n' <<<"$want" | sort) <(tr ' ' '\n' <<<"$have" | sort) | tr '\n' ' ')
  [ -z "${missing// /}" ] || fail "writer $n: acknowledged rows lost in the failover: $missing"
  echo "ok   writer $n: $(acked "$n") acknowledged rows, all on the new primary"
done
"$src/scripts/ha-cluster" status "$dir/ha"
stop_at=$(date +%s.%N)
"$src/scripts/ha-cluster" stop "$dir/ha" || fail "ha-cluster stop"
end=$(date +%s.%N)
printf 'ok   %s killed, %s primary; every writer acknowledged again after %.1f s (worst); ' "$old" "$new" "$worst"
printf 'synchronous standby back after %.1f s\n' "$(echo "$back - $killed_at" | bc)"
printf 'ok   cluster start %.1f s, stop %.1f s, the whole test %.1f s\n' "$(echo "$up - $started" | bc)" \
  "$(echo "$end - $stop_at" | bc)" "$(echo "$end - $started" | bc)"
