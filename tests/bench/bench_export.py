#!/usr/bin/env python3
"""Bulk export benchmark (issue 16, item 7): `ews-imlist export` against
ews-mock-server with a per-request latency and a concurrency cap, for
several --jobs, and the same sweep written with exchangelib (a thread pool,
one Account per mailbox with impersonation, a GetImItemList service class of
this script's own), in one run. Each run gets a fresh mock, whose --stats
give the connections and authentication handshakes; the client's CPU time
and peak RSS come from wait4(2) on the client process alone.

    tests/bench/bench_export.py --tool build/examples/ews-imlist/ews-imlist \\
        --mock build/examples/mock/ews-mock-server [--mailboxes 10000] \\
        [--jobs 1,4,10,20] [--latency-ms 20] [--cap 10] [--back-off-ms 50]

Prints a Markdown table (tests/bench/issue16_figures.md keeps it for
docs/PERFORMANCE.md). Not run in CI; --mailboxes 200 --jobs 4 is a smoke
run of a few seconds.
exchangelib runs under /usr/bin/python3 (python3-exchangelib)."""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

USER = "svc@contoso.com"
PASSWORD = "bench-Passw0rd"
SYSTEM_PYTHON = "/usr/bin/python3"


def exchangelib_worker(url, mailbox_file, jobs, time_limit, status_file):
    """The exchangelib sweep, in its own process (measured by the parent)."""
    from exchangelib import (BASIC, IMPERSONATION, Account, Build, Configuration, Credentials,
                             FaultTolerance, Version)
    from exchangelib.services.common import EWSAccountService
    from exchangelib.util import MNS, create_element

    class GetImItemList(EWSAccountService):
        SERVICE_NAME = "GetImItemList"

        def call(self):
            return list(self._get_elements(payload=create_element("m:GetImItemList")))

        # The response is the GetImItemListResponse itself (no
        # ResponseMessages), which the base class's _get_soap_messages
        # handles, faults such as ErrorServerBusy included.
        def _get_element_container(self, message, name=None):
            super()._get_element_container(message=message, name=None)
            return message.find("{%s}ImItemList" % MNS)

        @classmethod
        def _get_elements_in_container(cls, container):
            return [container]

    with open(mailbox_file) as f:
        mailboxes = [l.strip() for l in f if l.strip()]
    # exchangelib backs off on ErrorServerBusy itself with FaultTolerance
    cfg = Configuration(service_endpoint=url, credentials=Credentials(USER, PASSWORD),
                        auth_type=BASIC, version=Version(build=Build(15, 0, 847, 32)),
                        retry_policy=FaultTolerance(max_wait=600), max_connections=jobs)

    # Past the time limit no new mailbox is started, and the counts so far
    # are in the status file, which the parent reads if it has to stop the
    # sweep (exchangelib with more threads than the server's cap once sat
    # in its back-off sleeps for minutes; see issue16_figures.md).
    start = time.monotonic()
    lock = threading.Lock()
    counts = {"ok": 0, "failed": 0}

    def status(final=False):
        with lock:
            text = "ok=%d failed=%d skipped=%d elapsed=%.3f" % (
                counts["ok"], counts["failed"],
                len(mailboxes) - counts["ok"] - counts["failed"], time.monotonic() - start)
        with open(status_file + ".tmp", "w") as f:
            f.write(text)
        os.replace(status_file + ".tmp", status_file)
        if final:
            print(text)

    def one(mbx):
        if time.monotonic() - start > time_limit:
            return
        a = Account(primary_smtp_address=mbx, config=cfg, autodiscover=False,
                    access_type=IMPERSONATION)
        r = GetImItemList(account=a).call()
        good = bool(r) and not isinstance(r[0], Exception)
        with lock:
            counts["ok" if good else "failed"] += 1

    def report():
        while True:
            time.sleep(0.5)
            status()

    threading.Thread(target=report, daemon=True).start()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, mailboxes))
    status(final=True)


