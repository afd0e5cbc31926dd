//! Source files and positions inside them.
//!
//! Every node the loader builds remembers where it came from, so that any
//! later stage can point a diagnostic at the exact line and column.

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

    /// The id the next added file will get.
    pub fn next_id(&self) -> FileId {
        self.files.len()
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.name.as_str())
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
