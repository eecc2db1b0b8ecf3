#!/usr/bin/env bash
# The client test: what a shop's developer does with the API description. Installs the pinned npm
# packages of tests/client/ with `npm ci` (openapi-typescript, openapi-fetch, typescript and
# Redocly CLI as the linter), builds and starts `advisor serve` on a free port (memory store, no
# rate limits, no file watching), fetches /openapi.json, lints it (0 problems), generates
# TypeScript types from it, type-checks tests/client/conversation.ts with them (`tsc`, strict)
# and runs it with node: a whole conversation through openapi-fetch. Stops the server; exits
# non-zero when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
stage_started=$started
stage() {
    local now
    now=$(date +%s)
    echo "client-test: $1 took $((now - stage_started)) s" >&2
    stage_started=$now
}

cd tests/client
# `--include=dev`: the packages are dev dependencies, installed even under NODE_ENV=production.
npm ci --include=dev --no-audit --no-fund --loglevel=error
stage "npm ci"
cd ../..

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
        echo "client-test: advisor serve stopped:" >&2
        cat "$log" >&2
        exit 1
    fi
    url=""
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "client-test: advisor serve did not get ready in 30 s:" >&2
    cat "$log" >&2
    exit 1
fi
stage "server start ($url)"

cd tests/client
rm -rf generated build
mkdir generated
curl -sSf "$url/openapi.json" -o generated/openapi.json

# No usage reports or update checks: the linter runs offline.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    npx --no-install redocly lint generated/openapi.json --config lint.redocly.yaml --format=stylish
stage "lint"

npx --no-install openapi-typescript generated/openapi.json --output generated/api.ts
stage "generate types"

# One strict pass type-checks (the generated types and the program) and, with no error, compiles
# to build/ (`noEmitOnError`): the same check as `tsc --strict --noEmit`, without a second pass.
npx --no-install tsc --project tsconfig.json
stage "type-check and compile"

status=0
ADVISOR_URL="$url" node build/conversation.js || status=$?
stage "conversation"

if [ "$status" -ne 0 ]; then
    echo "client-test: FAILED; the server's log:" >&2
    tail -n 20 "$log" >&2
fi
echo "client-test: $(($(date +%s) - started)) s in all" >&2
exit "$status"
