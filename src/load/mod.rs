//! Stage 1: find the input files, read them, and split them into objects.

pub mod limits;
pub mod node;
pub mod secrets;
pub mod text;
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
    /// Bytes read and objects seen so far, against [`limits`].
    bytes_read: usize,
    objects_seen: usize,
    /// A limit was reached: nothing more is read.
    full: bool,
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
    for path in paths {
        if path.as_os_str() == "-" {
            loaded.read("<stdin>".into(), stdin, "standard input")?;
            continue;
        }
        for file in files_under(path)? {
            if loaded.full {
                break;
            }
            let mut reader = std::fs::File::open(&file)
                .map_err(|e| IoError(format!("cannot read {}: {e}", file.display())))?;
            let name = file.display().to_string();
            let name = name.strip_prefix("./").map(str::to_string).unwrap_or(name);
            loaded.read(name, &mut reader, &file.display().to_string())?;
        }
    }
    Ok(loaded)
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
    // serde_json's nesting limit (128) is the YAML one.
    if err.to_string().starts_with("recursion limit exceeded") {
        let message = format!(
            "nesting deeper than {} levels of mappings and lists",
            limits::MAX_DEPTH
        );
        return Some(Diagnostic::new(Code::InputLimit, message).at(span));
    }
    Some(Diagnostic::new(Code::YamlSyntax, format!("invalid JSON: {err}")).at(span))
}

impl Loaded {
    /// Reads one input within the byte budget of the run.
    fn read(&mut self, name: String, reader: &mut dyn Read, shown: &str) -> Result<(), IoError> {
        if self.full {
            return Ok(());
        }
        let budget = limits::MAX_INPUT_BYTES.saturating_sub(self.bytes_read);
        let bytes = text::read_bounded(reader, budget)
            .map_err(|e| IoError(format!("cannot read {shown}: {e}")))?;
        let id = self.sources.next_id();
        let Some(bytes) = bytes else {
            self.sources.add(name.clone(), String::new());
            self.diagnostics.push(text::too_large(id, &name));
            self.stop();
            return Ok(());
        };
        self.bytes_read += bytes.len();
        match text::decode(id, &name, bytes) {
            Ok(text) => self.add_file(name, text),
            Err(error) => {
                // Not text: no snippet of it is shown.
                self.sources.add(name, String::new());
                self.diagnostics.push(*error);
            }
        }
        Ok(())
    }

    fn add_file(&mut self, name: String, text: String) {
        let id = self.sources.next_id();
        if let Some(error) = json_syntax_error(id, &text) {
            let mut hidden = Vec::new();
            if secrets::may_hold_secret(&text) {
                hidden.push(0..text.len());
            }
            self.sources.add_redacted(name, text, &hidden);
            self.diagnostics.push(error);
            return;
        }
        let budget = limits::MAX_DOCUMENTS.saturating_sub(self.objects_seen);
        let parsed = yaml::parse(id, &text, budget);
        let mut hidden = Vec::new();
        for doc in &parsed.documents {
            secrets::value_ranges(doc, &mut hidden);
        }
        hidden.extend(
            parsed
                .broken
                .iter()
                .filter(|r| text.get((*r).clone()).is_some_and(secrets::may_hold_secret))
                .cloned(),
        );
        let file = self.sources.add_redacted(name, text, &hidden);
        self.diagnostics.extend(parsed.errors);
        for doc in parsed.documents {
            self.add_document(doc, file);
        }
        if let Some(at) = parsed.truncated {
            self.too_many_objects(at);
        }
    }

    /// A limit is reached: nothing more is read, and the objects read so
    /// far are dropped, since the run fails anyway and checking a part of
    /// the input would only cost time.
    fn stop(&mut self) {
        self.full = true;
        self.objects.clear();
    }

    /// Stops the run at [`limits::MAX_DOCUMENTS`] objects.
    fn too_many_objects(&mut self, at: Span) {
        if !self.full {
            self.stop();
            self.diagnostics.push(
                Diagnostic::new(
                    Code::InputLimit,
                    format!(
                        "more than {} objects in one run; reading stopped here",
                        limits::MAX_DOCUMENTS
                    ),
                )
                .at(at)
                .help("split the manifests into several runs"),
            );
        }
    }

    fn add_document(&mut self, doc: Node, file: FileId) {
        debug_assert_eq!(doc.span.file, file);
        if self.full {
            return;
        }
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
        if self.objects_seen >= limits::MAX_DOCUMENTS {
            self.too_many_objects(doc.span.with_len(0));
            return;
        }
        self.objects_seen += 1;
        if doc.span.len() > limits::MAX_OBJECT_BYTES {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::InputLimit,
                    format!(
                        "this object is {} KiB; the API server accepts at most {} KiB per object",
                        doc.span.len() / 1024,
                        limits::MAX_OBJECT_BYTES / 1024
                    ),
                )
                .at(doc.span.with_len(0)),
            );
            return;
        }
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
