//! The write stage: make a folder hold exactly a set of generated crates, touching only what
//! changed and only what the generator made.
//!
//! Modelled on rust-analyzer's `ensure_file_contents`: compare with what is on disk, write only on
//! change (via a temp file and rename, so a crash never leaves a half-written file), delete files
//! the generator no longer produces, and in check mode report instead of writing. On top of that,
//! three guarantees keep a user's data and a Cargo workspace intact:
//!
//! - **Only marked folders are touched.** A crate folder is the generator's when its
//!   `Cargo.toml` carries the marker table (see [`is_generated_manifest`]); an existing folder
//!   without it, or a loose `Cargo.toml` without it, is refused before anything is written.
//! - **A crate appears complete.** A new crate is assembled in a hidden folder beside the
//!   output folder and renamed into place, so a workspace glob such as `generated/*` never sees
//!   a folder without its `Cargo.toml` or its `src/lib.rs`, even when the run is killed.
//! - **A crate disappears whole.** A crate that is no longer generated is renamed out of the
//!   output folder first, then deleted.
//!
//! Leftovers of an interrupted run (the hidden folders beside the output folder) are removed by
//! the next run.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Files keyed by their path relative to the output folder (`/`-separated), with their content.
pub type FileSet = BTreeMap<String, String>;

/// The marker tables: a crate manifest carries the first, a standalone workspace manifest the
/// second.
pub const MARKERS: [&str; 2] = ["[package.metadata.alloy]", "[workspace.metadata.alloy]"];

/// Whether a `Cargo.toml` text was written by the generator (it has a marker table line).
pub fn is_generated_manifest(text: &str) -> bool {
    text.lines().any(|line| MARKERS.contains(&line.trim()))
}

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

/// Why the write stage refused to run or failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A folder or manifest in the way was not made by the generator.
    #[error(
        "{}: {why}; it was not made by `cargo xtask regenerate` (no `[package.metadata.alloy]` in \
         its Cargo.toml), so nothing was written: move it away or choose another output folder",
        path.display()
    )]
    NotOurs { path: PathBuf, why: &'static str },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// The generator's output for one folder.
#[derive(Debug, Default, Clone)]
pub struct Output {
    /// Every file to be there, `/`-separated paths relative to the folder.
    pub files: FileSet,
    /// The top-level folders of `files` that are crates (each with its marked `Cargo.toml`).
    pub crates: BTreeSet<String>,
}

/// What [`sync`] will do, worked out from the disk without changing it.
#[derive(Debug)]
pub struct Plan {
    root: PathBuf,
    output: Output,
    /// Crates of `output` that are not on disk yet: assembled aside, then renamed in.
    new_crates: BTreeSet<String>,
    /// Marked crate folders on disk that `output` no longer has: removed whole.
    retired: BTreeSet<String>,
}

impl Plan {
    /// Checks `root` against `output`: every crate folder and loose manifest already there must
    /// be the generator's.
    pub fn new(root: &Path, output: Output) -> Result<Self, WriteError> {
        let marked = marked_folders(root)?;
        let mut new_crates = BTreeSet::new();
        for dir in output.crates.iter().filter(|dir| !marked.contains(*dir)) {
            let path = root.join(dir);
            match unmarked_folder(&path)? {
                Folder::Missing | Folder::Empty => {
                    new_crates.insert(dir.clone());
                }
                Folder::Foreign(why) => return Err(WriteError::NotOurs { path, why }),
            }
        }
        for rel in output.files.keys() {
            if output.crates.contains(top_folder(rel)) {
                continue;
            }
            let path = root.join(rel);
            match fs::read_to_string(&path) {
                Ok(text) if is_generated_manifest(&text) => {}
                Ok(_) => {
                    let why = "a file the generator would replace is in the way";
                    return Err(WriteError::NotOurs { path, why });
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(with_path(e, &path).into()),
            }
        }
        let retired = marked
            .into_iter()
            .filter(|dir| !output.crates.contains(dir))
            .collect();
        Ok(Self {
            root: root.to_path_buf(),
            output,
            new_crates,
            retired,
        })
    }

    /// Crate folders that will be removed because the catalog no longer has their connector.
    pub fn retired(&self) -> &BTreeSet<String> {
        &self.retired
    }
}

/// What is at a crate's folder that does not carry the marker.
enum Folder {
    Missing,
    /// An empty folder: nothing to lose, so it is taken.
    Empty,
    Foreign(&'static str),
}

fn unmarked_folder(path: &Path) -> io::Result<Folder> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Folder::Missing),
        Err(e) => return Err(with_path(e, path)),
    };
    if !meta.is_dir() {
        return Ok(Folder::Foreign("it is in the way and is not a folder"));
    }
    if fs::read_dir(path)
        .map_err(|e| with_path(e, path))?
        .next()
        .is_none()
    {
        return Ok(Folder::Empty);
    }
    Ok(Folder::Foreign(if path.join("Cargo.toml").is_file() {
        "the folder exists and its Cargo.toml is someone else's"
    } else {
        "the folder exists and has no Cargo.toml"
    }))
}

