//! `credentials-metadata.json` → the connector's credential newtype, one typed input struct per
//! authentication type, and the functions that create a credential through the runtime.
//!
//! The `data` members of each `inputSchema` become fields (secret-looking ones hidden in
//! `Debug`); `redirectUri` (OAuth 2) and `authConfigId` are fields of their own; `userId` and
//! `authenticationType` are filled in by the runtime. OAuth 2 returns the URL to send the user
//! to; every other type returns the new credential, typed to this connector.

use alloy_model::{AuthType, CredentialMetadata};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use super::Ctx;
use super::builder::{self, BuilderField};
use crate::rustdoc as docs;
use crate::typespace::naming::{self, Namespace};
use crate::typespace::{Origin, Warning};

/// Create-body members the runtime sets itself or that have their own field.
const HANDLED_MEMBERS: &[&str] = &[
    "userId",
    "authenticationType",
    "redirectUri",
    "authConfigId",
    "data",
];

/// The credential newtype, its creation functions and the input structs.
pub(crate) fn emit(ctx: &mut Ctx<'_>, root_types: &mut Namespace) -> syn::Result<TokenStream> {
    let credential = Ident::new(&ctx.credential, Span::call_site());
    let mut methods = Namespace::new();
    for reserved in ["new", "id", "into_id", "list"] {
        methods.insert(reserved);
    }
    let mut inputs = Vec::new();
    let mut creators = Vec::new();
    let mut seen: Vec<&AuthType> = Vec::new();
    let snapshot = ctx.snapshot;
    for (i, entry) in snapshot.credentials.metadata.iter().enumerate() {
        if seen.contains(&&entry.authentication_type) {
            ctx.warnings.push(Warning {
                origin: Origin::connector(ctx.connector.as_str(), &format!("/metadata/{i}")),
                message: format!(
                    "authentication type `{}` is listed twice; the first entry is used",
                    entry.authentication_type
                ),
            });
            continue;
        }
        seen.push(&entry.authentication_type);
        let (input, creator) = auth_type(ctx, i, entry, root_types, &mut methods)?;
        inputs.push(input);
        creators.push(creator);
    }

    let connector_handle = &ctx.handle;
    let doc = docs::outer(&format!(
        "A stored credential of the {} connector.\n\nA distinct type per connector, so a credential of another connector cannot be passed to [`{connector_handle}`]. Wrap an id you stored ([`{}::new`]) or create one with the functions below.",
        docs::code_span(ctx.connector.as_str()),
        ctx.credential,
    ));
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct #credential(::alloy_runtime::CredentialId);

        impl #credential {
            /// Wraps the id of a credential of this connector.
            pub fn new(id: impl ::std::convert::Into<::alloy_runtime::CredentialId>) -> Self {
                Self(id.into())
            }

            /// The credential id.
            pub fn id(&self) -> &::alloy_runtime::CredentialId {
                &self.0
            }

            /// Unwraps the credential id.
            pub fn into_id(self) -> ::alloy_runtime::CredentialId {
                self.0
            }

            /// `user`'s stored credentials of this connector.
            pub async fn list(
                user: &::alloy_runtime::UserClient,
            ) -> ::std::result::Result<::std::vec::Vec<::alloy_runtime::Credential>, ::alloy_runtime::Error> {
                user.list_credentials(&::alloy_runtime::ConnectorId::new(crate::CONNECTOR_ID)).await
            }

            #(#creators)*
        }

        #(#inputs)*
    })
}

