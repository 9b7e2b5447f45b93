//! End users: an in-memory store and the `/users` routes.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde::Serialize;
use serde_json::json;

use crate::body::{json_object, optional_str, required_str};
use crate::error::{ApiError, ErrorCode, ok_json};
use crate::ids;
use crate::state::SharedState;
use crate::sync::{read, write};

/// A user as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub user_id: String,
    pub username: String,
    pub full_name: Option<String>,
}

/// Users by id, with a unique-username index.
#[derive(Debug, Default)]
pub struct UserStore {
    inner: RwLock<Users>,
}

#[derive(Debug, Default)]
struct Users {
    /// Object ids start with the creation time, so this order is creation order.
    by_id: BTreeMap<String, User>,
    by_name: HashMap<String, String>,
}

impl UserStore {
    /// Creates a user; fails with 409 when the username is taken.
    pub fn create(&self, username: &str, full_name: Option<&str>) -> Result<User, ApiError> {
        let mut users = write(&self.inner);
        if users.by_name.contains_key(username) || users.by_id.contains_key(username) {
            return Err(conflict(username));
        }
        let mut user_id = ids::object_id();
        while users.by_name.contains_key(&user_id) || users.by_id.contains_key(&user_id) {
            user_id = ids::object_id();
        }
        let user = User {
            user_id,
            username: username.to_owned(),
            full_name: full_name.map(str::to_owned),
        };
        users
            .by_name
            .insert(user.username.clone(), user.user_id.clone());
        users.by_id.insert(user.user_id.clone(), user.clone());
        Ok(user)
    }

    /// The user with this id, or else with this username. An id always wins; since no
    /// username may equal an existing id (and no new id equals a username), neither can hide
    /// another user.
    pub fn resolve(&self, id_or_name: &str) -> Option<User> {
        let users = read(&self.inner);
        if let Some(user) = users.by_id.get(id_or_name) {
            return Some(user.clone());
        }
        let id = users.by_name.get(id_or_name)?;
        users.by_id.get(id).cloned()
    }

    /// Like [`UserStore::resolve`], or a 404 naming the id.
    pub fn require(&self, id_or_name: &str) -> Result<User, ApiError> {
        self.resolve(id_or_name).ok_or_else(|| {
            ApiError::not_found(format!("no user with id or username `{id_or_name}`"))
                .detail("userId", id_or_name)
        })
    }

    pub fn list(&self) -> Vec<User> {
        read(&self.inner).by_id.values().cloned().collect()
    }

    /// Changes the given fields; a new username must be free.
    pub fn update(
        &self,
        user_id: &str,
        username: Option<&str>,
        full_name: Option<&str>,
    ) -> Result<User, ApiError> {
        let mut guard = write(&self.inner);
        let users = &mut *guard;
        // A new username must not equal any user's id, this user's own included.
        if let Some(new_name) = username
            && users.by_id.contains_key(new_name)
        {
            return Err(conflict(new_name));
        }
        let Some(user) = users.by_id.get_mut(user_id) else {
            return Err(ApiError::not_found(format!("no user with id `{user_id}`")));
        };
        if let Some(new_name) = username
            && new_name != user.username
        {
            if users.by_name.contains_key(new_name) {
                return Err(conflict(new_name));
            }
            users.by_name.remove(&user.username);
            users
                .by_name
                .insert(new_name.to_owned(), user.user_id.clone());
            user.username = new_name.to_owned();
        }
        if let Some(full_name) = full_name {
            user.full_name = Some(full_name.to_owned());
        }
        Ok(user.clone())
    }

    pub fn delete(&self, user_id: &str) -> Option<User> {
        let mut users = write(&self.inner);
        let user = users.by_id.remove(user_id)?;
        users.by_name.remove(&user.username);
        Some(user)
    }
}

fn conflict(username: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
        format!("username `{username}` is already taken (as a username or a user id)"),
    )
    .detail("username", username)
}

/// `POST /users` `{username, fullName?}` → `{userId}`.
pub async fn create(State(state): State<SharedState>, body: Bytes) -> Result<Response, ApiError> {
    let body = json_object(&body)?;
    let username = required_str(&body, "username")?;
    let full_name = optional_str(&body, "fullName")?;
    let user = state.users.create(username, full_name)?;
    Ok(ok_json(&json!({ "userId": user.user_id })))
}

/// `GET /users` → `{data: [...]}`. `parentWorkflowId` is accepted; the mock has no workflows.
pub async fn list(State(state): State<SharedState>) -> Response {
    ok_json(&json!({ "data": state.users.list() }))
}

/// `GET /users/{userId}`.
pub async fn get(
    State(state): State<SharedState>,
    Path(user_id): Path<String>,
) -> Result<Response, ApiError> {
    let user = state.users.require(&user_id)?;
    Ok(ok_json(&json!(user)))
}

/// `PUT /users/{userId}` with any of `{username, fullName}`.
pub async fn update(
    State(state): State<SharedState>,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let user = state.users.require(&user_id)?;
    let body = json_object(&body)?;
    let username = match optional_str(&body, "username")? {
        Some("") => {
            return Err(ApiError::invalid_input(
                "/username",
                "`username` must not be empty",
            ));
        }
        other => other,
    };
    let full_name = optional_str(&body, "fullName")?;
    let user = state.users.update(&user.user_id, username, full_name)?;
    Ok(ok_json(&json!(user)))
}

/// `DELETE /users/{userId}` → `{success: true}`; the user's credentials and files go too.
pub async fn delete(
    State(state): State<SharedState>,
    Path(user_id): Path<String>,
) -> Result<Response, ApiError> {
    let user = state.users.require(&user_id)?;
    state.users.delete(&user.user_id);
    state.credentials.remove_user(&user.user_id);
    state.files.remove_owner(&user.user_id);
    Ok(ok_json(&json!({ "success": true })))
}

/// `GET /users/{userId}/token` → `{token}` (JWT-shaped).
pub async fn token(
    State(state): State<SharedState>,
    Path(user_id): Path<String>,
) -> Result<Response, ApiError> {
    let user = state.users.require(&user_id)?;
    Ok(ok_json(&json!({ "token": ids::user_token(&user.user_id) })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_rules() {
        let store = UserStore::default();
        let a = store.create("ann", Some("Ann")).unwrap();
        assert_eq!(
            store.create("ann", None).unwrap_err().code,
            ErrorCode::Conflict
        );
        let b = store.create("bob", None).unwrap();
        assert_eq!(store.resolve("ann"), Some(a.clone()));
        assert_eq!(store.resolve(&a.user_id), Some(a.clone()));
        assert_eq!(
            store
                .update(&b.user_id, Some("ann"), None)
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        let b2 = store.update(&b.user_id, Some("bo"), Some("Bo")).unwrap();
        assert_eq!(b2.full_name.as_deref(), Some("Bo"));
        assert_eq!(store.resolve("bob"), None);
        assert_eq!(store.list().len(), 2);
        store.delete(&a.user_id);
        assert_eq!(store.resolve("ann"), None);
        assert!(store.create("ann", None).is_ok());
    }
}
