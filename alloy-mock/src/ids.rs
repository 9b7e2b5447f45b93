//! Identifiers and timestamps shaped like the ones the real API hands out.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A fresh 24-hex-digit id laid out like a MongoDB ObjectId: seconds, a random value drawn
/// once per process, and a counter. Ids are unique within a process and, as in MongoDB, sort
/// in creation order (until the 24-bit counter wraps).
pub fn object_id() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    static PROCESS: OnceLock<u64> = OnceLock::new();
    let process = *PROCESS.get_or_init(|| rand::random::<u64>() & 0xff_ffff_ffff);
    let seconds = unix_millis() / 1000;
    let count = COUNTER.fetch_add(1, Ordering::Relaxed) & 0xff_ffff;
    format!("{:08x}{process:010x}{count:06x}", seconds as u32)
}

/// An unguessable token for URLs (OAuth `state`).
pub fn random_token() -> String {
    let bytes: [u8; 16] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWT-shaped user token (`header.payload.signature`, base64url). The signature is random:
/// nothing verifies it, but clients that split or decode the token see the usual structure.
pub fn user_token(user_id: &str) -> String {
    let now = unix_millis() / 1000;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims =
        serde_json::json!({"sub": user_id, "iss": "alloy-mock", "iat": now, "exp": now + 3600});
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signature: [u8; 32] = rand::random();
    format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The current time as the API writes it: `2025-02-05T15:09:29.551Z`.
pub fn now_iso8601() -> String {
    iso8601(unix_millis())
}

/// Formats milliseconds since the epoch as an RFC 3339 UTC timestamp with milliseconds.
pub fn iso8601(millis: u64) -> String {
    let secs = millis / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        millis % 1000
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_24_hex_and_unique() {
        let a = object_id();
        let b = object_id();
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert!(a < b, "ids sort in creation order: {a} {b}");
    }

    #[test]
    fn timestamps_format_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_738_768_169_551), "2025-02-05T15:09:29.551Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn user_tokens_have_three_parts() {
        let token = user_token("abc");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["sub"], "abc");
    }
}
