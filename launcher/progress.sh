# shellcheck shell=bash
# What the launcher shows of its progress: numbered steps ("[3/13] building the Java modules"), each
# with the log it writes and, at its end, the time it took or what it found to do; while a step runs
# long, a line now and then that it still runs. Every line goes where say's go (stderr).
#
#   [crucible] [3/13] building the Java modules (log: .crucible/logs/maven.log)
#   [crucible]   mvn package (Java 25)
#   [crucible]   ... still building the Java modules, 1m30s (log: .crucible/logs/maven.log)
#   [crucible] [3/13] building the Java modules: done in 1m42s
#   [crucible] [4/13] building the page: up to date
#
# A step's heading goes out with its first message, so a step with nothing to do is one line.

# The step running now; STEP_TITLE is empty between steps. STEP_NUMBER is "3/13" in a plan, empty
# for a step of its own.
STEP_NUMBER=""
STEP_TITLE=""
STEP_LOG=""
STEP_PART=""
STEP_NOTE=""
STEP_SAID=""
STEP_STARTED=0
STEP_TICKER=""

# A path as the reader would type it from the checkout.
shown_path() { printf '%s' "${1#"$ROOT/"}"; }

# 42s, 1m30s, 2h05m.
duration() {
    local s=$1
    if ((s < 60)); then printf '%ds' "$s"
    elif ((s < 3600)); then printf '%dm%02ds' $((s / 60)) $((s % 60))
    else printf '%dh%02dm' $((s / 3600)) $((s % 3600 / 60)); fi
}

step_label() { printf '%s%s' "${STEP_NUMBER:+[$STEP_NUMBER] }" "$STEP_TITLE"; }

# The step's heading, once: say calls it before a step's first message.
step_heading() {
    [[ -n "$STEP_TITLE" && -z "$STEP_SAID" ]] || return 0
    STEP_SAID=yes
    printf '\033[1m[crucible]\033[0m %s%s\n' "$(step_label)" "${STEP_LOG:+ (log: $(shown_path "$STEP_LOG"))}" >&2
}

# Seconds between the ticker's lines: CRUCIBLE_PROGRESS_SECONDS, else 15 when a person watches a
# terminal and 60 in a CI log, where a line a minute shows the run is alive without burying the rest.
# 0: none.
progress_seconds() {
    if [[ -n "${CRUCIBLE_PROGRESS_SECONDS:-}" ]]; then printf '%d' "$((10#$CRUCIBLE_PROGRESS_SECONDS))"
    elif [[ -t 2 ]]; then printf 15
    else printf 60; fi
}

check_progress_setting() {
    [[ -z "${CRUCIBLE_PROGRESS_SECONDS:-}" || "$CRUCIBLE_PROGRESS_SECONDS" =~ ^[0-9]{1,4}$ ]] \
        || die "CRUCIBLE_PROGRESS_SECONDS is a whole number of seconds (0: no progress lines), not '$CRUCIBLE_PROGRESS_SECONDS'"
}

# Every EVERY seconds, one line that the step (begun at STARTED, in SECONDS) still runs, until it
# is killed. It runs builtins only, read -t waiting on a pipe nobody writes to: no sleep of its own
# could outlive it. It ends by itself once the launcher is gone, killed too hard for its exit trap to
# stop the ticker.
progress_ticker() {
    local launcher=$1 every=$2 started=$3 what=$4 log=$5 pause
    exec {pause}<> <(:)
    while ! read -r -t "$every" -u "$pause" _; do
        kill -0 "$launcher" 2>/dev/null || exit 0
        printf '\033[1m[crucible]\033[0m   ... still %s, %s%s\n' "$what" "$(duration $((SECONDS - started)))" \
            "${log:+ (log: $(shown_path "$log"))}" >&2
    done
}

start_ticker() {
    local every
    every=$(progress_seconds)
    ((every > 0)) || return 0
    progress_ticker "$$" "$every" "$STEP_STARTED" "$STEP_TITLE${STEP_PART:+ ($STEP_PART)}" "$STEP_LOG" &
    STEP_TICKER=$!
}

# Stopped and reaped before the step's last line, so no "still" line can follow it. SIGKILL: the
# ticker has nothing to clean up, and bash would run the launcher's exit trap in a subshell that a
# catchable signal ends before the subshell has reset its traps (a ticker stopped as it starts).
stop_ticker() {
    [[ -n "$STEP_TICKER" ]] || return 0
    kill -KILL "$STEP_TICKER" 2>/dev/null || true
    wait "$STEP_TICKER" 2>/dev/null || true
    STEP_TICKER=""
}

# Runs FUNCTION [ARGS...] as a step titled TITLE (building the Java modules) that writes LOG (may
# be empty: its parts name their own, step_part). The function runs as a plain command, so set -e
# holds inside it; a failure ends the launcher through step_exit, which names the step and its log.
step() {
    STEP_TITLE=$1 STEP_LOG=$2 STEP_PART="" STEP_NOTE="" STEP_SAID="" STEP_STARTED=$SECONDS
    shift 2
    trap step_exit EXIT
    start_ticker
    "$@"
    stop_ticker
    local took
    took=$(duration $((SECONDS - STEP_STARTED)))
    say_plain "$(step_label): ${STEP_NOTE:-done in $took}"
    STEP_TITLE="" STEP_NUMBER="" STEP_LOG="" STEP_PART=""
}

# Runs a plan's steps, each "function|title|log", numbered one to the plan's length: the plan is
# the list of what runs, so the count cannot drift from it.
run_plan() {
    local entry run title log i=0
    for entry in "$@"; do
        i=$((i + 1))
        IFS='|' read -r run title log <<< "$entry"
        STEP_NUMBER="$i/$#"
        step "$title" "$log" "$run"
    done
}

# The step found nothing to do, and its last line says so instead of the time (up to date).
step_skip() { STEP_NOTE=$1; }

# A part of the step begins (image 3 of 8: python), with a log of its own: said, and named by the
# ticker from now on.
step_part() {
    step_heading
    say "$1 (log: $(shown_path "$2"))"
    STEP_PART=$1 STEP_LOG=$2
    if [[ -n "$STEP_TITLE" ]]; then stop_ticker; start_ticker; fi
}

# On the launcher's exit: the ticker stopped, and a step that did not finish named with its log.
# The exit status stays the failure's. Only the launcher's own exit ends a step (see stop_ticker).
# Bash runs the trap with status 0 when a signal (Ctrl-C, SIGTERM) ends it: no step exits 0 midway.
step_exit() {
    local status=$? took how
    [[ "$BASHPID" == "$$" ]] || return 0
    stop_ticker
    [[ -n "$STEP_TITLE" ]] || return 0
    took=$(duration $((SECONDS - STEP_STARTED)))
    if ((status == 0)); then how="interrupted after $took"; else how="failed after $took (exit status $status)"; fi
    printf '\033[1;31m[crucible]\033[0m %s: %s%s\n' "$(step_label)" "$how" "${STEP_LOG:+; its log: $(shown_path "$STEP_LOG")}" >&2
}
