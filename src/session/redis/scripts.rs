//! The Redis store's Lua scripts, each atomic on the server. `KEYS[1]` is the conversation's
//! hash, `KEYS[2]` the expiry set, `ARGV[1]` the conversation id; a conversation is live while
//! its score is after the server's `TIME`.

use std::sync::LazyLock;

use ::redis::Script;

/// The live score test and the refresh of both expiries, shared by the scripts.
const PRELUDE: &str = r"
local now = tonumber(redis.call('TIME')[1])
local function live()
  local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
  return score and tonumber(score) > now
end
local function refresh(ttl, key_ttl)
  redis.call('ZADD', KEYS[2], now + tonumber(ttl), ARGV[1])
  redis.call('EXPIRE', KEYS[1], key_ttl)
end
";

fn script(body: &str) -> Script {
    Script::new(&format!("{PRELUDE}{body}"))
}

/// ARGV: id, turn, state, ttl, key ttl, capacity. 1 when stored, 0 when full (expired
/// conversations waiting for the sweep do not count).
pub static CREATE: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
if redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf') >= tonumber(ARGV[6]) then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'turn', ARGV[2], 'state', ARGV[3])
refresh(ARGV[4], ARGV[5])
return 1
",
    )
});

/// ARGV: id, ttl, key ttl. The state, refreshed; nil when missing or expired.
pub static LOAD: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
if not live() then return false end
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return false end
refresh(ARGV[2], ARGV[3])
return state
",
    )
});

/// ARGV: id, expected turn, new turn, state, ttl, key ttl. The turn found (-1 when missing
/// or expired); the state is written only when it is the expected turn.
pub static SAVE: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
if not live() then return -1 end
local current = redis.call('HGET', KEYS[1], 'turn')
if not current then return -1 end
current = tonumber(current)
if current == tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'turn', ARGV[3], 'state', ARGV[4])
  refresh(ARGV[5], ARGV[6])
end
return current
",
    )
});

/// ARGV: id. Whether there was anything to forget.
pub static DELETE: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
local listed = redis.call('ZREM', KEYS[2], ARGV[1])
local stored = redis.call('DEL', KEYS[1])
if listed + stored > 0 then return 1 end
return 0
",
    )
});

/// KEYS[1]: the expiry set; ARGV[1]: a batch size. Ids whose expiry is past.
pub static DUE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local now = tonumber(redis.call('TIME')[1])
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
",
    )
});

/// ARGV: id. Removes an expired conversation and answers its state (empty when Redis
/// already dropped the hash); nil when it is live again or another instance took it.
pub static TAKE: LazyLock<Script> = LazyLock::new(|| {
    script(
        r"
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score or tonumber(score) > now then return false end
redis.call('ZREM', KEYS[2], ARGV[1])
local state = redis.call('HGET', KEYS[1], 'state') or ''
redis.call('DEL', KEYS[1])
return state
",
    )
});

/// A side record written unless its key holds a value. `KEYS[1]` the record's key; ARGV: the
/// value, its time to live in seconds. The value already there, or nil when this one was
/// written.
pub static PUT_NEW: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local known = redis.call('GET', KEYS[1])
if known then return known end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
",
    )
});
