//! The validated input set: every AI Gateway object, typed, keyed by
//! namespace and name, plus the pass-through objects in input order.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::{AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, Kind};
use crate::load::node::{Node, Path, Value};
use crate::source::Span;

/// A typed object with the source tree it came from, for diagnostics.
#[derive(Debug, Clone)]
pub struct Item<T> {
    pub value: T,
    pub tree: Tree,
    pub namespace: String,
    pub name: String,
    /// `AIGatewayRoute default/chat`, as shown in diagnostics.
    pub display: String,
}

/// The source tree of a typed object, checked and defaulted.
#[derive(Debug, Clone)]
pub enum Tree {
    /// Kept whole (`migrate` and `diff` read it).
    Kept(Node),
    /// Let go of once typed, and read again from the file's text when a
    /// diagnostic points into it: most runs report nothing, and the trees
    /// were the largest part of the peak heap.
    Dropped {
        kind: Kind,
        span: Span,
        text: Arc<String>,
    },
}

impl<T> Item<T> {
    /// The source span of a field, e.g. `spec.rules[0].matches`.
    pub fn locate(&self, path: &Path) -> Span {
        self.node().locate(path)
    }

    /// The checked and defaulted tree: the one kept, or read again.
    pub fn node(&self) -> Cow<'_, Node> {
        match &self.tree {
            Tree::Kept(node) => Cow::Borrowed(node),
            Tree::Dropped { kind, span, text } => {
                Cow::Owned(match crate::load::reread(text, *span) {
                    Some(mut node) => {
                        crate::defaults::complete(&mut node, *kind, &self.namespace);
                        node
                    }
                    // Not expected (the text is the one the tree was read
                    // from); the object itself is still the right place.
                    None => Node::new(Value::Null, *span),
                })
            }
        }
    }
}

/// (namespace, name)
pub type Key = (String, String);

#[derive(Debug, Default)]
pub struct Catalog {
    /// Sorted by (namespace, name): the output order of derived objects.
    /// Boxed: a B-tree filled in key order keeps its nodes about half
    /// full, and items are hundreds of bytes (10 MiB of slack at 1,000
    /// routes when they sat in the nodes).
    pub routes: BTreeMap<Key, Box<Item<AIGatewayRoute>>>,
    pub backends: BTreeMap<Key, Box<Item<AIServiceBackend>>>,
    pub policies: BTreeMap<Key, Box<Item<BackendSecurityPolicy>>>,
    /// Every other object, unchanged, in input order, as source trees
    /// (checks such as output clashes and Secrets point into them).
    pub passthrough_nodes: Vec<Node>,
    /// The `-n` namespace: where objects without a namespace are applied.
    pub default_namespace: String,
    /// Objects present in the input but rejected by schema validation:
    /// references to them are not reported again as unresolved.
    pub rejected: BTreeSet<(Kind, Key)>,
}

fn key(namespace: &str, name: &str) -> Key {
    (namespace.to_string(), name.to_string())
}

impl Catalog {
    pub fn backend(&self, namespace: &str, name: &str) -> Option<&Item<AIServiceBackend>> {
        self.backends.get(&key(namespace, name)).map(|b| &**b)
    }

    pub fn policy(&self, namespace: &str, name: &str) -> Option<&Item<BackendSecurityPolicy>> {
        self.policies.get(&key(namespace, name)).map(|p| &**p)
    }

    /// Whether a reference to `name` should be reported as unresolved.
    pub fn is_missing(&self, kind: Kind, namespace: &str, name: &str) -> bool {
        let key = key(namespace, name);
        let present = match kind {
            Kind::Route => self.routes.contains_key(&key),
            Kind::Backend => self.backends.contains_key(&key),
            Kind::Policy => self.policies.contains_key(&key),
        };
        !present && !self.rejected.contains(&(kind, key))
    }

    /// The policy attached to a backend, if any.
    pub fn policy_of(
        &self,
        backend: &Item<AIServiceBackend>,
    ) -> Option<&Item<BackendSecurityPolicy>> {
        let reference = backend.value.spec.backend_security_policy_ref.as_ref()?;
        self.policy(&backend.namespace, &reference.name)
    }
}
