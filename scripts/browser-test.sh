#!/usr/bin/env bash
# The browser test: the chat widget on the demo shop page in a real, headless Chromium.
# Installs Debian's `chromium` when /usr/bin/chromium is missing (with `sudo` unless run as root),
# installs the test's one npm package (`playwright-core`, which downloads no browser) with
# `npm ci`, builds and starts `advisor serve` on a free port (memory store, no rate limits, no file
# watching), runs tests/browser/widget.test.mjs against it, and stops the server. Exits non-zero
# when a test fails. Screenshots go to target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

name=browser-test
source scripts/test-server.sh

if [ ! -x /usr/bin/chromium ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
    echo "browser-test: /usr/bin/chromium is missing: installing Debian's chromium" >&2
    if ! "${install[@]}"; then
        "${sudo[@]}" apt-get update -q
        "${install[@]}"
    fi
fi
stage "chromium"

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
stage "npm ci"

start_test_server

status=0
(cd tests/browser && ADVISOR_URL="$url" node --test --test-reporter=spec widget.test.mjs) || status=$?
stage "browser tests"

if [ "$status" -ne 0 ]; then
    echo "browser-test: FAILED; the server's log:" >&2
    tail -n 20 "$log" >&2
fi
echo "browser-test: $(($(date +%s) - started)) s in all; screenshots in target/screenshots/" >&2
exit "$status"
