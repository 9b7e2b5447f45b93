//! The type space's public contract, one construct at a time.

use alloy_codegen::typespace::{MAX_DEPTH, Origin, TypeSpace};
use serde_json::{Value, json};

fn origin() -> Origin {
    Origin::action("crm", "createContact", "/action/requestBody")
}

fn tokens(space: &mut TypeSpace, schema: Value) -> String {
    space
        .add_schema(&origin(), "Body", &schema)
        .tokens()
        .to_string()
        .replace(' ', "")
}

#[test]
fn primitives_and_containers_are_fully_qualified() {
    let mut space = TypeSpace::new();
    assert_eq!(
        tokens(&mut space, json!({"type": "string"})),
        "::std::string::String"
    );
    assert_eq!(
        tokens(&mut space, json!({"type": "integer", "format": "int32"})),
        "i32"
    );
    assert_eq!(tokens(&mut space, json!({"type": "number"})), "f64");
    assert_eq!(tokens(&mut space, json!({})), "::serde_json::Value");
    assert_eq!(
        tokens(
            &mut space,
            json!({"type": "array", "items": {"type": "boolean"}})
        ),
        "::std::vec::Vec<bool>"
    );
    assert_eq!(
        tokens(
            &mut space,
            json!({"type": "object", "additionalProperties": {"type": "integer"}})
        ),
        "::std::collections::BTreeMap<::std::string::String,i64>"
    );
    assert_eq!(space.type_count(), 0);
    assert_eq!(space.coverage().untyped, 1);
}

#[test]
fn nullable_types_are_options_and_say_so() {
    let mut space = TypeSpace::new();
    let ty = space.add_schema(&origin(), "Body", &json!({"type": ["string", "null"]}));
    assert!(ty.is_option_like());
    assert_eq!(
        ty.tokens().to_string().replace(' ', ""),
        "::std::option::Option<::std::string::String>"
    );
    let ty = space.add_schema(&origin(), "Body", &json!({"type": "string"}));
    assert!(!ty.is_option_like());
    // `Value` holds null itself.
    let ty = space.add_schema(&origin(), "Body", &json!({"nullable": true}));
    assert!(ty.is_json_value() && !ty.is_option_like());
}

#[test]
fn equal_shapes_are_one_type_named_by_first_use() {
    let mut space = TypeSpace::new();
    let shape = |doc: &str| {
        json!({"type": "object", "description": doc, "properties": {
            "address": {"type": "object", "properties": {"city": {"type": "string"}}}
        }})
    };
    let a = space.add_schema(&origin(), "CreateContactRequest", &shape("one"));
    let b = space.add_schema(&origin(), "UpdateContactRequest", &shape("two"));
    assert_eq!(a, b);
    assert_eq!(a.named_type(), Some("CreateContactRequest"));
    assert_eq!(space.type_count(), 2, "the request and its address");
    let sample = space.add_sample(&origin(), "GetContactResponse", Some(&json!({"city": "x"})));
    let again = space.add_sample(
        &origin(),
        "ListContactsResponse",
        Some(&json!({"city": "y"})),
    );
    assert_eq!(sample, again);
    assert_eq!(space.type_count(), 3);
}

#[test]
fn reserved_names_are_never_reused() {
    let mut space = TypeSpace::new();
    assert_eq!(
        space.reserve_name("CreateContactParams"),
        "CreateContactParams"
    );
    assert_eq!(
        space.reserve_name("create contact params"),
        "CreateContactParams2"
    );
    let ty = space.add_schema(
        &origin(),
        "CreateContactParams",
        &json!({"type": "object", "properties": {"a": {"type": "string"}}}),
    );
    assert_eq!(ty.named_type(), Some("CreateContactParams3"));
}

#[test]
fn untypable_parts_warn_with_their_pointer() {
    let mut space = TypeSpace::new();
    let ty = space.add_schema(
        &origin(),
        "Body",
        &json!({"type": "object", "properties": {
            "odd": {"type": "file"},
            "bad": 42,
            "ref": {"$ref": "#/definitions/missing"}
        }}),
    );
    assert!(!ty.is_json_value());
    let warnings: Vec<String> = space.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "crm/createContact at /action/requestBody/properties/bad: a schema must be an object or a boolean, found a number",
            "crm/createContact at /action/requestBody/properties/odd/type: unknown schema type `file`",
            "crm/createContact at /action/requestBody/properties/ref/$ref: `#/definitions/missing` does not resolve",
        ]
    );
    assert_eq!(space.coverage().typed, 1);
    assert_eq!(space.coverage().untyped, 3);
}

