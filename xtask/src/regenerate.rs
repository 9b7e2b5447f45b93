//! `cargo xtask regenerate` and `cargo xtask fetch`: the stages wired together.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use alloy_codegen::{GenerateOptions, Generated};
use alloy_model::{Catalog, ConnectorFolder, LoadOptions};
use anyhow::{Context, Result, bail};
use clap::Args;

use crate::stages::Stages;
use crate::write::{self, Mode, Output};
use crate::{FetchSource, repo_root};

#[derive(Debug, Args)]
pub struct RegenerateArgs {
    /// Catalog snapshot to generate from [default: catalog/ in this repository].
    #[arg(long, value_name = "DIR")]
    catalog: Option<PathBuf>,
    /// Folder to generate into [default: generated/ in this repository]. Outside the
    /// repository it becomes a standalone Cargo workspace.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Fetch the catalog from the API first (key from ALLOY_API_KEY).
    #[arg(long)]
    fetch: bool,
    /// Write nothing; exit 1 naming every file that differs from what the catalog gives.
    #[arg(long, conflicts_with = "fetch")]
    check: bool,
    /// The TOML value of each crate's `alloy-runtime` dependency, e.g. '"0.1"' or
    /// '{ git = "https://…" }' [default: this checkout's, by a relative path].
    #[arg(long, value_name = "TOML")]
    runtime_dependency: Option<String>,
    #[command(flatten)]
    source: FetchSource,
}

impl RegenerateArgs {
    /// Whether this run fetches from an API first.
    pub fn fetches(&self) -> bool {
        self.fetch
    }
}

