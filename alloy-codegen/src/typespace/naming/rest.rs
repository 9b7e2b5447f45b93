//! Method names from what an action does over HTTP, for action ids that only spell their
//! method and path (OpenAPI operation ids made up by a tool: Stripe's `GetCustomersCustomer`
//! for `GET /v1/customers/{customer}`). Such an id, read as a name, repeats the resource and
//! says `get`/`post` where a hand-written client says `list`, `create`, `update`
//! (`stripe.customers().get_customers_customer()` → `stripe.customers().get_customer()`, as
//! HubSpot's own `createContact` reads `hubspot.contacts().create_contact()`).

use super::fn_name;
use super::methods::singular;

/// One action, as [`super::action_method_names`] needs it.
#[derive(Debug, Clone, Copy)]
pub struct ActionRoute<'a> {
    pub id: &'a str,
    /// The upstream HTTP method, as the catalog spells it.
    pub method: &'a str,
    /// The upstream path template.
    pub path: &'a str,
}

/// A path segment, its text in `snake_case`.
enum Segment {
    Word(String),
    Param(String),
}

impl Segment {
    fn text(&self) -> &str {
        match self {
            Self::Word(text) | Self::Param(text) => text,
        }
    }
}

/// Verbs that name an action on their own when they end a path (`/customers/search`).
const VERBS: &[&str] = &[
    "search", "count", "export", "import", "preview", "validate", "verify", "cancel", "close",
    "open", "send", "test", "approve", "reject", "archive", "restore", "merge", "refresh",
];

/// The name the action gets from its route, when its id is its HTTP method followed by (the
/// end of) its path and the path goes through the resource `module`; `None` otherwise, or when
/// the route says too little (a `POST` to a singular resource).
pub fn rest_name(module: &str, action: &ActionRoute<'_>) -> Option<String> {
    let method = action.method.to_ascii_lowercase();
    if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
        return None;
    }
    let id = fn_name(action.id);
    let rest = id.strip_prefix(method.as_str())?.strip_prefix('_')?;
    let segments: Vec<Segment> = action
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => Segment::Param(fn_name(param)),
                None => Segment::Word(fn_name(s)),
            },
        )
        .collect();
    // Compared without word breaks: ids and paths split words differently (`Idattachment`
    // against `{idAttachment}`).
    let letters = |s: &str| s.replace('_', "");
    let path: String = segments.iter().map(|s| letters(s.text())).collect();
    let operation = match path.strip_suffix(&letters(rest)) {
        Some(_) => None,
        // `post-/crm/v3/objects/contacts/batch/archive_archive`: the method and the whole
        // path, then the name of the operation.
        None => Some(operation_after_path(rest, &path)?),
    };
    let forms = [module.to_owned(), singular(module)];
    let at = segments.iter().position(
        |s| matches!(s, Segment::Word(w) if forms.contains(w) || forms.contains(&singular(w))),
    )?;
    let after = &segments[at + 1..];
    let nouns: Vec<&str> = after
        .iter()
        .filter_map(|s| match s {
            Segment::Word(w) => Some(w.as_str()),
            Segment::Param(_) => None,
        })
        .collect();
    if let Some(operation) = operation {
        return Some(fn_name(&with_operation(&nouns, &operation)));
    }
    // Named with the resource, as an id a person chose would be (`list_customers`,
    // `create_customer`, `get_customer`), so both kinds of action read alike. Whether the path
    // names a collection (`/customers`) or one thing (`/profile`) is the path's to say, whatever
    // the module is called.
    let word = segments[at].text();
    let collection = singular_last(&[word]) != word;
    let one = singular_last(&[module]);
    let on_item = after.iter().any(|s| matches!(s, Segment::Param(_)));
    let target = if on_item || !collection {
        one.as_str()
    } else {
        module
    };
    let name = match (after.last(), method.as_str()) {
        (None, "get") if collection => format!("list_{module}"),
        (None, "post") if collection => format!("create_{one}"),
        (None, "get") => format!("get_{word}"),
        (None, "put" | "patch") => format!("update_{word}"),
        (None, "delete") => format!("delete_{word}"),
        (None, _) => return None,
        (Some(Segment::Param(_)), method) => {
            let verb = match method {
                "get" => "get",
                "delete" => "delete",
                _ => "update",
            };
            match (nouns.as_slice(), after) {
                // `/cards/{id}/{field}`: the last parameter says what is read.
                ([], [.., Segment::Param(_), Segment::Param(param)]) => {
                    format!("{verb}_{param}")
                }
                ([], _) => format!("{verb}_{one}"),
                _ => format!("{verb}_{}", singular_last(&nouns)),
            }
        }
        (Some(Segment::Word(last)), method) => {
            let all = nouns.join("_");
            let before = &nouns[..nouns.len() - 1];
            let plural = singular(last) != *last;
            match method {
                _ if VERBS.contains(&last.as_str()) && before.is_empty() => {
                    format!("{last}_{target}")
                }
                _ if VERBS.contains(&last.as_str()) => verb_first(last, before),
                "get" if plural => format!("list_{all}"),
                "get" => format!("get_{all}"),
                "post" if plural => format!("create_{}", singular_last(&nouns)),
                "post" if before.is_empty() => format!("{last}_{target}"),
                "post" => verb_first(last, before),
                "delete" => format!("delete_{all}"),
                _ => format!("update_{all}"),
            }
        }
    };
    Some(fn_name(&name))
}

