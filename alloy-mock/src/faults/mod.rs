//! Fault injection: rules that make the next N matching requests fail in a chosen way.
//!
//! Rules are scripted in-process ([`crate::MockServer::inject`]) or over HTTP
//! (`POST /_mock/faults` with the same JSON). They apply to every route except the control
//! routes (`/_mock/faults`, `/_mock/requests`, `/_mock/health`), before authentication, so a
//! fault answers even a request that would otherwise be refused.

mod apply;
mod rules;

pub(crate) use apply::apply_faults;
pub(crate) use rules::FaultSet;

use serde::{Deserialize, Serialize};

/// Which requests a fault applies to, how many times, and what happens to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// HTTP method to match (case-insensitive); `None` matches any.
    #[serde(default)]
    pub method: Option<String>,
    /// Path pattern: segments match literally, `*` matches one segment, `**` any rest
    /// (including nothing), e.g. `/connectors/*/actions/*/execute` or `/users/**`.
    pub path: String,
    /// How many matching requests the rule answers before it is used up (default 1);
    /// [`FaultRule::forever`] sets `usize::MAX`.
    #[serde(default = "one")]
    pub times: usize,
    pub fault: Fault,
}

fn one() -> usize {
    1
}

impl FaultRule {
    /// A rule answering the next matching request with `fault`.
    pub fn new(method: Option<&str>, path: impl Into<String>, fault: Fault) -> Self {
        Self {
            method: method.map(str::to_owned),
            path: path.into(),
            times: 1,
            fault,
        }
    }

    /// Applies to the next `n` matching requests.
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }

    /// Applies to every matching request until faults are cleared.
    pub fn forever(self) -> Self {
        self.times(usize::MAX)
    }

    /// Whether `method` and `path` are matched by this rule.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && rules::path_matches(&self.path, path)
    }
}

/// What happens to a matched request. Serialized as `{"kind": "<camelCase variant>", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status and an error envelope (`RATE_LIMITED` for 429,
    /// `INTERNAL_ERROR` for 5xx), with a `Retry-After` header when given.
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<String>,
    },
    /// Wait, then answer normally (`then: None`) or with another fault.
    Delay {
        millis: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        then: Option<Box<Fault>>,
    },
    /// Close the connection without writing any response.
    DropConnection,
    /// A 200 `application/json` answer whose body is not JSON.
    MalformedJson,
    /// The normal answer with its body cut in half (status and content type kept).
    TruncatedJson,
    /// A 200 execute-shaped JSON body of exactly `bytes` bytes
    /// (`{"responseData":"xxx…"}`; bodies under 19 bytes are all spaces).
    LargeBody { bytes: usize },
    /// 400 `INVALID_CREDENTIAL`, naming the request body's `credentialId` when there is one.
    InvalidCredential,
}

impl Fault {
    /// A status fault without `Retry-After`.
    pub fn status(status: u16) -> Self {
        Self::Status {
            status,
            retry_after: None,
        }
    }

    /// A 429 with `Retry-After: <seconds>`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::Status {
            status: 429,
            retry_after: Some(retry_after_secs.to_string()),
        }
    }

    /// A delay before the normal answer.
    pub fn delay(millis: u64) -> Self {
        Self::Delay { millis, then: None }
    }

    /// A delay before another fault.
    pub fn delay_then(millis: u64, then: Fault) -> Self {
        Self::Delay {
            millis,
            then: Some(Box::new(then)),
        }
    }

    /// Checks the values a rule received over HTTP can be acted on.
    pub(crate) fn check(&self) -> Result<(), String> {
        match self {
            Self::Status { status, .. } if !(100..=999).contains(status) => {
                Err(format!("status {status} is not an HTTP status code"))
            }
            Self::Delay {
                then: Some(then), ..
            } => then.check(),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_shape_is_tagged_by_kind() {
        let rule = FaultRule::new(
            Some("POST"),
            "/connectors/*/actions/*/execute",
            Fault::delay_then(5, Fault::rate_limited(2)),
        )
        .times(3);
        let value = serde_json::to_value(&rule).unwrap();
        assert_eq!(
            value,
            json!({"method": "POST", "path": "/connectors/*/actions/*/execute", "times": 3,
                "fault": {"kind": "delay", "millis": 5,
                    "then": {"kind": "status", "status": 429, "retryAfter": "2"}}})
        );
        let back: FaultRule = serde_json::from_value(value).unwrap();
        assert_eq!(back, rule);
        let minimal: FaultRule =
            serde_json::from_value(json!({"path": "/**", "fault": {"kind": "dropConnection"}}))
                .unwrap();
        assert_eq!(minimal.times, 1);
        assert_eq!(minimal.method, None);
        let large: Fault =
            serde_json::from_value(json!({"kind": "largeBody", "bytes": 10})).unwrap();
        assert_eq!(large, Fault::LargeBody { bytes: 10 });
    }

    #[test]
    fn bad_statuses_are_refused() {
        assert!(Fault::status(42).check().is_err());
        assert!(Fault::delay_then(1, Fault::status(1000)).check().is_err());
        assert!(Fault::status(503).check().is_ok());
    }
}