/// The top-level folders of `root` whose `Cargo.toml` carries the marker.
fn marked_folders(root: &Path) -> io::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let entries = match fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(with_path(e, root)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| with_path(e, root))?;
        if !entry.file_type().map_err(|e| with_path(e, root))?.is_dir() {
            continue;
        }
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if let Ok(text) = fs::read_to_string(entry.path().join("Cargo.toml"))
            && is_generated_manifest(&text)
        {
            out.insert(name);
        }
    }
    Ok(out)
}

fn top_folder(rel: &str) -> &str {
    rel.split('/').next().unwrap_or(rel)
}

/// Brings the folder in line with the plan. In [`Mode::Check`] nothing is touched and the
/// summary says what is stale.
pub fn sync(plan: &Plan, mode: Mode) -> io::Result<WriteSummary> {
    let root = &plan.root;
    let write = matches!(mode, Mode::Write);
    let mut summary = WriteSummary::default();
    let staging = Staging::new(root);
    if write {
        staging.remove_leftovers()?;
    }

    // Crates first, loose files (a standalone workspace's member list) last, so a member is
    // listed only once it is complete.
    let (in_crates, loose): (Vec<_>, Vec<_>) = plan
        .output
        .files
        .iter()
        .partition(|(rel, _)| plan.output.crates.contains(top_folder(rel)));
    let files: Vec<(&String, &String)> = in_crates.into_iter().chain(loose).collect();
    let mut same = compare_all(root, &files, |rel| {
        plan.new_crates.contains(top_folder(rel))
    });
    let mut by_crate: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (i, (rel, content)) in files.iter().enumerate() {
        let top = top_folder(rel);
        if plan.new_crates.contains(top) {
            by_crate.entry(top).or_default().push((rel, content));
            summary.written.push((*rel).clone());
            continue;
        }
        if write && !by_crate.is_empty() && !plan.output.crates.contains(top) {
            for (dir, files) in std::mem::take(&mut by_crate) {
                staging.add_crate(dir, &files)?;
            }
        }
        let path = root.join(rel);
        let same = same[i]
            .take()
            .unwrap_or(Ok(false))
            .map_err(|e| with_path(e, &path))?;
        if same {
            summary.unchanged += 1;
            continue;
        }
        if write {
            write_atomic(&path, content.as_bytes())?;
        }
        summary.written.push((*rel).clone());
    }
    if write {
        for (dir, files) in &by_crate {
            staging.add_crate(dir, files)?;
        }
    }

    // Files a kept crate no longer has.
    for dir in &plan.output.crates {
        if plan.new_crates.contains(dir) {
            continue;
        }
        for rel in list_files(root, dir)? {
            if plan.output.files.contains_key(&rel) {
                continue;
            }
            if write {
                let path = root.join(&rel);
                fs::remove_file(&path).map_err(|e| with_path(e, &path))?;
            }
            summary.removed.push(rel);
        }
        if write {
            remove_empty_dirs(&root.join(dir), false)?;
        }
    }
    for dir in &plan.retired {
        summary.removed.extend(list_files(root, dir)?);
        if write {
            staging.retire(dir)?;
        }
    }
    summary.written.sort();
    summary.removed.sort();
    Ok(summary)
}

/// Bytes of a file compared at a time with what the generator made.
const COMPARE_CHUNK: usize = 64 << 10;

/// Whether each of `files` already holds its content on disk ([`holds`]), worked out on all
/// cores; `None` for the files `skip` names (they go into new crates) and for any a failed
/// thread left out. A warm run writes nothing and compares the whole output, tens of
/// megabytes, after generation: on one core that was a tenth of the run.
fn compare_all(
    root: &Path,
    files: &[(&String, &String)],
    skip: impl Fn(&str) -> bool + Sync,
) -> Vec<Option<io::Result<bool>>> {
    let workers = alloy_model::parallel::Workers::default();
    // A thread that panicked (a bug) leaves its file `None`: it counts as changed, so it is
    // written again (or reported stale), never wrongly kept.
    alloy_model::parallel::run_all(
        files.len(),
        &workers,
        || vec![0; COMPARE_CHUNK],
        |chunk, i| {
            let (rel, content) = files[i];
            (!skip(rel)).then(|| holds(&root.join(rel), content.as_bytes(), chunk))
        },
    )
    .into_iter()
    .map(Option::flatten)
    .collect()
}

