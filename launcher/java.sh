# shellcheck shell=bash
# Java, for the launcher and the bench scripts: where it is, and what runs on it. Needs ROOT and the
# Maven build (target/ of api, executor and runtime).
JAVA_HOME="${CRUCIBLE_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME

# A module's jar, as its pom's <finalName> names it.
module_jar() { printf '%s' "$ROOT/$1/target/crucible-$1.jar"; }

java_command() {
    local module=$1 main=$2
    # -XX:-UsePerfData: no hsperfdata files in /tmp.
    printf '%s\n' "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:-UsePerfData -Xss512k \
        -cp "$(module_jar "$module"):$ROOT/$module/target/lib/*" "$main"
}

# One line per runtime manifest, name<TAB>image tag<TAB>packages (joined by commas), from the runtime
# module's RuntimeImages: the manifest hash and the name and package checks are ManifestParser's.
runtime_images() {
    "$JAVA_HOME/bin/java" -XX:-UsePerfData -cp "$(module_jar runtime):$ROOT/runtime/target/lib/*" \
        dev.crucible.runtime.RuntimeImages "$ROOT/runtimes"
}
