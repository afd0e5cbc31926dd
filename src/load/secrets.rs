//! Where Secret values sit in a file, so that no diagnostic shows them.
//!
//! CI logs are readable by everyone with access to the repository, and the
//! lines around an error are often a Secret's `data` in the same file. The
//! loader finds those bytes here and masks them in [`crate::source::Sources`]
//! before any stage or output format can read them.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::node::{Node, Value};

/// The byte ranges of the values of every `stringData`, and of every `data`
/// of an object that is, or may be, a Secret: its kind names a Secret (or
/// a misspelling of one), or it has no kind at all.
pub fn value_ranges(doc: &Node, out: &mut Vec<Range<usize>>) {
    match &doc.value {
        Value::Map(entries) => {
            let secret_like = doc
                .get("kind")
                .is_none_or(|k| k.as_str().is_none_or(is_secret_kind));
            for entry in entries {
                let hidden = entry.key == "stringData" || (entry.key == "data" && secret_like);
                if hidden {
                    values(&entry.value, out);
                } else {
                    value_ranges(&entry.value, out);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| value_ranges(item, out)),
        _ => {}
    }
}

/// The values of a `data` mapping, each up to the next key (which covers
/// every line of a multi-line scalar); anything else as a whole.
fn values(node: &Node, out: &mut Vec<Range<usize>>) {
    let Value::Map(entries) = &node.value else {
        out.push(node.span.start..node.span.end);
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let next_key = entries.get(i + 1).map(|e| e.key_span.start);
        let end = next_key
            .unwrap_or(entry.value.span.end)
            .max(entry.value.span.end);
        out.push(entry.value.span.start..end);
    }
}

fn is_secret_kind(kind: &str) -> bool {
    let kind = kind.to_ascii_lowercase();
    kind.contains("secret") || strsim::levenshtein(&kind, "secret") <= 2
}

/// Whether the text of a document that failed to parse may hold a Secret's
/// values: then all of it is hidden, as nothing says where they are.
pub fn may_hold_secret(text: &str) -> bool {
    static SECRET_KIND: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r#"(?i)kind["']?\s*:\s*["']?\w*secret"#).ok());
    static DATA: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\bdata\b").ok());
    static KIND: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\bkind\b").ok());
    let found = |re: &LazyLock<Option<Regex>>| re.as_ref().is_none_or(|re| re.is_match(text));
    text.contains("stringData") || found(&SECRET_KIND) || (found(&DATA) && !found(&KIND))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
