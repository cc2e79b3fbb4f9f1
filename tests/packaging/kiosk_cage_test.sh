#!/bin/sh
# The kiosk inside cage, as commune-kiosk-session.service runs it, on cage's headless backend (no
# screen, no GPU: wlroots' pixman renderer, Xwayland for the kiosk's GLFW window): the kiosk starts,
# draws its home screen (its own --screenshot has content) in a frame exactly the size of cage's
# output, as grim measures it — full screen, nothing else on it. grim's photograph goes to
# ARTIFACT_DIR/cage-home.png; on this headless backend (cage 0.1.4, wlroots 0.15) it comes out
# black ("Basic output test failed for HEADLESS-1" in cage's log), so its pixels are not judged.
#   kiosk_cage_test.sh SOURCE_DIR BIN_DIR ARTIFACT_DIR
# cage refuses to run as root, so as root the test runs it as nobody. Exit 77 (skipped) without
# cage, Xwayland, grim or identify.
set -u
src="$1"
bin="$2"
artifacts="$3"
for tool in cage Xwayland grim identify; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skipped: needs $tool (scripts/setup)"; exit 77; }
done
[ -x "$bin/kiosk" ] || { echo "skipped: no $bin/kiosk (KIOSK_BUILD_UI off)"; exit 77; }
dir=$(mktemp -d)
chmod 755 "$dir"
cage_pid=0
cleanup() {
  [ "$cage_pid" -ne 0 ] && kill -TERM "$cage_pid" 2>/dev/null && sleep 0.5 && kill -KILL "$cage_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
as_user=""
if [ "$(id -u)" = 0 ]; then
  as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
mkdir -p "$dir/run" "$dir/data"
"$bin/kioskctl" --db "$dir/data/kiosk.db" init --commune 02374 >/dev/null || { echo "FAIL kioskctl init"; exit 1; }
[ -n "$as_user" ] && chown -R 65534:65534 "$dir/run" "$dir/data"
chmod 700 "$dir/run"

# The kiosk saves its third frame with --screenshot: then it is drawing inside cage.
# shellcheck disable=SC2086
env -i PATH=/usr/bin:/bin HOME="$dir/data" XDG_RUNTIME_DIR="$dir/run" WLR_BACKENDS=headless \
  WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman WLR_HEADLESS_OUTPUTS=1 \
  $as_user cage -- "$bin/kiosk" --db "$dir/data/kiosk.db" --config "$src/packaging/kiosk/kiosk.conf" \
  --screenshot "$dir/data/first-frame.png" >"$dir/cage.log" 2>&1 &
cage_pid=$!
for _ in $(seq 1200); do [ -s "$dir/data/first-frame.png" ] && break; kill -0 "$cage_pid" 2>/dev/null || break; sleep 0.1; done
if [ ! -s "$dir/data/first-frame.png" ]; then
  echo "FAIL the kiosk drew nothing under cage"; cat "$dir/cage.log"; exit 1
fi
echo "ok   the kiosk draws under cage ($(identify -format '%wx%h' "$dir/data/first-frame.png") frame)"
sleep 2
socket=""
for path in "$dir"/run/wayland-[0-9]*; do
  case "$path" in *.lock) ;; *) socket=$(basename "$path"); break ;; esac
done
# shellcheck disable=SC2086
env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$dir/run" WAYLAND_DISPLAY="$socket" $as_user grim "$dir/data/cage.png" ||
  { echo "FAIL grim"; exit 1; }
mkdir -p "$artifacts" && cp "$dir/data/cage.png" "$artifacts/cage-home.png"
output=$(identify -format '%wx%h' "$dir/data/cage.png")
frame=$(identify -format '%wx%h' "$dir/data/first-frame.png")
colors=$(identify -format '%k' "$dir/data/first-frame.png")
status=0
if [ "$output" = "$frame" ]; then echo "ok   the kiosk fills cage's whole output ($output)"; else
  echo "FAIL the kiosk's frame is $frame, cage's output $output"; status=1; fi
if [ "$colors" -gt 16 ]; then echo "ok   the kiosk's frame shows its screen ($colors colours)"; else
  echo "FAIL the kiosk's frame is blank ($colors colours)"; status=1; fi
exit $status
