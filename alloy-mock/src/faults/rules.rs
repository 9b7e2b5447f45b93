//! The set of armed rules and path-pattern matching.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Fault, FaultRule};
use crate::sync::lock;

/// Armed rules, first match wins; a rule is removed once its `times` are used up.
#[derive(Debug, Default)]
pub struct FaultSet {
    rules: Mutex<Vec<FaultRule>>,
    /// Mirrors `rules.len()` so the common case (no faults) takes no lock.
    armed: AtomicUsize,
}

impl FaultSet {
    pub fn add(&self, rule: FaultRule) {
        if rule.times == 0 {
            return;
        }
        let mut rules = lock(&self.rules);
        rules.push(rule);
        self.armed.store(rules.len(), Ordering::Release);
    }

    pub fn clear(&self) {
        let mut rules = lock(&self.rules);
        rules.clear();
        self.armed.store(0, Ordering::Release);
    }

    /// Uses up one application of the first rule matching the request, if any.
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        if self.armed.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut rules = lock(&self.rules);
        let index = rules.iter().position(|r| r.matches(method, path))?;
        let rule = &mut rules[index];
        let fault = rule.fault.clone();
        if rule.times != usize::MAX {
            rule.times -= 1;
        }
        if rule.times == 0 {
            rules.remove(index);
        }
        self.armed.store(rules.len(), Ordering::Release);
        Some(fault)
    }
}

/// Matches `path` against `pattern` segment by segment: `*` is any one segment, `**` is any
/// rest of the path (zero or more segments). A trailing slash is not significant.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = segments(pattern).collect();
    let path: Vec<&str> = segments(path).collect();
    matches_from(&pattern, &path)
}

fn segments(s: &str) -> impl Iterator<Item = &str> {
    s.split('/').filter(|seg| !seg.is_empty())
}

fn matches_from(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", _)) => true,
        Some((&"*", rest)) => !path.is_empty() && matches_from(rest, &path[1..]),
        Some((literal, rest)) => path.first() == Some(literal) && matches_from(rest, &path[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(path_matches("/users", "/users"));
        assert!(path_matches("/users/", "/users"));
        assert!(!path_matches("/users", "/users/1"));
        assert!(path_matches("/users/*", "/users/1"));
        assert!(!path_matches("/users/*", "/users/1/token"));
        assert!(path_matches("/users/**", "/users"));
        assert!(path_matches("/users/**", "/users/1/token"));
        assert!(path_matches("/**", "/anything/at/all"));
        assert!(path_matches(
            "/connectors/*/actions/*/execute",
            "/connectors/hubspot/actions/createContact/execute"
        ));
        assert!(!path_matches(
            "/connectors/*/actions/*/execute",
            "/connectors/hubspot"
        ));
    }

    #[test]
    fn rules_are_used_up_in_order() {
        let set = FaultSet::default();
        set.add(FaultRule::new(Some("get"), "/a", Fault::status(500)).times(2));
        set.add(FaultRule::new(None, "/**", Fault::status(503)));
        assert_eq!(set.take("POST", "/a"), Some(Fault::status(503)));
        assert_eq!(set.take("GET", "/a"), Some(Fault::status(500)));
        assert_eq!(set.take("GET", "/a"), Some(Fault::status(500)));
        assert_eq!(set.take("GET", "/a"), None);
        set.add(FaultRule::new(None, "/b", Fault::DropConnection).forever());
        for _ in 0..5 {
            assert_eq!(set.take("GET", "/b"), Some(Fault::DropConnection));
        }
        set.clear();
        assert_eq!(set.take("GET", "/b"), None);
        set.add(FaultRule::new(None, "/c", Fault::MalformedJson).times(0));
        assert_eq!(set.take("GET", "/c"), None);
    }
}
