//! The public entry point: a whole catalog → one crate per connector, as text files.

use std::collections::BTreeMap;

use std::path::Path;

use alloy_model::parallel::{Workers, run_all};
use alloy_model::{Catalog, ConnectorFolder, ConnectorId, ConnectorSnapshot, LoadOptions};

use crate::emit;
use crate::typespace::{Coverage, Warning};

/// How to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GenerateOptions {
    /// The TOML value of each crate's `alloy-runtime` dependency, e.g.
    /// `{ path = "../../alloy-runtime" }` or `"0.1"`.
    pub runtime_dependency: String,
    /// Where the catalog was read from, as the header of every generated file names it
    /// (`catalog`, `../shared/catalogs`); `/<connector id>` follows.
    pub catalog_label: String,
    /// Corrections to the paging the generator detects (`paging-overrides.json`).
    pub paging_overrides: alloy_model::paging_overrides::PagingOverrides,
}

impl GenerateOptions {
    /// Options with the given `alloy-runtime` dependency value, for the catalog `catalog`.
    pub fn new(runtime_dependency: impl Into<String>) -> Self {
        Self {
            runtime_dependency: runtime_dependency.into(),
            catalog_label: "catalog".to_owned(),
            paging_overrides: Default::default(),
        }
    }

    /// Corrects or adds the paging of some actions (see [`alloy_model::paging_overrides`]).
    pub fn paging_overrides(
        mut self,
        overrides: alloy_model::paging_overrides::PagingOverrides,
    ) -> Self {
        self.paging_overrides = overrides;
        self
    }

    /// Names the catalog the headers say the files come from.
    pub fn catalog_label(mut self, label: impl Into<String>) -> Self {
        self.catalog_label = label.into();
        self
    }
}

/// Everything generated from a catalog.
#[derive(Debug, Clone)]
pub struct Generated {
    /// One crate per connector, sorted by connector id.
    pub crates: Vec<GeneratedCrate>,
}

impl Generated {
    /// Total actions over all crates.
    pub fn action_count(&self) -> usize {
        self.crates.iter().map(|c| c.actions).sum()
    }

    /// Total bytes of all generated files.
    pub fn byte_count(&self) -> usize {
        self.crates.iter().map(GeneratedCrate::byte_count).sum()
    }
}

/// One connector's crate.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// The connector it binds.
    pub connector: ConnectorId,
    /// Folder name under `generated/` (the connector id mapped to a crate-safe name, see
    /// [`crate::emit::crate_names`]).
    pub dir: String,
    /// Cargo package name (`alloy-<dir>`).
    pub package: String,
    /// Path relative to the crate folder (`/`-separated) → file content.
    pub files: BTreeMap<String, String>,
    /// Actions emitted (each exactly once).
    pub actions: usize,
    /// Named types in `src/types.rs`.
    pub types: usize,
    /// Schema parts that fell back to `serde_json::Value`, and other notes.
    pub warnings: Vec<Warning>,
    /// Schema nodes typed vs. not.
    pub coverage: Coverage,
}

impl GeneratedCrate {
    /// Total bytes of the crate's files.
    pub fn byte_count(&self) -> usize {
        self.files.values().map(String::len).sum()
    }
}

/// Why generation failed. Always names the connector and, where there is one, the action and
/// a JSON pointer into the snapshot file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// A resource lists an action that has no action file.
    #[error(
        "connector `{connector}`: resources.json at {pointer}: resource `{resource}` lists action `{action}`, which has no file under actions/"
    )]
    UnknownAction {
        connector: ConnectorId,
        resource: String,
        action: String,
        pointer: String,
    },
    /// The generator produced code that does not parse: a bug in the generator, reported
    /// with the file so it can be fixed rather than as a panic.
    #[error(
        "connector `{connector}`: generated {file} does not parse ({message}); this is a bug in alloy-codegen"
    )]
    InvalidOutput {
        connector: ConnectorId,
        file: String,
        message: String,
    },
    /// A connector's folder could not be read (the error names the file).
    #[error("reading the catalog: {0}")]
    Load(#[from] alloy_model::LoadError),
    /// The connector's catalog input could not be turned into canonical JSON for its hash.
    #[error("connector `{connector}`: cannot serialize {what} for the catalog hash: {message}")]
    Hash {
        connector: ConnectorId,
        what: String,
        message: String,
    },
}

/// Stack of each generator thread. `syn` and `prettyplease` recurse once per level of a type
/// (`Vec<Vec<…>>`), and the type space lets schemas nest [`MAX_DEPTH`](crate::typespace::MAX_DEPTH)
/// levels; the default 2 MiB overflowed (an abort naming no file) at about 50 levels in a debug
/// build. The stack is reserved, not committed: only the pages a deep schema touches are used.
const WORKER_STACK_BYTES: usize = 256 << 20;

