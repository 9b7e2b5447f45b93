//! Pagination: how a list action's next page is asked for, worked out from the action's query
//! parameters and its sample response, so the generator, the runtime and the mock agree.
//!
//! APIs page in a handful of ways; each is a [`PageStyle`]:
//!
//! | style | next request | example |
//! | --- | --- | --- |
//! | [`Cursor`](PageStyle::Cursor) | `param` = the value at a pointer of the answer | Slack `cursor` ← `/response_metadata/next_cursor`, HubSpot `after` ← `/paging/next/after`, Notion `start_cursor` ← `/next_cursor` |
//! | [`AfterLastItem`](PageStyle::AfterLastItem) | `param` = the last item's `id` | Stripe `starting_after` while `has_more` |
//! | [`NextLink`](PageStyle::NextLink) | `params` copied from the query of a URL in the answer | Klaviyo `/links/next` (`page[cursor]`), Twilio `/meta/next_page_url` (`PageToken`, `Page`) |
//! | [`Offset`](PageStyle::Offset) | `param` advanced by the items received | Jira `startAt` against `total` / `isLast`, `skip` |
//! | [`PageNumber`](PageStyle::PageNumber) | `param` = 1, 2, 3, … | Xero `page` |
//!
//! Every style stops when the answer says so ([`Stop`] flags such as `has_more: false`,
//! `isLast: true`), when the next cursor or link is missing or empty, or when a page has no
//! items; the runtime also stops at a cursor it has already sent. [`detect`] never guesses
//! from a parameter name alone when the sample contradicts it; where it cannot tell, the action
//! is not paginated (an override can say otherwise).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Action, ParameterLocation};

/// How a paginated action's pages follow each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Paging {
    /// JSON pointer to the array of items in one page (`/data`; `""` for an answer that is
    /// itself the array), when the answer has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// How the next page is asked for.
    #[serde(flatten)]
    pub style: PageStyle,
}

/// How the next page is asked for; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "style",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum PageStyle {
    /// The query parameter `param` takes the value found at the JSON pointer `next`.
    Cursor {
        param: String,
        next: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        stop: Vec<Stop>,
    },
    /// The query parameter `param` takes the member `field` of the page's last item.
    AfterLastItem {
        param: String,
        field: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        stop: Vec<Stop>,
    },
    /// The answer holds the next page's URL at the JSON pointer `link`; the query parameters
    /// `params` are copied from it.
    NextLink { link: String, params: Vec<String> },
    /// The query parameter `param` is the number of items already received (plus its first
    /// value); stops at `total` when the answer has it.
    Offset {
        param: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        stop: Vec<Stop>,
    },
    /// The query parameter `param` counts pages from `first`.
    PageNumber { param: String, first: i64 },
}

impl PageStyle {
    /// The style's name, as the generated docs and the override file spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Cursor { .. } => "cursor",
            Self::AfterLastItem { .. } => "afterLastItem",
            Self::NextLink { .. } => "nextLink",
            Self::Offset { .. } => "offset",
            Self::PageNumber { .. } => "pageNumber",
        }
    }

    /// The flags that end the sequence.
    pub fn stops(&self) -> &[Stop] {
        match self {
            Self::Cursor { stop, .. }
            | Self::AfterLastItem { stop, .. }
            | Self::Offset { stop, .. } => stop,
            Self::NextLink { .. } | Self::PageNumber { .. } => &[],
        }
    }
}

/// A boolean member of the answer that ends the sequence when it equals `when`
/// (`has_more: false`, `isLast: true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stop {
    pub pointer: String,
    pub when: bool,
}

impl Stop {
    /// A flag at `pointer` that ends the sequence when it is `when`.
    pub fn new(pointer: impl Into<String>, when: bool) -> Self {
        Self {
            pointer: pointer.into(),
            when,
        }
    }

    /// Whether `page` says there is no next page.
    pub fn says_done(&self, page: &Value) -> bool {
        page.pointer(&self.pointer).and_then(Value::as_bool) == Some(self.when)
    }
}

