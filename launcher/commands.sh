# shellcheck shell=bash
# The commands of ./crucible: up, down, status, logs, test, backup and restore.

# Whether this host runs the given part of the stack (api or executor) in its --role.
role_has() { [[ "$ROLE" == all || "$ROLE" == "$1" ]]; }

# The packages of the role's parts, on top of those every role needs.
add_role_packages() {
    if role_has api; then PACKAGES+=("${API_PACKAGES[@]}"); fi
    if role_has executor; then PACKAGES+=("${EXECUTOR_PACKAGES[@]}"); fi
}

# The --role of up, down and status, checked.
set_role() {
    [[ -n "${1:-}" ]] || die "--role needs one of all, api, executor"
    [[ "$1" =~ ^(all|api|executor)$ ]] || die "--role is one of all, api, executor, not '$1'"
    ROLE=$1
}

# down and status take --role alone.
parse_role_only() {
    local command=$1; shift
    while (($#)); do
        case "$1" in
            --role) set_role "${2:-}"; shift 2 ;;
            *) die "unknown option '$1' of $command; see ./crucible" ;;
        esac
    done
}

# What up does on this host for its --role, in order: one "function|title|log" a step. A part
# the role does not run, or an external service stands in for, is no step at all.
up_plan() {
    UP_PLAN=("install_packages|installing packages|$LOGS/apt.log"
             "prepare_host|preparing the service users and .crucible|"
             "build_java|building the Java modules|$LOGS/maven.log")
    # Its parts (npm ci, npm run build) and the images name their own logs.
    if role_has api && [[ -f "$PAGE/package.json" ]]; then UP_PLAN+=("build_page|building the page|"); fi
    if role_has executor && [[ -z "${CRUCIBLE_DOCKER_HOST:-}" ]]; then
        UP_PLAN+=("start_dockerd|starting dockerd|$LOGS/dockerd.log"
                  "build_images|building the runtime images|")
    fi
    if role_has api && [[ -z "${CRUCIBLE_DATABASE_URL:-}" ]]; then UP_PLAN+=("start_postgres|starting PostgreSQL|$LOGS/postgres.log"); fi
    if role_has api && [[ -z "${CRUCIBLE_REDIS_URI:-}" ]]; then UP_PLAN+=("start_redis|starting Redis|$LOGS/redis.log"); fi
    if role_has executor && [[ -z "${CRUCIBLE_DOCKER_HOST:-}" ]]; then
        UP_PLAN+=("start_restricted_proxy|starting the Docker socket proxy|$LOGS/docker-proxy.log")
    fi
    if role_has api; then UP_PLAN+=("start_api|starting the api|$LOGS/api.log"); fi
    if role_has executor; then UP_PLAN+=("start_executor|starting the executor|$LOGS/executor.log"); fi
    if role_has api; then UP_PLAN+=("start_nginx|starting nginx|$LOGS/nginx.log"); fi
    case "$ROLE" in
        all) UP_PLAN+=("wait_ready|waiting for the stack to be ready|$LOGS/api.log") ;;
        api) UP_PLAN+=("wait_healthy|waiting for the api to answer|$LOGS/api.log") ;;
        executor) UP_PLAN+=("wait_executor|waiting for the executor to serve its metrics|$LOGS/executor.log") ;;
    esac
}

prepare_host() {
    create_users
    prepare_state
    start_log_rotation
}

start_restricted_proxy() {
    start_proxy
    restrict_proxy
}

cmd_up() {
    local show_key=show-key
    while (($#)); do
        case "$1" in
            --role) set_role "${2:-}"; shift 2 ;;
            --hide-key) show_key=hide-key; shift ;;
            *) die "unknown option '$1' of up; see ./crucible" ;;
        esac
    done
    if [[ "$ROLE" == executor && -z "${CRUCIBLE_REDIS_URI:-}" ]]; then
        die "an executor host takes its jobs from the api's Redis: set CRUCIBLE_REDIS_URI (redis://:password@host:port)"
    fi
    check_progress_setting
    require_root
    add_role_packages
    # The page is built with npm: Debian's, unless a Node is installed already.
    if role_has api && [[ -f "$PAGE/package.json" ]] && ! command -v npm >/dev/null 2>&1; then PACKAGES+=(npm); fi
    local -a UP_PLAN
    up_plan
    run_plan "${UP_PLAN[@]}"
    if [[ "$ROLE" == executor ]]; then
        say "the executor is up, on the queue at ${CRUCIBLE_REDIS_URI##*@}; the api counts it in /v1/ready"
        return
    fi
    if [[ "$ROLE" == api ]]; then say "Crucible's api is up; executors join it with ./crucible up --role executor"; else say "Crucible is up"; fi
    echo "URL:           $(web_url)   (the api itself: http://$API_ADDR, this machine only)"
    if [[ -z "${CRUCIBLE_TLS_CERT:-}" ]]; then echo "Certificate:   self-signed, $TLS_CERT (curl --cacert, or trust it in the browser)"; fi
    if [[ "$show_key" == show-key ]]; then echo "Admin API key: $(admin_key)"; else echo "Admin API key: in .crucible/admin-key"; fi
    echo "Try:           curl --cacert $TLS_CERT -H \"Authorization: Bearer \$(cat .crucible/admin-key)\" $(web_url)/v1/runtimes"
}

