#!/usr/bin/env bash
# Conversation-shaped load on loopback, on each conversation store a deployment would use.
# For every store it starts the release `advisor serve` on the shipped shop (the durable store in
# a fresh data folder; Redis on a private redis-server), runs `advisor load` against it (whole
# conversations, one customer after another per connection) and prints throughput, latency and
# failed requests. Exits non-zero if any request failed.
#
#   bash scripts/load.sh [SECONDS] [CONNECTIONS] [STORE...]    # defaults: 60 64 durable redis
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
connections=${2:-64}
shift $(($# < 2 ? $# : 2))
stores=("$@")
if [ ${#stores[@]} -eq 0 ]; then
    stores=(durable redis)
fi

if [[ " ${stores[*]} " == *" redis "* ]] && ! command -v redis-server >/dev/null 2>&1; then
    source scripts/redis.sh
    install_redis
fi

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until `curl` gets a 200 from the URL, or fails after 30 s.
wait_for() {
    for _ in $(seq 300); do
        if curl -fs -o /dev/null "$1"; then
            return 0
        fi
        sleep 0.1
    done
    echo "no answer from $1 after 30 s" >&2
    return 1
}

echo "building the release binary…" >&2
cargo build --release --quiet
bin=target/release/advisor

failed=0
for store in "${stores[@]}"; do
    env=(
        ADVISOR__SESSIONS__STORE="$store"
        ADVISOR__SESSIONS__DATA_DIR="$work/data-$store"
        ADVISOR__LIMITS__REQUESTS_PER_SECOND=0
        ADVISOR__LIMITS__CONVERSATIONS_PER_HOUR=0
        ADVISOR__RELOAD__WATCH=false
        ADVISOR__LOG__LEVEL=warn
    )
    if [ "$store" = redis ]; then
        redis_port=$(free_port)
        redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
            --dir "$work" --loglevel warning >"$work/redis.log" 2>&1 &
        pids+=($!)
        for _ in $(seq 100); do
            redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
            sleep 0.1
        done
        env+=(ADVISOR__SESSIONS__REDIS_URL="redis://127.0.0.1:$redis_port/")
    fi
    port=$(free_port)
    env "${env[@]}" "$bin" serve --addr "127.0.0.1:$port" >"$work/serve-$store.log" 2>&1 &
    server=$!
    pids+=($server)
    wait_for "http://127.0.0.1:$port/readyz"
    echo "== $store store ==" >&2
    if ! "$bin" load "http://127.0.0.1:$port" --connections "$connections" --seconds "$seconds"; then
        failed=1
    fi
    kill -TERM "$server"
    wait "$server" || true
    echo
done
exit $failed