impl Paging {
    /// A paging description from its parts.
    pub fn new(items: Option<String>, style: PageStyle) -> Self {
        Self { items, style }
    }
}

/// Query parameters that carry a cursor or token.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "start_cursor",
    "after",
    "page[after]",
    "page[cursor]",
    "starting_after",
    "PageToken",
    "pageToken",
    "page_token",
    "next_token",
    "nextToken",
    "continuation",
    "offset",
];
/// Query parameters that count items already seen.
const OFFSET_PARAMS: &[&str] = &["startAt", "start_at", "offset", "skip", "start"];
/// Query parameters that count pages.
const PAGE_PARAMS: &[&str] = &["page", "Page", "page_number", "pageNumber", "page[number]"];
/// Members whose value is the next page's URL.
const LINK_NAMES: &[&str] = &[
    "next",
    "next_page",
    "nextPage",
    "next_page_url",
    "nextPageUrl",
    "next_page_uri",
    "nextPageUri",
    "next_url",
    "nextUrl",
    "nextLink",
    "next_link",
    "@odata.nextLink",
];
/// Boolean members that say more pages follow (stop when false) or none do (stop when true).
const MORE_FLAGS: &[&str] = &["has_more", "hasMore", "has_next", "hasNext", "more"];
const LAST_FLAGS: &[&str] = &["isLast", "is_last", "last", "end_of_stream", "endOfStream"];
/// Members holding the total number of items.
const TOTALS: &[&str] = &[
    "total",
    "total_count",
    "totalCount",
    "total_items",
    "totalItems",
];
/// Preferred names of the items array when an answer has several arrays.
const ITEM_NAMES: &[&str] = &[
    "data", "results", "items", "values", "records", "entries", "elements",
];

/// How `action` pages, or `None` when it does not (or its sample gives too little to tell).
pub fn detect(action: &Action) -> Option<Paging> {
    let query: Vec<&str> = action
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .map(|p| p.name.as_str())
        .collect();
    if query.is_empty() {
        return None;
    }
    let sample = action.sample_success_response.as_ref();
    let leaves = sample.map(|s| leaves(s, 4)).unwrap_or_default();
    let items = sample.and_then(items_pointer);

    after_last_item(&query, sample, items.as_deref(), &leaves)
        .or_else(|| cursor(&query, &leaves))
        .or_else(|| next_link(&query, &leaves))
        .or_else(|| offset(&query, &leaves, items.as_deref()))
        .or_else(|| page_number(action, &query, items.as_deref()))
        .map(|style| Paging { items, style })
}

/// Stripe: `starting_after` is the last item's id, while `has_more`.
fn after_last_item(
    query: &[&str],
    sample: Option<&Value>,
    items: Option<&str>,
    leaves: &[Leaf],
) -> Option<PageStyle> {
    let param = query.iter().find(|q| **q == "starting_after")?;
    let items = sample?.pointer(items?)?.as_array()?;
    if !items.iter().all(|i| i.get("id").is_some()) {
        return None;
    }
    let stop = flags(leaves, "");
    if stop.is_empty() {
        return None;
    }
    Some(PageStyle::AfterLastItem {
        param: (*param).to_owned(),
        field: "id".into(),
        stop,
    })
}

/// A cursor parameter whose next value the answer holds: `next_cursor`, `after_cursor`,
/// `paging/next/after`, `next_page/offset`.
fn cursor(query: &[&str], leaves: &[Leaf]) -> Option<PageStyle> {
    for param in query.iter().filter(|q| CURSOR_PARAMS.contains(q)) {
        let core = core_word(param);
        let names = [
            format!("next{core}"),
            format!("next{}", norm(param)),
            format!("{core}cursor"),
            format!("nextpage{core}"),
        ];
        let found = leaves.iter().find(|leaf| {
            let Some((last, before)) = leaf.path.split_last() else {
                return false;
            };
            if !leaf.scalar {
                return false;
            }
            let under_next = *last == *param && before.iter().any(|s| norm(s).starts_with("next"));
            let named =
                names.contains(&norm(last)) || (core == "cursor" && norm(last) == "aftercursor");
            under_next || named
        });
        if let Some(leaf) = found {
            let parent = leaf.parent_pointer();
            return Some(PageStyle::Cursor {
                param: (*param).to_owned(),
                next: leaf.pointer(),
                stop: flags(leaves, &parent),
            });
        }
    }
    None
}

