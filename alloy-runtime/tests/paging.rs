//! The pager over loopback HTTP: one server per paging style serves three pages through the
//! execute endpoint, as the API would relay them, and the stream yields exactly those pages
//! and items; a server that repeats a cursor ends the stream with an error; `max_pages` bounds
//! it; items decode typed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alloy_runtime::paging::{PageStyle, Paging, Stop};
use alloy_runtime::{ActionCall, Client, CredentialId, Error, HttpMethod, RetryPolicy};
use axum::Router;
use axum::routing::post;
use futures::TryStreamExt;
use serde_json::{Value, json};

/// What the upstream API answers for the query parameters of one request.
type Upstream = Arc<dyn Fn(&serde_json::Map<String, Value>) -> Value + Send + Sync>;

/// Serves `/connectors/acme/actions/list/execute`, answering `{"responseData": upstream(query)}`
/// and recording each request's `queryParameters`.
async fn serve(upstream: Upstream) -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = Router::new().route(
        "/connectors/acme/actions/list/execute",
        post(move |body: axum::Json<Value>| {
            let upstream = upstream.clone();
            let log = log.clone();
            async move {
                let query = body
                    .get("queryParameters")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                log.lock().unwrap().push(Value::Object(query.clone()));
                axum::Json(json!({"responseData": upstream(&query), "executionId": "ex"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

fn client(base: &str) -> Client {
    Client::builder()
        .api_key("paging-key")
        .base_url(base)
        .retry(RetryPolicy::default().max_attempts(1))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Every item of every page, as values, and the requests the server saw.
async fn page_through(
    upstream: Upstream,
    paging: Paging,
    first: &[(&str, Value)],
) -> (Vec<Value>, Vec<Value>) {
    let (base, seen) = serve(upstream).await;
    let client = client(&base);
    let user = client.user("u1");
    let credential = CredentialId::new("c1");
    let mut call: ActionCall<'_, ()> =
        ActionCall::new("acme", "list", HttpMethod::Get, &credential);
    for (k, v) in first {
        call = call.query(*k, v.clone());
    }
    let items: Vec<Value> = user
        .pages::<(), Value>(call, paging, None)
        .items()
        .try_collect()
        .await
        .unwrap();
    let requests = seen.lock().unwrap().clone();
    (items, requests)
}

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// Three pages of two items: ids 1..=6.
fn page(n: i64) -> Vec<Value> {
    (1..=2).map(|i| json!({"id": (n - 1) * 2 + i})).collect()
}

#[tokio::test]
async fn cursor_from_a_member_of_the_answer() {
    // Slack: `cursor` <- `/response_metadata/next_cursor`, empty on the last page.
    let upstream: Upstream = Arc::new(|q| {
        let n = match q.get("cursor").and_then(Value::as_str) {
            None => 1,
            Some("c2") => 2,
            Some(_) => 3,
        };
        let next = if n < 3 {
            format!("c{}", n + 1)
        } else {
            String::new()
        };
        json!({"ok": true, "channels": page(n), "response_metadata": {"next_cursor": next}})
    });
    let paging = Paging::new(
        Some("/channels".into()),
        PageStyle::Cursor {
            param: "cursor".into(),
            next: "/response_metadata/next_cursor".into(),
            stop: vec![],
        },
    );
    let (items, requests) = page_through(upstream, paging, &[("limit", json!(2))]).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        requests,
        [
            json!({"limit": 2}),
            json!({"limit": 2, "cursor": "c2"}),
            json!({"limit": 2, "cursor": "c3"})
        ]
    );
}

#[tokio::test]
async fn cursor_with_a_more_flag() {
    // Zendesk: `page[after]` <- `/meta/after_cursor` while `/meta/has_more`.
    let upstream: Upstream = Arc::new(|q| {
        let n = match q.get("page[after]").and_then(Value::as_str) {
            None => 1,
            Some(c) => c.parse().unwrap(),
        };
        json!({"instance_values": page(n), "meta": {"after_cursor": (n + 1).to_string(), "has_more": n < 3}})
    });
    let paging = Paging::new(
        Some("/instance_values".into()),
        PageStyle::Cursor {
            param: "page[after]".into(),
            next: "/meta/after_cursor".into(),
            stop: vec![Stop::new("/meta/has_more", false)],
        },
    );
    let (items, requests) = page_through(upstream, paging, &[]).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        requests.len(),
        3,
        "has_more: false ends it although a cursor is there"
    );
}

#[tokio::test]
async fn after_the_last_item() {
    // Stripe: `starting_after` = the last item's id while `has_more`.
    let upstream: Upstream = Arc::new(|q| {
        let after = q.get("starting_after").and_then(Value::as_i64).unwrap_or(0);
        let n = after / 2 + 1;
        json!({"object": "list", "data": page(n), "has_more": n < 3})
    });
    let paging = Paging::new(
        Some("/data".into()),
        PageStyle::AfterLastItem {
            param: "starting_after".into(),
            field: "id".into(),
            stop: vec![Stop::new("/has_more", false)],
        },
    );
    let (items, requests) = page_through(upstream, paging, &[]).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6]);
    assert_eq!(requests[2], json!({"starting_after": 4}));
}

#[tokio::test]
async fn next_links_and_bare_tokens() {
    // Twilio: `PageToken` and `Page` from `/meta/next_page_url`, null on the last page.
    let upstream: Upstream = Arc::new(|q| {
        let n: i64 = q
            .get("Page")
            .and_then(Value::as_str)
            .map_or(0, |p| p.parse().unwrap());
        let next = (n < 2).then(|| {
            format!(
                "https://api.example.com/v1/Things?PageSize=2&Page={}&PageToken=PT{}",
                n + 1,
                n + 1
            )
        });
        json!({"things": page(n + 1), "meta": {"next_page_url": next}})
    });
    let paging = Paging::new(
        Some("/things".into()),
        PageStyle::NextLink {
            link: "/meta/next_page_url".into(),
            params: vec!["PageSize".into(), "Page".into(), "PageToken".into()],
        },
    );
    let (items, requests) = page_through(upstream, paging, &[("PageSize", json!(2))]).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        requests[2],
        json!({"PageSize": "2", "Page": "2", "PageToken": "PT2"})
    );

    // Stripe search: `page` <- `/next_page`, a bare token rather than a URL.
    let upstream: Upstream = Arc::new(|q| {
        let n = match q.get("page").and_then(Value::as_str) {
            None => 1,
            Some("tok2") => 2,
            Some(_) => 3,
        };
        json!({"data": page(n), "next_page": if n < 3 { json!(format!("tok{}", n + 1)) } else { Value::Null }})
    });
    let paging = Paging::new(
        Some("/data".into()),
        PageStyle::NextLink {
            link: "/next_page".into(),
            params: vec!["page".into()],
        },
    );
    let (items, _) = page_through(upstream, paging, &[]).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn offsets_against_a_total_and_page_numbers_until_empty() {
    // Jira: `startAt` advances by the items received until `total`.
    let upstream: Upstream = Arc::new(|q| {
        let start = q.get("startAt").and_then(Value::as_i64).unwrap_or(0);
        json!({"startAt": start, "maxResults": 2, "total": 6, "values": page(start / 2 + 1)})
    });
    let paging = Paging::new(
        Some("/values".into()),
        PageStyle::Offset {
            param: "startAt".into(),
            total: Some("/total".into()),
            stop: vec![],
        },
    );
    let (items, requests) = page_through(upstream, paging, &[("maxResults", json!(2))]).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6]);
    assert_eq!(requests.len(), 3, "the total ends it without an empty page");
    assert_eq!(requests[1], json!({"maxResults": 2, "startAt": 2}));

    // Xero: `page` 1, 2, 3, then an empty page ends it.
    let upstream: Upstream = Arc::new(|q| {
        let n = q.get("page").and_then(Value::as_i64).unwrap_or(1);
        json!({"Status": "OK", "Quotes": if n <= 3 { page(n) } else { vec![] }})
    });
    let paging = Paging::new(
        Some("/Quotes".into()),
        PageStyle::PageNumber {
            param: "page".into(),
            first: 1,
        },
    );
    let (items, requests) = page_through(upstream, paging, &[]).await;
    assert_eq!(ids(&items), [1, 2, 3, 4, 5, 6]);
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[3], json!({"page": 4}));
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_and_max_pages_bounds_the_stream() {
    // A server that always answers with the same next cursor.
    let upstream: Upstream = Arc::new(|_| json!({"data": page(1), "next": "same"}));
    let paging = Paging::new(
        Some("/data".into()),
        PageStyle::Cursor {
            param: "cursor".into(),
            next: "/next".into(),
            stop: vec![],
        },
    );
    let (base, seen) = serve(upstream).await;
    let client = client(&base);
    let user = client.user("u1");
    let credential = CredentialId::new("c1");
    let call: ActionCall<'_, ()> = ActionCall::new("acme", "list", HttpMethod::Get, &credential);
    let pages: Vec<Result<alloy_runtime::Execution<Value>, Error>> =
        futures::StreamExt::collect(user.pages(call.clone(), paging.clone(), None)).await;
    assert_eq!(pages.len(), 3, "two pages, then the error");
    assert!(pages[0].is_ok() && pages[1].is_ok());
    let err = pages[2].as_ref().unwrap_err();
    assert!(matches!(err, Error::Paging { .. }), "{err:?}");
    assert!(
        err.to_string().contains("acme/list") && err.to_string().contains("cursor"),
        "{err}"
    );
    assert_eq!(seen.lock().unwrap().len(), 2, "never asked a third time");

    seen.lock().unwrap().clear();
    let bounded: Vec<Value> = user
        .pages::<(), Value>(call, paging, Some(1))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(bounded.len(), 2);
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn items_decode_typed_and_a_bad_item_names_its_path() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Thing {
        id: i64,
    }
    let upstream: Upstream = Arc::new(|_| json!({"data": [{"id": 1}, {"id": "two"}]}));
    let (base, _) = serve(upstream).await;
    let client = client(&base);
    let user = client.user("u1");
    let credential = CredentialId::new("c1");
    let call: ActionCall<'_, ()> = ActionCall::new("acme", "list", HttpMethod::Get, &credential);
    let paging = Paging::new(
        Some("/data".into()),
        PageStyle::PageNumber {
            param: "page".into(),
            first: 1,
        },
    );
    let mut items = user
        .pages::<(), Value>(call, paging, Some(1))
        .items::<Thing>();
    assert_eq!(items.try_next().await.unwrap(), Some(Thing { id: 1 }));
    let err = items.try_next().await.unwrap_err();
    assert!(err.to_string().contains("id"), "{err}");
    // The error names the action whose page held the item.
    assert!(err.to_string().starts_with("acme/list ("), "{err}");
}
