//! Stage 3: API-server defaulting.
//!
//! In a cluster the API server fills in CRD defaults before the controller
//! (or validation) ever sees an object; aigw does the same, from the
//! `default` keywords of the compiled schema, before validating.

use crate::load::node::{Entry, Node, Value};
use crate::schema::{Literal, Schema};
use crate::source::Span;

/// Defaults one object of `kind` as the API server does on create: its
/// namespace (when absent), then its schema's defaults.
pub fn complete(node: &mut Node, kind: crate::model::Kind, namespace: &str) {
    apply_namespace(node, namespace);
    apply(node, Schema::of(kind));
}

/// What [`apply_namespace`] put in a tree.
pub enum NamespaceSet<'a> {
    /// The field was missing: this entry is new.
    Added(&'a mut Entry),
    /// The field was an explicit null, at this span.
    ReplacedNull(&'a mut Entry, Span),
}

/// Sets `metadata.namespace` when absent (the `-n/--namespace` flag, like
/// kubectl); says what it set, for a caller that marks defaults.
pub fn apply_namespace<'a>(node: &'a mut Node, namespace: &str) -> Option<NamespaceSet<'a>> {
    let Value::Map(entries) = &mut node.value else {
        return None;
    };
    let meta = entries.iter_mut().find(|e| e.key == "metadata")?;
    let span = meta.value.span;
    let Value::Map(meta_entries) = &mut meta.value.value else {
        return None;
    };
    let value = Node::new(Value::Str(namespace.into()), span);
    match meta_entries.iter().position(|e| e.key == "namespace") {
        Some(i) => {
            let e = meta_entries.get_mut(i)?;
            if e.value.value != Value::Null {
                return None;
            }
            let null = std::mem::replace(&mut e.value, value).span;
            Some(NamespaceSet::ReplacedNull(e, null))
        }
        None => {
            let mut entries = std::mem::take(meta_entries).into_vec();
            entries.push(Entry {
                key: "namespace".into(),
                key_span: span,
                value,
            });
            *meta_entries = entries.into_boxed_slice();
            meta_entries.last_mut().map(NamespaceSet::Added)
        }
    }
}

/// Fills in every schema default below `node`, recursively. Values of the
/// wrong type are left alone for validation to report.
pub fn apply(node: &mut Node, schema: &Schema) {
    match &mut node.value {
        Value::Map(map) => {
            // Fields with a default first, then every field's own: a walk
            // over the fields present finds each one's schema once.
            if schema.properties.iter().any(|(_, p)| p.default.is_some()) {
                // A vector while defaults are added; exactly sized again after.
                let mut entries = std::mem::take(map).into_vec();
                for (name, prop) in schema.properties {
                    let Some(default) = &prop.default else {
                        continue;
                    };
                    match entries.iter_mut().find(|e| e.key == *name) {
                        // An explicit null is pruned and defaulted, as the API server does.
                        Some(e) if e.value.value == Value::Null => {
                            e.value = from_literal(*default, e.value.span);
                        }
                        Some(_) => {}
                        // A defaulted field has no text of its own: point at its parent.
                        None => entries.push(Entry {
                            key: (*name).into(),
                            key_span: node.span,
                            value: from_literal(*default, node.span),
                        }),
                    }
                }
                *map = entries.into_boxed_slice();
            }
            for e in map.iter_mut() {
                if let Some(prop) = schema.property(&e.key) {
                    apply(&mut e.value, prop);
                }
                if let Some(values) = schema.values {
                    apply(&mut e.value, values);
                }
            }
        }
        Value::Seq(items) => {
            if let Some(item_schema) = schema.items {
                for item in items {
                    apply(item, item_schema);
                }
            }
        }
        _ => {}
    }
}

/// A node for a schema default, placed at `span`.
fn from_literal(literal: Literal, span: Span) -> Node {
    let value = match literal {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(b),
        Literal::Int(i) => Value::Int(i),
        Literal::Str(s) => Value::Str(s.into()),
        Literal::Json(_) => return from_json(&literal.to_json(), span),
    };
    Node { value, span }
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
        J::String(s) => Value::Str(s.as_str().into()),
        J::Array(items) => Value::Seq(items.iter().map(|i| from_json(i, span)).collect()),
        J::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Entry {
                    key: k.as_str().into(),
                    key_span: span,
                    value: from_json(v, span),
                })
                .collect(),
        ),
    };
    Node::new(value, span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::Path;
    use crate::model::Kind;

    fn route(weight: &str) -> Node {
        let text = format!(
            "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata: {{name: r}}\nspec:\n  rules:\n  - backendRefs:\n    - name: b\n      {weight}\n"
        );
        let (mut docs, _) = crate::load::yaml::parse_documents(0, &text);
        docs.pop()
            .unwrap_or_else(|| from_json(&serde_json::Value::Null, Span::default()))
    }

    #[test]
    fn missing_and_null_fields_get_their_defaults_and_set_ones_stay() {
        let schema = Schema::of(Kind::Route);
        let weight = |node: &Node| {
            node.at(&Path::parse("spec.rules[0].backendRefs[0].weight"))
                .map(|n| n.value.clone())
        };
        for (text, expected) in [
            ("", Value::Int(1)),
            ("weight: null", Value::Int(1)),
            ("weight: 0", Value::Int(0)),
        ] {
            let mut node = route(text);
            apply(&mut node, schema);
            assert_eq!(weight(&node), Some(expected), "{text}");
        }
        let mut node = route("");
        apply_namespace(&mut node, "team-a");
        assert_eq!(
            node.at(&Path::parse("metadata.namespace"))
                .and_then(Node::as_str),
            Some("team-a")
        );
    }
}
