//! Executing actions: the raw form ([`UserClient::execute`]) and the typed form generated code
//! calls ([`UserClient::execute_as`]).
//!
//! Retry rule: a 429 or a connection that was never made is always retried; a 5xx, a timeout
//! or a lost connection only when the action's *upstream* method is idempotent (or the caller
//! opts in with `retry_non_idempotent`), because a repeated `post` could create a record twice.

use crate::secret::Secrets;
use std::fmt;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::HttpMethod;
use crate::route::RouteRef;
use crate::transport::{Request, segment};
use crate::{ActionId, ConnectorId, CredentialId, Error, JsonMap, Route, UserClient};

const ROUTE: &str = "/connectors/{connectorId}/actions/{actionId}/execute";

/// An untyped execute request.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ExecuteRequest {
    /// The credential to act with (`credentialId`).
    pub credential_id: CredentialId,
    /// Forwarded to the provider as its body (`requestBody`).
    pub request_body: Option<Value>,
    /// `queryParameters`.
    pub query_parameters: JsonMap,
    /// `pathParams`.
    pub path_params: JsonMap,
    /// `additionalHeaders`; their values are hidden in `Debug`, as they may carry tokens.
    pub additional_headers: JsonMap,
    /// The action's upstream method (its `httpMethod`), which decides whether a 5xx is retried.
    /// `None` is treated as not idempotent.
    pub upstream_method: Option<HttpMethod>,
    /// Retry 5xx answers even for a non-idempotent upstream method.
    pub retry_non_idempotent: bool,
}

impl ExecuteRequest {
    /// A request acting with `credential_id` and nothing else set.
    pub fn new(credential_id: impl Into<CredentialId>) -> Self {
        Self {
            credential_id: credential_id.into(),
            request_body: None,
            query_parameters: JsonMap::new(),
            path_params: JsonMap::new(),
            additional_headers: JsonMap::new(),
            upstream_method: None,
            retry_non_idempotent: false,
        }
    }

    /// Sets `requestBody`.
    pub fn body(mut self, body: Value) -> Self {
        self.request_body = Some(body);
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.query_parameters.insert(name.into(), value.into());
        self
    }

    /// Adds a path parameter.
    pub fn path_param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.path_params.insert(name.into(), value.into());
        self
    }

    /// Adds an upstream header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.additional_headers.insert(name.into(), value.into());
        self
    }

    /// Sets the action's upstream method.
    pub fn upstream_method(mut self, method: HttpMethod) -> Self {
        self.upstream_method = Some(method);
        self
    }

    /// Opts in to retrying 5xx answers of a non-idempotent action.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }
}

impl fmt::Debug for ExecuteRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecuteRequest")
            .field("credential_id", &self.credential_id)
            .field("request_body", &self.request_body)
            .field("query_parameters", &self.query_parameters)
            .field("path_params", &self.path_params)
            .field(
                "additional_headers",
                &header_names(&self.additional_headers),
            )
            .field("upstream_method", &self.upstream_method)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .finish()
    }
}

/// A typed execute call, as generated code builds it.
///
/// `B` is the request body type; actions without a body use the default `()`.
#[non_exhaustive]
pub struct ActionCall<'a, B = ()> {
    /// Connector id.
    pub connector: &'a str,
    /// Action id.
    pub action: &'a str,
    /// The action's upstream method, which decides whether a 5xx is retried.
    pub method: HttpMethod,
    /// The credential to act with.
    pub credential: &'a CredentialId,
    /// `pathParams`.
    pub path_params: JsonMap,
    /// `queryParameters`.
    pub query_parameters: JsonMap,
    /// `additionalHeaders`; values hidden in `Debug`.
    pub additional_headers: JsonMap,
    /// `requestBody`.
    pub body: Option<&'a B>,
    /// Retry 5xx answers even when `method` is not idempotent.
    pub retry_non_idempotent: bool,
}

// Not derived: the body is borrowed, so a copy of the call needs no `B: Clone`.
impl<B> Clone for ActionCall<'_, B> {
    fn clone(&self) -> Self {
        Self {
            connector: self.connector,
            action: self.action,
            method: self.method.clone(),
            credential: self.credential,
            path_params: self.path_params.clone(),
            query_parameters: self.query_parameters.clone(),
            additional_headers: self.additional_headers.clone(),
            body: self.body,
            retry_non_idempotent: self.retry_non_idempotent,
        }
    }
}

