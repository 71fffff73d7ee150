//! Counts in Redis (`TALENTD_REDIS_URL`): exact across replicas, one round trip per
//! request. A Lua script reads every window's counter and increments them only when
//! all have room, atomically; each counter expires with its window.

use super::{RateLimiter, unavailable};
use redis::aio::ConnectionManager;
use talentd_core::plan::Quota;
use talentd_core::ratelimit::{Decision, decide, window_start};

/// KEYS: one counter per window. ARGV: the limits, then the expiries in seconds.
/// Returns the counts before this request.
const HIT: &str = r"
local n = #KEYS
local used = {}
local fits = true
for i = 1, n do
  local u = tonumber(redis.call('GET', KEYS[i]) or '0')
  used[i] = u
  if u >= tonumber(ARGV[i]) then fits = false end
end
if fits then
  for i = 1, n do
    if redis.call('INCR', KEYS[i]) == 1 then
      redis.call('EXPIRE', KEYS[i], ARGV[n + i])
    end
  end
end
return used
";

/// A [`RateLimiter`] over Redis.
pub struct RedisRateLimiter {
    conn: ConnectionManager,
    script: redis::Script,
    prefix: String,
}

impl RedisRateLimiter {
    /// Connects to `url` (`redis://host:port/db`); keys start with `prefix`.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let conn = ConnectionManager::new(client).await?;
        Ok(RedisRateLimiter {
            conn,
            script: redis::Script::new(HIT),
            prefix: prefix.to_owned(),
        })
    }

    async fn try_hit(
        &self,
        subject: &str,
        quotas: &[Quota],
        now_secs: u64,
    ) -> Result<Decision, redis::RedisError> {
        let mut call = self.script.prepare_invoke();
        for q in quotas {
            // The braces make every window of one subject hash to the same cluster slot.
            call.key(format!(
                "{}{{{subject}}}:{}:{}",
                self.prefix,
                q.name,
                window_start(now_secs, q.window_secs)
            ));
        }
        for q in quotas {
            call.arg(q.limit);
        }
        for q in quotas {
            // A little longer than the window, so that a lagging clock still finds it.
            call.arg(q.window_secs + 60);
        }
        let mut conn = self.conn.clone();
        let used: Vec<u64> = call.invoke_async(&mut conn).await?;
        Ok(decide(quotas, now_secs, &used))
    }
}

#[async_trait::async_trait]
impl RateLimiter for RedisRateLimiter {
    async fn hit(&self, subject: &str, quotas: &'static [Quota], now_secs: u64) -> Decision {
        if quotas.is_empty() {
            return decide(quotas, now_secs, &[]);
        }
        match self.try_hit(subject, quotas, now_secs).await {
            Ok(d) => d,
            Err(e) => unavailable("redis", quotas, now_secs, &e),
        }
    }
}
