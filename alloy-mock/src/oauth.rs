//! The OAuth consent step: `oauthUrl` points at `/_mock/oauth/authorize?state=…`, which
//! stands in for Alloy's hosted page and the provider's consent screen. Visiting it creates
//! the credential and redirects to the caller's `redirectUri` with `credentialId` added, so a
//! browser (or an HTTP client following redirects) completes the whole flow locally.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::credentials::{CreateRequest, unknown_connector};
use crate::error::ApiError;
use crate::ids;
use crate::state::SharedState;
use crate::sync::lock;

/// Consents started but not yet visited, by `state`.
#[derive(Debug, Default)]
pub struct PendingOAuth {
    pending: Mutex<HashMap<String, Pending>>,
}

#[derive(Debug)]
struct Pending {
    connector_id: String,
    request: CreateRequest,
}

impl std::fmt::Debug for CreateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateRequest")
            .field("user", &self.user.user_id)
            .field("auth_type", &self.auth_type)
            .field(
                "redirect_uri",
                &self.redirect_uri.as_ref().map(|u| u.as_str()),
            )
            .finish_non_exhaustive()
    }
}

impl PendingOAuth {
    /// Records a consent to come and returns its URL under `base`.
    pub fn begin(&self, base: &str, connector_id: &str, request: CreateRequest) -> String {
        let state = ids::random_token();
        lock(&self.pending).insert(
            state.clone(),
            Pending {
                connector_id: connector_id.to_owned(),
                request,
            },
        );
        format!("{base}/_mock/oauth/authorize?state={state}")
    }

    fn finish(&self, state: &str) -> Option<Pending> {
        lock(&self.pending).remove(state)
    }
}

/// Query of the consent page. `deny=true` simulates the user refusing consent.
#[derive(Debug, Deserialize)]
pub struct AuthorizeQuery {
    state: String,
    #[serde(default)]
    deny: bool,
}

/// `GET /_mock/oauth/authorize?state=…[&deny=true]` → 303 to `redirectUri` with
/// `credentialId=<id>` (or `error=access_denied`) appended to its query.
pub async fn authorize(
    State(state): State<SharedState>,
    Query(query): Query<AuthorizeQuery>,
) -> Result<Response, ApiError> {
    let pending = state.oauth.finish(&query.state).ok_or_else(|| {
        ApiError::not_found("unknown or already used OAuth state")
            .detail("state", query.state.as_str())
    })?;
    let request = pending.request;
    let Some(mut target) = request.redirect_uri.clone() else {
        return Err(ApiError::internal("OAuth consent without a redirectUri"));
    };
    if query.deny {
        target
            .query_pairs_mut()
            .append_pair("error", "access_denied");
        return Ok(redirect(&target));
    }
    let connector = state
        .catalog
        .connector(&pending.connector_id)
        .ok_or_else(|| unknown_connector(&pending.connector_id))?;
    let user = state.users.require(&request.user.user_id)?;
    let credential = state
        .credentials
        .create(&user, connector, &request.auth_type);
    target
        .query_pairs_mut()
        .append_pair("credentialId", &credential.credential_id);
    Ok(redirect(&target))
}

fn redirect(target: &url::Url) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(target.as_str()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}