embedded_postgres_runs() {
    [[ -s "$STATE/postgres/PG_VERSION" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STATE/postgres" status >/dev/null 2>&1
}

# The role's parts, in the order they stop (the public entry first, the state last); --role all stops all.
cmd_down() {
    parse_role_only down "$@"
    require_root
    if role_has api; then stop_pidfile nginx; fi
    if role_has executor; then stop_pidfile executor; fi
    if role_has api; then stop_pidfile api; fi
    if role_has executor; then stop_pidfile docker-proxy; fi
    if role_has api; then
        stop_pidfile redis
        if embedded_postgres_runs; then
            say "stopping PostgreSQL"
            runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STATE/postgres" -m fast -w stop >/dev/null
        fi
    fi
    if role_has executor; then stop_pidfile dockerd; fi
    # The log rotation serves every part of either role: it stops with the last of them.
    local name
    for name in "${API_PARTS[@]}" "${EXECUTOR_PARTS[@]}"; do
        alive "$RUN/$name.pid" && return
    done
    embedded_postgres_runs && return
    stop_pidfile log-rotation
}

cmd_status() {
    parse_role_only status "$@"
    local name
    local -a parts=()
    if role_has executor; then parts+=("${EXECUTOR_PARTS[@]}"); fi
    if role_has api; then parts+=("${API_PARTS[@]}"); fi
    for name in "${parts[@]}" log-rotation; do
        if alive "$RUN/$name.pid"; then printf '%-13s up    pid %s\n' "$name" "$(cat "$RUN/$name.pid")"
        else printf '%-13s down\n' "$name"; fi
    done
    if role_has executor; then
        printf '%-13s %s\n' sandbox "$(runsc_version), platform $RUNSC_PLATFORM"
    fi
    if role_has api; then
        if embedded_postgres_runs; then printf '%-13s up    127.0.0.1:%s\n' postgres "$PG_PORT"
        else printf '%-13s down\n' postgres; fi
        printf '%-13s %s\n' ready "$(curl -sS "http://$API_ADDR/v1/ready" 2>/dev/null || echo 'no answer')"
        printf '%-13s %s  %s\n' web "$(web_url)" \
            "$(curl -sS -o /dev/null -w 'HTTP %{http_code}' --cacert "$TLS_CERT" "$(web_url)/v1/health" 2>/dev/null || echo 'no answer')"
    fi
    disk_use
}

# What the state takes on disk, so that growth is seen before the disk is full; retention bounds it.
disk_use() {
    local name dir
    local -a parts=(logs)
    if role_has api; then parts=(postgres redis logs); fi
    for name in "${parts[@]}"; do
        if [[ "$name" == logs ]]; then dir=$LOGS; else dir=$STATE/$name; fi
        printf '%-13s %s on disk  %s\n' "disk $name" "$(du -sh "$dir" 2>/dev/null | cut -f1 || echo '?')" "$dir"
    done
}

# ./crucible logs [component] [-f] [--json], in any order: the last 100 lines of a component's log
# (the api's when none is named), and with -f what it writes from then on. The api's and the
# executor's JSON lines are shown readable by launcher/log-lines.jq, a fixed filter; --json shows
# them as they are written. Lines that are not the logging module's JSON (nginx's, PostgreSQL's)
# are shown as they are either way.
cmd_logs() {
    local name="" follow="" json="" arg
    for arg in "$@"; do
        case "$arg" in
            -f) follow=-f ;;
            --json) json=json ;;
            -*) die "unknown option '$arg' of logs; see ./crucible" ;;
            *) [[ -z "$name" ]] || die "logs shows one component's log, not both '$name' and '$arg'"; name=$arg ;;
        esac
    done
    name=${name:-api}
    # shellcheck disable=SC2012 # the logs are named after the launcher's components: plain names
    [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9_-]*$ && -f "$LOGS/$name.log" ]] \
        || die "no log for '$name'; there are: $(cd "$LOGS" 2>/dev/null && ls | sed -n 's/\.log$//p' | tr '\n' ' ')"
    local -a lines=(-n 100)
    if [[ -n "$follow" ]]; then lines+=(-f); fi
    if [[ -n "$json" ]]; then
        tail "${lines[@]}" "$LOGS/$name.log"
        return
    fi
    command -v jq >/dev/null 2>&1 || die "jq shows the JSON lines readable (./crucible up installs it); --json shows them as they are"
    tail "${lines[@]}" "$LOGS/$name.log" | jq --unbuffered -R -r -f "$ROOT/launcher/log-lines.jq"
}

