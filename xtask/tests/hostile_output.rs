//! Regenerate never deletes what it did not generate, and never leaves a workspace Cargo cannot
//! load:
//!
//! - an `--out` folder holding a user's own folder under a crate's name is refused, untouched;
//! - removing a connector whose crate a workspace member depends on is refused, naming both;
//! - a run killed at any moment leaves only complete crates, and the next run repairs it;
//! - connector ids named like the project's own packages or cargo's `target` get safe names.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;

use common::copy_tree;
use xtask::regenerate::generate_into;
use xtask::repo_root;
use xtask::write::Mode;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_users_own_folder_in_out_is_refused_and_kept() {
    let root = repo_root();
    let out = tempfile::tempdir().unwrap();
    let mine = out.path().join("shippo");
    for (rel, text) in [
        ("NOTES.md", "my notes\n"),
        ("src/main.rs", "fn main() {}\n"),
        (".git/config", "[core]\n"),
    ] {
        let path = mine.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let err = generate_into(&root.join("catalog"), out.path(), Mode::Write)
        .expect_err("a folder without the generator's marker is not overwritten");
    let text = format!("{err:#}");
    assert!(text.contains(&mine.display().to_string()), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(read(&mine.join("NOTES.md")), "my notes\n");
    assert_eq!(read(&mine.join("src/main.rs")), "fn main() {}\n");
    assert_eq!(read(&mine.join(".git/config")), "[core]\n");
    let mut names: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["shippo"], "no other crate was written either");

    // Someone else's workspace manifest at the top is refused the same way.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .unwrap();
    let err = generate_into(&root.join("catalog"), other.path(), Mode::Write).unwrap_err();
    assert!(format!("{err:#}").contains("Cargo.toml"), "{err:#}");
    assert_eq!(
        read(&other.path().join("Cargo.toml")),
        "[workspace]\nmembers = []\n"
    );
}

#[test]
fn removing_a_crate_the_workspace_depends_on_is_refused() {
    let root = repo_root();
    let catalog = tempfile::tempdir().unwrap();
    copy_tree(&root.join("catalog"), catalog.path());
    std::fs::remove_dir_all(catalog.path().join("freshdesk")).unwrap();
    // Check mode writes nothing even when it would succeed, so the real `generated/` is safe.
    let err = generate_into(catalog.path(), &root.join("generated"), Mode::Check)
        .expect_err("tests/Cargo.toml depends on alloy-freshdesk");
    let text = format!("{err:#}");
    assert!(text.contains("alloy-freshdesk"), "{text}");
    assert!(
        text.contains(&root.join("tests/Cargo.toml").display().to_string()),
        "{text}"
    );
    assert!(root.join("generated/freshdesk/Cargo.toml").is_file());
}

/// Every folder of `out` is a complete crate, and every member the workspace lists exists.
fn assert_loadable(out: &Path, when: &str) {
    for entry in std::fs::read_dir(out).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            assert!(
                path.join("Cargo.toml").is_file(),
                "{when}: {} has no Cargo.toml",
                path.display()
            );
            assert!(
                path.join("src/lib.rs").is_file(),
                "{when}: {} has no src/lib.rs",
                path.display()
            );
        }
    }
    let manifest = out.join("Cargo.toml");
    if let Ok(text) = std::fs::read_to_string(&manifest) {
        for line in text.lines().filter(|l| l.starts_with("    \"")) {
            let member = line.trim().trim_end_matches(',').trim_matches('"');
            assert!(
                out.join(member).join("src/lib.rs").is_file(),
                "{when}: member {member} is listed but incomplete"
            );
        }
    }
}

#[test]
fn a_killed_run_leaves_only_complete_crates_and_the_next_run_repairs_it() {
    let root = repo_root();
    let base = tempfile::tempdir().unwrap();
    let out: PathBuf = base.path().join("ws");
    let catalog = root.join("catalog");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["regenerate", "--catalog"])
            .arg(&catalog)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // Kill runs at moments spread over a whole run: each kill may land anywhere, between any
    // two files. Every second round starts from an empty folder (new crates), the others from
    // a previous partial state (updates).
    for round in 0..16u64 {
        if round % 2 == 0 {
            let _ = std::fs::remove_dir_all(&out);
        }
        let mut child = run();
        std::thread::sleep(Duration::from_millis(round * 40));
        let _ = child.kill();
        let _ = child.wait();
        if out.exists() {
            assert_loadable(&out, &format!("after a kill at {} ms", round * 40));
        }
    }
    let status = run().wait().unwrap();
    assert!(status.success());
    assert_loadable(&out, "after a full run");
    let check = generate_into(&catalog, &out, Mode::Check).unwrap();
    assert!(
        !check.summary.is_stale(),
        "the next run repaired everything: {:?}",
        check.summary
    );
    let leftovers: Vec<_> = std::fs::read_dir(base.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "ws")
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn connector_ids_named_like_the_project_get_safe_crate_names() {
    let root = repo_root();
    let catalog = tempfile::tempdir().unwrap();
    for id in ["runtime", "target"] {
        let dir = catalog.path().join(id);
        copy_tree(&root.join("catalog/shippo"), &dir);
        let connector = dir.join("connector.json");
        let mut value: serde_json::Value = serde_json::from_str(&read(&connector)).unwrap();
        value["id"] = serde_json::json!(id);
        std::fs::write(&connector, value.to_string()).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    generate_into(catalog.path(), out.path(), Mode::Write).unwrap();
    assert!(
        !out.path().join("target").exists(),
        "cargo's build folder is not a crate"
    );
    assert!(!out.path().join("runtime").exists());
    let runtime = read(&out.path().join("runtime-connector/Cargo.toml"));
    assert!(
        runtime.contains("name = \"alloy-runtime-connector\""),
        "{runtime}"
    );
    assert!(out.path().join("target-connector/src/lib.rs").is_file());
    // The standalone workspace loads, and no package takes a name of the project's.
    let metadata = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(out.path().join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let mut names: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["alloy-runtime-connector", "alloy-target-connector"]);
}
