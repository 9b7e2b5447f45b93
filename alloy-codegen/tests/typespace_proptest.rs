//! Random JSON Schemas and sample values: the type space never panics, its output always
//! parses as Rust, and the same input always gives the same output.

mod typespace_common;

use alloy_codegen::typespace::{Origin, TypeSpace};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Member names chosen to collide after case conversion, hit keywords, digits and odd
/// characters.
fn member_name() -> BoxedStrategy<String> {
    prop_oneof![
        Just("firstName".to_owned()),
        Just("first_name".to_owned()),
        Just("type".to_owned()),
        Just("Self".to_owned()),
        Just("extra".to_owned()),
        Just(String::new()),
        Just("1st".to_owned()),
        Just("ünï".to_owned()),
        "[a-zA-Z0-9_$@. -]{0,8}",
        any::<String>(),
    ]
    .boxed()
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        member_name().prop_map(Value::String),
    ]
}

fn type_keyword() -> impl Strategy<Value = Value> {
    let one = prop_oneof![
        Just("string"),
        Just("integer"),
        Just("number"),
        Just("boolean"),
        Just("object"),
        Just("array"),
        Just("null"),
        Just("file"),
    ];
    prop_oneof![
        one.clone().prop_map(Value::from),
        prop::collection::vec(one, 0..4).prop_map(|ts| json!(ts)),
        Just(json!(7)),
    ]
}

fn leaf_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({})),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!("not a schema")),
        type_keyword().prop_map(|t| json!({"type": t})),
        (
            type_keyword(),
            prop_oneof![
                Just("int32"),
                Just("uint64"),
                Just("date-time"),
                Just("binary")
            ]
        )
            .prop_map(|(t, f)| json!({"type": t, "format": f})),
        prop::collection::vec(scalar(), 0..6).prop_map(|vs| json!({"enum": vs})),
        scalar().prop_map(|v| json!({"const": v})),
        prop_oneof![
            Just("#"),
            Just("#/properties/a"),
            Just("#/$defs/x"),
            Just("#/nope"),
            Just("http://x")
        ]
        .prop_map(|r| json!({"$ref": r})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(6, 64, 6, |inner| {
        let members = || prop::collection::btree_map(member_name(), inner.clone(), 0..5);
        prop_oneof![
            (members(), prop::collection::vec(member_name(), 0..3), prop::option::of(inner.clone()), any::<bool>())
                .prop_map(|(props, required, additional, nullable)| {
                    let mut o = Map::new();
                    o.insert("type".into(), json!("object"));
                    o.insert("properties".into(), json!(props));
                    o.insert("required".into(), json!(required));
                    if let Some(a) = additional {
                        o.insert("additionalProperties".into(), a);
                    }
                    o.insert("nullable".into(), json!(nullable));
                    Value::Object(o)
                }),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| json!({"type": "array", "prefixItems": items, "items": false})),
            (prop_oneof![Just("oneOf"), Just("anyOf"), Just("allOf")], prop::collection::vec(inner.clone(), 0..5), prop::option::of(member_name()))
                .prop_map(|(key, branches, tag)| {
                    let mut o = Map::new();
                    o.insert(key.into(), json!(branches));
                    if let Some(tag) = tag {
                        o.insert("discriminator".into(), json!({"propertyName": tag}));
                    }
                    Value::Object(o)
                }),
            (member_name(), scalar(), inner.clone()).prop_map(|(tag, value, rest)| {
                json!({"type": "object", "required": [tag.clone()],
                       "properties": {tag: {"const": value}}, "allOf": [rest]})
            }),
            (members(), inner.clone()).prop_map(|(defs, body)| {
                json!({"$defs": {"x": body}, "properties": defs, "oneOf": [{"$ref": "#/$defs/x"}, {"$ref": "#"}]})
            }),
        ]
    })
}

fn sample() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(6, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(member_name(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Definitions and every returned type parse as Rust; a second run is identical.
fn check(
    build: impl Fn(&mut TypeSpace) -> Vec<proc_macro2::TokenStream>,
) -> Result<(), TestCaseError> {
    let mut space = TypeSpace::new();
    let types = build(&mut space);
    let definitions = space.definitions();
    prop_assert!(definitions.is_ok(), "definitions fail: {definitions:?}");
    let text = definitions.unwrap_or_default();
    let parsed = syn::parse_file(&text);
    prop_assert!(parsed.is_ok(), "definitions do not parse: {text}");
    let layout = typespace_common::structs_in_prettyplease_layout(&text);
    prop_assert!(layout.is_ok(), "{}", layout.unwrap_err());
    for ty in &types {
        prop_assert!(
            syn::parse2::<syn::Type>(ty.clone()).is_ok(),
            "type does not parse: {ty}"
        );
    }
    let mut again = TypeSpace::new();
    let types_again = build(&mut again);
    let text_again = again.definitions().unwrap_or_default();
    prop_assert_eq!(text_again, text);
    prop_assert_eq!(
        types.iter().map(ToString::to_string).collect::<Vec<_>>(),
        types_again
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_schemas_give_valid_rust(schemas in prop::collection::vec(schema(), 1..4)) {
        let origin = Origin::action("prop", "case", "/action/requestBody");
        check(|space| {
            schemas
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let ty = space.add_schema(&origin, "Body", s);
                    // Both kinds of code: serialize-only types, and types also read from JSON.
                    if i % 2 == 1 {
                        space.mark_deserialized(&ty);
                    }
                    ty.tokens()
                })
                .collect()
        })?;
    }

    #[test]
    fn random_samples_give_valid_rust(samples in prop::collection::vec(sample(), 1..4)) {
        let origin = Origin::action("prop", "case", "/action/sampleSuccessResponse");
        check(|space| {
            samples
                .iter()
                .map(|s| space.add_sample(&origin, "Response", Some(s)).tokens())
                .collect()
        })?;
    }
}
