#!/usr/bin/env bash
# Installs @crucible/sdk from the tarball the Maven build packs (sdk-ts/target), into a fresh copy
# of this example outside the checkout, as a user would, and runs main.mjs there. The install is
# offline: the package has no runtime dependency, and one added would fail it here.
# CRUCIBLE_URL, CRUCIBLE_KEY and NODE_EXTRA_CA_CERTS go through to main.mjs; CRUCIBLE_SDK_TARBALL
# names another tarball.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(node -p 'require(process.argv[1]).version' "$root/sdk-ts/package.json")"
tarball="${CRUCIBLE_SDK_TARBALL:-$root/sdk-ts/target/crucible-sdk-$version.tgz}"
if [[ ! -f "$tarball" ]]; then
    echo "run-example.sh: no $tarball; build it first: mvn -pl sdk-ts package (from the checkout's root)" >&2
    exit 1
fi

# The example runs elsewhere: a certificate named relative to here must still be found.
if [[ -n "${NODE_EXTRA_CA_CERTS:-}" ]]; then
    NODE_EXTRA_CA_CERTS="$(realpath -- "$NODE_EXTRA_CA_CERTS")"
    export NODE_EXTRA_CA_CERTS
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/crucible-example-ts.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT
cp "$here/package.json" "$here/main.mjs" "$work/"
(cd "$work" && npm install "$tarball" --offline --ignore-scripts --no-audit --no-fund --loglevel=warn)
(cd "$work" && node main.mjs)
