//! Bytes to text: bounded reading and encoding checks, before any parsing.

use std::io::Read;

use super::limits::MAX_INPUT_BYTES;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Reads all of `reader`, but never more than `budget` bytes: `Ok(None)`
/// when the input is longer (an endless stream stops here too). `expected`
/// is the size the input is likely to have (a file's length): the text is
/// kept for the whole run, and a buffer grown by doubling would carry up
/// to twice its size.
pub fn read_bounded(
    reader: &mut dyn Read,
    budget: usize,
    expected: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(expected.min(budget));
    let limit = u64::try_from(budget).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= budget).then_some(bytes))
}

/// The diagnostic for input beyond [`MAX_INPUT_BYTES`], on the file where
/// reading stopped.
pub fn too_large(file: FileId, name: &str) -> Diagnostic {
    let mib = MAX_INPUT_BYTES / (1024 * 1024);
    Diagnostic::new(
        Code::InputLimit,
        format!("{name}: the input exceeds {mib} MiB per run; reading stopped here"),
    )
    .at(start_of(file))
    .help("split the manifests into several runs")
}

fn start_of(file: FileId) -> Span {
    Span::point(file, 0)
}

/// A file that is not text: the diagnostic, and the file's shape.
#[derive(Debug)]
pub struct NotText {
    pub diagnostic: Diagnostic,
    /// See [`shape`].
    pub shape: String,
}

/// A stand-in for bytes that may not be shown: as long, with the same
/// newlines, and one character wherever a lossy decoding has one, so that
/// a byte offset has the same line and column in both. No byte of the
/// content is kept.
pub fn shape(bytes: &[u8]) -> String {
    // A stand-in of each UTF-8 length.
    const FILL: [&str; 4] = ["x", "\u{e9}", "\u{20ac}", "\u{1f600}"];
    let fill = |len: usize| FILL.get(len.clamp(1, 4) - 1).copied().unwrap_or("x");
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            out.push_str(if c == '\n' { "\n" } else { fill(c.len_utf8()) });
        }
        // One replacement character in a lossy decoding: up to 3 bytes.
        if !chunk.invalid().is_empty() {
            out.push_str(fill(chunk.invalid().len()));
        }
    }
    out
}

/// The text of a file: UTF-8 (a leading byte-order mark is dropped, as
/// kubectl drops it), without NUL bytes. Anything else is a diagnostic that
/// names the byte offset; no byte of the content is echoed (it may be a
/// Secret's).
pub fn decode(file: FileId, name: &str, mut bytes: Vec<u8>) -> Result<String, Box<NotText>> {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    let utf16_or_32 = [
        (&b"\xFF\xFE\x00\x00"[..], "UTF-32", "little-endian"),
        (&b"\x00\x00\xFE\xFF"[..], "UTF-32", "big-endian"),
        (&b"\xFF\xFE"[..], "UTF-16", "little-endian"),
        (&b"\xFE\xFF"[..], "UTF-16", "big-endian"),
    ];
    let found = utf16_or_32.iter().find(|(bom, ..)| bytes.starts_with(bom));
    if let Some((_, encoding, order)) = found {
        return Err(Box::new(NotText {
            diagnostic: Diagnostic::new(
                Code::Encoding,
                format!("{name} is {encoding} ({order}) text (it starts with a byte-order mark); aigw reads UTF-8, as kubectl does"),
            )
            .at(start_of(file))
            .help(format!("convert it: iconv -f {encoding} -t UTF-8 {name}")),
            shape: String::new(),
        }));
    }
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let bytes = err.into_bytes();
            let at = std::str::from_utf8(&bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            // The offset only: the byte itself may be part of a Secret value.
            return Err(Box::new(NotText {
                diagnostic: Diagnostic::new(
                    Code::Encoding,
                    format!(
                        "{name} is not UTF-8 text: the byte at byte offset {at} is not valid UTF-8"
                    ),
                )
                .at(Span::point(file, at))
                .help("save the file as UTF-8"),
                shape: shape(&bytes),
            }));
        }
    };
    if let Some(at) = text.bytes().position(|b| b == 0) {
        return Err(Box::new(NotText {
            diagnostic: Diagnostic::new(
                Code::Encoding,
                format!("{name} holds a NUL byte at byte offset {at}; YAML text cannot contain one (is it a binary file?)"),
            )
            .at(Span::point(file, at)),
            shape: shape(text.as_bytes()),
        }));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped_and_other_encodings_are_named() {
        assert_eq!(
            decode(0, "f", b"\xEF\xBB\xBFa: 1\n".to_vec()).ok(),
            Some("a: 1\n".into())
        );
        let utf16 = decode(0, "f", b"\xFF\xFEa\x00".to_vec())
            .err()
            .map(|d| d.diagnostic.message);
        assert!(utf16.is_some_and(|m| m.contains("UTF-16")));
        let bad = decode(0, "f", b"a: 1\nb: \xE9\n".to_vec()).err();
        let bad = bad.map(|e| {
            let at = e.diagnostic.span.map_or(0, |s| s.start());
            (
                e.diagnostic.message,
                at,
                crate::source::position(&e.shape, at),
            )
        });
        assert_eq!(
            bad,
            Some((
                "f is not UTF-8 text: the byte at byte offset 8 is not valid UTF-8".into(),
                8,
                (2, 4)
            ))
        );
        let nul = decode(0, "f", b"a: \x001\n".to_vec())
            .err()
            .map(|e| e.diagnostic.code);
        assert_eq!(nul, Some(Code::Encoding));
    }

    #[test]
    fn a_shape_has_the_lines_and_characters_of_the_bytes_and_none_of_them() {
        let mut bytes = "k\u{e9}y: \u{20ac}\u{1f600}\nv".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xE9\xFF\xC3\n\xF0\x9F");
        let shape = shape(&bytes);
        assert_eq!(shape.len(), bytes.len());
        let lossy = String::from_utf8_lossy(&bytes);
        for at in 0..=bytes.len() {
            let before = bytes.get(..at).unwrap_or(&[]);
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(before.get(line_start..).unwrap_or(&[]))
                .chars()
                .count();
            let line = 1 + before.iter().filter(|b| **b == b'\n').count();
            if shape.is_char_boundary(at) {
                assert_eq!(
                    crate::source::position(&shape, at),
                    (line, col + 1),
                    "at {at}"
                );
            }
        }
        assert_eq!(shape.lines().count(), lossy.lines().count());
        assert!(!shape.contains('k') && !shape.contains('v'));
    }

    #[test]
    fn reading_stops_past_the_budget() {
        let mut endless = std::io::repeat(b'a');
        assert!(matches!(
            read_bounded(&mut endless, 1000, 1 << 40),
            Ok(None)
        ));
        let mut short: &[u8] = b"abc";
        assert!(matches!(read_bounded(&mut short, 3, 0), Ok(Some(b)) if b == b"abc"));
    }

    #[test]
    fn a_file_read_whole_takes_its_size_and_no_more() {
        let text = "kind: ConfigMap\n".repeat(1000);
        let mut reader = text.as_bytes();
        let bytes = read_bounded(&mut reader, 1 << 20, text.len())
            .ok()
            .flatten();
        assert_eq!(bytes.as_ref().map(Vec::len), Some(text.len()));
        assert_eq!(bytes.map(|b| b.capacity()), Some(text.len()));
    }
}
