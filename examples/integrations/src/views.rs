//! The pages' templates (`templates/*.html`) and the values they show.

use askama::Template;

use crate::forms::{Form, Item};

#[derive(Template)]
#[template(path = "index.html")]
pub struct Index {
    pub connectors: Vec<ConnectorCard>,
}

pub struct ConnectorCard {
    pub id: String,
    pub name: String,
    pub icon: Option<String>,
    pub categories: String,
    pub connected: bool,
}

impl ConnectorCard {
    /// The letter shown where the logo does not load.
    pub fn initial(&self) -> String {
        self.name
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "connector.html")]
pub struct ConnectorPage {
    pub card: ConnectorCard,
    pub notice: Option<String>,
    pub credentials: Vec<CredentialRow>,
    pub connect: Vec<ConnectOption>,
    pub resources: Vec<ResourceRow>,
    /// Whether to offer the typed HubSpot contact form.
    pub typed_contact: bool,
}

pub struct CredentialRow {
    pub id: String,
    pub kind: String,
    pub created: String,
}

/// One way to connect: an OAuth button, or a link to a key form.
pub struct ConnectOption {
    pub connector: String,
    pub auth: String,
    pub oauth: bool,
    pub label: String,
}

pub struct ResourceRow {
    pub name: String,
    pub description: String,
    pub actions: Vec<ActionRow>,
}

pub struct ActionRow {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "key_form.html")]
pub struct KeyForm {
    pub connector: String,
    pub name: String,
    pub auth: String,
    pub form: Form,
    /// Problems no field of the form explains.
    pub problems: Vec<String>,
    pub outcome: Option<Outcome>,
}

#[derive(Template)]
#[template(path = "action_form.html")]
pub struct ActionPage {
    pub connector: String,
    pub name: String,
    pub action: String,
    pub title: String,
    pub description: String,
    pub route: String,
    pub form: Form,
    pub outcome: Option<Outcome>,
}

#[derive(Template)]
#[template(path = "contact_form.html")]
pub struct ContactPage {
    pub form: Form,
    pub outcome: Option<Outcome>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: String,
    pub message: String,
    pub detail: String,
}

/// What running a form did.
pub struct Outcome {
    pub ok: bool,
    pub title: String,
    /// For people: `Error::user_message`, or what was created.
    pub message: String,
    /// The technical details (the error's `Display`, secrets already cut out by the runtime).
    pub detail: String,
    /// The answer, pretty-printed.
    pub json: String,
    /// Set when the credential was revoked: how to connect again.
    pub reconnect: Option<ConnectOption>,
}