/// A URL of the next page, whose query carries some of the action's parameters.
fn next_link(query: &[&str], leaves: &[Leaf]) -> Option<PageStyle> {
    let pageish = |q: &str| {
        CURSOR_PARAMS.contains(&q) || PAGE_PARAMS.contains(&q) || OFFSET_PARAMS.contains(&q)
    };
    for leaf in leaves {
        let Some(last) = leaf.path.last() else {
            continue;
        };
        let is_link_name =
            LINK_NAMES.contains(&last.as_str()) || (last == "next" && leaf.path.len() > 1);
        if !is_link_name || !leaf.scalar {
            continue;
        }
        let params: Vec<String> = match &leaf.value {
            Some(Value::String(url)) if url.contains('?') => {
                let names = url_query_names(url);
                query
                    .iter()
                    .filter(|q| names.iter().any(|n| n == *q))
                    .map(|q| (*q).to_owned())
                    .collect()
            }
            // A null link, or a placeholder string, in the sample: it would carry the action's
            // paging parameters.
            Some(Value::Null | Value::String(_)) => query
                .iter()
                .filter(|q| pageish(q))
                .map(|q| (*q).to_owned())
                .collect(),
            _ => Vec::new(),
        };
        if params.iter().any(|p| pageish(p)) {
            return Some(PageStyle::NextLink {
                link: leaf.pointer(),
                params,
            });
        }
    }
    None
}

/// An offset counted in items, stopped by a total or a flag in the answer, or by an empty
/// page. `offset` alone is also an opaque token in some APIs (Asana), so it counts items only
/// when the answer shows a total or a flag.
fn offset(query: &[&str], leaves: &[Leaf], items: Option<&str>) -> Option<PageStyle> {
    let param = query.iter().find(|q| OFFSET_PARAMS.contains(q))?;
    let total = leaves
        .iter()
        .find(|l| l.path.len() == 1 && l.scalar && TOTALS.contains(&l.path[0].as_str()))
        .map(Leaf::pointer);
    let stop = flags(leaves, "");
    let counted = *param != "offset" && items.is_some();
    if total.is_none() && stop.is_empty() && !counted {
        return None;
    }
    Some(PageStyle::Offset {
        param: (*param).to_owned(),
        total,
        stop,
    })
}

/// A page number, for an answer with a list of items (stops at an empty page).
fn page_number(action: &Action, query: &[&str], items: Option<&str>) -> Option<PageStyle> {
    items?;
    let param = query.iter().find(|q| PAGE_PARAMS.contains(q))?;
    let first = action
        .parameters
        .iter()
        .find(|p| p.name == *param)
        .and_then(|p| p.schema.as_ref())
        .and_then(|s| s.get("minimum").or_else(|| s.get("default")))
        .and_then(Value::as_i64)
        .unwrap_or(1);
    Some(PageStyle::PageNumber {
        param: (*param).to_owned(),
        first,
    })
}

/// The flags in the object at `parent` (a JSON pointer), else at the top of the answer.
fn flags(leaves: &[Leaf], parent: &str) -> Vec<Stop> {
    let at = |parent: &str| -> Vec<Stop> {
        leaves
            .iter()
            .filter(|l| l.parent_pointer() == parent && matches!(l.value, Some(Value::Bool(_))))
            .filter_map(|l| {
                let name = l.path.last()?.as_str();
                if MORE_FLAGS.contains(&name) {
                    Some(Stop::new(l.pointer(), false))
                } else if LAST_FLAGS.contains(&name) {
                    Some(Stop::new(l.pointer(), true))
                } else {
                    None
                }
            })
            .collect()
    };
    let found = at(parent);
    if found.is_empty() && !parent.is_empty() {
        at("")
    } else {
        found
    }
}

