# shellcheck shell=bash
# The launcher's messages and its processes: started detached with pid files, found alive, awaited,
# stopped.

say_plain() { printf '\033[1m[crucible]\033[0m %s\n' "$*" >&2; }
# Within a step (progress.sh) a message is one of its details: after the step's heading, indented.
say() {
    if [[ -n "${STEP_TITLE:-}" ]]; then step_heading; say_plain "  $*"; else say_plain "$*"; fi
}
die() { printf '\033[1;31m[crucible]\033[0m %s\n' "$*" >&2; exit 1; }

# The end of a log, indented, so that a CI run's output says why what wrote it failed.
show_log_end() { tail -n "${2:-15}" "$1" 2>/dev/null | sed 's/^/    /' >&2 || true; }

# For a daemon that did not start: its log's end is shown too.
die_see_log() {
    local name=$1; shift
    show_log_end "$LOGS/$name.log"
    die "$*; the end of $LOGS/$name.log is above"
}

# Runs a command with its output added to LOG; if it fails, the end of LOG is shown and the launcher
# stops, saying WHAT failed. A program, not a function: set -e does not hold inside a condition.
logged() {
    local log=$1 what=$2; shift 2
    if ! "$@" >>"$log" 2>&1; then
        show_log_end "$log" 30
        die "$what failed; the end of $log is above"
    fi
}

require_root() {
    [[ $EUID -eq 0 ]] || die "run as root: it installs packages and starts dockerd"
}

# What each component's command line contains: a pid file that survived a reboot may name a
# stranger's process now, which must be neither trusted nor killed.
marker() {
    case "$1" in
        dockerd) echo dockerd ;; docker-proxy) echo haproxy ;; redis) echo redis-server ;;
        api) echo dev.crucible.api.Main ;; executor) echo dev.crucible.executor.Main ;;
        nginx) echo "-c $NGINX_CONF" ;;  # nginx retitles itself "nginx: master process <its command line>"
        log-rotation) echo "launcher/rotate-logs.sh" ;;
    esac
}

# A pid file's process is alive and is the component the file is named after.
alive() {
    local pidfile=$1 pid name
    [[ -f "$pidfile" ]] || return 1
    pid=$(cat "$pidfile")
    name=$(basename "$pidfile" .pid)
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(marker "$name")"
}

# Waits until a command succeeds, at most $1 seconds.
wait_for() {
    local seconds=$1; shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

tcp_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

# Starts a command in the background, detached, with its output to logs/<name>.log.
spawn() {
    local name=$1; shift
    setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
    echo $! > "$RUN/$name.pid"
}

# Our component is not running, so its address must be free: something else listening there would
# silently take its place.
require_free() {
    local address=$1 what=$2
    if tcp_open "$address"; then
        die "$address is in use by something else; $what cannot listen there (see ./crucible status)"
    fi
}

# SIGTERM, then SIGKILL after 70 s, or after the seconds in <name>.stop-seconds, which a part with a
# longer drain writes when it starts (the executor: CRUCIBLE_DRAIN_MS and 30 s more).
stop_pidfile() {
    local name=$1 pidfile="$RUN/$1.pid" seconds=70
    if [[ "$(cat "$RUN/$name.stop-seconds" 2>/dev/null)" =~ ^[0-9]{1,5}$ ]]; then seconds=$(cat "$RUN/$name.stop-seconds"); fi
    if alive "$pidfile"; then
        say "stopping $name"
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
        wait_for "$seconds" bash -c "! kill -0 $(cat "$pidfile") 2>/dev/null" || kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
    fi
    rm -f "$pidfile" "$RUN/$name.stop-seconds"
}
