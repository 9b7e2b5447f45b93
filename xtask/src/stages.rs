//! What `cargo xtask regenerate` tells its user while it works: one line per stage on stderr,
//! and a progress bar over the actions while crates are generated (on a terminal only, so CI
//! logs stay plain lines).

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

/// Reports stages on stderr, or nothing (for tests and library callers).
#[derive(Debug)]
pub struct Stages {
    verbose: bool,
    started: Instant,
}

impl Stages {
    /// Says nothing.
    pub fn quiet() -> Self {
        Self {
            verbose: false,
            started: Instant::now(),
        }
    }

    /// Reports on stderr.
    pub fn stderr() -> Self {
        Self {
            verbose: true,
            started: Instant::now(),
        }
    }

    fn line(&self, text: std::fmt::Arguments<'_>) {
        if self.verbose {
            eprintln!("[{:>5.1}s] {text}", self.started.elapsed().as_secs_f64());
        }
    }

    pub fn listed(&self, connectors: usize, action_files: usize) {
        self.line(format_args!(
            "catalog: {connectors} connectors, {action_files} action files"
        ));
    }

    /// A bar counting generated actions, shown while it lives.
    pub fn generating(&self, actions: usize) -> Option<ProgressBar> {
        if !self.verbose || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::new(actions as u64);
        if let Ok(style) =
            ProgressStyle::with_template("generating [{bar:30}] {pos}/{len} actions ({per_sec})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Some(bar)
    }

    pub fn generated(&self, crates: usize, actions: usize, types: usize, warnings: usize) {
        self.line(format_args!(
            "generated: {crates} crates, {actions} actions, {types} types, {warnings} warnings"
        ));
    }

    pub fn written(&self, written: usize, unchanged: usize, removed: usize) {
        self.line(format_args!(
            "files: {written} written, {unchanged} unchanged, {removed} removed"
        ));
    }
}
