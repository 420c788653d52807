#!/usr/bin/env python3
"""The control plane beside the real dstack 0.22.5 server: start, memory, runs/apply, runs/list.

Usage: python3 tools/bench/control_plane_bench.py [--db sqlite,postgres] [--seed N] [...]

For each database (SQLite; PostgreSQL: a throwaway PostgreSQL 15 cluster in a temp dir, on a free
port, stopped at the end) and each server (ours, `./dstack server`; dstack 0.22.5, `dstack server`
from PyPI `dstack[server]==0.22.5` in .tools/dstack-server-venv, installed there when missing),
in this order:

  1. start the server on a fresh server dir and database: start to healthy (process start ->
     POST /api/server/get_info answers 200, polled every 50 ms), and to ready (ours: GET
     /actuator/health/readiness, dstack's: GET /healthcheck; runs are applied only after it)
  2. submit one run `seedtemplate` (task `echo hello`) through the API, wait until it finished
     (ours runs it on its local fleet: done; dstack's, with no fleet, fails: no offers), stop
     the server
  3. seed: clone that run's rows in the database N - 1 times (see seed_rows), so N runs with
     jobs are stored
  4. start it again: start to healthy and to ready with N runs stored; RSS after --idle s (the
     server's process; and every process it started: for ours the JVM, the Temporal dev server
     and the local fleet's shim; for dstack the python process and its children)
  5. runs/list as `dstack ps -a` sends it (POST /api/runs/list, project main, limit 100,
     include_jobs true, job_submissions_limit 1, only_active false): p50 / p95 over
     --list-calls calls, after 5 untimed ones; every answer must hold 100 runs with their jobs,
     newest first (the template, then its clones); then --list-calls pages walking back from
     the second page (prev_submitted_at and prev_run_id of each page's last run), each page 100
     runs never listed before: what a server keeps of runs it showed cannot help there
  6. runs/apply of --applies tasks `echo hello` asking for a GPU (no fleet of either server
     has one: both store the run, start nothing, and fail it in the background for want of
     capacity), then of --applies tasks `echo hello` that fit ours' local fleet (it
     runs them: ours refuses a run without any fleet, 400, so its fleet stays on; dstack's,
     with no fleet, fail as before); one after another, runs/get_plan before each (untimed):
     p50 / p95 of the apply call
  7. RSS at the end; stop the server; what of its processes is still there 15 s later

Prints one Markdown table per database, both servers side by side with our targets, on stdout
(progress goes to stderr). Stops every process it started by pid (as runs_bench.py does: the
servers, their descendants, the processes naming its temp dir; the PostgreSQL cluster with
pg_ctl, then its processes by pid) and removes its temp dirs, on failure and Ctrl-C too; prints
what is left running (nothing). Never touches ~/.dstack: each server gets its own HOME.
Python 3 stdlib only; PostgreSQL rows are read and written with Debian's psql.
"""

import argparse
import csv
import datetime
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runs_bench as rb  # noqa: E402  (shares the HTTP client, process tracking, our server)

ROOT = rb.ROOT
VENV = os.path.join(ROOT, ".tools/dstack-server-venv")
DSTACK_VERSION = "0.22.5"
PG_BIN = "/usr/lib/postgresql/15/bin"
PG_USER = "dstack"
PG_PASSWORD = secrets.token_hex(12)
TEMPLATE = "seedtemplate"
SERVERS = ("ours", "dstack")

# The rows one run owns, by server: (table, how its template rows are found). A table with an
# `id` column gets fresh ids; every other column is copied (see seed_rows).
RUN_OF_TEMPLATE = f"run_id IN (SELECT id FROM runs WHERE run_name = '{TEMPLATE}')"
RUN_TABLES = {
    # orchestrator/src/main/resources/db/changelog/0002-runs.yaml
    "ours": [("runs", f"run_name = '{TEMPLATE}'"), ("run_jobs", RUN_OF_TEMPLATE),
             ("job_submissions", RUN_OF_TEMPLATE)],
    # dstack/_internal/server/models.py: RunModel, JobModel (one row per job submission)
    "dstack": [("runs", f"run_name = '{TEMPLATE}'"), ("jobs", RUN_OF_TEMPLATE)],
}


