//! Stage 3: API-server defaulting.
//!
//! In a cluster the API server fills in CRD defaults before the controller
//! (or validation) ever sees an object; aigw does the same, from the
//! `default` keywords of the compiled schema, before validating.

use crate::load::node::{Entry, Node, Value};
use crate::schema::Schema;
use crate::source::Span;

/// Sets `metadata.namespace` when absent (the `-n/--namespace` flag, like kubectl).
pub fn apply_namespace(node: &mut Node, namespace: &str) {
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    let Some(meta) = entries.iter_mut().find(|e| e.key == "metadata") else {
        return;
    };
    let span = meta.value.span;
    let Value::Map(meta_entries) = &mut meta.value.value else {
        return;
    };
    match meta_entries.iter_mut().find(|e| e.key == "namespace") {
        Some(e) if e.value.value != Value::Null => {}
        Some(e) => e.value = Node::new(Value::Str(namespace.into()), span),
        None => meta_entries.push(Entry {
            key: "namespace".into(),
            key_span: span,
            value: Node::new(Value::Str(namespace.into()), span),
        }),
    }
}

/// Fills in every schema default below `node`, recursively. Values of the
/// wrong type are left alone for validation to report.
pub fn apply(node: &mut Node, schema: &Schema) {
    match &mut node.value {
        Value::Map(entries) => {
            for (name, prop) in &schema.properties {
                let present = entries.iter().position(|e| &e.key == name);
                match (present, &prop.default) {
                    (Some(i), Some(default))
                        if entries.get(i).is_some_and(|e| e.value.value == Value::Null) =>
                    {
                        if let Some(e) = entries.get_mut(i) {
                            e.value = from_json(default, e.value.span);
                        }
                    }
                    (None, Some(default)) => {
                        // A defaulted field has no text of its own: point at its parent.
                        let span = node.span;
                        entries.push(Entry {
                            key: name.clone(),
                            key_span: span,
                            value: from_json(default, span),
                        });
                    }
                    _ => {}
                }
                if let Some(e) = entries.iter_mut().find(|e| &e.key == name) {
                    apply(&mut e.value, prop);
                }
            }
            if let Some(values) = &schema.values {
                for e in entries.iter_mut() {
                    apply(&mut e.value, values);
                }
            }
        }
        Value::Seq(items) => {
            if let Some(item_schema) = &schema.items {
                for item in items {
                    apply(item, item_schema);
                }
            }
        }
        _ => {}
    }
}

/// A node for a JSON value, every part of it placed at `span`.
pub fn from_json(value: &serde_json::Value, span: Span) -> Node {
    use serde_json::Value as J;
    let value = match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        J::String(s) => Value::Str(s.clone()),
        J::Array(items) => Value::Seq(items.iter().map(|i| from_json(i, span)).collect()),
        J::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_span: span,
                    value: from_json(v, span),
                })
                .collect(),
        ),
    };
    Node::new(value, span)
}
