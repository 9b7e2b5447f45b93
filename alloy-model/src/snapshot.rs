//! The on-disk catalog snapshot: layout, loading with precise errors, and canonical JSON text.
//!
//! ```text
//! <catalog>/<connectorId>/connector.json              one element of GET /connectors
//! <catalog>/<connectorId>/resources.json              GET /connectors/{id}/resources
//! <catalog>/<connectorId>/credentials-metadata.json   GET /connectors/{id}/credentials/metadata
//! <catalog>/<connectorId>/actions/<actionId>.json     GET /connectors/{id}/actions/{actionId}
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use crate::load::ConnectorFolder;
use crate::{Action, ActionId, ConnectorId, ConnectorSummary, CredentialsMetadata, ResourceList};

/// File name of a connector's `GET /connectors` element.
pub const CONNECTOR_FILE: &str = "connector.json";
/// File name of a connector's resources listing.
pub const RESOURCES_FILE: &str = "resources.json";
/// File name of a connector's credential metadata.
pub const CREDENTIALS_FILE: &str = "credentials-metadata.json";
/// Folder holding one file per action.
pub const ACTIONS_DIR: &str = "actions";

/// Bytes kept as-is in action file names: `A-Za-z0-9._-`. Everything else, `%` included, is
/// percent-encoded, so decoding is unambiguous.
const FILE_NAME_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'_').remove(b'-');

/// The file name (`<encoded id>.json`) under `actions/` for an action id.
///
/// A leading `.` is encoded too (`%2E`), so no id becomes a hidden file that the loader would
/// skip; every other `.` stays, since the encoded name can never be `.` or `..` (it always
/// ends in `.json`).
pub fn action_file_name(id: &str) -> String {
    match id.strip_prefix('.') {
        Some(rest) => format!("%2E{}.json", utf8_percent_encode(rest, FILE_NAME_ESCAPES)),
        None => format!("{}.json", utf8_percent_encode(id, FILE_NAME_ESCAPES)),
    }
}

/// The longest file or folder name most file systems accept, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// Why `id` cannot name a connector folder, or `None` when it can.
///
/// A connector id becomes a folder name as it is (the loader checks that `connector.json`
/// agrees with its folder), so it must be exactly one harmless path segment: not empty, not
/// `.`/`..`, not hidden (the loader skips dot-folders, which are staging areas), no `/` or `\`,
/// no NUL or other control character, and short enough for a file system.
pub fn unsafe_connector_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("it is empty")
    } else if id.starts_with('.') {
        Some("it starts with `.` (`.`, `..` and hidden folders are not connector folders)")
    } else if id.contains(['/', '\\']) {
        Some("it contains a path separator")
    } else if id.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if id.len() > MAX_NAME_BYTES {
        Some("it is longer than 255 bytes")
    } else {
        None
    }
}

/// Why `id` cannot be stored as an action file, or `None` when it can. Any character is
/// encoded (see [`action_file_name`]); only an empty id (whose file would be `.json`, a hidden
/// file) and one too long for a file name are refused.
pub fn unsafe_action_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("it is empty")
    } else if action_file_name(id).len() > MAX_NAME_BYTES {
        Some("its file name would be longer than 255 bytes")
    } else {
        None
    }
}

/// The action id a file name under `actions/` stands for, or `None` if it is not a `.json`
/// file name this layout would produce.
pub fn action_id_from_file_name(file_name: &str) -> Option<String> {
    let stem = file_name.strip_suffix(".json")?;
    percent_decode_str(stem)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// A JSON value as the snapshot stores it: keys sorted, two-space indent, final newline.
pub fn to_canonical_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    text.push('\n');
    text
}

/// Rebuilds objects with their keys inserted in sorted order, so the text is sorted even when
/// another crate in the build turns on serde_json's `preserve_order`.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// What went wrong loading a snapshot, always naming the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON of the expected shape; `json_path` is where (e.g. `action.parameters[2].in`).
    #[error("{path}: at `{json_path}`: {message}")]
    Json {
        path: PathBuf,
        json_path: String,
        message: String,
    },
    /// The files parse but contradict each other or the layout.
    #[error("{path}: {message}")]
    Layout { path: PathBuf, message: String },
}

impl LoadError {
    /// The file (or folder) the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. } | Self::Json { path, .. } | Self::Layout { path, .. } => path,
        }
    }
}

/// How much of the snapshot to keep besides the parsed model.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LoadOptions {
    /// Keep each file's exact text, for servers that must answer byte-for-byte as the snapshot.
    pub keep_raw: bool,
    /// Load only these connectors (all when empty).
    pub only: Vec<ConnectorId>,
}

impl LoadOptions {
    /// Keep each file's text (see [`LoadOptions::keep_raw`]).
    pub fn keep_raw(mut self, keep: bool) -> Self {
        self.keep_raw = keep;
        self
    }

    /// Restrict loading to some connectors.
    pub fn only(mut self, connectors: impl IntoIterator<Item = ConnectorId>) -> Self {
        self.only = connectors.into_iter().collect();
        self
    }
}

/// A whole snapshot, connectors sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub connectors: BTreeMap<ConnectorId, ConnectorSnapshot>,
}

/// One connector's files, parsed.
#[derive(Debug, Clone)]
pub struct ConnectorSnapshot {
    pub connector: ConnectorSummary,
    pub resources: ResourceList,
    pub credentials: CredentialsMetadata,
    /// Keyed by the id inside each file (the truth, whatever the file name says).
    pub actions: BTreeMap<ActionId, Action>,
    /// Each file's text, when loaded with [`LoadOptions::keep_raw`].
    pub raw: Option<RawDocuments>,
}

