//! Reading snapshot folders: every file parsed in parallel, errors reported in a fixed order.
//!
//! Work is shared out by file, not by connector: connectors differ in size by a factor of a
//! hundred (the two largest of the test corpus are two thirds of it), so one thread per
//! connector leaves a core idle for most of the load, and a snapshot of one connector would
//! load on one core. Results are assembled in order afterwards, so the error reported for a
//! broken snapshot is the first in (connector id, file) order, whichever thread met it.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::snapshot::{
    ACTIONS_DIR, CONNECTOR_FILE, CREDENTIALS_FILE, ConnectorSnapshot, LoadError, LoadOptions,
    RESOURCES_FILE, RawDocuments, parse_json,
};
use crate::{ActionEnvelope, ActionId, ConnectorSummary, CredentialsMetadata, ResourceList};

/// The files of one connector folder, in the order their errors are reported.
struct Folder {
    dir: PathBuf,
    /// `actions/*.json`, sorted, or why the folder could not be listed (reported after the
    /// fixed files' errors, where a sequential load would meet it).
    actions: Result<Vec<PathBuf>, LoadError>,
    /// Bytes of the action files, as listed.
    bytes: u64,
}

/// One connector folder of a snapshot, listed but not read: what a caller that handles one
/// connector at a time (and frees it before the next) loads from.
pub struct ConnectorFolder(Folder);

impl std::fmt::Debug for ConnectorFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorFolder")
            .field("dir", &self.0.dir)
            .field("action_files", &self.action_files())
            .field("bytes", &self.0.bytes)
            .finish()
    }
}

impl ConnectorFolder {
    pub(crate) fn list(dir: PathBuf) -> Self {
        Self(Folder::list(dir))
    }

    /// The folder's name, which a valid snapshot makes the connector id.
    pub fn name(&self) -> &str {
        self.0
            .dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    }

    /// How many action files the folder holds.
    pub fn action_files(&self) -> usize {
        self.0.action_files().len()
    }

    /// Bytes of the action files: a measure of how long the connector takes to load and to
    /// generate, better than the number of actions (one action's samples can outweigh a
    /// hundred others).
    pub fn bytes(&self) -> u64 {
        self.0.bytes
    }

    /// Reads and checks the folder on the calling thread, with the same checks and errors as
    /// [`Catalog::load`](crate::Catalog::load).
    pub fn load(&self, options: &LoadOptions) -> Result<ConnectorSnapshot, LoadError> {
        let folder = Folder {
            dir: self.0.dir.clone(),
            actions: match &self.0.actions {
                Ok(files) => Ok(files.clone()),
                // The listing's error again (an error is not `Clone`).
                Err(_) => read_action_files(&self.0.dir),
            },
            bytes: self.0.bytes,
        };
        load_folders(vec![folder], options, 1)?
            .pop()
            .ok_or_else(|| LoadError::Layout {
                path: self.0.dir.clone(),
                message: "connector was not loaded".into(),
            })
    }
}

/// One file to read, and what it holds.
#[derive(Clone, Copy)]
enum Kind {
    Connector,
    Resources,
    Credentials,
    Action,
}

/// A parsed file, and its text when asked to keep it.
enum Parsed {
    Connector(ConnectorSummary),
    Resources(ResourceList),
    Credentials(CredentialsMetadata),
    Action(Box<ActionEnvelope>),
}

type Document = Result<(Parsed, Option<Arc<str>>), LoadError>;

/// Loads the connector folders `dirs`, in that order.
pub(crate) fn connectors(
    folders: Vec<ConnectorFolder>,
    options: &LoadOptions,
) -> Result<Vec<ConnectorSnapshot>, LoadError> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    load_folders(folders.into_iter().map(|f| f.0).collect(), options, workers)
}

