# shellcheck shell=bash
# The services behind the public entry: dockerd, PostgreSQL, Redis, the Docker socket proxy, the api
# and the executor, and the addresses and credentials they are given.

docker_is_ours() { docker info --format '{{.DefaultRuntime}}' 2>/dev/null | grep -qx runsc; }

# dockerd's configuration. runsc needs --network=none in a root network namespace;
# --overlay2=root:memory keeps every write a sandbox makes to its root filesystem in the sandbox's
# own memory (bounded by its memory limit), off the host's disk.
daemon_json() {
    cat <<JSON
{
  "runtimes": {"runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none", "--overlay2=root:memory", "--platform=$RUNSC_PLATFORM"]}},
  "default-runtime": "runsc",
  "log-driver": "local",
  "log-opts": {"max-size": "1m", "max-file": "1", "compress": "false"}
}
JSON
}

# sed reads to the end: with head, runsc could die of SIGPIPE and, under pipefail, fail the launcher.
runsc_version() { runsc --version 2>/dev/null | sed -n '1s/ version / /p'; }

start_dockerd() {
    mkdir -p "$STATE/docker"
    if docker_is_ours; then
        # A dockerd started with other runsc flags (an older checkout's) is restarted with these.
        if [[ "$(daemon_json)" == "$(cat "$STATE/docker/daemon.json" 2>/dev/null)" ]]; then
            reap_orphan_sandboxes
            step_skip "running already"
            return 0
        fi
        say "the runsc flags changed: restarting dockerd (running sandboxes end)"
        stop_pidfile dockerd
        wait_for 30 bash -c '! docker info' || die "dockerd did not stop"
    fi
    # On a systemd host, installing docker.io starts the distribution's dockerd, with runc as its
    # default runtime. Crucible runs its own, configured for gVisor.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker.service 2>/dev/null; then
        say "stopping and disabling the system's docker.service: Crucible runs its own dockerd, gVisor by default"
        systemctl disable --now docker.service docker.socket >/dev/null 2>&1 || true
        wait_for 30 bash -c '! docker info' || die "the system's dockerd did not stop"
    fi
    if docker info >/dev/null 2>&1; then
        die "a dockerd runs whose default runtime is not runsc; stop it, and ./crucible up starts one configured for gVisor"
    fi
    clear_stale_docker_pidfiles
    daemon_json > "$STATE/docker/daemon.json"
    say "starting dockerd (default runtime $(runsc_version), platform $RUNSC_PLATFORM)"
    # The socket's group is haproxy: root and the proxy are the only ones who can open it.
    spawn dockerd dockerd --config-file "$STATE/docker/daemon.json" --group haproxy --pidfile "$RUN/dockerd.real.pid"
    wait_for 60 docker_is_ours || die_see_log dockerd "dockerd did not come up"
    reap_orphan_sandboxes
}

# A killed dockerd leaves its pid file and its containerd's behind. dockerd refuses to start while
# any process or thread has the number in its own, and takes any process with the number in
# containerd's for a running containerd, waiting 15 s for it to answer and then giving up: with
# pid_max 32768 and gVisor's many threads numbers come round within seconds (a stale dockerd pid
# file stopped a CI run's restart), and the containerd of a killed dockerd stays a zombie until
# PID 1 reaps it (2 s when tried here; long enough in another CI run for dockerd to give up). With
# no dockerd running neither file is current, and a containerd still living on docker's state would
# fight the next one for it.
clear_stale_docker_pidfiles() {
    local containerd_pidfile=/var/run/docker/containerd/containerd.pid pid running
    # A killed dockerd is a zombie for a while, which pgrep still lists.
    running=$({ ps -C dockerd -o pid=,stat= || true; } | awk '$2 !~ /^Z/ {print $1}' | paste -sd ' ')
    if [[ -n "$running" ]]; then
        die "a dockerd runs (pid $running) but does not answer; stop it, and ./crucible up starts one"
    fi
    rm -f "$RUN/dockerd.real.pid"
    pid=$(cat "$containerd_pidfile" 2>/dev/null) || return 0
    rm -f "$containerd_pidfile"
    [[ "$pid" =~ ^[0-9]+$ ]] && dockers_containerd_lives "$pid" || return 0
    say "stopping the containerd (pid $pid) a stopped dockerd left running"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for 15 dockers_containerd_ended "$pid" || die "containerd (pid $pid) does not stop"
}

dockers_containerd_ended() { ! dockers_containerd_lives "$1"; }