/// The words of `rest` after those that spell `path` (compared without word breaks), when
/// `rest` starts with the whole path and goes on.
fn operation_after_path(rest: &str, path: &str) -> Option<String> {
    let mut spelled = String::new();
    let mut words = rest.split('_');
    for word in words.by_ref() {
        spelled.push_str(word);
        if spelled == path {
            let operation: Vec<&str> = words.collect();
            return (!operation.is_empty()).then(|| operation.join("_"));
        }
        if !path.starts_with(&spelled) {
            return None;
        }
    }
    None
}

/// The path's words after the resource, then the operation's, without saying a word twice
/// where they meet (`batch/archive` + `archive` → `batch_archive`; `{id}` + `get_by_id` →
/// `get_by_id`).
fn with_operation(nouns: &[&str], operation: &str) -> String {
    let mut words: Vec<&str> = nouns.iter().flat_map(|n| n.split('_')).collect();
    let ops: Vec<&str> = operation.split('_').collect();
    let overlap = (1..=ops.len().min(words.len()))
        .rev()
        .find(|&k| words[words.len() - k..] == ops[..k])
        .unwrap_or(0);
    words.extend(&ops[overlap..]);
    words.join("_")
}

/// `cancel` after `subscriptions` → `cancel_subscription`.
fn verb_first(verb: &str, nouns: &[&str]) -> String {
    match nouns {
        [] => verb.to_owned(),
        _ => format!("{verb}_{}", singular_last(nouns)),
    }
}

/// The nouns joined, the last one singular (`tax_ids` → `tax_id`).
fn singular_last(nouns: &[&str]) -> String {
    let joined = nouns.join("_");
    match joined.rsplit_once('_') {
        Some((head, last)) => format!("{head}_{}", singular(last)),
        None => singular(&joined),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(module: &str, id: &str, method: &str, path: &str) -> Option<String> {
        rest_name(module, &ActionRoute { id, method, path })
    }

    #[test]
    fn ids_that_spell_method_and_path_are_named_by_their_route() {
        let cases = [
            ("getCustomers", "get", "/v1/customers", "list_customers"),
            ("PostCustomers", "post", "/v1/customers", "create_customer"),
            (
                "GetCustomersCustomer",
                "get",
                "/v1/customers/{customer}",
                "get_customer",
            ),
            (
                "PostCustomersCustomer",
                "post",
                "/v1/customers/{customer}",
                "update_customer",
            ),
            (
                "DeleteCustomersCustomer",
                "delete",
                "/v1/customers/{customer}",
                "delete_customer",
            ),
            (
                "GetCustomersSearch",
                "get",
                "/v1/customers/search",
                "search_customers",
            ),
            (
                "GetCustomersCustomerBalanceTransactions",
                "get",
                "/v1/customers/{customer}/balance_transactions",
                "list_balance_transactions",
            ),
            (
                "PostCustomersCustomerTaxIds",
                "post",
                "/v1/customers/{customer}/tax_ids",
                "create_tax_id",
            ),
            (
                "GetCustomersCustomerTaxIdsId",
                "get",
                "/v1/customers/{customer}/tax_ids/{id}",
                "get_tax_id",
            ),
            (
                "PostCustomersCustomerSourcesIdVerify",
                "post",
                "/v1/customers/{customer}/sources/{id}/verify",
                "verify_source",
            ),
        ];
        for (id, method, path, want) in cases {
            assert_eq!(
                name("customers", id, method, path).as_deref(),
                Some(want),
                "{id}"
            );
        }
        assert_eq!(
            name(
                "charges",
                "PostChargesChargeCapture",
                "post",
                "/v1/charges/{charge}/capture"
            )
            .as_deref(),
            Some("capture_charge")
        );
        assert_eq!(
            name("cards", "putCardsId", "put", "/cards/{id}").as_deref(),
            Some("update_card")
        );
        assert_eq!(
            name("cards", "getCardsIdField", "get", "/cards/{id}/{field}").as_deref(),
            Some("get_field")
        );
        let attachment = "/cards/{id}/attachments/{idAttachment}";
        assert_eq!(
            name(
                "cards",
                "getCardsIdAttachmentsIdattachment",
                "get",
                attachment
            )
            .as_deref(),
            Some("get_attachment")
        );
        // The method and the whole path, then the operation's own name.
        let contacts = [
            (
                "get-/crm/v3/objects/contacts_getPage",
                "get",
                "/crm/v3/objects/contacts",
                "get_page",
            ),
            (
                "post-/crm/v3/objects/contacts/batch/archive_archive",
                "post",
                "/crm/v3/objects/contacts/batch/archive",
                "batch_archive",
            ),
            (
                "get-/crm/v3/objects/contacts/{contactId}_getById",
                "get",
                "/crm/v3/objects/contacts/{contactId}",
                "get_by_id",
            ),
        ];
        for (id, method, path, want) in contacts {
            assert_eq!(
                name("contacts", id, method, path).as_deref(),
                Some(want),
                "{id}"
            );
        }
    }

    #[test]
    fn other_ids_keep_their_own_names() {
        // The id says more than the route: a name a person chose.
        assert_eq!(
            name(
                "contacts",
                "createContact",
                "post",
                "/crm/v3/objects/contacts"
            ),
            None
        );
        assert_eq!(
            name("contacts", "getContactById", "get", "/contacts/{id}"),
            None
        );
        // A singular path is one thing, even in a plural module.
        assert_eq!(
            name("profiles", "getProfile", "get", "/profile").as_deref(),
            Some("get_profile")
        );
        // The route does not go through the resource.
        assert_eq!(name("billing", "getInvoices", "get", "/v1/invoices"), None);
        // A POST to a singular resource says nothing about what it does.
        assert_eq!(name("search", "postSearch", "post", "/v1/search"), None);
    }
}