/// `{key: inner}` without `json!`, whose interpolation would recurse through `inner`.
fn wrap(key: &str, inner: Value) -> Value {
    let mut map = serde_json::Map::new();
    map.insert(key.to_owned(), inner);
    Value::Object(map)
}

/// A schema and a sample nested far deeper than the limit, converted on a thread with a
/// 512 KiB stack (a quarter of a spawned thread's default): the depth guard, not the stack,
/// ends the recursion, with room to spare in an unoptimized build.
#[test]
fn deep_nesting_is_cut_without_overflowing_the_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(512 << 10)
        .spawn(|| {
            let mut schema = json!({"type": "string"});
            let mut sample = json!(1);
            for _ in 0..500 {
                let mut object = wrap("properties", wrap("a", wrap("items", schema)));
                object["properties"]["a"]["type"] = json!("array");
                object["type"] = json!("object");
                schema = object;
                sample = wrap("a", Value::Array(vec![sample]));
            }
            let mut space = TypeSpace::new();
            space.add_schema(&origin(), "Deep", &schema);
            space.add_sample(&origin(), "DeepSample", Some(&sample));
            let text = pretty(&space);
            let warnings: Vec<String> = space.warnings().iter().map(ToString::to_string).collect();
            // Dropping a 500-level `Value` recurses; that is serde_json's, not under test.
            std::mem::forget(schema);
            std::mem::forget(sample);
            (text, warnings)
        })
        .expect("spawn");
    let (text, warnings) = handle.join().expect("no stack overflow");
    assert!(syn::parse_str::<syn::File>(&text).is_ok());
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains(&format!("deeper than {MAX_DEPTH} levels")),
        "{warnings:?}"
    );
    assert!(warnings[1].contains("too deep"), "{warnings:?}");
}

#[test]
fn huge_unions_and_self_including_all_of_terminate() {
    let branches: Vec<Value> = (0..2000)
        .map(|i| {
            json!({"type": "object", "required": ["kind"], "properties": {
            "kind": {"const": format!("k{i}")}, "v": {"type": "integer"}}})
        })
        .collect();
    let mut space = TypeSpace::new();
    let ty = space.add_schema(&origin(), "Big", &json!({"oneOf": branches}));
    assert!(ty.named_type().is_some());
    assert!(space.warnings().is_empty());

    let mut space = TypeSpace::new();
    let schema = json!({"oneOf": [
        {"allOf": [{"$ref": "#"}, {"properties": {"a": {"type": "string"}}}]},
        {"allOf": [{"$ref": "#"}, {"properties": {"b": {"type": "string"}}}]},
        {"type": "string"}
    ]});
    space.add_schema(&origin(), "Loop", &schema);
    assert!(syn::parse_file(&pretty(&space)).is_ok());
    assert!(
        space
            .warnings()
            .iter()
            .any(|w| w.message.contains("includes it again"))
    );
}

/// The item of type `name` in `text` (from its doc or derive to the next blank item).
fn item<'a>(text: &'a str, name: &str) -> &'a str {
    let start = text
        .find(&format!("pub struct {name} "))
        .or_else(|| text.find(&format!("pub enum {name} ")))
        .unwrap_or_else(|| panic!("no item {name} in {text}"));
    let before = text[..start].rfind("#[derive").unwrap_or(start);
    let end = text[start..].find("\n}").map_or(text.len(), |e| start + e);
    &text[before..end]
}