/// JSON pointer of the items array of an answer: the answer itself when it is an array, else
/// its one array member (a preferred name among several), else one found a level down.
pub fn items_pointer(sample: &Value) -> Option<String> {
    fn pick(map: &serde_json::Map<String, Value>) -> Option<&String> {
        let arrays: Vec<&String> = map
            .iter()
            .filter(|(_, v)| v.is_array())
            .map(|(k, _)| k)
            .collect();
        match arrays.as_slice() {
            [] => None,
            [one] => Some(one),
            many => ITEM_NAMES
                .iter()
                .find_map(|name| many.iter().find(|k| k.as_str() == *name).copied())
                .or_else(|| {
                    many.iter()
                        .copied()
                        .max_by_key(|k| map[k.as_str()].as_array().map_or(0, Vec::len))
                }),
        }
    }
    match sample {
        Value::Array(_) => Some(String::new()),
        Value::Object(map) => {
            if let Some(key) = pick(map) {
                return Some(format!("/{}", escape(key)));
            }
            let mut nested: Vec<(&String, &String)> = map
                .iter()
                .filter_map(|(k, v)| Some((k, pick(v.as_object()?)?)))
                .collect();
            nested.sort();
            let (outer, inner) = nested.first()?;
            Some(format!("/{}/{}", escape(outer), escape(inner)))
        }
        _ => None,
    }
}

/// A member of the sample that is not an object: its path, and its value when scalar.
struct Leaf {
    path: Vec<String>,
    /// Not an object or array.
    scalar: bool,
    value: Option<Value>,
}

impl Leaf {
    fn pointer(&self) -> String {
        self.path
            .iter()
            .map(|s| format!("/{}", escape(s)))
            .collect()
    }

    fn parent_pointer(&self) -> String {
        self.path[..self.path.len().saturating_sub(1)]
            .iter()
            .map(|s| format!("/{}", escape(s)))
            .collect()
    }
}