pub fn run(args: RegenerateArgs) -> Result<ExitCode> {
    let root = repo_root();
    let catalog_dir = args.catalog.clone().unwrap_or_else(|| root.join("catalog"));
    let out = args.out.clone().unwrap_or_else(|| root.join("generated"));
    if !args.fetch && !args.source.connectors.is_empty() {
        bail!("--connector selects what to fetch: use it with --fetch");
    }

    let mut code = ExitCode::SUCCESS;
    if args.fetch {
        code = fetch_blocking(&catalog_dir, &args.source)?;
    }

    let mode = if args.check { Mode::Check } else { Mode::Write };
    let options = OutputOptions {
        runtime_dependency: args.runtime_dependency.clone(),
        catalog_label: None,
    };
    let outcome = generate_with(&catalog_dir, &out, mode, &options, &Stages::stderr())?;
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    let summary = &outcome.summary;
    if args.check {
        if summary.is_stale() {
            for f in &summary.written {
                eprintln!("stale: {}", out.join(f).display());
            }
            for f in &summary.removed {
                eprintln!("stale (no longer generated): {}", out.join(f).display());
            }
            eprintln!(
                "{} is out of date with {}: run `cargo xtask regenerate` to update it",
                out.display(),
                catalog_dir.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        eprintln!(
            "{} is up to date ({} files)",
            out.display(),
            summary.unchanged
        );
        return Ok(code);
    }
    Ok(code)
}

/// What one generation did.
#[derive(Debug)]
pub struct Outcome {
    pub connectors: usize,
    pub actions: usize,
    pub types: usize,
    /// Every type-space warning, formatted with connector, action and JSON pointer.
    pub warnings: Vec<String>,
    /// Files written (or, in check mode, stale), unchanged and removed.
    pub summary: write::WriteSummary,
}

/// Generates the crates of the snapshot at `catalog_dir` into `out` (or checks them, by `mode`).
///
/// Crates reach this checkout's `alloy-runtime` by a relative path. An `out` inside this
/// repository holds members of this workspace; anywhere else it becomes a standalone
/// workspace, so `cargo check --manifest-path <out>/Cargo.toml --workspace` builds it.
pub fn generate_into(catalog_dir: &Path, out: &Path, mode: Mode) -> Result<Outcome> {
    generate_with(
        catalog_dir,
        out,
        mode,
        &OutputOptions::default(),
        &Stages::quiet(),
    )
}

/// How the output reaches its dependencies.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// The TOML value of each crate's `alloy-runtime` dependency (`--runtime-dependency`),
    /// instead of this checkout's by a relative path.
    pub runtime_dependency: Option<String>,
    /// How the generated headers name the catalog, instead of its path relative to this
    /// repository (for a snapshot read from a temporary copy of `catalog/`, say).
    pub catalog_label: Option<String>,
}

/// [`generate_into`] with output options, reporting each stage through `stages`.
pub fn generate_with(
    catalog_dir: &Path,
    out: &Path,
    mode: Mode,
    options: &OutputOptions,
    stages: &Stages,
) -> Result<Outcome> {
    let folders = Catalog::list(catalog_dir, &LoadOptions::default())
        .with_context(|| format!("reading the catalog {}", catalog_dir.display()))?;
    let actions: usize = folders.iter().map(ConnectorFolder::action_files).sum();
    stages.listed(folders.len(), actions);
    let layout = OutputLayout::new(&repo_root(), out, options.runtime_dependency.as_deref())?;
    let paging = alloy_model::paging_overrides::PagingOverrides::beside(catalog_dir)
        .context("reading the paging overrides beside the catalog")?;
    let generate_options = GenerateOptions::new(layout.runtime_dependency())
        .paging_overrides(paging)
        .catalog_label(match &options.catalog_label {
            Some(label) => label.clone(),
            None => layout.catalog_label(catalog_dir)?,
        });
    let bar = stages.generating(actions);
    // One connector at a time per thread, each freed once its crate is made: the whole
    // snapshot in memory at once was a third of the run, most of it the kernel handing out
    // fresh zeroed pages.
    let generated = alloy_codegen::generate_folders(
        &folders,
        &LoadOptions::default(),
        &generate_options,
        &|actions| {
            if let Some(bar) = &bar {
                bar.inc(actions as u64);
            }
        },
    )
    .with_context(|| format!("generating the bindings of {}", catalog_dir.display()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let outcome_warnings: Vec<String> = generated
        .crates
        .iter()
        .flat_map(|c| c.warnings.iter().map(|w| w.to_string()))
        .collect();
    let types: usize = generated.crates.iter().map(|c| c.types).sum();
    let connectors = generated.crates.len();
    let actions = generated.action_count();
    stages.generated(connectors, actions, types, outcome_warnings.len());
    let output = layout.output(generated);
    let plan = write::Plan::new(out, output)?;
    layout.refuse_pinned_removals(out, &plan)?;
    let summary = write::sync(&plan, mode).with_context(|| format!("writing {}", out.display()))?;
    if let Mode::Write = mode {
        stages.written(
            summary.written.len(),
            summary.unchanged,
            summary.removed.len(),
        );
    }
    Ok(Outcome {
        connectors,
        actions,
        types,
        warnings: outcome_warnings,
        summary,
    })
}

/// [`fetch_only`] on a runtime of its own, for the synchronous command line.
#[cfg(feature = "fetch")]
pub fn fetch_blocking(out: &Path, source: &FetchSource) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(fetch_only(out, source))
}

/// Without the `fetch` feature there is no HTTP client to fetch with.
#[cfg(not(feature = "fetch"))]
pub fn fetch_blocking(_out: &Path, _source: &FetchSource) -> Result<ExitCode> {
    bail!(
        "this xtask was built without the `fetch` feature; run it as `cargo xtask`, which \
         rebuilds it with the feature when a command fetches"
    )
}

/// Fetches into `out` (replacing it atomically) and reports drift against what was there.
#[cfg(feature = "fetch")]
pub async fn fetch_only(out: &Path, source: &FetchSource) -> Result<ExitCode> {
    let key = std::env::var("ALLOY_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
        .context("fetching needs an API key: set ALLOY_API_KEY")?;
    let client = alloy_runtime::Client::builder()
        .api_key(key)
        .base_url(source.api_url.clone())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .context("configuring the API client")?;
    fetch_with(&client, out, source).await
}

/// Fetches through `client` into `out`, prints the drift against the previous snapshot, writes
/// `--report`, and says whether `--deny-breaking` should fail the command (exit code 2).
#[cfg(feature = "fetch")]
pub async fn fetch_with(
    client: &alloy_runtime::Client,
    out: &Path,
    source: &FetchSource,
) -> Result<ExitCode> {
    let previous = if out.is_dir() {
        Some(Catalog::load(out).with_context(|| {
            format!(
                "loading the previous snapshot {} to compare with",
                out.display()
            )
        })?)
    } else {
        None
    };

    let options = crate::fetch::FetchOptions {
        connectors: source.connectors.clone(),
        concurrency: source.concurrency,
    };
    let fetched = crate::fetch::fetch(client, &options)
        .await
        .with_context(|| format!("fetching from {}", source.api_url))?;
    crate::fetch::install(out, &fetched, !source.connectors.is_empty())
        .with_context(|| format!("writing the snapshot {}", out.display()))?;
    eprintln!(
        "fetched {} connectors, {} actions into {}",
        fetched.connectors,
        fetched.actions,
        out.display()
    );

    let Some(previous) = previous else {
        return Ok(ExitCode::SUCCESS);
    };
    let current = Catalog::load(out).with_context(|| format!("loading {}", out.display()))?;
    let report = crate::drift::DriftReport::compare(&previous, &current);
    let markdown = report.to_markdown();
    if !report.is_empty() {
        println!("{markdown}");
    } else {
        eprintln!("no drift against the previous snapshot");
    }
    if let Some(path) = &source.report {
        write::write_atomic(path, markdown.as_bytes())
            .with_context(|| format!("writing the drift report {}", path.display()))?;
    }
    if source.deny_breaking && report.breaking_count() > 0 {
        eprintln!(
            "error: {} breaking change(s) in the catalog (--deny-breaking)",
            report.breaking_count()
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Where generated crates go and how they reach `alloy-runtime`.
struct OutputLayout {
    /// Whether the output folder is inside this repository (its crates are members of this
    /// workspace); otherwise it becomes a standalone workspace.
    in_repo: bool,
    /// The TOML value of each crate's `alloy-runtime` dependency.
    runtime: String,
    /// This repository's root (absolute).
    root: PathBuf,
}

impl OutputLayout {
    /// `runtime` overrides the dependency (`--runtime-dependency`); by default it is this
    /// checkout's `alloy-runtime` by a path relative to each crate, so the output keeps
    /// building when it moves together with the checkout.
    fn new(root: &Path, out: &Path, runtime: Option<&str>) -> Result<Self> {
        let root = absolute(root)?;
        let out_abs = absolute(out)?;
        let runtime = match runtime {
            Some(value) => checked_toml_value(value)?,
            None => {
                let target = root.join("alloy-runtime");
                let path = relative_path(&out_abs.join("crate"), &target).unwrap_or(target);
                let text = path.to_string_lossy().replace('\\', "/");
                format!("{{ path = {} }}", toml_string(&text))
            }
        };
        Ok(Self {
            in_repo: out_abs.starts_with(&root),
            runtime,
            root,
        })
    }

    fn runtime_dependency(&self) -> String {
        self.runtime.clone()
    }

    /// How the generated headers name `catalog_dir`: relative to the repository's root where
    /// a relative path exists (`catalog`, `../shared/catalogs`), so the output does not depend
    /// on where the checkout lives.
    fn catalog_label(&self, catalog_dir: &Path) -> Result<String> {
        let catalog = absolute(catalog_dir)?;
        let label = relative_path(&self.root, &catalog).unwrap_or(catalog);
        let label = label.to_string_lossy().replace('\\', "/");
        Ok(if label.is_empty() { ".".into() } else { label })
    }

    /// The files to write, and which folders are crates.
    fn output(&self, generated: Generated) -> Output {
        let mut output = Output::default();
        let mut members = String::new();
        for c in generated.crates {
            members.push_str(&format!("    {},\n", toml_string(&c.dir)));
            for (rel, content) in c.files {
                // Moved, not copied: the files are tens of megabytes.
                output.files.insert(format!("{}/{rel}", c.dir), content);
            }
            output.crates.insert(c.dir);
        }
        if !self.in_repo {
            output.files.insert(
                "Cargo.toml".into(),
                format!(
                    "# Generated by `cargo xtask regenerate`. Do not edit.\n[workspace]\nresolver = \"3\"\nmembers = [\n{members}]\n\n# Marks this folder as the generator's.\n[workspace.metadata.alloy]\n"
                ),
            );
        }
        output
    }

    /// Refuses to remove a crate that a member of the enclosing workspace depends on: Cargo
    /// could not load the workspace afterwards, and `cargo xtask` could not run to repair it.
    fn refuse_pinned_removals(&self, out: &Path, plan: &write::Plan) -> Result<()> {
        if !self.in_repo || plan.retired().is_empty() {
            return Ok(());
        }
        let mut packages = Vec::new();
        for dir in plan.retired() {
            if let Some(name) = crate::pins::package_name(&out.join(dir).join("Cargo.toml"))? {
                packages.push(name);
            }
        }
        let pins = crate::pins::pins_on(&self.root, &absolute(out)?, &packages)?;
        if let Some(pin) = pins.first() {
            let listed = pins
                .iter()
                .map(|p| format!("{} ({})", p.manifest.display(), p.package))
                .collect::<Vec<_>>()
                .join(", ");
            bail!(
                "the catalog no longer has the connector of `{}`, but the workspace depends on \
                 it: {listed}; removing the crate would leave a workspace Cargo cannot load, so \
                 nothing was written. Remove that dependency, or restore the connector in the \
                 catalog, then run again",
                pin.package
            );
        }
        Ok(())
    }
}

/// `to` as seen from the folder `from` (both absolute and normalized), or `None` when no
/// relative path leads there (another drive).
fn relative_path(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = (common..from.len()).map(|_| "..").collect();
    path.extend(to[common..].iter());
    Some(path)
}

/// `value` if it is one TOML value (`"0.1"`, `{ git = "…" }`), else an error naming it.
fn checked_toml_value(value: &str) -> Result<String> {
    let value = value.trim();
    value
        .parse::<toml_edit::Value>()
        .map_err(|e| anyhow::anyhow!("--runtime-dependency {value:?} is not a TOML value: {e}"))?;
    Ok(value.to_owned())
}

/// An absolute, normalized path, even for one that does not exist yet.
fn absolute(path: &Path) -> Result<PathBuf> {
    let mut existing =
        std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    let mut rest = Vec::new();
    while !existing.exists() {
        let Some(name) = existing.file_name().map(|n| n.to_os_string()) else {
            break;
        };
        rest.push(name);
        existing.pop();
    }
    let mut resolved = existing
        .canonicalize()
        .with_context(|| format!("resolving {}", existing.display()))?;
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
