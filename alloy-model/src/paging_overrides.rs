//! Corrections to [`paging::detect`](crate::paging::detect), for actions whose sample shows too little
//! (or misleads): one JSON file that the generator and the mock read beside the catalog, so a
//! fetch, which replaces the catalog, keeps it.
//!
//! ```json
//! {
//!   "slack": {
//!     "adminTeamsList": {"items": "/teams", "style": "cursor", "param": "cursor",
//!                        "next": "/response_metadata/next_cursor"}
//!   },
//!   "asana": { "createStatusForObject": null }
//! }
//! ```
//!
//! Connector id → action id → a [`Paging`] (the style and its members, as in the module docs
//! of [`crate::paging`]), or `null` for an action that does not page whatever its parameters
//! suggest. Actions not named keep what `detect` finds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Action;
use crate::paging::{Paging, detect};

/// The file name the generator and the mock look for beside a catalog folder.
pub const OVERRIDES_FILE: &str = "paging-overrides.json";

/// Paging corrections by connector and action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagingOverrides {
    by_connector: BTreeMap<String, BTreeMap<String, Option<Paging>>>,
}

/// Why an overrides file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum OverridesError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: at `{json_path}`: {message}")]
    Json {
        path: PathBuf,
        json_path: String,
        message: String,
    },
}

impl PagingOverrides {
    /// The overrides of the catalog at `catalog_dir`: its sibling file [`OVERRIDES_FILE`]
    /// (`catalog/` → `paging-overrides.json` beside it), or none when there is no such file.
    pub fn beside(catalog_dir: &Path) -> Result<Self, OverridesError> {
        let file = match catalog_dir.parent() {
            Some(parent) => parent.join(OVERRIDES_FILE),
            None => return Ok(Self::default()),
        };
        if !file.is_file() {
            return Ok(Self::default());
        }
        Self::load(&file)
    }

    /// Reads an overrides file, naming the JSON path of a mistake.
    pub fn load(path: &Path) -> Result<Self, OverridesError> {
        let text = std::fs::read_to_string(path).map_err(|source| OverridesError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text).map_err(|(json_path, message)| OverridesError::Json {
            path: path.to_path_buf(),
            json_path,
            message,
        })
    }

    /// Parses the JSON text of an overrides file; on failure, the JSON path and message.
    pub fn parse(text: &str) -> Result<Self, (String, String)> {
        let by_connector = crate::snapshot::parse_json(text)?;
        Ok(Self { by_connector })
    }

    /// How `action` of `connector` pages: the override when there is one, else [`detect`].
    pub fn resolve(&self, connector: &str, action: &Action) -> Option<Paging> {
        match self
            .by_connector
            .get(connector)
            .and_then(|actions| actions.get(action.id.as_str()))
        {
            Some(paging) => paging.clone(),
            None => detect(action),
        }
    }

    /// Whether no override is set.
    pub fn is_empty(&self) -> bool {
        self.by_connector.values().all(BTreeMap::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paging::PageStyle;
    use serde_json::json;

    fn action(id: &str, sample: serde_json::Value) -> Action {
        serde_json::from_value(json!({
            "id": id, "httpMethod": "get", "path": "/x",
            "parameters": [{"name": "cursor", "in": "query"}],
            "sampleSuccessResponse": sample
        }))
        .unwrap()
    }

    #[test]
    fn an_override_adds_replaces_or_removes_paging() {
        let overrides = PagingOverrides::parse(
            r#"{"slack": {
                "teamsList": {"items": "/teams", "style": "cursor", "param": "cursor",
                              "next": "/response_metadata/next_cursor"},
                "looksPaged": null
            }}"#,
        )
        .unwrap();
        let missed = action("teamsList", json!({"ok": true}));
        assert_eq!(crate::paging::detect(&missed), None);
        let paging = overrides.resolve("slack", &missed).unwrap();
        assert_eq!(paging.items.as_deref(), Some("/teams"));
        assert!(matches!(paging.style, PageStyle::Cursor { .. }));

        let paged = action("looksPaged", json!({"data": [], "next_cursor": "x"}));
        assert!(crate::paging::detect(&paged).is_some());
        assert_eq!(
            overrides.resolve("slack", &paged),
            None,
            "null turns paging off"
        );
        assert!(
            overrides.resolve("other", &paged).is_some(),
            "other connectors keep detect"
        );
    }

    #[test]
    fn a_mistake_names_its_json_path() {
        let (path, message) =
            PagingOverrides::parse(r#"{"slack": {"a": {"style": "sideways"}}}"#).unwrap_err();
        assert!(path.contains("slack") && path.contains('a'), "{path}");
        assert!(
            message.contains("sideways") || message.contains("variant"),
            "{message}"
        );
    }
}
