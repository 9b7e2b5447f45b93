//! Workspace members that depend on generated crates: a crate some member depends on must not
//! be removed, or Cargo cannot load the workspace any more, and then `cargo xtask` itself
//! cannot run to repair it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use toml_edit::{DocumentMut, Item, Table};

/// One dependency on a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The manifest that declares the dependency.
    pub manifest: PathBuf,
    /// The package depended on.
    pub package: String,
}

/// The dependencies, declared by members of the workspace at `root` that live outside
/// `generated_root`, on any of `packages`.
pub fn pins_on(root: &Path, generated_root: &Path, packages: &[String]) -> Result<Vec<Pin>> {
    if packages.is_empty() {
        return Ok(Vec::new());
    }
    let root_manifest = root.join("Cargo.toml");
    let root_doc = read(&root_manifest)?;
    let mut manifests = vec![root_manifest.clone()];
    let members = root_doc
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(Item::as_array);
    for pattern in members.into_iter().flatten().filter_map(|m| m.as_str()) {
        for dir in expand(root, pattern)? {
            if !dir.starts_with(generated_root) {
                manifests.push(dir.join("Cargo.toml"));
            }
        }
    }
    let mut pins = Vec::new();
    for manifest in manifests {
        let doc = if manifest == root_manifest {
            root_doc.clone()
        } else {
            match fs::read_to_string(&manifest) {
                Ok(text) => parse(&manifest, &text)?,
                // A member without a manifest is Cargo's error to report, not ours.
                Err(_) => continue,
            }
        };
        for package in dependencies(doc.as_table()) {
            if packages.contains(&package) {
                pins.push(Pin {
                    manifest: manifest.clone(),
                    package,
                });
            }
        }
    }
    Ok(pins)
}

/// The package name in a crate manifest.
pub fn package_name(manifest: &Path) -> Result<Option<String>> {
    let doc = read(manifest)?;
    Ok(doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(Item::as_str)
        .map(str::to_owned))
}

fn read(path: &Path) -> Result<DocumentMut> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(path, &text)
}

fn parse(path: &Path, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>()
        .with_context(|| format!("{}: not valid TOML", path.display()))
}

/// The member folders a `members` entry names: a literal path, or `dir/*`.
fn expand(root: &Path, pattern: &str) -> Result<Vec<PathBuf>> {
    let Some(prefix) = pattern.strip_suffix("/*") else {
        return Ok(vec![root.join(pattern)]);
    };
    let dir = root.join(prefix);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            out.push(entry.path());
        }
    }
    Ok(out)
}

/// Every package a manifest depends on, in any dependency table (target-specific ones too),
/// by its real name (`package = ".."` renames are followed).
fn dependencies(doc: &Table) -> Vec<String> {
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&Table> = KINDS
        .iter()
        .filter_map(|k| doc.get(k).and_then(Item::as_table))
        .collect();
    if let Some(targets) = doc.get("target").and_then(Item::as_table) {
        for (_, target) in targets.iter() {
            if let Some(target) = target.as_table() {
                tables.extend(
                    KINDS
                        .iter()
                        .filter_map(|k| target.get(k).and_then(Item::as_table)),
                );
            }
        }
    }
    let mut out = Vec::new();
    for table in tables {
        for (key, value) in table.iter() {
            let renamed = value
                .as_table_like()
                .and_then(|t| t.get("package"))
                .and_then(Item::as_str);
            out.push(renamed.unwrap_or(key).to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_depending_on_a_package_in_any_table() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"tools/*\", \"generated/*\"]\n\
             [workspace.dependencies]\nalloy-a = { path = \"generated/a\" }\n",
        );
        write(
            "app/Cargo.toml",
            "[package]\nname = \"app\"\n[dev-dependencies]\nalloy-a.workspace = true\n",
        );
        write(
            "tools/t/Cargo.toml",
            "[package]\nname = \"t\"\n[target.'cfg(unix)'.dependencies]\nb = { package = \"alloy-b\", path = \"../../generated/b\" }\n",
        );
        write(
            "generated/c/Cargo.toml",
            "[package]\nname = \"alloy-c\"\n[dependencies]\nalloy-a = { path = \"../a\" }\n",
        );
        let packages: Vec<String> = ["alloy-a", "alloy-b", "alloy-z"].map(String::from).to_vec();
        let pins = pins_on(root, &root.join("generated"), &packages).unwrap();
        let found: Vec<(String, &str)> = pins
            .iter()
            .map(|p| {
                let rel = p.manifest.strip_prefix(root).unwrap();
                (rel.display().to_string(), p.package.as_str())
            })
            .collect();
        assert_eq!(
            found,
            [
                ("app/Cargo.toml".to_owned(), "alloy-a"),
                ("tools/t/Cargo.toml".to_owned(), "alloy-b")
            ]
        );
    }
}
