# shellcheck shell=bash
# The public entry: nginx with its TLS certificate, configured from nginx/crucible.conf.template.

# An address as bash's /dev/tcp takes it: [::1]:8443 becomes ::1:8443.
plain_addr() { local a=${1/[/}; printf '%s' "${a/]/}"; }

# A listen address as a client on this machine reaches it: 0.0.0.0 and [::] become loopback.
local_url() {
    local scheme=$1 addr=$2 host port
    host=${addr%:*} port=${addr##*:}
    case "$host" in 0.0.0.0) host=127.0.0.1 ;; '[::]') host='[::1]' ;; esac
    printf '%s://%s:%s' "$scheme" "$host" "$port"
}
web_url() { local_url https "$NGINX_HTTPS_ADDR"; }
http_url() { local_url http "$NGINX_HTTP_ADDR"; }

# The TLS certificate: the configured one, else a self-signed one made once for local use.
make_certificate() {
    if [[ -n "${CRUCIBLE_TLS_CERT:-}${CRUCIBLE_TLS_KEY:-}" ]]; then
        [[ -n "${CRUCIBLE_TLS_CERT:-}" && -n "${CRUCIBLE_TLS_KEY:-}" ]] || die "set both CRUCIBLE_TLS_CERT and CRUCIBLE_TLS_KEY, or neither"
        [[ -r "$TLS_CERT" && -r "$TLS_KEY" ]] || die "cannot read CRUCIBLE_TLS_CERT ($TLS_CERT) or CRUCIBLE_TLS_KEY ($TLS_KEY)"
        return
    fi
    if [[ -s "$TLS_CERT" && -s "$TLS_KEY" ]] && openssl x509 -in "$TLS_CERT" -noout -checkend $((30 * 86400)) >/dev/null; then
        return
    fi
    say "making a self-signed TLS certificate for 127.0.0.1 and localhost (.crucible/tls/cert.pem)"
    mkdir -p "$STATE/tls" && chmod 755 "$STATE/tls"
    # The key is written mode 600 from the start (umask), into the secrets folder.
    (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -days 365 \
        -subj /CN=localhost -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
        -addext 'basicConstraints=critical,CA:FALSE' -addext 'keyUsage=critical,digitalSignature' \
        -addext 'extendedKeyUsage=serverAuth' -keyout "$TLS_KEY.new" -out "$TLS_CERT.new" >"$LOGS/tls.log" 2>&1) \
        || die "openssl could not make the certificate; see $LOGS/tls.log"
    chmod 644 "$TLS_CERT.new"
    mv "$TLS_KEY.new" "$TLS_KEY"
    mv "$TLS_CERT.new" "$TLS_CERT"
}

# Where nginx serves the page from: the built page, or a placeholder when the checkout has none.
web_root() {
    if [[ -f "$PAGE/package.json" ]]; then
        printf '%s' "$PAGE/dist"
        return
    fi
    local placeholder="$STATE/nginx/placeholder"
    mkdir -p "$placeholder"
    [[ -f "$placeholder/index.html" ]] || cat > "$placeholder/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Crucible</title></head>
<body><h1>Crucible</h1><p>The API is at <code>/v1/</code>; see openapi.yaml. This checkout has no web page (frontend-ts).</p></body></html>
HTML
    printf '%s' "$placeholder"
}

