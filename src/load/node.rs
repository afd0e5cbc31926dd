//! A YAML/JSON value tree in which every node keeps its source span.
//!
//! serde's data model forgets positions, so the loader builds this tree
//! first; schema validation runs on it (to point at the offending node), and
//! typed models are then deserialised from its JSON form.

use std::fmt;

pub use compact_str::CompactString as Text;

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Text),
    /// Boxed slices, not vectors: exact in size, and 16 bytes, so that a
    /// value is 24 (a string's spare byte holds the variant) and a node 40.
    Seq(Box<[Node]>),
    Map(Box<[Entry]>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// One `key: value` pair of a mapping, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Text,
    pub key_span: Span,
    pub value: Node,
}

/// The items of `buffer`, moved into a slice of exactly their number;
/// `buffer` is left empty, its capacity kept for reuse. Trees are kept
/// for the whole run, and `shrink_to_fit` is no help: mimalloc shrinks a
/// block in place (keeping all of it) down to half its size, so a map of
/// five entries kept the eight its buffer had grown to.
pub fn fitted<T>(buffer: &mut Vec<T>) -> Box<[T]> {
    let mut items = Vec::with_capacity(buffer.len());
    items.append(buffer);
    items.into_boxed_slice()
}

/// One step of a field path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A field path, printed API-server style: `spec.rules[0].matches`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Self {
        Path(Vec::new())
    }

    pub fn key(&self, key: &str) -> Path {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_string()));
        Path(segs)
    }

    pub fn index(&self, index: usize) -> Path {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(index));
        Path(segs)
    }

    /// Parses the dotted form used in code (`spec.rules[0].name`); keys may
    /// not contain dots or brackets, which holds for every schema field.
    pub fn parse(text: &str) -> Path {
        let mut segs = Vec::new();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let (key, rest) = part.split_once('[').unwrap_or((part, ""));
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_string()));
            }
            for index in rest.split('[') {
                if let Ok(i) = index.trim_end_matches(']').parse() {
                    segs.push(Seg::Index(i));
                }
            }
        }
        Path(segs)
    }
}

/// A printed path with its list indexes dropped, as the field index of
/// the releases writes it: `spec.rules[2].name` → `spec.rules[].name`.
pub fn unindexed(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("<root>");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Node { value, span }
    }

    /// The JSON type name, as the API server words type errors.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// The value under `key`, treating an explicit `null` as absent (the API
    /// server prunes nulls of non-nullable fields before defaulting).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key)
            .map(|e| &e.value)
            .filter(|v| v.value != Value::Null)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The node at `path`, if every step exists.
    pub fn at(&self, path: &Path) -> Option<&Node> {
        let mut node = self;
        for seg in &path.0 {
            node = match seg {
                Seg::Key(k) => node.get(k)?,
                Seg::Index(i) => node.as_seq()?.get(*i)?,
            };
        }
        Some(node)
    }

    /// The best span for `path`: the node itself, or for a missing field the
    /// key of its nearest present ancestor (where a user would add it).
    ///
    /// In a tree defaulted in place it locates as in the tree as written:
    /// an added field is missing, a defaulted null is the null.
    pub fn locate(&self, path: &Path) -> Span {
        let mut node = self;
        let mut span = self.span;
        for seg in &path.0 {
            let next = match seg {
                Seg::Key(k) => node
                    .entry(k)
                    .filter(|e| !e.key_span.is_added())
                    .map(|e| (e.key_span, &e.value)),
                Seg::Index(i) => node.as_seq().and_then(|s| s.get(*i)).map(|n| (n.span, n)),
            };
            match next {
                Some((_, child)) if child.span.is_null_defaulted() => {
                    span = Span::new(self.span.file, child.span.start(), child.span.end());
                    break;
                }
                Some((key_span, child)) => {
                    node = child;
                    span = if matches!(child.value, Value::Map(_) | Value::Seq(_)) {
                        key_span
                    } else {
                        child.span
                    };
                }
                None => break,
            }
        }
        span
    }

    /// The span of the key that `path` ends in (an unknown field is the
    /// key's fault, not its value's); else [`Node::locate`].
    pub fn locate_key(&self, path: &Path) -> Span {
        let (Some(Seg::Key(last)), Some(parent)) = (
            path.0.last(),
            path.0.split_last().map(|(_, p)| Path(p.to_vec())),
        ) else {
            return self.locate(path);
        };
        match self.at(&parent).and_then(|p| p.entry(last)) {
            Some(e) if !e.key_span.is_added() => e.key_span,
            _ => self.locate(path),
        }
    }

    /// The tree as written, from one defaulted in place: without the
    /// fields defaulting added, and with the nulls it replaced.
    pub fn as_written(&self) -> Node {
        self.written(self.span.file)
    }

    fn written(&self, file: crate::source::FileId) -> Node {
        if self.span.is_null_defaulted() {
            let span = Span::new(file, self.span.start(), self.span.end());
            return Node::new(Value::Null, span);
        }
        let value = match &self.value {
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .filter(|e| !e.key_span.is_added())
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: e.value.written(file),
                    })
                    .collect(),
            ),
            Value::Seq(items) => Value::Seq(items.iter().map(|n| n.written(file)).collect()),
            other => other.clone(),
        };
        Node::new(value, self.span)
    }

    /// Calls `f` on the span of this node and of every key and node below.
    pub fn visit_spans(&mut self, f: &mut dyn FnMut(&mut Span)) {
        f(&mut self.span);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.visit_spans(f)),
            Value::Map(entries) => {
                for e in entries {
                    f(&mut e.key_span);
                    e.value.visit_spans(f);
                }
            }
            _ => {}
        }
    }

    /// The plain JSON value, for serde.
    pub fn to_json(&self) -> serde_json::Value {
        self.json(false)
    }

    /// The JSON of the tree as written ([`Node::as_written`]) from one
    /// defaulted in place, without copying the tree first.
    pub fn written_json(&self) -> serde_json::Value {
        self.json(true)
    }

    fn json(&self, as_written: bool) -> serde_json::Value {
        use serde_json::Value as J;
        if as_written && self.span.is_null_defaulted() {
            return J::Null;
        }
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::Seq(items) => J::Array(items.iter().map(|n| n.json(as_written)).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .filter(|e| !(as_written && e.key_span.is_added()))
                    .map(|e| (e.key.to_string(), e.value.json(as_written)))
                    .collect(),
            ),
        }
    }
}

impl Node {
    /// [`Node::to_json`], moving the strings instead of copying them.
    pub fn into_json(self) -> serde_json::Value {
        use serde_json::Value as J;
        match self.value {
            Value::Str(s) => J::String(s.into_string()),
            Value::Seq(items) => {
                J::Array(items.into_vec().into_iter().map(Node::into_json).collect())
            }
            Value::Map(entries) => J::Object(
                entries
                    .into_vec()
                    .into_iter()
                    .map(|e| (e.key.into_string(), e.value.into_json()))
                    .collect(),
            ),
            _ => self.to_json(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key and value of every input is one of these, kept until the
    /// output is written: a byte more here is megabytes at the peak.
    #[test]
    fn a_value_is_24_bytes_a_node_40_and_an_entry_80() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
        assert_eq!(std::mem::size_of::<Node>(), 40);
        assert_eq!(std::mem::size_of::<Entry>(), 80);
    }
}
