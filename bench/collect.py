#!/usr/bin/env python3
"""Runs the benchmark programs in build-release/bin and prints the table of every metric.

Each bench_* program prints one JSON object per line: name, value (median), min, max, unit, peers
[{name, value}], optional note. This script adds the targets, decides met / not met, computes the
ratios against peers, and lists metrics whose program does not exist yet as missing.
bench_district_ingest prints a text summary instead (it is also run by hand with other options);
its two figures are read from that text. It runs three times (once with --quick), and the median of
each figure is reported; a run with --keep-alive (the kiosks holding their connections open between
passes, as the client did before 0.1.0 closed them after each pass) is the peer beside them.

--pg adds the district on PostgreSQL 15 (docs/postgresql.md): scripts/ha-cluster starts a primary
and its synchronous standby on loopback (--durable: fsync on, synchronous_commit on), each of the
three district programs runs again with --db naming a database of its own there, and each
district.pg.* figure has the SQLite figure of the same run beside it as its peer "sqlite". The
cluster is stopped and its directory removed at the end, whatever happened.
"""
import statistics
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# name -> (unit, target text, program, check(value, peers) -> bool)
METRICS = [
    ("store.submit_ms", "ms", "< 2", "bench_store", lambda v, p: v < 2),
    ("store.status_lookup_us", "us", "< 50", "bench_store", lambda v, p: v < 50),
    ("store.search_ms", "ms", "< 2", "bench_store", lambda v, p: v < 2),
    ("store.officer_search_10k_ms", "ms", "report", "bench_store", None),
    ("print.slip_ms", "ms", "< 300", "bench_print", lambda v, p: v < 300),
    ("kiosk.first_frame_ms", "ms", "< 500 and < 1.5x empty-window", "bench_kiosk",
     lambda v, p: v < 500 and ("empty-window" not in p or v < 1.5 * p["empty-window"])),
    ("kiosk.idle_cpu_percent", "%", "< 1", "bench_kiosk", lambda v, p: v < 1),
    ("kiosk.pss_mb", "MB", "< 1.5x empty-window, < 0.25x chromium-kiosk", "bench_kiosk",
     lambda v, p: ("empty-window" not in p or v < 1.5 * p["empty-window"]) and
                  ("chromium-kiosk" not in p or v < 0.25 * p["chromium-kiosk"])),
    ("kiosk.ui_cpu_p99_ms", "ms", "< 2", "bench_kiosk", lambda v, p: v < 2),
    ("kiosk.frame_p99_ms", "ms", "< 1.25x empty-window", "bench_kiosk",
     lambda v, p: "empty-window" in p and v < 1.25 * p["empty-window"]),
    ("sync.push_10k_s", "s", "< 1", "bench_sync", lambda v, p: v < 1),
    ("sync.bytes_per_event", "B", "report", "bench_sync", None),
    ("sync.pull_100k_s", "s", "< 5", "bench_sync", lambda v, p: v < 5),
    ("district.ingest_events_per_s", "events/s", "> 5000", "bench_district_ingest", lambda v, p: v > 5000),
    ("district.push_p99_ms", "ms", "< 250", "bench_district_ingest", lambda v, p: v < 250),
    ("district.report_1m_ms", "ms", "< 1000", "bench_district", lambda v, p: v < 1000),
    ("district.dashboard_ms", "ms", "< 200", "bench_district", lambda v, p: v < 200),
    ("district.national_catchup_s", "s", "report", "bench_district_catchup", None),
    # A Python program (bench/district_failover.py): Patroni, etcd and PostgreSQL 15 around the
    # release build's district-server and kioskctl.
    ("district.failover_resume_s", "s", "< 30", "district_failover.py", lambda v, p: v < 30),
    ("district.dashboard_page_p95_ms", "ms", "< 300", "bench_dashboard_pages", lambda v, p: v < 300),
]


# With --pg: the same harnesses against the district on PostgreSQL with a synchronous standby.
# "pg:" programs are the plain ones run with --db; each figure's peer is its SQLite twin of the run.
PG_METRICS = [
    ("district.pg.ingest_events_per_s", "events/s", "> 5000", "pg:bench_district_ingest", lambda v, p: v > 5000),
    ("district.pg.push_p99_ms", "ms", "< 250", "pg:bench_district_ingest", lambda v, p: v < 250),
    ("district.pg.report_1m_ms", "ms", "< 1000", "pg:bench_district", lambda v, p: v < 1000),
    ("district.pg.dashboard_ms", "ms", "< 200", "pg:bench_district", lambda v, p: v < 200),
    ("district.pg.national_catchup_s", "s", "report", "pg:bench_district_catchup", None),
]
HA_CLUSTER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "ha-cluster")


