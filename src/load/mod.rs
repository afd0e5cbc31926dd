//! Stage 1: find the input files, read them, and split them into objects.

mod classify;
pub mod node;
pub mod walk;
pub mod yaml;

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path as FsPath, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Sources, Span};
use node::Node;
pub use walk::Skipped;

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
    /// Files and folders a directory walk left out, one line each.
    pub skipped: Vec<Skipped>,
}

/// A problem that is not about the manifests' content (exit code 2).
#[derive(Debug)]
pub struct IoError(pub String);

/// Reads every PATH (`-` is standard input; no PATH means `.`); `exclude`
/// holds gitignore-style globs, relative to each walked directory.
pub fn load(
    paths: &[PathBuf],
    stdin: &mut dyn Read,
    exclude: &[String],
) -> Result<Loaded, IoError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut loaded = Loaded::default();
    let mut stdin_read = false;
    let mut seen = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            // Standard input can be read once; a second `-` adds nothing.
            if std::mem::replace(&mut stdin_read, true) {
                continue;
            }
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|e| IoError(format!("cannot read standard input: {e}")))?;
            loaded.add_file("<stdin>".into(), None, text, true);
            continue;
        }
        let (inputs, skipped) = walk::inputs(path, exclude, &mut seen)?;
        loaded.skipped.extend(skipped);
        for input in inputs {
            let text = std::fs::read(&input.path)
                .map_err(|e| IoError(format!("cannot read {}: {e}", input.path.display())))?;
            let text = String::from_utf8(text)
                .map_err(|_| IoError(format!("{} is not UTF-8 text", input.path.display())))?;
            loaded.add_file(
                walk::display(&input.path),
                Some(&input.path),
                text,
                input.explicit,
            );
        }
    }
    Ok(loaded)
}

/// kubectl reads a document that starts with `{` as JSON, strictly (no
/// trailing commas, no comments), although a YAML parser would accept it;
/// like kubectl, it reads several objects in a row (`jq -c` output) as a
/// stream. Returns the byte range of each object, or the syntax error.
fn json_objects(file: FileId, text: &str) -> Option<Result<Vec<(usize, usize)>, Diagnostic>> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let mut ranges = Vec::new();
    loop {
        let before = stream.byte_offset();
        match stream.next() {
            None => return Some(Ok(ranges)),
            Some(Ok(_)) => {
                let rest = text.get(before..).unwrap_or("");
                let start = before + (rest.len() - rest.trim_start().len());
                ranges.push((start, stream.byte_offset()));
            }
            Some(Err(err)) => return Some(Err(json_error(file, text, &err))),
        }
    }
}

fn json_error(file: FileId, text: &str, err: &serde_json::Error) -> Diagnostic {
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
    Diagnostic::new(Code::YamlSyntax, format!("invalid JSON: {err}")).at(span)
}

/// Parses the JSON object at `range` of `text`, with spans into `text`.
fn parse_json_object(
    file: FileId,
    text: &str,
    (start, end): (usize, usize),
) -> (Vec<Node>, Vec<Diagnostic>) {
    let before = text.get(..start).unwrap_or("");
    let line = before.matches('\n').count();
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    let (mut documents, mut errors) =
        yaml::parse_documents(file, text.get(start..end).unwrap_or(""));
    let mut relocate = |span: &mut Span| {
        if span.line == 1 {
            span.col += col;
        }
        span.line += line;
        span.start += start;
        span.end += start;
    };
    for doc in &mut documents {
        doc.visit_spans(&mut relocate);
    }
    for error in &mut errors {
        if let Some(span) = &mut error.span {
            relocate(span);
        }
        for related in &mut error.related {
            relocate(&mut related.span);
        }
    }
    (documents, errors)
}

impl Loaded {
    /// Parses one file; `path` is None for standard input, `explicit` when
    /// the file was named rather than found by a walk.
    fn add_file(&mut self, name: String, path: Option<&FsPath>, text: String, explicit: bool) {
        let id = self.sources.next_id();
        let (documents, errors) = match json_objects(id, &text) {
            Some(Err(error)) => (Vec::new(), vec![error]),
            Some(Ok(ranges)) => {
                let mut all = (Vec::new(), Vec::new());
                for range in ranges {
                    let (documents, errors) = parse_json_object(id, &text, range);
                    all.0.extend(documents);
                    all.1.extend(errors);
                }
                all
            }
            None => yaml::parse_documents(id, &text),
        };
        if let Some(found) = classify::not_a_manifest(id, path, &text, &documents, &errors) {
            if explicit {
                self.diagnostics.push(found.diagnostic(&name));
                self.sources.add(name, text);
            } else {
                self.skipped.push(Skipped {
                    path: name,
                    reason: found.reason(),
                });
            }
            return;
        }
        let file = self.sources.add(name, text);
        self.diagnostics.extend(errors);
        for doc in documents {
            self.add_document(doc, file);
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
