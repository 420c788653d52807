#!/usr/bin/env python3
"""Cold start of our `dstack` CLI beside dstack 0.22.5's Python CLI, on the same server.

Usage: python3 tools/bench/cli_bench.py [--runs N] [--repeat K]

  1. start our server (`./dstack server`, SQLite, local fleet in process mode) in a temp dir,
     submit one run `seedtemplate` (`echo hello`), wait until it is done, stop the server, clone
     that run's rows N - 1 times in the database (control_plane_bench.seed_sqlite: N runs with
     jobs stored, 1,000 by default), start it again
  2. two clients, each with a HOME of its own whose ~/.dstack/config.yml names the server's
     project `main`: ours, the packaged CLI (cli/target/dstack-cli-dist/dstack/bin/dstack, built
     by `./dstack` when missing), and dstack 0.22.5's (`dstack` from PyPI in
     .tools/dstack-server-venv, installed there when missing; its daily update check is marked
     done, so it never leaves the machine)
  3. for each command, `dstack --help`, `dstack ps` and `dstack apply -f task.dstack.yml -d -y`
     (a task `echo hello` named anew each time, which the local fleet then runs; the next
     measure waits until it is done, untimed): K runs of each client, alternating, each a new
     process, wall time from fork to exit; every one must exit 0. Ours' very first run (no
     class-data archive yet: the launcher writes it when that run exits) is shown apart.

Prints a Markdown table (median, min and max of each, and the ratio) on stdout; progress on
stderr. Stops what it started and removes its temp dir, on failure and Ctrl-C too.
Python 3 stdlib only.
"""

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import control_plane_bench as cp  # noqa: E402  (our server, seeding, dstack's venv)
import runs_bench as rb  # noqa: E402

ROOT = rb.ROOT
OURS = os.path.join(ROOT, "cli/target/dstack-cli-dist/dstack/bin/dstack")
PYTHON_CLI = os.path.join(cp.VENV, "bin/dstack")
TASK = "type: task\ncommands:\n  - echo hello\n"


