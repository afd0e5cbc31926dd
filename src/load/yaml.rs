//! YAML (and JSON, a subset of it) to [`Node`] trees, one per document.
//!
//! Plain scalars resolve the way kubectl's YAML decoder (go-yaml v2, YAML
//! 1.1) resolves them, so that `yes` is a boolean here exactly when it is a
//! boolean to the API server.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::limits::{MAX_ALIAS_NODES, MAX_DEPTH, MAX_NODES};
use super::node::{fitted, Entry, Node, Text, Value};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// The outcome of parsing one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The non-empty documents, in order.
    pub documents: Vec<Node>,
    pub errors: Vec<Diagnostic>,
    /// The bytes of each document that failed to parse: what it holds is
    /// unknown, so the loader may have to hide all of it.
    pub broken: Vec<Range<usize>>,
    /// Parsing stopped after `max_documents` documents, at this one.
    pub truncated: Option<Span>,
}

/// Parses every document of `text`, as [`parse`] does, without a limit on
/// the number of documents.
pub fn parse_documents(file: FileId, text: &str) -> (Vec<Node>, Vec<Diagnostic>) {
    let parsed = parse(file, text, usize::MAX);
    (parsed.documents, parsed.errors)
}

/// Parses the documents of `text`, at most `max_documents` of them; empty
/// and comment-only documents are dropped. A syntax error ends only its own
/// document: parsing resumes at the next `---` line, so one broken document
/// does not hide the others.
pub fn parse(file: FileId, text: &str, max_documents: usize) -> Parsed {
    let mut parsed = Parsed::default();
    let mut base = Base::default();
    loop {
        let rest = text.get(base.byte..).unwrap_or("");
        match parse_chunk(file, rest, base, max_documents, &mut parsed) {
            Ok(()) => break,
            Err(failure) => {
                parsed.errors.push(*failure.diagnostic);
                let next = next_document_start(text, base.byte + failure.at, base.byte);
                // The document, without its `---` marker (nothing to hide).
                let mut start = base.byte + failure.doc_start;
                if text.get(start..).is_some_and(|t| t.starts_with("---")) {
                    start += 3;
                }
                parsed
                    .broken
                    .push(start..next.unwrap_or(text.len()).max(start));
                match next {
                    Some(next) => {
                        let skipped = text.get(base.byte..next).unwrap_or("");
                        base.line += skipped.matches('\n').count();
                        base.byte = next;
                    }
                    None => break,
                }
            }
        }
    }
    parsed
}

/// Where a chunk of the file starts: its byte offset and 0-based line.
#[derive(Debug, Clone, Copy, Default)]
struct Base {
    byte: usize,
    line: usize,
}

/// The byte offset of the first `---` line at or after the line holding
/// `from` (the parser may report an unclosed collection on the very `---`
/// line that ends its document), but past `min` so that parsing always
/// makes progress.
fn next_document_start(text: &str, from: usize, min: usize) -> Option<usize> {
    let mut offset = text.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    loop {
        let line = text.get(offset..)?;
        if let Some(rest) = line.strip_prefix("---") {
            if offset > min && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
                return Some(offset);
            }
        }
        offset += line.find('\n')? + 1;
    }
}

/// A document that failed: the diagnostic, where parsing stopped and where
/// the document began (both relative to the chunk).
struct ChunkFailure {
    diagnostic: Box<Diagnostic>,
    at: usize,
    doc_start: usize,
}

