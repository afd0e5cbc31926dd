//! Byte-preserving edits of YAML (and JSON) source text.
//!
//! Every edit replaces one byte range of the original text, found from the
//! spans the loader keeps; whatever no edit touches stays byte-identical
//! (comments, key order, quoting, blank lines, the other documents).
//! Block and flow collections are told apart by the text around a key, so
//! an edit inside `{...}` or a JSON file stays flow style.

use serde_json::Value;

use crate::load::node::{Entry, Node};

/// Replace `start..end` of the original text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// A new document at the end of the file: after every other edit there.
    pub append: bool,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Applies `edits` to `text`. Pure insertions at one position keep their
/// order; overlapping replacements are refused (`Err` holds the start of
/// the second one): two moves touching the same bytes, e.g. through a YAML
/// alias, cannot both be honoured.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, usize> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end, e.append));
    let mut out = String::with_capacity(text.len() + 256);
    let mut at = 0;
    for edit in sorted {
        if edit.start < at || edit.end < edit.start || edit.end > text.len() {
            return Err(edit.start);
        }
        out.push_str(text.get(at..edit.start).ok_or(edit.start)?);
        out.push_str(&edit.text);
        at = edit.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Ok(out)
}

/// Where [`apply`] writes the text of each of `edits`, in the edited
/// text: `(start, end, shift)`, with `shift` the edited text's offset
/// against the original just after that edit (where a problem of the
/// result can come from the edits, and how to find a place elsewhere in
/// the original).
pub fn written_ranges(edits: &[Edit]) -> Vec<(usize, usize, isize)> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end, e.append));
    let mut shift: isize = 0;
    sorted
        .into_iter()
        .map(|e| {
            let start = e.start.saturating_add_signed(shift);
            shift += e.text.len() as isize - (e.end.saturating_sub(e.start)) as isize;
            (start, start + e.text.len(), shift)
        })
        .collect()
}

