//! One resource → one module: a borrowed resource handle with one async function per action,
//! and the actions' parameter structs.

use alloy_model::{Action, HttpMethod};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::Ctx;
use super::layout::ModulePlan;
use super::params::{self, ParamsPlan};
use crate::rustdoc as docs;
use crate::template::Fill;
use crate::typespace::naming::{self, Namespace};
use crate::typespace::{Origin, TypeRef};

/// What the samples test needs to know about an emitted action.
#[derive(Debug)]
pub(crate) struct EmittedAction<'a> {
    pub(crate) action: &'a Action,
    pub(crate) response: TypeRef,
}

/// One action's signature parts.
struct ActionPlan<'a> {
    action: &'a Action,
    fn_name: String,
    params: Option<ParamsPlan>,
    body: Option<TypeRef>,
    response: TypeRef,
}

/// One emitted module.
pub(crate) struct EmittedModule<'a> {
    pub(crate) file: syn::File,
    /// The parameter structs, printed: they end the module, after `file`.
    pub(crate) params: String,
    pub(crate) actions: Vec<EmittedAction<'a>>,
    /// A call of one of its actions from a client up, for the crate doc, when asked for.
    pub(crate) example: Option<String>,
}

/// `with_example`: whether to make the crate doc's example from this module's actions (only
/// the first module that has actions is asked).
pub(crate) fn emit_module<'a>(
    ctx: &mut Ctx<'_>,
    plan: &ModulePlan<'a>,
    with_example: bool,
) -> syn::Result<EmittedModule<'a>> {
    let mut types = Namespace::new();
    types.insert(&plan.handle);
    let routes: Vec<naming::ActionRoute<'_>> = plan
        .actions
        .iter()
        .map(|a| naming::ActionRoute {
            id: a.id.as_str(),
            method: a.http_method.as_str(),
            path: &a.path,
        })
        .collect();
    let fn_names = naming::action_method_names(&plan.module, &routes);
    let actions: Vec<ActionPlan<'a>> = plan
        .actions
        .iter()
        .zip(fn_names)
        .map(|(action, fn_name)| plan_action(ctx, action, fn_name, &mut types))
        .collect();

    let handle = Ident::new(&plan.handle, Span::call_site());
    let root = Ident::new(&ctx.handle, Span::call_site());
    let module_doc = docs::inner(&module_doc(ctx, plan));
    let handle_doc = docs::outer(&format!(
        "The {} actions, borrowed from a [`{}`](crate::{}) by [`{}::{}`](crate::{}::{}).",
        plan.title
            .map_or_else(|| "other".to_owned(), docs::code_span),
        ctx.handle,
        ctx.handle,
        ctx.handle,
        plan.accessor,
        ctx.handle,
        plan.accessor,
    ));
    let mut file: syn::File = syn::parse2(quote! {
        #module_doc

        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            pub(crate) connector: &'a crate::#root,
        }

        impl #handle<'_> {}
    })?;
    let signatures = actions
        .iter()
        .map(|a| Ok((a, Signature::of(a)?)))
        .collect::<syn::Result<Vec<_>>>()?;
    let functions = signatures
        .iter()
        .map(|(a, sig)| action_fn(ctx, plan, a, sig).map(syn::ImplItem::Fn))
        .collect::<syn::Result<Vec<_>>>()?;
    if let Some(syn::Item::Impl(methods)) = file.items.last_mut() {
        methods.items = functions;
    }
    let pages = pages_fns(ctx, plan, &signatures)?;
    if !pages.is_empty() {
        let mut block: syn::ItemImpl = syn::parse2(quote! { impl<'a> #handle<'a> {} })?;
        block.items = pages;
        file.items.push(syn::Item::Impl(block));
    }
    let mut params_text = String::new();
    for a in &actions {
        if let Some(params) = &a.params {
            let fn_path = format!("{}::{}::{}", plan.module, plan.handle, a.fn_name);
            params.write(&mut params_text, &fn_path)?;
        }
    }
    let example = if with_example {
        crate_example(ctx, plan, &actions)
    } else {
        None
    };
    let emitted = actions
        .into_iter()
        .map(|a| EmittedAction {
            action: a.action,
            response: a.response,
        })
        .collect();
    Ok(EmittedModule {
        file,
        params: params_text,
        actions: emitted,
        example,
    })
}

