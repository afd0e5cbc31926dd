//! JSON text read into a plain tree for the YAML writer: a derived object
//! waits to be written as JSON text, and reading it into a
//! `serde_json::Value` (a hashed map for every mapping, its keys hashed
//! one by one) cost more than writing it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

use crate::load::node::{Entry, Node, Value};
use crate::source::Span;

/// The tree of `text`, every span empty; `None` for what a tree cannot
/// hold as JSON does (an integer above `i64::MAX`), or text that is not
/// JSON.
pub fn tree(text: &str) -> Option<Node> {
    let mut de = serde_json::Deserializer::from_str(text);
    let node = TreeSeed.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(node)
}

struct TreeSeed;

impl<'de> DeserializeSeed<'de> for TreeSeed {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

fn node(value: Value) -> Node {
    Node::new(value, Span::default())
}

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: Error>(self) -> Result<Node, E> {
        Ok(node(Value::Null))
    }

    fn visit_bool<E: Error>(self, b: bool) -> Result<Node, E> {
        Ok(node(Value::Bool(b)))
    }

    fn visit_i64<E: Error>(self, i: i64) -> Result<Node, E> {
        Ok(node(Value::Int(i)))
    }

    fn visit_u64<E: Error>(self, u: u64) -> Result<Node, E> {
        i64::try_from(u)
            .map(|i| node(Value::Int(i)))
            .map_err(|_| E::custom("an integer above i64::MAX"))
    }

    fn visit_f64<E: Error>(self, f: f64) -> Result<Node, E> {
        Ok(node(Value::Float(f)))
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<Node, E> {
        Ok(node(Value::Str(s.into())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(TreeSeed)? {
            items.push(item);
        }
        Ok(node(Value::Seq(items.into_boxed_slice())))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value = map.next_value_seed(TreeSeed)?;
            entries.push(Entry {
                key: key.as_ref().into(),
                key_span: Span::default(),
                value,
            });
        }
        Ok(node(Value::Map(entries.into_boxed_slice())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The YAML written from the tree is the YAML written from a JSON value
    /// of the same text.
    #[test]
    fn a_tree_writes_as_the_json_value_does() {
        let text = r#"{"apiVersion":"v1","kind":"K","metadata":{"name":"a","labels":{"x":"yes"}},
            "spec":{"n":1,"neg":-2,"f":1.5,"e":1e300,"t":true,"z":null,"s":"a\nb\n","l":[],"m":{},
            "items":[{"a":1},[1,2],"on","2023-09-30"],"esc":"\"\\u00e9\""}}"#;
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let Some(read) = tree(text) else {
            panic!("not read");
        };
        assert_eq!(
            crate::emit::yaml::to_yaml(&read),
            crate::emit::yaml::to_yaml(&value)
        );
        assert!(tree(r#"{"big":18446744073709551615}"#).is_none());
        assert!(tree("{").is_none());
        assert!(tree("{} x").is_none());
    }
}
