//! Guessing passwords is made slow two ways. Per client address, a rate limit in each process
//! (governor's keyed GCRA limiter): an address that tries too many accounts waits. Per account,
//! a slow-down shared by every process through the database (`login_failure`, see the accounts
//! service): after [`FREE_FAILURES`] failures in a row each attempt waits [`wait_after`] since
//! the last one — never a lock-out, so someone guessing cannot keep the account's owner out for
//! longer than that wait, and the right password works as soon as it is over.

use std::{num::NonZeroU32, time::Duration};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Failures in a row an account takes without waiting.
pub const FREE_FAILURES: u32 = 5;
/// The longest an account's next attempt waits.
pub const MAX_WAIT: Duration = Duration::from_secs(30);
/// Failures older than this are forgotten: the count starts again.
pub const FAILURES_FORGOTTEN_AFTER: Duration = Duration::from_secs(15 * 60);

/// How long after its last failure an account with `failures` in a row takes its next attempt:
/// nothing for the first few, then 1 s, 2 s, 4 s … up to [`MAX_WAIT`].
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    Duration::from_secs(1u64 << doublings).min(MAX_WAIT)
}

pub struct LoginLimiter {
    per_client: DefaultKeyedRateLimiter<String>,
}

impl LoginLimiter {
    /// Ten times `per_minute` attempts per client address.
    pub fn new(per_minute: u32) -> Self {
        let m = NonZeroU32::new(per_minute.max(1).saturating_mul(10)).unwrap_or(NonZeroU32::MIN);
        LoginLimiter { per_client: RateLimiter::keyed(Quota::per_minute(m)) }
    }

    /// Records an attempt from `client`; false when its limit is exhausted.
    pub fn allow(&self, client: &str) -> bool {
        let ok = self.per_client.check_key(&client.to_string()).is_ok();
        self.per_client.retain_recent();
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_client() {
        // 30 per client: exhaust from one address with many emails; another address goes on.
        let l = LoginLimiter::new(3);
        let allowed = (0..40).filter(|_| l.allow("2.2.2.2")).count();
        assert_eq!(allowed, 30);
        assert!(l.allow("3.3.3.3"));
    }

    #[test]
    fn an_account_slows_down_after_a_few_failures_and_never_locks() {
        let waits: Vec<u64> = (0..12).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(waits, vec![0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(wait_after(u32::MAX), MAX_WAIT, "bounded however many failures");
    }
}