# Arguments per program: (full run, --quick). Programs not listed get [] / ["--quick"].
ARGS = {
    # 200 concurrent simulated kiosks, batches of 1-20 (the load), for a fixed time.
    "bench_district_ingest": (["--kiosks", "200", "--seconds", "15"], ["--kiosks", "200", "--seconds", "5"]),
}
# Upper bounds on one program's run, seconds: a hung benchmark is reported missing, never waited on.
TIMEOUT = {False: 1800, True: 300}


INGEST_REPS = {False: 3, True: 1}


def parse_ingest_text(text):
    """bench_district_ingest's summary: (events/s, p99 ms, first line), None where not printed."""
    events = re.search(r"events accepted\s+(\d+)\s+\(([\d.]+) events/s\)", text)
    latency = re.search(r"latency ms\s+p50 ([\d.]+)\s+p95 ([\d.]+)\s+p99 ([\d.]+)\s+max ([\d.]+)", text)
    head = text.splitlines()[0] if text else ""
    return (float(events.group(2)) if events else None, float(latency.group(3)) if latency else None,
            head.replace("district ingest: ", ""))


def ingest_results(runs, peer, quick, prefix="district."):
    """The median of each figure over the runs, with the --keep-alive run's figure as the peer."""
    results = {}
    note = ("--quick: " if quick else "") + (runs[0][2] if runs else "") + f"; median of {len(runs)} runs"
    for index, name in ((0, prefix + "ingest_events_per_s"), (1, prefix + "push_p99_ms")):
        values = [r[index] for r in runs if r[index] is not None]
        if len(values) != len(runs) or not values:
            continue
        peers = [{"name": "kept-alive-between-passes", "value": peer[index]}] if peer and peer[index] else []
        results[name] = {"name": name, "value": statistics.median(values), "min": min(values),
                         "max": max(values), "peers": peers, "note": note}
    return results


def run(program, bindir, quick, db=None):
    """Runs one program; each figure's note ends with the load average when the program began."""
    load = load_average()
    results, why = run_program(program, bindir, quick, db)
    if db:  # the PostgreSQL twins are named district.pg.*, whatever the program calls them
        results = {n if n.startswith("district.pg.") else n.replace("district.", "district.pg.", 1):
                   dict(r, name=n if n.startswith("district.pg.") else n.replace("district.", "district.pg.", 1))
                   for n, r in results.items()}
    for result in results.values():
        result["note"] = (result.get("note", "") + "; " if result.get("note") else "") + f"load {load}"
    return results, why


