#!/usr/bin/env python3
"""Runs on the local fleet: how fast our server carries task runs, through its HTTP API.

Usage: python3 tools/bench/runs_bench.py --mode process|docker [--runs N] [--burst K] [...]

Starts `./dstack server` itself (a fresh server dir in a temp dir, a free port, a random token,
-n, the embedded Temporal dev server on free ports, DSTACK_LOCAL_FLEET_MODE=--mode,
DSTACK_LOCAL_FLEET_ON_SHUTDOWN=stop), waits for POST /api/server/get_info to answer, and
measures (each task asks for resources cpu --cpu, memory 1GB.., disk 1GB..):

  start        process start -> get_info answers 200; the server's VmRSS after --idle seconds
  sequential   --runs tasks `echo hello`, one after another (after one warm-up run, reported
               apart): submit (the runs/apply call starts; runs/get_plan comes before, untimed)
               -> first log line (logs/poll) and -> done (runs/get), polled every --poll s
  stop         --stops tasks `sleep 600`: runs/stop once running -> runs/get says terminated
  burst        --burst tasks `true` applied at once from as many threads: first apply -> all
               finished; every run must end done
  api          runs/apply latency of the sequential runs; runs/list (limit 100, only_active
               false) latency over --list-calls calls, with the number of runs stored

Prints a Markdown table on stdout (progress goes to stderr). Stops the server it started
(SIGINT, then SIGTERM after 30 s), then every process it started that is still there (the
Temporal dev server, the shim, runners: its descendants, the pids of the pid files in its server
dir, and processes whose command line names the temp dir; each checked by pid and start time,
killed by pid only) and, in docker mode, the containers labelled with its
shim home; removes the temp dir. It does so on failure and on Ctrl-C too. Python 3 stdlib only.

The launcher builds the server when sources changed, and writes its class-data archive on the
first exit after a build; --prime auto (default) runs one unmeasured start first when either is due.
"""

import argparse
import base64
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FINISHED = {"done", "failed", "terminated", "aborted"}
PROJECT = "main"