/// How type `name` implements `Deserialize` in `text`: `Some(true)` always, `Some(false)`
/// only with the crate feature, `None` not at all.
fn deserialize_of(text: &str, name: &str) -> Option<bool> {
    const GATE: &str = "#[cfg(feature = \"deserialize-requests\")]";
    let derive = item(text, name);
    if derive.contains("::serde::Deserialize") {
        return Some(!derive.contains("cfg_attr"));
    }
    let by_hand = format!("impl<'de> ::serde::Deserialize<'de> for {name} {{");
    let at = text.find(&by_hand)?;
    Some(!text[..at].trim_end().ends_with(GATE))
}

#[test]
fn only_types_read_from_json_always_implement_deserialize() {
    assert_eq!(
        alloy_codegen::typespace::DESERIALIZE_REQUESTS_FEATURE,
        "deserialize-requests"
    );
    let mut space = TypeSpace::new();
    let member = json!({"type": "object", "properties": {
        "at": {"type": "string", "nullable": true},
        "kind": {"enum": ["a", "b"]}
    }});
    let sent = space.add_schema(
        &origin(),
        "Sent",
        &json!({"type": "object", "required": ["n"],
                "properties": {"inner": member, "n": {"type": "integer"}}}),
    );
    let read = space.add_schema(
        &origin(),
        "Read",
        &json!({"type": "object", "properties": {"inner": member, "flag": {"type": "boolean"}}}),
    );
    space.mark_deserialized(&read);
    let sample = space.add_sample(&origin(), "Got", Some(&json!({"x": [{"y": 1}]})));
    let text = pretty(&space);

    // Only sent: `Deserialize` behind the crate feature (a required member: serde's derive).
    let sent = sent.named_type().expect("named");
    assert_eq!(deserialize_of(&text, sent), Some(false), "{text}");
    assert!(item(&text, sent).contains("::serde::Serialize"));
    // Shared with a read type, so always read, with everything it reaches; all-optional
    // structs read member by member rather than through serde's derive.
    for name in ["Read", "SentInner", "SentInnerKind", "Got", "GotXItem"] {
        assert_eq!(deserialize_of(&text, name), Some(true), "{name}: {text}");
    }
    assert!(!item(&text, "Got").contains("::serde::Deserialize"));
    assert!(
        text.contains("impl crate::types::ReadMembers for Got {"),
        "{text}"
    );
    // The explicit `null` of a nullable member stays apart from absence.
    assert!(
        text.contains("\"at\" => self.at = ::std::option::Option::Some(map.next_value()?)"),
        "{text}"
    );
    assert!(!text.contains("deserialize_some"), "{text}");
    assert!(
        !text.contains("#[cfg(feature = \"deserialize-requests\")]\npub(crate) fn read_members")
    );
    assert_eq!(sample.named_type(), Some("Got"));

    // Only sent types need the helpers: they are behind the feature too (else dead code).
    let mut space = TypeSpace::new();
    space.add_schema(
        &origin(),
        "Sent",
        &json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "at": {"type": "string", "nullable": true}}}),
    );
    space.add_schema(&origin(), "Other", &member);
    let text = pretty(&space);
    for helper in [
        "pub(crate) fn deserialize_some",
        "pub(crate) fn read_members",
        "pub(crate) trait ReadMembers",
    ] {
        assert!(
            text.contains(&format!(
                "#[cfg(feature = \"deserialize-requests\")]\n{helper}"
            )),
            "{helper}: {text}"
        );
    }
    // And without any struct, no helper at all; a schema named like the helper trait gets
    // another name.
    let text = pretty(&TypeSpace::new());
    assert!(
        !text.contains("deserialize_some") && !text.contains("ReadMembers"),
        "{text}"
    );
    let mut space = TypeSpace::new();
    let ty = space.add_schema(&origin(), "ReadMembers", &member);
    assert_ne!(ty.named_type(), Some("ReadMembers"));
}

/// The definitions as printed text.
fn pretty(space: &TypeSpace) -> String {
    space.definitions().expect("definitions are built")
}

#[test]
fn same_calls_give_identical_output() {
    let build = || {
        let mut space = TypeSpace::new();
        for (i, name) in ["b", "a", "B", "a-b"].iter().enumerate() {
            space.add_schema(
                &origin(),
                name,
                &json!({"type": "object", "properties": {name.to_string(): {"enum": [i, "x"]}}}),
            );
        }
        pretty(&space)
    };
    assert_eq!(build(), build());
}
