//! What a call was for, as errors name it.

use std::fmt;

/// The route template of a call (`/users/{userId}`: never ids, so logs group by it) and, for an
/// action's execute, the connector and action, so an error says which action failed:
/// `hubspot/createContact (/connectors/{connectorId}/actions/{actionId}/execute)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    template: &'static str,
    /// Boxed: errors travel in every `Result`, and most calls are not executes.
    action: Option<Box<(String, String)>>,
}

impl Route {
    /// An execute of `connector`'s `action` through `template`.
    pub(crate) fn action_call(template: &'static str, connector: &str, action: &str) -> Self {
        Self {
            template,
            action: Some(Box::new((connector.to_owned(), action.to_owned()))),
        }
    }

    /// The route template.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The connector whose action was executed.
    pub fn connector(&self) -> Option<&str> {
        self.action
            .as_deref()
            .map(|(connector, _)| connector.as_str())
    }

    /// The action that was executed.
    pub fn action(&self) -> Option<&str> {
        self.action.as_deref().map(|(_, action)| action.as_str())
    }
}

/// A [`Route`] borrowed while a call is under way: decoding an answer needs one in case it
/// fails, and most answers do not, so nothing is allocated until an error is made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteRef<'a> {
    template: &'static str,
    action: Option<(&'a str, &'a str)>,
}

impl<'a> RouteRef<'a> {
    /// An execute of `connector`'s `action` through `template`.
    pub(crate) fn action_call(template: &'static str, connector: &'a str, action: &'a str) -> Self {
        Self {
            template,
            action: Some((connector, action)),
        }
    }

    /// The route an error keeps.
    pub(crate) fn to_route(self) -> Route {
        match self.action {
            Some((connector, action)) => Route::action_call(self.template, connector, action),
            None => Route::from(self.template),
        }
    }
}

impl From<&'static str> for RouteRef<'_> {
    fn from(template: &'static str) -> Self {
        Self {
            template,
            action: None,
        }
    }
}

impl From<&'static str> for Route {
    fn from(template: &'static str) -> Self {
        Self {
            template,
            action: None,
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.action.as_deref() {
            Some((connector, action)) => write!(f, "{connector}/{action} ({})", self.template),
            None => f.write_str(self.template),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn an_action_call_names_connector_and_action() {
        let route = Route::action_call("/x/{a}", "hubspot", "createContact");
        assert_eq!(route.to_string(), "hubspot/createContact (/x/{a})");
        assert_eq!(route.connector(), Some("hubspot"));
        assert_eq!(route.action(), Some("createContact"));
        assert_eq!(Route::from("/users").to_string(), "/users");
        assert_eq!(Route::from("/users").action(), None);
    }
}