fn parse_chunk(
    file: FileId,
    text: &str,
    base: Base,
    max_documents: usize,
    parsed: &mut Parsed,
) -> Result<(), ChunkFailure> {
    let positions = Positions::new(file, text, base);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        text,
        base,
        ..Builder::default()
    };
    let mut doc_start = 0;

    while let Some(next) = parser.next_event() {
        let (event, yspan) = next.map_err(|err| {
            let m = err.marker();
            let span = positions.point(m.index());
            let (code, message) = scan_message(err.info());
            ChunkFailure {
                diagnostic: Box::new(Diagnostic::new(code, message).at(span)),
                at: span.start().saturating_sub(base.byte),
                doc_start,
            }
        })?;
        let span = positions.span(&yspan);
        let local = span.start().saturating_sub(base.byte);
        let flow = text
            .as_bytes()
            .get(local)
            .is_some_and(|b| *b == b'[' || *b == b'{');
        let fail = |(code, message): (Code, String)| ChunkFailure {
            diagnostic: Box::new(Diagnostic::new(code, message).at(span)),
            at: local,
            doc_start,
        };
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let (value, problem) = resolve_scalar(&text, style, tag.as_deref());
                if let Some(message) = problem {
                    builder
                        .problems
                        .push(Diagnostic::new(Code::InputLimit, message).at(span));
                }
                builder
                    .push_value(Node::new(value, span), anchor)
                    .map_err(fail)?;
            }
            Event::SequenceStart(anchor, _) => {
                let items = builder.spare_seqs.pop().unwrap_or_default();
                builder
                    .open(Frame::seq(span, anchor, flow, items))
                    .map_err(fail)?
            }
            Event::MappingStart(anchor, _) => {
                let entries = builder.spare_maps.pop().unwrap_or_default();
                builder
                    .open(Frame::map(span, anchor, flow, entries))
                    .map_err(fail)?
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(span.end()).map_err(fail)?,
            Event::Alias(id) => {
                let node = builder.alias(id).map_err(fail)?;
                builder.push_value(node, 0).map_err(fail)?;
            }
            Event::DocumentStart(_) => doc_start = local,
            Event::DocumentEnd => {
                doc_start = span.end().saturating_sub(base.byte);
                parsed.errors.append(&mut builder.problems);
                if let Some(root) = builder.root.take() {
                    if root.value != Value::Null {
                        if parsed.documents.len() >= max_documents {
                            parsed.truncated = Some(root.span.with_len(0));
                            let start = root.span.start().min(base.byte + text.len());
                            parsed.broken.push(start..base.byte + text.len());
                            return Ok(());
                        }
                        parsed.documents.push(root);
                    }
                }
                builder.end_document();
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    Ok(())
}

/// saphyr's message, without the one character it may quote (which may be
/// the first byte of a Secret's value); its own nesting limit (255 flow
/// levels) is ours.
fn scan_message(info: &str) -> (Code, String) {
    if info.starts_with("unexpected character") {
        let hint = "a plain scalar cannot start with `@`, `%` or a backquote (quote the value)";
        (Code::YamlSyntax, format!("invalid YAML: {hint}"))
    } else if info == "recursion limit exceeded" {
        (Code::InputLimit, depth_message())
    } else {
        (Code::YamlSyntax, format!("invalid YAML: {info}"))
    }
}

fn depth_message() -> String {
    format!("nesting deeper than {MAX_DEPTH} levels of mappings and lists")
}

/// Converts saphyr's character positions to byte spans.
struct Positions {
    file: FileId,
    base: Base,
    /// Byte offset of each character; empty when the text is ASCII.
    char_to_byte: Vec<usize>,
    len: usize,
}

impl Positions {
    fn new(file: FileId, text: &str, base: Base) -> Self {
        let char_to_byte = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(b, _)| b).collect()
        };
        Positions {
            file,
            base,
            char_to_byte,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let local = if self.char_to_byte.is_empty() {
            char_index.min(self.len)
        } else {
            self.char_to_byte
                .get(char_index)
                .copied()
                .unwrap_or(self.len)
        };
        self.base.byte + local
    }

    fn point(&self, index: usize) -> Span {
        Span::point(self.file, self.byte(index))
    }

    fn span(&self, s: &YSpan) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(self.file, start, end)
    }
}

struct Frame {
    span: Span,
    anchor: usize,
    /// `[...]` or `{...}`, whose end event is the closing bracket.
    flow: bool,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    /// Entries so far, and the key waiting for its value.
    Map(Vec<Entry>, Option<(Text, Span)>),
}

