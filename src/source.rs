//! Source files and positions inside them.
//!
//! Every node the loader builds remembers where it came from, so that any
//! later stage can point a diagnostic at the exact line and column.

use std::ops::Range;
use std::sync::Arc;

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// One input file (or standard input), kept whole for diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to users: the path as given, or `<stdin>`.
    pub name: String,
    /// Shared: a typed object that let go of its tree reads it again from
    /// here when a diagnostic points into it (`model::catalog::Tree`).
    pub text: Arc<String>,
    /// For a file whose content is never shown (not UTF-8 text): a text of
    /// the same bytes' lines and characters, which positions are counted in.
    shape: Option<String>,
    /// Where each line starts, built the first time a position is asked
    /// for (most runs show no diagnostic, and spans carry offsets only).
    lines: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: String, text: String) -> SourceFile {
        SourceFile {
            name,
            text: Arc::new(text),
            shape: None,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// The 1-based line and column (in characters) of byte `at`.
    pub fn position(&self, at: usize) -> (usize, usize) {
        let text = self.shape.as_deref().unwrap_or(&self.text);
        let lines = self.lines.get_or_init(|| line_starts(text));
        let line = lines.partition_point(|&start| start <= at).max(1);
        let start = lines.get(line - 1).copied().unwrap_or(0);
        (line, column(text, start, at))
    }
}

/// The byte offset of each line of `text`: 0, then one past each `\n`.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The 1-based column of byte `at` on the line starting at `line_start`.
fn column(text: &str, line_start: usize, at: usize) -> usize {
    text.get(line_start..at.max(line_start))
        .map_or(0, |t| t.chars().count())
        + 1
}

/// The 1-based line and column of byte `at` of `text`, for a text that is
/// not (yet) one of the run's [`Sources`]. Linear in `at`: for one message.
pub fn position(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        1 + before.bytes().filter(|b| *b == b'\n').count(),
        column(text, line_start, at),
    )
}

/// All files read in one run.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// The Secret values of every file, which no output may show.
    pub taint: Taint,
}

impl Sources {
    pub fn add(&mut self, name: String, text: String) -> FileId {
        self.files.push(SourceFile::new(name, text));
        self.files.len() - 1
    }

    /// A file whose content is never shown, only positions in it: `shape`
    /// has its lines and characters (see `load::text::shape`).
    pub fn add_opaque(&mut self, name: String, shape: String) -> FileId {
        self.files.push(SourceFile {
            name,
            text: Arc::default(),
            shape: Some(shape),
            lines: std::sync::OnceLock::new(),
        });
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

    /// The 1-based line and column (in characters) where `span` starts.
    pub fn position(&self, span: Span) -> (usize, usize) {
        self.get(span.file)
            .map_or((1, 1), |f| f.position(span.start()))
    }
}

/// The values of Secrets (`data` and `stringData`, and the decoded form
/// of `data`), found in the parsed trees, so whatever a value's way into a
/// message (a YAML alias, a typed model, a KRM item), [`Taint::seal`]
/// takes it out. Snippets are safe by other means: the source text they
/// quote is masked ([`redact`]).
#[derive(Debug, Default, Clone)]
pub struct Taint {
    values: std::collections::BTreeSet<String>,
    /// The distinct lengths of `values`, longest first.
    lengths: Vec<usize>,
    /// Which bytes start a value, one bit each: most places of a text are
    /// passed over with one look-up (the routing table of a large run is
    /// megabytes).
    first_bytes: [u64; 4],
}

impl Taint {
    pub fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.is_empty() || self.values.contains(value) {
            return;
        }
        if !self.lengths.contains(&value.len()) {
            self.lengths.push(value.len());
            self.lengths.sort_unstable_by(|a, b| b.cmp(a));
        }
        if let Some(first) = value.bytes().next() {
            if let Some(bits) = self.first_bytes.get_mut(usize::from(first / 64)) {
                *bits |= 1 << (first % 64);
            }
        }
        self.values.insert(value.to_string());
        // Messages cut a long value short (`schema.rs`'s `ellipsize`): the
        // part they show is tainted as well.
        if value.chars().count() > 80 {
            let cut: String = value.chars().take(77).chain(['…']).collect();
            self.add(&cut);
        }
    }

