//! An input object that is written out unchanged (the pass-through, and on
//! releases after v0.1 the admitted AI Gateway objects too): its tree, or,
//! once let go of, the text to read it from again when it is written.

use std::borrow::Cow;
use std::sync::Arc;

use super::node::{Node, Value};
use crate::source::{Sources, Span};

#[derive(Debug, Clone)]
pub enum Original {
    Tree(Node),
    /// Read again from its text when written: between admission and
    /// output nothing needs the tree but a diagnostic, and a second copy
    /// of every object (beside the defaulted one) was the peak.
    Text {
        kind: String,
        span: Span,
        text: Arc<String>,
    },
}

impl Original {
    /// `node` as text, when its bytes read back as exactly this tree (see
    /// [`crate::source::SourceFile::rereads`]: nothing masked, no alias).
    pub fn text_of(node: &Node, kind: &str, sources: &Sources) -> Option<Original> {
        let file = sources.get(node.span.file)?;
        file.rereads(node.span).then(|| Original::Text {
            kind: kind.to_string(),
            span: node.span,
            text: file.text.clone(),
        })
    }

    pub fn span(&self) -> Span {
        match self {
            Original::Tree(node) => node.span,
            Original::Text { span, .. } => *span,
        }
    }

    pub fn kind(&self) -> &str {
        match self {
            Original::Tree(node) => node.get_str("kind").unwrap_or(""),
            Original::Text { kind, .. } => kind,
        }
    }

    /// The tree when it is kept (`migrate` keeps every tree).
    pub fn tree(&self) -> Option<&Node> {
        match self {
            Original::Tree(node) => Some(node),
            Original::Text { .. } => None,
        }
    }

    /// The tree, kept or read again.
    pub fn node(&self) -> Cow<'_, Node> {
        match self {
            Original::Tree(node) => Cow::Borrowed(node),
            Original::Text { span, text, .. } => Cow::Owned(
                // `text_of` takes only text that reads again; a null in the
                // object's place is the shape of a failure no input gives.
                super::reread::exact(text, *span).unwrap_or_else(|| Node::new(Value::Null, *span)),
            ),
        }
    }

    /// Takes the object for the output, leaving its span behind (a kept
    /// tree moves; a text is shared).
    pub fn take(&mut self) -> Original {
        match self {
            Original::Tree(node) => {
                let span = node.span;
                Original::Tree(std::mem::replace(node, Node::new(Value::Null, span)))
            }
            Original::Text { .. } => self.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object of `testdata` that may be let go of reads again as
    /// exactly the tree it was (values too: it is written from it).
    #[test]
    fn objects_let_go_of_are_written_as_they_were_read() {
        let (mut text, mut tree) = (0, 0);
        for (path, loaded) in crate::testdata_loaded() {
            for object in loaded.objects {
                let kind = object.kind.clone();
                let node = object.node;
                match Original::text_of(&node, &kind, &loaded.sources) {
                    Some(original) => {
                        assert_eq!(original.kind(), kind);
                        assert_eq!(original.span(), node.span);
                        assert!(
                            *original.node() == node,
                            "{}: {kind} {} reads again differently",
                            path.display(),
                            object.name
                        );
                        text += 1;
                    }
                    None => tree += 1,
                }
            }
        }
        assert!(text > 300 && tree > 10, "{text} let go of, {tree} kept");
    }

    #[test]
    fn an_alias_or_a_masked_value_keeps_the_tree() {
        let stream = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n---\n\
            apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: &y v, l: *y}\n---\n\
            apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: hunter2}\n---\n\
            apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {cel: \"a * 2\"}\n";
        let files = vec![("in.yaml".to_string(), stream.as_bytes().to_vec())];
        let loaded = crate::load::load_files(files).unwrap_or_default();
        let kept: Vec<bool> = loaded
            .objects
            .into_iter()
            .map(|o| Original::text_of(&o.node, "", &loaded.sources).is_none())
            .collect();
        assert_eq!(kept, [false, true, true, false]);
        // A `%TAG` directive gives tags a meaning outside the object.
        let tagged = format!("%TAG !e! tag:example.com,2000:\n---\n{stream}");
        let files = vec![("in.yaml".to_string(), tagged.into_bytes())];
        let loaded = crate::load::load_files(files).unwrap_or_default();
        assert!(loaded
            .objects
            .iter()
            .all(|o| Original::text_of(&o.node, "", &loaded.sources).is_none()));
    }
}
