//! JSON Schema → [`TypeRef`]: dispatch on the schema's keywords, primitives, `$ref` and
//! cycles. Objects and arrays live in [`object`], literal enums in [`enums`], `oneOf`/`anyOf`
//! in [`union`]; `allOf` is merged into one schema first ([`super::compose`]).

mod branches;
mod enums;
mod object;
mod union;

pub(super) use object::EXTRA;

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::compose;
use super::model::{Doc, Kind, TypeDef, TypeRef};
use super::report::push_pointer;
use super::{MAX_DEPTH, Origin, TypeSpace};

/// Work one [`TypeSpace::add_schema`] call may do, in schema nodes converted plus JSON values
/// copied while merging `allOf` and distributing it over `oneOf`. Distribution multiplies
/// branches (exponentially, for a union whose branches refer back to it through `allOf`);
/// past this budget the rest is `serde_json::Value` with one warning. The largest corpus
/// schema uses about a tenth of it.
const WORK_BUDGET: usize = 1_000_000;

pub(super) fn convert_root(
    space: &mut TypeSpace,
    origin: &Origin,
    hint: &str,
    schema: &Value,
) -> TypeRef {
    let mut cx = Cx {
        space,
        origin,
        root: schema,
        refs_in_progress: Vec::new(),
        inlined: Vec::new(),
        ref_memo: HashMap::new(),
        budget: WORK_BUDGET,
    };
    cx.convert(schema, hint, &origin.pointer, 0)
}

/// A `$ref` target being converted: a reference back to it is a cycle.
struct RefFrame {
    pointer: String,
    name: String,
    used: bool,
}

/// State of one `add_schema` call.
pub(super) struct Cx<'s, 'r> {
    pub(super) space: &'s mut TypeSpace,
    origin: &'r Origin,
    /// The document `$ref`s resolve against.
    root: &'r Value,
    refs_in_progress: Vec<RefFrame>,
    /// `$ref` targets inlined by `allOf` merges on the current path.
    inlined: Vec<String>,
    ref_memo: HashMap<String, TypeRef>,
    budget: usize,
}

impl Cx<'_, '_> {
    /// Converts one schema node and counts it for coverage.
    pub(super) fn convert(
        &mut self,
        schema: &Value,
        hint: &str,
        ptr: &str,
        depth: usize,
    ) -> TypeRef {
        let ty = self.convert_inner(schema, hint, ptr, depth);
        self.space.coverage.count(!ty.is_json_value());
        ty
    }

    /// [`Cx::convert`] for a member or item schema, building its name hint and pointer only
    /// when it needs them: a plain primitive (most leaves of every schema) needs neither, and
    /// building both for each leaf cost a tenth of the type space's time.
    pub(super) fn convert_child(
        &mut self,
        schema: &Value,
        depth: usize,
        hint: impl FnOnce() -> String,
        ptr: impl FnOnce() -> String,
    ) -> TypeRef {
        match self.plain_primitive(schema, depth) {
            Some(ty) => ty,
            None => self.convert(schema, &hint(), &ptr(), depth),
        }
    }

    /// What [`Cx::convert`] makes of a schema that only declares one primitive type, when
    /// nothing on the way (budget, depth, keywords) would warn: the same type, budget charge
    /// and coverage count.
    fn plain_primitive(&mut self, schema: &Value, depth: usize) -> Option<TypeRef> {
        let Value::Object(obj) = schema else {
            return None;
        };
        if self.budget <= 1 || depth > MAX_DEPTH {
            return None;
        }
        let ty = match obj.get("type") {
            Some(Value::String(ty)) => ty.as_str(),
            _ => return None,
        };
        if !matches!(ty, "string" | "integer" | "number" | "boolean")
            || ["$ref", "allOf", "oneOf", "anyOf", "enum", "const"]
                .iter()
                .any(|k| obj.contains_key(*k))
        {
            return None;
        }
        self.budget -= 1;
        // A primitive names nothing and cannot warn: no hint or pointer is read.
        let ty = self
            .convert_typed(obj, ty, "", "", depth)
            .with_nullable(is_nullable(obj));
        self.space.coverage.count(true);
        Some(ty)
    }

