//! The `alloy-mock` binary: prints its address first, then serves.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_prints_its_address_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_alloy-mock"))
        .args(["--catalog"])
        .arg(common::fixture_dir())
        .args(["--addr", "127.0.0.1:0", "--api-key", "pinned"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap();
    let result = async {
        let line = line.expect("a first line");
        let base = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        assert!(
            base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
            "{base}"
        );
        let health: serde_json::Value = reqwest::get(format!("{base}/_mock/health"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["connectors"], 3);
        let client = reqwest::Client::new();
        let refused = client
            .get(format!("{base}/connectors"))
            .bearer_auth("other")
            .header("x-api-version", "2025-09")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401, "--api-key pins the key");
        let accepted = client
            .get(format!("{base}/connectors"))
            .bearer_auth("pinned")
            .header("x-api-version", "2025-09")
            .send()
            .await
            .unwrap();
        assert_eq!(accepted.status(), 200);
    };
    // Kill the child whatever the outcome of the checks.
    let outcome = tokio::spawn(result).await;
    child.kill().expect("child is killed");
    child.wait().expect("child is reaped");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[test]
fn help_and_bad_arguments() {
    let help = Command::new(env!("CARGO_BIN_EXE_alloy-mock"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--catalog", "--addr", "--api-key"] {
        assert!(text.contains(flag), "{text}");
    }
    let missing = Command::new(env!("CARGO_BIN_EXE_alloy-mock"))
        .args(["--catalog", "/definitely/not/here", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(
        missing.stdout.is_empty(),
        "nothing printed before the catalog loads"
    );
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/definitely/not/here"));
}

#[test]
fn help_never_shows_the_api_key_from_the_environment() {
    let output = Command::new(env!("CARGO_BIN_EXE_alloy-mock"))
        .arg("--help")
        .env("ALLOY_MOCK_API_KEY", "env-s3cr3t")
        .output()
        .expect("binary runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("ALLOY_MOCK_API_KEY"), "{help}");
    assert!(!help.contains("env-s3cr3t"), "{help}");
}
