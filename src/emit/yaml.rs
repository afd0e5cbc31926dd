//! A small YAML writer for JSON values, in the block style kubectl prints.
//!
//! Why not serde_yaml's writer: it leaves strings such as `yes`, `on`,
//! `2023-09-30` or `1_000` unquoted, and kubectl's YAML 1.1 decoder reads
//! those back as booleans, timestamps or numbers. Here a string is written
//! plain only when both YAML 1.1 and 1.2 read it back as that same string.

use std::fmt::Write as _;

use serde_json::Value;

use crate::load::node::{Entry, Node};

/// A tree the writer can walk: a JSON value, or a source tree (written as
/// it is, without a JSON copy of it first).
pub trait Tree: Sized {
    type Entries<'a>: Iterator<Item = (&'a str, &'a Self)>
    where
        Self: 'a;

    fn view(&self) -> View<'_, Self>;
}

/// One node of a [`Tree`].
pub enum View<'a, T: Tree + 'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Number(&'a serde_json::Number),
    Str(&'a str),
    Seq(&'a [T]),
    /// The number of entries, and the entries.
    Map(usize, T::Entries<'a>),
}

type JsonEntry<'a> = (&'a String, &'a Value);

fn json_entry<'a>((key, value): JsonEntry<'a>) -> (&'a str, &'a Value) {
    (key, value)
}

fn node_entry(entry: &Entry) -> (&str, &Node) {
    (&entry.key, &entry.value)
}

impl Tree for Value {
    type Entries<'a> =
        std::iter::Map<serde_json::map::Iter<'a>, fn(JsonEntry<'a>) -> (&'a str, &'a Value)>;

    fn view(&self) -> View<'_, Self> {
        match self {
            Value::Null => View::Null,
            Value::Bool(b) => View::Bool(*b),
            Value::Number(n) => View::Number(n),
            Value::String(s) => View::Str(s),
            Value::Array(items) => View::Seq(items),
            Value::Object(map) => View::Map(map.len(), map.iter().map(json_entry as fn(_) -> _)),
        }
    }
}

/// A tree defaulted in place is written as it was written: without the
/// fields defaulting added, with the nulls it replaced (see
/// [`crate::source::Span::added`]).
fn written_entry(entry: &Entry) -> Option<(&str, &Node)> {
    (!entry.key_span.is_added()).then(|| node_entry(entry))
}

impl Tree for Node {
    type Entries<'a> = std::iter::FilterMap<
        std::slice::Iter<'a, Entry>,
        fn(&'a Entry) -> Option<(&'a str, &'a Node)>,
    >;

    fn view(&self) -> View<'_, Self> {
        use crate::load::node::Value as V;
        if self.span.is_null_defaulted() {
            return View::Null;
        }
        match &self.value {
            V::Null => View::Null,
            V::Bool(b) => View::Bool(*b),
            V::Int(i) => View::Int(*i),
            V::Float(f) => View::Float(*f),
            V::Str(s) => View::Str(s),
            V::Seq(items) => View::Seq(items),
            V::Map(entries) => {
                let written = entries.iter().filter(|e| !e.key_span.is_added()).count();
                View::Map(
                    written,
                    entries.iter().filter_map(written_entry as fn(_) -> _),
                )
            }
        }
    }
}

/// One YAML document (without the `---` line), ending in a newline.
pub fn to_yaml<T: Tree>(value: &T) -> String {
    let mut out = String::new();
    write_document(&mut out, value);
    out
}

/// Appends one YAML document (without the `---` line) to `out`, which must
/// be empty or end in a newline.
pub fn write_document<T: Tree>(out: &mut String, value: &T) {
    match value.view() {
        View::Map(n, entries) if n > 0 => write_map(out, entries, 0, false),
        View::Seq(items) if !items.is_empty() => write_seq(out, items, 0),
        scalar => {
            inline(out, scalar, 0);
            out.push('\n');
        }
    }
}

fn indent(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(SPACES.get(..n).unwrap_or(""));
}

/// `in_item`: the map is a sequence item, so its first entry shares the
/// `- ` line.
fn write_map<'a, T: Tree + 'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a str, &'a T)>,
    level: usize,
    in_item: bool,
) {
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 || !in_item {
            indent(out, level);
        }
        scalar_string(out, key, level, false);
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

fn write_value_after_key<T: Tree>(out: &mut String, value: &T, level: usize) {
    match value.view() {
        View::Map(n, entries) if n > 0 => {
            out.push('\n');
            write_map(out, entries, level + 2, false);
        }
        // Sequences under a key are not indented, as kubectl writes them.
        View::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level);
        }
        other => {
            out.push(' ');
            inline(out, other, level + 2);
            out.push('\n');
        }
    }
}

