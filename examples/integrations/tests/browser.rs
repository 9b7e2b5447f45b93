//! The integrations page in headless Chromium (through chromedriver, driven over WebDriver by
//! fantoccini), against the app and alloy-mock on loopback, as a merchant uses it: connect
//! HubSpot through the OAuth redirect, create a contact with the typed form, submit the
//! QuickBooks key form with a field missing and see why, run an action from its schema-driven
//! form, revoke the credential through the mock's control API and reconnect.
//!
//! Each step leaves a screenshot in `<target>/tmp/integrations-browser/`. Without Chromium and
//! chromedriver (Debian's `chromium` and `chromium-driver`; `CHROMIUM` and `CHROMEDRIVER`
//! point elsewhere) the test says so and skips; `.ci/run` installs them.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use alloy_example_integrations::{Config, start};
use alloy_runtime::Client;
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;

type Browser = fantoccini::Client;
type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn program(env: &str, default: &str) -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var(env).unwrap_or_else(|_| default.to_owned()));
    if path.is_absolute() {
        return path.is_file().then_some(path);
    }
    std::env::var_os("PATH").and_then(|dirs| {
        std::env::split_paths(&dirs)
            .map(|dir| dir.join(&path))
            .find(|p| p.is_file())
    })
}

/// chromedriver on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(program: &Path) -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(driver);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("chromedriver did not start listening within 10 s".into())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver, chromium: &Path, profile: &Path) -> Result<Browser> {
    // The flags keep a sandboxed, offline machine quiet: no background connections, no
    // first-run work, a fresh profile.
    let options = json!({
        "binary": chromium,
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1200,1000",
                 format!("--user-data-dir={}", profile.display())],
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    Ok(ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&driver.url)
        .await?)
}

/// Saves what the browser shows as `<n>-<name>.png`.
async fn screenshot(browser: &Browser, dir: &Path, name: &str) -> Result {
    std::fs::write(dir.join(format!("{name}.png")), browser.screenshot().await?)?;
    Ok(())
}

async fn find(browser: &Browser, css: &str) -> Result<fantoccini::elements::Element> {
    Ok(browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await?)
}

