//! `alloy-mock --catalog DIR --addr 127.0.0.1:0 [--api-key KEY]`: serve a snapshot.

use clap::Parser as _;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = alloy_mock::cli::Args::parse();
    match alloy_mock::cli::run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("alloy-mock: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
