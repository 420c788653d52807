#!/usr/bin/env bash
# ensure-docker.sh - make sure a local Docker engine answers `docker info`.
#
# Idempotent: when an engine already answers, it does nothing.
# Otherwise it
#   1. installs docker.io from the Debian archive if docker/dockerd are missing
#      (running `apt-get update` only when the package lists do not know docker.io),
#   2. starts `dockerd --bridge=none --iptables=false` in the background
#      (detached, own session, log + pid file), and
#   3. waits until `docker info` answers (or fails with a clear message).
#
# Usage:
#   scripts/ensure-docker.sh            ensure an engine is running
#   scripts/ensure-docker.sh --stop     stop the dockerd this script started
#                                       (only if tracked by our pid file)
#   scripts/ensure-docker.sh --status   print whether an engine answers
#
# Environment (all optional):
#   DSTACK_DOCKERD_LOG          dockerd log file       (default /tmp/dstack-dockerd.log)
#   DSTACK_DOCKERD_PIDFILE      dockerd pid file       (default /tmp/dstack-dockerd.pid)
#   DSTACK_DOCKERD_TIMEOUT      seconds to wait for the engine (default 60)
#   DSTACK_DOCKERD_DATA_ROOT    --data-root for dockerd (default: dockerd's /var/lib/docker)
#   DSTACK_DOCKERD_STORAGE_DRIVER  force a storage driver (e.g. vfs). By default dockerd
#                               picks one (overlay2 here); if dockerd dies during start-up
#                               without a forced driver, one retry with vfs is made.
#   DSTACK_DOCKERD_EXTRA_ARGS   extra dockerd arguments (word-split)
#
# The engine listens on the default socket unix:///var/run/docker.sock.
set -euo pipefail

LOG="${DSTACK_DOCKERD_LOG:-/tmp/dstack-dockerd.log}"
PIDFILE="${DSTACK_DOCKERD_PIDFILE:-/tmp/dstack-dockerd.pid}"
TIMEOUT="${DSTACK_DOCKERD_TIMEOUT:-60}"
LOCKFILE="${PIDFILE}.lock"
APT_LOG="${LOG%.log}-apt.log"

say() { echo "[ensure-docker] $*"; }
die() { echo "[ensure-docker] ERROR: $*" >&2; exit 1; }

engine_answers() { docker info >/dev/null 2>&1; }

T_START="$EPOCHREALTIME"
# seconds since T_START (or since $1), one decimal
elapsed() { awk -v a="${1:-$T_START}" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# pid from our pid file if it belongs to a live dockerd, else empty
our_dockerd_pid() {
    local pid
    [ -s "$PIDFILE" ] || return 0
    pid="$(tr -dc '0-9' <"$PIDFILE")"
    [ -n "$pid" ] || return 0
    if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dockerd" ]; then
        echo "$pid"
    fi
}

need_root() {
    [ "$(id -u)" = 0 ] || die "must run as root to $1 (try: sudo $0)"
}

# ---------------------------------------------------------------- --stop
do_stop() {
    local pid i
    pid="$(our_dockerd_pid)"
    if [ -z "$pid" ]; then
        say "no dockerd started by this script (pid file $PIDFILE absent or stale); nothing to stop"
        rm -f "$PIDFILE" 2>/dev/null || true
        return 0
    fi
    say "stopping dockerd pid $pid (SIGTERM)"
    kill -TERM "$pid"
    # dockerd stops running containers first (default shutdown timeout 15s)
    for ((i = 0; i < 60; i++)); do
        [ -d "/proc/$pid" ] || break
        sleep 0.5
    done
    if [ -d "/proc/$pid" ]; then
        say "dockerd pid $pid did not exit within 30s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 1
    fi
    rm -f "$PIDFILE"
    say "dockerd stopped"
}

# ---------------------------------------------------------------- install
install_docker() {
    need_root "install docker.io"
    command -v apt-get >/dev/null || die "docker/dockerd missing and apt-get not available"
    local t0=$EPOCHREALTIME
    export DEBIAN_FRONTEND=noninteractive
    if ! grep -q 'Candidate: [0-9]' <<<"$(apt-cache policy docker.io 2>/dev/null)"; then
        say "package lists do not know docker.io: running apt-get update (log: $APT_LOG)"
        apt-get update -q >>"$APT_LOG" 2>&1 || { tail -n 20 "$APT_LOG" >&2; die "apt-get update failed"; }
    fi
    say "installing docker.io: apt-get install -y --no-install-recommends docker.io (log: $APT_LOG)"
    # --no-install-recommends: skips apparmor, needrestart, cgroupfs-mount, ... none needed here.
    # policy-rc.d / no systemd means the package's service is not started; we start dockerd below.
    apt-get install -y -q --no-install-recommends docker.io >>"$APT_LOG" 2>&1 ||
        { tail -n 20 "$APT_LOG" >&2; die "apt-get install docker.io failed"; }
    say "installed docker.io in $(elapsed "$t0")s"
}

# ---------------------------------------------------------------- start
launch_dockerd() {
    local driver="$1"
    local -a args=(--bridge=none --iptables=false --pidfile "$PIDFILE")
    [ -n "${DSTACK_DOCKERD_DATA_ROOT:-}" ] && args+=(--data-root "$DSTACK_DOCKERD_DATA_ROOT")
    [ -n "$driver" ] && args+=(--storage-driver "$driver")
    # shellcheck disable=SC2206
    [ -n "${DSTACK_DOCKERD_EXTRA_ARGS:-}" ] && args+=(${DSTACK_DOCKERD_EXTRA_ARGS})
    mkdir -p "$(dirname "$LOG")" "$(dirname "$PIDFILE")"
    LOG_OFFSET="$(stat -c %s "$LOG" 2>/dev/null || echo 0)"
    echo "=== $(date -Is) ensure-docker.sh: dockerd ${args[*]}" >>"$LOG"
    say "starting: dockerd ${args[*]}  (log: $LOG)"
    (
        # Do not leak the caller's descriptors (e.g. a test harness's pipes) into the
        # long-lived daemon, otherwise whoever reads our stdout would never see EOF.
        for fd in /proc/$BASHPID/fd/*; do
            fd="${fd##*/}"
            [ "$fd" -gt 2 ] 2>/dev/null && eval "exec ${fd}>&-" 2>/dev/null || true
        done
        # setsid: own session, so the caller's Ctrl-C / process-group kill does not hit it
        exec setsid dockerd "${args[@]}" </dev/null >>"$LOG" 2>&1
    ) &
    LAUNCH_PID=$!
}

