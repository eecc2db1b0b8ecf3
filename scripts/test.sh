#!/usr/bin/env bash
# The test command: makes sure `redis-server` is installed (the Redis store's tests start their
# own private servers on free ports), then runs `cargo test` with the arguments given, e.g.
# `bash scripts/test.sh redis`. It never starts a system Redis service.
# Then, when run without arguments, the browser test: the chat widget on the demo page in
# headless Chromium (scripts/browser-test.sh), and the client test: a TypeScript client generated
# from the served /openapi.json holds a conversation, and the description is linted
# (scripts/client-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/redis.sh

if ! command -v redis-server >/dev/null 2>&1; then
    install_redis
fi

cargo test "$@"

if [ "$#" -eq 0 ]; then
    # `cargo test` built target/debug/advisor for the integration tests; both tests use it.
    ADVISOR_BINARY_BUILT=1 bash scripts/browser-test.sh
    ADVISOR_BINARY_BUILT=1 bash scripts/client-test.sh
fi
