//! The emit stage: one connector's snapshot and its type space → the files of its crate.
//!
//! ```text
//! generated/<dir>/Cargo.toml         package alloy-<dir>, stamped with generator version and catalog hash
//! generated/<dir>/src/lib.rs         crate docs, the connector handle, the credential types
//! generated/<dir>/src/types.rs       the type space's named types
//! generated/<dir>/src/<module>.rs    one module per resource (+ `other` for unlisted actions)
//! generated/<dir>/tests/samples.rs   sample responses round-tripped through the response types
//! ```
//!
//! Code is written with `quote!` and fully qualified paths (`::std::…`, `::alloy_runtime::…`,
//! `crate::types::…`) so no schema-derived name can shadow another item, parsed into `syn`
//! items and printed with `prettyplease`. What every crate repeats by the thousand (struct
//! fields, open enums, action functions, builders) is parsed once as a template and filled in
//! (module `template`); `types.rs` is built and printed a batch of types at a time. The tests
//! parse every printed file of the corpus again with `syn::parse_file`.

mod builder;
mod crate_files;
pub mod crate_names;
mod credentials;
mod entities;
mod layout;
mod params;
mod resources;
mod samples_test;
mod secrets;

use std::collections::BTreeMap;

use alloy_model::{ConnectorId, ConnectorSnapshot};
use proc_macro2::TokenStream;

use crate::generate::{GenerateError, GenerateOptions, GeneratedCrate};
use crate::typespace::naming::{self, Namespace};
use crate::typespace::{TypeSpace, Warning};

/// State shared while emitting one crate.
pub(crate) struct Ctx<'a> {
    pub(crate) connector: &'a ConnectorId,
    pub(crate) snapshot: &'a ConnectorSnapshot,
    pub(crate) ts: TypeSpace,
    /// Notes of the emitter itself (the type space keeps its own).
    pub(crate) warnings: Vec<Warning>,
    /// `alloy_<snake>`.
    pub(crate) library: String,
    /// The connector handle type (`Hubspot`).
    pub(crate) handle: String,
    /// The credential newtype (`HubspotCredential`).
    pub(crate) credential: String,
}

impl Ctx<'_> {
    /// The connector's display name, or its id.
    pub(crate) fn display_name(&self) -> String {
        self.snapshot
            .connector
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| self.connector.to_string())
    }
}

/// Emits the crate of one connector into folder `dir`.
pub(crate) fn emit_crate(
    connector: &ConnectorId,
    snapshot: &ConnectorSnapshot,
    dir: &str,
    options: &GenerateOptions,
) -> Result<GeneratedCrate, GenerateError> {
    let _docs = crate::rustdoc::Deferred::start();
    let package = crate_names::package_name(dir);
    let library = crate_names::library_name(dir);
    let mut root_types = Namespace::new();
    let handle = root_types.insert(&naming::type_name(connector.as_str()));
    let credential = root_types.insert(&naming::type_name(&format!("{connector} credential")));
    let mut ctx = Ctx {
        connector,
        snapshot,
        ts: TypeSpace::new(),
        warnings: Vec::new(),
        library,
        handle,
        credential,
    };
    let hash = crate_files::catalog_hash(snapshot)?;
    let modules = layout::plan(snapshot)?;
    entities::claim(&mut ctx, &modules);

    let mut files = BTreeMap::new();
    let mut emitted = Vec::new();
    let mut action_count = 0;
    for module in &modules {
        let path = format!("src/{}.rs", module.module);
        let (file, actions) = resources::emit_module(&mut ctx, module)
            .map_err(|e| invalid_output(connector, &path, &e))?;
        action_count += actions.len();
        emitted.extend(actions);
        files.insert(path, print_file(connector, &file));
    }
    let credential_items = credentials::emit(&mut ctx, &mut root_types)
        .map_err(|e| invalid_output(connector, "src/lib.rs", &e))?;
    let lib_items = crate_files::lib_tokens(&ctx, &modules, &hash);
    let lib = quote::quote! { #lib_items #credential_items };
    files.insert(
        "src/lib.rs".to_owned(),
        format_file(connector, "src/lib.rs", lib)?,
    );
    files.insert(
        "src/types.rs".to_owned(),
        types_module(&ctx).map_err(|e| invalid_output(connector, "src/types.rs", &e))?,
    );
    files.insert(
        "tests/samples.rs".to_owned(),
        format_file(
            connector,
            "tests/samples.rs",
            samples_test::tokens(&ctx.library, &emitted),
        )?,
    );
    files.insert(
        "Cargo.toml".to_owned(),
        crate_files::cargo_toml(&ctx, &package, &hash, options),
    );

    let mut warnings = ctx.ts.warnings().to_vec();
    warnings.extend(ctx.warnings);
    Ok(GeneratedCrate {
        connector: connector.clone(),
        dir: dir.to_owned(),
        package,
        files,
        actions: action_count,
        types: ctx.ts.type_count(),
        warnings,
        coverage: ctx.ts.coverage(),
    })
}

/// How many types of `src/types.rs` are built and printed at a time.
const TYPES_PER_PRINT: usize = 64;

/// `src/types.rs`: a module doc, then the type space's items. Printed a batch of items at a
/// time; `prettyplease` prints the items of a file one after the other, so the text is the
/// same as for the whole file at once.
fn types_module(ctx: &Ctx<'_>) -> syn::Result<String> {
    let doc = crate::rustdoc::inner(&format!(
        "Shapes of request bodies, parameters and responses, shared by every resource module.\n\n\
         Response types are inferred from the catalog's sample responses and are lenient: \
         members are optional and unknown members are kept. Types read from responses \
         implement `Serialize` and `Deserialize`; types that are only sent (request bodies, \
         parameters) implement `Deserialize` only with the crate feature `{}`.",
        crate::typespace::DESERIALIZE_REQUESTS_FEATURE
    ));
    let mut attrs = syn::parse2::<syn::File>(doc)?.attrs;
    let mut text = crate_files::rust_header(ctx.connector.as_str());
    ctx.ts.definitions_in_batches(TYPES_PER_PRINT, |items| {
        let file = syn::File {
            shebang: None,
            attrs: std::mem::take(&mut attrs),
            items,
        };
        text.push_str(&crate::rustdoc::splice(&prettyplease::unparse(&file)));
    })?;
    Ok(text)
}

/// Parses `tokens` as a file and pretty-prints it behind the generated-file header.
fn format_file(
    connector: &ConnectorId,
    path: &str,
    tokens: TokenStream,
) -> Result<String, GenerateError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| invalid_output(connector, path, &e))?;
    Ok(print_file(connector, &file))
}

/// Pretty-prints `file` behind the generated-file header, with its doc blocks spliced in.
fn print_file(connector: &ConnectorId, file: &syn::File) -> String {
    let mut text = crate_files::rust_header(connector.as_str());
    text.push_str(&crate::rustdoc::splice(&prettyplease::unparse(file)));
    text
}

fn invalid_output(connector: &ConnectorId, path: &str, error: &syn::Error) -> GenerateError {
    GenerateError::InvalidOutput {
        connector: connector.clone(),
        file: path.to_owned(),
        message: error.to_string(),
    }
}