fn module_doc(ctx: &Ctx<'_>, plan: &ModulePlan<'_>) -> String {
    let mut doc = match plan.title {
        Some(title) => format!("Resource {}.", docs::code_span(title)),
        None => "Actions that no resource of the catalog lists.".to_owned(),
    };
    if let Some(description) = plan.description {
        doc.push_str("\n\n");
        doc.push_str(&docs::sanitize(description));
    }
    doc.push_str(&format!(
        "\n\nReach these actions with [`{h}::{a}`](crate::{h}::{a}).",
        h = ctx.handle,
        a = plan.accessor
    ));
    doc
}

fn plan_action<'a>(
    ctx: &mut Ctx<'_>,
    action: &'a Action,
    fn_name: String,
    types: &mut Namespace,
) -> ActionPlan<'a> {
    let id = action.id.as_str();
    let connector = ctx.connector.as_str();
    let params = params::collect(
        connector,
        action,
        // The struct lives in the resource's module beside its method: named after the
        // method (`conversations::HistoryParams`), not the path-derived id.
        || types.insert_type(&naming::type_name(&format!("{fn_name} params"))),
        &mut ctx.ts,
        &mut ctx.warnings,
    );
    let body = action
        .request_body
        .as_ref()
        .filter(|schema| !admits_only_empty_object(schema))
        .map(|schema| {
            ctx.ts.add_schema_prefixed(
                &Origin::action(connector, id, "/action/requestBody"),
                &format!("{id} request"),
                id,
                schema,
            )
        });
    let response = ctx.ts.add_sample(
        &Origin::action(connector, id, "/action/sampleSuccessResponse"),
        &format!("{id} response"),
        action.sample_success_response.as_ref(),
    );
    ActionPlan {
        action,
        fn_name,
        params,
        body,
        response,
    }
}

/// A body schema that only the empty object satisfies (`{"type": "object",
/// "additionalProperties": false}` with no properties, as Stripe declares on its GETs): the
/// function takes no body and sends none.
fn admits_only_empty_object(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    let no_properties = obj
        .get("properties")
        .is_none_or(|p| p.as_object().is_some_and(|m| m.is_empty()));
    let closed = obj.get("additionalProperties") == Some(&Value::Bool(false));
    let no_composition = ["oneOf", "anyOf", "allOf", "patternProperties"]
        .iter()
        .all(|k| !obj.contains_key(*k));
    no_properties && closed && no_composition
}

