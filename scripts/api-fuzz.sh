#!/usr/bin/env bash
# API fuzz: runs Schemathesis against the served description (`/openapi.json`) of the release
# binary on a free loopback port, with the memory store and the rate limits off, and exits
# non-zero on any failure: a 5xx, or a status, content type or body the description does not
# allow. Usage: bash scripts/api-fuzz.sh [MAX_EXAMPLES] (per operation and phase, default 100).
# Schemathesis is installed (pinned) into target/api-fuzz-venv on first use;
# scripts/api_fuzz_hooks.py steers part of the generated bodies into real conversations.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES="${1:-100}"
SCHEMATHESIS_VERSION=4.32.5
VENV=target/api-fuzz-venv

if [ ! -x "$VENV/bin/schemathesis" ] ||
    ! "$VENV/bin/pip" show schemathesis 2>/dev/null | grep -qx "Version: $SCHEMATHESIS_VERSION"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --release --quiet

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
LOG="target/api-fuzz-server.log"

ADVISOR__SERVER__ADDR="127.0.0.1:$PORT" \
    ADVISOR__LIMITS__REQUESTS_PER_SECOND=0 \
    ADVISOR__LIMITS__CONVERSATIONS_PER_HOUR=0 \
    ADVISOR__SESSIONS__STORE=memory \
    ADVISOR__RELOAD__WATCH=false \
    target/release/advisor serve >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
    if curl -fsS "$BASE/readyz" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$SERVER" 2>/dev/null; then
        echo "the server did not start:" >&2
        cat "$LOG" >&2
        exit 1
    fi
    sleep 0.2
done

status=0
ADVISOR_FUZZ_BASE="$BASE" PYTHONPATH=scripts SCHEMATHESIS_HOOKS=api_fuzz_hooks \
    "$VENV/bin/schemathesis" run "$BASE/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" \
    --workers 2 \
    --no-color \
    --report junit --report-dir target/api-fuzz-report \
    || status=$?

# What the server counted (its own /metrics, answered on loopback), by status.
curl -fsS "$BASE/metrics" | python3 -c '
import re, sys
by_status = {}
for line in sys.stdin:
    found = re.match(r"advisor_http_requests_total\{(.*)\} (\d+)", line)
    if found and "/metrics" not in found.group(1):
        status = re.search(r"status=\"(\d+)\"", found.group(1)).group(1)
        by_status[status] = by_status.get(status, 0) + int(found.group(2))
print("requests served:", sum(by_status.values()), "by status:", dict(sorted(by_status.items())))
' || true

if grep -q "panicked" "$LOG"; then
    echo "the server panicked (see $LOG)" >&2
    status=1
fi
exit "$status"
