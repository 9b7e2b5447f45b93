//! The route table and the middleware stack.
//!
//! Layers, outermost first: recording (buffers and records the body), faults, authentication,
//! then the routes. A fault therefore answers before authentication and is still recorded.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

use crate::error::{ApiError, ErrorCode};
use crate::state::SharedState;
use crate::{
    auth, control, credentials, discovery, execute, faults, files, oauth, recording, users,
};

/// Every route of the mock, with its middleware, ready to serve.
pub fn router(state: SharedState) -> Router {
    let api = Router::new()
        .route("/connectors", get(discovery::list_connectors))
        .route("/connectors/{connectorId}", get(discovery::get_connector))
        .route(
            "/connectors/{connectorId}/resources",
            get(discovery::resources),
        )
        .route(
            "/connectors/{connectorId}/actions",
            get(discovery::list_actions),
        )
        .route(
            "/connectors/{connectorId}/actions/{actionId}",
            get(discovery::action_details),
        )
        .route(
            "/connectors/{connectorId}/actions/{actionId}/execute",
            post(execute::execute),
        )
        .route(
            "/connectors/{connectorId}/credentials/metadata",
            get(discovery::credentials_metadata),
        )
        .route(
            "/connectors/{connectorId}/credentials",
            get(credentials::list_for_connector).post(credentials::create),
        )
        .route(
            "/connectors/files/upload/request",
            post(files::upload_request),
        )
        .route("/connectors/files/list", get(files::list))
        .route(
            "/connectors/files/{s3Key}",
            axum::routing::delete(files::delete),
        )
        .route("/users", get(users::list).post(users::create))
        .route(
            "/users/{userId}",
            get(users::get).put(users::update).delete(users::delete),
        )
        .route("/users/{userId}/token", get(users::token))
        .route(
            "/users/{userId}/credentials",
            get(credentials::list_for_user).post(credentials::create_legacy),
        )
        .route(
            "/users/{userId}/credentials/{credentialId}",
            axum::routing::delete(credentials::delete),
        )
        .route(
            "/credentials/users/{userId}",
            get(credentials::list_for_user),
        )
        .route("/_mock/oauth/authorize", get(oauth::authorize))
        .route("/_mock/uploads/{*s3Key}", put(files::upload))
        .route(
            "/_mock/faults",
            post(control::add_fault).delete(control::clear_faults),
        )
        .route(
            "/_mock/requests",
            get(control::requests).delete(control::clear_requests),
        )
        .route(
            "/_mock/paging",
            get(control::paging).put(control::set_paging),
        )
        .route("/_mock/health", get(control::health))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);

    api.layer(from_fn_with_state(state.clone(), auth::require_api_key))
        .layer(from_fn_with_state(state.clone(), faults::apply_faults))
        .layer(from_fn_with_state(
            state.clone(),
            recording::record_requests,
        ))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .with_state(state)
}

async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    ApiError::not_found(format!("no route for {method} {}", uri.path())).into_response()
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::NotFound,
        format!("{method} is not allowed on {}", uri.path()),
    )
    .into_response()
}
