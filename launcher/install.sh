# shellcheck shell=bash
# What ./crucible up installs and prepares once: Debian packages, runsc, the service users, the state
# folder and its secrets.

# The packages of PACKAGES and, for an executor, runsc, into .crucible/logs/apt.log.
install_packages() {
    local missing=() pkg log="$LOGS/apt.log" runsc=""
    for pkg in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if role_has executor && ! runsc_pinned; then runsc=missing; fi
    if ((${#missing[@]} == 0)) && [[ -z "$runsc" ]]; then
        step_skip "nothing to install"
    else
        # Before prepare_state on a fresh checkout: ./crucible test installs before up.
        mkdir -p "$LOGS" && : > "$log"
    fi
    if ((${#missing[@]})); then
        say "installing from Debian: ${missing[*]}"
        logged "$log" "apt-get update" apt-get update -q
        logged "$log" "installing ${missing[*]}" \
            env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
        # On a systemd host, installing nginx starts the distribution's nginx with its default site
        # on port 80 of every address. Crucible runs its own; a page nobody configured stays off.
        if [[ " ${missing[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null 2>&1 \
                && systemctl is-active --quiet nginx.service 2>/dev/null; then
            say "stopping and disabling the nginx.service the package started: Crucible runs its own nginx"
            systemctl disable --now nginx.service >/dev/null 2>&1 || true
        fi
    fi
    if [[ -n "$runsc" ]]; then install_runsc "$log"; fi
    [[ -x "$JAVA_HOME/bin/java" ]] || die "Java 25 is expected at $JAVA_HOME (set CRUCIBLE_JAVA_HOME)"
}

runsc_pinned() { [[ "$(dpkg-query -W -f='${Status} ${Version}' runsc 2>/dev/null)" == "install ok installed $RUNSC_VERSION" ]]; }

# runsc at exactly $RUNSC_VERSION, from bookworm-backports (see RUNSC_VERSION), its output to LOG.
install_runsc() {
    local log=$1 sources=/etc/apt/sources.list.d/crucible-backports.sources preferences=/etc/apt/preferences.d/crucible-runsc
    local mirror=${CRUCIBLE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
    [[ "$mirror" =~ ^https?://[A-Za-z0-9.:/_-]+$ ]] || die "CRUCIBLE_DEBIAN_MIRROR is not an http(s) URL: '$mirror'"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$mirror" > "$sources"
    printf 'Package: runsc\nPin: version %s\nPin-Priority: 1001\n\nPackage: *\nPin: release n=bookworm-backports\nPin-Priority: -1\n' \
        "$RUNSC_VERSION" > "$preferences"
    say "installing runsc $RUNSC_VERSION from bookworm-backports (pinned; nothing else comes from there)"
    logged "$log" "apt-get update (with bookworm-backports)" apt-get update -q
    logged "$log" "installing runsc $RUNSC_VERSION from bookworm-backports" \
        env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --allow-downgrades "runsc=$RUNSC_VERSION"
}

create_users() {
    id -u "$API_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$API_USER"
    id -u "$EXECUTOR_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$EXECUTOR_USER"
    id -u "$NGINX_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$NGINX_USER"
    # The services run as their own users and read the checkout: under /root (mode 700) they cannot.
    local user
    for user in "$API_USER" "$EXECUTOR_USER" "$NGINX_USER" postgres redis; do
        runuser -u "$user" -- test -r "$ROOT/runtimes" \
            || die "user $user cannot read $ROOT; put the checkout where other users can read it (e.g. /opt/crucible)"
    done
    # The executor reaches Docker only through the proxy: it must not be able to open the socket.
    if id -nG "$EXECUTOR_USER" | tr ' ' '\n' | grep -qxE 'docker|haproxy|root'; then
        die "$EXECUTOR_USER is in a group that can open the Docker socket; remove it from that group"
    fi
}

prepare_state() {
    mkdir -p "$STATE" "$LOGS" "$RUN" "$SECRETS" "$STATE/cache"
    chmod 755 "$STATE" "$LOGS" "$RUN"
    chmod 700 "$SECRETS"
    # An executor host holds no database credentials and no admin key: it has neither.
    role_has api || return 0
    for secret in db-password redis-password; do
        [[ -s "$SECRETS/$secret" ]] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$SECRETS/$secret")
    done
    # The AES-256 key the api seals webhook secrets with in the database, which never holds it.
    [[ -s "$SECRETS/webhook-sealing-key" ]] \
        || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$SECRETS/webhook-sealing-key")
    if [[ -z "${CRUCIBLE_ADMIN_KEY:-}" && ! -s "$STATE/admin-key" ]]; then
        (umask 077; printf 'cru_%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > "$STATE/admin-key")
        say "generated the admin API key into .crucible/admin-key"
    fi
}

webhook_sealing_key() {
    if [[ -n "${CRUCIBLE_WEBHOOK_SEALING_KEY:-}" ]]; then printf '%s' "$CRUCIBLE_WEBHOOK_SEALING_KEY"; else cat "$SECRETS/webhook-sealing-key"; fi
}

admin_key() {
    if [[ -n "${CRUCIBLE_ADMIN_KEY:-}" ]]; then printf '%s' "$CRUCIBLE_ADMIN_KEY"; else tr -d '\n' < "$STATE/admin-key"; fi
}