impl<'a, B> ActionCall<'a, B> {
    /// A call of `connector`/`action` (upstream `method`) acting with `credential`.
    pub fn new(
        connector: &'a str,
        action: &'a str,
        method: HttpMethod,
        credential: &'a CredentialId,
    ) -> Self {
        Self {
            connector,
            action,
            method,
            credential,
            path_params: JsonMap::new(),
            query_parameters: JsonMap::new(),
            additional_headers: JsonMap::new(),
            body: None,
            retry_non_idempotent: false,
        }
    }

    /// Adds a path parameter.
    pub fn path_param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.path_params.insert(name.into(), value.into());
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.query_parameters.insert(name.into(), value.into());
        self
    }

    /// Adds an upstream header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.additional_headers.insert(name.into(), value.into());
        self
    }

    /// Adds a path parameter from any serializable value; one that serializes to `null`
    /// (`None`) adds nothing.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the parameter and the action when serde cannot represent
    /// the value as JSON (a map with non-string keys, a failing `Serialize` impl).
    pub fn serialize_path_param<T>(mut self, name: &str, value: &T) -> Result<Self, Error>
    where
        T: Serialize + ?Sized,
    {
        self.insert_serialized(Location::Path, name, value)?;
        Ok(self)
    }

    /// Adds a query parameter from any serializable value; `None` adds nothing.
    ///
    /// # Errors
    /// As [`ActionCall::serialize_path_param`].
    pub fn serialize_query<T>(mut self, name: &str, value: &T) -> Result<Self, Error>
    where
        T: Serialize + ?Sized,
    {
        self.insert_serialized(Location::Query, name, value)?;
        Ok(self)
    }

    /// Adds an upstream header from any serializable value; `None` adds nothing.
    ///
    /// # Errors
    /// As [`ActionCall::serialize_path_param`].
    pub fn serialize_header<T>(mut self, name: &str, value: &T) -> Result<Self, Error>
    where
        T: Serialize + ?Sized,
    {
        self.insert_serialized(Location::Header, name, value)?;
        Ok(self)
    }

    fn insert_serialized<T>(&mut self, at: Location, name: &str, value: &T) -> Result<(), Error>
    where
        T: Serialize + ?Sized,
    {
        let value = input_value(self.action, name, value)?;
        if !value.is_null() {
            let map = match at {
                Location::Path => &mut self.path_params,
                Location::Query => &mut self.query_parameters,
                Location::Header => &mut self.additional_headers,
            };
            map.insert(name.to_owned(), value);
        }
        Ok(())
    }

    /// Sets the request body.
    pub fn body(mut self, body: &'a B) -> Self {
        self.body = Some(body);
        self
    }

    /// Opts in to retrying 5xx answers of a non-idempotent action.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }
}

/// Serializes input `name` of `owner` (an action, a credential input) to JSON; a value serde
/// cannot represent is an [`Error::Validation`] naming both, never a panic. Generated code
/// calls this for every parameter and credential member.
pub fn input_value<T>(owner: &str, name: &str, value: &T) -> Result<Value, Error>
where
    T: Serialize + ?Sized,
{
    serde_json::to_value(value).map_err(|error| Error::Validation {
        what: format!("`{name}` of `{owner}`"),
        problems: vec![error.to_string().into()],
    })
}

/// Where [`ActionCall::insert_serialized`] puts a value.
#[derive(Clone, Copy)]
enum Location {
    Path,
    Query,
    Header,
}

impl<B> fmt::Debug for ActionCall<'_, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActionCall")
            .field("connector", &self.connector)
            .field("action", &self.action)
            .field("method", &self.method)
            .field("credential", &self.credential)
            .field("path_params", &self.path_params)
            .field("query_parameters", &self.query_parameters)
            .field(
                "additional_headers",
                &header_names(&self.additional_headers),
            )
            .field("has_body", &self.body.is_some())
            .finish()
    }
}

/// An execute answer; the whole JSON body stays reachable.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecuteResponse {
    http_status: u16,
    raw: Value,
}

impl ExecuteResponse {
    /// The whole body as received.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The whole body, owned.
    pub fn into_raw(self) -> Value {
        self.raw
    }