def log(msg):
    print(f"[runs_bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Interrupted(Exception):
    """SIGTERM or SIGHUP to this script: clean up as for Ctrl-C."""


class BenchError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# HTTP


class Api:
    """POST JSON with a bearer token; one keep-alive connection per thread, as a client would."""

    def __init__(self, port, token, timeout=60.0):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.local = threading.local()

    def _conn(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.local.conn = conn
        return conn

    def _drop(self):
        conn = getattr(self.local, "conn", None)
        if conn is not None:
            conn.close()
        self.local.conn = None

    def post(self, path, body=None, timeout=None):
        """(status, parsed JSON or text, seconds the call took)."""
        data = b"" if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self.token}", "X-API-VERSION": "0.22.5"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            conn = self._conn()
            if timeout is not None:
                conn.timeout = timeout
            start = time.monotonic()
            try:
                conn.request("POST", path, body=data, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
                elapsed = time.monotonic() - start
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed: once more on a fresh one.
                self._drop()
                if attempt == 2:
                    raise
                continue
            except Exception:
                self._drop()
                raise
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw.decode(errors="replace")
            return resp.status, parsed, elapsed
        raise AssertionError("unreachable")

    def ok(self, path, body=None):
        status, parsed, elapsed = self.post(path, body)
        if status != 200:
            raise BenchError(f"{path} answered {status}: {str(parsed)[:500]}")
        return parsed, elapsed


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Processes


def proc_stat(pid):
    """(ppid, starttime) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode(errors="replace")
    except OSError:
        return None
    # comm may hold spaces and parentheses: the fields after it start after the last ')'.
    fields = raw[raw.rfind(")") + 2 :].split()
    if fields and fields[0] == "Z":
        return None  # a zombie is gone but for its exit status
    return int(fields[1]), int(fields[19])


def proc_cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def proc_exe(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def all_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


class Tracker:
    """Remembers every process the server started: its descendants (the dev server, the shim and
    the runners run in sessions of their own, but stay its children), the pids its pid files name,
    and processes whose command line names our temp dir. Each is kept with its start time, so a
    pid reused by an unrelated process is never signalled."""

    def __init__(self, root_pid, tmp):
        self.root_pid = root_pid
        self.tmp = tmp
        self.seen = {}  # pid -> (starttime, cmdline)
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="tracker", daemon=True)

    def start(self):
        self.scan()
        self.thread.start()

    def _loop(self):
        while not self.stop_event.wait(1.0):
            try:
                self.scan()
            except Exception as e:  # never let the tracker die silently mid-run
                log(f"process scan failed: {e}")

    def _pid_file_pids(self):
        pids = []
        for rel, key in (("temporal/dev-server.pid", "pid="), ("local-shim/shim.pid", "")):
            for d in self._server_dirs():
                try:
                    with open(os.path.join(d, rel)) as f:
                        for line in f:
                            line = line.strip()
                            if key and line.startswith(key):
                                line = line[len(key) :]
                            elif key:
                                continue
                            if line.isdigit():
                                pids.append(int(line))
                                break
                except OSError:
                    pass
        return pids

    def _server_dirs(self):
        try:
            return [os.path.join(self.tmp, d) for d in os.listdir(self.tmp)]
        except OSError:
            return []

    def scan(self):
        stats = {}
        for pid in all_pids():
            st = proc_stat(pid)
            if st:
                stats[pid] = st
        children = {}
        for pid, (ppid, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        with self.lock:
            roots = [p for p, (start, _) in self.seen.items()
                     if p in stats and stats[p][1] == start]
        if self.root_pid in stats:
            roots.append(self.root_pid)
        # A pid file names a process of ours only while that process names our temp dir.
        roots += [p for p in self._pid_file_pids() if p in stats and self.tmp in proc_cmdline(p)]
        found = set()
        stack = list(roots)
        while stack:
            pid = stack.pop()
            if pid in found:
                continue
            found.add(pid)
            stack.extend(children.get(pid, []))
        me = os.getpid()
        for pid in stats:
            if pid not in found and pid != me and self.tmp in proc_cmdline(pid):
                found.add(pid)
        found.discard(me)
        with self.lock:
            for pid in found:
                start = stats[pid][1]
                known = self.seen.get(pid)
                if known is None or known[0] != start:
                    self.seen[pid] = (start, proc_cmdline(pid))

    def alive(self):
        """Tracked processes still running, as (pid, cmdline)."""
        out = []
        with self.lock:
            items = list(self.seen.items())
        for pid, (start, cmd) in items:
            if pid == os.getpid():
                continue
            st = proc_stat(pid)
            if st and st[1] == start:
                out.append((pid, cmd))
        return out

    def kill(self, pid, sig):
        with self.lock:
            known = self.seen.get(pid)
        st = proc_stat(pid)
        if known and st and st[1] == known[0]:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def stop(self):
        self.stop_event.set()


# ---------------------------------------------------------------------------------------------
# The server


def launcher_due(mode):
    """Why the launcher would build or write its class-data archive first (slow start), or []."""
    reasons = []
    jar = os.path.join(ROOT, "orchestrator/target/dstack-server.jar")
    archive = os.path.join(ROOT, "orchestrator/target/dstack-server.jsa")
    if not os.path.isfile(jar):
        return ["no server jar yet (it will be built)"]
    jar_time = os.path.getmtime(jar)
    modules = ["core", "workflows", "activities", "orchestrator", "shim", "runner"]
    newer = None
    for m in [os.path.join(ROOT, "pom.xml")] + [os.path.join(ROOT, m) for m in modules]:
        if os.path.isfile(m):
            if os.path.getmtime(m) > jar_time:
                newer = m
            continue
        for dirpath, dirnames, filenames in os.walk(m):
            dirnames[:] = [d for d in dirnames if d not in ("target", ".git", "node_modules")]
            for name in filenames:
                path = os.path.join(dirpath, name)
                if ("/src/main/" in path or name == "pom.xml") and os.path.getmtime(path) > jar_time:
                    newer = path
                    break
            if newer:
                break
        if newer:
            break
    if newer:
        reasons.append(f"sources changed since the last build ({os.path.relpath(newer, ROOT)})")
    if not os.path.isfile(archive):
        reasons.append("no class-data archive yet")
    else:
        lib = os.path.join(ROOT, "orchestrator/target/lib")
        newest = max([jar_time] + [os.path.getmtime(os.path.join(lib, f)) for f in os.listdir(lib)]
                     if os.path.isdir(lib) else [jar_time])
        if newest > os.path.getmtime(archive):
            reasons.append("class-data archive older than the jars")
    if mode == "docker":
        image = os.environ.get("DSTACK_BASE_IMAGE", "dstack-base:local")
        r = subprocess.run(["docker", "image", "inspect", image], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            reasons.append(f"no {image} image yet (the launcher builds it)")
    return reasons


class Server:
    def __init__(self, tmp, name, mode, token, args):
        self.dir = os.path.join(tmp, name)
        self.home = os.path.join(tmp, name + "-home")
        os.makedirs(self.home)
        self.log_path = os.path.join(tmp, name + ".log")
        self.mode = mode
        self.token = token
        self.port = free_port()
        self.args = args
        self.proc = None
        self.java_pid = None
        self.api = Api(self.port, token)
        self.extra_env = {}  # set last, e.g. DSTACK_DATABASE_URL (control_plane_bench.py)

    def start(self):
        env = dict(os.environ)
        env.update(
            DSTACK_SERVER_DIR=self.dir,
            DSTACK_TEMPORAL_PORT="0",
            DSTACK_TEMPORAL_UI_PORT="0",
            DSTACK_LOCAL_FLEET_MODE=self.mode,
            # Ctrl-C of the server stops the shim even when jobs still run on it.
            DSTACK_LOCAL_FLEET_ON_SHUTDOWN="stop",
            # Keep the server away from this user's ~/.dstack (it may update config.yml there).
            DSTACK_SERVER_JAVA_OPTS=(env.get("DSTACK_SERVER_JAVA_OPTS", "") +
                                     f" -Duser.home={self.home}").strip(),
        )
        if self.args.blocks:
            env["DSTACK_LOCAL_FLEET_BLOCKS"] = self.args.blocks
        for var in ("DSTACK_TEMPORAL_ADDRESS", "DSTACK_LOCAL_FLEET", "DSTACK_SERVER_PORT",
                    "DSTACK_SERVER_HOST", "DSTACK_SERVER_URL", "DSTACK_DATABASE_URL"):
            env.pop(var, None)
        env.update(self.extra_env)
        out = open(self.log_path, "ab")

        def child():
            # SIGINT ignored in this script's parent (a background job) would be inherited.
            signal.signal(signal.SIGINT, signal.SIG_DFL)

        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            [os.path.join(ROOT, "dstack"), "server", "--port", str(self.port),
             "--token", self.token, "-n"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C at the terminal reaches this script, which stops it
            preexec_fn=child,
        )
        out.close()

    def wait_healthy(self, timeout):
        deadline = self.started_at + timeout
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"the server exited with {self.proc.returncode} before it answered;"
                                 f" log tail:\n{self.log_tail()}")
            try:
                status, _, _ = self.api.post("/api/server/get_info", {}, timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"the server did not answer get_info in {timeout} s;"
                                 f" log tail:\n{self.log_tail()}")
            time.sleep(0.05)
        healthy = time.monotonic() - self.started_at
        self.api.timeout = 120.0
        self.api._drop()
        self.java_pid = self.find_java()
        return healthy

    def find_java(self):
        """The server's JVM: the launcher execs java, so normally the pid we started."""
        pid = self.proc.pid
        if os.path.basename(proc_exe(pid)) == "java":
            return pid
        for cand in all_pids():
            st = proc_stat(cand)
            if st and st[0] == pid and os.path.basename(proc_exe(cand)) == "java" \
                    and "DstackServer" in proc_cmdline(cand):
                return cand
        log(f"warning: pid {pid} is not java ({proc_exe(pid)}); RSS is of that process")
        return pid

    def built(self):
        text = self.log_text()
        return "Building the dstack server" in text or "Building the default job image" in text

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, n=30):
        return "\n".join(self.log_text().splitlines()[-n:])

    def stop(self):
        """SIGINT, then SIGTERM after 30 s, then SIGKILL after 30 s more."""
        if self.proc is None or self.proc.poll() is not None:
            return
        pid = self.proc.pid
        for sig, wait in ((signal.SIGINT, 30), (signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                if os.path.basename(proc_exe(pid)) == "java":
                    os.kill(pid, sig)
                else:
                    # Still the launcher (building, say): its process group is ours alone.
                    os.killpg(pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=wait)
                log(f"server stopped ({signal.Signals(sig).name}, exit {self.proc.returncode})")
                return
            except subprocess.TimeoutExpired:
                log(f"server still running {wait} s after {signal.Signals(sig).name}")


# ---------------------------------------------------------------------------------------------
# Runs


CPU = 1  # the tasks' resources.cpu (--cpu)


def run_spec(name, commands):
    return {
        "run_name": name,
        "configuration": {
            "type": "task",
            "name": name,
            "commands": commands,
            "resources": {"cpu": CPU, "memory": "1GB..", "disk": "1GB.."},
        },
        "configuration_path": "bench.dstack.yml",
        "repo_id": "none",
        "repo_data": {"repo_type": "virtual"},
    }


def plan(api, name, commands):
    p, _ = api.ok(f"/api/project/{PROJECT}/runs/get_plan", {"run_spec": run_spec(name, commands)})
    return p


def apply(api, p):
    """(run, seconds the apply call took)."""
    return api.ok(f"/api/project/{PROJECT}/runs/apply",
                  {"plan": {"run_spec": p["run_spec"], "current_resource": None}, "force": False})


def abort(api, name):
    """Aborts a run that took too long, so it does not hold the fleet's blocks."""
    try:
        api.ok(f"/api/project/{PROJECT}/runs/stop", {"runs_names": [name], "abort": True})
    except Exception as e:
        log(f"  could not abort {name}: {e}")


def get_run(api, name):
    run, _ = api.ok(f"/api/project/{PROJECT}/runs/get", {"run_name": name})
    return run


def submission_id(run):
    sub = (run or {}).get("latest_job_submission") or {}
    if sub.get("id"):
        return sub["id"]
    for job in (run or {}).get("jobs") or []:
        subs = job.get("job_submissions") or []
        if subs and subs[-1].get("id"):
            return subs[-1]["id"]
    return None


def describe(run):
    sub = run.get("latest_job_submission") or {}
    bits = [run.get("status")]
    for key in ("termination_reason", "status_message", "error"):
        if run.get(key):
            bits.append(f"{key}={run.get(key)}")
    for key in ("termination_reason", "termination_reason_message", "exit_status", "error"):
        if sub.get(key) not in (None, ""):
            bits.append(f"job {key}={sub.get(key)}")
    return ", ".join(str(b) for b in bits)


def first_log_lines(api, name, sub_id):
    body = {"run_name": name, "job_submission_id": sub_id, "start_time": None, "end_time": None,
            "descending": False, "next_token": None, "limit": 10, "diagnose": False}
    page, _ = api.ok(f"/api/project/{PROJECT}/logs/poll", body)
    out = b""
    for event in (page or {}).get("logs") or []:
        out += base64.b64decode(event.get("message", ""))
    return out


def one_run(api, name, commands, poll, timeout):
    """Applies a run, then polls its status (runs/get) and its log (logs/poll, the submission
    runs/get names) until it finished and a line was seen. Seconds from submit (the apply call's
    start): first log line, done, and when each status was first seen."""
    p = plan(api, name, commands)
    t0 = time.monotonic()
    run, apply_s = apply(api, p)
    result = {"name": name, "apply": apply_s, "first_log": None, "done": None, "status": None,
              "seen": {}, "apply_submission": submission_id(run)}
    while True:
        run = get_run(api, name)
        now = time.monotonic() - t0
        status = run.get("status")
        result["seen"].setdefault(status, now)
        sub_id = submission_id(run)
        if result["first_log"] is None and sub_id is not None:
            if first_log_lines(api, name, sub_id):
                result["first_log"] = time.monotonic() - t0
        if status in FINISHED:
            result["done"] = now
            result["status"] = status
            result["submission"] = sub_id
            if status != "done":
                result["detail"] = describe(run)
            return result
        if time.monotonic() - t0 > timeout:
            result["status"] = f"timeout ({status})"
            result["detail"] = describe(run)
            abort(api, name)
            return result
        time.sleep(poll)


def list_runs(api, only_active, limit=100, include_jobs=False, prev=None):
    body = {"project_name": PROJECT, "repo_id": None, "username": None, "only_active": only_active,
            "include_jobs": include_jobs, "job_submissions_limit": 1,
            "prev_submitted_at": prev[0] if prev else None,
            "prev_run_id": prev[1] if prev else None, "limit": limit, "ascending": False}
    return api.ok(f"/api/project/{PROJECT}/runs/list", body)


def all_runs(api, only_active):
    runs, prev = [], None
    while True:
        page, _ = list_runs(api, only_active, prev=prev)
        runs.extend(page)
        if len(page) < 100:
            return runs
        prev = (page[-1]["submitted_at"], page[-1]["id"])


def pct(values, q):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if q == 50:
        return statistics.median(values)
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# ---------------------------------------------------------------------------------------------
# The benchmark


def bench_sequential(api, args, figures):
    log("warm-up run (cold runner, not counted)")
    warm = one_run(api, "warmup", ["echo hello"], args.poll, args.run_timeout)
    figures["warmup"] = warm
    if warm["status"] != "done":
        raise BenchError(f"the warm-up run ended {warm['status']}: {warm.get('detail', '')}; "
                         "the fleet does not run jobs, see the server log (--logs DIR)")
    results = []
    figures["sequential"] = results
    failed_in_a_row = 0
    for i in range(args.runs):
        r = one_run(api, f"seq-{i:04d}", ["echo hello"], args.poll, args.run_timeout)
        results.append(r)
        if r["status"] != "done" or r["first_log"] is None:
            log(f"  {r['name']}: {r['status']} {r.get('detail', '')}"
                f"{'' if r['first_log'] is not None else ' (no log line)'}")
        failed_in_a_row = 0 if r["status"] == "done" else failed_in_a_row + 1
        if failed_in_a_row == 3:
            raise BenchError("3 runs in a row did not end done; see the server log (--logs DIR)")
        if (i + 1) % 10 == 0 or i + 1 == args.runs:
            log(f"sequential: {i + 1}/{args.runs}")
    moved = sum(1 for r in results if r.get("submission") and r["apply_submission"] != r["submission"])
    if moved:
        log(f"note: for {moved} of {len(results)} runs the job submission id in the runs/apply answer"
            " is not the one runs/get names later (logs/poll of the first answers nothing)")


def bench_stop(api, args, figures):
    results = []
    for i in range(args.stops):
        name = f"stop-{i:02d}"
        p = plan(api, name, ["sleep 600"])
        run, _ = apply(api, p)
        deadline = time.monotonic() + args.run_timeout
        while run.get("status") != "running":
            if run.get("status") in FINISHED or time.monotonic() > deadline:
                break
            time.sleep(args.poll)
            run = get_run(api, name)
        if run.get("status") != "running":
            log(f"  {name} did not reach running: {describe(run)}")
            abort(api, name)
            results.append({"name": name, "stop": None, "status": f"not running ({run.get('status')})"})
            continue
        t0 = time.monotonic()
        api.ok(f"/api/project/{PROJECT}/runs/stop", {"runs_names": [name], "abort": False})
        deadline = t0 + args.run_timeout
        while run.get("status") not in FINISHED and time.monotonic() < deadline:
            time.sleep(args.poll)
            run = get_run(api, name)
        elapsed = time.monotonic() - t0 if run.get("status") in FINISHED else None
        results.append({"name": name, "stop": elapsed, "status": run.get("status")})
        if run.get("status") != "terminated":
            log(f"  {name} after stop: {describe(run)}")
    log(f"stop: {len(results)} runs")
    figures["stop"] = results


def bench_burst(api, args, figures):
    k = args.burst
    names = [f"burst-{i:04d}" for i in range(k)]
    barrier = threading.Barrier(k + 1)
    applied = {}
    errors = {}
    apply_lat = []
    lock = threading.Lock()

    def worker(name):
        try:
            p = plan(api, name, ["true"])
        except Exception as e:
            with lock:
                errors[name] = f"get_plan: {e}"
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            return
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return
        try:
            _, s = apply(api, p)
            with lock:
                applied[name] = True
                apply_lat.append(s)
        except Exception as e:
            with lock:
                errors[name] = f"apply: {e}"

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in names]
    log(f"burst: planning {k} runs")
    for t in threads:
        t.start()
    barrier.wait(timeout=max(120, k))
    t0 = time.monotonic()
    log(f"burst: applying {k} runs at once")
    deadline = t0 + args.burst_timeout
    all_done = None
    last_report = t0
    while time.monotonic() < deadline:
        if all(not t.is_alive() for t in threads):
            active = {r["run_spec"]["run_name"] for r in all_runs(api, only_active=True)}
            pending = [n for n in applied if n in active]
            if not pending:
                # Confirm with each run's own status: the list filter must agree.
                statuses = {r["run_spec"]["run_name"]: r for r in all_runs(api, only_active=False)}
                unfinished = [n for n in applied if statuses.get(n, {}).get("status") not in FINISHED]
                if not unfinished:
                    all_done = time.monotonic() - t0
                    break
            if time.monotonic() - last_report > 10:
                log(f"burst: {len(pending)} of {len(applied)} applied runs still active")
                last_report = time.monotonic()
        time.sleep(0.25)
    statuses = {r["run_spec"]["run_name"]: r for r in all_runs(api, only_active=False)}
    if all_done is None:
        log(f"burst: not all finished in {args.burst_timeout:.0f} s; aborting the rest")
        for n in applied:
            if statuses.get(n, {}).get("status") not in FINISHED:
                abort(api, n)
    counts = {}
    not_done = []
    for n in names:
        r = statuses.get(n)
        st = "missing" if r is None else r.get("status")
        if n in errors:
            st = "not applied"
        counts[st] = counts.get(st, 0) + 1
        if st != "done":
            not_done.append((n, errors.get(n) or (describe(r) if r else "not stored")))
    for n, why in not_done[:10]:
        log(f"  {n}: {why}")
    figures["burst"] = {"k": k, "seconds": all_done, "counts": counts, "apply": apply_lat,
                        "errors": len(errors), "not_done": len(not_done)}
    log(f"burst: {counts} in {all_done if all_done is not None else 'timeout'} s")


def bench_api(api, args, figures):
    stored = len(all_runs(api, only_active=False))
    lat = []
    for _ in range(args.list_calls):
        _, s = list_runs(api, only_active=False, include_jobs=True)
        lat.append(s)
    figures["list"] = {"stored": stored, "latency": lat}


def fmt_s(v, digits=2):
    return "-" if v is None else f"{v:.{digits}f}"


def fmt_ms(v):
    return "-" if v is None else f"{v * 1000:.1f}"


def report(args, figures, meta):
    lines = []
    lines.append(f"{meta['date']}, mode {args.mode}, {os.cpu_count()} CPUs, load average "
                 f"{meta['load_start']} at the start, {meta.get('load_end', '?')} at the end; "
                 f"{meta['java']}; runs {args.runs}, stops {args.stops}, burst {args.burst}"
                 + (f", blocks {args.blocks}" if args.blocks else "")
                 + (f", cpu {args.cpu}" if args.cpu != "1" else ""))
    if meta.get("partial"):
        lines.append(f"NOTE: the benchmark {meta['partial']} part-way: the figures are partial.")
    if meta.get("built"):
        lines.append("NOTE: the launcher built the server or the job image during the measured "
                     "start: start to healthy is not comparable.")
    if meta.get("archive_due"):
        lines.append("NOTE: the launcher had no current class-data archive for the measured start "
                     "(run with --prime always).")
    lines.append("")
    lines.append("| figure | value | target |")
    lines.append("| --- | ---: | --- |")

    def row(name, value, target=""):
        lines.append(f"| {name} | {value} | {target} |")

    row("start to healthy (s)", fmt_s(figures.get("start")), "< 6")
    row(f"server RSS after {args.idle:g} s idle (MiB)", fmt_s(figures.get("rss_idle"), 0), "< 256")
    row("Temporal dev server RSS, idle (MiB)", fmt_s(figures.get("temporal_rss"), 0))
    warm = figures.get("warmup")
    if warm:
        row("first run, cold runner: submit to done (s)",
            fmt_s(warm["done"]) + ("" if warm["status"] == "done" else f" ({warm['status']})"))
    seq = figures.get("sequential")
    if seq is not None:
        ok = [r for r in seq if r["status"] == "done"]
        target_done = "< 1 (process)" if args.mode == "process" else "< 2 (docker)"
        row(f"submit to first log line, p50 / p95 (s), {len(seq)} runs",
            f"{fmt_s(pct([r['first_log'] for r in seq], 50))} / "
            f"{fmt_s(pct([r['first_log'] for r in seq], 95))}")
        row(f"submit to done, p50 / p95 (s), {len(seq)} runs",
            f"{fmt_s(pct([r['done'] for r in ok], 50))} / {fmt_s(pct([r['done'] for r in ok], 95))}",
            f"p50 {target_done}")
        row("submit to running, p50 (s)",
            fmt_s(pct([r["seen"].get("running") for r in seq], 50)))
        row("sequential runs done / without a log line",
            f"{len(ok)} of {len(seq)} / {sum(1 for r in seq if r['first_log'] is None)}")
        row("runs/apply, p50 / p95 (ms)",
            f"{fmt_ms(pct([r['apply'] for r in seq], 50))} / {fmt_ms(pct([r['apply'] for r in seq], 95))}",
            "p50 < 50")
    stop = figures.get("stop")
    if stop is not None:
        term = [r for r in stop if r["status"] == "terminated"]
        row(f"stop to terminated, p50 / max (s), {len(stop)} runs",
            f"{fmt_s(pct([r['stop'] for r in term], 50))} / "
            f"{fmt_s(max([r['stop'] for r in term], default=None))}"
            + ("" if len(term) == len(stop) else f" ({len(term)} of {len(stop)} terminated)"),
            "p50 < 2")
    burst = figures.get("burst")
    if burst is not None:
        secs = burst["seconds"]
        row(f"{burst['k']} runs at once: all finished (s)", fmt_s(secs, 1))
        row(f"{burst['k']} runs at once: done / not done",
            f"{burst['counts'].get('done', 0)} / {burst['not_done']}"
            + ("" if not burst["not_done"] else " (" + ", ".join(
                f"{k}: {v}" for k, v in sorted(burst["counts"].items()) if k != "done") + ")"),
            "all done")
        row(f"{burst['k']} runs at once: runs per second",
            fmt_s(burst["k"] / secs if secs else None))
        row(f"{burst['k']} runs at once: runs/apply p50 / max (ms)",
            f"{fmt_ms(pct(burst['apply'], 50))} / {fmt_ms(max(burst['apply'], default=None))}")
    lst = figures.get("list")
    if lst is not None:
        row(f"runs/list (limit 100, only_active false), p50 (ms), {len(lst['latency'])} calls, "
            f"{lst['stored']} runs stored", fmt_ms(pct(lst["latency"], 50)), "< 30 with >= 100 runs")
    if figures.get("rss_end") is not None:
        row("server RSS after the runs (MiB)", fmt_s(figures["rss_end"], 0))
    if "log_errors" in figures:
        row("server log: ERROR / WARN lines", f"{figures['log_errors']} / {figures['log_warns']}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(
        description="Benchmark task runs on the local fleet of our dstack server.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--mode", choices=["process", "docker"], required=True,
                    help="DSTACK_LOCAL_FLEET_MODE of the server")
    ap.add_argument("--blocks", metavar="N|auto",
                    help="DSTACK_LOCAL_FLEET_BLOCKS of the server (default: the server's, auto)")
    ap.add_argument("--cpu", default="1",
                    help="resources.cpu of every task (1: one block of a host split per CPU; "
                         "with --blocks 1 use 1..)")
    ap.add_argument("--runs", type=int, default=50, help="sequential `echo hello` runs (50)")
    ap.add_argument("--stops", type=int, default=5, help="`sleep 600` runs to stop (5)")
    ap.add_argument("--burst", type=int, default=200, help="`true` runs applied at once (200)")
    ap.add_argument("--list-calls", type=int, default=20, help="runs/list calls timed (20)")
    ap.add_argument("--idle", type=float, default=30, help="seconds idle before reading RSS (30)")
    ap.add_argument("--poll", type=float, default=0.05, help="poll interval, seconds (0.05)")
    ap.add_argument("--run-timeout", type=float, default=180, help="seconds one run may take (180)")
    ap.add_argument("--burst-timeout", type=float, default=None,
                    help="seconds the burst may take (default 60 + 3 s a run)")
    ap.add_argument("--start-timeout", type=float, default=900,
                    help="seconds the server may take to answer, builds included (900)")
    ap.add_argument("--prime", choices=["auto", "always", "never"], default="auto",
                    help="one unmeasured start first: when the launcher would build or write its "
                         "class-data archive (auto), always, or never")
    ap.add_argument("--json", metavar="FILE", help="also write every sample as JSON to FILE")
    ap.add_argument("--logs", metavar="DIR",
                    help="copy the server's, the dev server's and the shim's logs to DIR at the end")
    args = ap.parse_args()
    global CPU
    CPU = int(args.cpu) if args.cpu.isdigit() else args.cpu
    if args.burst_timeout is None:
        args.burst_timeout = 60 + 3 * args.burst

    def on_signal(signum, frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    # Ctrl-C cleans up too, even where a shell started this script with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    tmp = tempfile.mkdtemp(prefix="dstack-runs-bench.")
    log(f"state in {tmp}")
    token = secrets.token_hex(16)
    meta = {"date": time.strftime("%Y-%m-%d"),
            "load_start": " ".join(open("/proc/loadavg").read().split()[:3])}
    try:
        java = subprocess.run([os.path.join(ROOT, "scripts/java-home.sh")], capture_output=True,
                              text=True).stdout.strip()
        v = subprocess.run([os.path.join(java, "bin/java"), "-version"], capture_output=True,
                           text=True).stderr.splitlines()
        meta["java"] = v[0] if v else "java ?"
    except OSError:
        meta["java"] = "java ?"
    figures = {}
    servers = []
    trackers = []
    rc = 0
    try:
        due = launcher_due(args.mode)
        if args.prime == "always" or (args.prime == "auto" and due):
            log("priming (unmeasured start): " + ("; ".join(due) if due else "--prime always"))
            prime = Server(tmp, "prime", args.mode, token, args)
            servers.append(prime)
            prime.start()
            t = Tracker(prime.proc.pid, tmp)
            trackers.append(t)
            t.start()
            prime.wait_healthy(args.start_timeout)
            prime.stop()  # the JVM writes its class-data archive on this exit
            log("primed")
        meta["archive_due"] = any("archive" in r for r in launcher_due(args.mode))

        server = Server(tmp, "server", args.mode, token, args)
        servers.append(server)
        log(f"starting ./dstack server --port {server.port} (mode {args.mode})")
        server.start()
        tracker = Tracker(server.proc.pid, tmp)
        trackers.append(tracker)
        tracker.start()
        figures["start"] = server.wait_healthy(args.start_timeout)
        meta["built"] = server.built()
        log(f"healthy in {figures['start']:.2f} s (java pid {server.java_pid})")
        time.sleep(args.idle)
        figures["rss_idle"] = rss_mib(server.java_pid)
        try:
            with open(os.path.join(server.dir, "temporal/dev-server.pid")) as f:
                tpid = next((int(l[4:]) for l in f if l.startswith("pid=") and l[4:].strip().isdigit()),
                            None)
            figures["temporal_rss"] = rss_mib(tpid) if tpid else None
        except OSError:
            figures["temporal_rss"] = None
        log(f"RSS idle {figures['rss_idle']} MiB")

        api = server.api
        bench_sequential(api, args, figures)
        bench_stop(api, args, figures)
        bench_burst(api, args, figures)
        bench_api(api, args, figures)
        figures["rss_end"] = rss_mib(server.java_pid)
    except (KeyboardInterrupt, Interrupted) as e:
        log(f"interrupted ({str(e) or 'Ctrl-C'}); cleaning up")
        meta["partial"] = "interrupted"
        rc = 130
    except BenchError as e:
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
        # A second Ctrl-C must not cut the clean-up short.
        signal.signal(signal.SIGINT, lambda s, f: log("cleaning up, please wait"))
        signal.signal(signal.SIGTERM, lambda s, f: log("cleaning up, please wait"))
        leftovers = cleanup(servers, trackers, tmp, args)
        if leftovers:
            rc = rc or 1
        if servers:
            text = servers[-1].log_text()
            figures["log_errors"] = sum(1 for l in text.splitlines() if " ERROR " in l)
            figures["log_warns"] = sum(1 for l in text.splitlines() if " WARN " in l)
        if args.logs:
            save_logs(servers, args.logs)
        shutil.rmtree(tmp, ignore_errors=True)
        if os.path.exists(tmp):
            log(f"could not remove {tmp} entirely")
        meta["load_end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    if "start" in figures:
        print(report(args, figures, meta))
        print(f"\nleft running afterwards: {', '.join(leftovers) if leftovers else 'nothing'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "meta": meta, "figures": figures}, f, indent=1,
                      default=str)
    return rc


def save_logs(servers, dest):
    os.makedirs(dest, exist_ok=True)
    for s in servers:
        name = os.path.basename(s.dir)
        for src, out in ((s.log_path, f"{name}.log"),
                         (os.path.join(s.dir, "temporal/dev-server.log"), f"{name}-temporal.log"),
                         (os.path.join(s.dir, "local-shim/shim.log"), f"{name}-shim.log")):
            if os.path.isfile(src):
                shutil.copyfile(src, os.path.join(dest, out))
    log(f"logs copied to {dest}")


def cleanup(servers, trackers, tmp, args):
    """Stops the servers, then whatever they started that is left. Returns what is still left."""
    for s in servers:
        try:
            s.stop()
        except Exception as e:
            log(f"stopping the server failed: {e!r}")
    for t in trackers:
        try:
            t.scan()
        except Exception:
            pass
        t.stop()
    # The server stops the shim and the dev server itself; give them a moment, then by pid.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(t.alive() for t in trackers):
        time.sleep(0.5)
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        left = [(t, pid, cmd) for t in trackers for pid, cmd in t.alive()]
        if not left:
            break
        for t, pid, cmd in left:
            log(f"left running: pid {pid} ({cmd[:120]}); {signal.Signals(sig).name}")
            t.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(t.alive() for t in trackers):
            time.sleep(0.25)
    if args.mode == "docker":
        remove_containers(tmp)
    left = [f"pid {pid} ({cmd[:80]})" for t in trackers for pid, cmd in t.alive()]
    tracked = sum(len(t.seen) for t in trackers)
    if left:
        log(f"of {tracked} processes started, still running: " + "; ".join(left))
    else:
        log(f"nothing left running (of {tracked} processes started: server, dev server, shim,"
            " runners)")
    return left


def remove_containers(tmp):
    """Task containers whose shim home lies in our temp dir (the shim labels them)."""
    try:
        out = subprocess.run(
            ["docker", "ps", "-a", "--filter", "label=ai.dstack.shim.is-task=true", "--format",
             '{{.ID}} {{.Label "ai.dstack.shim.home"}}'],
            capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        log(f"could not list containers: {e}")
        return
    ours = [line.split()[0] for line in out.splitlines()
            if len(line.split()) == 2 and line.split()[1].startswith(tmp + "/")]
    if ours:
        log(f"removing {len(ours)} task containers left behind")
        subprocess.run(["docker", "rm", "-f"] + ours, stdout=subprocess.DEVNULL, timeout=120)


if __name__ == "__main__":
    sys.exit(main())
