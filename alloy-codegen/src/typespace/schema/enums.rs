//! `enum` and `const` → open enums whose catch-all variant keeps any other value, so a value
//! the schema did not list never fails to parse.

use rustc_hash::FxHashSet;
use serde_json::{Map, Value};

use super::Cx;
use crate::typespace::model::{Kind, Literal, LiteralEnum, OtherKind, TypeDef, TypeRef};
use crate::typespace::naming::enum_variant_names;
#[cfg(test)]
use crate::typespace::naming::variant_name;
use crate::typespace::report::push_pointer;

pub(super) fn convert_enum(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    values: &[Value],
    hint: &str,
    ptr: &str,
) -> TypeRef {
    let mut literals: Vec<Literal> = Vec::new();
    // Some enums list hundreds of values (time zones, currencies): dedup in a set, not by scan.
    let mut seen = FxHashSet::default();
    for (i, value) in values.iter().enumerate() {
        let literal = match value {
            Value::Null => continue,
            Value::String(s) => Literal::Str(s.clone()),
            Value::Bool(b) => Literal::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Literal::Int(i),
                None => Literal::Float(n.as_f64().unwrap_or(0.0).to_bits()),
            },
            Value::Array(_) | Value::Object(_) => {
                let at = push_pointer(&push_pointer(ptr, "enum"), &i.to_string());
                return cx.untyped(&at, "enum values that are arrays or objects are not typed");
            }
        };
        if seen.insert(literal.clone()) {
            literals.push(literal);
        }
    }
    if literals.is_empty() {
        return TypeRef::value();
    }
    if literals.iter().all(|l| matches!(l, Literal::Bool(_))) {
        return TypeRef::new(Kind::Bool);
    }
    let other = if literals.iter().all(|l| matches!(l, Literal::Str(_))) {
        OtherKind::String
    } else if literals.iter().all(|l| matches!(l, Literal::Int(_))) {
        OtherKind::Int
    } else {
        OtherKind::Value
    };
    let (other_name, names) = cx.space.enum_variant_names(&literals, || {
        let words: Vec<String> = literals.iter().map(literal_words).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        enum_variant_names(&words)
    });
    let variants = names.into_iter().zip(literals).collect();
    let def = TypeDef::Enum(LiteralEnum {
        variants,
        other_name,
        other,
    });
    cx.intern(obj, hint, def)
}

/// Words a literal's variant name is made of (`-1.5` → `minus 1 point 5`).
fn literal_words(literal: &Literal) -> String {
    match literal {
        Literal::Str(s) => s.clone(),
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => number_words(&i.to_string()),
        Literal::Float(bits) => number_words(&f64::from_bits(*bits).to_string()),
    }
}

fn number_words(text: &str) -> String {
    text.replace('-', " minus ").replace('.', " point ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_literals_read_as_words() {
        assert_eq!(variant_name(&literal_words(&Literal::Int(-1))), "Minus1");
        assert_eq!(
            variant_name(&literal_words(&Literal::Float(1.5f64.to_bits()))),
            "V1Point5"
        );
        assert_eq!(variant_name(&literal_words(&Literal::Int(200))), "V200");
    }
}
