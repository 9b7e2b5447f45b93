//! The credential-expiration webhook Alloy sends to your endpoint.
//!
//! No signing scheme is documented, so none is assumed: authenticate the endpoint by other
//! means (a secret path, network policy) and parse the body with [`CredentialExpired::parse`].

use serde::{Deserialize, Serialize};

use crate::{CredentialId, Error, JsonMap, UserId};

/// `{userId, userEmail, credentialId, credentialName}`: a user's credential has expired and
/// the user should reconnect it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialExpired {
    /// The owner of the credential.
    pub user_id: UserId,
    /// Where to tell the user.
    pub user_email: String,
    /// The expired credential.
    pub credential_id: CredentialId,
    /// Its display name.
    pub credential_name: String,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl CredentialExpired {
    /// Parses a webhook body. Anything but a JSON object with the four fields as non-empty
    /// strings is [`Error::Webhook`] naming the field.
    pub fn parse(body: &[u8]) -> Result<Self, Error> {
        let mut de = serde_json::Deserializer::from_slice(body);
        let event: Self = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            Error::Webhook {
                path,
                message: e.into_inner().to_string(),
            }
        })?;
        de.end().map_err(|e| Error::Webhook {
            path: ".".into(),
            message: e.to_string(),
        })?;
        let fields = [
            ("userId", event.user_id.as_str()),
            ("userEmail", event.user_email.as_str()),
            ("credentialId", event.credential_id.as_str()),
            ("credentialName", event.credential_name.as_str()),
        ];
        if let Some((name, _)) = fields.iter().find(|(_, value)| value.trim().is_empty()) {
            return Err(Error::Webhook {
                path: (*name).to_owned(),
                message: "must not be empty".into(),
            });
        }
        Ok(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_payload_and_keeps_extras() {
        let event = CredentialExpired::parse(
            br#"{"userId":"u1","userEmail":"a@b.c","credentialId":"c1","credentialName":"Shopify","at":1}"#,
        )
        .unwrap();
        assert_eq!(event.user_id, "u1");
        assert_eq!(event.credential_id, "c1");
        assert_eq!(event.extra["at"], 1);
    }

    #[test]
    fn malformed_bodies_are_rejected_naming_the_problem() {
        let cases: [(&[u8], &str); 6] = [
            (b"", "."),
            (b"[]", "."),
            (
                br#"{"userId":"u1","userEmail":"e","credentialName":"n"}"#,
                ".",
            ),
            (
                br#"{"userId":1,"userEmail":"e","credentialId":"c","credentialName":"n"}"#,
                "userId",
            ),
            (
                br#"{"userId":"u","userEmail":" ","credentialId":"c","credentialName":"n"}"#,
                "userEmail",
            ),
            (
                br#"{"userId":"u","userEmail":"e","credentialId":"c","credentialName":"n"} x"#,
                ".",
            ),
        ];
        for (body, want_path) in cases {
            match CredentialExpired::parse(body) {
                Err(Error::Webhook { path, message }) => {
                    assert_eq!(
                        path,
                        want_path,
                        "{}: {message}",
                        String::from_utf8_lossy(body)
                    );
                }
                other => panic!("{}: {other:?}", String::from_utf8_lossy(body)),
            }
        }
        let missing =
            CredentialExpired::parse(br#"{"userId":"u1","userEmail":"e","credentialName":"n"}"#)
                .unwrap_err()
                .to_string();
        assert!(missing.contains("credentialId"), "{missing}");
    }
}