/// Members of objects (not array elements) down to `depth` levels, in document order.
fn leaves(value: &Value, depth: usize) -> Vec<Leaf> {
    fn walk(value: &Value, path: &mut Vec<String>, depth: usize, out: &mut Vec<Leaf>) {
        let Value::Object(map) = value else {
            return;
        };
        for (key, member) in map {
            path.push(key.clone());
            let scalar = !(member.is_object() || member.is_array());
            out.push(Leaf {
                path: path.clone(),
                scalar,
                value: scalar.then(|| member.clone()),
            });
            if depth > 1 {
                walk(member, path, depth - 1, out);
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), depth, &mut out);
    out
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Lower-case ASCII letters and digits only.
fn norm(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The word that names what a cursor parameter carries: `page[after]` → `after`,
/// `start_cursor` → `cursor`, `PageToken` → `token`.
fn core_word(param: &str) -> String {
    let inner = param
        .rsplit_once('[')
        .map_or(param, |(_, rest)| rest.trim_end_matches(']'));
    let words: Vec<String> = inner
        .split(|c: char| !c.is_ascii_alphanumeric())
        .flat_map(split_camel)
        .filter(|w| !w.is_empty())
        .collect();
    words.last().cloned().unwrap_or_default()
}

fn split_camel(word: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in word.chars() {
        if c.is_ascii_uppercase() && out.last().is_some_and(|w| !w.is_empty()) {
            out.push(String::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A paging parameter's value as a number: a JSON integer, or a string holding one (query
/// parameters often arrive as text).
pub fn integer(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The names of the query parameters of a URL (absolute or a path), percent-decoded.
pub fn url_query_names(url: &str) -> Vec<String> {
    url_query(url).into_iter().map(|(k, _)| k).collect()
}

/// The query parameters of a URL (absolute or a path), percent-decoded, in order.
pub fn url_query(url: &str) -> Vec<(String, String)> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(query: &[&str], sample: Value) -> Action {
        let parameters: Vec<Value> = query
            .iter()
            .map(|q| json!({"name": q, "in": "query", "schema": {"type": "string"}}))
            .collect();
        serde_json::from_value(json!({
            "id": "list", "httpMethod": "get", "path": "/things",
            "parameters": parameters, "sampleSuccessResponse": sample
        }))
        .unwrap()
    }

    fn style(query: &[&str], sample: Value) -> Option<PageStyle> {
        detect(&action(query, sample)).map(|p| p.style)
    }

    #[test]
    fn stripe_pages_after_the_last_item_while_has_more() {
        let paging = detect(&action(
            &["limit", "starting_after", "ending_before"],
            json!({"object": "list", "data": [{"id": "cus_1"}], "has_more": true, "url": "/v1/customers"}),
        ))
        .unwrap();
        assert_eq!(paging.items.as_deref(), Some("/data"));
        assert_eq!(
            paging.style,
            PageStyle::AfterLastItem {
                param: "starting_after".into(),
                field: "id".into(),
                stop: vec![Stop::new("/has_more", false)]
            }
        );
    }

    #[test]
    fn cursors_found_where_each_api_puts_them() {
        let cases = [
            (
                &["cursor", "limit"][..],
                json!({"ok": true, "channels": [], "response_metadata": {"next_cursor": "dGVhbTpDMDYx"}}),
                "cursor",
                "/response_metadata/next_cursor",
                vec![],
            ),
            (
                &["start_cursor"],
                json!({"object": "list", "results": [], "next_cursor": null, "has_more": false}),
                "start_cursor",
                "/next_cursor",
                vec![Stop::new("/has_more", false)],
            ),
            (
                &["after", "limit"],
                json!({"results": [], "paging": {"next": {"after": "NTI1Cg%3D%3D", "link": "?after=NTI1Cg%3D%3D"}}}),
                "after",
                "/paging/next/after",
                vec![],
            ),
            (
                &["offset", "limit"],
                json!({"data": [], "next_page": {"offset": "eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9", "path": "/tasks?offset=x", "uri": "https://app.asana.com/api/1.0/tasks?offset=x"}}),
                "offset",
                "/next_page/offset",
                vec![],
            ),
            (
                &["page[after]", "page[size]"],
                json!({"instance_values": [], "meta": {"after_cursor": "xyz", "has_more": true}}),
                "page[after]",
                "/meta/after_cursor",
                vec![Stop::new("/meta/has_more", false)],
            ),
            (
                &["cursor", "start_time"],
                json!({"tickets": [], "after_cursor": "MTU3", "end_of_stream": false}),
                "cursor",
                "/after_cursor",
                vec![Stop::new("/end_of_stream", true)],
            ),
        ];
        for (query, sample, param, next, stop) in cases {
            assert_eq!(
                style(query, sample.clone()),
                Some(PageStyle::Cursor {
                    param: param.into(),
                    next: next.into(),
                    stop
                }),
                "{query:?} {sample}"
            );
        }
    }

    #[test]
    fn next_links_carry_the_parameters_their_query_names() {
        assert_eq!(
            style(
                &["page[cursor]", "filter"],
                json!({"data": [], "links": {"self": "https://a.klaviyo.com/api/lists/", "next": "https://a.klaviyo.com/api/lists/?page%5Bcursor%5D=bmV4dDo6aWQ6Ojk2"}})
            ),
            Some(PageStyle::NextLink {
                link: "/links/next".into(),
                params: vec!["page[cursor]".into()]
            })
        );
        assert_eq!(
            style(
                &["PageSize", "Page", "PageToken"],
                json!({"activities": [], "meta": {"page": 0, "page_size": 50, "next_page_url": "https://taskrouter.twilio.com/v1/Workspaces/WS/Activities?PageSize=50&Page=1&PageToken=PAabc", "previous_page_url": null}})
            ),
            Some(PageStyle::NextLink {
                link: "/meta/next_page_url".into(),
                params: vec!["PageSize".into(), "Page".into(), "PageToken".into()]
            })
        );
        // A null link in the sample still names the link; it carries the paging parameters.
        assert_eq!(
            style(
                &["page", "results"],
                json!({"next": null, "previous": null, "results": []})
            ),
            Some(PageStyle::NextLink {
                link: "/next".into(),
                params: vec!["page".into()]
            })
        );
    }

    #[test]
    fn offsets_need_a_total_or_a_flag_and_pages_need_items() {
        assert_eq!(
            style(
                &["startAt", "maxResults"],
                json!({"isLast": false, "maxResults": 50, "startAt": 0, "total": 2, "values": [{}]})
            ),
            Some(PageStyle::Offset {
                param: "startAt".into(),
                total: Some("/total".into()),
                stop: vec![Stop::new("/isLast", true)]
            })
        );
        assert_eq!(
            style(&["skip", "limit"], json!({"items": [], "total_count": 3})),
            Some(PageStyle::Offset {
                param: "skip".into(),
                total: Some("/total_count".into()),
                stop: vec![]
            })
        );
        assert_eq!(
            style(
                &["page"],
                json!({"Id": "x", "Quotes": [{"QuoteID": "q"}], "Status": "OK"})
            ),
            Some(PageStyle::PageNumber {
                param: "page".into(),
                first: 1
            })
        );
        // A bare list with a numeric start ends at an empty page.
        assert_eq!(
            style(&["startAt", "maxResults"], json!([{"accountId": "a"}])),
            Some(PageStyle::Offset {
                param: "startAt".into(),
                total: None,
                stop: vec![]
            })
        );
        // `offset` may be an opaque token: without a total or a flag it is not counted.
        assert_eq!(style(&["offset"], json!({"data": [{"gid": "1"}]})), None);
        // No items, no total, no flag: nothing says how pages end.
        assert_eq!(style(&["page"], json!({"ok": true})), None);
        assert_eq!(style(&["offset"], json!({"rows": 1})), None);
        assert_eq!(style(&["limit"], json!({"data": []})), None);
    }

    #[test]
    fn items_are_the_answers_array() {
        assert_eq!(items_pointer(&json!([1])).as_deref(), Some(""));
        assert_eq!(
            items_pointer(&json!({"included": [], "data": [], "x": 1})).as_deref(),
            Some("/data")
        );
        assert_eq!(
            items_pointer(&json!({"messages": {"matches": [], "total": 1}, "ok": true})).as_deref(),
            Some("/messages/matches")
        );
        assert_eq!(items_pointer(&json!({"a/b": []})).as_deref(), Some("/a~1b"));
        assert_eq!(items_pointer(&json!("x")), None);
    }

    #[test]
    fn paging_round_trips_as_json() {
        let paging = Paging::new(
            Some("/data".into()),
            PageStyle::Cursor {
                param: "cursor".into(),
                next: "/next".into(),
                stop: vec![Stop::new("/has_more", false)],
            },
        );
        let text = serde_json::to_value(&paging).unwrap();
        assert_eq!(
            text,
            json!({"items": "/data", "style": "cursor", "param": "cursor", "next": "/next", "stop": [{"pointer": "/has_more", "when": false}]})
        );
        assert_eq!(serde_json::from_value::<Paging>(text).unwrap(), paging);
    }

    #[test]
    fn query_of_urls() {
        assert_eq!(
            url_query("/x?page%5Bcursor%5D=a%2Bb&q=1+2#frag"),
            [
                ("page[cursor]".to_owned(), "a+b".to_owned()),
                ("q".to_owned(), "1 2".to_owned())
            ]
        );
        assert!(url_query("https://x/y").is_empty());
        // An OAuth redirect as an app may receive it: absolute, a path, or a bare query.
        for url in [
            "https://app.example/done?credentialId=abc&x=1",
            "/done?credentialId=abc&x=1",
            "?credentialId=abc&x=1",
        ] {
            assert_eq!(
                url_query(url)[0],
                ("credentialId".into(), "abc".into()),
                "{url}"
            );
        }
    }
}
