//! A small YAML writer for JSON values, in the block style kubectl prints.
//!
//! Why not serde_yaml's writer: it leaves strings such as `yes`, `on`,
//! `2023-09-30` or `1_000` unquoted, and kubectl's YAML 1.1 decoder reads
//! those back as booleans, timestamps or numbers. Here a string is written
//! plain only when both YAML 1.1 and 1.2 read it back as that same string.

use serde_json::Value;

/// One YAML document (without the `---` line), ending in a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            out.push_str(&inline(scalar, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first entry of a map that is a sequence item shares the `- ` line.
        if i > 0 || out.is_empty() || out.ends_with('\n') {
            indent(out, level);
        }
        out.push_str(&scalar_string(key, level, false));
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, level + 2);
        }
        // Sequences under a key are not indented, as kubectl writes them.
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other, level + 2));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => write_map(out, map, level + 2),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, level + 2);
            }
            other => {
                out.push_str(&inline(other, level + 2));
                out.push('\n');
            }
        }
    }
}

/// A scalar or empty collection on the current line.
fn inline(value: &Value, level: usize) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_string(s, level, true),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn scalar_string(s: &str, level: usize, allow_block: bool) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else if let Some(block) = literal_block(s, level).filter(|_| allow_block) {
        block
    } else if s.chars().any(|c| c.is_control()) {
        double_quoted(s)
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// Multi-line text as a `|` block, when it round-trips exactly.
fn literal_block(s: &str, level: usize) -> Option<String> {
    let body = s.strip_suffix('\n')?;
    let lines: Vec<&str> = body.split('\n').collect();
    let representable = lines.len() > 1 || s.contains('\n');
    let first_ok = lines
        .first()
        .is_some_and(|l| !l.starts_with(' ') && !l.is_empty());
    let clean = !body.ends_with('\n')
        && !s.chars().any(|c| c.is_control() && c != '\n')
        && lines
            .iter()
            .all(|l| !l.ends_with(' ') && !l.ends_with('\t'));
    if !(representable && first_ok && clean) {
        return None;
    }
    let mut out = String::from("|");
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            indent(&mut out, level);
            out.push_str(line);
        }
    }
    Some(out)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` can be written unquoted and read back as the same string by
/// YAML 1.1 (go-yaml v2, kubectl) and YAML 1.2 parsers alike.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    // An indicator character may not start a plain scalar; a lone '-'
    // followed by text (`-configPath`) is the one safe exception.
    let dash_word = first == '-' && s.len() > 1 && !s.starts_with("- ") && !s.starts_with("--");
    if "-?:,[]{}#&*!|>'\"%@`=<~".contains(first) && !dash_word {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains('\t') || s.chars().any(|c| c.is_control())
    {
        return false;
    }
    if s.contains(['{', '}', '[', ']', ',']) {
        // Legal in block context, but quoted for readers with flow parsers.
        return false;
    }
    !looks_typed(s)
}

/// Whether a plain scalar would resolve to something other than a string
/// under YAML 1.1 or 1.2: null, booleans, numbers (any base, with `_` or
/// `:` separators), infinities, NaN, timestamps, or the merge key.
fn looks_typed(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "~" | "null" | "y" | "yes" | "n" | "no" | "true" | "false" | "on" | "off" | "<<" | "="
    ) {
        return true;
    }
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, ".inf" | ".nan") {
        return true;
    }
    // Anything made only of digits, number punctuation and base/exponent
    // letters is treated as a number; over-quoting a rare string is harmless.
    let starts_numeric = body.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if starts_numeric
        && body
            .chars()
            .all(|c| c.is_ascii_hexdigit() || "._:xobe+-".contains(c))
    {
        return true;
    }
    // Timestamps: 2001-12-14, 2001-12-14t21:59:43.10-05:00, ...
    let bytes = lower.as_bytes();
    bytes.len() >= 8 && bytes.iter().take(4).all(u8::is_ascii_digit) && bytes.get(4) == Some(&b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn layout_matches_kubectl() {
        let v = json!({"a": {"b": [1, {"c": "d", "e": []}], "f": {}}, "g": "line1\nline2\n"});
        assert_eq!(
            to_yaml(&v),
            "a:\n  b:\n  - 1\n  - c: d\n    e: []\n  f: {}\ng: |\n  line1\n  line2\n"
        );
    }
}
