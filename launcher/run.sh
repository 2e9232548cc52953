# shellcheck shell=bash
# ./crucible run: a program run through the public API by the Java SDK's command line
# (sdk-java, dev.crucible.sdk.cli.Run). Its arguments go to java as they came, an argv, never
# through a shell. Needs ROOT, STATE, TLS_CERT and java.sh's JAVA_HOME.

SDK_JAR="$ROOT/sdk-java/target/crucible-sdk.jar"

# CRUCIBLE_URL, else this host's public entry, with its certificate (CRUCIBLE_TLS_CERT or the
# self-signed one) as CRUCIBLE_CA unless that is set; CRUCIBLE_KEY, else the admin key
# (CRUCIBLE_ADMIN_KEY or .crucible/admin-key). The key reaches java in its environment, not its argv.
cmd_run() {
    if [[ ! -f "$SDK_JAR" || ! -d "$ROOT/sdk-java/target/lib" ]]; then
        mkdir -p "$STATE"
        build_java
    fi
    local url=${CRUCIBLE_URL:-} ca=${CRUCIBLE_CA:-} key=${CRUCIBLE_KEY:-}
    # Nothing missing is fatal here: the command line checks its arguments first (--help needs no
    # stack), then says which setting it lacks.
    if [[ -z "$url" ]]; then
        url=$(web_url)
        ca=${ca:-$TLS_CERT}
    fi
    if [[ -z "$key" ]] && [[ -n "${CRUCIBLE_ADMIN_KEY:-}" || -r "$STATE/admin-key" ]]; then
        key=$(admin_key)
    fi
    export CRUCIBLE_URL="$url" CRUCIBLE_CA="$ca" CRUCIBLE_KEY="$key"
    # A client's JVM: small, and quick to start rather than to peak.
    exec "$JAVA_HOME/bin/java" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData \
        -cp "$SDK_JAR:$ROOT/sdk-java/target/lib/*" dev.crucible.sdk.cli.Run "$@"
}