    pub fn extend(&mut self, other: &Taint) {
        for value in &other.values {
            self.add(value);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The tainted values, sorted.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(String::as_str)
    }

    /// Whether `text` holds a Secret value (as a whole word).
    pub fn taints(&self, text: &str) -> bool {
        self.seal(text) != text
    }

    /// `text` with every Secret value in it replaced by `****`. Every user
    /// text that reaches an output goes through here. A value counts where
    /// it is a whole word: a short value (`1`, `us`) must not turn every
    /// `1` in a message into stars, but nor may it show as such.
    pub fn seal(&self, text: &str) -> String {
        if self.values.is_empty() {
            return text.to_string();
        }
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            let before = text.get(..i).and_then(|t| t.chars().next_back());
            let starts = bytes.get(i).is_some_and(|b| {
                self.first_bytes
                    .get(usize::from(b / 64))
                    .is_some_and(|bits| bits & (1 << (b % 64)) != 0)
            });
            let found = self.lengths.iter().filter(|_| starts).find_map(|&len| {
                let candidate = text.get(i..i + len)?;
                let after = text.get(i + len..).and_then(|t| t.chars().next());
                let first = candidate.chars().next();
                let last = candidate.chars().next_back();
                let joined = (word(before) && word(first)) || (word(after) && word(last));
                (!joined && self.values.contains(candidate)).then_some(len)
            });
            match found {
                Some(len) => {
                    out.push_str("****");
                    i += len;
                }
                None => {
                    let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                        break;
                    };
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
        out
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

/// A range of bytes in one file. Line and column are computed when a
/// diagnostic is shown ([`Sources::position`]), and offsets are 32-bit (a
/// run reads at most 256 MiB): every node and key of every tree carries a
/// span, and these were 40 bytes, a third of a map entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    start: u32,
    end: u32,
}

/// An offset as stored: inputs are far below 4 GiB (`MAX_INPUT_BYTES`);
/// a larger one saturates rather than wraps.
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// File ids no file has: they mark what the API server's defaulting put in
/// a tree, which has no text (see [`Span::added`]).
const ADDED: FileId = FileId::MAX;
const NULL_DEFAULTED: FileId = FileId::MAX - 1;

impl Span {
    /// The key span of a field defaulting added: the tree as written did
    /// not have it, and writing the tree leaves it out.
    pub fn added() -> Span {
        Span::new(ADDED, 0, 0)
    }

    pub fn is_added(&self) -> bool {
        self.file == ADDED
    }

    /// This span (of an explicit null) on the value defaulting put in its
    /// place: the tree as written had the null, and is written with it.
    pub fn null_defaulted(self) -> Span {
        Span {
            file: NULL_DEFAULTED,
            ..self
        }
    }

    pub fn is_null_defaulted(&self) -> bool {
        self.file == NULL_DEFAULTED
    }

    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: offset(start),
            end: offset(end),
        }
    }

    /// A zero-length span at byte `at`.
    pub fn point(file: FileId, at: usize) -> Span {
        Span::new(file, at, at)
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    pub fn set_start(&mut self, at: usize) {
        self.start = offset(at);
    }

    pub fn set_end(&mut self, at: usize) {
        self.end = offset(at);
    }

    /// The bytes of the span, for slicing its file's text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    pub fn len(&self) -> usize {
        self.end().saturating_sub(self.start())
    }

    /// The same start, `len` bytes long.
    pub fn with_len(self, len: usize) -> Span {
        Span::new(self.file, self.start(), self.start() + len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_from_the_line_index_match_counting_from_the_start() {
        let text = "a: 1\n\nké: \"ü\"\r\n  - x\nlast";
        let file = SourceFile::new("f".into(), text.into());
        for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let before = &text[..at];
            let line = 1 + before.matches('\n').count();
            let col = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            assert_eq!(file.position(at), (line, col), "at {at}");
            assert_eq!(position(text, at), (line, col), "at {at}");
        }
    }

    #[test]
    fn an_offset_past_four_gib_saturates() {
        let span = Span::new(0, 1, usize::MAX);
        assert_eq!((span.start(), span.end()), (1, u32::MAX as usize));
    }

    #[test]
    fn seal_takes_out_whole_values_and_their_cut_forms() {
        let mut taint = Taint::default();
        for value in ["sk-LEAKME-1234", "1", "[default]", ""] {
            taint.add(value);
        }
        let long = "x".repeat(100);
        taint.add(&long);
        let seal = |text: &str| taint.seal(text);
        assert_eq!(
            seal("unsupported value \"sk-LEAKME-1234\": supported"),
            "unsupported value \"****\": supported"
        );
        // A short value goes only where it is a whole word.
        assert_eq!(
            seal("rules[1] at line 12: 1"),
            "rules[****] at line 12: ****"
        );
        assert_eq!(seal("no [default] section"), "no **** section");
        let cut: String = long.chars().take(77).chain(['…']).collect();
        assert_eq!(
            seal(&format!("\"{cut}\" does not match")),
            "\"****\" does not match"
        );
        assert_eq!(seal("héllo wörld"), "héllo wörld");
        assert!(taint.taints("key sk-LEAKME-1234"));
        assert!(!Taint::default().taints("sk-LEAKME-1234"));
    }
}
