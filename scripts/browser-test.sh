#!/usr/bin/env bash
# The browser test: the chat widget on the demo shop page in a real, headless Chromium.
# Installs Debian's `chromium` when /usr/bin/chromium is missing (with `sudo` unless run as root),
# installs the test's one npm package (`playwright-core`, which downloads no browser) with
# `npm ci`, builds and starts `advisor serve` on a free port (memory store, no rate limits, no file
# watching), runs tests/browser/widget.test.mjs against it, and stops the server. Exits non-zero
# when a test fails. Screenshots go to target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
stage_started=$started
stage() {
    local now
    now=$(date +%s)
    echo "browser-test: $1 took $((now - stage_started)) s" >&2
    stage_started=$now
}

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

# scripts/test.sh has just built target/debug/advisor with `cargo test` (the integration tests
# run it): a `cargo build` would only build it again with other dependency features.
if [ "${ADVISOR_BINARY_BUILT:-}" != 1 ] || [ ! -x target/debug/advisor ]; then
    cargo build --quiet
fi
stage "cargo build"

log=$(mktemp)
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server"
        wait "$server" 2>/dev/null || true
    fi
    rm -f "$log"
}
trap cleanup EXIT

ADVISOR__SERVER__ADDR=127.0.0.1:0 \
    ADVISOR__SERVER__DRAIN_SECONDS=0 \
    ADVISOR__SESSIONS__STORE=memory \
    ADVISOR__LIMITS__REQUESTS_PER_SECOND=0 \
    ADVISOR__LIMITS__CONVERSATIONS_PER_HOUR=0 \
    ADVISOR__RELOAD__WATCH=false \
    target/debug/advisor serve >"$log" 2>&1 &
server=$!

url=""
for _ in $(seq 1 300); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
    if [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "browser-test: advisor serve stopped:" >&2
        cat "$log" >&2
        exit 1
    fi
    url=""
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "browser-test: advisor serve did not get ready in 30 s:" >&2
    cat "$log" >&2
    exit 1
fi
stage "server start ($url)"

status=0
(cd tests/browser && ADVISOR_URL="$url" node --test --test-reporter=spec widget.test.mjs) || status=$?
stage "browser tests"

if [ "$status" -ne 0 ]; then
    echo "browser-test: FAILED; the server's log:" >&2
    tail -n 20 "$log" >&2
fi
echo "browser-test: $(($(date +%s) - started)) s in all; screenshots in target/screenshots/" >&2
exit "$status"