    /// Spends `units` of the work budget; false (with one warning, when it runs out) if the
    /// budget is spent.
    pub(super) fn charge(&mut self, units: usize, ptr: &str) -> bool {
        if self.budget == 0 {
            return false;
        }
        if units >= self.budget {
            self.budget = 0;
            self.untyped(
                ptr,
                format!("schema too large to type: work budget of {WORK_BUDGET} exhausted"),
            );
            return false;
        }
        self.budget -= units;
        true
    }

    /// The named type of `def`, converted from schema `obj` (its title and description).
    pub(super) fn intern(&mut self, obj: &Map<String, Value>, hint: &str, def: TypeDef) -> TypeRef {
        let title = obj.get("title").and_then(Value::as_str);
        let doc = Doc::from_schema(obj);
        TypeRef::named(self.space.registry.intern_titled(hint, title, def, doc))
    }

    /// Records a warning and returns the fallback type.
    pub(super) fn untyped(&mut self, ptr: &str, message: impl Into<String>) -> TypeRef {
        self.space.warn(self.origin, ptr, message);
        TypeRef::value()
    }

    /// Converts a node without counting it (for re-entry with a rewritten schema).
    pub(super) fn convert_inner(
        &mut self,
        schema: &Value,
        hint: &str,
        ptr: &str,
        depth: usize,
    ) -> TypeRef {
        if !self.charge(1, ptr) {
            return TypeRef::value();
        }
        let obj = match schema {
            Value::Object(obj) => obj,
            Value::Bool(true) => return TypeRef::value(),
            Value::Bool(false) => {
                return self.untyped(ptr, "schema `false` admits no value");
            }
            other => {
                return self.untyped(
                    ptr,
                    format!(
                        "a schema must be an object or a boolean, found {}",
                        kind_of(other)
                    ),
                );
            }
        };
        if depth > MAX_DEPTH {
            return self.untyped(ptr, format!("schema nests deeper than {MAX_DEPTH} levels"));
        }
        if obj.contains_key("$ref") {
            return self.convert_ref(obj, hint, ptr, depth);
        }
        if obj.contains_key("allOf") {
            return self.convert_all_of(obj, hint, ptr, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if obj.contains_key(key) {
                return union::convert_union(self, obj, key, hint, ptr, depth);
            }
        }
        let nullable = is_nullable(obj);
        if let Some(values) = obj.get("enum") {
            let Some(values) = values.as_array() else {
                return self.untyped(&push_pointer(ptr, "enum"), "`enum` is not an array");
            };
            return enums::convert_enum(self, obj, values, hint, ptr).with_nullable(nullable);
        }
        if let Some(value) = obj.get("const") {
            let values = [value.clone()];
            return enums::convert_enum(self, obj, &values, hint, ptr).with_nullable(nullable);
        }
        let types = match declared_types(obj) {
            Ok(types) => types,
            Err(message) => return self.untyped(&push_pointer(ptr, "type"), message),
        };
        match types.as_slice() {
            [] => match inferred_type(obj) {
                Some(ty) => self.convert_typed(obj, ty, hint, ptr, depth),
                None => TypeRef::value(),
            },
            [ty] => self.convert_typed(obj, ty, hint, ptr, depth),
            many => union::convert_type_list(self, obj, many, hint, ptr, depth),
        }
        .with_nullable(nullable)
    }

    /// Converts a schema whose (single, non-null) type is `ty`.
    pub(super) fn convert_typed(
        &mut self,
        obj: &Map<String, Value>,
        ty: &str,
        hint: &str,
        ptr: &str,
        depth: usize,
    ) -> TypeRef {
        let format = obj.get("format").and_then(Value::as_str).unwrap_or("");
        match ty {
            "string" => TypeRef::new(Kind::String),
            "integer" => TypeRef::new(match format {
                "int32" | "int16" | "int8" => Kind::I32,
                "uint32" | "uint16" | "uint8" => Kind::U32,
                "uint64" | "uint" => Kind::U64,
                _ => Kind::I64,
            }),
            "number" => TypeRef::new(Kind::F64),
            "boolean" => TypeRef::new(Kind::Bool),
            "object" => object::convert_object(self, obj, hint, ptr, depth),
            "array" => object::convert_array(self, obj, hint, ptr, depth),
            other => self.untyped(
                &push_pointer(ptr, "type"),
                format!("unknown schema type `{other}`"),
            ),
        }
    }

    fn convert_all_of(
        &mut self,
        obj: &Map<String, Value>,
        hint: &str,
        ptr: &str,
        depth: usize,
    ) -> TypeRef {
        // `allOf: [{$ref}]` beside annotations (OpenAPI 3.0's way to add `nullable` or a
        // description to a reference) is the reference itself, recursion included.
        if let Some(Value::Array(parts)) = obj.get("allOf")
            && let [Value::Object(part)] = parts.as_slice()
            && part.contains_key("$ref")
            && part
                .keys()
                .all(|k| k == "$ref" || compose::ANNOTATIONS.contains(&k.as_str()))
            && obj.keys().all(|k| {
                k == "allOf" || k == "nullable" || compose::ANNOTATIONS.contains(&k.as_str())
            })
        {
            let mut reference = part.clone();
            if let Some(nullable) = obj.get("nullable") {
                reference.insert("nullable".to_owned(), nullable.clone());
            }
            return self.convert_ref(&reference, hint, &push_pointer(ptr, "allOf/0"), depth);
        }
        let (in_progress, inlined) = (&self.refs_in_progress, &self.inlined);
        let blocked =
            |p: &str| in_progress.iter().any(|f| f.pointer == p) || inlined.iter().any(|i| i == p);
        match compose::merge_all_of(obj, self.root, depth, &blocked) {
            Ok(merged) if self.charge(count_values(&merged.schema, self.budget), ptr) => {
                let mark = self.inlined.len();
                self.inlined.extend(merged.inlined);
                let ty = self.convert_inner(&merged.schema, hint, ptr, depth + 1);
                self.inlined.truncate(mark);
                ty
            }
            Ok(_) => TypeRef::value(),
            Err(message) => self.untyped(&push_pointer(ptr, "allOf"), message),
        }
    }

    fn convert_ref(
        &mut self,
        obj: &Map<String, Value>,
        hint: &str,
        ptr: &str,
        depth: usize,
    ) -> TypeRef {
        let nullable = is_nullable(obj);
        let ref_ptr = push_pointer(ptr, "$ref");
        let Some(reference) = obj.get("$ref").and_then(Value::as_str) else {
            return self.untyped(&ref_ptr, "`$ref` is not a string");
        };
        let Some(target_ptr) = local_pointer(reference) else {
            return self.untyped(
                &ref_ptr,
                format!("`{reference}`: only same-document references (`#/…`) are supported"),
            );
        };
        if let Some(frame) = self
            .refs_in_progress
            .iter_mut()
            .find(|f| f.pointer == target_ptr)
        {
            frame.used = true;
            let back_edge = TypeRef::new(Kind::Named {
                name: frame.name.clone(),
                boxed: true,
            });
            return back_edge.with_nullable(nullable);
        }
        if let Some(ty) = self.ref_memo.get(&target_ptr) {
            return ty.clone().with_nullable(nullable);
        }
        let root = self.root;
        let Some(target) = root.pointer(&target_ptr) else {
            return self.untyped(&ref_ptr, format!("`{reference}` does not resolve"));
        };
        let wanted = target
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| target_ptr.rsplit('/').next().map(unescape_token))
            .unwrap_or_else(|| hint.to_owned());
        // The target's own definition claims this name (its hint is the name itself, which no
        // other node converted meanwhile can have: descendants' hints are longer).
        let name = self.space.registry.reserve(&wanted);
        self.space.registry.set_pending(&name, &name);
        self.refs_in_progress.push(RefFrame {
            pointer: target_ptr.clone(),
            name: name.clone(),
            used: false,
        });
        let target_at = format!("{}{}", self.origin.pointer, target_ptr);
        let ty = self.convert_inner(target, &name, &target_at, depth + 1);
        let used = self.refs_in_progress.pop().is_some_and(|f| f.used);
        let unclaimed = self.space.registry.unclaim(&name);
        let ty = if unclaimed && used {
            // A recursive type that is not itself a named type (an array of itself…): give the
            // back edges' name a body.
            let doc = target.as_object().map(Doc::from_schema).unwrap_or_default();
            self.space
                .registry
                .define(&name, TypeDef::Newtype(ty.non_null()), doc);
            TypeRef::named(name).with_nullable(ty.nullable)
        } else {
            ty
        };
        self.ref_memo.insert(target_ptr, ty.clone());
        ty.with_nullable(nullable)
    }
}

