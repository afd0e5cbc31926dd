//! Stage 1: find the input files, read them, and split them into objects.

pub mod node;
pub mod yaml;

use std::io::Read;
use std::path::{Path as FsPath, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Sources, Span};
use node::Node;

/// The API group of the three AI Gateway kinds.
pub const AI_GATEWAY_GROUP: &str = "aigateway.envoyproxy.io";
pub const AI_GATEWAY_API_VERSION: &str = "aigateway.envoyproxy.io/v1alpha1";

/// One Kubernetes object of the input, in input order.
#[derive(Debug, Clone)]
pub struct Object {
    pub node: Node,
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

/// Everything read in one run.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub objects: Vec<Object>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A problem that is not about the manifests' content (exit code 2).
#[derive(Debug)]
pub struct IoError(pub String);

/// Reads every PATH (`-` is standard input; no PATH means `.`).
pub fn load(paths: &[PathBuf], stdin: &mut dyn Read) -> Result<Loaded, IoError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|e| IoError(format!("cannot read standard input: {e}")))?;
            files.push(("<stdin>".into(), text));
            continue;
        }
        for file in files_under(path)? {
            let text = std::fs::read(&file)
                .map_err(|e| IoError(format!("cannot read {}: {e}", file.display())))?;
            let text = String::from_utf8(text)
                .map_err(|_| IoError(format!("{} is not UTF-8 text", file.display())))?;
            let name = file.display().to_string();
            let name = name.strip_prefix("./").map(str::to_string).unwrap_or(name);
            files.push((name, text));
        }
    }
    loaded.add_files(files);
    Ok(loaded)
}

/// What parsing one file gives: a JSON syntax error, or its documents
/// and YAML errors.
enum Parsed {
    Json(Diagnostic),
    Yaml(Vec<Node>, Vec<Diagnostic>),
}

fn parse_file(id: FileId, text: &str) -> Parsed {
    match json_syntax_error(id, text) {
        Some(error) => Parsed::Json(error),
        None => {
            let (documents, errors) = yaml::parse_documents(id, text);
            Parsed::Yaml(documents, errors)
        }
    }
}

/// Below this much input, starting a thread costs more than it saves.
const PARALLEL_PARSE_BYTES: usize = 256 * 1024;

/// Parses `files` (given ids from `first_id` on), on several threads when
/// the input is large; the results are in file order either way.
fn parse_files(first_id: FileId, files: &[(String, String)]) -> Vec<Parsed> {
    let total: usize = files.iter().map(|(_, text)| text.len()).sum();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let sequential = |from: usize, files: &[(String, String)]| -> Vec<Parsed> {
        files
            .iter()
            .enumerate()
            .map(|(i, (_, text))| parse_file(first_id + from + i, text))
            .collect()
    };
    if threads < 2 || files.len() < 2 || total < PARALLEL_PARSE_BYTES {
        return sequential(0, files);
    }
    // Contiguous chunks of about equal size, one per thread.
    let per_thread = total.div_ceil(threads);
    let mut chunks = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (_, text)) in files.iter().enumerate() {
        size += text.len();
        if size >= per_thread {
            chunks.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    if start < files.len() {
        chunks.push(start..files.len());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|range| {
                let chunk = files.get(range.clone()).unwrap_or_default();
                let from = range.start;
                let handle = std::thread::Builder::new()
                    // As much stack as the main thread has.
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, move || sequential(from, chunk));
                (range.clone(), handle)
            })
            .collect();
        let mut parsed = Vec::with_capacity(files.len());
        for (range, handle) in handles {
            // A thread that cannot start or fails is redone here, so the
            // result never depends on how the work was split.
            match handle
                .map_err(|_| ())
                .and_then(|h| h.join().map_err(|_| ()))
            {
                Ok(results) => parsed.extend(results),
                Err(()) => parsed.extend(sequential(
                    range.start,
                    files.get(range).unwrap_or_default(),
                )),
            }
        }
        parsed
    })
}