class Mock:
    def __init__(self, args, tmp, n):
        self.stats = os.path.join(tmp, "stats")
        if os.path.exists(self.stats):
            os.remove(self.stats)
        pw = os.path.join(tmp, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        self.cmd = [args.mock, "--demo", "--auth", "basic", "--user", USER, "--password-file",
                    pw, "--impersonator", USER, "--generate-mailboxes", str(n), "--delay",
                    str(args.latency_ms), "--max-concurrency",
                    "%d:%d" % (args.cap, args.back_off_ms), "--stats", self.stats]

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on "):
            raise SystemExit("mock did not start: " + self.proc.stderr.read().decode())
        self.url = line.split()[-1]
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()
        with open(self.stats) as f:
            self.result = dict(kv.split("=") for kv in f.read().split()[1:])


def measure(cmd, tmp, env=None, hard_limit=None):
    """Runs cmd under /usr/bin/time, so that the peak RSS is the client's
    alone (a child forked from this script would count the pages it shares
    with the script). Wall seconds, CPU seconds (user + system), peak RSS
    (MiB), exit status (-SIGKILL when stopped at hard_limit seconds),
    standard output's path, standard error."""
    times = os.path.join(tmp, "time")
    out_path = os.path.join(tmp, "out")
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%U %S %M", "-o", times] + cmd,
                             stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        try:
            rc = p.wait(timeout=hard_limit)
        except subprocess.TimeoutExpired:
            # the measured program is /usr/bin/time's child: stop it, and
            # time still writes what it used
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                for child in f.read().split():
                    os.kill(int(child), signal.SIGKILL)
            p.wait()
            rc = -signal.SIGKILL
        wall = time.monotonic() - t0
        err.seek(0)
        text = err.read().decode(errors="replace")
    with open(times) as f:
        user, sys_, rss_kb = f.read().split()[-3:]
    return wall, float(user) + float(sys_), int(rss_kb) / 1024.0, rc, out_path, text


def count_ok(path, impl, n):
    """Mailboxes answered ok, mailboxes attempted, and for an exchangelib
    sweep stopped by its time limit the seconds it ran (else None)."""
    if impl != "ews-c":
        with open(path) as f:
            kv = dict(w.split("=") for w in f.read().split() if "=" in w)
        if "ok" not in kv:
            return 0, n, None
        ok, failed, skipped = int(kv["ok"]), int(kv["failed"]), int(kv["skipped"])
        return ok, ok + failed, float(kv["elapsed"]) if skipped else None
    ok = 0
    with open(path, "rb") as f:
        for line in f:
            ok += b'"ok":true' in line[:400]
    return ok, n, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker-exchangelib", nargs=5,
                    metavar=("URL", "FILE", "JOBS", "LIMIT_S", "STATUS_FILE"))
    ap.add_argument("--tool")
    ap.add_argument("--mock")
    ap.add_argument("--mailboxes", type=int, default=10000)
    ap.add_argument("--jobs", default="1,4,10,20")
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--cap", type=int, default=10)
    ap.add_argument("--back-off-ms", type=int, default=50)
    ap.add_argument("--no-exchangelib", action="store_true")
    ap.add_argument("--exchangelib-time-limit", type=float, default=300.0,
                    help="seconds after which the exchangelib sweep starts no new mailbox")
    args = ap.parse_args()
    if args.worker_exchangelib:
        url, f, jobs, limit, status_file = args.worker_exchangelib
        exchangelib_worker(url, f, int(jobs), float(limit), status_file)
        return
    if not args.tool or not args.mock:
        ap.error("--tool and --mock are required")
    tmp = tempfile.mkdtemp(prefix="ews-bench-export-")
    mbx = os.path.join(tmp, "mailboxes")
    n = args.mailboxes
    with open(mbx, "w") as f:
        f.write("".join("user%d@contoso.com\n" % i for i in range(1, n + 1)))
    env = dict(os.environ, EWS_PASSWORD=PASSWORD)
    rows = []
    impls = ["ews-c"] + ([] if args.no_exchangelib else ["exchangelib"])
    for impl in impls:
        for jobs in [int(j) for j in args.jobs.split(",")]:
            with Mock(args, tmp, n) as m:
                if impl == "ews-c":
                    cmd = [args.tool, "export", "--mailboxes", mbx, "--jobs", str(jobs),
                           "--url", m.url, "--insecure-http", "--user", USER, "--auth",
                           "basic"]
                else:
                    cmd = [SYSTEM_PYTHON, os.path.abspath(__file__), "--worker-exchangelib",
                           m.url, mbx, str(jobs), str(args.exchangelib_time_limit),
                           os.path.join(tmp, "status")]
                # the grace after the time limit for the calls in flight
                hard = None if impl == "ews-c" else args.exchangelib_time_limit + 30
                wall, cpu, rss, rc, out, err = measure(cmd, tmp, env, hard)
                if rc == -signal.SIGKILL:
                    # stopped: the counts from its status file
                    with open(os.path.join(tmp, "status")) as f, open(out, "w") as o:
                        o.write(f.read())
            ok, done, limited = count_ok(out, impl, n)
            st = m.result
            ideal = min(jobs, args.cap) * 1000.0 / args.latency_ms
            secs = limited if limited else wall
            rate = done / secs
            rows.append((impl, jobs, rate, ideal, rate / ideal * 100,
                         cpu * 1e6 / max(done, 1), rss, st["connections"], st["handshakes"],
                         st["busy"], st["peak"], ok, rc, limited))
            print("%s jobs=%d: %.1f/s (%.0f%% of %.0f), %.0f us CPU/mailbox, %.1f MiB, "
                  "connections %s handshakes %s busy %s peak %s ok %d of %d rc %d%s" % (
                      impl, jobs, rate, rate / ideal * 100, ideal, cpu * 1e6 / max(done, 1),
                      rss, st["connections"], st["handshakes"], st["busy"], st["peak"], ok,
                      done, rc, " (stopped at the time limit)" if limited else ""),
                  file=sys.stderr, flush=True)
            if rc != 0 or ok != done:
                print(err[-2000:], file=sys.stderr)
    print("| client | --jobs | mailboxes/s | ideal | % of ideal | client CPU/mailbox (us) "
          "| peak RSS (MiB) | connections | handshakes | busy answers | peak concurrency "
          "| ok |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %d | %.1f | %.0f | %.1f | %.0f | %.1f | %s | %s | %s | %s | %d%s |" % (
            r[:12] + (" (time limit)" if r[13] else "",)))
    # The targets' ratios, from the rows of this run.
    by = {(r[0], r[1]): r for r in rows}
    print()
    print("| --jobs | rate ÷ rate at the cap | exchangelib CPU ÷ ews-c CPU | ews-c rate ÷ exchangelib rate |")
    print("|---|---|---|---|")
    at_cap = by.get(("ews-c", args.cap))
    for jobs in [int(j) for j in args.jobs.split(",")]:
        c, x = by.get(("ews-c", jobs)), by.get(("exchangelib", jobs))
        print("| %d | %s | %s | %s |" % (
            jobs, "%.3f" % (c[2] / at_cap[2]) if c and at_cap and jobs >= args.cap else "-",
            "%.1f" % (x[5] / c[5]) if c and x else "-",
            "%.2f" % (c[2] / x[2]) if c and x else "-"))


if __name__ == "__main__":
    main()