fn method_tokens(method: &HttpMethod) -> TokenStream {
    let variant = match method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
        HttpMethod::Head => "Head",
        HttpMethod::Options => "Options",
        other => {
            let wire = other.as_str();
            return quote! { ::alloy_runtime::HttpMethod::parse(#wire) };
        }
    };
    let variant = Ident::new(variant, Span::call_site());
    quote! { ::alloy_runtime::HttpMethod::#variant }
}

/// An action's function and the call it makes, parsed once per thread (see
/// [`crate::template`]).
struct ActionTemplates {
    /// Takes both `params` and `body`; an action without one drops that argument.
    function: syn::ImplItemFn,
    /// The `ActionCall` the parameters are chained onto.
    start: syn::Expr,
    /// The body chained on last.
    body: syn::Expr,
}

impl ActionTemplates {
    fn parse() -> syn::Result<Self> {
        Ok(Self {
            function: syn::parse2(quote! {
                pub async fn __name(&self, params: &__Params, body: &__Body) -> ::std::result::Result<::alloy_runtime::Execution<__Response>, ::alloy_runtime::Error> {
                    let call = __call;
                    self.connector.user.execute_as(call).await
                }
            })?,
            start: syn::parse2(quote! {
                ::alloy_runtime::ActionCall::<__Body>::new(
                    crate::CONNECTOR_ID,
                    "__id",
                    __method,
                    self.connector.credential.id(),
                )
            })?,
            body: syn::parse2(quote! { call.body(body) })?,
        })
    }
}

thread_local! {
    static ACTION_TEMPLATES: syn::Result<ActionTemplates> = ActionTemplates::parse();
}

/// What an action's function and its `_pages` companion share: the response and body types,
/// and the `ActionCall` built from `params` and `body`.
struct Signature {
    response: syn::Type,
    body_ty: syn::Type,
    call: syn::Expr,
}

impl Signature {
    fn of(a: &ActionPlan<'_>) -> syn::Result<Self> {
        let response: syn::Type = syn::parse2(a.response.tokens())?;
        let method: syn::Expr = syn::parse2(method_tokens(&a.action.http_method))?;
        let body_ty: syn::Type = match &a.body {
            Some(body) => syn::parse2(body.tokens())?,
            None => syn::parse2(quote! { () })?,
        };
        let call = crate::template::with_parsed(&ACTION_TEMPLATES, |templates| {
            call_expr(templates, a, &body_ty, &method)
        })?;
        Ok(Self {
            response,
            body_ty,
            call,
        })
    }
}

fn action_fn(
    ctx: &Ctx<'_>,
    plan: &ModulePlan<'_>,
    a: &ActionPlan<'_>,
    sig: &Signature,
) -> syn::Result<syn::ImplItemFn> {
    let name = Ident::new(&a.fn_name, Span::call_site());
    let params_ty = a
        .params
        .as_ref()
        .map(|p| Ident::new(&p.name, Span::call_site()));
    crate::template::with_parsed(&ACTION_TEMPLATES, |templates| {
        let mut fill = Fill::default()
            .ident("__name", &name)
            .ty("__Body", &sig.body_ty)
            .ty("__Response", &sig.response)
            .expr("__call", &sig.call);
        if let Some(params_ty) = &params_ty {
            fill = fill.ident("__Params", params_ty);
        }
        let mut function = fill.apply(&templates.function, Fill::visit_impl_item_fn_mut);
        function.sig.inputs = std::mem::take(&mut function.sig.inputs)
            .into_iter()
            .filter(|arg| match argument_name(arg).as_deref() {
                Some("params") => a.params.is_some(),
                Some("body") => a.body.is_some(),
                _ => true,
            })
            .collect();
        function.attrs = docs::outer_attrs(&action_doc(ctx, plan, a));
        Ok(function)
    })
}

/// The `ActionCall` an action's function builds from `params` and `body`.
fn call_expr(
    templates: &ActionTemplates,
    a: &ActionPlan<'_>,
    body_ty: &syn::Type,
    method: &syn::Expr,
) -> syn::Result<syn::Expr> {
    let mut call = Fill::default()
        .ty("__Body", body_ty)
        .string("__id", a.action.id.as_str())
        .expr("__method", method)
        .apply(&templates.start, Fill::visit_expr_mut);
    if let Some(p) = &a.params {
        call = p.call_chain(call)?;
    }
    if a.body.is_some() {
        call = params::chain_onto(templates.body.clone(), call);
    }
    Ok(call)
}

/// The `_pages` companion of each paginated action (see [`super::pages`]).
fn pages_fns(
    ctx: &Ctx<'_>,
    plan: &ModulePlan<'_>,
    actions: &[(&ActionPlan<'_>, Signature)],
) -> syn::Result<Vec<syn::ImplItem>> {
    let taken: std::collections::BTreeSet<&str> =
        actions.iter().map(|(a, _)| a.fn_name.as_str()).collect();
    let mut out = Vec::new();
    for (a, sig) in actions {
        let Some(paging) = ctx.paging.resolve(ctx.connector.as_str(), a.action) else {
            continue;
        };
        let name = format!("{}_pages", a.fn_name);
        if taken.contains(name.as_str()) {
            continue;
        }
        let parts = super::pages::PagesFn {
            name: &name,
            action_fn: &a.fn_name,
            params: a.params.as_ref().map(|p| p.name.as_str()),
            body: a.body.is_some().then_some(&sig.body_ty),
            response: &sig.response,
            call: &sig.call,
            paging: &paging,
        };
        let doc = super::pages::doc(plan, &parts, example_inputs(ctx, plan, a));
        if let Some(function) = parts.tokens(&doc)? {
            out.push(syn::ImplItem::Fn(function));
        }
    }
    Ok(out)
}

/// The name a function argument binds (`None` for `self`).
pub(super) fn argument_name(arg: &syn::FnArg) -> Option<String> {
    match arg {
        syn::FnArg::Typed(typed) => match &*typed.pat {
            syn::Pat::Ident(binding) => Some(binding.ident.to_string()),
            _ => None,
        },
        syn::FnArg::Receiver(_) => None,
    }
}

fn action_doc(ctx: &Ctx<'_>, plan: &ModulePlan<'_>, a: &ActionPlan<'_>) -> String {
    let action = a.action;
    let mut doc = String::new();
    let title = action
        .display_name
        .as_deref()
        .and_then(docs::first_line)
        .unwrap_or_else(|| format!("Action {}.", docs::code_span(action.id.as_str())));
    doc.push_str(&title);
    if let Some(description) = action.description.as_deref() {
        let text = docs::sanitize(description);
        if !text.is_empty() && text != title {
            doc.push_str("\n\n");
            doc.push_str(&text);
        }
    }
    let method = action.http_method.as_str().to_ascii_uppercase();
    doc.push_str(&format!(
        "\n\nUpstream {}; catalog action {}.",
        docs::code_span(&format!("{method} {}", action.path)),
        docs::code_span(action.id.as_str())
    ));
    if !action.http_method.is_idempotent() {
        doc.push_str(
            " The upstream method is not idempotent, so a 5xx answer is not retried (the action could take effect twice).",
        );
    }
    doc.push_str(&format!(
        "\n\nReturns the payload decoded as {}, with the raw answer and Alloy's metadata in [`Execution::response`](alloy_runtime::Execution::response).",
        docs::code_span(&type_text(ctx, &a.response.tokens()))
    ));
    doc.push_str("\n\n# Example\n\n");
    doc.push_str(&docs::code_block("no_run", &example(ctx, plan, a)));
    doc
}

/// An example call, for a `no_run` block: the crate's doctests compile it, but it takes its
/// inputs as arguments (real values are unknown) and is never run (it would call the API).
fn example(ctx: &Ctx<'_>, plan: &ModulePlan<'_>, a: &ActionPlan<'_>) -> String {
    example_call(plan, a, example_inputs(ctx, plan, a))
}

/// The crate doc's example: from a client to a call of the module's simplest action (no body,
/// then the fewest inputs the example cannot make up, then catalog order).
fn crate_example(
    ctx: &Ctx<'_>,
    plan: &ModulePlan<'_>,
    actions: &[ActionPlan<'_>],
) -> Option<String> {
    let (simplest, inputs) = actions
        .iter()
        .map(|a| (a, example_inputs(ctx, plan, a)))
        .min_by_key(|(a, inputs)| (a.body.is_some(), inputs.inputs.len()))?;
    Some(example_call(plan, simplest, inputs.with_handle_built(ctx)))
}

fn example_call(plan: &ModulePlan<'_>, a: &ActionPlan<'_>, inputs: ExampleInputs) -> String {
    let call = format!(
        "let reply = {}.{}().{}({}).await?;",
        inputs.handle,
        plan.accessor,
        a.fn_name,
        inputs.args.join(", ")
    );
    inputs.around(&[call, "println!(\"{:?}\", reply.data);".to_owned()])
}

/// What an example call of an action takes: the hidden function header with its inputs, the
/// lines building `params`, the handle's variable and the call's arguments.
pub(crate) struct ExampleInputs {
    /// The hidden function's arguments; the first is the connector handle.
    inputs: Vec<String>,
    setup: Vec<String>,
    pub(crate) handle: String,
    pub(crate) args: Vec<&'static str>,
}

impl ExampleInputs {
    /// The example's text: `body` after the inputs are set up, in the hidden function.
    pub(crate) fn around(&self, body: &[String]) -> String {
        let mut lines = vec![format!(
            "# async fn example({}) -> Result<(), alloy_runtime::Error> {{",
            self.inputs.join(", ")
        )];
        lines.extend(self.setup.iter().cloned());
        lines.extend(body.iter().cloned());
        lines.push("# Ok(())".to_owned());
        lines.push("# }".to_owned());
        lines.join("\n")
    }

    /// The same inputs, with the connector handle built in the example from a client (as an
    /// app starts) instead of taken as an argument.
    fn with_handle_built(mut self, ctx: &Ctx<'_>) -> Self {
        self.inputs.remove(0);
        let mut setup = handle_setup(ctx, &self.handle);
        setup.append(&mut self.setup);
        self.setup = setup;
        self
    }
}

/// The lines that build the connector handle `var` from a client, as an app starts.
fn handle_setup(ctx: &Ctx<'_>, var: &str) -> Vec<String> {
    let lib = &ctx.library;
    vec![
        "let client = alloy_runtime::Client::from_env()?;".to_owned(),
        format!("let {var} = {lib}::{}::new(", ctx.handle),
        "    client.user(\"user-id\"),".to_owned(),
        format!("    {lib}::{}::new(\"credential-id\"),", ctx.credential),
        ");".to_owned(),
    ]
}

/// The crate doc's example for a connector without actions: the handle, built.
pub(crate) fn handle_only_example(ctx: &Ctx<'_>) -> String {
    let var = naming::field_name(&ctx.handle);
    let inputs = ExampleInputs {
        inputs: Vec::new(),
        setup: handle_setup(ctx, &var),
        handle: var,
        args: Vec::new(),
    };
    inputs.around(&[format!("# let _ = {};", inputs.handle)])
}

fn example_inputs(ctx: &Ctx<'_>, plan: &ModulePlan<'_>, a: &ActionPlan<'_>) -> ExampleInputs {
    let lib = &ctx.library;
    let mut names = Namespace::new();
    let var = names.insert(&naming::field_name(&ctx.handle));
    for taken in ["body", "params", "reply", "pages", "page", "client"] {
        names.insert(taken);
    }
    let mut inputs = vec![format!("{var}: &{lib}::{}", ctx.handle)];
    if let Some(body) = &a.body {
        inputs.push(format!("body: &{}", type_text(ctx, &body.tokens())));
    }
    let mut args = Vec::new();
    let mut setup = Vec::new();
    if let Some(p) = &a.params {
        let (new_args, variables) = p.example_new_args(&mut names);
        for (name, ty) in variables {
            inputs.push(format!("{name}: {}", type_text(ctx, &ty)));
        }
        setup.push(format!(
            "let params = {lib}::{}::{}::new({});",
            plan.module,
            p.name,
            new_args.join(", ")
        ));
        args.push("&params");
    }
    if a.body.is_some() {
        args.push("body");
    }
    ExampleInputs {
        inputs,
        setup,
        handle: var,
        args,
    }
}

/// A type's tokens as compact source text, with `crate::` spelled as the library name.
fn type_text(ctx: &Ctx<'_>, tokens: &TokenStream) -> String {
    let text: String = tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    text.replace("crate::", &format!("{}::", ctx.library))
        .replace(",", ", ")
}
