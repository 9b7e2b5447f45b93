//! Finishing OAuth through the generated helpers, against alloy-mock's consent page on
//! loopback: the credential id the redirect carries (checked to be the user's), a denied
//! consent as `Error::OAuth`, a redirect without parameters answered by the credential that
//! appeared since the flow started, and a typed list of one connector's credentials.

use alloy_e2e::paths;
use alloy_hubspot::{HubspotCredential, HubspotOauth2Input};
use alloy_mock::MockServer;
use alloy_runtime::{Client, Error, NewUser, UserClient};

async fn setup() -> (MockServer, UserClient) {
    let server = MockServer::from_dir(paths::sample_catalog()).await.unwrap();
    let client = Client::builder()
        .api_key("oauth-e2e")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let id = client
        .get_or_create_user(&NewUser::new("oauth-user"))
        .await
        .unwrap();
    (server, client.user(id))
}

/// Plays the end user's browser: the consent page answers with a redirect; returns where to.
async fn consent(oauth_url: &str, deny: bool) -> String {
    let url = if deny {
        format!("{oauth_url}&deny=true")
    } else {
        oauth_url.to_owned()
    };
    let answer = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_redirection(), "{}", answer.status());
    answer.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_redirect_url_finishes_the_connection() {
    let (_server, user) = setup().await;
    let input = HubspotOauth2Input::new("https://app.example/connected");
    assert!(HubspotCredential::list(&user).await.unwrap().is_empty());
    let flow = HubspotCredential::start_oauth2(&user, &input)
        .await
        .unwrap();
    let back = consent(&flow.oauth_url, false).await;
    assert!(back.starts_with("https://app.example/connected?"), "{back}");
    let credential = HubspotCredential::finish_oauth2(&user, &flow, &back)
        .await
        .unwrap();
    let listed = HubspotCredential::list(&user).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(&listed[0].credential_id, credential.id());

    // A second connection while one exists: the fallback picks the new one, not the old.
    let flow = HubspotCredential::start_oauth2(&user, &input)
        .await
        .unwrap();
    assert_eq!(flow.existing, [credential.id().clone()]);
    consent(&flow.oauth_url, false).await;
    let second = HubspotCredential::finish_oauth2(&user, &flow, "https://app.example/connected")
        .await
        .unwrap();
    assert_ne!(second, credential);
    assert_eq!(HubspotCredential::list(&user).await.unwrap().len(), 2);

    // The flow survives a round trip through the session store.
    let stored = serde_json::to_string(&flow).unwrap();
    assert_eq!(
        serde_json::from_str::<alloy_runtime::OAuthFlow>(&stored).unwrap(),
        flow
    );
}

#[tokio::test]
async fn a_denied_consent_or_no_new_credential_is_an_oauth_error() {
    let (_server, user) = setup().await;
    let input = HubspotOauth2Input::new("https://app.example/connected");
    let flow = HubspotCredential::start_oauth2(&user, &input)
        .await
        .unwrap();
    let back = consent(&flow.oauth_url, true).await;
    let err = HubspotCredential::finish_oauth2(&user, &flow, &back)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OAuth { error, .. } if error == "access_denied"),
        "{err:?}"
    );
    assert!(err.to_string().contains("hubspot"), "{err}");

    // The user never reached the consent page: nothing new to find.
    let flow = HubspotCredential::start_oauth2(&user, &input)
        .await
        .unwrap();
    let err = HubspotCredential::finish_oauth2(&user, &flow, "/connected")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OAuth { error, .. } if error == "no_new_credential"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_redirect_naming_someone_elses_credential_is_refused() {
    let (server, user) = setup().await;
    let client = user.client().clone();
    let other = client.user(
        client
            .get_or_create_user(&NewUser::new("someone-else"))
            .await
            .unwrap(),
    );
    let input = HubspotOauth2Input::new("https://app.example/connected");
    let theirs = HubspotCredential::start_oauth2(&other, &input)
        .await
        .unwrap();
    let their_back = consent(&theirs.oauth_url, false).await;
    let their_credential = HubspotCredential::finish_oauth2(&other, &theirs, &their_back)
        .await
        .unwrap();

    let flow = HubspotCredential::start_oauth2(&user, &input)
        .await
        .unwrap();
    let forged = format!(
        "https://app.example/connected?credentialId={}",
        their_credential.id()
    );
    let err = HubspotCredential::finish_oauth2(&user, &flow, &forged)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CredentialNotOwned { .. }), "{err:?}");
    let _ = server;
}
