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
