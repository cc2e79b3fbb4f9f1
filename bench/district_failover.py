#!/usr/bin/python3
"""district.failover_resume_s: how long kiosks wait when the district's PostgreSQL primary dies.

A two-node Patroni cluster on loopback (scripts/ha-cluster: a primary and its synchronous standby),
district-server serving on its multi-host URI, one enrolled kiosk (kioskctl) submitting and pushing
in a loop. The primary's postmaster is SIGKILLed; the figure is the time from the kill until the end
of the first `kioskctl sync --once` begun after it that succeeded (the kiosk's push acknowledged by
the district on the new primary). One sample per run (a cluster takes about 15 s to make); --quick
is the same run. Prints one JSON line as the other bench programs do; exit 1 when it could not
measure (the reason on stderr).

  bench/district_failover.py --bin build-release/bin [--quick]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HA = os.path.join(ROOT, "scripts", "ha-cluster")


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def kiosk(bindir, db, *args):
    return run([os.path.join(bindir, "kioskctl"), "--db", db, *args], timeout=120)


def measure(bindir, work):
    started = run([HA, "start", os.path.join(work, "ha")], timeout=180)
    if started.returncode != 0:
        raise RuntimeError(f"ha-cluster start exited {started.returncode}: {started.stderr.strip()[-300:]}")
    uri = re.search(r"HA_URI='([^']+)'", started.stdout).group(1)
    server = os.path.join(bindir, "district-server")
    enrolled = run([server, "enroll-kiosk", "--db", uri, "--commune", "02374", "--json"], timeout=60)
    if enrolled.returncode != 0:
        raise RuntimeError(f"enroll-kiosk on PostgreSQL: {enrolled.stderr.strip()[-300:]}")
    token = json.loads(enrolled.stdout)
    log = open(os.path.join(work, "district.log"), "w")
    serving = subprocess.Popen([server, "serve", "--db", uri, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = serving.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"district-server did not start: {line.strip()}")
        port = line.strip().rsplit(":", 1)[1]
        db = os.path.join(work, "kiosk.db")
        init = kiosk(bindir, db, "init", "--commune", "02374", "--server", f"http://127.0.0.1:{port}",
                     "--token", token["token"], "--slot", str(token["slot"]))
        if init.returncode != 0:
            raise RuntimeError(f"kioskctl init: {init.stderr.strip()}")

        def submit_and_sync():
            kiosk(bindir, db, "submit-petition", "--type", "khieu-nai", "--name", "Nguyễn Văn An", "--cccd",
                  "008090001234", "--address", "Thôn 2", "--phone", "0912345678", "--content",
                  "Đèn đường thôn 3 hỏng")
            return kiosk(bindir, db, "sync", "--once", "--timeout", "10").returncode == 0

        for _ in range(20):
            if submit_and_sync():
                break
        else:
            raise RuntimeError("the kiosk's pushes never succeeded before the kill")
        killed = run([HA, "kill-primary", os.path.join(work, "ha")], timeout=60)
        if killed.returncode != 0:
            raise RuntimeError(f"kill-primary: {killed.stderr.strip()}")
        kill_at = time.monotonic()
        while time.monotonic() - kill_at < 120:
            if submit_and_sync():
                return time.monotonic() - kill_at
            time.sleep(0.1)
        raise RuntimeError("no push acknowledged within 120 s of the kill")
    finally:
        serving.terminate()
        serving.wait(timeout=30)
        run([HA, "stop", os.path.join(work, "ha")], timeout=120)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bench-failover.")
    os.chmod(work, 0o755)  # the cluster runs as postgres when this runs as root
    os.environ["STATE_DIRECTORY"] = work  # the district's key file on PostgreSQL: <work>/district.keys
    try:
        seconds = measure(os.path.abspath(args.bin), work)
    except (RuntimeError, subprocess.TimeoutExpired, AttributeError, ValueError) as e:
        print(f"district_failover: {e}", file=sys.stderr)
        return 1
    finally:
        subprocess.run(["rm", "-rf", work])
    print(json.dumps({"name": "district.failover_resume_s", "value": seconds, "min": seconds, "max": seconds,
                      "unit": "s", "samples": 1, "peers": [],
                      "note": "Patroni on loopback (ttl 10 s, loop_wait 1 s), one kiosk; kill -> first acked push"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
