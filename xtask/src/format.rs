//! Formats generated Rust with the toolchain's `rustfmt`, so checked-in bindings are exactly what
//! `cargo fmt --check` expects (prettyplease's layout differs from rustfmt's in many places).

use std::io::Write;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::write::FileSet;

/// Rewrites every `.rs` file of `files` in rustfmt's style (edition 2024), two at a time.
pub fn rustfmt_all(files: &mut FileSet) -> Result<()> {
    let paths: Vec<String> = files
        .keys()
        .filter(|p| p.ends_with(".rs"))
        .cloned()
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let chunks: Vec<&[String]> = paths.chunks(paths.len().div_ceil(workers).max(1)).collect();
    let formatted: Vec<Result<Vec<(String, String)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let files = &*files;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|path| {
                            let text = rustfmt(&files[path])
                                .with_context(|| format!("formatting generated {path}"))?;
                            Ok((path.clone(), text))
                        })
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| bail!("a rustfmt worker thread failed"))
            })
            .collect()
    });
    for chunk in formatted {
        for (path, text) in chunk? {
            files.insert(path, text);
        }
    }
    Ok(())
}

fn rustfmt(source: &str) -> Result<String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| {
            format!("cannot run `{rustfmt}` (install it with `rustup component add rustfmt`)")
        })?;
    let mut stdin = child.stdin.take().context("rustfmt has no stdin")?;
    let input = source.to_owned();
    // Write on another thread: rustfmt may fill its stdout pipe before reading all of stdin.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().context("waiting for rustfmt")?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("the rustfmt writer thread failed"))?
        .context("writing to rustfmt")?;
    if !output.status.success() {
        bail!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).context("rustfmt wrote invalid UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rust_files_only() {
        let mut files = FileSet::new();
        files.insert("a/src/lib.rs".into(), "pub fn f( )->u8{1}".into());
        files.insert("a/Cargo.toml".into(), "[package]   ".into());
        rustfmt_all(&mut files).unwrap();
        assert_eq!(files["a/src/lib.rs"], "pub fn f() -> u8 {\n    1\n}\n");
        assert_eq!(files["a/Cargo.toml"], "[package]   ");
    }

    #[test]
    fn invalid_rust_is_an_error_naming_the_file() {
        let mut files = FileSet::new();
        files.insert("a/src/lib.rs".into(), "pub fn (".into());
        let err = rustfmt_all(&mut files).unwrap_err();
        assert!(format!("{err:#}").contains("a/src/lib.rs"), "{err:#}");
    }
}
