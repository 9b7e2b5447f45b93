//! When to try a request again, and how long to wait first.
//!
//! Defaults follow AWS's "standard" retry mode: 3 attempts, exponential backoff from 1 s capped
//! at 20 s with full jitter, and 429/502/503/504 retried (DESIGN.md). A 500 is final by default:
//! it usually means the request itself broke something, and repeating it only triples the wait.
//! The API also reports passing upstream failures as `INTERNAL_ERROR` 500s, so a client that
//! sees those can opt in with [`RetryPolicy::retry_internal_errors`]; the idempotency rule
//! below still applies.
//!
//! Whether a retry is *safe* is decided per request: a 429 and a connection that was never made
//! are always safe (nothing was processed); a 5xx, a timeout or a connection lost mid-exchange are
//! safe only when the request is idempotent — for execute, when the *upstream* method is.
//!
//! The backoff is a few lines of arithmetic rather than a crate: `backon`'s jitter adds a random
//! part on top of the delay, whereas full jitter draws the whole delay from `[0, ceiling]`,
//! which spreads a burst of clients best.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How the client retries failed requests. Cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
    retry_after_cap: Duration,
    internal_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(60),
            retry_after_cap: Duration::from_secs(30),
            internal_errors: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts including the first (at least 1). Default 3.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff ceiling of the first retry; it doubles for each further one. Default 1 s.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest backoff ceiling. Default 20 s.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// No retry starts once this much time has passed since the first attempt, or if its wait
    /// would end after it. Default 60 s.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// The longest wait taken for a server's `Retry-After`; a longer request is shortened to
    /// this. Default 30 s.
    pub fn retry_after_cap(mut self, cap: Duration) -> Self {
        self.retry_after_cap = cap;
        self
    }

    /// Also retry HTTP 500 answers (subject to the same idempotency rule as 502–504). Default
    /// off.
    pub fn retry_internal_errors(mut self, retry: bool) -> Self {
        self.internal_errors = retry;
        self
    }

    /// Whether an answer with this status is worth another try under this policy.
    pub(crate) fn retries_status(&self, status: u16) -> bool {
        is_retryable_status(status) || (self.internal_errors && status == 500)
    }

    /// Total attempts including the first.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first retry): the server's
    /// `Retry-After` within the cap if it sent one, else a full-jitter draw from
    /// `[0, min(max_delay, base_delay * 2^(retry-1))]`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.retry_after_cap);
        }
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::random_range(0..=nanos))
    }

    /// Whether a retry waiting `delay` still fits: attempts left and within the time budget.
    pub(crate) fn allows(&self, attempts_made: u32, elapsed: Duration, delay: Duration) -> bool {
        attempts_made < self.max_attempts && elapsed.saturating_add(delay) <= self.max_elapsed
    }
}

/// Statuses worth another try: throttling and transient server failures.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// `Retry-After` as a wait from now: delay-seconds or an HTTP date (a past date means now).
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn full_jitter_stays_under_the_doubling_ceiling() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(p.delay(1, None) <= Duration::from_millis(100));
            assert!(p.delay(2, None) <= Duration::from_millis(200));
            assert!(p.delay(3, None) <= Duration::from_millis(350));
            assert!(p.delay(40, None) <= Duration::from_millis(350));
        }
        // Jitter really draws: 200 draws from [0, 100 ms] are not all equal.
        let draws: std::collections::HashSet<_> = (0..200).map(|_| p.delay(1, None)).collect();
        assert!(draws.len() > 1);
    }

    #[test]
    fn retry_after_is_honoured_within_the_cap() {
        let p = RetryPolicy::default().retry_after_cap(Duration::from_secs(5));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(90))),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn attempts_and_budget_bound_retries() {
        let p = RetryPolicy::default()
            .max_attempts(3)
            .max_elapsed(Duration::from_secs(10));
        assert!(p.allows(1, Duration::ZERO, Duration::from_secs(1)));
        assert!(p.allows(2, Duration::from_secs(8), Duration::from_secs(2)));
        assert!(!p.allows(3, Duration::ZERO, Duration::ZERO));
        assert!(!p.allows(1, Duration::from_secs(9), Duration::from_secs(2)));
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let mut h = HeaderMap::new();
        assert_eq!(parse_retry_after(&h), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO));
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&future).unwrap());
        let wait = parse_retry_after(&h).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(parse_retry_after(&h), None);
    }
}
