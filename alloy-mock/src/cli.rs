//! The `alloy-mock` command line.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::{MockConfig, MockServer};

/// Serve a catalog snapshot as the Alloy Connectivity API.
#[derive(Parser)]
#[command(name = "alloy-mock", version)]
pub struct Args {
    /// Snapshot folder (one sub-folder per connector).
    #[arg(long, value_name = "DIR")]
    pub catalog: PathBuf,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,
    /// Accept only this API key (default: any non-empty key).
    #[arg(
        long,
        value_name = "KEY",
        env = "ALLOY_MOCK_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// How many requests to keep for `GET /_mock/requests`.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub record_limit: usize,
    /// How many body bytes the recorded requests may hold in all (oldest dropped first).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub record_byte_limit: usize,
    /// Pages each paginated action serves before its answer says there are no more (0: the
    /// plain sample).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub pages: usize,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("catalog", &self.catalog)
            .field("addr", &self.addr)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("record_limit", &self.record_limit)
            .field("record_byte_limit", &self.record_byte_limit)
            .field("pages", &self.pages)
            .finish()
    }
}

/// Loads the catalog, prints `listening on http://ADDR` as the first line of standard output,
/// and serves until interrupted (Ctrl-C).
pub async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut config = MockConfig::default()
        .addr(args.addr)
        .record_limit(args.record_limit)
        .record_byte_limit(args.record_byte_limit)
        .pages(args.pages);
    if let Some(key) = args.api_key {
        config = config.api_key(key);
    }
    let server = MockServer::from_dir_with(&args.catalog, config).await?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {}", server.base_url())?;
    stdout.flush()?;
    drop(stdout);
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Args;

    #[test]
    fn debug_output_hides_the_api_key() {
        let args = Args::try_parse_from(["alloy-mock", "--catalog", "c", "--api-key", "s3cr3t"])
            .expect("valid arguments");
        let printed = format!("{args:?}");
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(printed.contains("<redacted>"), "{printed}");
    }
}
