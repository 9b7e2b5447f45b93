//! Files (alloy-api.md §6): presigned-upload requests, the upload target, list and delete.
//!
//! Files belong to the `x-alloy-userid` user (the API-key user when the header is absent);
//! other users' files are invisible. The presigned URL points back at this server
//! (`/_mock/uploads/<s3Key>`), which accepts a `PUT` of the bytes without the API key, like S3.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use md5::{Digest, Md5};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;

use crate::auth::user_header;
use crate::body::{json_object, required_str};
use crate::error::{ApiError, ok_json};
use crate::ids;
use crate::state::{AppState, SharedState};
use crate::sync::lock;

#[derive(Debug, Clone)]
struct FileEntry {
    owner: String,
    filename: String,
    md5: String,
    content: Option<Bytes>,
    last_modified: String,
}

/// Files by `s3Key`.
#[derive(Debug, Default)]
pub struct FileStore {
    files: Mutex<BTreeMap<String, FileEntry>>,
}

impl FileStore {
    pub fn remove_owner(&self, owner: &str) {
        lock(&self.files).retain(|_, f| f.owner != owner);
    }
}

/// The owner of files for this request: the `x-alloy-userid` user, or `""` (the API-key user).
fn owner(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    match user_header(headers) {
        None => Ok(String::new()),
        Some(user) => Ok(state.users.require(user)?.user_id),
    }
}

/// `POST /connectors/files/upload/request` `{filename, mimeType, md5}` →
/// `{presignedUrl: {md5, presignedUrl, type: "new"|"existing", s3Key}}`. A file of the same
/// owner with the same md5 is `existing` and keeps its key.
pub async fn upload_request(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let owner = owner(&state, &headers)?;
    let body = json_object(&body)?;
    let filename = required_str(&body, "filename")?;
    required_str(&body, "mimeType")?;
    let md5 = required_str(&body, "md5")?;
    let mut files = lock(&state.files.files);
    let existing = files
        .iter()
        .find(|(_, f)| f.owner == owner && f.md5 == md5)
        .map(|(key, _)| key.clone());
    let (s3_key, kind) = match existing {
        Some(key) => (key, "existing"),
        None => {
            let key = format!("{}_{filename}", ids::object_id());
            files.insert(
                key.clone(),
                FileEntry {
                    owner,
                    filename: filename.to_owned(),
                    md5: md5.to_owned(),
                    content: None,
                    last_modified: ids::now_iso8601(),
                },
            );
            (key, "new")
        }
    };
    let url = format!(
        "{}/_mock/uploads/{}",
        state.request_base(&headers),
        utf8_percent_encode(&s3_key, NON_ALPHANUMERIC)
    );
    Ok(ok_json(&json!({"presignedUrl": {
        "md5": md5, "presignedUrl": url, "type": kind, "s3Key": s3_key}})))
}

/// `PUT /_mock/uploads/{s3Key}`: stores the bytes. When the requested md5 is a digest (32 hex
/// digits or base64 of 16 bytes) the bytes must match it, as S3 checks `Content-MD5`.
pub async fn upload(
    State(state): State<SharedState>,
    Path(s3_key): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut files = lock(&state.files.files);
    let Some(file) = files.get_mut(&s3_key) else {
        return Err(
            ApiError::not_found(format!("no upload was requested for `{s3_key}`"))
                .detail("s3Key", s3_key.as_str()),
        );
    };
    let digest = Md5::digest(&body);
    if let Some(expected) = parse_digest(&file.md5)
        && expected != digest.as_slice()
    {
        return Err(ApiError::invalid_input(
            "",
            format!(
                "the uploaded bytes do not match the md5 `{}` given when the upload was requested",
                file.md5
            ),
        )
        .detail("s3Key", s3_key.as_str()));
    }
    file.content = Some(body);
    file.last_modified = ids::now_iso8601();
    let mut response = StatusCode::OK.into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", hex(&digest))) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `GET /connectors/files/list` → `{files: [{s3Key, filename, size, lastModified}]}` (uploaded
/// files only).
pub async fn list(
    State(state): State<SharedState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let owner = owner(&state, &headers)?;
    let files = lock(&state.files.files);
    let items: Vec<_> = files
        .iter()
        .filter(|(_, f)| f.owner == owner)
        .filter_map(|(key, f)| {
            let content = f.content.as_ref()?;
            Some(
                json!({"s3Key": key, "filename": f.filename, "size": content.len(),
                "lastModified": f.last_modified}),
            )
        })
        .collect();
    Ok(ok_json(&json!({ "files": items })))
}

/// `DELETE /connectors/files/{s3Key}` → `{success: true, message}`.
pub async fn delete(
    State(state): State<SharedState>,
    Path(s3_key): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let owner = owner(&state, &headers)?;
    let mut files = lock(&state.files.files);
    if files.get(&s3_key).is_none_or(|f| f.owner != owner) {
        return Err(ApiError::not_found(format!("file `{s3_key}` not found"))
            .detail("s3Key", s3_key.as_str()));
    }
    files.remove(&s3_key);
    Ok(ok_json(
        &json!({"success": true, "message": format!("File {s3_key} deleted")}),
    ))
}

fn parse_digest(md5: &str) -> Option<Vec<u8>> {
    if md5.len() == 32 && md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return (0..16)
            .map(|i| u8::from_str_radix(&md5[2 * i..2 * i + 2], 16).ok())
            .collect();
    }
    STANDARD.decode(md5).ok().filter(|d| d.len() == 16)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_in_both_spellings() {
        let d = Md5::digest(b"hello");
        let hex_form = hex(&d);
        assert_eq!(hex_form, "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(parse_digest(&hex_form).as_deref(), Some(d.as_slice()));
        assert_eq!(
            parse_digest(&STANDARD.encode(d)).as_deref(),
            Some(d.as_slice())
        );
        assert_eq!(parse_digest("abc"), None);
    }
}
