//! An input object that is written out unchanged (the pass-through, and on
//! releases after v0.1 the admitted AI Gateway objects too): its tree as
//! read, or the tree admission defaulted in place, which still writes as
//! it was written.

use std::sync::Arc;

use super::node::Node;

#[derive(Debug, Clone)]
pub enum Original {
    Tree(Node),
    /// Defaulted in place (`admit::check::apply_defaults` marks what it
    /// added): a second, as-read copy of every admitted object was the
    /// peak of a run. Shared with the admitted object, whose checks,
    /// `routes` and `diff` read the defaults.
    Defaulted(Arc<Node>),
}

impl Original {
    pub fn kind(&self) -> &str {
        self.written().get_str("kind").unwrap_or("")
    }

    /// The tree when it is kept as read (`migrate` keeps every tree).
    pub fn tree(&self) -> Option<&Node> {
        match self {
            Original::Tree(node) => Some(node),
            Original::Defaulted(_) => None,
        }
    }

    /// The tree that is written: as read, or defaulted with its marks.
    fn written(&self) -> &Node {
        match self {
            Original::Tree(node) => node,
            Original::Defaulted(node) => node,
        }
    }

    /// The object as written, as JSON (a defaulted tree's marks read
    /// without copying it).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Original::Tree(node) => node.to_json(),
            Original::Defaulted(node) => node.written_json(),
        }
    }

    /// Writes the object as one YAML document, as it was written.
    pub fn write_yaml(&self, out: &mut String) {
        crate::emit::yaml::write_document(out, self.written());
    }
}
