//! Reading one input: bytes, text, documents, Secret masking and the
//! non-manifest check. Nothing here depends on the other inputs of the run,
//! so the files of a run are read on several threads; the loader then takes
//! the results in input order, which keeps the output byte-identical.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::{classify, json_objects, limits, parse_json_object, secrets, text, yaml, IoError};
use crate::diagnostics::Diagnostic;
use crate::load::node::Node;
use crate::source::{redact, FileId, Taint};

/// One input file (or standard input) and how it was reached.
#[derive(Debug)]
pub(super) struct Input {
    pub name: String,
    /// None for standard input.
    pub path: Option<PathBuf>,
    /// Named on the command line rather than found by a walk.
    pub explicit: bool,
    /// Standard input, read up front (it cannot move to another thread).
    pub bytes: Option<std::io::Result<Option<Vec<u8>>>>,
}

impl Input {
    /// The name in I/O error messages: the path as given.
    fn shown(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => "standard input".into(),
        }
    }
}

/// What reading one input gave.
#[derive(Debug)]
pub(super) enum Content {
    /// The input alone exceeds [`limits::MAX_INPUT_BYTES`].
    TooLarge,
    /// Not read: the run had already read more than its byte budget when a
    /// worker reached it. The loader reads it again if it gets that far.
    Deferred,
    /// `size` bytes read; what they hold.
    Read { size: usize, file: Box<File> },
}

/// An input that was read, in the shape the loader adds it to the run.
#[derive(Debug)]
pub(super) enum File {
    /// Shown in no snippet (not text, or not JSON it claims to be): the
    /// text kept for snippets (masked, or empty) and the one diagnostic.
    Rejected { text: String, error: Diagnostic },
    /// Not UTF-8 text: only positions in it are shown (see
    /// [`text::shape`]).
    NotText { shape: String, error: Diagnostic },
    /// Found by a walk and not a manifest: left out, with the reason.
    Skipped { reason: String, group: &'static str },
    /// Manifests: the text with Secret values masked, its documents, and
    /// the Secret values themselves.
    Parsed {
        text: String,
        parsed: yaml::Parsed,
        taint: Taint,
    },
}

/// Reads and parses `input` as file `id` of the run. `spent` counts the
/// bytes all workers have read, so that a run over its budget stops
/// reading early.
pub(super) fn read(id: FileId, input: &mut Input, spent: &AtomicUsize) -> Result<Content, IoError> {
    let bytes = match input.bytes.take() {
        Some(bytes) => bytes,
        None => {
            if spent.load(Ordering::Relaxed) > limits::MAX_INPUT_BYTES {
                return Ok(Content::Deferred);
            }
            let path = input.path.as_deref().unwrap_or(std::path::Path::new(""));
            std::fs::File::open(path).and_then(|mut f| {
                let expected = f.metadata().map_or(0, |m| m.len());
                let expected = usize::try_from(expected).unwrap_or(usize::MAX);
                text::read_bounded(&mut f, limits::MAX_INPUT_BYTES, expected)
            })
        }
    };
    let bytes = bytes.map_err(|e| IoError(format!("cannot read {}: {e}", input.shown())))?;
    let Some(bytes) = bytes else {
        return Ok(Content::TooLarge);
    };
    let size = bytes.len();
    spent.fetch_add(size, Ordering::Relaxed);
    let file = match text::decode(id, &input.name, bytes) {
        Ok(text) => parse(id, input, text),
        // Not text: no snippet of it is shown.
        Err(not_text) => File::NotText {
            shape: not_text.shape,
            error: not_text.diagnostic,
        },
    };
    Ok(Content::Read {
        size,
        file: Box::new(file),
    })
}

/// Parses one file, masking Secret values before anything can show them.
fn parse(id: FileId, input: &Input, text: String) -> File {
    // The run's document limit is applied in input order by the loader;
    // one file alone stops at the limit.
    let budget = limits::MAX_DOCUMENTS;
    let parsed = match json_objects(id, &text) {
        Some(Err(error)) => {
            let mut hidden = Vec::new();
            if secrets::may_hold_secret(&text) {
                hidden.push(0..text.len());
            }
            return File::Rejected {
                text: redact(text, &hidden),
                error,
            };
        }
        Some(Ok(ranges)) => {
            let mut all = yaml::Parsed::default();
            for range in ranges {
                let budget = budget.saturating_sub(all.documents.len());
                let parsed = parse_json_object(id, &text, range, budget);
                all.documents.extend(parsed.documents);
                all.errors.extend(parsed.errors);
                all.broken.extend(parsed.broken);
                all.truncated = all.truncated.or(parsed.truncated);
            }
            all
        }
        None => yaml::parse(id, &text, budget),
    };
    let mut hidden = secrets::Hidden::default();
    for doc in &parsed.documents {
        secrets::collect(doc, &mut hidden);
    }
    hidden.ranges.extend(
        parsed
            .broken
            .iter()
            .filter(|r| text.get((*r).clone()).is_some_and(secrets::may_hold_secret))
            .cloned(),
    );
    let found = classify::not_a_manifest(
        id,
        input.path.as_deref(),
        &text,
        &parsed.documents,
        &parsed.errors,
    );
    // Named explicitly, a document that is a bare scalar or list is a
    // shape error of its own (AIGW002 says what it found), not data.
    let bare = |d: &Node| d.as_map().is_none();
    let found = found.filter(|f| {
        !(input.explicit
            && f.what == classify::What::NoObjects
            && parsed.documents.iter().any(bare))
    });
    match found {
        Some(found) if input.explicit => File::Rejected {
            error: found.diagnostic(&input.name),
            text: redact(text, &hidden.ranges),
        },
        Some(found) => File::Skipped {
            reason: found.reason(),
            group: found.group(),
        },
        None => File::Parsed {
            text: redact(text, &hidden.ranges),
            parsed,
            taint: hidden.taint,
        },
    }
}

/// Reads every input, on up to `threads()` threads; the results are in
/// input order.
pub(super) fn read_all(
    inputs: &mut [Input],
    threads: impl FnOnce() -> usize,
) -> Vec<Result<Content, IoError>> {
    let spent = AtomicUsize::new(0);
    // Each input is taken by exactly one thread; the lock is never contended.
    let slots: Vec<Mutex<&mut Input>> = inputs.iter_mut().map(Mutex::new).collect();
    // A thread costs more than reading a few small files.
    crate::parallel::map(slots.len(), threads, 4, |id| match slots.get(id) {
        Some(slot) => {
            let mut input = slot.lock().unwrap_or_else(PoisonError::into_inner);
            read(id, &mut input, &spent)
        }
        None => Ok(Content::Deferred),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every testdata file as an input of one run.
    fn inputs() -> Vec<Input> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
            .into_iter()
            .flatten()
            .flatten()
            .flat_map(|case| {
                std::fs::read_dir(case.path())
                    .into_iter()
                    .flatten()
                    .flatten()
            })
            .map(|entry| entry.path())
            .filter(|path| path.is_file())
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| Input {
                name: path.display().to_string(),
                path: Some(path),
                explicit: false,
                bytes: None,
            })
            .collect()
    }

    #[test]
    fn threads_read_what_one_thread_reads() {
        let one = format!("{:?}", read_all(&mut inputs(), || 1));
        let four = format!("{:?}", read_all(&mut inputs(), || 4));
        assert!(one.len() > 100_000, "too little input: {} bytes", one.len());
        assert_eq!(one, four);
    }
}