# log lines written since the last launch_dockerd (last $1 of them)
new_log_tail() { tail -c +"$((${LOG_OFFSET:-0} + 1))" "$LOG" 2>/dev/null | tail -n "$1" | sed 's/^/    /'; }

# wait for `docker info`; return 0 = answers, 1 = dockerd died, 2 = timeout
wait_for_engine() {
    local deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        engine_answers && return 0
        if [ ! -d "/proc/$LAUNCH_PID" ] && [ -z "$(our_dockerd_pid)" ]; then
            sleep 1   # in case setsid had to fork and the pid file is not written yet
            [ -z "$(our_dockerd_pid)" ] && ! engine_answers && return 1
        fi
        sleep 0.25
    done
    engine_answers && return 0
    return 2
}

do_start() {
    if engine_answers; then
        say "docker engine already answers ($(docker info --format '{{.ServerVersion}} storage={{.Driver}}' 2>/dev/null)); nothing to do"
        return 0
    fi

    if ! command -v docker >/dev/null || ! command -v dockerd >/dev/null; then
        install_docker
    fi
    command -v dockerd >/dev/null || die "dockerd still not found after install"
    command -v docker >/dev/null || die "docker CLI still not found after install"

    need_root "start dockerd"
    mkdir -p "$(dirname "$LOCKFILE")"
    exec 9>"$LOCKFILE"
    flock 9   # serialise concurrent callers; the loser sees a running engine below

    if engine_answers; then
        say "docker engine came up meanwhile (started by a concurrent caller); nothing to do"
        return 0
    fi

    # A dockerd is running but not answering yet (ours from an earlier call still
    # starting, or one started by someone else): wait for it instead of starting a 2nd one.
    local existing
    existing="$(our_dockerd_pid)"
    [ -z "$existing" ] && existing="$(pgrep -x dockerd | head -n1 || true)"
    if [ -n "$existing" ]; then
        say "dockerd pid $existing already running but not answering yet; waiting up to ${TIMEOUT}s"
        LAUNCH_PID="$existing"
        if wait_for_engine; then
            say "docker engine answers after $(elapsed)s"
            return 0
        fi
        die "dockerd pid $existing does not answer 'docker info' within ${TIMEOUT}s; see $LOG"
    fi

    # stale pid file from a killed dockerd
    [ -e "$PIDFILE" ] && rm -f "$PIDFILE"

    local driver="${DSTACK_DOCKERD_STORAGE_DRIVER:-}" rc=0
    launch_dockerd "$driver"
    wait_for_engine || rc=$?
    if [ "$rc" = 1 ] && [ -z "$driver" ]; then
        say "dockerd exited during start-up; last log lines:"
        new_log_tail 15
        say "retrying once with --storage-driver vfs"
        rc=0
        launch_dockerd vfs
        wait_for_engine || rc=$?
    fi
    case "$rc" in
        0) say "docker engine answers after $(elapsed)s (pid $(our_dockerd_pid), $(docker info --format '{{.ServerVersion}} storage={{.Driver}} cgroup={{.CgroupDriver}}/v{{.CgroupVersion}}' 2>/dev/null))" ;;
        1) new_log_tail 30 >&2 || true
           die "dockerd exited before answering 'docker info'; full log: $LOG" ;;
        *) new_log_tail 30 >&2 || true
           die "timed out after ${TIMEOUT}s waiting for 'docker info' (dockerd pid $(our_dockerd_pid)); full log: $LOG" ;;
    esac
}

do_status() {
    if engine_answers; then
        say "engine answers: $(docker info --format '{{.ServerVersion}} storage={{.Driver}}' 2>/dev/null)"
    else
        say "no engine answers 'docker info'"
    fi
    local pid; pid="$(our_dockerd_pid)"
    if [ -n "$pid" ]; then say "dockerd pid $pid was started by this script ($PIDFILE)";
    else say "no dockerd started by this script is running"; fi
    engine_answers
}

case "${1:-}" in
    "" | --start) do_start ;;
    --stop) do_stop ;;
    --status) do_status ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" ;;
    *) die "unknown option: $1 (use --start, --stop, --status)" ;;
esac