/// A file as itself; a directory walked recursively, sorted by name, hidden
/// entries and symlinks skipped, only `*.yaml`, `*.yml`, `*.json` kept.
fn files_under(path: &FsPath) -> Result<Vec<PathBuf>, IoError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| IoError(format!("cannot read {}: {e}", path.display())))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(path)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| IoError(format!("cannot walk {}: {e}", path.display())))?;
        let is_manifest = matches!(
            entry.path().extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        if entry.file_type().is_file() && is_manifest {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// kubectl reads a document that starts with `{` as JSON, strictly (no
/// trailing commas, no comments), although a YAML parser would accept it.
fn json_syntax_error(file: FileId, text: &str) -> Option<Diagnostic> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let err = stream.find_map(Result::err)?;
    let (line, col) = (err.line(), err.column().max(1));
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let start = text
        .get(line_start..)
        .and_then(|l| l.char_indices().nth(col - 1).map(|(i, _)| line_start + i))
        .unwrap_or(text.len());
    let span = Span {
        file,
        start,
        end: start,
        line: line.max(1),
        col,
    };
    Some(Diagnostic::new(Code::YamlSyntax, format!("invalid JSON: {err}")).at(span))
}

impl Loaded {
    fn add_files(&mut self, files: Vec<(String, String)>) {
        let parsed = parse_files(self.sources.next_id(), &files);
        for ((name, text), parsed) in files.into_iter().zip(parsed) {
            let file = self.sources.add(name, text);
            match parsed {
                Parsed::Json(error) => self.diagnostics.push(error),
                Parsed::Yaml(documents, errors) => {
                    self.diagnostics.extend(errors);
                    for doc in documents {
                        self.add_document(doc, file);
                    }
                }
            }
        }
    }

    fn add_document(&mut self, doc: Node, file: FileId) {
        debug_assert_eq!(doc.span.file, file);
        let fields = (doc.get_str("apiVersion"), doc.get_str("kind"));
        if let (Some("v1"), Some("List")) = fields {
            match doc.get("items").map(|i| i.as_seq()) {
                Some(Some(items)) => {
                    for item in items {
                        self.add_object(item.clone());
                    }
                }
                None => {}
                Some(None) => self.diagnostics.push(
                    Diagnostic::new(
                        Code::DocumentShape,
                        "a List's items must be a list of objects",
                    )
                    .at(doc.locate(&node::Path::parse("items")))
                    .path("items"),
                ),
            }
            return;
        }
        self.add_object(doc);
    }

    fn add_object(&mut self, doc: Node) {
        let shape_error = |message: &str, at: Span, path: &str| {
            Diagnostic::new(Code::DocumentShape, message.to_string())
                .at(at)
                .path(path)
                .help("every document must be a Kubernetes object: a mapping with apiVersion, kind and metadata.name")
        };
        if doc.as_map().is_none() {
            let message = format!(
                "a document must be a mapping (an object), found {}",
                doc.type_name()
            );
            self.diagnostics
                .push(shape_error(&message, doc.span, "<root>"));
            return;
        }
        let mut missing = |field: &str| {
            let path = node::Path::parse(field);
            let message = match doc.at(&path) {
                Some(n) if n.as_str() == Some("") => format!("{field} must not be empty"),
                Some(n) => format!("{field} must be a string, found {}", n.type_name()),
                None => format!("{field} is required"),
            };
            self.diagnostics
                .push(shape_error(&message, doc.locate(&path), field));
        };
        let nonempty = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(str::to_string);
        let api_version = nonempty(doc.get_str("apiVersion"));
        let kind = nonempty(doc.get_str("kind"));
        let name = nonempty(doc.get("metadata").and_then(|m| m.get_str("name")));
        if api_version.is_none() {
            missing("apiVersion");
        }
        if kind.is_none() {
            missing("kind");
        }
        if name.is_none() {
            missing("metadata.name");
        }
        if let (Some(api_version), Some(kind), Some(name)) = (api_version, kind, name) {
            self.objects.push(Object {
                node: doc,
                api_version,
                kind,
                name,
            });
        }
    }
}
