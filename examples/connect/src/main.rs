//! The connect story of an app built on the generated crates, end to end: find or create the
//! end user, discover what a connector offers, connect HubSpot through OAuth and QuickBooks with
//! an API key, run typed actions, and answer a revoked credential by reconnecting.
//!
//! ```sh
//! cargo run -p alloy-example-connect -- --mock                # alloy-mock on catalog/, in process
//! cargo run -p alloy-example-connect -- --api-url URL --api-key KEY --consent follow   # any alloy-mock
//! ALLOY_API_KEY=… cargo run -p alloy-example-connect          # the live API; you open the consent page
//! ```
//!
//! Run it twice against the same server: the second run finds the user the first one made.

use std::io::{BufRead as _, Write as _};
use std::path::PathBuf;

use alloy_hubspot::types::{CreateContactProperties, CreateContactRequest};
use alloy_hubspot::{Hubspot, HubspotCredential, HubspotOauth2Input};
use alloy_quickbooks::customers::QueryCustomersParams;
use alloy_quickbooks::{Quickbooks, QuickbooksApiKeyInput, QuickbooksCredential};
use alloy_runtime::{Client, ConnectorId, NewUser, UserClient};
use anyhow::{Context as _, bail};
use clap::{Parser, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "connect",
    about = "Walk the Alloy connect story against alloy-mock or the API"
)]
struct Args {
    /// Start alloy-mock in this process, serving `--catalog`, and talk to it.
    #[arg(long, conflicts_with = "api_url")]
    mock: bool,
    /// The snapshot `--mock` serves.
    #[arg(long, default_value_os_t = default_catalog())]
    catalog: PathBuf,
    /// The API to talk to (default: the live Connectivity API).
    #[arg(long, env = "ALLOY_API_URL")]
    api_url: Option<String>,
    /// The API key (any non-empty key for alloy-mock).
    #[arg(long, env = "ALLOY_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Your product's id for the end user; found on a rerun, created on the first run.
    #[arg(long, default_value = "connect-example")]
    username: String,
    /// Where the OAuth provider sends the end user back (your app's callback).
    #[arg(long, default_value = "http://localhost:3000/connected")]
    redirect_uri: String,
    /// Who consents: `follow` opens the consent page itself and reads where it leads (alloy-mock
    /// consents at once), `prompt` prints it for you to open in a browser and asks for the URL
    /// you came back on. Default: `follow` with `--mock`, `prompt` otherwise.
    #[arg(long, value_enum)]
    consent: Option<Consent>,
    /// The QuickBooks company (realm) the API-key credential queries.
    #[arg(long, env = "QUICKBOOKS_REALM_ID", default_value = "9130350000000000")]
    quickbooks_realm: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Consent {
    Follow,
    Prompt,
}

/// The repository's `catalog/`, which the generated crates this example uses come from.
fn default_catalog() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalog")
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("connect: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    // Kept alive until the story ends: dropping it stops the server.
    let mut _mock = None;
    let mut builder = Client::builder();
    if args.mock {
        let server = alloy_mock::MockServer::from_dir(&args.catalog)
            .await
            .with_context(|| format!("starting alloy-mock on {}", args.catalog.display()))?;
        let shown = std::fs::canonicalize(&args.catalog).unwrap_or_else(|_| args.catalog.clone());
        say(
            "mock",
            format!(
                "alloy-mock serves {} at {}",
                shown.display(),
                server.base_url()
            ),
        );
        builder = builder
            .base_url(server.base_url())
            .api_key(args.api_key.clone().unwrap_or_else(|| "example".into()));
        _mock = Some(server);
    } else {
        let Some(key) = &args.api_key else {
            bail!("no API key: pass --api-key or set ALLOY_API_KEY (or use --mock)");
        };
        builder = builder.api_key(key.as_str());
        if let Some(url) = &args.api_url {
            builder = builder.base_url(url.as_str());
        }
    }
    let client = builder.build()?;
    let consent = args.consent.unwrap_or(if args.mock {
        Consent::Follow
    } else {
        Consent::Prompt
    });

    // 1. The end user, by your product's id for them: a rerun finds the one made before.
    let user_id = client
        .get_or_create_user(&NewUser::new(&args.username))
        .await?;
    say("user", format!("{} is {user_id}", args.username));
    let user = client.user(user_id);

    // 2. Discovery: what an integrations page lists.
    let connectors = client.list_connectors().await?;
    say("discovery", format!("{} connectors", connectors.len()));
    let hubspot_id = ConnectorId::new(alloy_hubspot::CONNECTOR_ID);
    for resource in client.list_resources(&hubspot_id).await? {
        say(
            "discovery",
            format!(
                "hubspot resource {}: {} actions",
                resource.name,
                resource.actions.len()
            ),
        );
    }

    // 3. HubSpot through OAuth, then a typed action.
    let hubspot = Hubspot::new(
        user.clone(),
        connect_hubspot(&user, &args.redirect_uri, consent).await?,
    );
    create_contact(&hubspot, "Jane").await?;
    let contacts: Vec<serde_json::Value> = hubspot
        .contacts()
        .list_contacts_pages(&alloy_hubspot::contacts::ListContactsParams::new().limit(100))
        .all_items()
        .await?;
    say(
        "execute",
        format!(
            "hubspot listContacts: {} contacts over every page",
            contacts.len()
        ),
    );

    // 4. QuickBooks with an API key, validated against its input schema before it is sent.
    let (key, secret) = match (
        std::env::var("QUICKBOOKS_API_KEY"),
        std::env::var("QUICKBOOKS_API_SECRET"),
    ) {
        (Ok(key), Ok(secret)) => (key, secret),
        _ if args.mock || args.api_url.is_some() => {
            ("example-key".to_owned(), "example-secret".to_owned())
        }
        _ => {
            say(
                "api key",
                "skipped: set QUICKBOOKS_API_KEY and QUICKBOOKS_API_SECRET to connect QuickBooks",
            );
            return reconnect_story(&user, hubspot, &args.redirect_uri, consent).await;
        }
    };
    let credential =
        QuickbooksCredential::create_api_key(&user, &QuickbooksApiKeyInput::new(key, secret))
            .await?;
    say(
        "api key",
        format!("quickbooks connected: credential {}", credential.id()),
    );
    let quickbooks = Quickbooks::new(user.clone(), credential);
    let query = QueryCustomersParams::new(
        &args.quickbooks_realm,
        "select * from Customer maxresults 10",
    );
    let reply = quickbooks.customers().query_customers(&query).await?;
    let found = reply
        .data
        .query_response
        .and_then(|r| r.customer)
        .map_or(0, |c| c.len());
    say(
        "execute",
        format!(
            "quickbooks queryCustomers: {found} customers (execution {})",
            execution(&reply.response)
        ),
    );

    reconnect_story(&user, hubspot, &args.redirect_uri, consent).await
}

/// 5. The end user revokes HubSpot (here: the app deletes the credential); the next call
///    answers `INVALID_CREDENTIAL`, which the app turns into "reconnect".
async fn reconnect_story(
    user: &UserClient,
    hubspot: Hubspot,
    redirect_uri: &str,
    consent: Consent,
) -> anyhow::Result<()> {
    user.delete_credential(hubspot.alloy_credential().id())
        .await?;
    say(
        "revoke",
        format!(
            "hubspot credential {} deleted",
            hubspot.alloy_credential().id()
        ),
    );
    match create_contact(&hubspot, "John").await {
        Err(e) if e.needs_reconnect() => say(
            "reconnect",
            format!("hubspot needs reconnecting: {}", e.user_message()),
        ),
        Err(e) => return Err(e.into()),
        Ok(()) => bail!("a deleted credential still worked"),
    }
    let hubspot = Hubspot::new(
        user.clone(),
        connect_hubspot(user, redirect_uri, consent).await?,
    );
    create_contact(&hubspot, "John").await?;
    say("done", "every step worked");
    Ok(())
}

async fn connect_hubspot(
    user: &UserClient,
    redirect_uri: &str,
    consent: Consent,
) -> anyhow::Result<HubspotCredential> {
    let flow =
        HubspotCredential::start_oauth2(user, &HubspotOauth2Input::new(redirect_uri)).await?;
    // A web app keeps `flow` (it serializes) in the session while the end user is away.
    say("oauth", format!("send the user to {}", flow.oauth_url));
    let came_back_on = match consent {
        Consent::Follow => follow_consent(&flow.oauth_url).await?,
        Consent::Prompt => prompt_consent()?,
    };
    say("oauth", format!("the user came back on {came_back_on}"));
    let credential = HubspotCredential::finish_oauth2(user, &flow, &came_back_on).await?;
    say(
        "oauth",
        format!("hubspot connected: credential {}", credential.id()),
    );
    Ok(credential)
}

/// Plays the end user's browser: opens the consent page and reads where it sends them.
async fn follow_consent(oauth_url: &str) -> anyhow::Result<String> {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let answer = browser
        .get(oauth_url)
        .send()
        .await
        .context("opening the consent page")?;
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .with_context(|| {
            format!("the consent page answered {} without a redirect; consent in a browser with --consent prompt", answer.status())
        })?;
    Ok(location.to_owned())
}

fn prompt_consent() -> anyhow::Result<String> {
    print!("open that URL, consent, and paste the URL you came back on: ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim();
    if line.is_empty() {
        bail!("no URL given");
    }
    Ok(line.to_owned())
}

async fn create_contact(hubspot: &Hubspot, first_name: &str) -> Result<(), alloy_runtime::Error> {
    let email = format!("{}@example.com", first_name.to_lowercase());
    let properties = CreateContactProperties::new(first_name, "Merchant", email).company("Acme");
    let reply = hubspot
        .contacts()
        .create_contact(&CreateContactRequest::new(properties))
        .await?;
    let id = reply.data.id.as_deref().unwrap_or("(none)");
    say(
        "execute",
        format!(
            "hubspot createContact: contact {id} (execution {})",
            execution(&reply.response)
        ),
    );
    Ok(())
}

fn execution(response: &alloy_runtime::ExecuteResponse) -> String {
    response
        .execution_id()
        .map_or_else(|| "not reported".to_owned(), ToString::to_string)
}

/// One line per step, so a reader (or the test) can follow the story.
fn say(step: &str, what: impl std::fmt::Display) {
    println!("{step:>10}  {what}");
}