# The launcher, its parts and the bench scripts, by shellcheck (following what they source, whose
# paths are written from the checkout's root), and the launcher's own tests; any finding fails the run.
check_scripts() {
    say "checking the launcher and the bench scripts (shellcheck)"
    (cd "$ROOT" && shellcheck -x crucible launcher/*.sh bench/*) || die "shellcheck has findings in the scripts (above)"
    say "running the launcher's own tests (launcher/self-test.sh)"
    "$ROOT/launcher/self-test.sh" || die "the launcher's own tests failed (above)"
}

cmd_test() {
    # The browser tests drive Debian's Chromium; no tool downloads a browser of its own.
    if [[ -f "$PAGE/package.json" ]]; then PACKAGES+=(chromium); fi
    # python3 runs the session agent example, as a user's agent would.
    PACKAGES+=(shellcheck python3)
    add_role_packages
    check_progress_setting
    # The scripts are checked before anything starts; cmd_up then finds no package missing.
    require_root
    step "installing the packages of the stack and its tests" "$LOGS/apt.log" install_packages
    check_scripts
    cmd_up --hide-key
    step "building the test services image" "$LOGS/image-test-services.log" build_test_services_image
    remove_test_service_containers
    say "running the test suite"
    (
        cd "$ROOT" || exit
        export CRUCIBLE_TEST_API_URL="http://$API_ADDR"
        # Assigned, then exported: `export NAME="$(command)"` would hide a failing command.
        CRUCIBLE_TEST_ADMIN_KEY="$(admin_key)"
        CRUCIBLE_TEST_DATABASE_URL="$(database_url)"
        CRUCIBLE_TEST_DATABASE_USER="$(database_user)"
        CRUCIBLE_TEST_DATABASE_PASSWORD="$(database_password)"
        CRUCIBLE_TEST_REDIS_URI="$(redis_uri)"
        CRUCIBLE_TEST_DOCKER_HOST="$(docker_host)"
        CRUCIBLE_TEST_WEB_URL="$(web_url)"
        CRUCIBLE_TEST_HTTP_URL="$(http_url)"
        export CRUCIBLE_TEST_ADMIN_KEY CRUCIBLE_TEST_DATABASE_URL CRUCIBLE_TEST_DATABASE_USER \
            CRUCIBLE_TEST_DATABASE_PASSWORD CRUCIBLE_TEST_REDIS_URI CRUCIBLE_TEST_DOCKER_HOST \
            CRUCIBLE_TEST_WEB_URL CRUCIBLE_TEST_HTTP_URL
        export CRUCIBLE_TEST_RUNTIMES_DIR="$ROOT/runtimes"
        export CRUCIBLE_TEST_EXECUTOR_METRICS_URL="http://$EXECUTOR_METRICS_ADDR/metrics"
        export CRUCIBLE_TEST_NGINX_CONF="$NGINX_CONF"
        export CRUCIBLE_TEST_TLS_CERT="$TLS_CERT"
        # The fault tests kill parts through their pid files and bring them back with this launcher.
        export CRUCIBLE_TEST_STATE_DIR="$STATE"
        export CRUCIBLE_TEST_LAUNCHER="$ROOT/crucible"
        # The store and queue tests' own PostgreSQL and Redis, through Testcontainers on dockerd's own
        # socket (the proxy lets through sandboxes only); its reaper's image cannot be pulled. Where
        # /.dockerenv exists, Testcontainers would otherwise pull alpine to find the host's address and,
        # with no registry, wait two minutes and fail: the containers publish on 127.0.0.1 anyway.
        CRUCIBLE_TEST_SERVICES_IMAGE="$(test_services_image)"
        export CRUCIBLE_TEST_SERVICES_IMAGE DOCKER_HOST=unix:///var/run/docker.sock TESTCONTAINERS_RYUK_DISABLED=true \
            TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
        # Extra arguments go to Maven and narrow the run to them, without the browser tests:
        # ./crucible test -pl executor -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DockerSandboxIT
        if [[ $# -eq 0 ]]; then
            # Offline: the cloud deployment parsed, checked and rendered (infra-terraform/README.md).
            say "running the infra-terraform tests"
            npm --prefix "$ROOT/infra-terraform" ci --no-audit --no-fund >"$LOGS/infra-npm-ci.log" 2>&1 \
                || die "npm ci in infra-terraform failed; see $LOGS/infra-npm-ci.log"
            npm --prefix "$ROOT/infra-terraform" test
        fi
        mvn -B verify "$@"
        if [[ $# -eq 0 ]]; then
            say "running the Piston client test (compat-tests/piston)"
            npm --prefix "$ROOT/compat-tests/piston" ci --ignore-scripts --no-audit --no-fund >"$LOGS/piston-npm-ci.log" 2>&1 \
                || die "npm ci in compat-tests/piston failed; see $LOGS/piston-npm-ci.log"
            NODE_EXTRA_CA_CERTS="$CRUCIBLE_TEST_TLS_CERT" npm --prefix "$ROOT/compat-tests/piston" test
            # The tarball Maven just packed (sdk-ts, whose unit tests ran in verify), installed into a
            # fresh copy of the example as a user would, run against the public entry.
            say "running the TypeScript SDK example (examples/ts)"
            CRUCIBLE_URL="$CRUCIBLE_TEST_WEB_URL" CRUCIBLE_KEY="$CRUCIBLE_TEST_ADMIN_KEY" \
                NODE_EXTRA_CA_CERTS="$CRUCIBLE_TEST_TLS_CERT" "$ROOT/examples/ts/run-example.sh"
            say "running the session agent example (examples/session)"
            CRUCIBLE_URL="$CRUCIBLE_TEST_WEB_URL" CRUCIBLE_KEY="$CRUCIBLE_TEST_ADMIN_KEY" \
                CRUCIBLE_CACERT="$CRUCIBLE_TEST_TLS_CERT" python3 "$ROOT/examples/session/agent.py"
        fi
        if [[ $# -eq 0 && -f "$PAGE/package.json" ]]; then
            # The page's pure parts (line diff, ANSI), compiled by tsc, run by node --test.
            say "running the page's unit tests (frontend-ts npm test)"
            npm --prefix "$PAGE" test
            say "running the browser tests (frontend-ts e2e)"
            mkdir -p "$STATE/artifacts"
            CRUCIBLE_TEST_ARTIFACTS="$STATE/artifacts" CRUCIBLE_TEST_CHROMIUM="$(command -v chromium)" \
                npm --prefix "$PAGE" run e2e
        fi
    )
}

# The embedded PostgreSQL, running: what backup and restore work on. An external database is backed
# up with its own provider's tools.
require_embedded_postgres() {
    [[ -z "${CRUCIBLE_DATABASE_URL:-}" ]] || die "CRUCIBLE_DATABASE_URL names an external database: back it up with its own tools"
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STATE/postgres" status >/dev/null 2>&1 \
        || die "the embedded PostgreSQL is not running; ./crucible up first"
}

# pg_dump -Fc of the crucible database, consistent (one snapshot), to FILE or a timestamped file
# under .crucible/backups, mode 600. Root writes the file: the postgres user only streams the dump.
cmd_backup() {
    require_root
    require_embedded_postgres
    local file=${1:-}
    if [[ -z "$file" ]]; then
        mkdir -p "$STATE/backups" && chmod 700 "$STATE/backups"
        file="$STATE/backups/crucible-$(date -u +%Y%m%dT%H%M%SZ).dump"
    fi
    [[ ! -e "$file" ]] || die "$file exists already; name a new file"
    local partial="$file.partial"
    say "writing a dump of the crucible database to $file"
    (umask 077; runuser -u postgres -- "$PG_BIN/pg_dump" -h "$RUN/pg" -p "$PG_PORT" -Fc -d crucible > "$partial") \
        || { rm -f -- "$partial"; die "pg_dump failed (above); nothing was written to $file"; }
    chmod 600 -- "$partial" && mv -- "$partial" "$file"
    echo "$file"
}

# Replaces the crucible database with FILE's (a dump of cmd_backup): the api is stopped, the database
# dropped, created again and restored, the api started. The dump is read by root and streamed in.
cmd_restore() {
    require_root
    [[ $# -eq 1 ]] || die "usage: ./crucible restore FILE"
    local file=$1
    [[ -f "$file" && -r "$file" ]] || die "$file is not a readable regular file"
    require_embedded_postgres
    runuser -u postgres -- "$PG_BIN/pg_restore" --list < "$file" >/dev/null \
        || die "$file is not a dump pg_restore can read; the database is unchanged"
    stop_pidfile api
    say "replacing the crucible database with $file"
    pg -d postgres -c "drop database if exists crucible with (force)"
    pg -d postgres -c "create database crucible owner crucible"
    # As the api's role, so that what is restored is the api's to use, as it was.
    runuser -u postgres -- "$PG_BIN/pg_restore" -h "$RUN/pg" -p "$PG_PORT" --no-owner --role=crucible --exit-on-error \
        -d crucible < "$file" || die "pg_restore failed (above); the database is incomplete: restore again"
    step "starting the api" "$LOGS/api.log" start_api
    step "waiting for the api to be ready" "$LOGS/api.log" wait_ready
    say "restored; jobs the queue no longer holds are queued again by the api within CRUCIBLE_REAP_AFTER_MS"
}