/// Loads `folders` with their files parsed on `workers` threads (the calling one among them).
fn load_folders(
    mut folders: Vec<Folder>,
    options: &LoadOptions,
    workers: usize,
) -> Result<Vec<ConnectorSnapshot>, LoadError> {
    let parsed = {
        let jobs: Vec<(&Path, Kind)> = folders.iter().flat_map(Folder::jobs).collect();
        parse_all(&jobs, options.keep_raw, workers)
    };
    let mut parsed = parsed.into_iter();
    folders
        .iter_mut()
        .map(|folder| folder.assemble(&mut parsed))
        .collect()
}

impl Folder {
    fn list(dir: PathBuf) -> Self {
        let actions = read_action_files(&dir);
        // A file that cannot be measured is measured as empty: the size only orders the work,
        // and reading the file reports what is wrong with it.
        let bytes = actions
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter_map(|path| fs::metadata(path).ok())
            .map(|m| m.len())
            .sum();
        Self {
            dir,
            actions,
            bytes,
        }
    }

    fn action_files(&self) -> &[PathBuf] {
        self.actions.as_deref().unwrap_or_default()
    }

    fn jobs(&self) -> impl Iterator<Item = (&Path, Kind)> {
        // The fixed files are named by their kind; the folder is the job's path.
        [Kind::Connector, Kind::Resources, Kind::Credentials]
            .into_iter()
            .map(|kind| (self.dir.as_path(), kind))
            .chain(
                self.action_files()
                    .iter()
                    .map(|p| (p.as_path(), Kind::Action)),
            )
    }

    /// Takes this folder's documents (as many as [`Folder::jobs`] gave) from `parsed`.
    fn assemble(
        &mut self,
        parsed: &mut impl Iterator<Item = Document>,
    ) -> Result<ConnectorSnapshot, LoadError> {
        let mut next = || {
            parsed.next().unwrap_or_else(|| {
                Err(LoadError::Layout {
                    path: self.dir.clone(),
                    message: "a file of this folder was not loaded".into(),
                })
            })
        };
        let (connector, connector_raw) = match next()? {
            (Parsed::Connector(c), raw) => (c, raw),
            _ => return Err(self.out_of_order()),
        };
        if let Some(folder) = self.dir.file_name().and_then(|n| n.to_str())
            && connector.id != folder
        {
            return Err(LoadError::Layout {
                path: self.dir.join(CONNECTOR_FILE),
                message: format!(
                    "connector id `{}` does not match its folder name `{folder}`",
                    connector.id
                ),
            });
        }
        let (resources, resources_raw) = match next()? {
            (Parsed::Resources(r), raw) => (r, raw),
            _ => return Err(self.out_of_order()),
        };
        let (credentials, credentials_raw) = match next()? {
            (Parsed::Credentials(c), raw) => (c, raw),
            _ => return Err(self.out_of_order()),
        };

        let mut actions = BTreeMap::new();
        let mut raw_actions = BTreeMap::new();
        let mut seen_in: BTreeMap<ActionId, &Path> = BTreeMap::new();
        // Taken, not borrowed: an error is not `Clone`, and the folder is assembled once.
        let files = std::mem::replace(&mut self.actions, Ok(Vec::new()))?;
        for path in &files {
            let (envelope, raw) = match next()? {
                (Parsed::Action(a), raw) => (a, raw),
                _ => return Err(self.out_of_order()),
            };
            let id = envelope.action.id.clone();
            if let Some(first) = seen_in.insert(id.clone(), path) {
                return Err(LoadError::Layout {
                    path: path.clone(),
                    message: format!("action id `{id}` is also defined in {}", first.display()),
                });
            }
            if let Some(raw) = raw {
                raw_actions.insert(id.clone(), raw);
            }
            actions.insert(id, envelope.action);
        }

        let raw = match (connector_raw, resources_raw, credentials_raw) {
            (Some(connector), Some(resources), Some(credentials)) => Some(RawDocuments {
                connector,
                resources,
                credentials,
                actions: raw_actions,
            }),
            _ => None,
        };
        Ok(ConnectorSnapshot {
            connector,
            resources,
            credentials,
            actions,
            raw,
        })
    }

