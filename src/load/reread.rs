//! Reading one object again from its file's text, for a typed object that
//! let go of its tree (most runs report nothing, and the trees were the
//! largest part of the peak heap): only when a diagnostic points into it.

use super::node::{Node, Value};
use super::{json_objects, parse_json_object, yaml};
use crate::source::Span;

/// The tree of the object at `span` of `text`, as the loader built it
/// (same values, same spans). Parses the object's bytes alone, in place
/// (the start of its first line blanked, so that block indentation holds);
/// an object that refers to an anchor outside itself is found in a parse
/// of the whole file instead.
pub fn reread(text: &str, span: Span) -> Option<Node> {
    // Only the object's own bytes are copied (and unmasked): a diagnostic
    // in a large stream must not cost a copy of the whole file.
    let object = parsable(text.get(span.range())?);
    let line_start = text.get(..span.start())?.rfind('\n').map_or(0, |i| i + 1);
    let mut padded = " ".repeat(span.start() - line_start);
    padded.push_str(&object);
    let mut alone = if text.trim_start().starts_with('{') {
        parse_json_object(
            span.file,
            &padded,
            (span.start() - line_start, padded.len()),
            1,
        )
    } else {
        yaml::parse(span.file, &padded, 1)
    };
    for doc in &mut alone.documents {
        doc.visit_spans(&mut |s: &mut Span| {
            s.set_start(s.start() + line_start);
            s.set_end(s.end() + line_start);
        });
    }
    if alone.errors.is_empty() {
        if let Some(doc) = alone.documents.into_iter().next() {
            if doc.span == span {
                return Some(doc);
            }
        }
    }
    // An alias to an anchor outside the object: the whole file, once.
    let text = &*parsable(text);
    let documents = match json_objects(span.file, text) {
        Some(Ok(ranges)) => ranges
            .into_iter()
            .filter(|(start, end)| *start <= span.start() && span.end() <= *end)
            .flat_map(|range| parse_json_object(span.file, text, range, 1).documents)
            .collect(),
        Some(Err(_)) => Vec::new(),
        None => yaml::parse(span.file, text, usize::MAX).documents,
    };
    documents.into_iter().find_map(|doc| find(doc, span))
}

/// `text` with each masked value (`source::redact`: a run of `*` that
/// ends where a value ends) spelt as a plain scalar of the same length;
/// YAML would read `***` as an alias.
fn parsable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('*') {
        return text.into();
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'*' {
            i += 1;
            continue;
        }
        let end = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|c| *c != b'*'))
            .map_or(bytes.len(), |n| i + n);
        let ends_value = bytes
            .get(end)
            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}' | b']'));
        if ends_value {
            bytes
                .get_mut(i..end)
                .into_iter()
                .flatten()
                .for_each(|c| *c = b'x');
        }
        i = end;
    }
    String::from_utf8(bytes).map_or(text.into(), Into::into)
}

/// The node of `node` (or below) whose span is `span`.
fn find(node: Node, span: Span) -> Option<Node> {
    if node.span == span {
        return Some(node);
    }
    if node.span.start() > span.start() || node.span.end() < span.end() {
        return None;
    }
    match node.value {
        Value::Seq(items) => items.into_vec().into_iter().find_map(|n| find(n, span)),
        Value::Map(entries) => entries
            .into_vec()
            .into_iter()
            .find_map(|e| find(e.value, span)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys, kinds and spans of a tree, in order: what locating a
    /// path reads. (Values may differ: the kept text has Secret-like
    /// values masked, which is also why a failure here prints no tree.)
    fn skeleton(node: &Node, out: &mut Vec<(String, Span)>) {
        // A masked value reads as a string, whatever it was.
        let shape = match node.value {
            Value::Map(_) | Value::Seq(_) => node.type_name(),
            _ => "scalar",
        };
        out.push((shape.to_string(), node.span));
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|n| skeleton(n, out)),
            Value::Map(entries) => {
                for e in entries {
                    out.push((e.key.to_string(), e.key_span));
                    skeleton(&e.value, out);
                }
            }
            _ => {}
        }
    }

    fn skeleton_of(node: Option<&Node>) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        if let Some(node) = node {
            skeleton(node, &mut out);
        }
        out
    }

    /// Every object of every file in `testdata` reads again as loaded:
    /// the same keys, kinds and spans. Not Secrets: they keep their trees
    /// (they are written out), and their masked values can take a comma
    /// of a flow mapping with them.
    #[test]
    fn every_object_reads_again_as_it_was_loaded() {
        let mut checked = 0;
        for (path, loaded) in crate::testdata_loaded() {
            for object in loaded.objects.iter().filter(|o| o.kind != "Secret") {
                let span = object.node.span;
                let text = loaded.sources.get(span.file).map(|f| f.text.clone());
                let again = text.and_then(|t| reread(&t, span));
                assert!(
                    skeleton_of(again.as_ref()) == skeleton_of(Some(&object.node)),
                    "{}: {} {}",
                    path.display(),
                    object.kind,
                    object.name
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "only {checked} objects read");
    }

    fn objects_of(text: &str) -> (String, Vec<Node>) {
        let files = vec![("in.yaml".to_string(), text.as_bytes().to_vec())];
        let loaded = crate::load::load_files(files).unwrap_or_default();
        let text = loaded
            .sources
            .get(0)
            .map(|f| f.text.to_string())
            .unwrap_or_default();
        (text, loaded.objects.into_iter().map(|o| o.node).collect())
    }

    #[test]
    fn list_items_streams_anchors_and_flow_objects_read_again() {
        let cases = [
            // Items of a List, block and flow, one of them on the `-` line.
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    k: |\n      text\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n",
            // An item that uses an anchor of another: read from the whole file.
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: &m {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: *m\n",
            // A stream, with comments, a marker on the object's line and CRLF.
            "# head\n--- apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\r\n# c\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\n",
            // A JSON stream, two objects on one line, and a List in JSON.
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"é\"}} {\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}]}\n",
        ];
        for case in cases {
            let (text, objects) = objects_of(case);
            assert!(!objects.is_empty(), "{case}");
            for object in objects {
                assert_eq!(reread(&text, object.span), Some(object), "{case}");
            }
        }
    }

    #[test]
    fn a_span_that_is_no_object_reads_as_nothing() {
        let (text, objects) = objects_of("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        let Some(object) = objects.first() else {
            panic!("no object");
        };
        let elsewhere = Span::new(0, object.span.start() + 1, object.span.end());
        assert_eq!(reread(&text, elsewhere), None);
        assert_eq!(reread("", object.span), None);
    }
}
