//! Comparing and copying snapshot folders.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::Path;

/// How two folders differ, by path relative to each root (`/`-separated, sorted).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TreeDiff {
    /// Files only in the expected folder.
    pub missing: Vec<String>,
    /// Files only in the actual folder.
    pub extra: Vec<String>,
    /// Files in both whose bytes differ but whose JSON values are equal (formatting only).
    pub formatting: Vec<String>,
    /// Files in both whose contents differ as JSON (or that are not JSON and differ).
    pub content: Vec<String>,
    /// How many files both folders hold with identical bytes.
    pub identical: usize,
}

impl TreeDiff {
    /// Same file set, every file byte-identical.
    pub fn is_identical(&self) -> bool {
        self.missing.is_empty()
            && self.extra.is_empty()
            && self.formatting.is_empty()
            && self.content.is_empty()
    }

    /// Same file set, every file equal as JSON.
    pub fn is_json_equal(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.content.is_empty()
    }
}

impl fmt::Display for TreeDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} identical files", self.identical)?;
        for (title, files) in [
            ("missing", &self.missing),
            ("extra", &self.extra),
            ("formatting differs", &self.formatting),
            ("content differs", &self.content),
        ] {
            if !files.is_empty() {
                let shown: Vec<&str> = files.iter().take(20).map(String::as_str).collect();
                writeln!(f, "{title} ({}): {}", files.len(), shown.join(", "))?;
            }
        }
        Ok(())
    }
}

/// Compares every file under `expected` with the file at the same path under `actual`.
pub fn compare_trees(expected: &Path, actual: &Path) -> io::Result<TreeDiff> {
    let want = list_files(expected)?;
    let got = list_files(actual)?;
    let mut diff = TreeDiff::default();
    for rel in want.keys() {
        if !got.contains_key(rel) {
            diff.missing.push(rel.clone());
        }
    }
    for rel in got.keys() {
        if !want.contains_key(rel) {
            diff.extra.push(rel.clone());
        }
    }
    for (rel, path) in &want {
        let Some(other) = got.get(rel) else { continue };
        let a = std::fs::read(path)?;
        let b = std::fs::read(other)?;
        if a == b {
            diff.identical += 1;
            continue;
        }
        let as_json = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).ok();
        match (as_json(&a), as_json(&b)) {
            (Some(x), Some(y)) if x == y => diff.formatting.push(rel.clone()),
            _ => diff.content.push(rel.clone()),
        }
    }
    Ok(diff)
}

/// Every file under `root`, by `/`-separated relative path.
fn list_files(root: &Path) -> io::Result<BTreeMap<String, std::path::PathBuf>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .map_err(io::Error::other)?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(rel, path);
            }
        }
    }
    Ok(files)
}

/// Copies the folder `from` to `to` (created), recursively.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_sorted_into_kinds() {
        let root = tempfile::tempdir().unwrap();
        let [a, b, c] = ["a", "b", "c"].map(|n| root.path().join(n));
        for (dir, files) in [
            (
                &a,
                [
                    ("x/same.json", "{\"k\": 1}\n"),
                    ("x/fmt.json", "{\"k\": 1}\n"),
                ],
            ),
            (
                &b,
                [("x/same.json", "{\"k\": 1}\n"), ("x/fmt.json", "{\"k\":1}")],
            ),
        ] {
            for (rel, text) in files {
                let path = dir.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        }
        std::fs::write(a.join("only-a.json"), "1").unwrap();
        std::fs::write(b.join("only-b.json"), "1").unwrap();
        std::fs::write(a.join("x/val.json"), "1").unwrap();
        std::fs::write(b.join("x/val.json"), "2").unwrap();
        let diff = compare_trees(&a, &b).unwrap();
        assert_eq!(diff.identical, 1);
        assert_eq!(diff.formatting, ["x/fmt.json"]);
        assert_eq!(diff.content, ["x/val.json"]);
        assert_eq!(diff.missing, ["only-a.json"]);
        assert_eq!(diff.extra, ["only-b.json"]);
        assert!(!diff.is_identical() && !diff.is_json_equal());

        copy_tree(&a, &c).unwrap();
        assert!(compare_trees(&a, &c).unwrap().is_identical());
    }
}