impl Frame {
    /// `items` and `entries`: an empty buffer to fill.
    fn seq(span: Span, anchor: usize, flow: bool, items: Vec<Node>) -> Self {
        Frame {
            span,
            anchor,
            flow,
            kind: FrameKind::Seq(items),
        }
    }
    fn map(span: Span, anchor: usize, flow: bool, entries: Vec<Entry>) -> Self {
        Frame {
            span,
            anchor,
            flow,
            kind: FrameKind::Map(entries, None),
        }
    }
}

type BuildError = (Code, String);

#[derive(Default)]
struct Builder<'t> {
    /// The chunk being parsed, and where it starts in the file: for the
    /// line a message names.
    text: &'t str,
    base: Base,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes of the current document, and those of them copied by anchors
    /// and aliases.
    nodes: usize,
    alias_nodes: usize,
    /// Diagnostics about single values that do not stop parsing.
    problems: Vec<Diagnostic>,
    /// Emptied buffers of closed collections, for the next ones to fill.
    spare_maps: Vec<Vec<Entry>>,
    spare_seqs: Vec<Vec<Node>>,
}

fn limit(message: String) -> BuildError {
    (Code::InputLimit, message)
}

/// The 1-based line of byte `at` of the file, in the chunk `text` that
/// starts at `base`.
fn line_of(text: &str, base: Base, at: usize) -> usize {
    let before = text.get(..at.saturating_sub(base.byte)).unwrap_or("");
    base.line + 1 + before.bytes().filter(|b| *b == b'\n').count()
}

