//! The fetch stage: walk the discovery endpoints and write a catalog snapshot atomically.
//!
//! Requests go through `alloy-runtime` (so they get its retries and timeouts) with bounded
//! concurrency. Every document is checked against the catalog model before anything touches the
//! disk, and the snapshot is built in a temp folder beside the target and swapped in by rename:
//! a failed or interrupted fetch leaves the previous snapshot as it was.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use alloy_model::snapshot::{self, ACTIONS_DIR, CONNECTOR_FILE, CREDENTIALS_FILE, RESOURCES_FILE};
use alloy_model::{
    ActionEnvelope, ActionId, ConnectorId, ConnectorSummary, CredentialsMetadata, ResourceList,
};
use alloy_runtime::Client;
use anyhow::{Context, Result, bail};
use futures::{StreamExt, TryStreamExt, stream};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::progress::Progress;
use crate::write::{FileSet, write_atomic};

/// What to fetch and how hard to push the server.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Only these connectors (all when empty); the snapshot's other connectors are kept.
    pub connectors: Vec<String>,
    /// Requests in flight at once.
    pub concurrency: usize,
}

/// What a fetch brought back.
#[derive(Debug, Default)]
pub struct Fetched {
    pub files: FileSet,
    pub connectors: usize,
    pub actions: usize,
}

/// Fetches the catalog (or some connectors of it) into `files`, without touching the disk.
pub async fn fetch(client: &Client, options: &FetchOptions) -> Result<Fetched> {
    let concurrency = options.concurrency.max(1);
    let list = client
        .connectors_document()
        .await
        .context("GET /connectors")?;
    let items = list
        .get("connectors")
        .and_then(Value::as_array)
        .context("GET /connectors: the body has no `connectors` array")?;

    let wanted: BTreeSet<&str> = options.connectors.iter().map(String::as_str).collect();
    let mut selected = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let summary: ConnectorSummary = check(item, &format!("GET /connectors: connectors[{i}]"))?;
        if let Some(why) = snapshot::unsafe_connector_id(summary.id.as_str()) {
            bail!(
                "GET /connectors: connectors[{i}].id {:?} cannot name a snapshot folder: {why}; \
                 nothing was written",
                summary.id.as_str()
            );
        }
        if wanted.is_empty() || wanted.contains(summary.id.as_str()) {
            selected.push((summary.id, item.clone()));
        }
    }
    for id in &wanted {
        if !selected.iter().any(|(c, _)| c == *id) {
            bail!("connector `{id}` is not offered by GET /connectors");
        }
    }

    let progress = Arc::new(Progress::new(selected.len()));
    let per_connector = stream::iter(selected)
        .map(|(id, item)| {
            let progress = progress.clone();
            async move {
                let files = fetch_connector(client, &id, item, concurrency, &progress)
                    .await
                    .with_context(|| format!("connector `{id}`"))?;
                progress.connector_done(id.as_str(), files.1);
                anyhow::Ok(files)
            }
        })
        // Connectors one or two at a time: their actions already fill `concurrency`.
        .buffer_unordered(2)
        .try_collect::<Vec<_>>()
        .await?;
    progress.finish();

    let mut fetched = Fetched::default();
    for (files, actions) in per_connector {
        fetched.connectors += 1;
        fetched.actions += actions;
        fetched.files.extend(files);
    }
    Ok(fetched)
}

async fn fetch_connector(
    client: &Client,
    id: &ConnectorId,
    item: Value,
    concurrency: usize,
    progress: &Progress,
) -> Result<(FileSet, usize)> {
    let base = format!("/connectors/{}", segment(id.as_str()));
    let mut files = FileSet::new();
    let dir = id.as_str().to_owned();
    let put = |files: &mut FileSet, name: &str, v: &Value| {
        files.insert(format!("{dir}/{name}"), snapshot::to_canonical_json(v));
    };
    put(&mut files, CONNECTOR_FILE, &item);

    let resources_path = format!("{base}/resources");
    let resources = client
        .resources_document(id)
        .await
        .with_context(|| format!("GET {resources_path}"))?;
    let parsed: ResourceList = check(&resources, &format!("GET {resources_path}"))?;
    put(&mut files, RESOURCES_FILE, &resources);

    let metadata_path = format!("{base}/credentials/metadata");
    let metadata = client
        .credentials_metadata_document(id)
        .await
        .with_context(|| format!("GET {metadata_path}"))?;
    check::<CredentialsMetadata>(&metadata, &format!("GET {metadata_path}"))?;
    put(&mut files, CREDENTIALS_FILE, &metadata);

    let mut action_ids: Vec<String> = Vec::new();
    for (r, resource) in parsed.resources.iter().enumerate() {
        for (a, action) in resource.actions.iter().enumerate() {
            let action = action.id().as_str();
            if let Some(why) = snapshot::unsafe_action_id(action) {
                bail!(
                    "GET {resources_path}: resources[{r}].actions[{a}] id {action:?} cannot \
                     name a snapshot file: {why}; nothing was written"
                );
            }
            if !action_ids.iter().any(|known| known == action) {
                action_ids.push(action.to_owned());
            }
        }
    }
    progress.add_actions(action_ids.len());

    let details = stream::iter(action_ids)
        .map(|action| {
            let path = format!("{base}/actions/{}", segment(&action));
            async move {
                let body = client
                    .action_document(id, &ActionId::new(action.clone()))
                    .await
                    .with_context(|| format!("action `{action}`: GET {path}"))?;
                let envelope: ActionEnvelope = check(&body, &format!("GET {path}"))
                    .with_context(|| format!("action `{action}`"))?;
                if envelope.action.id != action.as_str() {
                    bail!(
                        "action `{action}`: GET {path} answered with action id `{}`",
                        envelope.action.id
                    );
                }
                progress.action_done();
                Ok((action, body))
            }
        })
        .buffer_unordered(concurrency)
        .try_collect::<Vec<_>>()
        .await?;

    let count = details.len();
    for (action, body) in details {
        let name = format!("{ACTIONS_DIR}/{}", snapshot::action_file_name(&action));
        put(&mut files, &name, &body);
    }
    Ok((files, count))
}

