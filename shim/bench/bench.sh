#!/usr/bin/env bash
# bench.sh - the shim's start time, idle memory and task start latency, per mode (median of runs).
#
# Measures, for each mode (process, docker):
#   start       process start -> first answered GET /api/healthcheck
#   rss         the shim's resident memory after it started and idled (IDLE seconds)
#   submit      POST /api/tasks -> GET /api/tasks/{id} says "running"  (1st and 2nd task)
#   runner      POST /api/tasks -> the runner in the task answers its healthcheck  (1st and 2nd)
# with the real runner (runner/target) and, in docker mode, the local image dstack-base:local.
# Not a test: figures depend on the machine and its load. Only 127.0.0.1 is used.
#
# Usage: shim/bench/bench.sh [--runs N] [--modes "process docker"] [--write]   (as root, for docker)
#   --write   replace the "## Shim" section of docs/benchmarks.md with the results
# Each mode runs with three JVM configurations of the shim: default flags, the lean set
# (LEAN_OPTS), and the lean set with a class-data archive written by a first, unmeasured run.
# Environment: IDLE (seconds idle before reading RSS, default 3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS=3
MODES="process docker"
WRITE=0
IDLE="${IDLE:-3}"
LEAN_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:-UsePerfData"
SHIM_JAVA_OPTS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift ;;
        --modes) MODES="$2"; shift ;;
        --write) WRITE=1 ;;
        -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

JAVA="$("$ROOT/scripts/java-home.sh")/bin/java"
SHIM_JAR="$ROOT/shim/target/dstack-shim-0.1.0-SNAPSHOT.jar"
RUNNER_JAR="$ROOT/runner/target/dstack-runner-0.1.0-SNAPSHOT.jar"
if [ ! -f "$SHIM_JAR" ] || [ ! -f "$RUNNER_JAR" ]; then
    echo "[bench] building the shim and the runner" >&2
    "$ROOT/scripts/mvn" -q -pl core,runner,shim -am install -DskipTests >&2
fi
IMAGE=dstack-base:local
if [[ " $MODES " == *" docker "* ]]; then
    if ! docker info >/dev/null 2>&1 || ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
        echo "[bench] docker mode needs an engine and $IMAGE: scripts/ensure-docker.sh && docker/build-base-image.sh" >&2
        exit 1
    fi
fi