    /// The provider's payload: `responseData`, else `result`, else the whole body.
    pub fn response_data(&self) -> &Value {
        self.raw
            .get("responseData")
            .or_else(|| self.raw.get("result"))
            .unwrap_or(&self.raw)
    }

    /// `executionId`, for correlating with Alloy's logs.
    pub fn execution_id(&self) -> Option<&str> {
        self.raw.get("executionId").and_then(Value::as_str)
    }

    /// Alloy's `status` field (e.g. `completed`).
    pub fn status(&self) -> Option<&str> {
        self.raw.get("status").and_then(Value::as_str)
    }

    /// The `success` flag, when present.
    pub fn success(&self) -> Option<bool> {
        self.raw.get("success").and_then(Value::as_bool)
    }

    /// The HTTP status of the answer.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }
}

/// A typed execute answer: the decoded payload and the response it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution<R> {
    /// [`ExecuteResponse::response_data`] decoded as `R`.
    pub data: R,
    /// The whole answer.
    pub response: ExecuteResponse,
}

/// The wire body; borrowed so typed calls serialize straight from the caller's values.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireBody<'a, B> {
    credential_id: &'a CredentialId,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_body: Option<&'a B>,
    #[serde(skip_serializing_if = "JsonMap::is_empty")]
    query_parameters: &'a JsonMap,
    #[serde(skip_serializing_if = "JsonMap::is_empty")]
    path_params: &'a JsonMap,
    #[serde(skip_serializing_if = "JsonMap::is_empty")]
    additional_headers: &'a JsonMap,
}

impl UserClient {
    /// `POST /connectors/{connectorId}/actions/{actionId}/execute` with an untyped request.
    ///
    /// A 200 whose body is an error envelope with no `success: true` (an upstream failure
    /// reported in-band) becomes an error, so `INVALID_CREDENTIAL` is recognised either way.
    pub async fn execute(
        &self,
        connector: &ConnectorId,
        action: &ActionId,
        request: &ExecuteRequest,
    ) -> Result<ExecuteResponse, Error> {
        let body = WireBody {
            credential_id: &request.credential_id,
            request_body: request.request_body.as_ref(),
            query_parameters: &request.query_parameters,
            path_params: &request.path_params,
            additional_headers: &request.additional_headers,
        };
        let idempotent = request.retry_non_idempotent
            || request
                .upstream_method
                .as_ref()
                .is_some_and(HttpMethod::is_idempotent);
        self.send_execute(connector.as_str(), action.as_str(), &body, idempotent)
            .await
    }

    /// The typed execute generated code calls: serializes `B`, decodes the payload
    /// ([`ExecuteResponse::response_data`]) as `R`. A payload that does not fit `R` is
    /// [`Error::Decode`] with the JSON path that failed.
    pub async fn execute_as<B: Serialize, R: DeserializeOwned>(
        &self,
        call: ActionCall<'_, B>,
    ) -> Result<Execution<R>, Error> {
        let body = WireBody {
            credential_id: call.credential,
            request_body: call.body,
            query_parameters: &call.query_parameters,
            path_params: &call.path_params,
            additional_headers: &call.additional_headers,
        };
        let idempotent = call.retry_non_idempotent || call.method.is_idempotent();
        let response = self
            .send_execute(call.connector, call.action, &body, idempotent)
            .await?;
        let secrets = self
            .client
            .inner
            .config
            .secrets
            .with(&header_secrets(&call.additional_headers));
        let payload = serde_json::to_vec(response.response_data()).unwrap_or_default();
        let route = RouteRef::action_call(ROUTE, call.connector, call.action);
        let data = crate::transport::decode_with(route, response.http_status, &payload, &secrets)?;
        Ok(Execution { data, response })
    }

    async fn send_execute<B: Serialize>(
        &self,
        connector: &str,
        action: &str,
        body: &WireBody<'_, B>,
        idempotent: bool,
    ) -> Result<ExecuteResponse, Error> {
        let path = format!(
            "/connectors/{}/actions/{}/execute",
            segment(connector),
            segment(action)
        );
        let mut request = Request::new(Method::POST, ROUTE, path)
            .user(&self.user_id)
            .json(body)?;
        request.idempotent = idempotent;
        request.secrets = header_secrets(body.additional_headers);
        request.connector = Some(connector);
        request.action = Some(action);
        let reply = self.client.inner.send(request).await?;
        let raw: Value = if reply.body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            reply.decode(RouteRef::action_call(ROUTE, connector, action))?
        };
        if is_inband_error(&raw) {
            let route = Route::action_call(ROUTE, connector, action);
            return Err(Error::from_api(route, reply.api_error()));
        }
        Ok(ExecuteResponse {
            http_status: reply.status,
            raw,
        })
    }
}

