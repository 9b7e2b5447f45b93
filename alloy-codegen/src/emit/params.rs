//! An action's path, query and header parameters → one `XxxParams` struct.
//!
//! The single API style: required parameters are arguments of `XxxParams::new`, optional ones
//! have chained setters, fields are public and the struct is `#[non_exhaustive]` so a new
//! optional parameter is not a breaking change. The body is a separate argument of the action
//! function, so parameter names never collide with body fields; parameters colliding with
//! each other get distinct field names from a [`Namespace`].
//!
//! Path placeholders that the action does not declare still become required `String`
//! parameters. Cookie parameters (and locations the execute endpoint has no member for) are
//! left out with a warning.

use alloy_model::{Action, ParameterLocation};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use syn::visit_mut::VisitMut;

use super::builder::{self, BuilderField};
use super::secrets::is_secret_name;
use crate::rustdoc as docs;
use crate::template::Fill;
use crate::typespace::naming::{self, Namespace};
use crate::typespace::{Origin, TypeRef, TypeSpace, Warning};

/// Where a parameter goes in the execute body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    fn wire(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
        }
    }

    /// The `ActionCall` method that adds it.
    fn call_method(self) -> Ident {
        let name = match self {
            Self::Path => "serialize_path_param",
            Self::Query => "serialize_query",
            Self::Header => "serialize_header",
        };
        Ident::new(name, Span::call_site())
    }
}

/// One parameter as emitted.
#[derive(Debug)]
pub(crate) struct Param {
    pub(crate) wire: String,
    pub(crate) field: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) ty: TypeRef,
    pub(crate) doc: Option<String>,
    /// Declared only as a `{placeholder}` in the path.
    pub(crate) undeclared: bool,
}

/// An action's parameter struct.
#[derive(Debug)]
pub(crate) struct ParamsPlan {
    pub(crate) name: String,
    pub(crate) params: Vec<Param>,
}

/// Collects the parameters of `action`; `None` when it has none.
pub(crate) fn collect(
    connector: &str,
    action: &Action,
    struct_name: impl FnOnce() -> String,
    ts: &mut TypeSpace,
    warnings: &mut Vec<Warning>,
) -> Option<ParamsPlan> {
    let mut fields = Namespace::new();
    let mut params: Vec<Param> = Vec::new();
    let action_id = action.id.as_str();
    for (i, p) in action.parameters.iter().enumerate() {
        let pointer = format!("/action/parameters/{i}");
        let location = match &p.location {
            ParameterLocation::Path => Location::Path,
            ParameterLocation::Query => Location::Query,
            ParameterLocation::Header => Location::Header,
            other => {
                warnings.push(Warning {
                    origin: Origin::action(connector, action_id, &pointer),
                    message: format!(
                        "parameter `{}` in `{other}` is left out: the execute endpoint forwards only path, query and header parameters",
                        p.name
                    ),
                });
                continue;
            }
        };
        if params
            .iter()
            .any(|q| q.location == location && q.wire == p.name)
        {
            warnings.push(Warning {
                origin: Origin::action(connector, action_id, &pointer),
                message: format!(
                    "parameter `{}` in `{}` is declared twice; the first declaration is used",
                    p.name,
                    location.wire()
                ),
            });
            continue;
        }
        let ty = match &p.schema {
            Some(schema) => ts.add_schema(
                &Origin::action(connector, action_id, &format!("{pointer}/schema")),
                &format!("{action_id} {}", p.name),
                schema,
            ),
            None => string_type(ts, connector, action_id, &pointer),
        };
        params.push(Param {
            wire: p.name.clone(),
            field: fields.insert(&naming::field_name(&p.name)),
            location,
            required: p.is_required(),
            ty,
            doc: p.description.clone().filter(|d| !d.trim().is_empty()),
            undeclared: false,
        });
    }
    for placeholder in action.path_placeholders() {
        if params
            .iter()
            .any(|q| q.location == Location::Path && q.wire == placeholder)
        {
            continue;
        }
        let ty = string_type(ts, connector, action_id, "/action/path");
        params.push(Param {
            wire: placeholder.to_owned(),
            field: fields.insert(&naming::field_name(placeholder)),
            location: Location::Path,
            required: true,
            ty,
            doc: None,
            undeclared: true,
        });
    }
    if params.is_empty() {
        return None;
    }
    Some(ParamsPlan {
        name: struct_name(),
        params,
    })
}

