//! UTF-16 surrogate escapes in JSON strings (`"\ud83c\udf89"`, as
//! `json.dumps` writes every emoji). JSON allows them; the YAML parser that
//! reads a JSON object's text (for its spans) rejects them. So each such
//! escape is swapped for an escape of the same length (spans stay right)
//! naming a private-use placeholder, and the decoded strings are mended:
//! a high and a low placeholder in a row become the character they encode,
//! a lone one becomes U+FFFD, as Go's encoding/json (kubectl) decodes it.

use super::node::{Node, Value};

/// Candidate placeholder blocks (2048 code points each: high surrogates,
/// then low) in the private use area; the first that the text does not
/// use is taken.
const BASES: [u32; 3] = [0xE000, 0xE800, 0xF000];
const SURROGATES: std::ops::Range<u32> = 0xD800..0xE000;

/// The text with surrogate escapes replaced, and the placeholder base; None
/// when there is nothing to replace (or, absurdly, no free block: the
/// parser then reports the escape).
pub(super) fn encode(text: &str) -> Option<(String, u32)> {
    let escapes = escapes(text);
    if !escapes.iter().any(|&(_, c)| SURROGATES.contains(&c)) {
        return None;
    }
    let used = |base: u32| {
        let block = base..base + 0x800;
        text.chars().any(|c| block.contains(&u32::from(c)))
            || escapes.iter().any(|&(_, c)| block.contains(&c))
    };
    let base = BASES.into_iter().find(|&b| !used(b))?;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, code) in escapes {
        if !SURROGATES.contains(&code) {
            continue;
        }
        out.push_str(text.get(copied..at)?);
        out.push_str(&format!("\\u{:04X}", code - 0xD800 + base));
        copied = at + 6;
    }
    out.push_str(text.get(copied..)?);
    Some((out, base))
}

/// Every `\uXXXX` escape of the text: its byte offset and code. The text
/// is valid JSON, so a backslash is always the start of an escape.
fn escapes(text: &str) -> Vec<(usize, u32)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'u') {
            let code = text
                .get(i + 2..i + 6)
                .and_then(|h| u32::from_str_radix(h, 16).ok());
            if let Some(code) = code {
                found.push((i, code));
            }
        }
        i += 2;
    }
    found
}

/// Mends the strings and keys of `node` that hold placeholders.
pub(super) fn decode(node: &mut Node, base: u32) {
    match &mut node.value {
        Value::Str(s) => mend(s, base),
        Value::Seq(items) => items.iter_mut().for_each(|n| decode(n, base)),
        Value::Map(entries) => {
            for entry in entries {
                mend(&mut entry.key, base);
                decode(&mut entry.value, base);
            }
        }
        _ => {}
    }
}

fn mend(s: &mut super::node::Text, base: u32) {
    let high = base..base + 0x400;
    let low = base + 0x400..base + 0x800;
    if !s
        .chars()
        .any(|c| (base..base + 0x800).contains(&u32::from(c)))
    {
        return;
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let code = u32::from(c);
        if high.contains(&code) {
            let next = chars.peek().map(|&n| u32::from(n));
            if let Some(lo) = next.filter(|n| low.contains(n)) {
                chars.next();
                let (h, l) = (code - base, lo - base - 0x400);
                out.push(char::from_u32(0x10000 + (h << 10) + l).unwrap_or('\u{FFFD}'));
                continue;
            }
            out.push('\u{FFFD}');
        } else if low.contains(&code) {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    *s = out.into();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_decode_and_lone_halves_become_replacement_characters() {
        let text = r#"{"a":"\ud83c\udf89","b":"\uDEAD","c":"\ud83cx","\\ud83c":"\u00e9"}"#;
        let (encoded, base) = encode(text).expect("surrogates found");
        assert_eq!(encoded.len(), text.len());
        assert_eq!(base, 0xE000);
        assert!(encoded.contains(r#"\\ud83c"#), "an escaped backslash stays");
        let mut s = crate::load::node::Text::from("\u{E03C}\u{E789}");
        mend(&mut s, base);
        assert_eq!(s, "\u{1F389}");
        let mut s = crate::load::node::Text::from("\u{E6AD}x\u{E03C}");
        mend(&mut s, base);
        assert_eq!(s, "\u{FFFD}x\u{FFFD}");
    }

    #[test]
    fn a_text_using_the_first_block_gets_the_next() {
        let text = "{\"a\":\"\u{E001}\\ud83c\\udf89\"}";
        assert_eq!(encode(text).map(|(_, b)| b), Some(0xE800));
        assert_eq!(encode(r#"{"a":"\u00e9"}"#), None);
    }
}
