//! Pages of a paginated action: the sample answer, made into page `i` of `n` so a client that
//! follows the action's paging style ([`alloy_model::paging`]) sees `n` pages and then the
//! end, instead of the sample's `has_more: true` forever.
//!
//! Each page carries the sample's items (one empty object where the sample's list is empty). The member the style reads is filled in: the next
//! cursor (`page-<i+1>`, empty on the last page), the last item's id, the next link (a URL
//! under `/_mock/next-page` whose query holds the style's parameters), the total; stop flags
//! say whether more follow. A page past the last has no items. Which page a request asks for
//! is read back from the same parameters; anything else is page 1.

use alloy_model::paging::{PageStyle, Paging, integer};
use serde_json::{Map, Value};

/// The page a request asks for (1-based), from its `queryParameters`.
pub fn requested_page(
    paging: &Paging,
    sample: &Value,
    query: Option<&Map<String, Value>>,
) -> usize {
    let value = |name: &str| query.and_then(|q| q.get(name));
    let token = |v: Option<&Value>| -> Option<usize> {
        let text = match v? {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        text.strip_prefix("page-")
            .map(|rest| rest.trim_end_matches("-last"))
            .unwrap_or(&text)
            .parse()
            .ok()
    };
    let page = match &paging.style {
        PageStyle::Cursor { param, .. } => token(value(param)),
        PageStyle::AfterLastItem { param, .. } => token(value(param)).map(|i| i + 1),
        PageStyle::NextLink { params, .. } => params.iter().find_map(|p| token(value(p))),
        PageStyle::Offset { param, .. } => {
            let start = value(param).and_then(integer).unwrap_or(0).max(0) as usize;
            Some(start / per_page(paging, sample) + 1)
        }
        PageStyle::PageNumber { param, first } => value(param)
            .and_then(integer)
            .map(|n| (n - first).max(0) as usize + 1),
        _ => None,
    };
    page.unwrap_or(1).max(1)
}

/// The sample made into page `page` of `pages`; `base` is the mock's URL for next links.
pub fn page_of(paging: &Paging, sample: &Value, page: usize, pages: usize, base: &str) -> Value {
    let mut answer = sample.clone();
    let last = page >= pages;
    if let Some(Value::Array(items)) = paging.items.as_deref().and_then(|p| answer.pointer_mut(p)) {
        if page > pages {
            items.clear();
        } else if items.is_empty() {
            // An empty page ends a listing: a sample without items still serves one per page
            // (its shape unknown, so an empty object; an empty sample list decodes as values).
            items.push(Value::Object(Map::new()));
        }
    }
    for stop in paging.style.stops() {
        set(
            &mut answer,
            &stop.pointer,
            Value::Bool(if last { stop.when } else { !stop.when }),
        );
    }
    match &paging.style {
        PageStyle::Cursor { next, .. } => {
            let value = if last {
                Value::String(String::new())
            } else {
                Value::String(format!("page-{}", page + 1))
            };
            set(&mut answer, next, value);
        }
        PageStyle::AfterLastItem { field, .. } => {
            if let Some(last_item) = paging
                .items
                .as_deref()
                .and_then(|p| answer.pointer_mut(p))
                .and_then(Value::as_array_mut)
                .and_then(|items| items.last_mut())
                .and_then(Value::as_object_mut)
            {
                // Keep the sample's type, so typed clients still read the item.
                let id = match last_item.get(field) {
                    Some(Value::Number(_)) => Value::from(page),
                    _ => Value::String(format!("page-{page}-last")),
                };
                last_item.insert(field.clone(), id);
            }
        }
        PageStyle::NextLink { link, params } => {
            let value = if last {
                Value::Null
            } else {
                let query: Vec<String> = params
                    .iter()
                    .map(|p| format!("{}=page-{}", encode(p), page + 1))
                    .collect();
                Value::String(format!("{base}/_mock/next-page?{}", query.join("&")))
            };
            set(&mut answer, link, value);
        }
        PageStyle::Offset {
            total: Some(total), ..
        } => {
            let per = per_page(paging, sample);
            set(&mut answer, total, Value::from(per * pages));
        }
        _ => {}
    }
    answer
}

/// Items per page: the sample's (at least one).
fn per_page(paging: &Paging, sample: &Value) -> usize {
    paging
        .items
        .as_deref()
        .and_then(|p| sample.pointer(p))
        .and_then(Value::as_array)
        .map_or(1, Vec::len)
        .max(1)
}

/// Sets the member at `pointer` when its parent object exists.
fn set(answer: &mut Value, pointer: &str, value: Value) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = answer.pointer_mut(parent) {
        map.insert(key, value);
    }
}

