//! The write stage: make a folder hold exactly a set of generated files, touching only what changed.
//!
//! Modelled on rust-analyzer's `ensure_file_contents`: compare with what is on disk, write only on
//! change (via a temp file and rename, so a crash never leaves a half-written file), delete files
//! the generator no longer produces, and in check mode report instead of writing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Files keyed by their path relative to the output folder (`/`-separated), with their content.
pub type FileSet = BTreeMap<String, String>;

/// What the write stage did, or in check mode would do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: Vec<String>,
    pub unchanged: usize,
    pub removed: Vec<String>,
}

impl WriteSummary {
    /// Whether anything differs from the disk.
    pub fn is_stale(&self) -> bool {
        !self.written.is_empty() || !self.removed.is_empty()
    }
}

/// Whether to write, or only report what is stale.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    Write,
    Check,
}

/// Brings `root` in line with `files`. In [`Mode::Check`] nothing is touched and the summary says
/// what is stale.
///
/// The generator owns every file below each of `owned_dirs` (relative to `root`): those not in
/// `files` are deleted. Anything else under `root` is left alone.
pub fn sync(
    root: &Path,
    files: &FileSet,
    owned_dirs: &BTreeSet<String>,
    mode: Mode,
) -> io::Result<WriteSummary> {
    let mut summary = WriteSummary::default();
    for (rel, content) in files {
        let path = root.join(rel);
        let same = match fs::read(&path) {
            Ok(existing) => existing == content.as_bytes(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(with_path(e, &path)),
        };
        if same {
            summary.unchanged += 1;
            continue;
        }
        if let Mode::Write = mode {
            write_atomic(&path, content.as_bytes())?;
        }
        summary.written.push(rel.clone());
    }

    for dir in owned_dirs {
        for rel in list_files(root, dir)? {
            if files.contains_key(&rel) {
                continue;
            }
            if let Mode::Write = mode {
                let path = root.join(&rel);
                fs::remove_file(&path).map_err(|e| with_path(e, &path))?;
            }
            summary.removed.push(rel);
        }
        if let Mode::Write = mode {
            remove_empty_dirs(&root.join(dir))?;
        }
    }
    summary.removed.sort();
    Ok(summary)
}

/// Writes through a temp file in the same folder and renames it into place.
pub fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(|e| with_path(e, parent))?;
    io::Write::write_all(&mut tmp, content).map_err(|e| with_path(e, path))?;
    tmp.persist(path).map_err(|e| with_path(e.error, path))?;
    Ok(())
}

/// Every file below `root/dir`, as `/`-separated paths relative to `root`, sorted.
fn list_files(root: &Path, dir: &str) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(rel_dir) = stack.pop() {
        let abs = root.join(&rel_dir);
        let entries = match fs::read_dir(&abs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(with_path(e, &abs)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| with_path(e, &abs))?;
            let rel = rel_dir.join(entry.file_name());
            if entry.file_type().map_err(|e| with_path(e, &abs))?.is_dir() {
                stack.push(rel);
            } else {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn remove_empty_dirs(dir: &Path) -> io::Result<bool> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(with_path(e, dir)),
    };
    let mut empty = true;
    for entry in entries {
        let entry = entry.map_err(|e| with_path(e, dir))?;
        let path = entry.path();
        if !(path.is_dir() && remove_empty_dirs(&path)?) {
            empty = false;
        }
    }
    if empty {
        fs::remove_dir(dir).map_err(|e| with_path(e, dir))?;
    }
    Ok(empty)
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> FileSet {
        files
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let owned: BTreeSet<String> = ["gen".to_string()].into();
        fs::create_dir_all(root.join("gen/old/src")).unwrap();
        fs::write(root.join("gen/old/src/lib.rs"), "old").unwrap();
        fs::write(root.join("keep.txt"), "not ours").unwrap();

        let files = set(&[("gen/a/src/lib.rs", "a"), ("gen/a/Cargo.toml", "toml")]);
        let check = sync(root, &files, &owned, Mode::Check).unwrap();
        assert!(check.is_stale());
        assert_eq!(check.removed, ["gen/old/src/lib.rs"]);
        assert!(
            root.join("gen/old/src/lib.rs").exists(),
            "check mode writes nothing"
        );

        let first = sync(root, &files, &owned, Mode::Write).unwrap();
        assert_eq!(first.written.len(), 2);
        assert!(
            !root.join("gen/old").exists(),
            "empty folders of removed crates go too"
        );
        assert_eq!(
            fs::read_to_string(root.join("keep.txt")).unwrap(),
            "not ours"
        );

        let again = sync(root, &files, &owned, Mode::Write).unwrap();
        assert!(!again.is_stale());
        assert_eq!(again.unchanged, 2);
    }
}
