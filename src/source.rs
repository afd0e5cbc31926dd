//! Source files and positions inside them.
//!
//! Every node the loader builds remembers where it came from, so that any
//! later stage can point a diagnostic at the exact line and column.

use std::ops::Range;

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// One input file (or standard input), kept whole for diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to users: the path as given, or `<stdin>`.
    pub name: String,
    pub text: String,
}

/// All files read in one run.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, name: String, text: String) -> FileId {
        self.files.push(SourceFile { name, text });
        self.files.len() - 1
    }

    /// How many files there are (the id the next added file will get).
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.name.as_str())
    }
}

/// `text` with its bytes in `hidden` (Secret values) masked, so that no
/// snippet of any output format can show them. Line breaks and the
/// indentation of each line stay, so that every position keeps its line
/// and byte offset.
pub fn redact(text: String, hidden: &[Range<usize>]) -> String {
    if hidden.is_empty() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for range in hidden {
        mask(&mut bytes, range.clone());
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Replaces every byte of `range` with `*`, except line breaks and the
/// leading whitespace of each line. Whole characters are masked (a range
/// inside one is widened), so the text stays UTF-8.
fn mask(bytes: &mut [u8], range: Range<usize>) {
    let is_char_start = |b: u8| b & 0xC0 != 0x80;
    let mut start = range.start.min(bytes.len());
    while start > 0 && bytes.get(start).is_some_and(|b| !is_char_start(*b)) {
        start -= 1;
    }
    let mut end = range.end.min(bytes.len());
    while bytes.get(end).is_some_and(|b| !is_char_start(*b)) {
        end += 1;
    }
    let line_start = bytes
        .get(..start)
        .and_then(|b| b.iter().rposition(|c| *c == b'\n'))
        .map_or(0, |i| i + 1);
    let mut leading = bytes
        .get(line_start..start)
        .is_some_and(|b| b.iter().all(|c| *c == b' ' || *c == b'\t'));
    for byte in bytes.get_mut(start..end).into_iter().flatten() {
        match *byte {
            b'\n' | b'\r' => leading = true,
            b' ' | b'\t' if leading => {}
            _ => {
                leading = false;
                *byte = b'*';
            }
        }
    }
}

/// A range of bytes in one file, with the 1-based line and column of its start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub col: usize,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// The same start, `len` bytes long.
    pub fn with_len(self, len: usize) -> Span {
        Span {
            end: self.start + len,
            ..self
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
