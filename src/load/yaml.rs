//! YAML (and JSON, a subset of it) to [`Node`] trees, one per document.
//!
//! Plain scalars resolve the way kubectl's YAML decoder (go-yaml v2, YAML
//! 1.1) resolves them, so that `yes` is a boolean here exactly when it is a
//! boolean to the API server.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::node::{Entry, Node, Value};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Upper bound on nodes built from one file, counting alias expansions,
/// so that an alias bomb fails fast instead of exhausting memory.
const MAX_NODES: usize = 1_000_000;
/// Upper bound on nesting, so that hostile input cannot overflow the stack
/// of the recursive stages that follow.
const MAX_DEPTH: usize = 256;

/// Parses every document of `text`; empty and comment-only documents are
/// dropped. A syntax error ends only its own document: parsing resumes at
/// the next `---` line, so one broken document does not hide the others.
pub fn parse_documents(file: FileId, text: &str) -> (Vec<Node>, Vec<Diagnostic>) {
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    let mut base = Base::default();
    loop {
        let rest = text.get(base.byte..).unwrap_or("");
        match parse_chunk(file, rest, base, &mut documents) {
            Ok(()) => break,
            Err((diagnostic, at)) => {
                errors.push(*diagnostic);
                match next_document_start(text, base.byte + at, base.byte) {
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
    (documents, errors)
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

type ChunkError = (Box<Diagnostic>, usize);

fn parse_chunk(
    file: FileId,
    text: &str,
    base: Base,
    documents: &mut Vec<Node>,
) -> Result<(), ChunkError> {
    let positions = Positions::new(file, text, base);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::default();

    while let Some(next) = parser.next_event() {
        let (event, yspan) = next.map_err(|err| {
            let m = err.marker();
            let span = positions.point(m.index(), m.line(), m.col());
            let diagnostic =
                Diagnostic::new(Code::YamlSyntax, format!("invalid YAML: {}", err.info())).at(span);
            (Box::new(diagnostic), span.start.saturating_sub(base.byte))
        })?;
        let span = positions.span(&yspan);
        let flow = text
            .as_bytes()
            .get(span.start.saturating_sub(base.byte))
            .is_some_and(|b| *b == b'[' || *b == b'{');
        let fail = |message: String| {
            (
                Box::new(Diagnostic::new(Code::YamlSyntax, message).at(span)),
                span.start.saturating_sub(base.byte),
            )
        };
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let value = resolve_scalar(&text, style, tag.as_deref());
                builder
                    .push_value(Node::new(value, span), anchor)
                    .map_err(fail)?;
            }
            Event::SequenceStart(anchor, _) => {
                builder.open(Frame::seq(span, anchor, flow)).map_err(fail)?
            }
            Event::MappingStart(anchor, _) => {
                builder.open(Frame::map(span, anchor, flow)).map_err(fail)?
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(span.end).map_err(fail)?,
            Event::Alias(id) => {
                let node = builder.alias(id).map_err(fail)?;
                builder.push_value(node, 0).map_err(fail)?;
            }
            Event::DocumentEnd => {
                if let Some(root) = builder.root.take() {
                    if root.value != Value::Null {
                        documents.push(root);
                    }
                }
                builder.anchors.clear();
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {}
        }
    }
    Ok(())
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

    fn point(&self, index: usize, line: usize, col: usize) -> Span {
        let start = self.byte(index);
        Span {
            file: self.file,
            start,
            end: start,
            line: line + self.base.line,
            col: col + 1,
        }
    }

    fn span(&self, s: &YSpan) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span {
            file: self.file,
            start,
            end,
            line: s.start.line() + self.base.line,
            col: s.start.col() + 1,
        }
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
    Map(Vec<Entry>, Option<(String, Span)>),
}

impl Frame {
    fn seq(span: Span, anchor: usize, flow: bool) -> Self {
        Frame {
            span,
            anchor,
            flow,
            kind: FrameKind::Seq(Vec::new()),
        }
    }
    fn map(span: Span, anchor: usize, flow: bool) -> Self {
        Frame {
            span,
            anchor,
            flow,
            kind: FrameKind::Map(Vec::new(), None),
        }
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
}

impl Builder {
    fn open(&mut self, frame: Frame) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: usize) -> Result<(), String> {
        let Some(frame) = self.stack.pop() else {
            return Err("unbalanced YAML collection end".into());
        };
        let mut span = frame.span;
        // A block collection's end event sits at the next token (often on
        // the next line); end the span at its last child instead.
        let last_child = match &frame.kind {
            FrameKind::Seq(items) => items.last().map(|n| n.span.end),
            FrameKind::Map(entries, _) => entries.last().map(|e| e.value.span.end),
        };
        span.end = if frame.flow {
            end
        } else {
            last_child.unwrap_or(end)
        }
        .max(span.start);
        let value = match frame.kind {
            FrameKind::Seq(items) => Value::Seq(items),
            FrameKind::Map(entries, _) => Value::Map(entries),
        };
        self.push_value(Node::new(value, span), frame.anchor)
    }

    fn alias(&mut self, id: usize) -> Result<Node, String> {
        let (node, size) = self
            .anchors
            .get(&id)
            .ok_or_else(|| "alias refers to an unknown anchor".to_string())?;
        self.nodes = self.nodes.saturating_add(*size);
        if self.nodes > MAX_NODES {
            return Err(format!(
                "document expands to more than {MAX_NODES} nodes (alias expansion)"
            ));
        }
        Ok(node.clone())
    }

    fn push_value(&mut self, node: Node, anchor: usize) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(1);
        if self.nodes > MAX_NODES {
            return Err(format!("document has more than {MAX_NODES} nodes"));
        }
        if anchor != 0 {
            self.anchors
                .insert(anchor, (node.clone(), count_nodes(&node)));
        }
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
                    let key = scalar_key(&node)?;
                    if let Some(prev) = entries.iter().find(|e| e.key == key) {
                        return Err(format!(
                            "mapping key \"{key}\" is repeated (first at line {})",
                            prev.key_span.line
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
fn scalar_key(node: &Node) -> Result<String, String> {
    Ok(match &node.value {
        Value::Str(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) | Value::Map(_) => return Err("mapping keys must be scalars".into()),
    })
}

fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    let core = tag.and_then(|t| t.strip_prefix("tag:yaml.org,2002:"));
    if core == Some("str") || style != ScalarStyle::Plain {
        return Value::Str(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    if is_float(text) {
        if let Ok(f) = text.replace('_', "").parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
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
        return None;
    }
    let value = i64::from_str_radix(&body.replace('_', ""), radix).ok()?;
    Some(if negative { -value } else { value })
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
        assert_eq!((port.span.line, port.span.col), (4, 9));
        assert_eq!(&text[port.span.start..port.span.end], "8");
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
    fn a_broken_document_does_not_hide_the_others() {
        let text = "a: 1\n---\nb: [unclosed\nc: 2\n---\nd: 4\n";
        let (docs, errors) = parse_documents(0, text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].span.map(|s| s.line), Some(4));
        assert_eq!(docs.len(), 2);
        let d = docs[1].get("d").unwrap();
        assert_eq!((d.span.line, d.span.col), (6, 4));
        assert_eq!(&text[d.span.start..d.span.end], "4");
    }
}
