//! `integrations [--mock] [--addr 127.0.0.1:3000]`: the integrations page.
//!
//! With `--mock`, alloy-mock serves the repository's `catalog/` in this process (its OAuth
//! consent page approves at once); without it, the app talks to `ALLOY_API_URL` (default: the
//! live API) with `ALLOY_API_KEY`.

use std::net::SocketAddr;
use std::path::PathBuf;

use alloy_runtime::Client;
use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "integrations",
    about = "An integrations page built on the Alloy bindings"
)]
struct Args {
    /// Start alloy-mock in this process, serving `--catalog`.
    #[arg(long)]
    mock: bool,
    /// The snapshot `--mock` serves.
    #[arg(long, default_value_os_t = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog")))]
    catalog: PathBuf,
    /// Where the app listens.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Your product's id for the signed-in merchant.
    #[arg(long, default_value = "demo-merchant")]
    username: String,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("integrations: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // Kept alive while the app serves: dropping it stops the mock.
    let mut _mock = None;
    let client = if args.mock {
        let server = alloy_mock::MockServer::from_dir(&args.catalog).await?;
        eprintln!(
            "alloy-mock serves {} at {}",
            args.catalog.display(),
            server.base_url()
        );
        let client = Client::builder()
            .api_key("integrations-example")
            .base_url(server.base_url())
            .build()?;
        _mock = Some(server);
        client
    } else {
        Client::from_env()?
    };
    let app = alloy_example_integrations::start(alloy_example_integrations::Config {
        client,
        username: args.username,
        addr: args.addr,
    })
    .await?;
    println!("integrations page: {}/", app.url);
    app.wait().await?;
    Ok(())
}