/// Whether the file at `path` holds exactly `content` (false when there is none). The file is
/// read a chunk at a time into `chunk` and compared as it comes, after its length: reading
/// each whole file into a fresh allocation touched as many fresh pages as the output has
/// bytes, for a warm run that writes nothing.
fn holds(path: &Path, content: &[u8], chunk: &mut [u8]) -> io::Result<bool> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        // Not a file (a folder in the way, say): reading it gives the error to report.
        return fs::read(path).map(|existing| existing == content);
    }
    if meta.len() != content.len() as u64 {
        return Ok(false);
    }
    let mut rest = content;
    loop {
        let n = match io::Read::read(&mut file, chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(rest.is_empty());
        }
        match rest.split_at_checked(n) {
            Some((head, tail)) if chunk.get(..n) == Some(head) => rest = tail,
            // Different bytes, or the file grew since its length was read.
            _ => return Ok(false),
        }
    }
}

/// Hidden folders beside the output folder, where crates are assembled and retired.
struct Staging {
    root: PathBuf,
    parent: PathBuf,
    prefix: String,
}

impl Staging {
    fn new(root: &Path) -> Self {
        let parent = root
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = root
            .file_name()
            .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        Self {
            root: root.to_path_buf(),
            parent,
            prefix: format!(".{name}.staging-"),
        }
    }

    fn temp_dir(&self) -> io::Result<PathBuf> {
        fs::create_dir_all(&self.parent).map_err(|e| with_path(e, &self.parent))?;
        let dir = tempfile::Builder::new()
            .prefix(&self.prefix)
            .tempdir_in(&self.parent)
            .map_err(|e| with_path(e, &self.parent))?;
        Ok(dir.keep())
    }

    /// Writes a whole crate aside, then renames it to `root/dir` in one step.
    fn add_crate(&self, dir: &str, files: &[(&str, &str)]) -> io::Result<()> {
        let stage = self.temp_dir()?;
        let assembled = stage.join(dir);
        for (rel, content) in files {
            write_atomic(&stage.join(rel), content.as_bytes())?;
        }
        let target = self.root.join(dir);
        fs::create_dir_all(&self.root).map_err(|e| with_path(e, &self.root))?;
        // An empty folder in the way (checked by the plan) is replaced.
        match fs::remove_dir(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(with_path(e, &target)),
        }
        fs::rename(&assembled, &target).map_err(|e| with_path(e, &target))?;
        fs::remove_dir_all(&stage).map_err(|e| with_path(e, &stage))
    }

    /// Moves `root/dir` out of the output folder, then deletes it.
    fn retire(&self, dir: &str) -> io::Result<()> {
        let stage = self.temp_dir()?;
        let from = self.root.join(dir);
        fs::rename(&from, stage.join(dir)).map_err(|e| with_path(e, &from))?;
        fs::remove_dir_all(&stage).map_err(|e| with_path(e, &stage))
    }

    /// Removes the staging folders an interrupted run left behind.
    fn remove_leftovers(&self) -> io::Result<()> {
        let entries = match fs::read_dir(&self.parent) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(with_path(e, &self.parent)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| with_path(e, &self.parent))?;
            let ours = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&self.prefix));
            if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
                let path = entry.path();
                fs::remove_dir_all(&path).map_err(|e| with_path(e, &path))?;
            }
        }
        Ok(())
    }
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