def log(msg):
    print(f"[control_plane_bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ---------------------------------------------------------------------------------------------
# PostgreSQL


class Postgres:
    """A throwaway PostgreSQL 15 cluster in its own temp dir (outside the servers' one, so their
    process trackers never take it for theirs), as orchestrator's LocalPostgres starts it: as the
    `postgres` user when run as root, unix socket in the temp dir, fsync off, scram passwords."""

    def __init__(self):
        self.dir = None
        self.port = None
        self.tracker = None
        self.as_postgres = os.geteuid() == 0

    def _cmd(self, argv):
        return (["runuser", "-u", "postgres", "--"] if self.as_postgres else []) + argv

    def _run(self, argv, **kw):
        r = subprocess.run(self._cmd(argv), capture_output=True, text=True, timeout=300, **kw)
        if r.returncode != 0:
            raise rb.BenchError(f"{' '.join(argv[:2])} failed: {r.stdout}{r.stderr}")
        return r.stdout

    def start(self):
        if not os.access(os.path.join(PG_BIN, "pg_ctl"), os.X_OK):
            raise rb.BenchError(f"no PostgreSQL 15 in {PG_BIN}: apt-get install postgresql")
        self.dir = tempfile.mkdtemp(prefix="dstack-cp-bench-pg.")
        os.chmod(self.dir, 0o755)
        pwfile = os.path.join(self.dir, "password")
        with open(pwfile, "w") as f:
            f.write(PG_PASSWORD + "\n")
        if self.as_postgres:
            subprocess.run(["chown", "-R", "postgres:postgres", self.dir], check=True)
        self.port = rb.free_port()
        data = os.path.join(self.dir, "data")
        self._run([f"{PG_BIN}/initdb", "-D", data, "-U", PG_USER, f"--pwfile={pwfile}",
                   "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                   "--no-sync"])
        self._run([f"{PG_BIN}/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "postgres.log"),
                   "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                   "-w", "start"])
        with open(os.path.join(data, "postmaster.pid")) as f:
            pid = int(f.readline())
        self.tracker = rb.Tracker(pid, self.dir)
        self.tracker.start()
        log(f"PostgreSQL 15 on port {self.port} (pid {pid}, {self.dir})")

    def create_db(self, name):
        self._run([f"{PG_BIN}/createdb", "-h", self.dir, "-p", str(self.port), "-U", PG_USER, name])

    def url(self, db, scheme):
        return f"{scheme}://{PG_USER}:{PG_PASSWORD}@127.0.0.1:{self.port}/{db}"

    def psql(self, db, sql, stdin=None):
        """Runs sql (one statement) as the cluster's superuser over the unix socket; its output."""
        r = subprocess.run([f"{PG_BIN}/psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                            "-h", self.dir, "-p", str(self.port), "-U", PG_USER, "-d", db, "-c", sql],
                           input=stdin, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise rb.BenchError(f"psql failed on {sql[:80]!r}: {r.stderr.strip()}")
        return r.stdout

    def stop(self):
        if self.dir is None:
            return
        data = os.path.join(self.dir, "data")
        if os.path.isfile(os.path.join(data, "postmaster.pid")):
            try:
                self._run([f"{PG_BIN}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])
                log("PostgreSQL stopped")
            except Exception as e:
                log(f"pg_ctl stop failed: {e}")
        if self.tracker:
            self.tracker.scan()
            self.tracker.stop()
            for sig in (signal.SIGTERM, signal.SIGKILL):
                for pid, cmd in self.tracker.alive():
                    log(f"left running: pid {pid} ({cmd[:80]}); {signal.Signals(sig).name}")
                    self.tracker.kill(pid, sig)
                time.sleep(2)
        shutil.rmtree(self.dir, ignore_errors=True)

    def left(self):
        return [f"pid {pid} ({cmd[:80]})" for pid, cmd in self.tracker.alive()] if self.tracker else []


# ---------------------------------------------------------------------------------------------
# The servers


def wait_get_200(server, path, timeout):
    """Seconds from the server's process start until GET path answers 200."""
    deadline = time.monotonic() + timeout
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                return time.monotonic() - server.started_at
        except OSError:
            pass
        finally:
            conn.close()
        if time.monotonic() > deadline:
            raise rb.BenchError(f"GET {path} did not answer 200 in {timeout} s")
        time.sleep(0.05)


class Ours(rb.Server):
    """Our server (runs_bench.Server: the launcher, the embedded Temporal dev server, the local
    fleet in process mode) on a given database."""

    kind = "ours"
    # Up, with its database and Temporal, after the workers and the local fleet started.
    ready_path = "/actuator/health/readiness"

    def __init__(self, tmp, name, token, args, db_url):
        super().__init__(tmp, name, "process", token, args)
        self.log_offset = 0
        if db_url:
            self.extra_env["DSTACK_DATABASE_URL"] = db_url

    def start(self):
        # The log is appended to across restarts: built() reads this start's part only.
        self.log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        super().start()

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self.log_offset)
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def sqlite_path(self):
        return os.path.join(self.dir, "data/sqlite.db")

    def main_pid(self):
        return self.java_pid


class Dstack:
    """dstack 0.22.5's `dstack server` (uvicorn in the CLI's own process), with no fleet."""

    kind = "dstack"
    ready_path = "/healthcheck"

    def __init__(self, tmp, name, token, db_url):
        self.dir = os.path.join(tmp, name)
        self.home = os.path.join(tmp, name + "-home")
        # A fresh update check would reach PyPI on every start; mark it done (as server-bench.sh).
        os.makedirs(os.path.join(self.home, ".cache/.dstack/cli"))
        open(os.path.join(self.home, ".cache/.dstack/cli/last_check"), "w").close()
        self.log_path = os.path.join(tmp, name + ".log")
        self.token = token
        self.db_url = db_url
        self.proc = None
        self.port = rb.free_port()
        self.api = rb.Api(self.port, token)

    def start(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("DSTACK_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env.update(HOME=self.home, DSTACK_SERVER_DIR=self.dir, DSTACK_SERVER_RELOAD_DISABLED="1")
        if self.db_url:
            env["DSTACK_DATABASE_URL"] = self.db_url
        out = open(self.log_path, "ab")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            [os.path.join(VENV, "bin/dstack"), "server", "--host", "127.0.0.1", "--port",
             str(self.port), "--token", self.token, "-n"],
            cwd=self.home, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        out.close()

    def wait_healthy(self, timeout):
        deadline = self.started_at + timeout
        while True:
            if self.proc.poll() is not None:
                raise rb.BenchError(f"dstack server exited with {self.proc.returncode} before it "
                                    f"answered; log tail:\n{self.log_tail()}")
            try:
                status, _, _ = self.api.post("/api/server/get_info", {}, timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise rb.BenchError(f"dstack server did not answer in {timeout} s; log tail:\n"
                                    f"{self.log_tail()}")
            time.sleep(0.05)
        healthy = time.monotonic() - self.started_at
        self.api.timeout = 120.0
        self.api._drop()
        return healthy

    def sqlite_path(self):
        return os.path.join(self.dir, "data/sqlite.db")

    def main_pid(self):
        return self.proc.pid

    def built(self):
        return False

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, n=30):
        return "\n".join(self.log_text().splitlines()[-n:])

    def stop(self):
        """SIGINT (uvicorn's graceful stop), then SIGTERM, then SIGKILL; the process group is its
        own (start_new_session), so children go too."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 30), (signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=wait)
                log(f"dstack server stopped ({signal.Signals(sig).name}, exit {self.proc.returncode})")
                return
            except subprocess.TimeoutExpired:
                log(f"dstack server still running {wait} s after {signal.Signals(sig).name}")


def ensure_dstack():
    """dstack[server]==0.22.5 in .tools/dstack-server-venv, installed with pip when missing."""
    exe = os.path.join(VENV, "bin/dstack")
    py = os.path.join(VENV, "bin/python")

    def version():
        r = subprocess.run([py, "-c", "import importlib.metadata as m; print(m.version('dstack'))"],
                           capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None

    if os.access(exe, os.X_OK) and version() == DSTACK_VERSION:
        return
    log(f"installing dstack[server]=={DSTACK_VERSION} into {VENV}")
    if not os.access(py, os.X_OK):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"dstack[server]=={DSTACK_VERSION}"], check=True)
    if version() != DSTACK_VERSION:
        raise rb.BenchError(f"dstack {DSTACK_VERSION} is not in {VENV} after pip install")


# ---------------------------------------------------------------------------------------------
# Seeding


TIME = re.compile(r"^(\d{4}-\d\d-\d\d)([ T])(\d\d:\d\d:\d\d)(\.\d+)?(.*)$")


def shift_time(value, seconds):
    """A timestamp moved `seconds` back, in the form it came in: epoch milliseconds (our SQLite
    rows) or an ISO date-time string with or without fraction and zone (dstack's SQLite rows,
    psql's text of either server's PostgreSQL rows)."""
    if value is None or value == "":
        return value
    if isinstance(value, int):
        if value < 10 ** 12:
            raise rb.BenchError(f"a timestamp that is not epoch milliseconds: {value}")
        return value - seconds * 1000
    m = TIME.match(value)
    if not m:
        raise rb.BenchError(f"a timestamp of unknown form: {value!r}")
    day, sep, clock, frac, zone = m.groups()
    t = datetime.datetime.fromisoformat(f"{day} {clock}{frac or ''}")
    t -= datetime.timedelta(seconds=seconds)
    text = t.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
    if frac:
        text += "." + f"{t.microsecond:06d}"[: len(frac) - 1].ljust(len(frac) - 1, "0")
    return text + zone


def seed_rows(templates, n, step):
    """n clones of one run's rows. templates: [(table, columns, rows)] as read from the database.

    Clone i (1..n): each row with an `id` column gets a new random UUID; every string value has
    the template's ids (in either spelling, 8-4-4-4-12 or 32 hex digits: dstack's SQLite rows
    use the latter) replaced by the clone's, and the run name `seedtemplate` by `seed-NNNNNN`
    (in run_name, job_name, workflow_id, the run and job spec JSON); every column named *_at is
    moved back by i * step seconds, so the clones are older than the template, step apart.
    Everything else (statuses, specs, offers, exit codes) is the template's."""
    old_ids = set()
    for _, cols, rows in templates:
        if "id" in cols:
            for row in rows:
                old_ids.add(str(uuid.UUID(str(row[cols.index("id")]))))
    keys = sorted(old_ids) + [u.replace("-", "") for u in old_ids] + [TEMPLATE]
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    out = {table: [] for table, _, _ in templates}
    for i in range(1, n + 1):
        subst = {TEMPLATE: f"seed-{i:06d}"}
        for old in old_ids:
            new = uuid.uuid4()
            subst[old] = str(new)
            subst[old.replace("-", "")] = new.hex
        for table, cols, rows in templates:
            for row in rows:
                clone = []
                for col, value in zip(cols, row):
                    if col.endswith("_at"):
                        value = shift_time(value, i * step)
                    if isinstance(value, str):
                        value = pattern.sub(lambda m: subst[m.group(0)], value)
                    clone.append(value)
                out[table].append(clone)
    return out


def seed_sqlite(server, n, step):
    db = sqlite3.connect(server.sqlite_path())
    try:
        templates = []
        for table, where in RUN_TABLES[server.kind]:
            cur = db.execute(f"SELECT * FROM {table} WHERE {where}")
            cols = [d[0] for d in cur.description]
            templates.append((table, cols, cur.fetchall()))
        check_template(templates)
        clones = seed_rows(templates, n, step)
        with db:
            for table, cols, _ in templates:
                db.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                               f"({', '.join('?' * len(cols))})", clones[table])
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t, _ in RUN_TABLES[server.kind]}
    finally:
        db.close()
    return counts


def seed_postgres(pg, dbname, kind, n, step):
    templates = []
    for table, where in RUN_TABLES[kind]:
        text = pg.psql(dbname, f"COPY (SELECT * FROM {table} WHERE {where}) TO STDOUT "
                               "WITH (FORMAT csv, HEADER, NULL '\\N')")
        rows = list(csv.reader(io.StringIO(text)))
        cols = rows[0]
        templates.append((table, cols, [[None if v == "\\N" else v for v in r] for r in rows[1:]]))
    check_template(templates)
    clones = seed_rows(templates, n, step)
    for table, cols, _ in templates:
        buf = io.StringIO()
        w = csv.writer(buf)
        for row in clones[table]:
            w.writerow(["\\N" if v is None else v for v in row])
        pg.psql(dbname, f"COPY {table} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                stdin=buf.getvalue())
    # A server in use has its statistics; autovacuum would analyze this much new data soon.
    for table, _ in RUN_TABLES[kind]:
        pg.psql(dbname, f"ANALYZE {table}")
    return {t: int(pg.psql(dbname, f"SELECT count(*) FROM {t}"))
            for t, _ in RUN_TABLES[kind]}


def check_template(templates):
    for table, _, rows in templates:
        if not rows:
            raise rb.BenchError(f"no rows of the template run in {table}")


# ---------------------------------------------------------------------------------------------
# The measures


def list_body():
    """What `dstack ps -a` of 0.22.5 sends (dstack/api/_public/runs.py, RunCollection.list)."""
    return {"project_name": rb.PROJECT, "repo_id": None, "username": None, "only_active": False,
            "include_jobs": True, "job_submissions_limit": 1, "prev_submitted_at": None,
            "prev_run_id": None, "limit": 100, "ascending": False}


def whole_page(page):
    """Whether a runs/list answer holds 100 runs, each with its job and its submission."""
    return len(page) == 100 and all(
        r.get("jobs") and r["jobs"][0].get("job_submissions") for r in page)


def time_list(api, calls):
    lat = []
    for i in range(5 + calls):
        page, s = api.ok("/api/runs/list", list_body())
        if not whole_page(page):
            raise rb.BenchError(f"runs/list answered {len(page)} runs, not 100 with their jobs")
        names = [r["run_spec"]["run_name"] for r in page[:3]]
        if names != [TEMPLATE, "seed-000001", "seed-000002"]:
            raise rb.BenchError(f"runs/list starts with {names}, not the template and its clones")
        if i >= 5:
            lat.append(s)
    return lat


def time_list_pages(api, calls):
    """runs/list walking back through older runs, 100 at a time (prev_submitted_at, prev_run_id
    of each page's last run), from the second page on: every page holds runs no call listed
    before, so what a server keeps of runs it already showed does not help."""
    lat, seen = [], set()
    body = list_body()
    page, _ = api.ok("/api/runs/list", body)
    for _ in range(calls):
        body = dict(body, prev_submitted_at=page[-1]["submitted_at"], prev_run_id=page[-1]["id"])
        page, s = api.ok("/api/runs/list", body)
        ids = {r["id"] for r in page}
        if not whole_page(page) or ids & seen:
            raise rb.BenchError(f"runs/list paging answered {len(page)} runs, not 100 new ones "
                                "with their jobs")
        seen |= ids
        lat.append(s)
    return lat


def time_applies(api, n, prefix, gpu=False):
    """runs/apply of n tasks `echo hello`, one after another, each after an untimed get_plan.
    gpu: the task asks for a GPU, which no fleet of either server has."""
    lat = []
    for i in range(n):
        spec = rb.run_spec(f"{prefix}-{i:04d}", ["echo hello"])
        if gpu:
            spec["configuration"]["resources"]["gpu"] = 1
        p, _ = api.ok(f"/api/project/{rb.PROJECT}/runs/get_plan", {"run_spec": spec})
        _, s = rb.apply(api, p)
        lat.append(s)
    return lat


def wait_finished(api, name, timeout):
    deadline = time.monotonic() + timeout
    while True:
        run = rb.get_run(api, name)
        if run.get("status") in rb.FINISHED:
            return run
        if time.monotonic() > deadline:
            raise rb.BenchError(f"run {name} did not finish in {timeout} s: {rb.describe(run)}")
        time.sleep(0.5)


class ServerTracker(rb.Tracker):
    """runs_bench's Tracker narrowed to one server: its descendants, its own pid files and the
    processes whose command line names its dir (or its HOME beside it), so that one server's
    leftovers are never counted as another's. Its `tmp` is the server's dir."""

    def _server_dirs(self):
        return [self.tmp]


def tree_rss(tracker):
    return sum(rb.rss_mib(pid) or 0 for pid, _ in tracker.alive())


def bench_one(kind, db, tmp, token, args, pg, own, f):
    """Steps 1 to 7 of the docstring for one server on one database, into f. own: the server
    and trackers it starts, for the caller to clean up."""
    name = f"{kind}-{db}"
    url = None
    if db == "postgres":
        dbname = kind
        pg.create_db(dbname)
        url = pg.url(dbname, "postgresql" if kind == "ours" else "postgresql+asyncpg")
    s = Ours(tmp, name, token, args, url) if kind == "ours" else Dstack(tmp, name, token, url)
    own["servers"].append(s)

    def start(label):
        s.port = rb.free_port()
        s.api = rb.Api(s.port, token)
        s.start()
        t = ServerTracker(s.proc.pid, s.dir)
        own["trackers"].append(t)
        t.start()
        secs = s.wait_healthy(args.start_timeout)
        ready = wait_get_200(s, s.ready_path, args.start_timeout)
        if s.built():
            f.setdefault("notes", []).append(f"{label}: the launcher built the server first")
        log(f"{name}: healthy in {secs:.2f} s, ready in {ready:.2f} s ({label})")
        return secs, ready, t

    f["load"] = loadavg()
    # Runs are applied only once the server is ready: ours answers get_info a moment before its
    # local fleet has its instance, and a run applied then fails (no instances).
    f["start_fresh"], f["ready_fresh"], _ = start("fresh server dir")
    p = rb.plan(s.api, TEMPLATE, ["echo hello"])
    rb.apply(s.api, p)
    run = wait_finished(s.api, TEMPLATE, args.run_timeout)
    f["template"] = run.get("status")
    log(f"{name}: template run {rb.describe(run)}")
    s.stop()
    wait_gone(own["trackers"], f, name)
    rb.cleanup([s], own["trackers"], tmp, args)  # leftovers would count in the restart's RSS

    t0 = time.monotonic()
    n = args.seed - 1
    counts = (seed_sqlite(s, n, args.step) if db == "sqlite"
              else seed_postgres(pg, dbname, kind, n, args.step))
    f["seed_s"] = time.monotonic() - t0
    f["stored"] = counts["runs"]
    f["counts"] = counts
    log(f"{name}: seeded {n} runs in {f['seed_s']:.1f} s; rows now {counts}")

    f["start_seeded"], f["ready_seeded"], tracker = start(f"restart, {counts['runs']} runs stored")
    time.sleep(args.idle)
    f["rss_idle"] = rb.rss_mib(s.main_pid())
    tracker.scan()
    f["rss_idle_all"] = tree_rss(tracker)
    f["procs_idle"] = len(tracker.alive())
    f["procs_idle_rss"] = [(round(rb.rss_mib(pid) or 0), cmd[:120]) for pid, cmd in tracker.alive()]
    log(f"{name}: RSS idle {f['rss_idle']:.0f} MiB, all {f['procs_idle']} processes "
        f"{f['rss_idle_all']:.0f} MiB")
    f["list"] = time_list(s.api, args.list_calls)
    log(f"{name}: runs/list p50 {rb.pct(f['list'], 50) * 1000:.1f} ms")
    f["list_pages"] = time_list_pages(s.api, args.list_calls)
    log(f"{name}: runs/list paging back p50 {rb.pct(f['list_pages'], 50) * 1000:.1f} ms")
    # The GPU tasks first: the others then run on our local fleet (runner JVMs starting).
    f["apply_gpu"] = time_applies(s.api, args.applies, "gpu", gpu=True)
    log(f"{name}: runs/apply (GPU task) p50 {rb.pct(f['apply_gpu'], 50) * 1000:.1f} ms")
    f["apply"] = time_applies(s.api, args.applies, "apply")
    log(f"{name}: runs/apply p50 {rb.pct(f['apply'], 50) * 1000:.1f} ms")
    f["rss_end"] = rb.rss_mib(s.main_pid())
    s.stop()
    wait_gone(own["trackers"], f, name)


def wait_gone(trackers, f, name, wait=15):
    """After a server stopped: what of its processes is still there after `wait` s (its shim,
    dev server, runners should stop with it). Recorded, and killed later by the clean-up."""
    for t in trackers:
        t.scan()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and any(t.alive() for t in trackers):
        time.sleep(0.5)
    left = sorted({cmd[:400] for t in trackers for _, cmd in t.alive()})
    if left:
        log(f"{name}: {wait} s after the server stopped, still running: {'; '.join(left)}")
        f.setdefault("left_after_stop", []).extend(left)


# ---------------------------------------------------------------------------------------------
# The report


def ms(values, q):
    v = rb.pct(values or [], q)
    return "-" if v is None else f"{v * 1000:.1f}"


def report(args, results, meta):
    lines = [f"{meta['date']}, {os.cpu_count()} CPUs, load average {meta['load_start']} at the "
             f"start, {meta.get('load_end', '?')} at the end; {meta['java']}; dstack "
             f"{DSTACK_VERSION} on {meta['python']}; --seed {args.seed} --applies {args.applies} "
             f"--list-calls {args.list_calls} --idle {args.idle:g}"]
    if meta.get("partial"):
        lines.append(f"NOTE: the benchmark {meta['partial']} part-way: the figures are partial.")
    for db in args.db:
        lines += ["", f"**{'SQLite' if db == 'sqlite' else 'PostgreSQL 15'}**", "",
                  "| figure | ours | dstack 0.22.5 | target (ours) |", "| --- | ---: | ---: | --- |"]
        o = results.get(("ours", db), {})
        d = results.get(("dstack", db), {})

        def row(label, fn, target=""):
            cells = []
            for r in (o, d):
                try:
                    cells.append(fn(r))
                except (KeyError, TypeError):
                    cells.append("-")
            lines.append(f"| {label} | {cells[0]} | {cells[1]} | {target} |")

        stored = o.get("stored") or d.get("stored") or args.seed
        row("load average when its measures began", lambda r: r["load"])
        row("start to healthy, fresh server dir (s)", lambda r: f"{r['start_fresh']:.2f}")
        row(f"start to healthy, {stored} runs stored (s)", lambda r: f"{r['start_seeded']:.2f}",
            "< 6")
        row("start to ready, fresh / stored (s)",
            lambda r: f"{r['ready_fresh']:.2f} / {r['ready_seeded']:.2f}")
        row(f"RSS after {args.idle:g} s idle, server process (MiB)",
            lambda r: f"{r['rss_idle']:.0f}", "< 256")
        row(f"RSS after {args.idle:g} s idle, all its processes (MiB)",
            lambda r: f"{r['rss_idle_all']:.0f} ({r['procs_idle']})")
        row(f"runs/list, 100 runs with jobs of {stored}, p50 / p95 (ms), {args.list_calls} calls",
            lambda r: f"{ms(r['list'], 50)} / {ms(r['list'], 95)}", "p50 < 30")
        row(f"runs/list, paging back through older runs, p50 / p95 (ms), {args.list_calls} pages",
            lambda r: f"{ms(r['list_pages'], 50)} / {ms(r['list_pages'], 95)}")
        row(f"runs/apply, GPU task (no fleet fits), p50 / p95 (ms), {args.applies} runs",
            lambda r: f"{ms(r['apply_gpu'], 50)} / {ms(r['apply_gpu'], 95)}", "p50 < 50")
        row(f"runs/apply, task that fits ours' local fleet, p50 / p95 (ms), {args.applies} runs",
            lambda r: f"{ms(r['apply'], 50)} / {ms(r['apply'], 95)}", "p50 < 50")
        row("RSS after the applies, server process (MiB)", lambda r: f"{r['rss_end']:.0f}")
        row("template run ended", lambda r: r["template"])
        row("processes left 15 s after a stop (killed by the clean-up)",
            lambda r: str(len(r.get("left_after_stop", []))) if r else "-")
        row(f"seeding {args.seed - 1} runs (s)", lambda r: f"{r['seed_s']:.1f}")
        notes = [f"NOTE ({who}): {note}: that start is not comparable."
                 for who, r in (("ours", o), ("dstack", d)) for note in r.get("notes", [])]
        if notes:
            lines += [""] + notes
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(
        description="Control-plane figures of our server beside dstack 0.22.5's.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--db", default="sqlite,postgres",
                    help="databases, comma-separated: sqlite, postgres (both)")
    ap.add_argument("--servers", default="ours,dstack", help="ours, dstack (both)")
    ap.add_argument("--seed", type=int, default=10000, help="runs stored for runs/list (10000)")
    ap.add_argument("--step", type=int, default=60,
                    help="seconds between the seeded runs' submitted_at (60)")
    ap.add_argument("--applies", type=int, default=50, help="runs/apply calls timed (50)")
    ap.add_argument("--list-calls", type=int, default=50, help="runs/list calls timed (50)")
    ap.add_argument("--idle", type=float, default=30, help="seconds idle before reading RSS (30)")
    ap.add_argument("--run-timeout", type=float, default=300,
                    help="seconds the template run may take to finish (300)")
    ap.add_argument("--start-timeout", type=float, default=900,
                    help="seconds a server may take to answer, builds included (900)")
    ap.add_argument("--prime", choices=["auto", "always", "never"], default="auto",
                    help="one unmeasured start of ours first: when the launcher would build or "
                         "write its class-data archive (auto), always, or never")
    ap.add_argument("--json", metavar="FILE", help="also write every sample as JSON to FILE")
    ap.add_argument("--logs", metavar="DIR", help="copy the servers' logs to DIR at the end")
    args = ap.parse_args()
    args.db = [d.strip() for d in args.db.split(",") if d.strip()]
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    if set(args.db) - {"sqlite", "postgres"} or set(args.servers) - set(SERVERS):
        ap.error("--db takes sqlite and postgres, --servers ours and dstack")
    if args.seed < 100 * (args.list_calls + 2):
        ap.error(f"--seed must be at least {100 * (args.list_calls + 2)}: runs/list asks for 100 "
                 f"runs, and pages back through {args.list_calls} pages after the first")
    # For runs_bench.Server and runs_bench.cleanup.
    args.mode, args.blocks = "process", None

    def on_signal(signum, frame):
        raise rb.Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    signal.signal(signal.SIGINT, signal.default_int_handler)

    tmp = tempfile.mkdtemp(prefix="dstack-cp-bench.")
    log(f"state in {tmp}")
    token = secrets.token_hex(16)
    meta = {"date": time.strftime("%Y-%m-%d"), "load_start": loadavg()}
    try:
        java = subprocess.run([os.path.join(ROOT, "scripts/java-home.sh")], capture_output=True,
                              text=True).stdout.strip()
        v = subprocess.run([os.path.join(java, "bin/java"), "-version"], capture_output=True,
                           text=True).stderr.splitlines()
        meta["java"] = v[0] if v else "java ?"
    except OSError:
        meta["java"] = "java ?"
    results = {}
    servers, trackers = [], []
    pg = Postgres()
    stray = []  # what the clean-up after each server could not stop
    rc = 0
    try:
        if "dstack" in args.servers:
            ensure_dstack()
            meta["python"] = subprocess.run([os.path.join(VENV, "bin/python"), "--version"],
                                            capture_output=True, text=True).stdout.strip()
        if "ours" in args.servers:
            due = rb.launcher_due("process")
            if args.prime == "always" or (args.prime == "auto" and due):
                log("priming ours (unmeasured start): " + ("; ".join(due) or "--prime always"))
                prime = Ours(tmp, "prime", token, args, None)
                servers.append(prime)
                prime.start()
                t = ServerTracker(prime.proc.pid, prime.dir)
                trackers.append(t)
                t.start()
                prime.wait_healthy(args.start_timeout)
                prime.stop()  # the JVM writes its class-data archive on this exit
                stray += rb.cleanup([prime], [t], tmp, args)
        if "postgres" in args.db:
            pg.start()
        for db in args.db:
            for kind in args.servers:
                log(f"--- {kind} on {db}")
                own = {"servers": [], "trackers": []}
                results[(kind, db)] = {}
                try:
                    bench_one(kind, db, tmp, token, args, pg, own, results[(kind, db)])
                finally:
                    # Nothing of one server may run on into the next one's figures.
                    servers += own["servers"]
                    trackers += own["trackers"]
                    stray += rb.cleanup(own["servers"], own["trackers"], tmp, args)
    except (KeyboardInterrupt, rb.Interrupted) as e:
        log(f"interrupted ({str(e) or 'Ctrl-C'}); cleaning up")
        meta["partial"] = "was interrupted"
        rc = 130
    except rb.BenchError as e:
        log(f"failed: {e}")
        meta["partial"] = "failed"
        rc = 1
    except Exception as e:
        import traceback
        traceback.print_exc()
        log(f"failed: {e!r}")
        meta["partial"] = "failed"
        rc = 1
    finally:
        signal.signal(signal.SIGINT, lambda s, f: log("cleaning up, please wait"))
        signal.signal(signal.SIGTERM, lambda s, f: log("cleaning up, please wait"))
        left = stray + rb.cleanup(servers, trackers, tmp, args)
        pg.stop()
        left += pg.left()
        if args.logs:
            os.makedirs(args.logs, exist_ok=True)
            for s in servers:
                if os.path.isfile(s.log_path):
                    shutil.copyfile(s.log_path, os.path.join(args.logs, os.path.basename(s.log_path)))
        shutil.rmtree(tmp, ignore_errors=True)
        if os.path.exists(tmp):
            log(f"could not remove {tmp} entirely")
        meta["load_end"] = loadavg()
        meta.setdefault("python", "-")
        if left:
            rc = rc or 1
    if results:
        print(report(args, results, meta))
    print(f"\nleft running afterwards: {', '.join(left) if left else 'nothing'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "meta": meta,
                       "results": {f"{k}-{d}": v for (k, d), v in results.items()}},
                      f, indent=1, default=str)
    return rc


if __name__ == "__main__":
    sys.exit(main())