# Renders nginx/crucible.conf.template to standard output. Only launcher settings go in, each
# checked against a pattern that cannot close a directive, quote or block: nginx never sees
# anything else, and nothing of a request.
render_nginx() {
    local web_root=$1
    local addr='^([0-9]{1,3}(\.[0-9]{1,3}){3}|\[[0-9a-fA-F:.]+\]):[0-9]{1,5}$' path='^/[A-Za-z0-9._/+@-]*$'
    local rate='^[0-9]{1,6}r/[sm]$'
    local -A values=(
        [USER]=$NGINX_USER
        [PID_FILE]=$STATE/nginx/nginx.pid
        [TEMP_DIR]=$STATE/nginx/tmp
        [ACCESS_LOG]=$LOGS/nginx-access.log
        [HTTPS_ADDR]=$NGINX_HTTPS_ADDR
        [HTTP_ADDR]=$NGINX_HTTP_ADDR
        [SERVER_NAME]=${CRUCIBLE_SERVER_NAME:-localhost}
        [TLS_CERT]=$TLS_CERT
        [TLS_KEY]=$TLS_KEY
        [API_ADDR]=$API_ADDR
        [WEB_ROOT]=$web_root
        [RATE_PAGE]=${CRUCIBLE_NGINX_RATE_PAGE:-20r/s}
        [RATE_API]=${CRUCIBLE_NGINX_RATE_API:-10r/s}
        [RATE_SUBMIT]=${CRUCIBLE_NGINX_RATE_SUBMIT:-2r/s}
    )
    local -A patterns=(
        [USER]='^[a-z][a-z0-9-]*$' [PID_FILE]=$path [TEMP_DIR]=$path [ACCESS_LOG]=$path
        [HTTPS_ADDR]=$addr [HTTP_ADDR]=$addr [SERVER_NAME]='^[A-Za-z0-9._*-]+( [A-Za-z0-9._*-]+)*$'
        [TLS_CERT]=$path [TLS_KEY]=$path [API_ADDR]=$addr [WEB_ROOT]=$path
        [RATE_PAGE]=$rate [RATE_API]=$rate [RATE_SUBMIT]=$rate
    )
    local name
    for name in "${!values[@]}"; do
        [[ "${values[$name]}" =~ ${patterns[$name]} ]] || die "nginx setting $name is not valid: '${values[$name]}'"
    done
    # The redirect from HTTP names the HTTPS port unless it is the default one.
    local https_port=${NGINX_HTTPS_ADDR##*:}
    values[HTTPS_PORT_SUFFIX]=$([[ "$https_port" == 443 ]] || printf ':%s' "$https_port")
    # ?wait=true answers within CRUCIBLE_MAX_WAIT_MS (the api's default 30 s); allow 30 s more.
    local max_wait=${CRUCIBLE_MAX_WAIT_MS:-30000}
    [[ "$max_wait" =~ ^[0-9]{1,7}$ ]] || die "CRUCIBLE_MAX_WAIT_MS is not a number of milliseconds: '$max_wait'"
    values[API_READ_TIMEOUT]="$((max_wait / 1000 + 30))s"

    local text
    text=$(< "$ROOT/nginx/crucible.conf.template")
    for name in "${!values[@]}"; do
        text=${text//"@$name@"/"${values[$name]}"}
    done
    [[ ! "$text" =~ @[A-Z_]+@ ]] || die "nginx/crucible.conf.template has a placeholder the launcher does not fill: ${BASH_REMATCH[0]}"
    printf '%s\n' "$text"
}

nginx_cmd() { nginx -e stderr -p "$STATE/nginx/" -c "$1" "${@:2}"; }

# Renders the configuration and checks it with nginx -t before anything is stopped: a bad one
# ends here with nginx's message, and a running nginx keeps serving. A changed configuration
# (or certificate) restarts nginx; an unchanged one leaves it alone.
start_nginx() {
    make_certificate
    mkdir -p "$STATE/nginx/tmp" && chmod 755 "$STATE/nginx"
    local web_root candidate="$STATE/nginx/nginx.conf.new" check
    web_root=$(web_root)
    render_nginx "$web_root" > "$candidate"
    if ! check=$(nginx_cmd "$candidate" -t -q 2>&1); then
        die "the nginx configuration is invalid (nginx -t): $check"
    fi
    if cmp -s "$candidate" "$NGINX_CONF"; then rm -f "$candidate"; else mv "$candidate" "$NGINX_CONF"; fi
    if ! needs_start nginx "$NGINX_CONF" "$TLS_CERT" "$TLS_KEY"; then
        step_skip "running already"
        return 0
    fi
    require_free "$(plain_addr "$NGINX_HTTPS_ADDR")" nginx
    require_free "$(plain_addr "$NGINX_HTTP_ADDR")" nginx
    say "starting nginx on $NGINX_HTTPS_ADDR (HTTPS) and $NGINX_HTTP_ADDR (redirects to HTTPS)"
    # The master runs as root (it binds and reads the key), the workers as $NGINX_USER.
    spawn nginx nginx -e stderr -p "$STATE/nginx/" -c "$NGINX_CONF"
    wait_for 30 tcp_open "$(plain_addr "$NGINX_HTTPS_ADDR")" || die_see_log nginx "nginx did not start"
}