/// How many JSON values `value` holds, counting no further than `limit` (iterative, so any
/// depth is safe).
pub(super) fn count_values(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        if count > limit {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => stack.extend(members.values()),
            _ => {}
        }
    }
    count
}

/// Whether the schema admits `null` besides its type: `nullable: true` (OpenAPI 3.0), a
/// `"null"` in a type list (3.1), or `null` among `enum` values.
pub(super) fn is_nullable(obj: &Map<String, Value>) -> bool {
    obj.get("nullable") == Some(&Value::Bool(true))
        || match obj.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
            _ => false,
        }
        || obj
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|vs| vs.iter().any(Value::is_null))
}

/// Whether a schema admits only `null`.
pub(super) fn is_null_only(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    match obj.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(ts)) if !ts.is_empty() && ts.iter().all(|t| t == "null") => {
            return true;
        }
        _ => {}
    }
    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        return !values.is_empty() && values.iter().all(Value::is_null);
    }
    obj.get("const").is_some_and(Value::is_null)
}

/// The non-null types a schema declares, deduplicated, in order.
fn declared_types(obj: &Map<String, Value>) -> Result<Vec<&str>, String> {
    let mut types: Vec<&str> = Vec::new();
    match obj.get("type") {
        None => {}
        Some(Value::String(t)) => types.push(t),
        Some(Value::Array(ts)) => {
            for t in ts {
                let Some(t) = t.as_str() else {
                    return Err(format!("`type` list holds a non-string: {t}"));
                };
                if !types.contains(&t) {
                    types.push(t);
                }
            }
        }
        Some(other) => {
            return Err(format!(
                "`type` is {}, not a string or list",
                kind_of(other)
            ));
        }
    }
    types.retain(|t| *t != "null");
    Ok(types)
}

/// The type a schema without `type` describes, judged by its keywords.
fn inferred_type(obj: &Map<String, Value>) -> Option<&'static str> {
    let has = |keys: &[&str]| keys.iter().any(|k| obj.contains_key(*k));
    if has(&[
        "properties",
        "additionalProperties",
        "patternProperties",
        "required",
    ]) {
        Some("object")
    } else if has(&["items", "prefixItems", "additionalItems"]) {
        Some("array")
    } else if has(&["format", "pattern", "minLength", "maxLength"]) {
        Some("string")
    } else if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        Some("number")
    } else {
        None
    }
}

/// `#/a/b` → `/a/b` (percent-decoded); `None` for anything but a same-document reference.
pub(in crate::typespace) fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = fragment.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