    fn out_of_order(&self) -> LoadError {
        LoadError::Layout {
            path: self.dir.clone(),
            message: "the loader mixed up this folder's files".into(),
        }
    }
}

/// Parses every job on `workers` threads, results in job order. A panic while parsing a file
/// (a bug, never expected) becomes that file's error instead of taking the load down.
fn parse_all(jobs: &[(&Path, Kind)], keep_raw: bool, workers: usize) -> Vec<Document> {
    let workers = crate::parallel::Workers {
        count: Some(workers),
        ..Default::default()
    };
    // One text buffer per thread, reused from file to file: the corpus is a hundred megabytes,
    // and a fresh allocation per file touched as many fresh pages. It is cleared before each
    // use, so a panic cannot leave it half-valid for the next file.
    let parsed = crate::parallel::run_all(jobs.len(), &workers, String::new, |text, i| {
        let (path, kind) = jobs[i];
        parse_one(path, kind, keep_raw, text)
    });
    parsed
        .into_iter()
        .zip(jobs)
        .map(|(slot, (path, _))| {
            // `run_all` leaves a job `None` when it panicked or no thread could start.
            slot.unwrap_or_else(|| {
                Err(LoadError::Layout {
                    path: path.to_path_buf(),
                    message: "the loader panicked on this file (a bug), or could not start a \
                              thread"
                        .into(),
                })
            })
        })
        .collect()
}

fn parse_one(path: &Path, kind: Kind, keep_raw: bool, text: &mut String) -> Document {
    Ok(match kind {
        Kind::Connector => {
            let (v, raw) = read_document(&path.join(CONNECTOR_FILE), keep_raw, text)?;
            (Parsed::Connector(v), raw)
        }
        Kind::Resources => {
            let (v, raw) = read_document(&path.join(RESOURCES_FILE), keep_raw, text)?;
            (Parsed::Resources(v), raw)
        }
        Kind::Credentials => {
            let (v, raw) = read_document(&path.join(CREDENTIALS_FILE), keep_raw, text)?;
            (Parsed::Credentials(v), raw)
        }
        Kind::Action => {
            let (v, raw) = read_document(path, keep_raw, text)?;
            (Parsed::Action(Box::new(v)), raw)
        }
    })
}

/// `actions/*.json` of a connector folder, sorted (none when there is no `actions/`).
fn read_action_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let actions_dir = dir.join(ACTIONS_DIR);
    if !actions_dir.is_dir() {
        return Ok(Vec::new());
    }
    read_dir_sorted(&actions_dir).map(|paths| {
        paths
            .into_iter()
            .filter(|path| {
                path.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".json") && !n.starts_with('.'))
            })
            .collect()
    })
}

pub(crate) fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort();
    Ok(entries)
}

/// Reads and parses one file (its text into `text`), reporting the JSON path of a shape error;
/// the text is kept only when asked for (copying it costs as much as a quarter of the parse).
fn read_document<T: DeserializeOwned>(
    path: &Path,
    keep_raw: bool,
    text: &mut String,
) -> Result<(T, Option<Arc<str>>), LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Opening a FIFO blocks until a writer comes, and a device can be endless: only regular
    // files (or links to them) are read.
    if !fs::metadata(path).map_err(io)?.is_file() {
        return Err(LoadError::Layout {
            path: path.to_path_buf(),
            message: "not a regular file".into(),
        });
    }
    text.clear();
    fs::File::open(path)
        .and_then(|mut file| file.read_to_string(text))
        .map_err(io)?;
    let value = parse_json(text).map_err(|(json_path, message)| LoadError::Json {
        path: path.to_path_buf(),
        json_path,
        message,
    })?;
    Ok((value, keep_raw.then(|| Arc::from(text.as_str()))))
}
