# shellcheck shell=bash
# Java, for the launcher and the bench scripts: where it is, and what runs on it. Needs ROOT and the
# Maven build (target/ of api, executor and runtime).
JAVA_HOME="${CRUCIBLE_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME

# A module's jar, as its pom's <finalName> names it.
module_jar() { printf '%s' "$ROOT/$1/target/crucible-$1.jar"; }

# Each process's memory, capped: without -Xmx the JVM takes a quarter of the machine, and the api
# grew to 6 GB under a read benchmark with 16 MB live. The heaps hold what is in flight: the api's
# requests and results (CRUCIBLE_API_HEAP), the executor's outputs and compiled artifacts of its slots
# (CRUCIBLE_EXECUTOR_HEAP). The serial collector: with heaps this small its pauses are a few ms, and
# it adds no threads or memory of its own. -XX:-UsePerfData: no hsperfdata files in /tmp.
java_memory() {
    local heap
    for heap in "${CRUCIBLE_API_HEAP:-}" "${CRUCIBLE_EXECUTOR_HEAP:-}"; do
        [[ -z "$heap" || "$heap" =~ ^[1-9][0-9]{0,5}[mg]$ ]] || die "a heap size is like 160m or 1g, not '$heap'"
    done
    case "$1" in
        api) printf '%s\n' "-Xmx${CRUCIBLE_API_HEAP:-160m}" -XX:MaxMetaspaceSize=96m -XX:MaxDirectMemorySize=64m ;;
        executor) printf '%s\n' "-Xmx${CRUCIBLE_EXECUTOR_HEAP:-128m}" -XX:MaxMetaspaceSize=64m -XX:MaxDirectMemorySize=64m ;;
    esac
    printf '%s\n' -XX:ReservedCodeCacheSize=48m -XX:+UseSerialGC -XX:-UsePerfData -Xss512k
}

java_command() {
    local module=$1 main=$2
    printf '%s\n' "$JAVA_HOME/bin/java"
    java_memory "$module"
    printf '%s\n' -cp "$(module_jar "$module"):$ROOT/$module/target/lib/*" "$main"
}

# One line per runtime manifest, name<TAB>image tag<TAB>packages (joined by commas), from the runtime
# module's RuntimeImages: the manifest hash and the name and package checks are ManifestParser's.
runtime_images() {
    "$JAVA_HOME/bin/java" -XX:-UsePerfData -cp "$(module_jar runtime):$ROOT/runtime/target/lib/*" \
        dev.crucible.runtime.RuntimeImages "$ROOT/runtimes"
}
