//! File routes over HTTP: upload request, the presigned PUT, list, delete.

mod common;

use base64::Engine as _;
use common::*;
use md5::{Digest, Md5};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn upload_list_and_delete() {
    let server = server().await;
    let user = create_user(&server, "ada").await;
    let bytes = b"%PDF-1.4 hello".to_vec();
    let md5 = base64::engine::general_purpose::STANDARD.encode(Md5::digest(&bytes));
    let request = |md5: &str| {
        api(&server, Method::POST, "/connectors/files/upload/request")
            .header("x-alloy-userid", &user)
            .json(&json!({"filename": "document.pdf", "mimeType": "application/pdf", "md5": md5}))
    };
    let (status, body) = send(request(&md5)).await;
    assert_eq!(status, 200, "{body}");
    let presigned = &body["presignedUrl"];
    assert_eq!(presigned["type"], "new");
    assert_eq!(presigned["md5"], md5.as_str());
    let s3_key = presigned["s3Key"].as_str().unwrap().to_owned();
    assert!(s3_key.ends_with("_document.pdf"), "{s3_key}");
    let url = presigned["presignedUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/_mock/uploads/", server.base_url())));

    // Not listed until uploaded; the PUT needs no API key; bytes must match the md5.
    let (_, listed) =
        send(api(&server, Method::GET, "/connectors/files/list").header("x-alloy-userid", &user))
            .await;
    assert_eq!(listed, json!({"files": []}));
    let wrong = json(client().put(&url).body("other bytes").send().await.unwrap()).await;
    assert_error(&wrong, 400, "INVALID_INPUT");
    let put = client()
        .put(&url)
        .header("content-type", "application/pdf")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let (_, listed) =
        send(api(&server, Method::GET, "/connectors/files/list").header("x-alloy-userid", &user))
            .await;
    let files = listed["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["s3Key"], s3_key.as_str());
    assert_eq!(files[0]["filename"], "document.pdf");
    assert_eq!(files[0]["size"], bytes.len());
    assert!(files[0]["lastModified"].as_str().unwrap().ends_with('Z'));

    // Same md5 → the existing key.
    let (_, again) = send(request(&md5)).await;
    assert_eq!(again["presignedUrl"]["type"], "existing");
    assert_eq!(again["presignedUrl"]["s3Key"], s3_key.as_str());

    // Other users (and the API-key user) see nothing and cannot delete it.
    let (_, others) = send(api(&server, Method::GET, "/connectors/files/list")).await;
    assert_eq!(others, json!({"files": []}));
    let not_yours = send(api(
        &server,
        Method::DELETE,
        &format!("/connectors/files/{s3_key}"),
    ))
    .await;
    assert_error(&not_yours, 404, "NOT_FOUND");

    let (status, deleted) = send(
        api(
            &server,
            Method::DELETE,
            &format!("/connectors/files/{s3_key}"),
        )
        .header("x-alloy-userid", &user),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(deleted["success"], true);
    assert!(deleted["message"].is_string());
    let (_, listed) =
        send(api(&server, Method::GET, "/connectors/files/list").header("x-alloy-userid", &user))
            .await;
    assert_eq!(listed, json!({"files": []}));

    let unknown = json(
        client()
            .put(format!("{}/_mock/uploads/nope", server.base_url()))
            .body("x")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(&unknown, 404, "NOT_FOUND");
    let missing = send(
        api(&server, Method::POST, "/connectors/files/upload/request")
            .json(&json!({"filename": "a", "mimeType": "text/plain"})),
    )
    .await;
    assert_eq!(
        assert_error(&missing, 400, "INVALID_INPUT")["pointer"],
        "/md5"
    );
    let ghost =
        send(api(&server, Method::GET, "/connectors/files/list").header("x-alloy-userid", "ghost"))
            .await;
    assert_error(&ghost, 404, "NOT_FOUND");
}
