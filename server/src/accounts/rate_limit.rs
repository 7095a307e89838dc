//! Login attempts are rate-limited per email address and per client address (governor's
//! keyed GCRA limiters), so guessing passwords is slow whichever of the two an attacker varies.

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct LoginLimiter {
    per_email: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<String>,
}

impl LoginLimiter {
    /// `per_minute` attempts per email; ten times that per client address.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let m = NonZeroU32::new(per_minute.max(1).saturating_mul(10)).unwrap_or(NonZeroU32::MIN);
        LoginLimiter { per_email: RateLimiter::keyed(Quota::per_minute(n)), per_client: RateLimiter::keyed(Quota::per_minute(m)) }
    }

    /// Records an attempt; false when either limit is exhausted.
    pub fn allow(&self, email: &str, client: &str) -> bool {
        let email_ok = self.per_email.check_key(&email.to_lowercase()).is_ok();
        let client_ok = self.per_client.check_key(&client.to_string()).is_ok();
        self.per_email.retain_recent();
        self.per_client.retain_recent();
        email_ok && client_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_email_and_per_client() {
        let l = LoginLimiter::new(3);
        for _ in 0..3 {
            assert!(l.allow("a@x.org", "1.1.1.1"));
        }
        assert!(!l.allow("A@x.org", "1.1.1.1"), "the same email in another case is the same key");
        assert!(l.allow("b@x.org", "1.1.1.1"), "another email still gets in");
        // 30 per client: exhaust from one address with many emails.
        let l = LoginLimiter::new(3);
        let allowed = (0..40).filter(|i| l.allow(&format!("u{i}@x.org"), "2.2.2.2")).count();
        assert_eq!(allowed, 30);
    }
}