/// Generates one crate per connector of `catalog`. Deterministic: the same catalog and
/// options give byte-identical files. Connectors are generated in parallel (one thread per
/// core); an error is reported for the first failing connector in id order.
pub fn generate(catalog: &Catalog, options: &GenerateOptions) -> Result<Generated, GenerateError> {
    generate_observed(catalog, options, &|_| {})
}

/// [`generate`], calling `crate_done` with the action count of each connector as its crate is
/// finished (from the generator's threads), for a progress bar.
pub fn generate_observed(
    catalog: &Catalog,
    options: &GenerateOptions,
    crate_done: &(dyn Fn(usize) + Sync),
) -> Result<Generated, GenerateError> {
    let names = emit::crate_names::assign(catalog.connectors.keys());
    let jobs: Vec<(&ConnectorId, &ConnectorSnapshot)> = catalog.connectors.iter().collect();
    let crates = in_parallel(
        &jobs,
        |(_, snapshot)| snapshot.actions.len() as u64,
        |(id, _)| id.as_str(),
        |&(id, snapshot)| {
            let result = emit::emit_crate(id, snapshot, &crate_dir(&names, id), options);
            crate_done(snapshot.actions.len());
            result
        },
    )?;
    Ok(Generated { crates })
}

/// [`generate_observed`] for the snapshot folder `dir`, read one connector at a time: each
/// generator thread loads a connector, generates its crate and frees it before taking the
/// next, so the snapshot is never in memory whole and reading overlaps generating. Errors,
/// of either kind, are reported for the first failing connector in id order.
pub fn generate_dir(
    dir: &Path,
    load: &LoadOptions,
    options: &GenerateOptions,
    crate_done: &(dyn Fn(usize) + Sync),
) -> Result<Generated, GenerateError> {
    let folders = Catalog::list(dir, load)?;
    generate_folders(&folders, load, options, crate_done)
}

/// [`generate_dir`] for folders already listed with [`Catalog::list`] (to report their number
/// first, say).
pub fn generate_folders(
    folders: &[ConnectorFolder],
    load: &LoadOptions,
    options: &GenerateOptions,
    crate_done: &(dyn Fn(usize) + Sync),
) -> Result<Generated, GenerateError> {
    // A folder whose name is no connector id fails to load; its name still orders it.
    let ids: Vec<ConnectorId> = folders
        .iter()
        .map(|f| ConnectorId::from(f.name().to_owned()))
        .collect();
    let names = emit::crate_names::assign(ids.iter());
    let jobs: Vec<(&ConnectorId, &ConnectorFolder)> = ids.iter().zip(folders).collect();
    let crates = in_parallel(
        &jobs,
        |(_, folder)| folder.bytes(),
        |(_, folder)| folder.name(),
        |&(id, folder)| {
            let snapshot = folder.load(load)?;
            let result = emit::emit_crate(id, &snapshot, &crate_dir(&names, id), options);
            crate_done(snapshot.actions.len());
            result
        },
    )?;
    Ok(Generated { crates })
}

fn crate_dir(names: &BTreeMap<ConnectorId, String>, id: &ConnectorId) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_string())
}

/// Runs `run` over `jobs` on one thread per core, the costliest first (so a big connector does
/// not start last and run alone), and returns the crates in job order, or the error of the
/// first job in that order that failed.
fn in_parallel<J: Sync>(
    jobs: &[J],
    cost: impl Fn(&J) -> u64,
    name: impl Fn(&J) -> &str,
    run: impl Fn(&J) -> Result<GeneratedCrate, GenerateError> + Sync,
) -> Result<Vec<GeneratedCrate>, GenerateError> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&jobs[i])));
    let workers = Workers {
        count: None,
        name: Some("alloy-codegen"),
        stack_bytes: Some(WORKER_STACK_BYTES),
    };
    let done = run_all(order.len(), &workers, || (), |(), k| run(&jobs[order[k]]));
    let mut results: Vec<Option<Result<GeneratedCrate, GenerateError>>> =
        jobs.iter().map(|_| None).collect();
    for (k, result) in done.into_iter().enumerate() {
        results[order[k]] = result;
    }
    results
        .into_iter()
        .enumerate()
        .map(|(i, result)| {
            // Only a panic inside a worker (or no worker at all) loses a result.
            result.unwrap_or_else(|| {
                Err(GenerateError::InvalidOutput {
                    connector: ConnectorId::from(name(&jobs[i]).to_owned()),
                    file: "(all files)".to_owned(),
                    message: "the generator thread for this connector stopped".to_owned(),
                })
            })
        })
        .collect()
}
