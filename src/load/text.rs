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
    Span {
        file,
        start: 0,
        end: 0,
        line: 1,
        col: 1,
    }
}

/// The text of a file: UTF-8 (a leading byte-order mark is dropped, as
/// kubectl drops it), without NUL bytes. Anything else is a diagnostic that
/// names the byte offset; no byte of the content is echoed (it may be a
/// Secret's).
pub fn decode(file: FileId, name: &str, mut bytes: Vec<u8>) -> Result<String, Box<Diagnostic>> {
    const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
    let utf16_or_32 = [
        (&b"\xFF\xFE\x00\x00"[..], "UTF-32", "little-endian"),
        (&b"\x00\x00\xFE\xFF"[..], "UTF-32", "big-endian"),
        (&b"\xFF\xFE"[..], "UTF-16", "little-endian"),
        (&b"\xFE\xFF"[..], "UTF-16", "big-endian"),
    ];
    let found = utf16_or_32.iter().find(|(bom, ..)| bytes.starts_with(bom));
    if let Some((_, encoding, order)) = found {
        return Err(Box::new(
            Diagnostic::new(
                Code::Encoding,
                format!("{name} is {encoding} ({order}) text (it starts with a byte-order mark); aigw reads UTF-8, as kubectl does"),
            )
            .at(start_of(file))
            .help(format!("convert it: iconv -f {encoding} -t UTF-8 {name}")),
        ));
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
            return Err(Box::new(
                Diagnostic::new(
                    Code::Encoding,
                    format!(
                        "{name} is not UTF-8 text: the byte at byte offset {at} is not valid UTF-8"
                    ),
                )
                .at(point(file, &bytes, at))
                .help("save the file as UTF-8"),
            ));
        }
    };
    if let Some(at) = text.bytes().position(|b| b == 0) {
        return Err(Box::new(
            Diagnostic::new(
                Code::Encoding,
                format!("{name} holds a NUL byte at byte offset {at}; YAML text cannot contain one (is it a binary file?)"),
            )
            .at(point(file, text.as_bytes(), at)),
        ));
    }
    Ok(text)
}

/// Line and column of successive byte offsets of one text, in one pass:
/// each byte is scanned once however many offsets are asked for, where
/// counting from the start for each would be quadratic in a stream of many
/// objects.
#[derive(Debug, Default)]
pub struct LineCursor {
    at: usize,
    /// Newlines before `at`.
    lines: usize,
    /// Characters between the last newline (or the start) and `at`.
    col: usize,
    /// Bytes scanned so far: what a test pins to the length of the text.
    pub scanned: usize,
}

impl LineCursor {
    /// The zero-based (line, character column) of byte `to` of `text`, the
    /// same text on every call. Offsets are expected in increasing order;
    /// an earlier one is correct but scans again from the start.
    pub fn advance(&mut self, text: &str, to: usize) -> (usize, usize) {
        if to < self.at {
            *self = LineCursor {
                scanned: self.scanned,
                ..LineCursor::default()
            };
        }
        let to = to.min(text.len());
        let segment = text.get(self.at..to).unwrap_or("");
        self.scanned += segment.len();
        match segment.rfind('\n') {
            Some(last) => {
                self.lines += 1 + segment.get(..last).map_or(0, |s| s.matches('\n').count());
                self.col = segment.get(last + 1..).map_or(0, |s| s.chars().count());
            }
            None => self.col += segment.chars().count(),
        }
        // An offset inside a character (never given by the callers) keeps
        // the cursor where it was.
        if text.get(self.at..to).is_some() {
            self.at = to;
        }
        (self.lines, self.col)
    }
}

/// A zero-length span at byte `at`, with the line and (character) column of
/// the valid text before it.
fn point(file: FileId, bytes: &[u8], at: usize) -> Span {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line_text = before.get(line_start..).unwrap_or(&[]);
    let col = String::from_utf8_lossy(line_text).chars().count() + 1;
    Span {
        file,
        start: at,
        end: at,
        line: 1 + before.iter().filter(|b| **b == b'\n').count(),
        col,
    }
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
            .map(|d| d.message);
        assert!(utf16.is_some_and(|m| m.contains("UTF-16")));
        let bad = decode(0, "f", b"a: 1\nb: \xE9\n".to_vec()).err();
        let bad = bad.map(|d| (d.message, d.span.map(|s| (s.start, s.line, s.col))));
        assert_eq!(
            bad,
            Some((
                "f is not UTF-8 text: the byte at byte offset 8 is not valid UTF-8".into(),
                Some((8, 2, 4))
            ))
        );
        let nul = decode(0, "f", b"a: \x001\n".to_vec()).err().map(|d| d.code);
        assert_eq!(nul, Some(Code::Encoding));
    }

    #[test]
    fn line_cursor_scans_each_byte_once() {
        let text = "ab\ncdé\n\nxyz é";
        let mut cursor = LineCursor::default();
        let positions: Vec<_> = [0, 1, 3, 7, 8, 9, 10, 13, 99]
            .iter()
            .map(|&at| cursor.advance(text, at))
            .collect();
        assert_eq!(
            positions,
            [
                (0, 0),
                (0, 1),
                (1, 0),
                (1, 3),
                (2, 0),
                (3, 0),
                (3, 1),
                (3, 4),
                (3, 5)
            ]
        );
        assert_eq!(cursor.scanned, text.len());
        // Going back is still right, at the price of a second scan.
        assert_eq!(cursor.advance(text, 3), (1, 0));
        assert_eq!(cursor.scanned, text.len() + 3);
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
