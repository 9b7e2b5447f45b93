//! Small response shapes several endpoints share.

use serde::{Deserialize, Serialize};

use crate::JsonMap;

/// `{"success": true, "message": ".."}`, the answer of deletes.
///
/// An empty body (some servers answer a delete with `204 No Content`) reads as the default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    /// `success`, when the answer carried it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// `message`, when the answer carried it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `{"data": [...]}`, the list envelope of the user and credential endpoints.
#[derive(Debug, Deserialize)]
pub(crate) struct DataList<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
}

/// Decodes an acknowledgement, reading an empty body as the default.
pub(crate) fn decode_ack(
    route: &'static str,
    reply: crate::transport::Reply,
) -> Result<Ack, crate::Error> {
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Ack::default());
    }
    reply.decode(route.into())
}
