# shellcheck shell=bash
# The build: the Java modules (Maven), the web page (npm) and the runtime images (debootstrap).

# The TypeScript SDK (sdk-ts) is built with npm, which only the api's hosts have (the page needs it):
# elsewhere the reactor skips its npm steps, and its tarball is looked for only where it is made.
build_java() {
    local stamp="$STATE/build.stamp" sdk="$ROOT/sdk-ts"
    local -a skip_sdk=(-Dsdk-ts.skip)
    if role_has api; then skip_sdk=(); fi
    if [[ -f "$stamp" && -f "$(module_jar api)" && -f "$(module_jar executor)" && -f "$(module_jar runtime)" \
        && -f "$ROOT/sdk-java/target/crucible-sdk.jar" ]] \
        && { ((${#skip_sdk[@]})) || compgen -G "$sdk/target/crucible-sdk-*.tgz" >/dev/null; } \
        && [[ -z "$(find "$ROOT/pom.xml" "$ROOT/openapi.yaml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main \
            "$sdk/package.json" "$sdk/package-lock.json" "$sdk"/tsconfig*.json "$sdk/src" \
            -newer "$stamp" -print -quit)" ]]; then
        step_skip "up to date"
        return 0
    fi
    say "mvn package (Java 25)"
    # The runtime classpaths are copied afresh: copy-dependencies only adds, so a jar dropped from a
    # pom (slf4j-simple, say, beside the provider that replaced it) would otherwise stay on them.
    rm -rf "$ROOT/api/target/lib" "$ROOT/executor/target/lib" "$ROOT/runtime/target/lib" "$ROOT/sdk-java/target/lib"
    # Each build's own log: the reactor's progress, and Maven's summary at its end.
    : > "$LOGS/maven.log"
    # Stamped as of the build's start: a source edited while Maven ran is newer, and is built next time.
    touch "$stamp.new"
    (cd "$ROOT" && logged "$LOGS/maven.log" "the Maven build" mvn -B -ntp -DskipTests "${skip_sdk[@]}" package)
    mv "$stamp.new" "$stamp"
}

# The web page (frontend-ts, built by Vite into frontend-ts/dist), when the checkout has it. Its
# src/generated comes from the Maven build, so this runs after build_java. npm ci runs only when
# package-lock.json changed since the last install; the build only when a file of the page did.
build_page() {
    [[ -f "$PAGE/package.json" ]] || return 0
    [[ -f "$PAGE/package-lock.json" ]] || die "frontend-ts/package-lock.json is missing; npm ci installs from it"
    local lock_stamp="$STATE/page-lock.sha256" build_stamp="$STATE/page.stamp" lock
    lock=$(sha256sum "$PAGE/package-lock.json" | cut -d' ' -f1)
    if [[ ! -d "$PAGE/node_modules" || "$(cat "$lock_stamp" 2>/dev/null)" != "$lock" ]]; then
        step_part "npm ci: the page's dependencies" "$LOGS/page-npm-ci.log"
        # No package of the page needs an install script (Vite's and lightningcss's native parts
        # are optional dependencies); the one that has one, Scarf under swagger-ui-dist, reports
        # the installation to its vendor, so none is run.
        : > "$LOGS/page-npm-ci.log"
        logged "$LOGS/page-npm-ci.log" "npm ci" npm --prefix "$PAGE" ci --ignore-scripts --no-audit --no-fund
        echo "$lock" > "$lock_stamp"
        rm -f "$build_stamp"
    fi
    # (-mindepth 1: the folder itself changes when the build first makes dist/.) The contract is
    # outside the folder and the build writes it into dist/ as /openapi.yaml and /openapi.json.
    if [[ -f "$build_stamp" && -f "$PAGE/dist/index.html" && ! "$ROOT/openapi.yaml" -nt "$build_stamp" ]] \
        && [[ -z "$(find "$PAGE" -mindepth 1 \( -path "$PAGE/node_modules" \
            -o -path "$PAGE/dist" -o -path "$PAGE/target" \) -prune -o -newer "$build_stamp" -print -quit)" ]]; then
        step_skip "up to date"
        return 0
    fi
    step_part "npm run build into frontend-ts/dist" "$LOGS/page-build.log"
    # Stamped with the time the build started: a file changed during the build is built next time.
    touch "$build_stamp.new"
    : > "$LOGS/page-build.log"
    logged "$LOGS/page-build.log" "building the page" npm --prefix "$PAGE" run build
    [[ -f "$PAGE/dist/index.html" ]] || die "npm run build made no frontend-ts/dist/index.html"
    mv "$build_stamp.new" "$build_stamp"
}

# A root filesystem of Debian bookworm (debootstrap, minbase) with PACKAGES (comma-separated), in a
# fresh folder under the cache whose path is printed; NAME names its log. Nothing is left of a failure.
debootstrap_rootfs() {
    local name=$1 packages=$2 rootfs
    rootfs=$(mktemp -d "$STATE/cache/rootfs.XXXXXX")
    mkdir -p "$STATE/cache/debootstrap"
    if ! debootstrap --variant=minbase --cache-dir="$STATE/cache/debootstrap" --include="$packages" \
            bookworm "$rootfs" "$MIRROR" > "$LOGS/image-$name.log" 2>&1; then
        # A failed debootstrap can leave /proc and /sys mounted inside the folder.
        umount -R "$rootfs/proc" "$rootfs/sys" 2>/dev/null || true
        rm -rf --one-file-system "$rootfs"
        show_log_end "$LOGS/image-$name.log" 30
        die "building the $name image failed (debootstrap); the end of $LOGS/image-$name.log is above"
    fi
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    printf '%s' "$rootfs"
}

# name=version of each of the comma-separated packages, as installed in the root file system, joined
# by commas. The names are the manifest's, checked by ManifestParser: letters, digits, + . -.
package_versions() {
    local rootfs=$1 packages=$2
    local -a names
    IFS=, read -r -a names <<< "$packages"
    # shellcheck disable=SC2016 # dpkg-query's own format fields, not the shell's
    chroot "$rootfs" dpkg-query -W -f '${Package}=${Version},' "${names[@]}" | sed 's/,$//'
}

# Each runtime image comes from its manifest: debootstrap of Debian bookworm with the manifest's
# packages, imported into Docker. Tagged by the manifest's hash, so only a changed manifest rebuilds.
# The tag, the name and the packages come checked from runtime_images (ManifestParser's rules).
build_images() {
    local listing image tag name packages rootfs versions built=0
    local -a images missing=()
    listing=$(runtime_images) || die "the runtime manifests in runtimes/ are not valid (see above)"
    mapfile -t images <<< "$listing"
    for image in "${images[@]}"; do
        IFS=$'\t' read -r name tag packages <<< "$image"
        docker image inspect "$tag" >/dev/null 2>&1 || missing+=("$image")
    done
    if ((${#missing[@]} == 0)); then
        step_skip "all ${#images[@]} up to date"
        return 0
    fi
    if ((${#missing[@]} < ${#images[@]})); then say "${#missing[@]} of ${#images[@]} to build; the others are up to date"; fi
    for image in "${missing[@]}"; do
        IFS=$'\t' read -r name tag packages <<< "$image"
        built=$((built + 1))
        step_part "image $built of ${#missing[@]}: $name" "$LOGS/image-$name.log"
        rootfs=$(debootstrap_rootfs "$name" "$packages")
        mkdir -p "$rootfs/workspace" "$rootfs/io"
        # The program's uid writes a small workspace and its stdin there itself (ProgramCommand).
        chown 65534:65534 "$rootfs/workspace" "$rootfs/io"
        # The manifest's packages with the versions installed (name=version,...): a label, which each
        # sandbox's container carries, so that the executor reports them in every result's provenance.
        versions=$(package_versions "$rootfs" "$packages")
        tar -C "$rootfs" -c . | docker import --change 'USER 65534:65534' --change 'WORKDIR /workspace' \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change "LABEL dev.crucible.packages=\"$versions\"" - "$tag" >/dev/null
        rm -rf "$rootfs"
        # Images of earlier versions of this manifest are not used any more.
        docker images --format '{{.Repository}}:{{.Tag}}' "crucible-runtime/$name" | grep -vxF "$tag" \
            | xargs -r docker rmi >/dev/null 2>&1 || true
    done
}

# What the store and queue tests start of their own through Testcontainers (test-support's
# ServiceContainer): PostgreSQL and Redis from Debian's packages in one image, tagged by the list.
TEST_SERVICE_PACKAGES=postgresql-15,redis-server

test_services_image() { printf 'crucible-test/services:%s' "$(printf '%s' "$TEST_SERVICE_PACKAGES" | sha256sum | cut -c1-12)"; }

build_test_services_image() {
    local tag rootfs
    tag=$(test_services_image)
    if docker image inspect "$tag" >/dev/null 2>&1; then
        step_skip "up to date"
        return 0
    fi
    say "building the test services image $tag (debootstrap: $TEST_SERVICE_PACKAGES)"
    rootfs=$(debootstrap_rootfs test-services "$TEST_SERVICE_PACKAGES")
    tar -C "$rootfs" -c . | docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$tag" >/dev/null
    rm -rf "$rootfs"
    docker images --format '{{.Repository}}:{{.Tag}}' crucible-test/services | grep -vxF "$tag" \
        | xargs -r docker rmi >/dev/null 2>&1 || true
}

# Test service containers a killed test JVM left (without Testcontainers' reaper nothing else would).
remove_test_service_containers() {
    docker ps -aq --filter label=dev.crucible.test-service | xargs -r docker rm -f >/dev/null
}