async fn type_into(browser: &Browser, name: &str, text: &str) -> Result {
    let field = find(browser, &format!("[name='{name}']")).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn click(browser: &Browser, css: &str) -> Result {
    find(browser, css).await?.click().await?;
    Ok(())
}

async fn text(browser: &Browser, css: &str) -> Result<String> {
    Ok(find(browser, css).await?.text().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merchant_connects_and_uses_integrations_in_chromium() -> Result {
    let (Some(chromium), Some(chromedriver)) = (
        program("CHROMIUM", "chromium"),
        program("CHROMEDRIVER", "chromedriver"),
    ) else {
        eprintln!(
            "skipping the browser test: Chromium or chromedriver not found (install Debian's \
             `chromium` and `chromium-driver`, or set CHROMIUM and CHROMEDRIVER)"
        );
        return Ok(());
    };
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("integrations-browser");
    std::fs::create_dir_all(&shots)?;
    let profile = tempfile::tempdir()?;

    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mock = alloy_mock::MockServer::from_dir(&catalog).await?;
    let client = Client::builder()
        .api_key("browser-test")
        .base_url(mock.base_url())
        .build()?;
    let app = start(Config {
        client,
        username: "browser-merchant".into(),
        addr: "127.0.0.1:0".parse()?,
    })
    .await?;
    let driver = Driver::start(&chromedriver).await?;
    let browser = browser(&driver, &chromium, profile.path()).await?;
    let outcome = steps(&browser, &app.url, &mock, &shots).await;
    // Close the session whatever happened, then report.
    let closed = browser.close().await;
    outcome?;
    closed?;
    eprintln!("screenshots in {}", shots.display());
    Ok(())
}

async fn steps(
    browser: &Browser,
    app: &str,
    mock: &alloy_mock::MockServer,
    shots: &Path,
) -> Result {
    // 1. The connectors, from discovery.
    browser.goto(app).await?;
    let card = text(browser, "#connector-hubspot").await?;
    assert!(
        card.contains("Hubspot") && card.contains("Not connected"),
        "{card}"
    );
    screenshot(browser, shots, "1-connectors").await?;

    // 2. HubSpot through OAuth: the app → alloy-mock's consent page → the app's callback,
    //    which finishes the connection with the completion helper.
    click(browser, "#connector-hubspot a").await?;
    click(browser, "button.connect[data-auth='oauth2']").await?;
    let notice = text(browser, "#notice").await?;
    assert!(notice.starts_with("Connected: credential"), "{notice}");
    assert!(browser.current_url().await?.as_str().starts_with(app));
    assert_eq!(text(browser, "#status").await?, "Connected");
    screenshot(browser, shots, "2-hubspot-connected").await?;

    // 3. A contact through the generated crate's typed call.
    click(browser, "#typed-contact").await?;
    type_into(browser, "contact.firstname", "Jane").await?;
    type_into(browser, "contact.lastname", "Merchant").await?;
    type_into(browser, "contact.email", "jane@example.com").await?;
    click(browser, "#contact-form button[type=submit]").await?;
    let created = text(browser, "#outcome-message").await?;
    assert!(created.starts_with("Created contact "), "{created}");
    // The id alloy-mock answered with (the catalog's sample) is on the page.
    let answered = text(browser, "#outcome-json").await?;
    assert!(answered.contains("\"id\""), "{answered}");
    screenshot(browser, shots, "3-contact-created").await?;

    // 4. QuickBooks by API key, the form built from `inputSchema`: the secret left out is
    //    named next to its field, from the runtime's validation error.
    browser
        .goto(&format!("{app}/connectors/quickbooks"))
        .await?;
    click(browser, "a.connect[data-auth='apiKey']").await?;
    type_into(browser, "data.apiKey", "qb-key").await?;
    click(browser, "#key-form button[type=submit]").await?;
    let missing = text(browser, ".field-error[data-for='data.apiSecret']").await?;
    assert_eq!(missing, "Required.");
    screenshot(browser, shots, "4-key-form-field-missing").await?;
    type_into(browser, "data.apiKey", "qb-key").await?;
    type_into(browser, "data.apiSecret", "qb-secret").await?;
    click(browser, "#key-form button[type=submit]").await?;
    assert!(text(browser, "#notice").await?.starts_with("Connected"));
    screenshot(browser, shots, "5-quickbooks-connected").await?;

    // 5. An action from its schema-driven form, on the raw execute.
    browser
        .goto(&format!("{app}/connectors/hubspot/actions/getContact"))
        .await?;
    type_into(browser, "param.contactId", "1501").await?;
    click(browser, "#action-form button[type=submit]").await?;
    assert!(
        text(browser, "#outcome-message")
            .await?
            .ends_with("answered.")
    );
    assert!(text(browser, "#outcome-json").await?.contains("properties"));
    screenshot(browser, shots, "6-action-result").await?;

    // 6. The credential revoked (alloy-mock's control API, over HTTP like any tool would):
    //    the next call shows Reconnect, which connects again.
    let revoked = reqwest::Client::new()
        .post(format!(
            "{}/_mock/faults",
            mock.base_url().trim_end_matches('/')
        ))
        .bearer_auth("browser-test")
        .header("x-api-version", "2025-09")
        .json(
            &json!({"method": "POST", "path": "/connectors/hubspot/actions/*/execute",
                      "fault": {"kind": "invalidCredential"}, "times": 1}),
        )
        .send()
        .await?;
    assert!(revoked.status().is_success(), "{}", revoked.status());
    browser.goto(&format!("{app}/hubspot/contacts/new")).await?;
    type_into(browser, "contact.firstname", "John").await?;
    type_into(browser, "contact.lastname", "Merchant").await?;
    type_into(browser, "contact.email", "john@example.com").await?;
    click(browser, "#contact-form button[type=submit]").await?;
    let answer = text(browser, "#outcome").await?;
    assert!(answer.contains("Please reconnect"), "{answer}");
    assert_eq!(text(browser, "#outcome button.connect").await?, "Reconnect");
    screenshot(browser, shots, "7-reconnect").await?;
    click(browser, "#outcome button.connect").await?;
    assert!(text(browser, "#notice").await?.starts_with("Connected"));
    screenshot(browser, shots, "8-reconnected").await?;
    Ok(())
}