impl Builder<'_> {
    fn end_document(&mut self) {
        self.anchors.clear();
        self.nodes = 0;
        self.alias_nodes = 0;
    }

    fn open(&mut self, frame: Frame) -> Result<(), BuildError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(limit(depth_message()));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: usize) -> Result<(), BuildError> {
        let Some(frame) = self.stack.pop() else {
            return Err((Code::YamlSyntax, "unbalanced YAML collection end".into()));
        };
        let mut span = frame.span;
        // A block collection's end event sits at the next token (often on
        // the next line); end the span at its last child instead.
        let last_child = match &frame.kind {
            FrameKind::Seq(items) => items.last().map(|n| n.span.end()),
            FrameKind::Map(entries, _) => entries.last().map(|e| e.value.span.end()),
        };
        let end = if frame.flow {
            end
        } else {
            last_child.unwrap_or(end)
        }
        .max(span.start());
        span.set_end(end);
        let value = match frame.kind {
            FrameKind::Seq(mut items) => {
                let value = Value::Seq(fitted(&mut items));
                self.spare_seqs.push(items);
                value
            }
            FrameKind::Map(mut entries, _) => {
                let value = Value::Map(fitted(&mut entries));
                self.spare_maps.push(entries);
                value
            }
        };
        self.push_value(Node::new(value, span), frame.anchor)
    }

    /// Counts `size` copied nodes against both limits.
    fn copy(&mut self, size: usize) -> Result<(), BuildError> {
        self.alias_nodes = self.alias_nodes.saturating_add(size);
        self.nodes = self.nodes.saturating_add(size);
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(limit(format!(
                "anchors and aliases copy more than {MAX_ALIAS_NODES} nodes in this document (alias expansion)"
            )));
        }
        if self.nodes > MAX_NODES {
            return Err(limit(format!("document has more than {MAX_NODES} nodes")));
        }
        Ok(())
    }

    fn alias(&mut self, id: usize) -> Result<Node, BuildError> {
        let Some((node, size)) = self.anchors.get(&id) else {
            return Err((
                Code::YamlSyntax,
                "alias refers to an unknown anchor (an alias may only refer to an anchor defined before it, in the same document)".into(),
            ));
        };
        let (node, size) = (node.clone(), *size);
        // The alias itself is counted again by push_value.
        self.copy(size.saturating_sub(1))?;
        Ok(node)
    }

    /// Whether the collection being built lies inside the value of a
    /// `data` or `stringData` field (possibly a Secret's).
    fn in_data(&self) -> bool {
        self.stack.iter().rev().skip(1).any(|f| {
            matches!(&f.kind, FrameKind::Map(_, Some((key, _))) if key == "data" || key == "stringData")
        })
    }

    fn push_value(&mut self, node: Node, anchor: usize) -> Result<(), BuildError> {
        self.nodes = self.nodes.saturating_add(1);
        if self.nodes > MAX_NODES {
            return Err(limit(format!("document has more than {MAX_NODES} nodes")));
        }
        if anchor != 0 {
            let size = count_nodes(&node);
            self.copy(size)?;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let in_data = self.in_data();
        let (text, base) = (self.text, self.base);
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame {
                kind: FrameKind::Seq(items),
                ..
            }) => items.push(node),
            Some(Frame {
                kind: FrameKind::Map(entries, pending),
                ..
            }) => match pending.take() {
                None => {
                    let key = scalar_key(&node).map_err(|m| (Code::YamlSyntax, m))?;
                    if let Some(prev) = entries.iter().find(|e| e.key == key) {
                        // Keys inside a data value may be part of a secret.
                        let shown = if in_data {
                            String::new()
                        } else {
                            format!(" \"{key}\"")
                        };
                        return Err((
                            Code::YamlSyntax,
                            format!(
                                "mapping key{shown} is repeated (first at line {})",
                                line_of(text, base, prev.key_span.start())
                            ),
                        ));
                    }
                    *pending = Some((key, node.span));
                }
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                }),
            },
        }
        Ok(())
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|e| 1 + count_nodes(&e.value))
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// Mapping keys become strings, as in the YAML-to-JSON step of kubectl.
fn scalar_key(node: &Node) -> Result<Text, String> {
    Ok(match &node.value {
        Value::Str(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string().into(),
        Value::Int(i) => i.to_string().into(),
        Value::Float(f) => f.to_string().into(),
        Value::Seq(_) | Value::Map(_) => return Err("mapping keys must be scalars".into()),
    })
}

/// The value of a scalar, and a problem when it is a number that JSON (and
/// so the API server) cannot keep exactly. The problem never quotes the
/// scalar: it may be a Secret's value.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> (Value, Option<String>) {
    let core = tag.and_then(|t| t.strip_prefix("tag:yaml.org,2002:"));
    if core == Some("str") || style != ScalarStyle::Plain {
        return (Value::Str(text.into()), None);
    }
    let value = match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        _ => match parse_int(text) {
            Int::Fits(i) => Value::Int(i),
            Int::Overflows => {
                let value = text.replace('_', "").parse::<f64>();
                return (
                    value.map_or_else(|_| Value::Str(text.into()), Value::Float),
                    Some("this integer is outside the int64 range that Kubernetes APIs keep (-9223372036854775808 to 9223372036854775807); quote it if it is a string".into()),
                );
            }
            Int::NotOne => match text.replace('_', "").parse::<f64>() {
                Ok(f) if is_float(text) => Value::Float(f),
                _ => Value::Str(text.into()),
            },
        },
    };
    let problem = matches!(value, Value::Float(f) if !f.is_finite()).then(|| {
        "this number is infinite or not a number, which JSON (and so the API server) cannot represent; quote it if it is a string".to_string()
    });
    (value, problem)
}

enum Int {
    Fits(i64),
    Overflows,
    NotOne,
}

fn parse_int(text: &str) -> Int {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => ("-", text.get(1..).unwrap_or("")),
        Some(b'+') => ("", text.get(1..).unwrap_or("")),
        _ => ("", text),
    };
    let (radix, body) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else if let Some(bin) = digits.strip_prefix("0b") {
        (2, bin)
    } else {
        (10, digits)
    };
    if body.is_empty()
        || !body.chars().all(|c| c.is_digit(radix) || c == '_')
        || body.starts_with('_')
    {
        return Int::NotOne;
    }
    // With the sign, so that i64::MIN fits.
    match i64::from_str_radix(&format!("{sign}{}", body.replace('_', "")), radix) {
        Ok(i) => Int::Fits(i),
        Err(_) => Int::Overflows,
    }
}

