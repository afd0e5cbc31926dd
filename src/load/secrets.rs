//! Where Secret values sit in a file, so that no diagnostic shows them.
//!
//! CI logs are readable by everyone with access to the repository, and the
//! lines around an error are often a Secret's `data` in the same file. The
//! loader finds those bytes here and masks them in [`crate::source::Sources`]
//! before any stage or output format can read them.

use std::ops::Range;

use saphyr_parser::{Event, Parser};

use super::node::{Node, Value};
use crate::source::Taint;

/// What of one file no output may show.
#[derive(Debug, Default)]
pub struct Hidden {
    /// Byte ranges, masked in the text kept for snippets.
    pub ranges: Vec<Range<usize>>,
    /// The values themselves: an alias may copy one anywhere, and typed
    /// models keep no spans.
    pub taint: Taint,
}

/// Hides the values of every `stringData`, and of every `data` of an
/// object that is, or may be, a Secret: its kind, as the parser read it
/// (whatever its tags, quoting, escapes or comments), names a Secret or a
/// misspelling of one, is not a string, or is missing.
pub fn collect(doc: &Node, hidden: &mut Hidden) {
    match &doc.value {
        Value::Map(entries) => {
            let secret_like = doc
                .get("kind")
                .is_none_or(|k| k.as_str().is_none_or(is_secret_kind));
            for entry in entries {
                let data = entry.key == "data" && secret_like;
                if entry.key == "stringData" || data {
                    values(&entry.value, hidden);
                    taint(&entry.value, data, &mut hidden.taint);
                } else {
                    collect(&entry.value, hidden);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| collect(item, hidden)),
        _ => {}
    }
}

/// The byte ranges of the values of every Secret in `doc` (see [`collect`]).
pub fn value_ranges(doc: &Node, out: &mut Vec<Range<usize>>) {
    let mut hidden = Hidden::default();
    collect(doc, &mut hidden);
    out.extend(hidden.ranges);
}

/// The values of a `data` mapping, each up to the next key (which covers
/// every line of a multi-line scalar); anything else as a whole.
fn values(node: &Node, hidden: &mut Hidden) {
    let Value::Map(entries) = &node.value else {
        hidden.ranges.push(node.span.start()..node.span.end());
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let next_key = entries.get(i + 1).map(|e| e.key_span.start());
        let end = next_key
            .unwrap_or(entry.value.span.end())
            .max(entry.value.span.end());
        hidden.ranges.push(entry.value.span.start()..end);
    }
}

/// Taints every scalar under `node`, and for `data` its base64-decoded
/// text too (which a check that reads a credentials file sees).
fn taint(node: &Node, data: bool, taint_set: &mut Taint) {
    match &node.value {
        Value::Str(s) => {
            taint_set.add(s);
            if data {
                if let Some(text) = decode_base64(s).and_then(|b| String::from_utf8(b).ok()) {
                    taint_set.add(&text);
                }
            }
        }
        Value::Int(i) => taint_set.add(&i.to_string()),
        Value::Float(f) => taint_set.add(&f.to_string()),
        Value::Bool(b) => taint_set.add(&b.to_string()),
        Value::Null => {}
        Value::Seq(items) => items.iter().for_each(|n| taint(n, data, taint_set)),
        Value::Map(entries) => entries
            .iter()
            .for_each(|e| taint(&e.value, data, taint_set)),
    }
}

/// The values [`collect`] taints, from a document already read into JSON
/// values (the KRM function's input): the same fields, every scalar in
/// each spelling a tree's would have.
pub fn taint_json(value: &serde_json::Value, taint_set: &mut Taint) {
    use serde_json::Value as J;
    match value {
        J::Object(map) => {
            let secret_like = map
                .get("kind")
                .is_none_or(|k| k.as_str().is_none_or(is_secret_kind));
            for (key, value) in map {
                let data = key == "data" && secret_like;
                if key == "stringData" || data {
                    taint_json_scalars(value, data, taint_set);
                } else {
                    taint_json(value, taint_set);
                }
            }
        }
        J::Array(items) => items.iter().for_each(|item| taint_json(item, taint_set)),
        _ => {}
    }
}

fn taint_json_scalars(value: &serde_json::Value, data: bool, taint_set: &mut Taint) {
    use serde_json::Value as J;
    match value {
        J::String(s) => {
            taint_set.add(s);
            if data {
                if let Some(text) = decode_base64(s).and_then(|b| String::from_utf8(b).ok()) {
                    taint_set.add(&text);
                }
            }
        }
        J::Number(n) => {
            taint_set.add(&n.to_string());
            if let Some(f) = n.as_f64() {
                taint_set.add(&f.to_string());
            }
        }
        J::Bool(b) => taint_set.add(&b.to_string()),
        J::Null => {}
        J::Array(items) => items
            .iter()
            .for_each(|v| taint_json_scalars(v, data, taint_set)),
        J::Object(map) => map
            .values()
            .for_each(|v| taint_json_scalars(v, data, taint_set)),
    }
}

fn is_secret_kind(kind: &str) -> bool {
    let kind = kind.to_ascii_lowercase();
    kind.contains("secret") || strsim::levenshtein(&kind, "secret") <= 2
}

/// Whether a document that failed to parse may hold a Secret's values:
/// then all of it is hidden, as nothing says where they are. It is clear
/// only when the parser read a root-level kind before it stopped, that
/// kind is neither a Secret nor a list (whose items may be Secrets), and
/// no `stringData` field is in the text. JSON is read by its own scanner
/// when the YAML parser stops before the kind (it reads ahead in flow
/// collections), and then every object of a JSON stream needs a kind.
pub fn may_hold_secret(text: &str) -> bool {
    if text.to_ascii_lowercase().contains("stringdata") {
        return true;
    }
    let kinds = match root_kind(text) {
        Some(kind) => vec![kind],
        None => json_root_kinds(text).unwrap_or_default(),
    };
    kinds.is_empty()
        || kinds
            .iter()
            .any(|kind| is_secret_kind(kind) || kind.to_ascii_lowercase().ends_with("list"))
}

/// The `kind` of each top-level object of JSON `text` (escapes decoded),
/// as far as the text goes; None when an object has none.
fn json_root_kinds(text: &str) -> Option<Vec<String>> {
    let bytes = text.as_bytes();
    let mut kinds = Vec::new();
    let mut objects = 0;
    let (mut depth, mut i) = (0usize, 0);
    // The last string at depth 1, and whether a `"kind":` was just read.
    let mut key: Option<String> = None;
    let mut after_kind = false;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => {
                let mut end = i + 1;
                while let Some(&b) = bytes.get(end) {
                    match b {
                        b'\\' => end += 2,
                        b'"' => break,
                        _ => end += 1,
                    }
                }
                let string: Option<String> =
                    text.get(i..=end).and_then(|s| serde_json::from_str(s).ok());
                if depth == 1 {
                    if after_kind {
                        kinds.push(string?);
                        after_kind = false;
                    } else {
                        key = string;
                    }
                }
                i = end;
            }
            b':' if depth == 1 => after_kind = key.take().is_some_and(|k| k == "kind"),
            b',' => after_kind = false,
            b'{' | b'[' => {
                if depth == 0 {
                    objects += 1;
                }
                depth += 1;
                after_kind = false;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    (kinds.len() == objects).then_some(kinds)
}

/// The scalar value of `kind` in the root mapping of `text`, as far as
/// the parser gets; `Secret` when a nested `kind` read so far names one
/// (an embedded object); None when the root kind is not (yet) a scalar,
/// an alias stands for it, or the text the parser could not read may
/// hold another.
fn root_kind(text: &str) -> Option<String> {
    // One frame per open collection: a mapping whose next node is a key,
    // and whether the last key was `kind`.
    struct Frame {
        map: bool,
        key_next: bool,
        after_kind: bool,
    }
    let advance = |stack: &mut Vec<Frame>| {
        if let Some(frame) = stack.last_mut().filter(|f| f.map) {
            frame.key_next = !frame.key_next;
        }
    };
    let mut root = None;
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let event = match next {
            Ok((event, _)) => event,
            Err(error) => {
                // Past the error, a second `kind` (or an escape that
                // spells one) may follow, unseen.
                let at = text
                    .char_indices()
                    .nth(error.marker().index())
                    .map_or(text.len(), |(byte, _)| byte);
                let rest = text.get(at..).unwrap_or("");
                if rest.to_ascii_lowercase().contains("kind") || rest.contains('\\') {
                    return None;
                }
                break;
            }
        };
        let kind_value = stack
            .last()
            .is_some_and(|f| f.map && !f.key_next && f.after_kind);
        match event {
            Event::Scalar(value, ..) => {
                if kind_value && is_secret_kind(&value) {
                    return Some("Secret".into());
                }
                if kind_value && stack.len() == 1 {
                    root = Some(value.to_string());
                }
                if let Some(frame) = stack.last_mut().filter(|f| f.map) {
                    frame.after_kind = frame.key_next && value == "kind";
                }
                advance(&mut stack);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if kind_value && stack.len() == 1 {
                    return None;
                }
                let map = matches!(event, Event::MappingStart(..));
                stack.push(Frame {
                    map,
                    key_next: map,
                    after_kind: false,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                advance(&mut stack);
            }
            // An alias as the kind, or as a key that may be `kind`.
            Event::Alias(_) if kind_value || stack.last().is_some_and(|f| f.key_next) => {
                return None
            }
            Event::Alias(_) => advance(&mut stack),
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    root
}

/// Standard base64 with padding, as the API server decodes Secret `data`
/// (line breaks are ignored).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'\n' | b'\r'))
        .collect();
    if !symbols.len().is_multiple_of(4) {
        return None;
    }
    let value = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3);
    let chunks = symbols.chunks(4);
    let last = chunks.len().saturating_sub(1);
    for (n, chunk) in chunks.enumerate() {
        let padding = chunk.iter().rev().take_while(|b| **b == b'=').count();
        if padding > 2 || (padding > 0 && n != last) {
            return None;
        }
        let mut bits = 0u32;
        for &b in chunk.iter().take(4 - padding) {
            bits = (bits << 6) | value(b)?;
        }
        bits <<= 6 * padding as u32;
        let bytes = bits.to_be_bytes();
        out.extend(bytes.iter().skip(1).take(3 - padding));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values read into JSON taint at least what the tree taints, for
    /// every document of every testdata file.
    #[test]
    fn json_values_taint_what_their_tree_taints() {
        let mut secrets = 0;
        for (label, object) in crate::testdata_objects() {
            let mut hidden = Hidden::default();
            collect(&object.node, &mut hidden);
            let mut from_json = Taint::default();
            taint_json(&object.node.to_json(), &mut from_json);
            let missing = hidden
                .taint
                .values()
                .filter(|v| !from_json.values().any(|w| w == *v))
                .count();
            assert_eq!(missing, 0, "{label}");
            secrets += usize::from(!hidden.taint.is_empty());
        }
        assert!(secrets > 20, "only {secrets} objects with Secret values");
    }

    fn hidden(text: &str) -> Vec<&str> {
        let (docs, errors) = super::super::yaml::parse_documents(0, text);
        assert!(errors.is_empty(), "{errors:?}");
        let mut ranges = Vec::new();
        docs.iter().for_each(|d| value_ranges(d, &mut ranges));
        ranges.iter().filter_map(|r| text.get(r.clone())).collect()
    }

    #[test]
    fn secret_values_are_found_and_config_map_data_is_not() {
        let text = "kind: Secret\ndata:\n  a: |\n    one\n    two\n  b: x\nstringData: {c: y}\n---\nkind: ConfigMap\ndata: {d: shown}\n";
        assert_eq!(hidden(text), ["one\n    two\n  ", "x", "y"]);
        assert_eq!(hidden("metadata: {name: n}\ndata: [z]\n"), ["[z]"]);
        assert_eq!(hidden("kind: Secrte\ndata: {k: v}\n"), ["v"]);
    }

    #[test]
    fn broken_documents_that_may_hold_secrets_are_recognised() {
        assert!(may_hold_secret("kind: Secret\ndata: {a: [\n"));
        assert!(may_hold_secret("{\"kind\": \"Secret\", "));
        assert!(may_hold_secret("data:\n  a: [\n"));
        assert!(!may_hold_secret("kind: ConfigMap\ndata:\n  a: [\n"));
        assert!(!may_hold_secret("kind: AIServiceBackend\nspec: {\n"));
        // However the kind is spelt, the parser reads it.
        for text in [
            "kind: !!str Secret\ndata:\n  a: [\n",
            "kind: >-\n  Secret\ndata:\n  a: [\n",
            "kind: # a comment\n  Secret\ndata:\n  a: [\n",
            "kind: Secrte\ndata:\n  a: [\n",
            "{\"kind\":\"\\u0053ecret\",\"data\":{\"a\":\"x\"},,}",
            "{kind: !!str Secret, data: {a: [}",
            "kind: &k Secret\ndata: {a: [\n",
            "kind: *k\ndata: {a: [\n",
            "apiVersion: v1\ndata: {a: [\n",
            "kind: ConfigMap\nitems:\n- kind: Secret\n  data: {a: [\n",
        ] {
            assert!(may_hold_secret(text), "{text}");
        }
    }
}
