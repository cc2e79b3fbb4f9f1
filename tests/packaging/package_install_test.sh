#!/bin/sh
# The Debian packages as a technician meets them (docs/install.md): scripts/package builds them,
# apt-get installs them on this machine, the installed programs run from /usr/bin with their data
# found in /usr/share/commune-kiosk, a district database and a kiosk database are made under
# /var/lib as the system users, then `apt-get remove` keeps every byte of data and configuration
# and `apt-get purge` drops the configuration but still keeps the databases and the district's key.
#   package_install_test.sh SOURCE_DIR
# Runs only with KIOSK_TEST_PACKAGES=1 (scripts/test --package): it needs root, installs packages
# on the machine and takes minutes. Exit 77 (skipped) otherwise, or when the machine already holds
# a district or kiosk database (never touched by a test).
set -u
src="$1"
[ "${KIOSK_TEST_PACKAGES:-0}" = 1 ] || { echo "skipped: set KIOSK_TEST_PACKAGES=1 (scripts/test --package)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skipped: needs root (apt-get install)"; exit 77; }
command -v apt-get >/dev/null 2>&1 || { echo "skipped: no apt-get"; exit 77; }
for existing in /var/lib/commune-district/district.db /var/lib/commune-kiosk/kiosk.db; do
  [ -e "$existing" ] && { echo "skipped: $existing exists; a test never touches real data"; exit 77; }
done

failures=0
check() {  # check "what" command...: one line, ok or FAIL
  what="$1"; shift
  if "$@" >/dev/null 2>&1; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
apt() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y "$@"; }

started=$(date +%s)
debs=$("$src/scripts/package" --build "$src/build-package") || { echo "FAIL scripts/package"; exit 1; }
built=$(date +%s)
echo "packages built in $((built - started)) s:"
echo "$debs"
kiosk_deb=$(echo "$debs" | grep '/commune-kiosk_')
district_deb=$(echo "$debs" | grep '/commune-district_')
data_deb=$(echo "$debs" | grep '/commune-kiosk-data_')
[ -n "$kiosk_deb" ] && [ -n "$district_deb" ] && [ -n "$data_deb" ] || { echo "FAIL: three .deb files expected"; exit 1; }

users_before=$(getent passwd commune-district commune-kiosk | cut -d: -f1 | tr '\n' ' ')
cleanup() {
  apt purge commune-kiosk commune-district commune-kiosk-data >/dev/null 2>&1
  rm -rf /var/lib/commune-district /var/lib/commune-kiosk /etc/commune-district /etc/commune-kiosk
  for user in commune-district commune-kiosk; do
    case " $users_before " in *" $user "*) ;; *) deluser --system --quiet "$user" >/dev/null 2>&1 ;; esac
  done
}
trap cleanup EXIT

# --- install
apt install "$data_deb" "$district_deb" "$kiosk_deb" >/tmp/package-install-test.log 2>&1 ||
  { echo "FAIL apt-get install"; tail -30 /tmp/package-install-test.log; exit 1; }
installed=$(date +%s)
echo "installed in $((installed - built)) s"
check "district-server --help from /usr/bin" /usr/bin/district-server --help
check "kioskctl --help from /usr/bin" /usr/bin/kioskctl --help
check "system user commune-district" getent passwd commune-district
check "system user commune-kiosk" getent passwd commune-kiosk
check "/var/lib/commune-district is 0700 commune-district" \
  test "$(stat -c '%a %U' /var/lib/commune-district)" = "700 commune-district"
check "/etc/commune-district/keys is 0700 commune-district" \
  test "$(stat -c '%a %U' /etc/commune-district/keys)" = "700 commune-district"
check "/var/lib/commune-kiosk is 0700 commune-kiosk" \
  test "$(stat -c '%a %U' /var/lib/commune-kiosk)" = "700 commune-kiosk"
check "district.conf is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' commune-district | grep -q /etc/commune-district/district.conf"
check "kiosk.conf is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' commune-kiosk | grep -q /etc/commune-kiosk/kiosk.conf"
check "the district service is enabled" test -L /etc/systemd/system/multi-user.target.wants/commune-district.service
check "the backup timer is enabled" test -L /etc/systemd/system/timers.target.wants/commune-district-backup.timer
check "the kiosk session is not enabled before kioskctl init" \
  test ! -e /etc/systemd/system/graphical.target.wants/commune-kiosk-session.service

# The installed programs find their data in /usr/share without a flag: enroll-kiosk reads the units.
token=$(runuser -u commune-district -- /usr/bin/district-server enroll-kiosk \
  --db /var/lib/commune-district/district.db --key-file /etc/commune-district/keys/district.keys \
  --commune 02374 2>/tmp/package-install-test.err)
check "enroll-kiosk as commune-district prints a token" sh -c "echo '$token' | grep -Eq '^[0-9a-f]{64}$'"
check "the district key file is 0600 commune-district" \
  test "$(stat -c '%a %U' /etc/commune-district/keys/district.keys)" = "600 commune-district"
check "backup as commune-district" runuser -u commune-district -- /usr/bin/district-server backup \
  --db /var/lib/commune-district/district.db --out /var/lib/commune-district/backups --keep 14
check "kioskctl init as commune-kiosk" runuser -u commune-kiosk -- /usr/bin/kioskctl \
  --db /var/lib/commune-kiosk/kiosk.db init --commune 02374
check "kioskctl submit-petition as commune-kiosk" runuser -u commune-kiosk -- /usr/bin/kioskctl \
  --db /var/lib/commune-kiosk/kiosk.db submit-petition --type kien-nghi --phone 0912345678 \
  --content "Đề nghị sửa đường liên thôn."
data_sums() {
  find /var/lib/commune-district /var/lib/commune-kiosk /etc/commune-district/keys -type f \
    -name '*.db' -o -type f -name '*.keys' | sort | xargs sha256sum
}
before=$(data_sums)
echo "$before" | sed 's/^/     data: /'

# --- remove: programs gone, every byte of data and configuration kept
apt remove commune-kiosk commune-district commune-kiosk-data >>/tmp/package-install-test.log 2>&1 ||
  echo "FAIL apt-get remove"
check "remove: /usr/bin/district-server is gone" test ! -e /usr/bin/district-server
check "remove: the databases and the key file are unchanged" test "$(data_sums)" = "$before"
check "remove: /etc/commune-district/district.conf is kept" test -f /etc/commune-district/district.conf

# --- purge: configuration gone; databases, key file and users kept (docs/install.md)
apt purge commune-kiosk commune-district commune-kiosk-data >>/tmp/package-install-test.log 2>&1 ||
  echo "FAIL apt-get purge"
check "purge: /etc/commune-district/district.conf is gone" test ! -e /etc/commune-district/district.conf
check "purge: /etc/commune-kiosk/kiosk.conf is gone" test ! -e /etc/commune-kiosk/kiosk.conf
check "purge: the databases and the key file are unchanged" test "$(data_sums)" = "$before"
check "purge: the backups are kept" sh -c "ls /var/lib/commune-district/backups/district-*.db"
check "purge: the system users are kept" getent passwd commune-district commune-kiosk
echo "install, checks, remove and purge in $(( $(date +%s) - built )) s"
[ "$failures" = 0 ]
