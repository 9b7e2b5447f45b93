//! The example runs as a user runs it (the built binary, a child process) and tells the whole
//! story; twice in a row against one alloy-mock, the second run finds the first run's user.

use std::path::Path;
use std::process::Command;

fn catalog() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog"))
}

fn connect(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_connect"))
        .args(args)
        .env_remove("ALLOY_API_KEY")
        .env_remove("ALLOY_API_URL")
        .env_remove("QUICKBOOKS_API_KEY")
        .env_remove("QUICKBOOKS_API_SECRET")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "connect {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The value after `label` on the line of `step` (`      user  connect-example is u-1` → `u-1`).
fn after<'a>(out: &'a str, step: &str, label: &str) -> Vec<&'a str> {
    out.lines()
        .filter(|l| l.trim_start().starts_with(&format!("{step}  ")))
        .filter_map(|l| l.split_once(label).map(|(_, rest)| rest.trim()))
        .collect()
}

fn assert_story(out: &str) {
    for step in [
        "discovery  4 connectors",
        "hubspot resource contacts",
        "oauth  send the user to http://127.0.0.1",
        "oauth  the user came back on http://localhost:3000/connected?",
        "oauth  hubspot connected: credential",
        "execute  hubspot createContact: contact",
        "execute  hubspot listContacts:",
        "api key  quickbooks connected: credential",
        "execute  quickbooks queryCustomers:",
        "revoke  hubspot credential",
        "reconnect  hubspot needs reconnecting:",
        "done  every step worked",
    ] {
        assert!(out.contains(step), "missing `{step}` in:\n{out}");
    }
    // Connected, revoked, connected again: two different HubSpot credentials.
    let credentials = after(out, "oauth", "hubspot connected: credential");
    assert_eq!(credentials.len(), 2, "{out}");
    assert_ne!(credentials[0], credentials[1], "{out}");
    // The contact calls before the revocation and after the reconnection both worked.
    assert_eq!(
        after(out, "execute", "hubspot createContact: contact").len(),
        2,
        "{out}"
    );
}

#[tokio::test]
async fn the_story_runs_twice_against_one_mock() {
    let server = alloy_mock::MockServer::from_dir(catalog()).await.unwrap();
    let run = || {
        let url = server.base_url();
        tokio::task::spawn_blocking(move || {
            connect(&[
                "--api-url",
                &url,
                "--api-key",
                "story",
                "--consent",
                "follow",
            ])
        })
    };
    let first = run().await.unwrap();
    assert_story(&first);
    let second = run().await.unwrap();
    assert_story(&second);
    let user = |out: &str| after(out, "user", "connect-example is").concat();
    assert!(!user(&first).is_empty(), "{first}");
    assert_eq!(user(&first), user(&second), "the rerun must find the user");
}

#[test]
fn with_mock_it_starts_its_own_server() {
    let out = connect(&["--mock"]);
    assert!(out.contains("mock  alloy-mock serves"), "{out}");
    assert_story(&out);
}

#[test]
fn without_a_key_it_says_what_is_missing() {
    let out = Command::new(env!("CARGO_BIN_EXE_connect"))
        .env_remove("ALLOY_API_KEY")
        .env_remove("ALLOY_API_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no API key"), "{stderr}");
}
