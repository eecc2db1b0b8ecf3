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

name=client-test
source scripts/test-server.sh

cd tests/client
# `--include=dev`: the packages are dev dependencies, installed even under NODE_ENV=production.
npm ci --include=dev --no-audit --no-fund --loglevel=error
stage "npm ci"
cd ../..

start_test_server

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
