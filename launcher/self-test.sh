#!/usr/bin/env bash
# The tests are found by name (test_*), and their scripts are single-quoted to run in the launcher:
# shellcheck disable=SC2317,SC2016
# The launcher's own tests: the progress of up's steps (progress.sh), the plan of each --role, and
# ./crucible logs, with the launcher's parts sourced into a fresh bash per test and nothing started,
# installed or written outside a temporary folder. ./crucible test runs it with shellcheck; alone:
#   launcher/self-test.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILED=0

# Runs SCRIPT in a fresh bash as the launcher would (set -euo pipefail, its parts sourced, its state
# under WORK), its stderr without colours into WORK/err and its stdout into WORK/out. Prints nothing;
# returns the script's exit status.
launcher() {
    local script=$1
    rm -rf "$WORK/state" && mkdir -p "$WORK/state/logs" "$WORK/state/run"
    local status=0
    ROOT="$ROOT" STATE="$WORK/state" bash -c '
        set -euo pipefail
        LOGS="$STATE/logs" RUN="$STATE/run" SECRETS="$STATE/secrets" PAGE="$ROOT/frontend-ts" ROLE=all
        PACKAGES=() API_PACKAGES=() EXECUTOR_PACKAGES=()
        for part in java processes progress install build services nginx commands; do
            # shellcheck disable=SC1090 # the parts, as ./crucible sources them
            source "$ROOT/launcher/$part.sh"
        done
        '"$script" >"$WORK/out" 2>"$WORK/err.raw" || status=$?
    sed 's/\x1b\[[0-9;]*m//g' "$WORK/err.raw" > "$WORK/err"
    return "$status"
}

pass() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s: %s\n' "$1" "$2"; sed 's/^/      | /' "$WORK/err"; FAILED=1; }

# Waits (at most 10 s) until FILE has a line matching PATTERN: a condition, not a guess at a time.
await_line() {
    local file=$1 pattern=$2 deadline=$((SECONDS + 10))
    until sed 's/\x1b\[[0-9;]*m//g' "$file" 2>/dev/null | grep -qE -- "$pattern"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.05
    done
}

# A process, gone (at most 10 s): the ticker of a launcher killed too hard ends at its next look.
await_gone() {
    local pid=$1 deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.05
    done
}

