//! Files: presigned upload, listing, deletion, and putting the bytes to the presigned URL.

use base64::Engine as _;
use bytes::Bytes;
use md5::{Digest, Md5};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::{Deserialize, Serialize};

use crate::common::{Ack, decode_ack};
use crate::error::TransportKind;
use crate::transport::{Request, segment};
use crate::{ApiError, Error, JsonMap, UserClient};

const UPLOAD_ROUTE: &str = "/connectors/files/upload/request";
const PUT_ROUTE: &str = "<presigned upload URL>";

/// The body of an upload request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadRequest {
    /// File name as the user sees it.
    pub filename: String,
    /// MIME type, sent again as `Content-Type` on the PUT.
    pub mime_type: String,
    /// Base64 MD5 of the bytes, used by the API to deduplicate.
    pub md5: String,
}

impl UploadRequest {
    /// An upload request for `bytes`, computing their MD5.
    pub fn for_bytes(
        filename: impl Into<String>,
        mime_type: impl Into<String>,
        bytes: &[u8],
    ) -> Self {
        Self {
            filename: filename.into(),
            mime_type: mime_type.into(),
            md5: content_md5(bytes),
        }
    }
}

/// Where and whether to upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PresignedUpload {
    /// Base64 MD5 to send as `Content-MD5`.
    pub md5: String,
    /// The S3 URL to PUT the bytes to (valid for one hour).
    pub presigned_url: String,
    /// `new`, or `existing` when a file with the same MD5 is already stored.
    #[serde(rename = "type")]
    pub kind: String,
    /// The key to pass as file content in action inputs.
    pub s3_key: String,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl PresignedUpload {
    /// Whether the API already holds these bytes (no PUT needed).
    pub fn already_stored(&self) -> bool {
        self.kind == "existing"
    }
}

/// A stored file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    /// The file's key.
    pub s3_key: String,
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// ISO-8601 modification time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UploadEnvelope {
    presigned_url: PresignedUpload,
}

#[derive(Deserialize)]
struct FileList {
    #[serde(default)]
    files: Vec<FileInfo>,
}

/// The base64 MD5 of `bytes`, as `Content-MD5` wants it.
pub fn content_md5(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(bytes))
}

impl UserClient {
    /// `POST /connectors/files/upload/request`: a presigned URL for one file.
    pub async fn request_upload(&self, upload: &UploadRequest) -> Result<PresignedUpload, Error> {
        let request = Request::new(Method::POST, UPLOAD_ROUTE, UPLOAD_ROUTE.into())
            .user(&self.user_id)
            .json(upload)?;
        let envelope: UploadEnvelope = self.client.inner.call(request).await?;
        Ok(envelope.presigned_url)
    }

    /// `GET /connectors/files/list`: this user's files.
    pub async fn list_files(&self) -> Result<Vec<FileInfo>, Error> {
        let route = "/connectors/files/list";
        let request = Request::new(Method::GET, route, route.into()).user(&self.user_id);
        let list: FileList = self.client.inner.call(request).await?;
        Ok(list.files)
    }

    /// `DELETE /connectors/files/{s3Key}`.
    pub async fn delete_file(&self, s3_key: &str) -> Result<Ack, Error> {
        let route = "/connectors/files/{s3Key}";
        let path = format!("/connectors/files/{}", segment(s3_key));
        let request = Request::new(Method::DELETE, route, path).user(&self.user_id);
        decode_ack(route, self.client.inner.send(request).await?)
    }

    /// Uploads `bytes`: requests a presigned URL, then PUTs the bytes to it with
    /// `Content-Type` and `Content-MD5`, unless the API already holds identical bytes.
    /// Returns the upload description, whose `s3_key` actions take as file content.
    pub async fn upload_file(
        &self,
        filename: &str,
        mime_type: &str,
        bytes: Bytes,
    ) -> Result<PresignedUpload, Error> {
        let upload = self
            .request_upload(&UploadRequest::for_bytes(filename, mime_type, &bytes))
            .await?;
        if !upload.already_stored() {
            self.put_presigned(&upload, mime_type, bytes).await?;
        }
        Ok(upload)
    }

    /// PUTs `bytes` to a presigned URL. No Alloy header is sent: the URL carries its own
    /// authorization, and the API key must not reach the storage host.
    pub async fn put_presigned(
        &self,
        upload: &PresignedUpload,
        mime_type: &str,
        bytes: Bytes,
    ) -> Result<(), Error> {
        let content_type = HeaderValue::from_str(mime_type).map_err(|_| Error::Validation {
            what: "upload".into(),
            problems: vec![format!("MIME type {mime_type:?} cannot be sent in a header").into()],
        })?;
        let response = self
            .client
            .inner
            .http
            .put(&upload.presigned_url)
            .header(CONTENT_TYPE, content_type)
            .header("content-md5", &upload.md5)
            .body(bytes)
            .send()
            .await
            .map_err(|e| Error::Transport {
                route: PUT_ROUTE.into(),
                kind: if e.is_connect() {
                    TransportKind::Connect
                } else {
                    TransportKind::Request
                },
                source: e.without_url(),
            })?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return Ok(());
        }
        let body = response.bytes().await.unwrap_or_default();
        Err(Error::from_api(
            PUT_ROUTE.into(),
            ApiError::from_response(status, body, None),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_is_base64_as_the_api_shows_it() {
        // RFC 1321 test vector: md5("") = d41d8cd98f00b204e9800998ecf8427e.
        assert_eq!(content_md5(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
        let r = UploadRequest::for_bytes("a.txt", "text/plain", b"abc");
        assert_eq!(r.md5, "kAFQmDzST7DWlj99KOF/cg==");
    }
}
