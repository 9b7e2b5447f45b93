//! Progress of a fetch: an indicatif bar on a terminal, plain lines otherwise (CI logs).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Counts connectors and actions as they arrive.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    connectors: usize,
}

impl Progress {
    pub fn new(connectors: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} fetching [{bar:30}] {pos}/{len} actions ({per_sec}) {msg}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Self { bar, connectors }
    }

    pub fn add_actions(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc_length(n as u64);
        }
    }

    pub fn action_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn connector_done(&self, id: &str, actions: usize) {
        match &self.bar {
            Some(bar) => bar.set_message(format!("{id} done")),
            None => eprintln!("fetched {id}: {actions} actions"),
        }
    }

    pub fn finish(&self) {
        match &self.bar {
            Some(bar) => bar.finish_and_clear(),
            None => eprintln!("fetched {} connectors", self.connectors),
        }
    }
}