# Alive (not a zombie) and started by dockerd on its own config, not the system's containerd that
# came round to the same number.
dockers_containerd_lives() {
    local stat args
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    [[ "${stat##*) }" != [ZX]* ]] || return 1
    args=$(tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline") || return 1
    [[ "$args" == *"--config /var/run/docker/containerd/containerd.toml"* ]]
}

# A dockerd killed while a sandbox was being started leaves that sandbox's shim and gVisor processes
# running, and once the container is removed no Docker knows them: nothing would ever stop them, and
# each costs memory and CPU. Every `up` stops them, with dockerd up; a container being made is known
# from its create on, before its shim starts. Ids are read from the shims' own argv, 64 hex digits.
reap_orphan_sandboxes() {
    local known shim id
    known=$(docker ps -aq --no-trunc) || return 0
    for shim in $(pgrep -f '^/usr/bin/containerd-shim-runc-v2 -namespace moby -id ' || true); do
        id=$(tr '\0' '\n' < "/proc/$shim/cmdline" 2>/dev/null | sed -n '/^-id$/{n;p;q}')
        [[ "$id" =~ ^[0-9a-f]{64}$ ]] || continue
        grep -qx "$id" <<< "$known" && continue
        say "stopping the orphaned sandbox ${id:0:12}: its container is gone"
        pkill -KILL -P "$shim" || true
        kill -KILL "$shim" 2>/dev/null || true
    done
}

# Every log under .crucible/logs is kept to CRUCIBLE_LOG_MAX_MB (20) plus one older copy of that
# size, looked at every minute (launcher/rotate-logs.sh).
start_log_rotation() {
    local max_mb=${CRUCIBLE_LOG_MAX_MB:-20}
    if ! [[ "$max_mb" =~ ^[0-9]{1,6}$ ]] || ((max_mb < 1 || max_mb > 100000)); then
        die "CRUCIBLE_LOG_MAX_MB is a whole number of MB from 1 to 100000, not '$max_mb'"
    fi
    needs_start log-rotation "$ROOT/launcher/rotate-logs.sh" || return 0
    spawn log-rotation "$ROOT/launcher/rotate-logs.sh" "$LOGS" "$((max_mb << 20))" 60
}

pg() { runuser -u postgres -- "$PG_BIN/psql" -h "$RUN/pg" -p "$PG_PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

start_postgres() {
    [[ -n "${CRUCIBLE_DATABASE_URL:-}" ]] && return
    local data="$STATE/postgres"
    if [[ ! -s "$data/PG_VERSION" ]]; then
        say "creating the PostgreSQL cluster in .crucible/postgres"
        mkdir -p "$data" && chown postgres:postgres "$data" && chmod 700 "$data"
        runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$LOGS/postgres-init.log" 2>&1 || die "initdb failed; see $LOGS/postgres-init.log"
    fi
    mkdir -p "$RUN/pg" && chown postgres:postgres "$RUN/pg"
    touch "$LOGS/postgres.log" && chown postgres:postgres "$LOGS/postgres.log"
    if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        step_skip "running already"
    else
        say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -l "$LOGS/postgres.log" -w -t 60 \
            -o "-p $PG_PORT -k $RUN/pg -c listen_addresses=127.0.0.1" start >/dev/null || die_see_log postgres "PostgreSQL did not start"
    fi
    local password
    password=$(cat "$SECRETS/db-password")
    if [[ "$(pg -d postgres -c "select 1 from pg_roles where rolname = 'crucible'")" != 1 ]]; then
        # On standard input, not the command line, where every user could read the password.
        printf "create role crucible login password '%s';\n" "$password" | pg -d postgres
    fi
    if [[ "$(pg -d postgres -c "select 1 from pg_database where datname = 'crucible'")" != 1 ]]; then
        pg -d postgres -c "create database crucible owner crucible"
    fi
}

start_redis() {
    [[ -n "${CRUCIBLE_REDIS_URI:-}" ]] && return
    if alive "$RUN/redis.pid"; then
        step_skip "running already"
        return 0
    fi
    mkdir -p "$STATE/redis"
    chown redis:redis "$STATE/redis" && chmod 700 "$STATE/redis"
    (umask 077; cat > "$STATE/redis/redis.conf" <<EOF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
dir $STATE/redis
appendonly yes
# always: a job Redis acknowledged must survive a crash (the api then forgets its outbox row)
appendfsync always
# Jobs carry their files. Past this, writes fail (the api's outbox keeps the job) instead of evicting.
maxmemory 1gb
maxmemory-policy noeviction
requirepass $(cat "$SECRETS/redis-password")
rename-command FLUSHALL ""
rename-command CONFIG ""
EOF
)
    chown redis:redis "$STATE/redis/redis.conf"
    require_free "127.0.0.1:$REDIS_PORT" Redis
    say "starting Redis on 127.0.0.1:$REDIS_PORT (append-only)"
    # setpriv execs: the pid file names redis-server itself, which a kill must reach (runuser would stay its parent).
    spawn redis setpriv --reuid=redis --regid=redis --init-groups -- redis-server "$STATE/redis/redis.conf"
    wait_for 30 tcp_open "127.0.0.1:$REDIS_PORT" || die_see_log redis "Redis did not start"
}

start_proxy() {
    [[ -n "${CRUCIBLE_DOCKER_HOST:-}" ]] && return
    local config="$ROOT/docker-proxy-config"
    if ! needs_start docker-proxy "$config/haproxy.cfg" "$config/sandbox_policy.lua"; then
        step_skip "running already"
        return 0
    fi
    CRUCIBLE_PROXY_CONFIG_DIR="$config" haproxy -c -q -f "$config/haproxy.cfg" || die "docker-proxy-config/haproxy.cfg is invalid"
    require_free "$PROXY_ADDR" "the Docker socket proxy"
    say "starting the Docker socket proxy on $PROXY_ADDR"
    spawn docker-proxy env CRUCIBLE_PROXY_CONFIG_DIR="$config" haproxy -db -f "$config/haproxy.cfg"
    wait_for 30 tcp_open "$PROXY_ADDR" || die_see_log docker-proxy "the proxy did not start"
}

# Any local process can open a loopback port. The proxy's port is for the executor (and root)
# alone: the kernel refuses everyone else's connections.
restrict_proxy() {
    [[ -n "${CRUCIBLE_DOCKER_HOST:-}" ]] && return
    command -v iptables >/dev/null 2>&1 || die "iptables is needed to keep other local users off the Docker proxy"
    local rule=(-o lo -p tcp -d 127.0.0.1 --dport "${PROXY_ADDR##*:}" -m owner ! --uid-owner 0
                -m owner ! --uid-owner "$(id -u "$EXECUTOR_USER")" -j REJECT --reject-with tcp-reset)
    iptables -C OUTPUT "${rule[@]}" 2>/dev/null || iptables -I OUTPUT "${rule[@]}" \
        || die "cannot add the iptables rule that keeps other local users off the Docker proxy"
}

database_url() { printf '%s' "${CRUCIBLE_DATABASE_URL:-jdbc:postgresql://127.0.0.1:$PG_PORT/crucible}"; }
database_user() { printf '%s' "${CRUCIBLE_DATABASE_USER:-crucible}"; }
database_password() { if [[ -n "${CRUCIBLE_DATABASE_URL:-}" ]]; then printf '%s' "${CRUCIBLE_DATABASE_PASSWORD:-}"; else cat "$SECRETS/db-password"; fi; }
redis_uri() { printf '%s' "${CRUCIBLE_REDIS_URI:-redis://:$(cat "$SECRETS/redis-password")@127.0.0.1:$REDIS_PORT}"; }
docker_host() { printf '%s' "${CRUCIBLE_DOCKER_HOST:-tcp://$PROXY_ADDR}"; }

# The caller's CRUCIBLE_* variables, for the api or the executor to read what it reads, but those
# matching a pattern given (another process's secrets) and the test suite's. Written before what the
# launcher sets, which therefore wins.
passthrough() {
    local var pattern
    while read -r var; do
        [[ -n "${!var}" ]] || continue
        for pattern in 'CRUCIBLE_TEST_*' "$@"; do
            # shellcheck disable=SC2053 # a pattern, on purpose
            [[ $var == $pattern ]] && continue 2
        done
        printf '%s=%s\n' "$var" "${!var}"
    done < <(compgen -e CRUCIBLE_)
    return 0
}

# A process is (re)started when it is down or older than any of the files it runs from.
needs_start() {
    local name=$1 file; shift
    alive "$RUN/$name.pid" || return 0
    for file in "$@"; do
        if [[ "$file" -nt "$RUN/$name.pid" ]]; then stop_pidfile "$name"; return 0; fi
    done
    return 1
}

start_api() {
    # Both load the runtime catalog at start: a manifest added, changed or removed restarts them.
    if ! needs_start api "$(module_jar api)" "$ROOT/runtimes" "$ROOT"/runtimes/*.json; then
        step_skip "running already"
        return 0
    fi
    require_free "$API_ADDR" "the api"
    say "starting the api on $API_ADDR (user $API_USER)"
    local env_file
    env_file=$(mktemp) && chmod 600 "$env_file"
    {
        passthrough
        echo "CRUCIBLE_LISTEN=$API_ADDR"
        echo "CRUCIBLE_DATABASE_URL=$(database_url)"
        echo "CRUCIBLE_DATABASE_USER=$(database_user)"
        echo "CRUCIBLE_DATABASE_PASSWORD=$(database_password)"
        echo "CRUCIBLE_REDIS_URI=$(redis_uri)"
        echo "CRUCIBLE_ADMIN_KEY=$(admin_key)"
        echo "CRUCIBLE_WEBHOOK_SEALING_KEY=$(webhook_sealing_key)"
        echo "CRUCIBLE_RUNTIMES_DIR=$ROOT/runtimes"
        echo "CRUCIBLE_LOG_DIR=$LOGS"
    } > "$env_file"
    launch_as api "$API_USER" "$env_file" api dev.crucible.api.Main
}

start_executor() {
    # The executor reports the sandbox's version in every result: a changed runsc restarts it.
    local sandbox
    sandbox="$(runsc_version) ($RUNSC_PLATFORM)"
    if alive "$RUN/executor.pid" && [[ "$(cat "$RUN/executor.sandbox" 2>/dev/null)" != "$sandbox" ]]; then
        stop_pidfile executor
    fi
    if ! needs_start executor "$(module_jar executor)" "$ROOT/runtimes" "$ROOT"/runtimes/*.json; then
        step_skip "running already"
        return 0
    fi
    local drain_ms=${CRUCIBLE_DRAIN_MS:-60000}
    # Base 10 whatever its zeros: bash would read 08 as octal.
    if [[ ! "$drain_ms" =~ ^[0-9]{1,7}$ ]] || ((10#$drain_ms > 3600000)); then
        die "CRUCIBLE_DRAIN_MS is a number of milliseconds (0 to 3600000), not '$drain_ms'"
    fi
    echo "$sandbox" > "$RUN/executor.sandbox"
    # down waits for the drain (and for the jobs still running then to be handed back) before it kills.
    echo $((10#$drain_ms / 1000 + 30)) > "$RUN/executor.stop-seconds"
    say "starting the executor (user $EXECUTOR_USER, Docker only through $(docker_host))"
    local env_file
    env_file=$(mktemp) && chmod 600 "$env_file"
    {
        passthrough 'CRUCIBLE_DATABASE_*' CRUCIBLE_ADMIN_KEY CRUCIBLE_WEBHOOK_SEALING_KEY
        echo "CRUCIBLE_REDIS_URI=$(redis_uri)"
        echo "CRUCIBLE_DOCKER_HOST=$(docker_host)"
        echo "CRUCIBLE_RUNTIMES_DIR=$ROOT/runtimes"
        echo "CRUCIBLE_SANDBOX_VERSION=$sandbox"
        echo "CRUCIBLE_METRICS_LISTEN=$EXECUTOR_METRICS_ADDR"
    } > "$env_file"
    launch_as executor "$EXECUTOR_USER" "$env_file" executor dev.crucible.executor.Main
}

# Runs a Java main as an unprivileged user with nothing but the given environment. Secrets travel
# in the environment (readable by that user and root), never on a command line (readable by all).
# The env file is read here and removed at once.
launch_as() {
    local name=$1 user=$2 env_file=$3 module=$4 main=$5
    local -a env_vars command
    mapfile -t env_vars < "$env_file"
    rm -f "$env_file"
    mapfile -t command < <(java_command "$module" "$main")
    (
        cd "$ROOT" || exit
        while read -r var; do unset "$var" 2>/dev/null || true; done < <(compgen -e)
        export PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8
        # shellcheck disable=SC2163 # each entry is NAME=value: exported as it stands, on purpose
        for assignment in "${env_vars[@]}"; do export "$assignment"; done
        exec setsid setpriv --reuid="$user" --regid="$user" --clear-groups --no-new-privs -- "${command[@]}"
    ) >>"$LOGS/$name.log" 2>&1 < /dev/null &
    echo $! > "$RUN/$name.pid"
}

# An api host alone is not ready until an executor joins; it is up once the api answers.
wait_healthy() {
    wait_for 90 curl -fsS "http://$API_ADDR/v1/health" || die "the api did not come up; see ./crucible logs api"
}

# An executor host is up once its executor serves its metrics.
wait_executor() {
    wait_for 90 curl -fsS -o /dev/null "http://$EXECUTOR_METRICS_ADDR/metrics" \
        || die "the executor did not come up; see ./crucible logs executor"
}

wait_ready() {
    if ! wait_for 90 curl -fsS "http://$API_ADDR/v1/ready"; then
        curl -sS "http://$API_ADDR/v1/ready" >&2 || true
        die "the stack did not become ready; see ./crucible logs api and ./crucible logs executor"
    fi
}
