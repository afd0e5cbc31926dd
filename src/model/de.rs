//! Typed models read straight from the source tree, with serde.
//!
//! Going through `serde_json::Value` first built a second tree (an ordered
//! hash map per mapping) for every AI Gateway object, only to drop it. The
//! tree has already passed schema validation, so a mismatch here is a bug;
//! it is still reported, not assumed away.

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use crate::load::node::{Node, Value};

/// Reads a `T` from `node`, as `serde_json::from_value(node.to_json())` would.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, Error> {
    T::deserialize(node)
}

impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            // JSON has no NaN or infinity: serde_json made them null.
            Value::Float(f) if !f.is_finite() => visitor.visit_unit(),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => visitor.visit_seq(SeqDeserializer::new(items.iter())),
            Value::Map(entries) => visitor.visit_map(MapDeserializer::new(
                entries.iter().map(|e| (e.key.as_str(), &e.value)),
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.value {
            // A unit variant, written as its name.
            Value::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => self.deserialize_any(EnumNotString(name, variants, visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, Error> for &'de Node {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// An enum written as anything but its variant's name: the models have
/// only unit variants, so that is a type error.
struct EnumNotString<V>(&'static str, &'static [&'static str], V);

impl<'de, V: Visitor<'de>> Visitor<'de> for EnumNotString<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "one of {} for {}", self.1.join(", "), self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, Kind};

    /// Every valid input object of the testdata cases reads the same
    /// from the tree as through JSON.
    #[test]
    fn reads_what_json_reads() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut compared = 0;
        for case in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            for file in std::fs::read_dir(case.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let Ok(text) = std::fs::read_to_string(file.path()) else {
                    continue;
                };
                let (docs, _) = crate::load::yaml::parse_documents(0, &text);
                for mut doc in docs {
                    let Some(kind) = doc.get_str("kind").and_then(Kind::from_name) else {
                        continue;
                    };
                    crate::defaults::apply(&mut doc, crate::schema::Schema::of(kind));
                    let json = doc.to_json();
                    let same = match kind {
                        Kind::Route => same::<AIGatewayRoute>(&doc, json),
                        Kind::Backend => same::<AIServiceBackend>(&doc, json),
                        Kind::Policy => same::<BackendSecurityPolicy>(&doc, json),
                    };
                    if let Some(same) = same {
                        assert!(same, "{}", file.path().display());
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 200, "only {compared} objects compared");
    }

    /// Whether both ways give the same value (None: JSON rejects it too,
    /// and then the tree must reject it as well).
    fn same<T: DeserializeOwned + std::fmt::Debug>(
        node: &Node,
        json: serde_json::Value,
    ) -> Option<bool> {
        let through_json = serde_json::from_value::<T>(json);
        let direct = from_node::<T>(node);
        match (through_json, direct) {
            (Ok(a), Ok(b)) => Some(format!("{a:?}") == format!("{b:?}")),
            (Err(_), Err(_)) => None,
            (Ok(_), Err(e)) => panic!("the tree is rejected: {e}"),
            (Err(e), Ok(_)) => panic!("JSON is rejected but the tree is not: {e}"),
        }
    }
}