fn write_seq<T: Tree>(out: &mut String, items: &[T], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item.view() {
            View::Map(n, entries) if n > 0 => write_map(out, entries, level + 2, true),
            View::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, level + 2);
            }
            other => {
                inline(out, other, level + 2);
                out.push('\n');
            }
        }
    }
}

/// A scalar or empty collection on the current line.
fn inline<T: Tree>(out: &mut String, value: View<'_, T>, level: usize) {
    match value {
        View::Null => out.push_str("null"),
        View::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        View::Int(i) => {
            let _ = write!(out, "{i}");
        }
        // As the JSON form writes it: a float that JSON cannot hold is null.
        View::Float(f) => match serde_json::Number::from_f64(f) {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.push_str("null"),
        },
        View::Number(n) => {
            let _ = write!(out, "{n}");
        }
        View::Str(s) => scalar_string(out, s, level, true),
        View::Seq(_) => out.push_str("[]"),
        View::Map(..) => out.push_str("{}"),
    }
}

fn scalar_string(out: &mut String, s: &str, level: usize, allow_block: bool) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if allow_block && literal_block(out, s, level) {
    } else if s.chars().any(|c| c.is_control()) {
        double_quoted(out, s);
    } else {
        out.push('\'');
        for (i, part) in s.split('\'').enumerate() {
            if i > 0 {
                out.push_str("''");
            }
            out.push_str(part);
        }
        out.push('\'');
    }
}

/// Writes multi-line text as a `|` block when it round-trips exactly;
/// returns whether it did.
fn literal_block(out: &mut String, s: &str, level: usize) -> bool {
    let Some(body) = s.strip_suffix('\n') else {
        return false;
    };
    let first_ok = body
        .split('\n')
        .next()
        .is_some_and(|l| !l.starts_with(' ') && !l.is_empty());
    let clean = !body.ends_with('\n')
        && !s.chars().any(|c| c.is_control() && c != '\n')
        && body
            .split('\n')
            .all(|l| !l.ends_with(' ') && !l.ends_with('\t'));
    if !(first_ok && clean) {
        return false;
    }
    out.push('|');
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
    }
    true
}

fn double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether `s` can be written unquoted and read back as the same string by
/// YAML 1.1 (go-yaml v2, kubectl) and YAML 1.2 parsers alike.
fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if first == b' ' || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    // An indicator character may not start a plain scalar; a lone '-'
    // followed by text (`-configPath`) is the one safe exception.
    let dash_word = first == b'-' && s.len() > 1 && !s.starts_with("- ") && !s.starts_with("--");
    if b"-?:,[]{}#&*!|>'\"%@`=<~".contains(&first) && !dash_word {
        return false;
    }
    // One pass over the bytes: no ": ", " #", tab or control character,
    // and no flow indicator (legal in block context, but quoted for
    // readers with flow parsers). Non-ASCII text takes the char-wise
    // check, for the C1 control characters.
    let mut previous = 0u8;
    for &b in bytes {
        let unsafe_pair = (previous == b':' && b == b' ') || (previous == b' ' && b == b'#');
        if unsafe_pair || b < 0x20 || b == 0x7f || matches!(b, b'{' | b'}' | b'[' | b']' | b',') {
            return false;
        }
        previous = b;
    }
    if !s.is_ascii() && s.chars().any(|c| c.is_control()) {
        return false;
    }
    !looks_typed(s)
}