/// The start of the line holding `pos`.
pub fn line_start(text: &str, pos: usize) -> usize {
    text.get(..pos)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Just past the line break that ends the line of `pos` (or the end of
/// the text). A `pos` right after a line break is already there.
pub fn after_line(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    if pos > 0 && text.as_bytes().get(pos - 1) == Some(&b'\n') {
        return pos;
    }
    text.get(pos..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| pos + i + 1)
}

/// Whether the entry at `key_start` sits in a flow mapping (`{...}`, JSON):
/// the previous non-blank byte is `{` or `,`.
pub fn in_flow(text: &str, key_start: usize) -> bool {
    let before = text.get(..key_start).unwrap_or("");
    matches!(before.trim_end().chars().last(), Some('{') | Some(','))
}

/// The column (0-based, in bytes) of `pos` in its line.
fn column(text: &str, pos: usize) -> usize {
    pos - line_start(text, pos)
}

/// Whether only blanks precede `pos` on its line (a block mapping key that
/// is not the first key of a `- ` item).
fn starts_line(text: &str, pos: usize) -> bool {
    text.get(line_start(text, pos)..pos)
        .is_some_and(|p| p.bytes().all(|b| b == b' ' || b == b'\t'))
}

/// Removes one `key: value` entry. None when the layout is one this
/// editor does not handle (the first key of a block `- ` item).
pub fn remove_entry(text: &str, entry: &Entry) -> Option<Edit> {
    let key = entry.key_span.start();
    let end = entry.value.span.end().max(entry.key_span.end());
    if in_flow(text, key) {
        // Take the following comma; for the last entry, the preceding one.
        let rest = text.get(end..)?;
        let trimmed = rest.trim_start();
        if let Some(after_comma) = trimmed.strip_prefix(',') {
            let skip = rest.len() - after_comma.trim_start_matches([' ', '\t']).len();
            return Some(whole_lines(text, key, end + skip));
        }
        let before = text.get(..key)?;
        let comma = before.trim_end().strip_suffix(',').map(str::len);
        return Some(Edit {
            append: false,
            start: comma.unwrap_or(key),
            end,
            text: String::new(),
        });
    }
    if !starts_line(text, key) {
        return None;
    }
    Some(Edit {
        append: false,
        start: line_start(text, key),
        end: after_line(text, end),
        text: String::new(),
    })
}

/// Removes `start..end`; when that leaves only blanks on the line (a
/// multi-line flow mapping, JSON), the line goes too.
fn whole_lines(text: &str, start: usize, end: usize) -> Edit {
    let rest_blank = text
        .get(end..after_line(text, end))
        .is_some_and(|r| r.trim().is_empty());
    if starts_line(text, start) && rest_blank {
        return Edit {
            append: false,
            start: line_start(text, start),
            end: after_line(text, end),
            text: String::new(),
        };
    }
    Edit {
        append: false,
        start,
        end,
        text: String::new(),
    }
}

/// Renames the key of `entry` (quotes, if any, stay).
pub fn rename_key(text: &str, entry: &Entry, new: &str) -> Option<Edit> {
    let raw = text.get(entry.key_span.start()..entry.key_span.end())?;
    let at = raw.find(entry.key.as_str())?;
    let start = entry.key_span.start() + at;
    Some(Edit {
        append: false,
        start,
        end: start + entry.key.len(),
        text: new.to_string(),
    })
}

/// Replaces `old` by `new` inside the scalar `node` (keeps its quoting).
pub fn replace_in_scalar(text: &str, node: &Node, old: &str, new: &str) -> Option<Edit> {
    let raw = text.get(node.span.start()..node.span.end())?;
    let at = raw.rfind(old)?;
    let start = node.span.start() + at;
    Some(Edit {
        append: false,
        start,
        end: start + old.len(),
        text: new.to_string(),
    })
}

/// Adds `key: value` as the last entry of the mapping `map`: a block of
/// lines at the indentation of its keys, or `, "key": value` in flow style.
pub fn insert_entry(text: &str, map: &Node, key: &str, value: &Value) -> Option<Edit> {
    let entries = map.as_map()?;
    let Some(last) = entries.last() else {
        // `{}`: the only flow form an empty mapping has.
        let close = map.span.end().checked_sub(1)?;
        return (text.get(close..map.span.end()) == Some("}")).then(|| Edit {
            append: false,
            start: close,
            end: close,
            text: format!("{}: {}", flow_key(text, key), flow(text, value)),
        });
    };
    let first = entries
        .first()
        .map_or(last.key_span.start(), |e| e.key_span.start());
    if in_flow(text, first) || in_flow(text, last.key_span.start()) {
        let end = last.value.span.end().max(last.key_span.end());
        return Some(Edit {
            append: false,
            start: end,
            end,
            text: format!(", {}: {}", flow_key(text, key), flow(text, value)),
        });
    }
    let indent = column(text, first);
    let at = after_line(text, last.value.span.end().max(last.key_span.end()));
    let mut block = String::new();
    if at == text.len() && !text.ends_with('\n') {
        block.push('\n');
    }
    block.push_str(&block_entry(key, value, indent));
    Some(Edit {
        append: false,
        start: at,
        end: at,
        text: block,
    })
}

/// Replaces the value of a block or flow `key: value` entry with `value`,
/// written in the same style.
pub fn replace_entry(text: &str, entry: &Entry, value: &Value) -> Option<Edit> {
    let key = entry.key_span.start();
    let end = entry.value.span.end().max(entry.key_span.end());
    let flow_value = matches!(
        text.get(entry.value.span.start()..)
            .and_then(|t| t.chars().next()),
        Some('{' | '[')
    );
    if in_flow(text, key) || flow_value {
        return Some(Edit {
            append: false,
            start: entry.value.span.start(),
            end,
            text: flow(text, value),
        });
    }
    if !starts_line(text, key) {
        return None;
    }
    let start = line_start(text, key);
    Some(Edit {
        append: false,
        start,
        end: after_line(text, end),
        text: block_entry(&entry.key, value, key - start),
    })
}

/// `key: value` as block YAML, every line indented by `indent`.
pub fn block_entry(key: &str, value: &Value, indent: usize) -> String {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), value.clone());
    let yaml = crate::emit::yaml::to_yaml(&Value::Object(map));
    let pad = " ".repeat(indent);
    yaml.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// Whether `text` is JSON (kubectl's rule: it starts with `{`): then new
/// flow values are JSON too.
fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn flow_key(text: &str, key: &str) -> String {
    flow(text, &Value::String(key.to_string()))
}

/// `value` in flow style: JSON in a JSON file, else YAML flow with plain
/// scalars where they read back as the same string.
fn flow(text: &str, value: &Value) -> String {
    match value {
        Value::String(s) if !is_json(text) && plain_in_flow(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| flow(text, v)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", flow_key(text, k), flow(text, v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

/// Names, DNS names, paths and durations: safe unquoted in flow YAML, and
/// not read as a number, boolean or null by YAML 1.1 or 1.2.
fn plain_in_flow(s: &str) -> bool {
    let safe = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._/".contains(c));
    let starts = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let typed = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    );
    safe && starts && !typed
}

/// Appends one more document to a file: `---` and block YAML, or for a
/// JSON file (one that starts with `{`) the object as the next of a stream.
pub fn append_document(text: &str, object: &Value) -> Edit {
    let at = text.len();
    let mut out = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
    if text.trim_start().starts_with('{') {
        out.push_str(&serde_json::to_string_pretty(object).unwrap_or_default());
        out.push('\n');
    } else {
        if !text.trim().is_empty() {
            out.push_str("---\n");
        }
        out.push_str(&crate::emit::yaml::to_yaml(object));
    }
    Edit {
        append: true,
        start: at,
        end: at,
        text: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Node {
        let parsed = crate::load::yaml::parse(0, text, 10);
        parsed.documents.into_iter().next().expect("a document")
    }

    #[test]
    fn removes_block_and_flow_entries() {
        let text = "spec:\n  a: 1 # keep\n  schema:\n    name: OpenAI\n  b: 2\n";
        let root = doc(text);
        let spec = root.get("spec").expect("spec");
        let entry = spec.entry("schema").expect("schema");
        let edit = remove_entry(text, entry).expect("edit");
        assert_eq!(
            apply(text, &[edit]).as_deref(),
            Ok("spec:\n  a: 1 # keep\n  b: 2\n")
        );

        let text = "spec: {a: 1, schema: {name: OpenAI}, b: 2}\n";
        let root = doc(text);
        let entry = root
            .get("spec")
            .and_then(|s| s.entry("schema"))
            .expect("schema");
        let edit = remove_entry(text, entry).expect("edit");
        assert_eq!(apply(text, &[edit]).as_deref(), Ok("spec: {a: 1, b: 2}\n"));

        let text = "spec: {a: 1, schema: {name: OpenAI}}\n";
        let root = doc(text);
        let entry = root
            .get("spec")
            .and_then(|s| s.entry("schema"))
            .expect("schema");
        let edit = remove_entry(text, entry).expect("edit");
        assert_eq!(apply(text, &[edit]).as_deref(), Ok("spec: {a: 1}\n"));
    }

    #[test]
    fn inserts_at_the_indentation_of_the_keys() {
        let text = "rules:\n  - matches: []\n    backendRefs:\n      - name: a\n# tail\n";
        let root = doc(text);
        let rule = root
            .get("rules")
            .and_then(|r| r.as_seq())
            .and_then(|r| r.first())
            .expect("rule");
        let edit = insert_entry(
            text,
            rule,
            "timeouts",
            &serde_json::json!({"request": "30s"}),
        )
        .expect("edit");
        assert_eq!(
            apply(text, &[edit]).as_deref(),
            Ok("rules:\n  - matches: []\n    backendRefs:\n      - name: a\n    timeouts:\n      request: 30s\n# tail\n")
        );
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let a = Edit {
            append: false,
            start: 0,
            end: 4,
            text: String::new(),
        };
        let b = Edit {
            append: false,
            start: 2,
            end: 5,
            text: String::new(),
        };
        assert!(apply("abcdef", &[a, b]).is_err());
    }

    #[test]
    fn written_ranges_locate_the_edits_and_the_rest_in_the_result() {
        let edit = |start, end, text: &str| Edit {
            append: false,
            start,
            end,
            text: text.to_string(),
        };
        // "v1alpha1 x: 150" → "v1beta1 x: 150": 5 bytes become 4.
        let edits = [edit(2, 7, "beta"), edit(9, 9, "y")];
        let text = "v1alpha1 x: 150";
        let out = apply(text, &edits).expect("apply");
        assert_eq!(out, "v1beta1 yx: 150");
        let ranges = written_ranges(&edits);
        assert_eq!(ranges, vec![(2, 6, -1), (8, 9, 0)]);
        // "150" is at 12 in the result and at 12 - 0 in the original.
        let at = out.find("150").expect("150");
        let shift = ranges.iter().rev().find(|r| r.0 <= at).map_or(0, |r| r.2);
        assert_eq!(text.get(at.saturating_add_signed(-shift)..), Some("150"));
    }
}
