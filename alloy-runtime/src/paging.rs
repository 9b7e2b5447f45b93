//! Every page of a paginated action, as a stream: one pager for all the paging styles the
//! catalog shows ([`Paging`], detected by `alloy_model::paging::detect`).
//!
//! The first request is the call as given; each next one is the same call with the paging
//! query parameter(s) the previous answer calls for. Each page is an ordinary execute, so it
//! goes through the client's retry policy. The stream ends when the answer says so (a stop
//! flag such as `has_more: false`), when the next cursor or link is missing or empty, when a
//! page has no items, when a total is reached, or after the `max_pages` that
//! [`UserClient::pages`] takes; a server that asks for a page it already served ends it with
//! [`Error::Paging`] instead of looping.

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::{self, BoxStream, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use alloy_model::paging::integer;
pub use alloy_model::paging::{PageStyle, Paging, Stop};

use crate::route::RouteRef;
use crate::{ActionCall, Error, Execution, JsonMap, UserClient};

/// The pages of one listing, oldest first; see the module docs. Each item is the page's
/// [`Execution`] (typed payload plus Alloy's metadata).
#[must_use = "a stream does nothing until polled"]
pub struct Pages<'a, R> {
    inner: BoxStream<'a, Result<Execution<R>, Error>>,
    items: Option<String>,
    /// What an item that does not decode is reported as.
    item_route: RouteRef<'a>,
}

impl<R> std::fmt::Debug for Pages<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("items", &self.items).finish()
    }
}

impl<'a, R: Send + 'a> Pages<'a, R> {
    /// A listing that could not start: the stream yields `error` and ends. Generated `_pages`
    /// methods return it when their parameters cannot be serialized, so they need no `Result`.
    pub fn failed(error: Error) -> Self {
        Self {
            inner: stream::once(async move { Err(error) }).boxed(),
            items: None,
            item_route: RouteRef::from(ITEM_ROUTE),
        }
    }

    /// The next page, or `None` after the last: for a loop without the `futures` crate
    /// (`while let Some(page) = pages.next_page().await`).
    pub async fn next_page(&mut self) -> Option<Result<Execution<R>, Error>> {
        self.inner.next().await
    }

    /// The items of every page, collected; the first error ends the listing.
    pub async fn all_items<T: DeserializeOwned + Send + 'a>(self) -> Result<Vec<T>, Error> {
        let mut items = self.items::<T>();
        let mut out = Vec::new();
        while let Some(item) = items.next().await {
            out.push(item?);
        }
        Ok(out)
    }

    /// The items of every page, one by one, each decoded as `T` from the page's items array.
    /// A page whose answer has no items array contributes nothing.
    pub fn items<T: DeserializeOwned + Send + 'a>(self) -> BoxStream<'a, Result<T, Error>> {
        let pointer = self.items;
        let route = self.item_route;
        self.inner
            .flat_map(move |page| {
                let items: Vec<Result<T, Error>> = match page {
                    Err(e) => vec![Err(e)],
                    Ok(page) => {
                        let data = page.response.response_data();
                        let found = pointer.as_deref().and_then(|p| data.pointer(p));
                        match found.and_then(Value::as_array) {
                            Some(items) => items
                                .iter()
                                .map(|item| crate::transport::decode_value(route, 200, item))
                                .collect(),
                            None => Vec::new(),
                        }
                    }
                };
                stream::iter(items)
            })
            .boxed()
    }
}

impl<R> Stream for Pages<'_, R> {
    type Item = Result<Execution<R>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Names the source of an item decoding error.
const ITEM_ROUTE: &str = "/connectors/{connectorId}/actions/{actionId}/execute, an item of a page";

/// Where the pager is between two pages.
struct State<'a, B> {
    user: &'a UserClient,
    call: ActionCall<'a, B>,
    paging: Paging,
    /// Query parameters that differ from the first request.
    next: JsonMap,
    /// Every set of paging parameters already requested.
    seen: HashSet<String>,
    pages: usize,
    max_pages: Option<usize>,
    /// Items received so far (offset paging).
    received: i64,
    done: bool,
    /// The error to end the stream with, after the page that caused it.
    failed: Option<Error>,
}