/// Checks a document against the catalog model, naming the request and JSON path on failure.
fn check<T: DeserializeOwned>(value: &Value, what: &str) -> Result<T> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| anyhow::anyhow!("{what}: at `{}`: {}", e.path(), e.inner()))
}

fn segment(raw: &str) -> String {
    percent_encoding::utf8_percent_encode(raw, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Replaces the snapshot at `out` with `fetched`, atomically.
///
/// With `keep_others`, connector folders of the old snapshot that the fetch did not cover are
/// carried over unchanged (`--connector` updates only those connectors).
pub fn install(out: &Path, fetched: &Fetched, keep_others: bool) -> Result<()> {
    // Ids were checked as they arrived; this is the last line before the disk.
    for rel in fetched.files.keys() {
        let plain = Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel.contains('\\') {
            bail!("refusing to write {rel:?}: not a plain path inside the snapshot");
        }
    }
    if fetched.connectors == 0 && !keep_others {
        let previous = connector_folders(out)?;
        if previous > 0 {
            bail!(
                "the API listed no connectors; the snapshot {} has {previous}, so it is kept as \
                 it was (delete it first to accept an empty catalog)",
                out.display()
            );
        }
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out
        .file_name()
        .with_context(|| format!("{} has no folder name", out.display()))?
        .to_string_lossy()
        .into_owned();
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.fetch-"))
        .tempdir_in(parent)
        .with_context(|| format!("creating a temp folder in {}", parent.display()))?;

    for (rel, content) in &fetched.files {
        write_atomic(&staging.path().join(rel), content.as_bytes())?;
    }
    if keep_others && out.is_dir() {
        let fetched_dirs: BTreeSet<&str> = fetched
            .files
            .keys()
            .filter_map(|k| k.split('/').next())
            .collect();
        for entry in std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))? {
            let entry = entry?;
            let file_name = entry.file_name();
            let entry_name = file_name.to_string_lossy();
            if fetched_dirs.contains(entry_name.as_ref()) {
                continue;
            }
            copy_tree(&entry.path(), &staging.path().join(&*entry_name))?;
        }
    }
    // Prove the new snapshot loads before it replaces the old one.
    alloy_model::Catalog::load(staging.path()).context("the fetched snapshot does not load")?;

    let staged = staging.keep();
    if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(out, &old)
            .with_context(|| format!("moving the old snapshot {} aside", out.display()))?;
        if let Err(e) = std::fs::rename(&staged, out) {
            // Put the old snapshot back: nothing on disk is lost.
            let _ = std::fs::rename(&old, out);
            return Err(e)
                .with_context(|| format!("moving the new snapshot into {}", out.display()));
        }
        std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    } else {
        std::fs::rename(&staged, out)
            .with_context(|| format!("moving the new snapshot into {}", out.display()))?;
    }
    Ok(())
}

/// How many connector folders (with a `connector.json`) the snapshot at `dir` has.
fn connector_folders(dir: &Path) -> Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut count = 0;
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.path().join(CONNECTOR_FILE).is_file() {
            count += 1;
        }
    }
    Ok(count)
}

fn copy_tree(from: &Path, to: &PathBuf) -> Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else if from.is_file() {
        std::fs::copy(from, to)
            .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    } else {
        // A FIFO or device would block or never end the copy.
        bail!("{}: not a regular file or folder", from.display());
    }
    Ok(())
}
