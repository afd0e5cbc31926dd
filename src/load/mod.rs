//! Stage 1: find the input files, read them, and split them into objects.

mod classify;
pub mod limits;
pub mod node;
mod original;
mod read;
mod reread;
pub mod secrets;
mod surrogates;
pub mod text;
pub mod walk;
pub mod yaml;

use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Sources, Span};
use node::Node;
pub use original::Original;
pub use reread::reread;
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
    /// Bytes read and objects seen so far, against [`limits`].
    bytes_read: usize,
    objects_seen: usize,
    /// A limit was reached: nothing more is read.
    full: bool,
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
    let (steps, mut inputs) = plan(paths, stdin, exclude);
    let mut contents = read::read_all(&mut inputs, crate::parallel::threads).into_iter();
    let mut loaded = Loaded::default();
    let mut inputs = inputs.into_iter();
    for step in steps {
        match step {
            Step::Skipped(skipped) => loaded.skipped.extend(skipped),
            Step::Failed(error) => return Err(error),
            Step::Read => {
                let (Some(mut input), Some(content)) = (inputs.next(), contents.next()) else {
                    continue;
                };
                if loaded.full {
                    continue;
                }
                let content = match content? {
                    // Only reached after the budget was spent by later
                    // inputs: read it now, in order.
                    read::Content::Deferred => {
                        let id = loaded.sources.len();
                        read::read(id, &mut input, &AtomicUsize::new(0))?
                    }
                    content => content,
                };
                loaded.add(input, content);
            }
        }
    }
    Ok(loaded)
}

/// Reads files given as bytes (e.g. blobs of a git revision), as a
/// directory walk would have found them: what is not a manifest is left
/// out with a note, not an error.
pub fn load_files(files: Vec<(String, Vec<u8>)>) -> Result<Loaded, IoError> {
    let mut inputs: Vec<read::Input> = files
        .into_iter()
        .map(|(name, bytes)| {
            let bytes = (bytes.len() <= limits::MAX_INPUT_BYTES).then_some(bytes);
            read::Input {
                name,
                path: None,
                explicit: false,
                bytes: Some(Ok(bytes)),
            }
        })
        .collect();
    let contents = read::read_all(&mut inputs, crate::parallel::threads);
    let mut loaded = Loaded::default();
    for (input, content) in inputs.into_iter().zip(contents) {
        if loaded.full {
            break;
        }
        match content? {
            // Every byte is in memory already: nothing is deferred.
            read::Content::Deferred => {}
            content => loaded.add(input, content),
        }
    }
    Ok(loaded)
}

/// One step of a run, in input order.
enum Step {
    /// Files and folders a walk left out.
    Skipped(Vec<Skipped>),
    /// The next input.
    Read,
    /// A path that cannot be walked: the run stops here.
    Failed(IoError),
}

/// The steps of a run and its inputs (file ids are their indices), found
/// before any file is read. Standard input is read here: it is not
/// `Send`, and it can be read once (a second `-` adds nothing).
fn plan(
    paths: &[PathBuf],
    stdin: &mut dyn Read,
    exclude: &[String],
) -> (Vec<Step>, Vec<read::Input>) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut steps = Vec::new();
    let mut inputs = Vec::new();
    let mut stdin_read = false;
    let mut seen = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if std::mem::replace(&mut stdin_read, true) {
                continue;
            }
            inputs.push(read::Input {
                name: "<stdin>".into(),
                path: None,
                explicit: true,
                bytes: Some(text::read_bounded(stdin, limits::MAX_INPUT_BYTES, 0)),
            });
            steps.push(Step::Read);
            continue;
        }
        match walk::inputs(path, exclude, &mut seen) {
            Ok((found, skipped)) => {
                steps.push(Step::Skipped(skipped));
                for input in found {
                    inputs.push(read::Input {
                        name: walk::display(&input.path),
                        path: Some(input.path),
                        explicit: input.explicit,
                        bytes: None,
                    });
                    steps.push(Step::Read);
                }
            }
            Err(error) => {
                steps.push(Step::Failed(error));
                break;
            }
        }
    }
    (steps, inputs)
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
    let span = Span::point(file, start);
    // serde_json's nesting limit (128) is the YAML one.
    if err.to_string().starts_with("recursion limit exceeded") {
        let message = format!(
            "nesting deeper than {} levels of mappings and lists",
            limits::MAX_DEPTH
        );
        return Diagnostic::new(Code::InputLimit, message).at(span);
    }
    Diagnostic::new(Code::YamlSyntax, format!("invalid JSON: {err}")).at(span)
}