/// The values of the headers an execute call forwards upstream (tokens, signatures): secrets
/// as far as errors and logs are concerned.
fn header_secrets(headers: &JsonMap) -> Secrets {
    let mut secrets = Secrets::default();
    secrets.add_values(headers.values());
    secrets
}

/// `{"error": {..}}` without `"success": true`.
fn is_inband_error(raw: &Value) -> bool {
    raw.get("error").is_some_and(Value::is_object)
        && raw.get("success").and_then(Value::as_bool) != Some(true)
}

fn header_names(headers: &JsonMap) -> Vec<&str> {
    headers.keys().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn response(raw: Value) -> ExecuteResponse {
        ExecuteResponse {
            http_status: 200,
            raw,
        }
    }

    #[test]
    fn response_data_prefers_response_data_then_result_then_body() {
        let r = response(json!({"executionId": "e1", "status": "completed",
            "responseData": {"id": 1}, "result": {"id": 2}}));
        assert_eq!(r.response_data(), &json!({"id": 1}));
        assert_eq!(r.execution_id(), Some("e1"));
        assert_eq!(r.status(), Some("completed"));
        let r = response(json!({"success": true, "result": {"messageId": "9"}}));
        assert_eq!(r.response_data(), &json!({"messageId": "9"}));
        assert_eq!(r.success(), Some(true));
        let r = response(json!([1, 2]));
        assert_eq!(r.response_data(), &json!([1, 2]));
    }

    #[test]
    fn wire_body_skips_empty_members() {
        let credential = CredentialId::new("c1");
        let empty = JsonMap::new();
        let body = WireBody::<()> {
            credential_id: &credential,
            request_body: None,
            query_parameters: &empty,
            path_params: &empty,
            additional_headers: &empty,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"credentialId": "c1"})
        );
    }

    #[test]
    fn inband_errors() {
        assert!(is_inband_error(
            &json!({"error": {"code": "INVALID_CREDENTIAL"}})
        ));
        assert!(is_inband_error(&json!({"success": false, "error": {}})));
        assert!(!is_inband_error(&json!({"success": true, "error": {}})));
        assert!(!is_inband_error(&json!({"responseData": {"error": {}}})));
    }

    #[test]
    fn serialized_inputs_skip_none_and_name_failures() {
        let credential = CredentialId::new("c1");
        let call = ActionCall::<()>::new("hubspot", "getContact", HttpMethod::Get, &credential)
            .serialize_path_param("contactId", "42")
            .and_then(|c| c.serialize_query("limit", &Some(10)))
            .and_then(|c| c.serialize_query("after", &None::<String>))
            .and_then(|c| c.serialize_header("X-Tags", &["a", "b"]))
            .unwrap();
        assert_eq!(call.path_params["contactId"], "42");
        assert_eq!(call.query_parameters["limit"], 10);
        assert!(!call.query_parameters.contains_key("after"));
        assert_eq!(call.additional_headers["X-Tags"], json!(["a", "b"]));

        let unrepresentable: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let err = ActionCall::<()>::new("hubspot", "getContact", HttpMethod::Get, &credential)
            .serialize_query("filter", &unrepresentable)
            .unwrap_err();
        assert!(
            err.to_string().contains("`filter` of `getContact`"),
            "{err}"
        );
    }

    #[test]
    fn debug_hides_header_values() {
        let credential = CredentialId::new("c1");
        let call = ActionCall::<()>::new("slack", "post", HttpMethod::Post, &credential)
            .header("Authorization", "Bearer upstream-token");
        let req = ExecuteRequest::new("c1").header("X-Token", "tok-value");
        let shown = format!("{call:?} {req:?}");
        assert!(!shown.contains("upstream-token") && !shown.contains("tok-value"));
        assert!(shown.contains("X-Token"));
    }
}