/// The exact text of a connector's files.
#[derive(Debug, Clone)]
pub struct RawDocuments {
    pub connector: Arc<str>,
    pub resources: Arc<str>,
    pub credentials: Arc<str>,
    pub actions: BTreeMap<ActionId, Arc<str>>,
}

impl Catalog {
    /// Loads every connector folder under `dir` (folders without `connector.json` are an error,
    /// other entries such as `README.md` are ignored).
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, LoadError> {
        Self::load_with(dir, &LoadOptions::default())
    }

    /// Loads with options; connectors are read in parallel, errors reported in id order.
    pub fn load_with(dir: impl AsRef<Path>, options: &LoadOptions) -> Result<Self, LoadError> {
        let mut connectors = BTreeMap::new();
        for snapshot in crate::load::connectors(Self::list(dir, options)?, options)? {
            connectors.insert(snapshot.connector.id.clone(), snapshot);
        }
        Ok(Self { connectors })
    }

    /// The connector folders under `dir` (those of [`LoadOptions::only`] when it names any),
    /// sorted by name, listed but not read: for a caller that loads one connector at a time
    /// with [`ConnectorFolder::load`] and frees it before the next, so a large snapshot is
    /// never held in memory whole.
    pub fn list(
        dir: impl AsRef<Path>,
        options: &LoadOptions,
    ) -> Result<Vec<ConnectorFolder>, LoadError> {
        let dir = dir.as_ref();
        let mut folders = Vec::new();
        for entry in crate::load::read_dir_sorted(dir)? {
            if !entry.is_dir() {
                continue;
            }
            let Some(name) = entry.file_name().and_then(|n| n.to_str()) else {
                return Err(LoadError::Layout {
                    path: entry.clone(),
                    message: "connector folder name is not UTF-8".into(),
                });
            };
            if name.starts_with('.') {
                continue;
            }
            if !options.only.is_empty() && !options.only.iter().any(|c| c == name) {
                continue;
            }
            folders.push(ConnectorFolder::list(entry));
        }
        if let Some(missing) = options
            .only
            .iter()
            .find(|id| !folders.iter().any(|f| f.name() == id.as_str()))
        {
            return Err(LoadError::Layout {
                path: dir.join(missing.as_str()),
                message: format!("connector `{missing}` is not in the snapshot"),
            });
        }
        Ok(folders)
    }

    /// Total number of actions over all connectors.
    pub fn action_count(&self) -> usize {
        self.connectors.values().map(|c| c.actions.len()).sum()
    }
}

impl ConnectorSnapshot {
    /// Loads one connector folder.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, LoadError> {
        let dir = dir.as_ref();
        ConnectorFolder::list(dir.to_path_buf()).load(&LoadOptions::default())
    }

    /// The resource that lists `action`, if any.
    pub fn resource_of(&self, action: &str) -> Option<&crate::Resource> {
        self.resources
            .resources
            .iter()
            .find(|r| r.actions.iter().any(|a| a.id() == action))
    }
}

/// Parses JSON text into `T`; on failure returns the serde path (`.` for the root) and message.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, (String, String)> {
    // Tracking the path of every value slows the parse down; valid documents are the rule, so
    // the path is only worked out again for a document that fails.
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(_) => parse_json_with_path(text),
    }
}

fn parse_json_with_path<T: DeserializeOwned>(text: &str) -> Result<T, (String, String)> {
    // serde_json's recursion limit (128 levels) stays on: it turns a pathological document
    // into an error instead of a stack overflow. The deepest corpus file nests 59 levels.
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        (path, e.into_inner().to_string())
    })?;
    de.end().map_err(|e| (".".to_owned(), e.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_round_trip() {
        for id in [
            "createContact",
            "post-search",
            "a/b",
            "50%",
            "ünïcode",
            "a b.c",
        ] {
            let name = action_file_name(id);
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-_%".contains(&b)),
                "{name}"
            );
            assert_eq!(action_id_from_file_name(&name).as_deref(), Some(id));
        }
        assert_eq!(
            action_file_name("chat_postMessage"),
            "chat_postMessage.json"
        );
        assert_eq!(action_file_name("a/b"), "a%2Fb.json");
    }

    #[test]
    fn no_action_id_becomes_a_hidden_or_traversing_file_name() {
        for id in [
            ".hidden",
            "..",
            ".",
            "../../x",
            "/etc/passwd",
            "a\\b",
            "...json",
        ] {
            let name = action_file_name(id);
            assert!(!name.starts_with('.'), "{id:?} -> {name}");
            assert!(!name.contains(['/', '\\']), "{id:?} -> {name}");
            assert_eq!(action_id_from_file_name(&name).as_deref(), Some(id));
        }
        assert_eq!(action_file_name(".x"), "%2Ex.json");
        assert!(unsafe_action_id("").is_some());
        assert!(unsafe_action_id(&"a".repeat(300)).is_some());
        assert!(
            unsafe_action_id("../../x").is_none(),
            "encoded, so harmless"
        );
    }

    #[test]
    fn connector_ids_must_be_one_plain_segment() {
        for bad in [
            "", ".", "..", ".hidden", "../../x", "/abs", "a/b", "a\\b", "a\0b", "a\nb",
        ] {
            assert!(unsafe_connector_id(bad).is_some(), "{bad:?}");
        }
        for good in ["hubspot", "zoho-crm", "acuity.scheduling", "café", "a..b"] {
            assert_eq!(unsafe_connector_id(good), None, "{good:?}");
        }
    }

    #[test]
    fn canonical_json_sorts_and_indents() {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":{"d":[1,2],"c":null}}"#).unwrap();
        assert_eq!(
            to_canonical_json(&v),
            "{\n  \"a\": {\n    \"c\": null,\n    \"d\": [\n      1,\n      2\n    ]\n  },\n  \"b\": 1\n}\n"
        );
    }
}
