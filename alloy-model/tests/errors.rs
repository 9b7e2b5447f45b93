//! Bad snapshots give errors that name the file and the JSON path.

use std::fs;
use std::path::Path;

use alloy_model::{Catalog, LoadError};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn minimal(dir: &Path) {
    write(
        &dir.join("acme/connector.json"),
        r#"{"id": "acme", "name": "Acme"}"#,
    );
    write(&dir.join("acme/resources.json"), r#"{"resources": []}"#);
    write(
        &dir.join("acme/credentials-metadata.json"),
        r#"{"metadata": []}"#,
    );
    write(
        &dir.join("acme/actions/getThing.json"),
        r#"{"action": {"id": "getThing", "httpMethod": "get", "path": "/things/{id}",
            "parameters": [{"name": "id", "in": "path"}]}}"#,
    );
}

#[test]
fn minimal_snapshot_loads() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    write(&dir.path().join("README.md"), "not a connector");
    let catalog = Catalog::load(dir.path()).unwrap();
    let acme = &catalog.connectors["acme"];
    assert!(acme.actions["getThing"].parameters[0].is_required());
}

#[test]
fn wrong_shape_names_file_and_json_path() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    let bad = dir.path().join("acme/actions/getThing.json");
    write(
        &bad,
        r#"{"action": {"id": "getThing", "httpMethod": "get", "path": "/",
            "parameters": [{"name": "id", "in": "path"}, {"in": "query"}]}}"#,
    );
    let err = Catalog::load(dir.path()).unwrap_err();
    let LoadError::Json {
        path, json_path, ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(path, &bad);
    assert_eq!(json_path, "action.parameters[1]");
    assert!(err.to_string().contains("missing field `name`"), "{err}");
}

#[test]
fn invalid_json_and_trailing_garbage_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    write(
        &dir.path().join("acme/resources.json"),
        r#"{"resources": [}"#,
    );
    let err = Catalog::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("resources.json"), "{err}");

    minimal(dir.path());
    write(
        &dir.path().join("acme/connector.json"),
        r#"{"id": "acme"} {}"#,
    );
    let err = Catalog::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("trailing"), "{err}");
}

#[test]
fn missing_file_and_mismatched_id_are_layout_errors() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    fs::remove_file(dir.path().join("acme/resources.json")).unwrap();
    let err = Catalog::load(dir.path()).unwrap_err();
    assert!(matches!(err, LoadError::Io { .. }), "{err}");
    assert!(err.path().ends_with("acme/resources.json"));

    minimal(dir.path());
    write(
        &dir.path().join("acme/connector.json"),
        r#"{"id": "other"}"#,
    );
    let err = Catalog::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("does not match"), "{err}");
}

#[test]
fn duplicate_action_ids_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    write(
        &dir.path().join("acme/actions/copy.json"),
        r#"{"action": {"id": "getThing", "httpMethod": "get", "path": "/"}}"#,
    );
    let err = Catalog::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("also defined"), "{err}");
}

#[test]
fn the_first_error_in_connector_and_file_order_is_reported() {
    // Files are parsed on several threads; whichever finishes first, the error reported is the
    // one a sequential load would meet first.
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    for i in 0..200 {
        write(
            &dir.path().join(format!("acme/actions/a{i:03}.json")),
            &format!(r#"{{"action": {{"id": "a{i}", "httpMethod": "get", "path": "/"}}}}"#),
        );
    }
    let late = dir.path().join("acme/actions/a199.json");
    write(&late, r#"{"action": {"id": 7}}"#);
    write(&dir.path().join("zeta/connector.json"), "not json");
    for _ in 0..5 {
        let err = Catalog::load(dir.path()).unwrap_err();
        assert_eq!(err.path(), late, "{err}");
    }
}

#[test]
fn one_connector_folder_loads_alone() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    let acme = alloy_model::ConnectorSnapshot::load(dir.path().join("acme")).unwrap();
    assert_eq!(acme.connector.id, "acme");
    assert_eq!(acme.actions.len(), 1);
}

/// A FIFO named like an action file must be refused, not opened: opening one blocks until a
/// writer comes, so the old loader hung here. The load runs on a thread so that a regression
/// fails the test instead of hanging the suite.
#[cfg(unix)]
#[test]
fn a_fifo_among_the_actions_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    let fifo = dir.path().join("acme/actions/stuck.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());

    let root = dir.path().to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Catalog::load(&root).map(|_| ()));
    });
    let result = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the loader returns instead of blocking on the FIFO");
    let err = result.unwrap_err();
    assert_eq!(err.path(), fifo);
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

/// An action whose id starts with `.` is stored under an encoded name and loads back; a
/// hidden file is never how an action is stored.
#[test]
fn an_action_id_with_a_leading_dot_round_trips_through_its_file_name() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    let name = alloy_model::snapshot::action_file_name(".well-known");
    assert!(!name.starts_with('.'), "{name}");
    write(
        &dir.path().join("acme/actions").join(&name),
        r#"{"action": {"id": ".well-known", "httpMethod": "get", "path": "/.well-known"}}"#,
    );
    let catalog = Catalog::load(dir.path()).unwrap();
    assert!(
        catalog.connectors["acme"]
            .actions
            .contains_key(".well-known")
    );
}

/// Loading folder by folder (as the generator does, freeing each connector before the next)
/// gives the same model and the same errors as loading the snapshot whole.
#[test]
fn listed_folders_load_like_the_whole_snapshot() {
    use alloy_model::LoadOptions;
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path());
    write(
        &dir.path().join("beta/connector.json"),
        r#"{"id": "beta", "name": "Beta"}"#,
    );
    write(
        &dir.path().join("beta/resources.json"),
        r#"{"resources": []}"#,
    );
    write(
        &dir.path().join("beta/credentials-metadata.json"),
        r#"{"metadata": []}"#,
    );
    write(&dir.path().join("README.md"), "not a connector");

    let whole = Catalog::load(dir.path()).unwrap();
    let folders = Catalog::list(dir.path(), &LoadOptions::default()).unwrap();
    let names: Vec<&str> = folders.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["acme", "beta"]);
    assert_eq!(folders[0].action_files(), 1);
    assert_eq!(folders[1].action_files(), 0);
    assert!(folders[0].bytes() > 0);
    for folder in &folders {
        let one = folder.load(&LoadOptions::default()).unwrap();
        let same = &whole.connectors[folder.name()];
        assert_eq!(format!("{one:?}"), format!("{same:?}"));
    }

    let only = Catalog::list(dir.path(), &LoadOptions::default().only(["beta".into()])).unwrap();
    assert_eq!(only.len(), 1);
    let err =
        Catalog::list(dir.path(), &LoadOptions::default().only(["gamma".into()])).unwrap_err();
    assert!(
        err.to_string().contains("`gamma` is not in the snapshot"),
        "{err}"
    );

    let bad = dir.path().join("acme/actions/getThing.json");
    write(&bad, r#"{"action": {"id": 7}}"#);
    let folders = Catalog::list(dir.path(), &LoadOptions::default()).unwrap();
    let err = folders[0].load(&LoadOptions::default()).unwrap_err();
    let whole_err = Catalog::load(dir.path()).unwrap_err();
    assert_eq!(err.to_string(), whole_err.to_string());
    assert_eq!(err.path(), bad);
}