fn encode(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_model::paging::Stop;
    use serde_json::json;

    fn cursor() -> Paging {
        Paging::new(
            Some("/results".into()),
            PageStyle::Cursor {
                param: "start_cursor".into(),
                next: "/next_cursor".into(),
                stop: vec![Stop::new("/has_more", false)],
            },
        )
    }

    #[test]
    fn cursor_pages_count_up_and_end() {
        let sample = json!({"results": [{"id": "a"}], "next_cursor": null, "has_more": true});
        let paging = cursor();
        let first = page_of(&paging, &sample, 1, 3, "http://m");
        assert_eq!(first["next_cursor"], "page-2");
        assert_eq!(first["has_more"], true);
        let query = json!({"start_cursor": "page-3"});
        assert_eq!(requested_page(&paging, &sample, query.as_object()), 3);
        let last = page_of(&paging, &sample, 3, 3, "http://m");
        assert_eq!(last["next_cursor"], "");
        assert_eq!(last["has_more"], false);
        assert_eq!(requested_page(&paging, &sample, None), 1);
    }

    #[test]
    fn links_ids_offsets_and_numbers() {
        let sample = json!({"data": [{"id": 7}, {"id": 8}], "links": {"next": null}, "total": 2});
        let link = Paging::new(
            Some("/data".into()),
            PageStyle::NextLink {
                link: "/links/next".into(),
                params: vec!["page[cursor]".into()],
            },
        );
        let page = page_of(&link, &sample, 1, 2, "http://m");
        assert_eq!(
            page["links"]["next"],
            "http://m/_mock/next-page?page%5Bcursor%5D=page-2"
        );
        let query = json!({"page[cursor]": "page-2"});
        assert_eq!(requested_page(&link, &sample, query.as_object()), 2);
        assert!(page_of(&link, &sample, 2, 2, "http://m")["links"]["next"].is_null());

        let after = Paging::new(
            Some("/data".into()),
            PageStyle::AfterLastItem {
                param: "starting_after".into(),
                field: "id".into(),
                stop: vec![],
            },
        );
        assert_eq!(page_of(&after, &sample, 2, 3, "")["data"][1]["id"], 2);
        let query = json!({"starting_after": 2});
        assert_eq!(requested_page(&after, &sample, query.as_object()), 3);

        let offset = Paging::new(
            Some("/data".into()),
            PageStyle::Offset {
                param: "startAt".into(),
                total: Some("/total".into()),
                stop: vec![],
            },
        );
        assert_eq!(page_of(&offset, &sample, 1, 3, "")["total"], 6);
        let query = json!({"startAt": 4});
        assert_eq!(requested_page(&offset, &sample, query.as_object()), 3);

        let numbers = Paging::new(
            Some("/data".into()),
            PageStyle::PageNumber {
                param: "page".into(),
                first: 1,
            },
        );
        let query = json!({"page": "4"});
        assert_eq!(requested_page(&numbers, &sample, query.as_object()), 4);
        assert_eq!(page_of(&numbers, &sample, 4, 3, "")["data"], json!([]));
    }
}