/// Parses the JSON object at `range` of `text`, with spans into `text`.
fn parse_json_object(
    file: FileId,
    text: &str,
    (start, end): (usize, usize),
    max_documents: usize,
) -> yaml::Parsed {
    let object = text.get(start..end).unwrap_or("");
    let surrogates = surrogates::encode(object);
    let mut parsed = yaml::parse(
        file,
        surrogates.as_ref().map_or(object, |(t, _)| t),
        max_documents,
    );
    if let Some((_, base)) = surrogates {
        for doc in &mut parsed.documents {
            surrogates::decode(doc, base);
        }
    }
    let mut relocate = |span: &mut Span| {
        span.set_start(span.start() + start);
        span.set_end(span.end() + start);
    };
    for doc in &mut parsed.documents {
        doc.visit_spans(&mut relocate);
    }
    for error in &mut parsed.errors {
        if let Some(span) = &mut error.span {
            relocate(span);
        }
        for related in &mut error.related {
            relocate(&mut related.span);
        }
    }
    for range in &mut parsed.broken {
        *range = range.start + start..range.end + start;
    }
    if let Some(span) = &mut parsed.truncated {
        relocate(span);
    }
    parsed
}

impl Loaded {
    /// Adds one input that was read, within the byte budget of the run. Its
    /// file id is the next one, as it was when it was parsed.
    fn add(&mut self, input: read::Input, content: read::Content) {
        let name = input.name;
        let (size, file) = match content {
            read::Content::Read { size, file }
                if size <= limits::MAX_INPUT_BYTES.saturating_sub(self.bytes_read) =>
            {
                (size, file)
            }
            _ => {
                let id = self.sources.add(name.clone(), String::new());
                self.diagnostics.push(text::too_large(id, &name));
                self.stop();
                return;
            }
        };
        self.bytes_read += size;
        match *file {
            read::File::Rejected { text, error } => {
                self.sources.add(name, text);
                self.diagnostics.push(error);
            }
            read::File::NotText { shape, error } => {
                self.sources.add_opaque(name, shape);
                self.diagnostics.push(error);
            }
            read::File::Skipped { reason, group } => {
                // Kept (empty) so that the file ids of later inputs hold.
                self.sources.add(name.clone(), String::new());
                self.skipped.push(Skipped {
                    path: name,
                    reason,
                    group,
                });
            }
            read::File::Parsed {
                text,
                parsed,
                taint,
            } => {
                let file = self.sources.add(name.clone(), text);
                self.sources.taint.extend(&taint);
                self.diagnostics.extend(parsed.errors);
                for doc in parsed.documents {
                    // A function's configuration beside manifests is
                    // kustomize's input, never an object to apply.
                    if classify::is_function_config(&doc) {
                        self.skipped.push(Skipped {
                            path: format!("{name}:{}", self.sources.position(doc.span).0),
                            reason: "a KRM function configuration (read by kustomize)".into(),
                            group: "KRM function configurations (read by kustomize)",
                        });
                        continue;
                    }
                    self.add_document(doc, file);
                }
                if let Some(at) = parsed.truncated {
                    self.too_many_objects(at);
                }
            }
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
                Some(Some(_)) => {
                    // The items move out of the List: a copy of each while
                    // the whole List was alive doubled its memory.
                    for item in list_items(doc) {
                        self.add_object(item);
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

/// The items of a List document, moved out of it.
fn list_items(doc: Node) -> Vec<Node> {
    let node::Value::Map(entries) = doc.value else {
        return Vec::new();
    };
    entries
        .into_vec()
        .into_iter()
        .find(|e| e.key == "items")
        .map(|e| match e.value.value {
            node::Value::Seq(items) => items.into_vec(),
            _ => Vec::new(),
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The objects of a JSON stream are parsed one by one; their spans
    /// point into the stream (no line is counted while loading: positions
    /// are computed when a diagnostic is shown).
    #[test]
    fn a_json_stream_gets_spans_into_the_stream() {
        let mut text = String::from("\n");
        for i in 0..300 {
            let indent = " ".repeat(i % 3);
            text.push_str(&format!("{indent}{{\"kind\": \"K\",\n \"n\": \"é{i}\"}}"));
            text.push_str(if i % 2 == 0 { "\n" } else { " " });
        }
        let ranges = match json_objects(0, &text) {
            Some(Ok(ranges)) => ranges,
            other => panic!("not a JSON stream: {other:?}"),
        };
        assert_eq!(ranges.len(), 300);
        for range in ranges {
            let parsed = parse_json_object(0, &text, range, 1);
            let doc = parsed.documents.first().expect("one document");
            let value = doc.locate(&node::Path::parse("n"));
            assert_eq!(doc.span.start(), range.0);
            let (line, _) = crate::source::position(&text, range.0);
            assert_eq!(crate::source::position(&text, value.start()), (line + 1, 7));
            assert_eq!(
                text.get(value.start()..value.end())
                    .map(|v| v.starts_with("\"é")),
                Some(true)
            );
        }
    }
}