/// Whether a plain scalar would resolve to something other than a string
/// under YAML 1.1 or 1.2: null, booleans, numbers (any base, with `_` or
/// `:` separators), infinities, NaN, timestamps, or the merge key.
fn looks_typed(s: &str) -> bool {
    const KEYWORDS: [&str; 12] = [
        "~", "null", "y", "yes", "n", "no", "true", "false", "on", "off", "<<", "=",
    ];
    if s.len() <= 5 && KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(s)) {
        return true;
    }
    let body = s.trim_start_matches(['+', '-']);
    if body.eq_ignore_ascii_case(".inf") || body.eq_ignore_ascii_case(".nan") {
        return true;
    }
    // Anything made only of digits, number punctuation and base/exponent
    // letters is treated as a number; over-quoting a rare string is harmless.
    let starts_numeric = body.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if starts_numeric
        && body
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b"._:xobe+-".contains(&b.to_ascii_lowercase()))
    {
        return true;
    }
    // Timestamps: 2001-12-14, 2001-12-14t21:59:43.10-05:00, ...
    let bytes = s.as_bytes();
    bytes.len() >= 8 && bytes.iter().take(4).all(u8::is_ascii_digit) && bytes.get(4) == Some(&b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A source tree is written as its JSON form is: every object of every
    /// file in testdata (floats, nulls, block text, quoting included).
    #[test]
    fn a_source_tree_writes_as_its_json_form_does() {
        let mut written = 0;
        for (label, object) in crate::testdata_objects() {
            assert!(
                to_yaml(&object.node) == to_yaml(&object.node.to_json()),
                "{label}"
            );
            written += 1;
        }
        assert!(written > 300, "only {written} objects");
        let float = crate::load::yaml::parse_documents(0, "a: 1.5\nb: .inf\nc: -0.0\nd: 1e3\n").0;
        for doc in &float {
            assert_eq!(to_yaml(doc), to_yaml(&doc.to_json()));
        }
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in [
            "yes",
            "On",
            "n",
            "2023-09-30",
            "1_000",
            "12:30",
            "0x1F",
            "1e3",
            ".5",
            "~",
            "null",
            "",
            " x",
            "a: b",
            "<<",
            "-",
            "--x",
        ] {
            let out = to_yaml(&json!([s]));
            assert!(
                out.starts_with("- '") || out.starts_with("- \""),
                "{s:?} -> {out}"
            );
        }
        for s in [
            "gpt-4o-mini",
            "x-ai-eg-model",
            "default",
            "/etc/x",
            "us.meta.llama3-2-1b-instruct-v1:0",
            "-configPath",
            "100m",
        ] {
            assert_eq!(to_yaml(&json!([s])), format!("- {s}\n"));
        }
    }

    /// The char-wise checks the fast path replaced: both must agree.
    fn reference_plain_safe(s: &str) -> bool {
        let Some(first) = s.chars().next() else {
            return false;
        };
        if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
            return false;
        }
        let dash_word = first == '-' && s.len() > 1 && !s.starts_with("- ") && !s.starts_with("--");
        if "-?:,[]{}#&*!|>'\"%@`=<~".contains(first) && !dash_word {
            return false;
        }
        if s.contains(": ")
            || s.contains(" #")
            || s.contains('\t')
            || s.chars().any(|c| c.is_control())
            || s.contains(['{', '}', '[', ']', ','])
        {
            return false;
        }
        let lower = s.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "~" | "null" | "y" | "yes" | "n" | "no" | "true" | "false" | "on" | "off" | "<<" | "="
        ) {
            return false;
        }
        let body = lower.trim_start_matches(['+', '-']);
        if matches!(body, ".inf" | ".nan") {
            return false;
        }
        let starts_numeric = body.starts_with(|c: char| c.is_ascii_digit() || c == '.');
        if starts_numeric
            && body
                .chars()
                .all(|c| c.is_ascii_hexdigit() || "._:xobe+-".contains(c))
        {
            return false;
        }
        let bytes = lower.as_bytes();
        !(bytes.len() >= 8
            && bytes.iter().take(4).all(u8::is_ascii_digit)
            && bytes.get(4) == Some(&b'-'))
    }

    #[test]
    fn fast_plain_check_agrees_with_the_reference() {
        let atoms = [
            "", "a", "Z", "0", "9", "-", "+", ".", ":", " ", "#", "\t", "\u{85}", "\u{7f}", "é",
            "x", "O", "E", "b", "_", "'", "\"", "{", ",", "~", "<<", "=", "yes", "No", "TRUE",
            "inf", "nan", "2024", "\n", "null", "off", "--", "?", "@",
        ];
        let mut checked = 0;
        for a in atoms {
            for b in atoms {
                for c in atoms {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(is_plain_safe(&s), reference_plain_safe(&s), "{s:?}");
                    checked += 1;
                }
            }
        }
        for s in [
            "2023-09-30",
            "1_000",
            "0x1F",
            "+.INF",
            "-.nan",
            "12:30:00",
            "1e3",
            "v1.2",
        ] {
            assert_eq!(is_plain_safe(s), reference_plain_safe(s), "{s:?}");
        }
        assert!(checked > 50_000);
    }

    #[test]
    fn layout_matches_kubectl() {
        let v = json!({"a": {"b": [1, {"c": "d", "e": []}], "f": {}}, "g": "line1\nline2\n"});
        assert_eq!(
            to_yaml(&v),
            "a:\n  b:\n  - 1\n  - c: d\n    e: []\n  f: {}\ng: |\n  line1\n  line2\n"
        );
    }
}