impl UserClient {
    /// Every page of the action `call` executes, following `paging`; `max_pages` (when set)
    /// bounds how many are fetched.
    pub fn pages<'a, B, R>(
        &'a self,
        call: ActionCall<'a, B>,
        paging: Paging,
        max_pages: Option<usize>,
    ) -> Pages<'a, R>
    where
        B: Serialize + Sync + 'a,
        R: DeserializeOwned + Send + 'a,
    {
        let items = paging.items.clone();
        let item_route = RouteRef::action_call(ITEM_ROUTE, call.connector, call.action);
        let state = State {
            user: self,
            call,
            paging,
            next: JsonMap::new(),
            seen: HashSet::new(),
            pages: 0,
            max_pages,
            received: 0,
            done: false,
            failed: None,
        };
        let inner = stream::try_unfold(state, |mut state| async move {
            // A page that asked for a repeat was still yielded; the error comes after it.
            if let Some(error) = state.failed.take() {
                return Err(error);
            }
            if state.done || state.max_pages.is_some_and(|max| state.pages >= max) {
                return Ok(None);
            }
            let mut call = state.call.clone();
            for (name, value) in &state.next {
                call.query_parameters.insert(name.clone(), value.clone());
            }
            let page: Execution<R> = state.user.execute_as(call).await?;
            state.pages += 1;
            if let Err(error) = state.advance(page.response.response_data()) {
                state.failed = Some(error);
            }
            Ok(Some((page, state)))
        })
        .boxed();
        Pages {
            inner,
            items,
            item_route,
        }
    }
}

impl<B> State<'_, B> {
    /// Works out the next request from `data`, the answer just received, or marks the end.
    fn advance(&mut self, data: &Value) -> Result<(), Error> {
        let items = self
            .paging
            .items
            .as_deref()
            .and_then(|p| data.pointer(p))
            .and_then(Value::as_array);
        let count = items.map_or(0, Vec::len) as i64;
        if items.is_some_and(Vec::is_empty)
            || self.paging.style.stops().iter().any(|s| s.says_done(data))
        {
            self.done = true;
            return Ok(());
        }
        let next: Option<JsonMap> = match &self.paging.style {
            PageStyle::Cursor { param, next, .. } => {
                token(data.pointer(next)).map(|v| one(param, v))
            }
            PageStyle::AfterLastItem { param, field, .. } => items
                .and_then(|items| items.last())
                .and_then(|last| token(last.get(field)))
                .map(|v| one(param, v)),
            PageStyle::NextLink { link, params } => data
                .pointer(link)
                .and_then(Value::as_str)
                .and_then(|url| link_params(url, params)),
            PageStyle::Offset { param, total, .. } => {
                self.received += count;
                let start = self.first_value(param).unwrap_or(0);
                let next = start + self.received;
                let total = total
                    .as_deref()
                    .and_then(|t| data.pointer(t))
                    .and_then(integer);
                (count > 0 && total.is_none_or(|t| next < t)).then(|| one(param, Value::from(next)))
            }
            PageStyle::PageNumber { param, first } => {
                let current = match self.next.get(param).and_then(integer) {
                    Some(n) => n,
                    None => self.first_value(param).unwrap_or(*first),
                };
                Some(one(param, Value::from(current + 1)))
            }
            // A style this version does not know: one page only.
            _ => None,
        };
        let Some(next) = next else {
            self.done = true;
            return Ok(());
        };
        let key = serde_json::to_string(&next).unwrap_or_default();
        if !self.seen.insert(key) {
            self.done = true;
            return Err(Error::Paging {
                connector: self.call.connector.to_owned(),
                action: self.call.action.to_owned(),
                message: format!(
                    "page {} asks again for a page already fetched ({}); stopped instead of \
                     looping",
                    self.pages,
                    describe(&next)
                ),
            });
        }
        self.next = next;
        Ok(())
    }

    /// The paging parameter's value in the first request, as a number.
    fn first_value(&self, param: &str) -> Option<i64> {
        self.call.query_parameters.get(param).and_then(integer)
    }
}

/// A cursor value worth sending: a non-empty string or a number.
fn token(value: Option<&Value>) -> Option<Value> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(Value::String(s.clone())),
        Value::Number(n) => Some(Value::Number(n.clone())),
        _ => None,
    }
}

fn one(name: &str, value: Value) -> JsonMap {
    let mut map = JsonMap::new();
    map.insert(name.to_owned(), value);
    map
}

/// The paging parameters a next-page link carries: copied from its query when it is a URL,
/// or the link itself as the value of a single parameter when it is a bare token.
fn link_params(link: &str, params: &[String]) -> Option<JsonMap> {
    if link.is_empty() {
        return None;
    }
    if link.contains('?') {
        let query = alloy_model::paging::url_query(link);
        let found: JsonMap = params
            .iter()
            .filter_map(|p| {
                query
                    .iter()
                    .find(|(k, _)| k == p)
                    .map(|(_, v)| (p.clone(), Value::String(v.clone())))
            })
            .collect();
        return (!found.is_empty()).then_some(found);
    }
    match params {
        [only] if !link.contains('/') => Some(one(only, Value::String(link.to_owned()))),
        _ => None,
    }
}

/// The parameters of a request, for an error message: names, and values cut short.
fn describe(params: &JsonMap) -> String {
    params
        .iter()
        .map(|(k, v)| {
            let v = v.to_string();
            let v: String = v.chars().take(40).collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}
