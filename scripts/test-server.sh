# Sourced by the scripts that test a running advisor (browser-test.sh, client-test.sh): `stage`
# prints stage timings, and `start_test_server` starts target/debug/advisor (built by
# `cargo test` in scripts/test.sh, else built here) on a free port with the memory store, no rate
# limits and no file watching, sets `url` once /readyz answers, and stops it when the script
# exits. Set `name` (the script's name, for messages) before sourcing.

started=$(date +%s)
stage_started=$started
stage() {
    local now
    now=$(date +%s)
    echo "$name: $1 took $((now - stage_started)) s" >&2
    stage_started=$now
}

log=""
server=""
stop_test_server() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server"
        wait "$server" 2>/dev/null || true
    fi
    if [ -n "$log" ]; then
        rm -f "$log"
    fi
}

start_test_server() {
    # scripts/test.sh has just built target/debug/advisor with `cargo test` (the integration
    # tests run it): a `cargo build` would only build it again with other dependency features.
    if [ "${ADVISOR_BINARY_BUILT:-}" != 1 ] || [ ! -x target/debug/advisor ]; then
        cargo build --quiet
    fi
    stage "cargo build"
    log=$(mktemp)
    trap stop_test_server EXIT
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
            echo "$name: advisor serve stopped:" >&2
            cat "$log" >&2
            exit 1
        fi
        url=""
        sleep 0.1
    done
    if [ -z "$url" ]; then
        echo "$name: advisor serve did not get ready in 30 s:" >&2
        cat "$log" >&2
        exit 1
    fi
    stage "server start ($url)"
}