WORK="$(mktemp -d /tmp/shim-bench.XXXXXX)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
SHIM_PID=""
cleanup() {
    if [ -n "$SHIM_PID" ] && kill -0 "$SHIM_PID" 2>/dev/null; then
        kill "$SHIM_PID" 2>/dev/null || true
        wait "$SHIM_PID" 2>/dev/null || true
    fi
    # runner processes and containers of the bench's shims, should any be left
    local proc cwd
    for proc in /proc/[0-9]*; do
        cwd="$(readlink "$proc/cwd" 2>/dev/null || true)"
        [[ "$cwd" == "$WORK"/* ]] && kill -9 "${proc#/proc/}" 2>/dev/null || true
    done
    if command -v docker >/dev/null; then
        docker ps -a --filter "label=ai.dstack.shim.home" --format '{{.ID}} {{.Label "ai.dstack.shim.home"}}' 2>/dev/null |
            awk -v w="$WORK" 'index($2, w) == 1 { print $1 }' | xargs -r docker rm -f >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# one run: start a shim, measure, submit a task, measure, clean up; prints "start rss submit runner"
run_once() {
    local mode="$1" home out port t0 t_start rss task_port id t1 t_running t_runner status
    home="$WORK/$mode-$RANDOM"
    mkdir -p "$home"
    out="$home.out"
    t0=$(now_ms)
    # shellcheck disable=SC2086
    "$JAVA" ${SHIM_JAVA_OPTS:-} -jar "$SHIM_JAR" --port 0 --home "$home" --mode "$mode" \
        --runner-jar "$RUNNER_JAR" >"$out" 2>"$home.err" &
    SHIM_PID=$!
    until port="$(grep -o 'listening on 127.0.0.1:[0-9]*' "$out" 2>/dev/null | cut -d: -f2)" && [ -n "$port" ]; do
        kill -0 "$SHIM_PID" || { cat "$home.err" >&2; exit 1; }
        sleep 0.002
    done
    until curl -sf "http://127.0.0.1:$port/api/healthcheck" >/dev/null; do sleep 0.002; done
    t_start=$(( $(now_ms) - t0 ))
    curl -sf "http://127.0.0.1:$port/api/tasks" >/dev/null # the engine is up
    sleep "$IDLE"
    rss=$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$SHIM_PID/status")

    # two tasks, one after the other: the first runner starts cold and leaves the class-data
    # archive in the shim's cache, the second starts from it (every later task does)
    local first_running first_runner
    read -r first_running first_runner <<<"$(task_once "$port")"
    read -r t_running t_runner <<<"$(task_once "$port")"
    [ -n "$first_runner" ] && [ -n "$t_runner" ] || { echo "[bench] a task failed" >&2; exit 1; }
    t_running="$first_running/$t_running"
    t_runner="$first_runner/$t_runner"
    curl -sf -X POST "http://127.0.0.1:$port/api/shutdown" -d '{"force":false}' >/dev/null
    wait "$SHIM_PID" 2>/dev/null || true
    SHIM_PID=""
    echo "$t_start $rss $t_running $t_runner"
}

# one task through the shim on $1: prints "submit->running submit->runner-answers" (ms)
task_once() {
    local port="$1" task_port id t1 t_running="" t_runner="" status
    task_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    id="bench-$RANDOM"
    t1=$(now_ms)
    curl -sf -X POST "http://127.0.0.1:$port/api/tasks" \
        -d "{\"id\":\"$id\",\"name\":\"bench\",\"image_name\":\"$IMAGE\",\"runner_port\":$task_port}" >/dev/null
    while [ -z "$t_runner" ]; do
        if [ -z "$t_running" ]; then
            status="$(curl -sf "http://127.0.0.1:$port/api/tasks/$id" | grep -o '"status":"[a-z]*"' | cut -d'"' -f4)"
            [ "$status" = running ] && t_running=$(( $(now_ms) - t1 ))
            [ "$status" = terminated ] && { curl -s "http://127.0.0.1:$port/api/tasks/$id" >&2; exit 1; }
        fi
        curl -sf "http://127.0.0.1:$task_port/api/healthcheck" >/dev/null 2>&1 && t_runner=$(( $(now_ms) - t1 ))
        [ $(( $(now_ms) - t1 )) -gt 120000 ] && { echo "[bench] the runner did not answer" >&2; exit 1; }
        sleep 0.005
    done
    [ -z "$t_running" ] && t_running="$t_runner"
    # SIGTERM: the runner exits normally, which writes its class-data archive
    curl -sf -X POST "http://127.0.0.1:$port/api/tasks/$id/terminate" \
        -d '{"termination_reason":"terminated_by_user","termination_message":"","timeout":10}' >/dev/null
    curl -sf -X POST "http://127.0.0.1:$port/api/tasks/$id/remove" >/dev/null
    echo "$t_running $t_runner"
}

declare -A RESULT
CONFIGS="default lean cds"
for config in $CONFIGS; do
    case "$config" in
        default) SHIM_JAVA_OPTS="" ;;
        lean) SHIM_JAVA_OPTS="$LEAN_OPTS" ;;
        cds) SHIM_JAVA_OPTS="$LEAN_OPTS -XX:SharedArchiveFile=$WORK/shim.jsa -XX:+AutoCreateSharedArchive -Xlog:cds*=off"
             run_once process >/dev/null ;; # writes the archive; not measured
    esac
    for mode in $MODES; do
        : >"$WORK/$config-$mode.results"
        for ((i = 1; i <= RUNS; i++)); do
            line="$(run_once "$mode")"
            echo "[bench] $config $mode run $i: start, rss, submit->running, submit->runner (1st/2nd task): $line" >&2
            echo "$line" >>"$WORK/$config-$mode.results"
        done
        for col in 1 2; do
            RESULT[$config,$mode,$col]="$(awk -v c=$col '{ print $c }' "$WORK/$config-$mode.results" | median)"
        done
        for col in 3 4; do
            first="$(awk -v c=$col '{ split($c, v, "/"); print v[1] }' "$WORK/$config-$mode.results" | median)"
            next="$(awk -v c=$col '{ split($c, v, "/"); print v[2] }' "$WORK/$config-$mode.results" | median)"
            RESULT[$config,$mode,$col]="$first / $next"
        done
    done
done

CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n1)"
DOCKER_VERSION="$(docker info --format '{{.ServerVersion}} ({{.Driver}})' 2>/dev/null || echo none)"
{
    echo "## Shim"
    echo
    echo "\`shim/bench/bench.sh\` on $(date -u +%Y-%m-%d), median of $RUNS runs per row. The shim runs with"
    echo "\`java -jar\` and \`--port 0\`; tasks run the real runner (\`runner/target\`), in docker mode in"
    echo "\`$IMAGE\` on the host network. Start: process start to the first answered"
    echo "\`GET /api/healthcheck\` (curl polling every 2 ms). RSS: \`VmRSS\` after ${IDLE} s idle, the engine up."
    echo "Submit -> running: \`POST /api/tasks\` until \`GET /api/tasks/{id}\` says running (container"
    echo "started). Submit -> runner: until the runner in the task answers its healthcheck, which is when"
    echo "the server can submit the job. Each run submits two tasks in a row: the first runner starts cold"
    echo "and leaves its class-data archive in the shim's cache (\`HOME/cache/runner.jsa\`); the second and"
    echo "every later one start from it."
    echo
    echo "| shim JVM | mode | start (ms) | RSS idle (MiB) | submit -> running, 1st / 2nd task (ms) | submit -> runner answers, 1st / 2nd task (ms) |"
    echo "| --- | --- | ---: | ---: | ---: | ---: |"
    for config in $CONFIGS; do
        case "$config" in
            default) label="default JVM flags" ;;
            lean) label="lean: \`$LEAN_OPTS\`" ;;
            cds) label="lean + class-data archive (\`-XX:SharedArchiveFile -XX:+AutoCreateSharedArchive\`)" ;;
        esac
        for mode in $MODES; do
            echo "| $label | $mode | ${RESULT[$config,$mode,1]} | ${RESULT[$config,$mode,2]} | ${RESULT[$config,$mode,3]} | ${RESULT[$config,$mode,4]} |"
        done
    done
    echo
    echo "$(nproc) CPUs ($CPU), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $JAVA_VERSION;"
    echo "Docker $DOCKER_VERSION; load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    echo
    echo "Reading them: the shim answers its healthcheck before it has found the GPUs and connected to"
    echo "Docker (task requests wait for that), so the start is the JVM's and the HTTP server's; the class-data"
    echo "archive spares most of the class loading. Docker mode holds docker-java's client, hence the higher"
    echo "RSS. A task's first submit pays the shim's first-use class loading and the runner's cold JVM start;"
    echo "from the second task on, the runner starts from its archive. Other builds shared these 2 CPUs: take"
    echo "the figures as an upper bound."
} >"$WORK/section.md"
cat "$WORK/section.md"

if [ "$WRITE" = 1 ]; then
    DOC="$ROOT/docs/benchmarks.md"
    [ -f "$DOC" ] || printf '# Benchmarks\n\nFigures of the agents and the server, each with the script that measures it.\n' >"$DOC"
    python3 - "$DOC" "$WORK/section.md" <<'PY'
import re, sys
doc, section = sys.argv[1], open(sys.argv[2]).read().rstrip() + "\n"
text = open(doc).read()
pattern = re.compile(r"^## Shim\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda m: section + "\n", text, count=1)
else:
    text = text.rstrip() + "\n\n" + section
open(doc, "w").write(text.rstrip() + "\n")
PY
    echo "[bench] wrote the Shim section of $DOC" >&2
fi