/// `String`, through the type space so the tokens are spelled like every other type.
fn string_type(ts: &mut TypeSpace, connector: &str, action: &str, pointer: &str) -> TypeRef {
    ts.add_schema(
        &Origin::action(connector, action, pointer),
        "String",
        &serde_json::json!({"type": "string"}),
    )
}

thread_local! {
    /// One parameter added to an `ActionCall`, parsed once per thread (see
    /// [`crate::template`]); the receiver is put in by [`chain_onto`].
    static ADD_PARAM: syn::Result<syn::Expr> =
        syn::parse2(quote! { call.__method("__wire", &params.__field)? });
}

/// `call` (a method call, maybe behind `?`) with its receiver replaced by `receiver`.
pub(crate) fn chain_onto(mut call: syn::Expr, receiver: syn::Expr) -> syn::Expr {
    let target = match &mut call {
        syn::Expr::Try(tried) => &mut *tried.expr,
        other => other,
    };
    if let syn::Expr::MethodCall(method) = target {
        *method.receiver = receiver;
    }
    call
}

impl ParamsPlan {
    /// The struct, its constructor and setters, and its `Debug`, printed and appended to `out`.
    pub(crate) fn write(&self, out: &mut String, fn_path: &str) -> syn::Result<()> {
        let fields = self
            .params
            .iter()
            .map(|p| {
                Ok(BuilderField {
                    name: p.field.clone(),
                    ty: p.ty.syn_type()?,
                    required: p.required,
                    doc: param_doc(p),
                    what: format!(
                        "{} parameter {}",
                        p.location.wire(),
                        docs::code_span(&p.wire)
                    ),
                    secret: is_secret_name(&p.wire),
                })
            })
            .collect::<syn::Result<Vec<_>>>()?;
        let doc = format!(
            "Parameters of [`{fn_path}`](crate::{fn_path}).\n\nRequired parameters are arguments of [`{name}::new`]; optional ones have setters of the same name.",
            name = self.name
        );
        builder::write(out, &self.name, &doc, &fields)
    }

    /// `call` with a method call chained on for each parameter (`None` adds nothing; the
    /// runtime names the parameter and action if a value cannot be serialized).
    pub(crate) fn call_chain(&self, mut call: syn::Expr) -> syn::Result<syn::Expr> {
        for p in &self.params {
            let field = Ident::new(&p.field, Span::call_site());
            let method = p.location.call_method();
            call = crate::template::with_parsed(&ADD_PARAM, |template| {
                let added = Fill::default()
                    .ident("__method", &method)
                    .ident("__field", &field)
                    .string("__wire", &p.wire)
                    .apply(template, Fill::visit_expr_mut);
                syn::Result::Ok(chain_onto(added, call))
            })?;
        }
        Ok(call)
    }

    /// Example arguments of `new` for docs: a string literal (the wire name) for a `String`
    /// parameter, otherwise a variable named after the field, returned with its type so the
    /// example can declare it. Variable names are taken from `names`.
    pub(crate) fn example_new_args(
        &self,
        names: &mut Namespace,
    ) -> (Vec<String>, Vec<(String, TokenStream)>) {
        let mut args = Vec::new();
        let mut variables = Vec::new();
        for p in self.params.iter().filter(|p| p.required) {
            let ty = p.ty.tokens();
            if ty.to_string().replace(' ', "") == "::std::string::String" {
                args.push(format!("{:?}", p.wire));
            } else {
                let name = names.insert(&p.field);
                args.push(name.clone());
                variables.push((name, ty));
            }
        }
        (args, variables)
    }
}

fn param_doc(p: &Param) -> String {
    let mut doc = String::new();
    if let Some(d) = &p.doc {
        doc.push_str(&docs::sanitize(d));
        doc.push_str("\n\n");
    }
    let place = if p.undeclared {
        format!(
            "Path placeholder {} (used in the path, not declared by the catalog).",
            docs::code_span(&format!("{{{}}}", p.wire))
        )
    } else {
        format!(
            "{} parameter {}{}.",
            match p.location {
                Location::Path => "Path",
                Location::Query => "Query",
                Location::Header => "Header",
            },
            docs::code_span(&p.wire),
            if p.required { ", required" } else { "" }
        )
    };
    doc.push_str(&place);
    doc
}
