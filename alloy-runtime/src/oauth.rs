//! Finishing an OAuth connection: from the URL the end user comes back on to the id of the
//! credential Alloy stored.
//!
//! alloy-api.md marks the redirect's parameters as undocumented, so [`UserClient::finish_oauth`]
//! reads them when they are there (`credentialId`, or an OAuth `error`) and otherwise finds the
//! connector's credential that did not exist when the flow started ([`OAuthFlow::existing`]).

use serde::{Deserialize, Serialize};

use crate::{ConnectorId, CredentialId, Error, OAuthCredential, UserClient};

/// An OAuth connection in progress: send the end user to [`OAuthFlow::oauth_url`], keep the
/// flow (it serializes, e.g. into the session) until they come back, then hand it to
/// [`UserClient::finish_oauth`] with the URL they came back on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OAuthFlow {
    /// The Alloy-hosted authorization URL to send the end user to.
    pub oauth_url: String,
    /// The connector being connected.
    pub connector: ConnectorId,
    /// The user's credentials of this connector before the flow started.
    pub existing: Vec<CredentialId>,
}

impl UserClient {
    /// Starts an OAuth connection to `connector`: notes the user's existing credentials of it,
    /// then asks Alloy for the authorization URL.
    pub async fn start_oauth(
        &self,
        connector: &ConnectorId,
        input: &OAuthCredential,
    ) -> Result<OAuthFlow, Error> {
        let existing = self
            .list_credentials(connector)
            .await?
            .into_iter()
            .map(|c| c.credential_id)
            .collect();
        let start = self.create_oauth_credential(connector, input).await?;
        Ok(OAuthFlow {
            oauth_url: start.oauth_url,
            connector: connector.clone(),
            existing,
        })
    }

    /// The credential an OAuth connection stored, from the URL the end user came back on
    /// (absolute, or only its path and query).
    ///
    /// # Errors
    /// - [`Error::OAuth`] when the URL carries an OAuth `error` (the user denied access, say),
    ///   or when no credential of the connector appeared since the flow started;
    /// - [`Error::CredentialNotOwned`] when the URL names a credential that is not this user's
    ///   for this connector (a redirect URL is not to be trusted).
    pub async fn finish_oauth(
        &self,
        flow: &OAuthFlow,
        redirect_url: &str,
    ) -> Result<CredentialId, Error> {
        let query = alloy_model::paging::url_query(redirect_url);
        let get = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        if let Some(error) = get("error") {
            return Err(Error::OAuth {
                connector: flow.connector.clone(),
                error,
                description: get("error_description"),
            });
        }
        if let Some(id) = get("credentialId").or_else(|| get("credential_id")) {
            let id = CredentialId::new(id);
            self.ensure_owns_credential(&flow.connector, &id).await?;
            return Ok(id);
        }
        let mut new: Vec<_> = self
            .list_credentials(&flow.connector)
            .await?
            .into_iter()
            .filter(|c| !flow.existing.contains(&c.credential_id))
            .collect();
        // ISO-8601 times in one format sort as text; the newest is the one just made.
        new.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        new.pop()
            .map(|c| c.credential_id)
            .ok_or_else(|| {
                Error::OAuth {
            connector: flow.connector.clone(),
            error: "no_new_credential".into(),
            description: Some(
                "the redirect named no credential and none of this connector appeared since the \
                 flow started: the end user may not have finished the consent"
                    .into(),
            ),
        }
            })
    }
}
