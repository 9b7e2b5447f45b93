//! Users: create, list, get, update, delete, and the end-user JWT.

use std::fmt;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::common::{Ack, DataList, decode_ack};
use crate::transport::{Request, segment};
use crate::{Client, Error, JsonMap, UserClient, UserId};

/// An Alloy user, one per tenant or end user of your application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The id to pass as `x-alloy-userid`.
    pub user_id: UserId,
    /// Unique per Alloy account; absent on some list items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// The body of `POST /users`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    /// Unique per Alloy account (an email or your own tenant id).
    pub username: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
}

impl NewUser {
    /// A user with just a username.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            full_name: None,
        }
    }

    /// Sets the display name.
    pub fn full_name(mut self, name: impl Into<String>) -> Self {
        self.full_name = Some(name.into());
        self
    }
}

/// The body of `PUT /users/{userId}`: only the fields set are sent.
///
/// The API guide says a username cannot change after creation while the reference accepts one;
/// expect username changes to be refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserUpdate {
    /// New username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// New display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
}

/// A short-lived JWT for Alloy's embedded UI. `Debug` hides it: it lets its bearer act as the
/// user.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct UserToken {
    token: String,
}

impl UserToken {
    /// The JWT, to hand to the embedded UI.
    pub fn expose_secret(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for UserToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserToken(<redacted>)")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    user_id: UserId,
}

/// `GET /workflows/{workflowId}/users` has been seen under both keys.
#[derive(Deserialize)]
struct WorkflowUsers {
    #[serde(default, alias = "users")]
    data: Vec<User>,
}

impl Client {
    /// `POST /users`: creates a user and returns its id.
    pub async fn create_user(&self, user: &NewUser) -> Result<UserId, Error> {
        let request = Request::new(Method::POST, "/users", "/users".into()).json(user)?;
        let created: Created = self.inner.call(request).await?;
        Ok(created.user_id)
    }

    /// The user whose username is `username`, if there is one (`GET /users`, which the API
    /// does not page).
    pub async fn find_user(&self, username: &str) -> Result<Option<User>, Error> {
        let users = self.list_users().await?;
        Ok(users
            .into_iter()
            .find(|u| u.username.as_deref() == Some(username)))
    }

    /// The id of the user named `user.username`, creating the user when there is none: what an
    /// app calls when one of its tenants connects, as often as it likes. A create that loses a
    /// race with another (`409 CONFLICT`) finds the winner instead.
    pub async fn get_or_create_user(&self, user: &NewUser) -> Result<UserId, Error> {
        if let Some(found) = self.find_user(&user.username).await? {
            return Ok(found.user_id);
        }
        match self.create_user(user).await {
            Ok(id) => Ok(id),
            Err(e) if e.status() == Some(409) => match self.find_user(&user.username).await? {
                Some(found) => Ok(found.user_id),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// `GET /users`: every user of the account.
    pub async fn list_users(&self) -> Result<Vec<User>, Error> {
        let request = Request::new(Method::GET, "/users", "/users".into());
        let list: DataList<User> = self.inner.call(request).await?;
        Ok(list.data)
    }

    /// `GET /users?parentWorkflowId=`: the users of one workflow.
    pub async fn list_users_of_workflow(&self, workflow_id: &str) -> Result<Vec<User>, Error> {
        let request = Request::new(Method::GET, "/users", "/users".into())
            .query("parentWorkflowId", workflow_id);
        let list: DataList<User> = self.inner.call(request).await?;
        Ok(list.data)
    }

    /// `GET /workflows/{workflowId}/users` (Embedded): users who installed a workflow.
    pub async fn workflow_users(&self, workflow_id: &str) -> Result<Vec<User>, Error> {
        let path = format!("/workflows/{}/users", segment(workflow_id));
        let request = Request::new(Method::GET, "/workflows/{workflowId}/users", path);
        let list: WorkflowUsers = self.inner.call(request).await?;
        Ok(list.data)
    }

    /// `GET /users/{userId}`.
    pub async fn get_user(&self, user_id: &UserId) -> Result<User, Error> {
        let request = Request::new(Method::GET, "/users/{userId}", user_path(user_id));
        self.inner.call(request).await
    }

    /// `PUT /users/{userId}`: returns the updated user.
    pub async fn update_user(&self, user_id: &UserId, update: &UserUpdate) -> Result<User, Error> {
        let request =
            Request::new(Method::PUT, "/users/{userId}", user_path(user_id)).json(update)?;
        self.inner.call(request).await
    }

    /// `DELETE /users/{userId}`: also removes the user's credentials.
    pub async fn delete_user(&self, user_id: &UserId) -> Result<Ack, Error> {
        let route = "/users/{userId}";
        let request = Request::new(Method::DELETE, route, user_path(user_id));
        decode_ack(route, self.inner.send(request).await?)
    }

    /// `GET /users/{userId}/token`: a fresh JWT for the embedded UI (mint one per display).
    pub async fn user_token(&self, user_id: &UserId) -> Result<UserToken, Error> {
        let path = format!("{}/token", user_path(user_id));
        let request = Request::new(Method::GET, "/users/{userId}/token", path)
            .query("userId", user_id.as_str());
        self.inner.call(request).await.map_err(Error::withhold_body)
    }
}

impl UserClient {
    /// This user's record.
    pub async fn get(&self) -> Result<User, Error> {
        self.client.get_user(&self.user_id).await
    }

    /// Updates this user.
    pub async fn update(&self, update: &UserUpdate) -> Result<User, Error> {
        self.client.update_user(&self.user_id, update).await
    }

    /// Deletes this user and its credentials.
    pub async fn delete(&self) -> Result<Ack, Error> {
        self.client.delete_user(&self.user_id).await
    }

    /// A JWT for the embedded UI.
    pub async fn token(&self) -> Result<UserToken, Error> {
        self.client.user_token(&self.user_id).await
    }
}

fn user_path(user_id: &UserId) -> String {
    format!("/users/{}", segment(user_id.as_str()))
}
