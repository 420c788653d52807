#!/usr/bin/env bash
# Start-to-healthy and idle memory of the server, beside the real dstack 0.22.5 server.
#
#   orchestrator/bench/server-bench.sh [runs]   (default 3 runs per row; prints a Markdown table)
#
# Start: process start until the readiness endpoint answers 200 (ours: /actuator/health/readiness,
# which includes the Temporal dev server; dstack's: /healthcheck), curl polling every 20 ms.
# RSS: VmRSS after 30 s idle, and the Temporal dev server's beside it. "first start" uses a fresh
# server dir (migrations, admin user, new Temporal database); "restart" reuses it.
# dstack's server comes from PyPI dstack[server]==0.22.5 in .tools/dstack-server-venv (installed
# here when missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-3}"
idle_seconds=30
work="$(mktemp -d /tmp/dstack-server-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

JAVA_HOME="$("$root/scripts/java-home.sh")"
temporal_cli="$("$root/scripts/ensure-temporal.sh")"
# Build once, and let the launcher write its class-data archive (an unmeasured run).
DSTACK_SERVER_DIR="$work/prime" DSTACK_SERVER_JAVA_OPTS="-Duser.home=$work/prime-home" \
  "$root/dstack" server --port 0 -n >"$work/prime.log" 2>&1 &
prime=$!
until grep -q "is running at" "$work/prime.log" 2>/dev/null; do sleep 0.5; done
kill -TERM "$prime"; wait "$prime" || true

venv="$root/.tools/dstack-server-venv"
if [[ ! -x "$venv/bin/dstack" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "dstack[server]==0.22.5"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# measure KIND DIR: starts one server, prints "start_ms rss_mib temporal_rss_mib", stops it.
measure() {
  local kind="$1" dir="$2" port url pid start ready
  port="$(free_port)"
  start=$(date +%s%N)
  case "$kind" in
    launcher)
      DSTACK_SERVER_DIR="$dir" DSTACK_SERVER_JAVA_OPTS="-Duser.home=$dir-home" \
        DSTACK_TEMPORAL_PORT=0 DSTACK_TEMPORAL_UI_PORT=0 \
        "$root/dstack" server --port "$port" -n >>"$work/server.log" 2>&1 &
      url="http://127.0.0.1:$port/actuator/health/readiness" ;;
    default-jvm)
      DSTACK_SERVER_DIR="$dir" DSTACK_TEMPORAL_CLI="$temporal_cli" \
        DSTACK_TEMPORAL_PORT=0 DSTACK_TEMPORAL_UI_PORT=0 \
        "$JAVA_HOME/bin/java" -Duser.home="$dir-home" \
        -cp "$root/orchestrator/target/dstack-server.jar:$root/orchestrator/target/lib/*" \
        ai.dstack.orchestrator.DstackServer --port "$port" -n >>"$work/server.log" 2>&1 &
      url="http://127.0.0.1:$port/actuator/health/readiness" ;;
    dstack-0.22.5)
      # A fresh update check would reach the internet; mark it done.
      mkdir -p "$dir-home/.cache/.dstack/cli" && touch "$dir-home/.cache/.dstack/cli/last_check"
      HOME="$dir-home" DSTACK_SERVER_DIR="$dir" DSTACK_SERVER_RELOAD_DISABLED=1 \
        "$venv/bin/dstack" server --port "$port" -n >>"$work/server.log" 2>&1 &
      url="http://127.0.0.1:$port/healthcheck" ;;
  esac
  pid=$!
  until curl -sf -o /dev/null "$url"; do
    kill -0 "$pid" 2>/dev/null || { echo "server died; see $work/server.log" >&2; tail -20 "$work/server.log" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep "$idle_seconds"
  local server_pid="$pid" temporal_rss="-"
  # dstack's CLI runs uvicorn in the same process; ours execs java in place of the launcher.
  if [[ -f "$dir/temporal/dev-server.pid" ]]; then
    temporal_rss="$(rss_mib "$(sed -n 's/^pid=//p' "$dir/temporal/dev-server.pid")")"
  fi
  echo "$ready $(rss_mib "$server_pid") $temporal_rss"
  # TERM, not INT: a background job of a script ignores SIGINT, and so does the JVM it starts.
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

row() {
  local label="$1" kind="$2" mode="$3" i dir starts=() rsses=() trss=()
  for i in $(seq 1 "$runs"); do
    if [[ "$mode" == "first start" ]]; then dir="$work/$kind-fresh-$i"; else dir="$work/$kind-kept"; fi
    read -r s r t < <(measure "$kind" "$dir")
    starts+=("$s"); rsses+=("$r"); trss+=("$t")
  done
  local t_median="-"
  [[ "${trss[0]}" != "-" ]] && t_median="$(printf '%s\n' "${trss[@]}" | median)"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$mode" \
    "$(printf '%s\n' "${starts[@]}" | median)" "$(printf '%s ' "${starts[@]}")" \
    "$(printf '%s\n' "${rsses[@]}" | median)" "$t_median"
}

# Warm the "kept" dirs so restarts find their state.
measure launcher "$work/launcher-kept" >/dev/null
measure default-jvm "$work/default-jvm-kept" >/dev/null
measure dstack-0.22.5 "$work/dstack-0.22.5-kept" >/dev/null

echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start;"
echo "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1); median of $runs runs per row"
echo
echo "| server | state | start to healthy, median (ms) | each run (ms) | RSS idle (MiB) | Temporal dev server RSS (MiB) |"
echo "| --- | --- | ---: | --- | ---: | ---: |"
row "ours, ./dstack server" launcher "restart"
row "ours, ./dstack server" launcher "first start"
row "ours, default JVM flags" default-jvm "restart"
row "dstack 0.22.5 (dstack server)" dstack-0.22.5 "restart"
row "dstack 0.22.5 (dstack server)" dstack-0.22.5 "first start"
