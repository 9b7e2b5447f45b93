//! Identifier newtypes, so a user id cannot be passed where a credential id is expected.

use std::fmt;

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier as the API spells it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The identifier as the API spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the identifier.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_newtype!(
    /// A connector's id, the `connectorId` of every connector route (`hubspot`, `zohoCRM`).
    ConnectorId
);
id_newtype!(
    /// An action's id within its connector (`createContact`, `chat_postMessage`); opaque.
    ActionId
);
id_newtype!(
    /// An Alloy user's id (a 24-hex ObjectId; user routes also accept the username).
    UserId
);
id_newtype!(
    /// A stored credential's id (a 24-hex ObjectId). Not a secret: the secret is the credential's data.
    CredentialId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_transparent_on_the_wire() {
        let id: ConnectorId = serde_json::from_str("\"hubspot\"").unwrap();
        assert_eq!(id, "hubspot");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"hubspot\"");
        assert_eq!(format!("{id:?}"), "ConnectorId(\"hubspot\")");
        assert_eq!(id.to_string(), "hubspot");
    }
}