/// Removes the empty folders below `dir` (and `dir` itself when `itself`); says whether `dir`
/// ended up empty.
fn remove_empty_dirs(dir: &Path, itself: bool) -> io::Result<bool> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(with_path(e, dir)),
    };
    let mut empty = true;
    for entry in entries {
        let entry = entry.map_err(|e| with_path(e, dir))?;
        let path = entry.path();
        if !(entry.file_type().is_ok_and(|t| t.is_dir()) && remove_empty_dirs(&path, true)?) {
            empty = false;
        }
    }
    if empty && itself {
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

    const MANIFEST: &str = "[package]\nname = \"x\"\n\n[package.metadata.alloy]\n";

    fn output(files: &[(&str, &str)]) -> Output {
        let files: FileSet = files
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect();
        let crates = files
            .keys()
            .filter(|k| k.contains('/'))
            .map(|k| top_folder(k).to_owned())
            .collect();
        Output { files, crates }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_only_changes_and_removes_stale_crates() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("gen");
        fs::create_dir_all(root.join("old/src")).unwrap();
        fs::write(root.join("old/Cargo.toml"), MANIFEST).unwrap();
        fs::write(root.join("old/src/lib.rs"), "old").unwrap();
        fs::write(root.join("keep.txt"), "not ours").unwrap();

        let files = output(&[("a/src/lib.rs", "a"), ("a/Cargo.toml", MANIFEST)]);
        let plan = Plan::new(&root, files.clone()).unwrap();
        assert_eq!(plan.retired().iter().collect::<Vec<_>>(), ["old"]);
        let check = sync(&plan, Mode::Check).unwrap();
        assert!(check.is_stale());
        assert_eq!(check.removed, ["old/Cargo.toml", "old/src/lib.rs"]);
        assert!(
            root.join("old/src/lib.rs").exists(),
            "check mode writes nothing"
        );

        let first = sync(&plan, Mode::Write).unwrap();
        assert_eq!(first.written.len(), 2);
        assert!(!root.join("old").exists(), "a removed crate goes whole");
        assert_eq!(
            fs::read_to_string(root.join("keep.txt")).unwrap(),
            "not ours"
        );
        assert_eq!(entries(dir.path()), ["gen"], "no staging folder is left");

        let again = sync(&Plan::new(&root, files).unwrap(), Mode::Write).unwrap();
        assert!(!again.is_stale());
        assert_eq!(again.unchanged, 2);
    }

    /// The comparison with the disk runs on several threads; what it finds must not depend on
    /// which thread compared which file.
    #[test]
    fn compared_in_parallel_each_file_is_judged_on_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("gen");
        let mut files = vec![("a/Cargo.toml".to_owned(), MANIFEST.to_owned())];
        for i in 0..300 {
            files.push((format!("a/src/m{i:03}.rs"), format!("// {i}\n").repeat(i)));
        }
        let as_refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        sync(&Plan::new(&root, output(&as_refs)).unwrap(), Mode::Write).unwrap();

        // Every third file changes on disk: same length with other bytes, a byte more, or
        // gone.
        for i in (3..300).step_by(3) {
            let path = root.join(format!("a/src/m{i:03}.rs"));
            match i % 9 {
                0 => fs::write(&path, format!("// {i}\n").repeat(i).replace('/', "#")).unwrap(),
                3 => fs::write(&path, format!("{}x", format!("// {i}\n").repeat(i))).unwrap(),
                _ => fs::remove_file(&path).unwrap(),
            }
        }
        let stale: Vec<String> = (3..300)
            .step_by(3)
            .map(|i| format!("a/src/m{i:03}.rs"))
            .collect();
        for _ in 0..3 {
            let check = sync(&Plan::new(&root, output(&as_refs)).unwrap(), Mode::Check).unwrap();
            assert_eq!(check.written, stale);
            assert_eq!(check.unchanged, files.len() - stale.len());
        }
        let written = sync(&Plan::new(&root, output(&as_refs)).unwrap(), Mode::Write).unwrap();
        assert_eq!(written.written, stale);
        let again = sync(&Plan::new(&root, output(&as_refs)).unwrap(), Mode::Check).unwrap();
        assert!(!again.is_stale());
    }

    #[test]
    fn a_folder_without_the_marker_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("shippo/src")).unwrap();
        fs::write(root.join("shippo/NOTES.md"), "mine").unwrap();
        fs::write(root.join("shippo/src/main.rs"), "fn main() {}").unwrap();
        let files = output(&[
            ("hubspot/Cargo.toml", MANIFEST),
            ("shippo/Cargo.toml", MANIFEST),
            ("shippo/src/lib.rs", ""),
        ]);
        let err = Plan::new(root, files).unwrap_err();
        assert!(matches!(&err, WriteError::NotOurs { path, .. } if path.ends_with("shippo")));
        assert!(err.to_string().contains("nothing was written"), "{err}");
        assert!(!root.join("hubspot").exists());
        assert_eq!(
            fs::read_to_string(root.join("shippo/NOTES.md")).unwrap(),
            "mine"
        );

        // A loose manifest of someone else's is refused too.
        let root2 = tempfile::tempdir().unwrap();
        fs::write(root2.path().join("Cargo.toml"), "[workspace]\n").unwrap();
        let err = Plan::new(
            root2.path(),
            output(&[("Cargo.toml", "[workspace.metadata.alloy]")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("Cargo.toml"), "{err}");
    }

    #[test]
    fn leftovers_of_an_interrupted_run_are_removed_and_an_empty_folder_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("gen");
        fs::create_dir_all(dir.path().join(".gen.staging-abc123/x/src")).unwrap();
        fs::create_dir_all(root.join("a")).unwrap();
        let plan = Plan::new(&root, output(&[("a/Cargo.toml", MANIFEST)])).unwrap();
        sync(&plan, Mode::Write).unwrap();
        assert_eq!(entries(dir.path()), ["gen"]);
        assert_eq!(
            fs::read_to_string(root.join("a/Cargo.toml")).unwrap(),
            MANIFEST
        );
    }
}
