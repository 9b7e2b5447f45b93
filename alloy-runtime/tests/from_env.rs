//! `Client::from_env`, checked in child processes so the test never mutates its own
//! environment (which is `unsafe` in edition 2024).

use std::process::{Command, Stdio};

use alloy_runtime::{Client, Error};

const CHILD: &str = "ALLOY_RUNTIME_FROM_ENV_CHILD";

/// Runs `child_reads_environment` in a fresh process with the given variables.
fn run_child(vars: &[(&str, &str)]) -> bool {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "child_reads_environment",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_remove("ALLOY_API_KEY")
        .env_remove("ALLOY_API_URL")
        .env(CHILD, "1")
        .stdout(Stdio::null());
    for (name, value) in vars {
        command.env(name, value);
    }
    command.status().unwrap().success()
}

#[test]
fn from_env_uses_key_and_url() {
    assert!(run_child(&[
        ("ALLOY_API_KEY", "k-env"),
        ("ALLOY_API_URL", "http://127.0.0.1:9/"),
        ("EXPECT", "http://127.0.0.1:9"),
    ]));
    assert!(run_child(&[
        ("ALLOY_API_KEY", "k-env"),
        ("EXPECT", "https://production.runalloy.com"),
    ]));
    assert!(run_child(&[("EXPECT", "missing-key")]));
}

#[test]
fn child_reads_environment() {
    if std::env::var(CHILD).is_err() {
        return; // only meaningful inside run_child
    }
    let expect = std::env::var("EXPECT").unwrap();
    match Client::from_env() {
        Ok(client) => assert_eq!(client.base_url(), expect),
        Err(Error::Config(message)) => {
            assert_eq!(expect, "missing-key");
            assert!(message.contains("ALLOY_API_KEY"), "{message}");
        }
        Err(other) => panic!("{other:?}"),
    }
}