def run_program(program, bindir, quick, db=None):
    """Runs one program; `db` (a postgresql:// URI) is passed as --db, for the "pg:" programs."""
    path = os.path.join(bindir, program)
    if program.endswith(".py"):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), program)
    if not os.path.exists(path):
        return {}, f"{program} is not built yet"
    full, short = ARGS.get(program, ([], ["--quick"]))
    args = [path] + (short if quick else full)
    if program.endswith(".py"):
        args = ["/usr/bin/python3", path, "--bin", bindir] + (["--quick"] if quick else [])
    if db:
        args += ["--db", db]
    print(f"running {program}{' on PostgreSQL' if db else ''} ...", file=sys.stderr, flush=True)
    # What the program before wrote (bench_district leaves a million-record database) is flushed
    # first, so its write-back does not land in this program's fsyncs.
    os.sync()
    if program == "bench_district_ingest":
        runs, peer = [], None
        # On PostgreSQL the peer is the SQLite run's figure instead of a --keep-alive run.
        for extra in [[]] * INGEST_REPS[quick] + ([] if db else [["--keep-alive"]]):
            try:
                proc = subprocess.run(args + extra, stdout=subprocess.PIPE, text=True, timeout=TIMEOUT[quick])
            except subprocess.TimeoutExpired:
                return {}, f"{program} did not finish within {TIMEOUT[quick]} s"
            if proc.returncode != 0:
                return {}, f"{program} exited {proc.returncode}"
            if extra:
                peer = parse_ingest_text(proc.stdout)
            else:
                runs.append(parse_ingest_text(proc.stdout))
        return ingest_results(runs, peer, quick, "district.pg." if db else "district."), None
    try:
        proc = subprocess.run(args, stdout=subprocess.PIPE, text=True, timeout=TIMEOUT[quick])
    except subprocess.TimeoutExpired:
        return {}, f"{program} did not finish within {TIMEOUT[quick]} s"
    results = {}
    for line in proc.stdout.splitlines():
        try:
            obj = json.loads(line)
            results[obj["name"]] = obj
        except (ValueError, KeyError, TypeError):
            continue
    why = None if proc.returncode == 0 else f"{program} exited {proc.returncode}"
    return results, why


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_on_postgres(args, outputs, failures, programs):
    """The "pg:" programs against a fresh scripts/ha-cluster, one database each; stops it after."""
    work = tempfile.mkdtemp(prefix="bench-pg.")
    os.chmod(work, 0o755)  # the cluster runs as postgres when this runs as root
    # The district's key file on PostgreSQL: $STATE_DIRECTORY/<database>.keys.
    os.environ["STATE_DIRECTORY"] = work
    cluster = os.path.join(work, "ha")
    try:
        print("starting PostgreSQL (scripts/ha-cluster --durable) ...", file=sys.stderr, flush=True)
        started = subprocess.run([HA_CLUSTER, "start", cluster, "--durable"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, timeout=300)
        found = re.search(r"HA_URI='([^']+)'", started.stdout)
        if started.returncode != 0 or not found:
            why = f"scripts/ha-cluster start exited {started.returncode}: {started.stderr.strip()[-200:]}"
            for program in programs:
                outputs[program], failures[program] = {}, why
            return
        uri = found.group(1)
        primary = re.search(r"HA_PRIMARY=(\S+)", started.stdout).group(1)
        port = re.search(rf"HA_{primary.upper()}_PORT=(\d+)", started.stdout).group(1)
        for program in programs:
            database = program[3:]
            made = subprocess.run(["psql", "-XAtq", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d",
                                   "postgres", "-c", f'CREATE DATABASE "{database}"'],
                                  stderr=subprocess.PIPE, text=True)
            if made.returncode != 0:
                outputs[program], failures[program] = {}, f"CREATE DATABASE: {made.stderr.strip()}"
                continue
            outputs[program], failures[program] = run(program[3:], args.bin, args.quick,
                                                      uri.replace("/district?", f"/{database}?"))
    finally:
        subprocess.run([HA_CLUSTER, "stop", cluster], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=180)
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin", default="build-release/bin")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--pg", action="store_true", help="also the district on PostgreSQL (scripts/ha-cluster)")
    ap.add_argument("--only", help="only the metrics whose names this regular expression finds")
    args = ap.parse_args()

    metrics = METRICS + (PG_METRICS if args.pg else [])
    if args.only:
        metrics = [m for m in metrics if re.search(args.only, m[0])]
    outputs, failures = {}, {}
    for program in sorted({m[3] for m in metrics if not m[3].startswith("pg:")}):
        outputs[program], failures[program] = run(program, args.bin, args.quick)
    if any(m[3].startswith("pg:") for m in metrics):
        run_on_postgres(args, outputs, failures, sorted({m[3] for m in metrics if m[3].startswith("pg:")}))

    rows = []
    for name, unit, target, program, check in metrics:
        got = outputs[program].get(name)
        if got is None:
            why = failures[program] or f"{program} does not measure {name} yet"
            rows.append({"name": name, "value": None, "missing": why, "unit": unit, "target": target,
                         "met": None, "peers": []})
            continue
        peers = {p["name"]: p["value"] for p in got.get("peers", [])}
        twin = outputs.get(program[3:], {}).get(name.replace("district.pg.", "district.")) \
            if program.startswith("pg:") else None
        if twin:
            peers = {"sqlite": twin["value"], **peers}
        value = got["value"]
        row = {"name": name, "value": value, "min": got.get("min"), "max": got.get("max"), "unit": unit,
               "target": target, "met": None if check is None else bool(check(value, peers)),
               "peers": [{"name": k, "value": v, "ratio": (value / v) if v else None}
                         for k, v in peers.items()]}
        if got.get("note"):
            row["note"] = got["note"]
        rows.append(row)

    def fmt(x):
        if x is None:
            return "-"
        return f"{x:.4g}" if isinstance(x, float) else str(x)

    print(f"{'metric':30} {'median':>10} {'min-max':>21} {'unit':>9} {'target':>34}  met  peers")
    for r in rows:
        if r["value"] is None:
            print(f"{r['name']:30} {'-':>10} {'':>21} {r['unit']:>9} {r['target']:>34}  -    missing: {r['missing']}")
            continue
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        peers = ", ".join(f"{p['name']} {fmt(p['value'])} (x{fmt(p['ratio'])})" for p in r["peers"])
        mm = f"{fmt(r.get('min'))}-{fmt(r.get('max'))}"
        print(f"{r['name']:30} {fmt(r['value']):>10} {mm:>21} {r['unit']:>9} {r['target']:>34}  {met:4} {peers}"
              + (f" [{r['note']}]" if r.get("note") else ""))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