test_a_plan_numbers_its_steps_and_ends_each_with_its_time_or_what_it_found() {
    local name=${FUNCNAME[0]#test_}
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=0
        talks() { say "mvn package"; }
        finds_nothing() { step_skip "up to date"; }
        quiet() { :; }
        run_plan "talks|building the Java modules|$LOGS/maven.log" "finds_nothing|building the page|" "quiet|starting Redis|$LOGS/redis.log"
    ' || { fail "$name" "exit status $?"; return; }
    local expected
    expected="[crucible] [1/3] building the Java modules (log: $WORK/state/logs/maven.log)
[crucible]   mvn package
[crucible] [1/3] building the Java modules: done in 0s
[crucible] [2/3] building the page: up to date
[crucible] [3/3] starting Redis: done in 0s"
    [[ "$(cat "$WORK/err")" == "$expected" ]] || { fail "$name" "the lines differ from the expected ones"; return; }
    pass "$name"
}

test_a_failing_step_is_named_with_its_log_and_its_exit_status_is_the_launchers() {
    local name=${FUNCNAME[0]#test_} status=0
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=0
        fine() { :; }
        breaks() { say "trying"; return 3; }
        never() { echo "ran after the failure"; }
        run_plan "fine|one|" "breaks|building the Java modules|$LOGS/maven.log" "never|three|"
    ' || status=$?
    ((status == 3)) || { fail "$name" "exit status $status, not 3"; return; }
    grep -qxF "[crucible] [2/3] building the Java modules: failed after 0s (exit status 3); its log: $WORK/state/logs/maven.log" "$WORK/err" \
        || { fail "$name" "no failure line naming the step and its log"; return; }
    ! grep -q "ran after" "$WORK/out" || { fail "$name" "a step after the failure ran"; return; }
    pass "$name"
}

test_a_step_that_dies_ends_the_launcher_with_status_1_and_the_steps_name() {
    local name=${FUNCNAME[0]#test_} status=0
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=0
        builds() { logged "$LOGS/maven.log" "the Maven build" bash -c "echo BUILD FAILURE; exit 4"; }
        run_plan "builds|building the Java modules|$LOGS/maven.log"
    ' || status=$?
    ((status == 1)) || { fail "$name" "exit status $status, not 1"; return; }
    grep -qxF "    BUILD FAILURE" "$WORK/err" || { fail "$name" "the end of the log is not shown"; return; }
    grep -qF "the Maven build failed; the end of $WORK/state/logs/maven.log is above" "$WORK/err" \
        || { fail "$name" "no message naming the log"; return; }
    grep -qF "[1/1] building the Java modules: failed after" "$WORK/err" || { fail "$name" "no failure line"; return; }
    pass "$name"
}

test_the_ticker_says_a_long_step_still_runs_and_stops_before_its_last_line() {
    local name=${FUNCNAME[0]#test_}
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=1
        long() {
            echo "$STEP_TICKER" > "$STATE/ticker"
            # The step lasts until the ticker has spoken twice.
            local deadline=$((SECONDS + 10))
            until [[ "$(grep -c "still building" "$STATE/../err.raw")" -ge 2 ]]; do
                ((SECONDS < deadline)) || return 9
                sleep 0.05
            done
        }
        run_plan "long|building the Java modules|$LOGS/maven.log"
        ! kill -0 "$(cat "$STATE/ticker")" 2>/dev/null || die "the ticker outlived its step"
    ' || { fail "$name" "exit status $?"; return; }
    grep -qE "^\[crucible\]   \.\.\. still building the Java modules, [0-9]+s \(log: $WORK/state/logs/maven.log\)$" "$WORK/err" \
        || { fail "$name" "no line that the step still runs"; return; }
    tail -n 1 "$WORK/err" | grep -qF "[1/1] building the Java modules: done in" || { fail "$name" "a line follows the step's last"; return; }
    ! grep -q "failed" "$WORK/err" || { fail "$name" "a step that did not fail is said to have"; return; }
    local ticker
    ticker=$(cat "$WORK/state/ticker")
    [[ "$ticker" =~ ^[0-9]+$ ]] || { fail "$name" "no ticker ran"; return; }
    ! kill -0 "$ticker" 2>/dev/null || { fail "$name" "the ticker $ticker outlived its step"; return; }
    pass "$name"
}

test_the_ticker_of_a_failing_step_is_stopped() {
    local name=${FUNCNAME[0]#test_} status=0
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=1
        breaks() { echo "$STEP_TICKER" > "$STATE/ticker"; die "broken"; }
        run_plan "breaks|building the page|"
    ' || status=$?
    ((status == 1)) || { fail "$name" "exit status $status, not 1"; return; }
    local ticker
    ticker=$(cat "$WORK/state/ticker")
    [[ "$ticker" =~ ^[0-9]+$ ]] || { fail "$name" "no ticker ran"; return; }
    ! kill -0 "$ticker" 2>/dev/null || { fail "$name" "the ticker $ticker outlived the launcher"; return; }
    pass "$name"
}

test_the_ticker_of_a_launcher_killed_outright_ends_by_itself() {
    local name=${FUNCNAME[0]#test_} launcher_pid ticker
    mkfifo "$WORK/never"
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=1
        hangs() { echo "$$ $STEP_TICKER" > "$STATE/../pids"; read -r _ < "$STATE/../never"; }
        run_plan "hangs|building the runtime images|"
    ' 2>/dev/null &
    local runner=$!
    await_line "$WORK/pids" '^[0-9]+ [0-9]+$' || { fail "$name" "the step did not start"; kill "$runner"; return; }
    read -r launcher_pid ticker < "$WORK/pids"
    kill -KILL "$launcher_pid"
    wait "$runner" 2>/dev/null || true
    rm -f "$WORK/never" "$WORK/pids"
    await_gone "$ticker" || { fail "$name" "the ticker $ticker runs on without its launcher"; kill "$ticker"; return; }
    pass "$name"
}

test_a_launcher_stopped_by_sigterm_says_which_step_it_interrupted_and_stops_its_ticker() {
    local name=${FUNCNAME[0]#test_} launcher_pid ticker
    mkfifo "$WORK/never"
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=1
        hangs() { echo "$$ $STEP_TICKER" > "$STATE/../pids"; read -r _ < "$STATE/../never"; }
        run_plan "hangs|building the Java modules|$LOGS/maven.log"
    ' 2>/dev/null &
    local runner=$!
    await_line "$WORK/pids" '^[0-9]+ [0-9]+$' || { fail "$name" "the step did not start"; kill "$runner"; return; }
    read -r launcher_pid ticker < "$WORK/pids"
    kill -TERM "$launcher_pid"
    wait "$runner" 2>/dev/null || true
    rm -f "$WORK/never" "$WORK/pids"
    grep -qxE "\[crucible\] \[1/1\] building the Java modules: interrupted after [0-9]+s; its log: $WORK/state/logs/maven.log" "$WORK/err" \
        || { fail "$name" "no line naming the interrupted step"; return; }
    ! kill -0 "$ticker" 2>/dev/null || { fail "$name" "the ticker $ticker outlived the launcher"; kill "$ticker"; return; }
    pass "$name"
}

test_a_part_of_a_step_is_said_and_named_by_the_ticker_with_its_log() {
    local name=${FUNCNAME[0]#test_}
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=1
        images() {
            step_part "image 1 of 2: bash" "$LOGS/image-bash.log"
            local deadline=$((SECONDS + 10))
            until grep -q "still building the runtime images (image 1 of 2: bash)" "$STATE/../err.raw"; do
                ((SECONDS < deadline)) || return 9
                sleep 0.05
            done
        }
        run_plan "images|building the runtime images|"
    ' || { fail "$name" "exit status $?"; return; }
    grep -qxF "[crucible] [1/1] building the runtime images" "$WORK/err" || { fail "$name" "no heading"; return; }
    grep -qxF "[crucible]   image 1 of 2: bash (log: $WORK/state/logs/image-bash.log)" "$WORK/err" || { fail "$name" "the part is not said"; return; }
    grep -qE "still building the runtime images \(image 1 of 2: bash\), [0-9]+s \(log: $WORK/state/logs/image-bash.log\)$" "$WORK/err" \
        || { fail "$name" "the ticker does not name the part's log"; return; }
    pass "$name"
}

test_quick_steps_stop_their_tickers_without_a_word() {
    local name=${FUNCNAME[0]#test_}
    # Each ticker is stopped as it starts: bash runs the launcher's exit trap in a subshell a signal
    # ends that early, which must not say a step failed.
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=1
        quick() { :; }
        plan=()
        for _ in $(seq 60); do plan+=("quick|a quick step|"); done
        run_plan "${plan[@]}"
    ' || { fail "$name" "exit status $?"; return; }
    [[ "$(grep -cE ": done in [0-9]+s$" "$WORK/err")" == 60 ]] || { fail "$name" "not 60 steps done"; return; }
    [[ "$(wc -l < "$WORK/err")" == 60 ]] || { fail "$name" "more was said than the steps' ends"; return; }
    pass "$name"
}

test_no_ticker_runs_when_progress_seconds_is_0() {
    local name=${FUNCNAME[0]#test_}
    launcher '
        CRUCIBLE_PROGRESS_SECONDS=0
        look() { [[ -z "$STEP_TICKER" ]] || die "a ticker runs"; }
        run_plan "look|one|"
    ' || { fail "$name" "exit status $?"; return; }
    pass "$name"
}

test_a_progress_setting_that_is_no_number_is_refused() {
    local name=${FUNCNAME[0]#test_} status=0
    launcher 'CRUCIBLE_PROGRESS_SECONDS=soon; check_progress_setting' || status=$?
    ((status == 1)) || { fail "$name" "accepted, exit status $status"; return; }
    grep -qF "CRUCIBLE_PROGRESS_SECONDS is a whole number" "$WORK/err" || { fail "$name" "no message"; return; }
    pass "$name"
}

test_durations_read_as_seconds_minutes_and_hours() {
    local name=${FUNCNAME[0]#test_}
    launcher 'printf "%s " "$(duration 42)" "$(duration 90)" "$(duration 3725)"' || { fail "$name" "exit status $?"; return; }
    [[ "$(cat "$WORK/out")" == "42s 1m30s 1h02m " ]] || { fail "$name" "got '$(cat "$WORK/out")'"; return; }
    pass "$name"
}

# The count of up's steps is the plan's length; each role's plan is what that role runs.
plan_of() {
    launcher "ROLE=$1; $2 up_plan; for entry in \"\${UP_PLAN[@]}\"; do run=\${entry%%|*}; declare -F \"\$run\" >/dev/null || die \"no function \$run\"; echo \"\$run\"; done"
    paste -sd ' ' "$WORK/out"
}

test_each_role_plans_the_steps_it_runs() {
    local name=${FUNCNAME[0]#test_} got
    got=$(plan_of all "") || { fail "$name" "role all: exit status $?"; return; }
    [[ "$got" == "install_packages prepare_host build_java build_page start_dockerd build_images start_postgres start_redis start_restricted_proxy start_api start_executor start_nginx wait_ready" ]] \
        || { fail "$name" "role all plans: $got"; return; }
    got=$(plan_of api "") || { fail "$name" "role api: exit status $?"; return; }
    [[ "$got" == "install_packages prepare_host build_java build_page start_postgres start_redis start_api start_nginx wait_healthy" ]] \
        || { fail "$name" "role api plans: $got"; return; }
    got=$(plan_of executor "") || { fail "$name" "role executor: exit status $?"; return; }
    [[ "$got" == "install_packages prepare_host build_java start_dockerd build_images start_restricted_proxy start_executor wait_executor" ]] \
        || { fail "$name" "role executor plans: $got"; return; }
    got=$(plan_of all "CRUCIBLE_DATABASE_URL=jdbc:x CRUCIBLE_REDIS_URI=redis://x CRUCIBLE_DOCKER_HOST=tcp://x") \
        || { fail "$name" "external services: exit status $?"; return; }
    [[ "$got" == "install_packages prepare_host build_java build_page start_api start_executor start_nginx wait_ready" ]] \
        || { fail "$name" "with external services, role all plans: $got"; return; }
    pass "$name"
}

# A log of the api: the logging module's JSON lines, and one line of the JVM's own. The tests copy
# it into their state.
mkdir -p "$WORK/fixtures"
cat > "$WORK/fixtures/api.log" <<'EOF'
{"time":"2026-12-04T21:22:00.668Z","level":"INFO","logger":"dev.crucible.api.submission.EventConsumer","thread":"event-consumer","submission":"49745fa6-6e1b-4129-8a3e-355c848f899a","message":"submission 49745fa6-6e1b-4129-8a3e-355c848f899a completed: ACCEPTED"}
{"time":"2026-12-04T21:22:01.000Z","level":"WARN","logger":"dev.crucible.api.http.HttpEdge","thread":"#12","message":"GET /v1/\u001b[31mred\nnext"}
{"time":"2026-12-04T21:22:02.000Z","level":"ERROR","logger":"dev.crucible.api.http.HttpEdge","thread":"#13","message":"GET /v1/x failed","error":"java.lang.IllegalStateException: boom","stack":"java.lang.IllegalStateException: boom\n\tat dev.crucible.api.X.y(X.java:1)"}
OpenJDK 64-Bit Server VM warning: not JSON
EOF

test_logs_shows_the_json_lines_readable_and_other_lines_as_they_are() {
    local name=${FUNCNAME[0]#test_} expected
    launcher 'cp "$STATE/../fixtures/api.log" "$LOGS/"; cmd_logs api' || { fail "$name" "exit status $?"; return; }
    expected='2026-12-04T21:22:00.668Z INFO  EventConsumer: submission 49745fa6-6e1b-4129-8a3e-355c848f899a completed: ACCEPTED  [submission=49745fa6-6e1b-4129-8a3e-355c848f899a]
2026-12-04T21:22:01.000Z WARN  HttpEdge: GET /v1/\u001b[31mred\nnext
2026-12-04T21:22:02.000Z ERROR HttpEdge: GET /v1/x failed
    java.lang.IllegalStateException: boom
        at dev.crucible.api.X.y(X.java:1)
OpenJDK 64-Bit Server VM warning: not JSON'
    [[ "$(cat "$WORK/out")" == "$expected" ]] || { fail "$name" "got: $(cat "$WORK/out")"; return; }
    pass "$name"
}

test_logs_json_shows_the_lines_as_written_with_the_options_in_any_order() {
    local name=${FUNCNAME[0]#test_}
    launcher 'cp "$STATE/../fixtures/api.log" "$LOGS/"; cmd_logs --json api' || { fail "$name" "exit status $?"; return; }
    cmp -s "$WORK/out" "$WORK/fixtures/api.log" || { fail "$name" "--json api does not show the lines as written"; return; }
    # -f after or before --json, and the component anywhere: tail is told to follow.
    launcher 'echo "{\"level\":\"INFO\",\"message\":\"m\"}" > "$LOGS/executor.log"
        tail() { echo "tail $*" >&2; command tail -n 100 "${@: -1}"; }
        cmd_logs -f --json executor; cmd_logs executor -f' || { fail "$name" "exit status $?"; return; }
    [[ "$(grep -c "^tail -n 100 -f $WORK/state/logs/executor.log$" "$WORK/err")" == 2 ]] || { fail "$name" "tail was not told -f twice"; return; }
    [[ "$(cat "$WORK/out")" == '{"level":"INFO","message":"m"}
INFO  m' ]] || { fail "$name" "got: $(cat "$WORK/out")"; return; }
    pass "$name"
}

test_logs_refuses_unknown_options_two_components_and_paths() {
    local name=${FUNCNAME[0]#test_} args status
    for args in "--jsn" "api executor" "../secrets/x"; do
        status=0
        launcher "touch \"\$LOGS/api.log\" \"\$LOGS/executor.log\"; cmd_logs $args" || status=$?
        ((status == 1)) || { fail "$name" "logs $args: exit status $status, not 1"; return; }
    done
    pass "$name"
}

for test in $(declare -F | awk '$3 ~ /^test_/ {print $3}'); do
    "$test"
done
exit "$FAILED"
