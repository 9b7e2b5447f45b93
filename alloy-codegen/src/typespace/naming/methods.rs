//! Method names for a resource's actions, which need not repeat the resource they are called
//! on (`slack.conversations().history()`, not `conversations_history()`).

use super::rest::{ActionRoute, rest_name};
use super::{Namespace, fn_name, is_keyword};

/// One method name per action id of the resource whose module is `module`, in order.
///
/// An id's name loses a leading copy of the module's name, singular or plural
/// (`conversations_history`, `conversation_history` → `history` in `conversations`), when what
/// remains starts with a letter, is no keyword, and is a name no other action of the resource
/// has or gets; otherwise the whole name stays. Names still equal are numbered.
pub fn method_names(module: &str, ids: &[&str]) -> Vec<String> {
    names(module, ids, &vec![None; ids.len()])
}

/// [`method_names`] for actions with their routes: an action whose id only spells its HTTP
/// method and path is named by what the route does, with its resource (`list_customers`,
/// `create_customer`, `get_customer`, `list_tax_ids`, `capture_charge`), when no other action
/// of the resource has or gets that name; otherwise, and for every other action, as
/// `method_names` names it.
pub fn action_method_names(module: &str, actions: &[ActionRoute<'_>]) -> Vec<String> {
    let ids: Vec<&str> = actions.iter().map(|a| a.id).collect();
    let preferred: Vec<Option<String>> = actions.iter().map(|a| rest_name(module, a)).collect();
    names(module, &ids, &preferred)
}

fn names(module: &str, ids: &[&str], preferred: &[Option<String>]) -> Vec<String> {
    let full: Vec<String> = ids.iter().map(|id| fn_name(id)).collect();
    let prefixes = resource_prefixes(module);
    let short: Vec<Option<String>> = full
        .iter()
        .map(|name| match strip_resource(&prefixes, name) {
            Some(rest) => Some(without_article(rest).unwrap_or_else(|| rest.to_owned())),
            None => without_article(name),
        })
        .collect();
    let n = ids.len();
    let readable = |s: &str| !is_keyword(s) && !TRAIT_METHODS.contains(&s);
    // Route names first: each is taken when no other action is called that by its id and no
    // other route gives it.
    let mut route: Vec<Option<&str>> = (0..n)
        .map(|i| {
            preferred[i].as_deref().filter(|p| {
                readable(p)
                    && (0..n).all(|j| j == i || full[j] != *p)
                    && preferred
                        .iter()
                        .filter(|o| o.as_deref() == Some(*p))
                        .count()
                        == 1
            })
        })
        .collect();
    // Nor when an action without one would shorten to it.
    for i in 0..n {
        if let Some(p) = route[i]
            && (0..n).any(|j| j != i && route[j].is_none() && short[j].as_deref() == Some(p))
        {
            route[i] = None;
        }
    }
    let mut ns = Namespace::new();
    (0..n)
        .map(|i| {
            if let Some(p) = route[i] {
                return ns.insert(p);
            }
            // A shortened name no other action has, shortens to, or takes from its route.
            let free = |s: &str| {
                (0..n).all(|j| {
                    j == i
                        || (full[j] != s
                            && route[j] != Some(s)
                            && (route[j].is_some() || short[j].as_deref() != Some(s)))
                })
            };
            match short[i].as_deref() {
                Some(s) if free(s) => ns.insert(s),
                _ => ns.insert(&full[i]),
            }
        })
        .collect()
}

/// `module_` and the same with its last word singular or plural.
fn resource_prefixes(module: &str) -> Vec<String> {
    let (head, last) = match module.rsplit_once('_') {
        Some((head, last)) => (format!("{head}_"), last),
        None => (String::new(), module),
    };
    let mut prefixes = vec![format!("{module}_")];
    for form in [singular(last), plural(last)] {
        let prefix = format!("{head}{form}_");
        if !prefixes.contains(&prefix) {
            prefixes.push(prefix);
        }
    }
    prefixes
}

/// `retrieve_a_comment` → `retrieve_comment`: an article after the verb says nothing.
fn without_article(name: &str) -> Option<String> {
    let (verb, rest) = name.split_once('_')?;
    let rest = ["a_", "an_", "the_"]
        .iter()
        .find_map(|article| rest.strip_prefix(article))?;
    Some(format!("{verb}_{rest}"))
}

fn strip_resource<'a>(prefixes: &[String], name: &'a str) -> Option<&'a str> {
    let rest = prefixes
        .iter()
        .find_map(|p| name.strip_prefix(p.as_str()))?;
    let readable = rest.starts_with(|c: char| c.is_ascii_lowercase())
        && !is_keyword(rest)
        && !is_keyword(rest.trim_end_matches('_'))
        && !TRAIT_METHODS.contains(&rest);
    readable.then_some(rest)
}