def log(msg):
    print(f"[cli_bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Client:
    """One CLI with its own HOME configured for the server's project `main`."""

    def __init__(self, tmp, name, argv0, url, token):
        self.name = name
        self.argv0 = argv0
        self.home = os.path.join(tmp, f"cli-{name}-home")
        os.makedirs(os.path.join(self.home, ".dstack"))
        # dstack's CLI checks for a new version once a day: mark today's check done.
        os.makedirs(os.path.join(self.home, ".cache/.dstack/cli"))
        open(os.path.join(self.home, ".cache/.dstack/cli/last_check"), "w").close()
        with open(os.path.join(self.home, ".dstack/config.yml"), "w") as f:
            f.write(f"projects:\n- default: true\n  name: main\n  token: {token}\n  url: {url}\n")
        with open(os.path.join(self.home, "task.dstack.yml"), "w") as f:
            f.write(TASK)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("DSTACK_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        self.env.update(HOME=self.home, JAVA_HOME=java_home(), NO_COLOR="1")

    def run(self, args):
        """Seconds from fork to exit of `dstack args`; raises on a non-zero exit."""
        t0 = time.monotonic()
        r = subprocess.run([self.argv0] + args, cwd=self.home, env=self.env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        secs = time.monotonic() - t0
        if r.returncode != 0:
            raise rb.BenchError(f"{self.name}: dstack {' '.join(args)} exited {r.returncode}:\n"
                                f"{r.stdout}{r.stderr}")
        return secs, r.stdout


_java_home = None


def java_home():
    global _java_home
    if _java_home is None:
        _java_home = subprocess.run([os.path.join(ROOT, "scripts/java-home.sh")],
                                    capture_output=True, text=True, check=True).stdout.strip()
    return _java_home


def ensure_ours():
    """The packaged CLI, built by the repository's launcher when missing or out of date."""
    r = subprocess.run([os.path.join(ROOT, "dstack"), "--version"], capture_output=True, text=True)
    if r.returncode != 0 or not os.access(OURS, os.X_OK):
        raise rb.BenchError(f"cannot build our CLI:\n{r.stdout}{r.stderr}")
    archive = os.path.join(os.path.dirname(os.path.dirname(OURS)), "cache/dstack-cli.jsa")
    if os.path.exists(archive):
        os.remove(archive)  # so the first measured run is a first use


def summary(values):
    return statistics.median(values), min(values), max(values)


def fmt(values):
    med, lo, hi = summary(values)
    return f"{med:.2f} ({lo:.2f}–{hi:.2f})"


def bench(server, clients, args):
    figures = {c.name: {} for c in clients}
    ours = next(c for c in clients if c.name == "ours")
    first, _ = ours.run(["--help"])
    log(f"ours, first use (writes the class-data archive): {first:.2f} s")
    commands = [("dstack --help", lambda i, c: ["--help"]),
                (f"dstack ps ({args.runs} runs stored)", lambda i, c: ["ps"]),
                ("dstack apply -f task.dstack.yml -d -y",
                 lambda i, c: ["apply", "-f", "task.dstack.yml", "-d", "-y", "-n",
                               f"bench-{c.name}-{i}"])]
    for label, argv in commands:
        for i in range(args.repeat):
            for c in clients:
                secs, _ = c.run(argv(i, c))
                figures[c.name].setdefault(label, []).append(secs)
                if label.startswith("dstack apply"):
                    cp.wait_finished(server.api, f"bench-{c.name}-{i}", args.run_timeout)
        log(f"{label}: " + ", ".join(f"{c.name} {fmt(figures[c.name][label])} s" for c in clients))
    return figures, first


def report(args, figures, first, meta):
    print(f"### CLI start-up, {meta['date']} (this machine: {os.cpu_count()} CPUs, load at start "
          f"{meta['load']}; {meta['java']}; dstack {cp.DSTACK_VERSION} on {meta['python']}; "
          f"{args.repeat} runs each, median (min–max) in seconds)\n")
    print("| command | ours | dstack 0.22.5 (Python) | ours faster by | target |")
    print("| --- | --- | --- | --- | --- |")
    for label in figures["ours"]:
        ours = figures["ours"][label]
        theirs = figures["dstack"][label]
        ratio = statistics.median(theirs) / statistics.median(ours)
        target = "≥ 4x" + (", < 0.5 s" if label.startswith("dstack ps") else "")
        print(f"| `{label}` | {fmt(ours)} | {fmt(theirs)} | {ratio:.1f}x | {target} |")
    print(f"\nOurs' first use after install (`dstack --help`, which writes the class-data archive):"
          f" {first:.2f} s.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--runs", type=int, default=1000, help="runs stored for `dstack ps` (1000)")
    ap.add_argument("--repeat", type=int, default=10, help="runs of each command per CLI (10)")
    ap.add_argument("--run-timeout", type=float, default=300)
    ap.add_argument("--start-timeout", type=float, default=900)
    args = ap.parse_args()
    args.mode, args.blocks, args.step = "process", None, 60  # for runs_bench / control_plane_bench

    def on_signal(signum, frame):
        raise rb.Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    tmp = tempfile.mkdtemp(prefix="dstack-cli-bench.")
    token = secrets.token_hex(16)
    meta = {"date": time.strftime("%Y-%m-%d"), "load": cp.loadavg()}
    v = subprocess.run([os.path.join(java_home(), "bin/java"), "-version"], capture_output=True,
                       text=True).stderr.splitlines()
    meta["java"] = v[0] if v else "java ?"
    servers, trackers = [], []
    rc = 0
    try:
        cp.ensure_dstack()
        meta["python"] = subprocess.run([os.path.join(cp.VENV, "bin/python"), "--version"],
                                        capture_output=True, text=True).stdout.strip()
        ensure_ours()
        server = cp.Ours(tmp, "server", token, args, None)
        servers.append(server)

        def start():
            server.port = rb.free_port()
            server.api = rb.Api(server.port, token)
            server.start()
            t = cp.ServerTracker(server.proc.pid, server.dir)
            trackers.append(t)
            t.start()
            server.wait_healthy(args.start_timeout)
            cp.wait_get_200(server, server.ready_path, args.start_timeout)

        start()
        rb.apply(server.api, rb.plan(server.api, cp.TEMPLATE, ["echo hello"]))
        cp.wait_finished(server.api, cp.TEMPLATE, args.run_timeout)
        server.stop()
        counts = cp.seed_sqlite(server, args.runs - 1, args.step)
        log(f"seeded: {counts}")
        start()
        url = f"http://127.0.0.1:{server.port}"
        clients = [Client(tmp, "ours", OURS, url, token),
                   Client(tmp, "dstack", PYTHON_CLI, url, token)]
        figures, first = bench(server, clients, args)
        report(args, figures, first, meta)
    except (rb.BenchError, rb.Interrupted, KeyboardInterrupt) as e:
        log(f"failed: {e}")
        rc = 1
    finally:
        left = rb.cleanup(servers, trackers, tmp, args)
        if not left:
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            rc = rc or 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