fn is_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (t.get(..i).unwrap_or(""), t.get(i + 1..)),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => (digits(a) && (b.is_empty() || digits(b))) || (a.is_empty() && digits(b)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let (docs, errors) = parse_documents(0, text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(docs.len(), 1, "{text}");
        docs.into_iter().next().unwrap()
    }

    #[test]
    fn scalars_resolve_like_kubectl() {
        let doc = one("a: yes\nb: '1'\nc: 12\nd: 1.5\ne: ~\nf: 0x1f\ng: v1\nh: 1e3\ni: !!str 5\n");
        let v = |k: &str| doc.get(k).map(|n| n.value.clone()).unwrap_or(Value::Null);
        assert_eq!(v("a"), Value::Bool(true));
        assert_eq!(v("b"), Value::Str("1".into()));
        assert_eq!(v("c"), Value::Int(12));
        assert_eq!(v("d"), Value::Float(1.5));
        assert_eq!(v("e"), Value::Null);
        assert_eq!(v("f"), Value::Int(31));
        assert_eq!(v("g"), Value::Str("v1".into()));
        assert_eq!(v("h"), Value::Float(1000.0));
        assert_eq!(v("i"), Value::Str("5".into()));
    }

    #[test]
    fn spans_point_at_values() {
        let text = "kind: X\nspec:\n  name: héllo\n  port: 8\n";
        let doc = one(text);
        let port = doc.get("spec").and_then(|s| s.get("port")).unwrap();
        assert_eq!(crate::source::position(text, port.span.start()), (4, 9));
        assert_eq!(&text[port.span.start()..port.span.end()], "8");
    }

    #[test]
    fn empty_and_comment_documents_are_skipped() {
        let (docs, _) = parse_documents(0, "---\n# only a comment\n---\na: 1\n---\n");
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn duplicate_keys_and_alias_bombs_are_errors() {
        assert_eq!(parse_documents(0, "a: 1\na: 2\n").1.len(), 1);
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert_eq!(parse_documents(0, &bomb).1.len(), 1);
        let deep = "[".repeat(10_000);
        assert_eq!(parse_documents(0, &deep).1.len(), 1);
    }

    #[test]
    fn integers_keep_the_int64_range_and_beyond_it_is_a_problem() {
        let doc = one("a: 9223372036854775807\nb: -9223372036854775808\n");
        assert_eq!(doc.get("a").map(|n| &n.value), Some(&Value::Int(i64::MAX)));
        assert_eq!(doc.get("b").map(|n| &n.value), Some(&Value::Int(i64::MIN)));
        for text in ["a: 9223372036854775808\n", "a: .nan\n", "a: 1e999\n"] {
            let (docs, errors) = parse_documents(0, text);
            assert_eq!(docs.len(), 1);
            assert_eq!(
                errors.iter().map(|e| e.code).collect::<Vec<_>>(),
                [Code::InputLimit],
                "{text}"
            );
        }
    }

    #[test]
    fn a_broken_document_is_reported_with_its_bytes() {
        let text = "a: 1\n---\nb: [x\n---\nc: 3\n";
        let parsed = parse(0, text, usize::MAX);
        assert_eq!(parsed.documents.len(), 2);
        let broken: Vec<&str> = parsed
            .broken
            .iter()
            .filter_map(|r| text.get(r.clone()))
            .collect();
        assert_eq!(broken, ["\nb: [x\n"]);
        let limited = parse(0, text, 1);
        assert_eq!(limited.documents.len(), 1);
        assert!(limited.truncated.is_some());
    }

    #[test]
    fn a_broken_document_does_not_hide_the_others() {
        let text = "a: 1\n---\nb: [unclosed\nc: 2\n---\nd: 4\n";
        let (docs, errors) = parse_documents(0, text);
        assert_eq!(errors.len(), 1);
        let at = errors[0].span.map_or(0, |s| s.start());
        assert_eq!(crate::source::position(text, at).0, 4);
        assert_eq!(docs.len(), 2);
        let d = docs[1].get("d").unwrap();
        assert_eq!(crate::source::position(text, d.span.start()), (6, 4));
        assert_eq!(&text[d.span.start()..d.span.end()], "4");
    }
}