/// Setter names for the members of a struct built in the builder style, given their field
/// names in order (a struct's own members first, then its map of other members, if any).
///
/// A setter is named like its field (`limit` → `.limit(10)`, `type_` → `.type_("card")`), except
/// where that name is the constructor's or a standard trait method's: an inherent `default`
/// or `clone` would shadow the trait's (`Params::default()` would then call the setter), so
/// those become `with_<name>` (`with_default`). Names still equal are numbered.
pub fn setter_names(fields: &[&str]) -> Vec<String> {
    let mut ns = Namespace::new();
    ns.insert("new");
    let plain: Vec<Option<String>> = fields
        .iter()
        .map(|f| (!TRAIT_METHODS.contains(f) && !ns.contains(f)).then(|| ns.insert(f)))
        .collect();
    plain
        .into_iter()
        .zip(fields)
        .map(|(name, field)| name.unwrap_or_else(|| ns.insert(&format!("with_{field}"))))
        .collect()
}

/// Names a shortened method or a setter must not take: they read as (and, on a value, shadow)
/// the methods of the standard traits the generated types implement (`Clone`, `Debug`, serde's,
/// …) or as a constructor.
const TRAIT_METHODS: &[&str] = &[
    "new",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "hash",
    "default",
    "from",
    "into",
    "deref",
    "drop",
    "to_owned",
    "to_string",
    "borrow",
    "as_ref",
    "serialize",
    "deserialize",
];

pub(super) fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s') && !["ss", "us", "is"].iter().any(|e| word.ends_with(e)) {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

fn plural(word: &str) -> String {
    let consonant_y = word
        .strip_suffix('y')
        .filter(|stem| stem.ends_with(|c: char| c.is_ascii_alphabetic() && !"aeiou".contains(c)));
    if let Some(stem) = consonant_y {
        format!("{stem}ies")
    } else if ["s", "x", "ch", "sh"].iter().any(|s| word.ends_with(s)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_are_named_like_their_fields_unless_that_shadows_a_method() {
        assert_eq!(
            setter_names(&[
                "limit", "type_", "new", "default", "clone", "with_new", "extra"
            ]),
            [
                "limit",
                "type_",
                "with_new2",
                "with_default",
                "with_clone",
                "with_new",
                "extra"
            ]
        );
    }

    #[test]
    fn a_leading_resource_name_is_dropped() {
        assert_eq!(
            method_names(
                "conversations",
                &[
                    "conversations.history",
                    "conversations.list",
                    "conversation_info",
                    "archive"
                ]
            ),
            ["history", "list", "info", "archive"]
        );
        assert_eq!(
            method_names("category", &["categories_list", "getCategory"]),
            ["list", "get_category"]
        );
        assert_eq!(
            method_names("line_items", &["lineItemsCreate", "line_item_update"]),
            ["create", "update"]
        );
        // An article after the verb says nothing; a verb and the resource's name stay.
        assert_eq!(
            method_names("comments", &["retrieve-a-comment", "create_comment"]),
            ["retrieve_comment", "create_comment"]
        );
    }

    #[test]
    fn route_names_apply_only_when_they_stay_unique() {
        let route = |id, method, path| ActionRoute { id, method, path };
        assert_eq!(
            action_method_names(
                "customers",
                &[
                    route("GetCustomers", "get", "/v1/customers"),
                    route("PostCustomers", "post", "/v1/customers"),
                    route("GetCustomersCustomer", "get", "/v1/customers/{customer}"),
                    route("createCustomerNote", "post", "/v1/customers/{id}/notes"),
                ]
            ),
            [
                "list_customers",
                "create_customer",
                "get_customer",
                "create_customer_note"
            ]
        );
        // A route name another action has by its id: the route name is not taken.
        assert_eq!(
            action_method_names(
                "customers",
                &[
                    route("GetCustomers", "get", "/v1/customers"),
                    route("GetCustomers2", "get", "/v2/customers"),
                    route("listCustomers", "get", "/customers/all"),
                ]
            ),
            ["get_customers", "get_customers2", "list_customers"]
        );
    }

    #[test]
    fn the_whole_name_stays_when_the_rest_is_not_a_good_name() {
        // Nothing left, a digit, a keyword, a standard trait's method.
        assert_eq!(
            method_names("users", &["users", "users_2fa", "users.type", "users_self"]),
            ["users", "users_2fa", "users_type", "users_self"]
        );
        assert_eq!(
            method_names("users", &["users.clone", "users_new", "users_fmt"]),
            ["users_clone", "users_new", "users_fmt"]
        );
        // The rest is another action's name, or two actions would shorten alike.
        assert_eq!(
            method_names(
                "files",
                &["files.list", "list", "files_upload", "file_upload"]
            ),
            ["files_list", "list", "files_upload", "file_upload"]
        );
    }
}