/// One authentication type: its input struct and its creation function.
fn auth_type(
    ctx: &mut Ctx<'_>,
    index: usize,
    entry: &CredentialMetadata,
    root_types: &mut Namespace,
    methods: &mut Namespace,
) -> syn::Result<(TokenStream, TokenStream)> {
    let connector = ctx.connector.as_str().to_owned();
    let auth = entry.authentication_type.as_str();
    let is_oauth = entry.authentication_type == AuthType::OAuth2;
    let input_name = root_types.insert(&naming::type_name(&format!("{} {auth} input", ctx.handle)));
    let schema_pointer = format!("/metadata/{index}/inputSchema");
    let schema = entry.input_schema.as_ref().and_then(Value::as_object);
    if let Some(schema) = schema
        && let Some(props) = schema.get("properties").and_then(Value::as_object)
    {
        for member in props
            .keys()
            .filter(|k| !HANDLED_MEMBERS.contains(&k.as_str()))
        {
            ctx.warnings.push(Warning {
                origin: Origin::connector(&connector, &format!("{schema_pointer}/properties/{member}")),
                message: format!(
                    "create-credential member `{member}` is not supported by the runtime and is left out of `{input_name}`"
                ),
            });
        }
    }

    let mut field_names = Namespace::new();
    let mut fields = Vec::new();
    let string: syn::Type = syn::parse_quote! { ::std::string::String };
    if is_oauth {
        fields.push(BuilderField {
            name: field_names.insert("redirect_uri"),
            ty: string.clone(),
            required: true,
            doc: "Where Alloy sends the end user after they grant access.".to_owned(),
            what: "redirect URI".to_owned(),
            secret: false,
        });
    }
    let auth_config_required = entry.auth_config_required.unwrap_or(false);
    let auth_config_field = field_names.insert("auth_config_id");
    fields.push(BuilderField {
        name: auth_config_field.clone(),
        ty: string,
        required: auth_config_required,
        doc: "Your own auth configuration (`authConfigId`) instead of Alloy's default.".to_owned(),
        what: "auth configuration id".to_owned(),
        secret: false,
    });

    // (wire name, field name, required) of each `data` member.
    let mut data_members = Vec::new();
    let data = schema
        .and_then(|s| s.get("properties"))
        .and_then(|p| p.get("data"))
        .and_then(Value::as_object);
    if let Some(data) = data {
        let required: Vec<&str> = data
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let props = data.get("properties").and_then(Value::as_object);
        // `new` takes the required members in the schema's order (a `username, password`
        // schema must not give `new(password, username)`: same-typed arguments swap silently).
        let mut members: Vec<(&String, &Value)> = props.into_iter().flatten().collect();
        members.sort_by_key(|(wire, _)| {
            required
                .iter()
                .position(|r| r == wire)
                .unwrap_or(required.len())
        });
        for (wire, member_schema) in members {
            let pointer = format!("{schema_pointer}/properties/data/properties/{wire}");
            let ty = ctx.ts.add_schema(
                &Origin::connector(&connector, &pointer),
                &format!("{} {auth} {wire}", ctx.handle),
                member_schema,
            );
            let field = field_names.insert(&naming::field_name(wire));
            let is_required = required.contains(&wire.as_str());
            let mut doc = member_schema
                .get("description")
                .and_then(Value::as_str)
                .map(docs::sanitize)
                .filter(|d| !d.is_empty())
                .unwrap_or_default();
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(&format!(
                "Credential data member {}.",
                docs::code_span(wire)
            ));
            fields.push(BuilderField {
                name: field.clone(),
                ty: ty.syn_type()?,
                required: is_required,
                doc,
                what: format!("credential data member {}", docs::code_span(wire)),
                // Any member can be the secret (Freshdesk's basic-auth `username` is
                // the API key), so none is printed.
                secret: true,
            });
            data_members.push((wire.clone(), field, is_required));
        }
    }
    let struct_doc = format!(
        "Inputs of a credential of auth type {} for the {} connector, for [`{}::{}`].",
        docs::code_span(auth),
        docs::code_span(&connector),
        ctx.credential,
        if is_oauth {
            "start_oauth2".to_owned()
        } else {
            format!("create_{}", naming::fn_name(auth))
        }
    );
    let input = builder::items(&input_name, &struct_doc, &fields)?;
    let input = quote!(#(#input)*);

    let input_ident = Ident::new(&input_name, Span::call_site());
    let auth_field = Ident::new(&auth_config_field, Span::call_site());
    let data_stmts = data_statements(&input_name, &data_members);
    let set_auth_config = if auth_config_required {
        quote! { request = request.auth_config_id(input.#auth_field.clone()); }
    } else {
        quote! {
            if let ::std::option::Option::Some(id) = &input.#auth_field {
                request = request.auth_config_id(id.clone());
            }
        }
    };
    let creator = if is_oauth {
        let name = Ident::new(&methods.insert("start_oauth2"), Span::call_site());
        let finish = Ident::new(&methods.insert("finish_oauth2"), Span::call_site());
        let redirect = Ident::new("redirect_uri", Span::call_site());
        let attach_data = if data_members.is_empty() {
            TokenStream::new()
        } else {
            quote! { request = request.data(data); }
        };
        quote! {
            /// Starts an OAuth 2 connection for `user`. Send the end user to the flow's
            /// `oauth_url`, and keep the flow (it serializes) until they come back to the
            /// input's redirect URI; then [`Self::finish_oauth2`] turns the URL they came back
            /// on into the credential.
            pub async fn #name(
                user: &::alloy_runtime::UserClient,
                input: &#input_ident,
            ) -> ::std::result::Result<::alloy_runtime::OAuthFlow, ::alloy_runtime::Error> {
                #data_stmts
                let mut request = ::alloy_runtime::OAuthCredential::new(input.#redirect.clone());
                #attach_data
                #set_auth_config
                user.start_oauth(&::alloy_runtime::ConnectorId::new(crate::CONNECTOR_ID), &request).await
            }

            /// Finishes an OAuth 2 connection started with [`Self::start_oauth2`]:
            /// `redirect_url` is the URL the end user came back on. Uses the credential id it
            /// carries (checked to be this user's), else the credential of this connector that
            /// appeared since the flow started; an OAuth `error` in it (the end user declined)
            /// is [`alloy_runtime::Error::OAuth`].
            pub async fn #finish(
                user: &::alloy_runtime::UserClient,
                flow: &::alloy_runtime::OAuthFlow,
                redirect_url: &str,
            ) -> ::std::result::Result<Self, ::alloy_runtime::Error> {
                user.finish_oauth(flow, redirect_url).await.map(Self)
            }
        }
    } else {
        let name = Ident::new(
            &methods.insert(&format!("create_{}", naming::fn_name(auth))),
            Span::call_site(),
        );
        let doc = docs::outer(&format!(
            "Creates a credential of auth type {} for `user` from `input` (validated against the connector's published input schema first) and returns it.",
            docs::code_span(auth)
        ));
        let auth_tokens = auth_type_tokens(&entry.authentication_type);
        let data_init = if data_members.is_empty() {
            quote! { let data = ::alloy_runtime::SecretData::new(); }
        } else {
            data_stmts
        };
        quote! {
            #doc
            pub async fn #name(
                user: &::alloy_runtime::UserClient,
                input: &#input_ident,
            ) -> ::std::result::Result<Self, ::alloy_runtime::Error> {
                #data_init
                let mut request = ::alloy_runtime::CredentialInput::new(#auth_tokens, data);
                #set_auth_config
                user.create_credential(&::alloy_runtime::ConnectorId::new(crate::CONNECTOR_ID), &request)
                    .await
                    .map(Self)
            }
        }
    };
    Ok((input, creator))
}

/// `let mut data = SecretData::new(); data.insert(..)…` for the members set in `input`.
fn data_statements(owner: &str, members: &[(String, String, bool)]) -> TokenStream {
    if members.is_empty() {
        return TokenStream::new();
    }
    let inserts = members.iter().map(|(wire, field, required)| {
        let field = Ident::new(field, Span::call_site());
        if *required {
            quote! { data.insert(#wire, ::alloy_runtime::input_value(#owner, #wire, &input.#field)?); }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &input.#field {
                    data.insert(#wire, ::alloy_runtime::input_value(#owner, #wire, value)?);
                }
            }
        }
    });
    quote! {
        let mut data = ::alloy_runtime::SecretData::new();
        #(#inserts)*
    }
}

fn auth_type_tokens(auth: &AuthType) -> TokenStream {
    let variant = match auth {
        AuthType::OAuth2 => "OAuth2",
        AuthType::ApiKey => "ApiKey",
        AuthType::HttpBearer => "HttpBearer",
        AuthType::Basic => "Basic",
        other => {
            let wire = other.as_str();
            return quote! { ::alloy_runtime::AuthType::parse(#wire) };
        }
    };
    let variant = Ident::new(variant, Span::call_site());
    quote! { ::alloy_runtime::AuthType::#variant }
}
