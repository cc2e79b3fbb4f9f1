#!/bin/sh
# The systemd units the packages install (packaging/) pass `systemd-analyze verify` with nothing to
# say: no unknown key, no bad value, no missing program. The programs are pointed at this build's
# (and cage at /bin/true where cage is not installed); everything else is the file as shipped.
#   units_verify_test.sh SOURCE_DIR BIN_DIR
# Exit 77 (skipped) without systemd-analyze.
set -u
src="$1"
bin="$2"
command -v systemd-analyze >/dev/null 2>&1 || { echo "skipped: no systemd-analyze"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cage=/usr/bin/cage
[ -x "$cage" ] || cage=/bin/true
for name in district/commune-district.service district/commune-district-backup.service \
            district/commune-district-backup.timer kiosk/commune-kiosk-session.service; do
  unit="$src/packaging/$name"
  [ -f "$unit" ] || { echo "FAIL missing $unit"; exit 1; }
  sed -e "s#/usr/bin/district-server#$bin/district-server#g" \
      -e "s#/usr/bin/cage#$cage#g" \
      -e "s#/usr/lib/commune-kiosk/kiosk-session#$src/packaging/kiosk/kiosk-session#g" \
      "$unit" >"$dir/$(basename "$unit")"
done
status=0
for unit in "$dir"/*; do
  out=$(cd "$dir" && systemd-analyze verify --man=no "$unit" 2>&1)
  rc=$?
  if [ $rc -ne 0 ] || [ -n "$out" ]; then
    echo "FAIL $(basename "$unit") (exit $rc):"
    echo "$out"
    status=1
  else
    echo "ok   $(basename "$unit")"
  fi
done
exit $status
