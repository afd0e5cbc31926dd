//! Stage 4: validation. Builds the [`Catalog`] of typed inputs and collects
//! every diagnostic: schema rules per object, then references and semantic
//! checks across objects, then limits of the objects that would be generated.

pub mod cel_cost;
pub mod clashes;
pub mod flags;
pub mod metadata;
pub mod output;
pub mod references;
pub mod release;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod semantic;

use serde::de::DeserializeOwned;

use crate::defaults;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::Path;
use crate::load::{Object, AI_GATEWAY_API_VERSION, AI_GATEWAY_GROUP};
use crate::model::catalog::{Catalog, Item, Key, Tree};
use crate::model::{AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, Kind};
use crate::schema::Schema;
use crate::source::Sources;

/// What the typed objects of a catalog keep of their source trees.
#[derive(Clone, Copy)]
pub enum Trees<'a> {
    /// The whole tree ([`Tree::Kept`]): `migrate` and `diff` read them.
    Keep,
    /// Nothing: a diagnostic reads the object again from its file among
    /// these sources ([`Tree::Dropped`]).
    Drop(&'a Sources),
}

/// Types, defaults and schema-checks every object; returns the catalog of
/// the valid ones. Cross-object checks are in [`check_catalog`].
pub fn build_catalog(
    objects: Vec<Object>,
    namespace: &str,
    trees: Trees<'_>,
    out: &mut Vec<Diagnostic>,
) -> Catalog {
    let mut catalog = Catalog {
        default_namespace: namespace.to_string(),
        ..Catalog::default()
    };
    // Each object is checked on its own (on several threads); the catalog
    // is then filled in input order, so duplicates and diagnostics come out
    // as they would from one thread.
    let checked = crate::parallel::map_owned(objects, 16, |object| check(object, namespace, trees));
    for checked in checked {
        match checked {
            Checked::Passthrough(node) => catalog.passthrough_nodes.push(node),
            Checked::Rejected(rejected) => {
                let (diagnostic, rejected) = *rejected;
                out.push(diagnostic);
                catalog.rejected.extend(rejected);
            }
            Checked::Kind(object) => {
                let Typed { kind, model, found } = *object;
                out.extend(found);
                let rejected = match model {
                    Err(key) => Some(key),
                    Ok(Model::Route(item)) => insert(&mut catalog.routes, item, out),
                    Ok(Model::Backend(item)) => insert(&mut catalog.backends, item, out),
                    Ok(Model::Policy(item)) => insert(&mut catalog.policies, item, out),
                };
                catalog.rejected.extend(rejected.map(|key| (kind, key)));
            }
        }
    }
    catalog
}

/// One input object after the checks that need only the object itself.
enum Checked {
    /// Not an AI Gateway object: passes through unchanged.
    Passthrough(crate::load::node::Node),
    /// An AI Gateway object (or a misspelt one) that cannot be read, and
    /// the kind and key under which references to it are not reported
    /// again as unresolved.
    /// Boxed, as is `Kind`: one result per input object is alive until
    /// the catalog is filled, and a diagnostic is 200 bytes.
    Rejected(Box<(Diagnostic, Option<(Kind, Key)>)>),
    Kind(Box<Typed>),
}

/// An object of one of the three kinds: its diagnostics, and the typed
/// item, or its key when it is invalid.
struct Typed {
    kind: Kind,
    found: Vec<Diagnostic>,
    model: Result<Model, Key>,
}

enum Model {
    Route(Box<Item<AIGatewayRoute>>),
    Backend(Box<Item<AIServiceBackend>>),
    Policy(Box<Item<BackendSecurityPolicy>>),
}

fn check(object: Object, namespace: &str, trees: Trees<'_>) -> Checked {
    let group = object.api_version.split_once('/').map_or("", |(g, _)| g);
    if group != AI_GATEWAY_GROUP {
        return match misplaced_kind(&object, group) {
            Some((d, kind)) => Checked::Rejected(Box::new((
                d,
                kind.map(|kind| (kind, key_of(&object, namespace))),
            ))),
            None => Checked::Passthrough(object.node),
        };
    }
    let kind = match Kind::from_name(&object.kind) {
        Some(kind) if object.api_version == AI_GATEWAY_API_VERSION => kind,
        _ => {
            let rejected = likely_kind(&object.kind).map(|kind| (kind, key_of(&object, namespace)));
            return Checked::Rejected(Box::new((unknown_kind(&object), rejected)));
        }
    };
    let mut found = Vec::new();
    let model =
        match kind {
            Kind::Route => {
                typed(kind, object, namespace, trees, &mut found).map(|i| Model::Route(Box::new(i)))
            }
            Kind::Backend => typed(kind, object, namespace, trees, &mut found)
                .map(|i| Model::Backend(Box::new(i))),
            Kind::Policy => typed(kind, object, namespace, trees, &mut found)
                .map(|i| Model::Policy(Box::new(i))),
        };
    Checked::Kind(Box::new(Typed { kind, found, model }))
}

/// Defaults, checks and reads one object of `kind`; its key when invalid.
fn typed<T: DeserializeOwned>(
    kind: Kind,
    object: Object,
    namespace: &str,
    trees: Trees<'_>,
    out: &mut Vec<Diagnostic>,
) -> Result<Item<T>, Key> {
    let mut node = object.node;
    let found = check_object(kind, &mut node, namespace);
    let namespace = node
        .get("metadata")
        .and_then(|m| m.get_str("namespace"))
        .unwrap_or(namespace)
        .to_string();
    let display = format!("{} {}/{}", kind.name(), namespace, object.name);
    let valid = !found.iter().any(Diagnostic::is_error);
    out.extend(found.into_iter().map(|d| d.object(display.clone())));
    let key = (namespace.clone(), object.name.clone());
    if !valid {
        return Err(key);
    }
    match crate::model::de::from_node::<T>(&node) {
        Ok(value) => Ok(Item {
            value,
            tree: match trees {
                Trees::Keep => Tree::Kept(node),
                Trees::Drop(sources) => Tree::Dropped {
                    kind,
                    span: node.span,
                    text: sources
                        .get(node.span.file)
                        .map(|f| f.text.clone())
                        .unwrap_or_default(),
                },
            },
            namespace,
            name: object.name,
            display,
        }),
        Err(err) => {
            // The schema accepted what serde rejects: report, do not guess.
            out.push(
                Diagnostic::new(Code::TypeMismatch, format!("cannot read {display}: {err}"))
                    .at(node.span)
                    .object(display),
            );
            Err(key)
        }
    }
}

/// The help for a duplicate across files: often a folder of old copies.
pub(crate) const COPIES_HELP: &str = "if one of the folders holds copies (an archive or backup), leave it out of the walk with `--exclude 'archive/'` or a `.ignore` file listing it";

/// Adds a valid object to the catalog, unless one with its key is there.
fn insert<T>(
    map: &mut std::collections::BTreeMap<Key, Box<Item<T>>>,
    item: Box<Item<T>>,
    out: &mut Vec<Diagnostic>,
) -> Option<Key> {
    let key = (item.namespace.clone(), item.name.clone());
    let name_path = Path::parse("metadata.name");
    if let Some(first) = map.get(&key) {
        out.push(
            Diagnostic::new(Code::DuplicateObject, format!("{} is defined more than once", item.display))
                .at(item.locate(&name_path))
                .path(&name_path)
                .object(item.display.clone())
                .related("first defined here", first.locate(&name_path))
                .help(if first.locate(&name_path).file == item.locate(&name_path).file {
                    "remove one of the two definitions (in a cluster, the second apply would overwrite the first)".to_string()
                } else {
                    format!("remove one of the two definitions (in a cluster, the second apply would overwrite the first); {COPIES_HELP}")
                }),
        );
        return None;
    }
    map.insert(key, item);
    None
}

/// The cross-object checks, in the order their diagnostics are reported.
const CATALOG_CHECKS: [fn(&Catalog, &mut Vec<Diagnostic>); 5] = [
    semantic::check,
    clashes::check,
    references::check,
    secrets::check,
    output::check,
];

/// A catalog with this many routes has its checks run side by side; below
/// it they take less time than starting a thread.
const SIDE_BY_SIDE: usize = 50;

/// Reference, semantic and output checks over the whole catalog.
///
/// They read the catalog and nothing of each other's, so a large catalog
/// has them run side by side (in turn they were a tenth of a 10,000-route
/// run); their diagnostics come out in [`CATALOG_CHECKS`] order either way.
pub fn check_catalog(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let grain = if catalog.routes.len() >= SIDE_BY_SIDE {
        1
    } else {
        CATALOG_CHECKS.len()
    };
    let found = crate::parallel::map(CATALOG_CHECKS.len(), crate::parallel::threads, grain, |i| {
        let mut found = Vec::new();
        if let Some(check) = CATALOG_CHECKS.get(i) {
            check(catalog, &mut found);
        }
        found
    });
    out.extend(found.into_iter().flatten());
}

/// Defaults one object in place (namespace included) and checks it against
/// its kind's schema and the metadata rules: everything an API server does
/// on create, before any cross-object check.
pub fn check_object(
    kind: Kind,
    node: &mut crate::load::node::Node,
    namespace: &str,
) -> Vec<Diagnostic> {
    defaults::complete(node, kind, namespace);
    let mut found = Vec::new();
    metadata::check(node, &mut found);
    schema::validate(node, Schema::of(kind), &mut found);
    found
}

fn unknown_kind(object: &Object) -> Diagnostic {
    let kinds = Kind::ALL.map(Kind::name);
    let mut d = Diagnostic::new(
        Code::UnknownKind,
        format!(
            "no kind \"{}\" in version \"{}\"",
            object.kind, object.api_version
        ),
    )
    .object(format!("{} {}", object.kind, object.name));
    let (path, span) = if Kind::from_name(&object.kind).is_some() {
        d = d.help(format!("the v0.1 CRDs serve only {AI_GATEWAY_API_VERSION}"));
        let p = Path::parse("apiVersion");
        (p.clone(), object.node.locate(&p))
    } else {
        let help = match schema::suggest(&object.kind, kinds.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("the {AI_GATEWAY_GROUP} kinds are {}", kinds.join(", ")),
        };
        d = d.help(help);
        let p = Path::parse("kind");
        (p.clone(), object.node.locate(&p))
    };
    d.at(span).path(path)
}

/// The AI Gateway kind `kind` is, or is a typo of.
fn likely_kind(kind: &str) -> Option<Kind> {
    let kinds = Kind::ALL.map(Kind::name);
    Kind::from_name(kind)
        .or_else(|| schema::suggest(kind, kinds.iter().copied()).and_then(Kind::from_name))
}

/// (namespace, name) of an object that is not in the catalog.
fn key_of(object: &Object, namespace: &str) -> Key {
    let ns = object
        .node
        .get("metadata")
        .and_then(|m| m.get_str("namespace"))
        .unwrap_or(namespace);
    (ns.to_string(), object.name.clone())
}

/// Whether `group` looks like a misspelling of the AI Gateway group: its
/// first DNS label, ignoring case, '-' and '_', is close to `aigateway`
/// (`aigateway.envoy.io`, `ai-gateway.envoyproxy.io`,
/// `aigateway.envoyproxy.com`, `aigatway.envoyproxy.io`), while Envoy
/// Gateway's own `gateway.envoyproxy.io` is two edits away.
fn is_close_group(group: &str) -> bool {
    let first = group.split('.').next().unwrap_or("");
    let first: String = first
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let ai_first = AI_GATEWAY_GROUP.split('.').next().unwrap_or("");
    schema::suggest(&first, std::iter::once(ai_first)).is_some()
}

/// An object that looks like an AI Gateway object under another group: a
/// group close to the AI Gateway group, or one of the AI Gateway kinds (or
/// a kind close to one). It would pass through unchanged and derive
/// nothing, taking its backends and policies with it. Returns the
/// diagnostic and the kind it most likely is.
fn misplaced_kind(object: &Object, group: &str) -> Option<(Diagnostic, Option<Kind>)> {
    let kinds = Kind::ALL.map(Kind::name);
    let kind = likely_kind(&object.kind);
    let close_group = is_close_group(group);
    if kind.is_none() && !close_group {
        return None;
    }
    let shown_group = if group.is_empty() { "(none)" } else { group };
    let what = match kind {
        Some(k) => format!(
            "{} (an AI Gateway kind) is served by group {AI_GATEWAY_GROUP}, not \"{shown_group}\"",
            k.name()
        ),
        None => format!("group \"{shown_group}\" looks like a misspelling of {AI_GATEWAY_GROUP}"),
    };
    let message = format!(
        "apiVersion \"{}\": {what}; this object would pass through unchanged and nothing would be derived from it",
        object.api_version,
    );
    let help = match kind {
        Some(k) if k.name() == object.kind => {
            format!("did you mean `apiVersion: {AI_GATEWAY_API_VERSION}`?")
        }
        Some(k) => format!(
            "did you mean `apiVersion: {AI_GATEWAY_API_VERSION}` and `kind: {}`?",
            k.name()
        ),
        None => format!(
            "the {AI_GATEWAY_GROUP} kinds are {}; if this is another project's kind, check its group",
            kinds.join(", ")
        ),
    };
    let path = Path::parse("apiVersion");
    let d = Diagnostic::new(Code::ApiGroup, message)
        .at(object.node.locate(&path))
        .path(&path)
        .object(format!("{} {}", object.kind, object.name))
        .help(help);
    Some((d, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_groups() {
        for close in [
            "aigateway.envoy.io",
            "ai-gateway.envoyproxy.io",
            "aigateway.envoyproxy.com",
            "AIGateway.envoyproxy.io",
            "aigatway.envoyproxy.io",
            "ai_gateway.envoyproxy.io",
        ] {
            assert!(is_close_group(close), "{close}");
        }
        for other in [
            "gateway.envoyproxy.io",
            "gateway.networking.k8s.io",
            "",
            "apps",
            "ai.example.com",
            "inference.networking.x-k8s.io",
        ] {
            assert!(!is_close_group(other), "{other}");
        }
    }

    /// Every path of a tree (each key and index), with a missing field
    /// below each map (where a defaulted or absent field is located).
    fn paths(node: &crate::load::node::Node, at: Path, out: &mut Vec<Path>) {
        use crate::load::node::Value;
        match &node.value {
            Value::Map(entries) => {
                out.push(at.key("notAField"));
                for e in entries {
                    paths(&e.value, at.key(&e.key), out);
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    paths(item, at.index(i), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    /// Side by side, the catalog checks report what they report in turn,
    /// in the same order: a catalog of 60 routes (over [`SIDE_BY_SIDE`]),
    /// with warnings from two of the checks in alternate namespaces.
    #[test]
    fn catalog_checks_side_by_side_report_as_in_turn() {
        let mut text = String::new();
        for n in 0..SIDE_BY_SIDE + 10 {
            let weight = if n % 3 == 0 { 0 } else { 1 };
            text.push_str(&format!(
                "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata: {{name: chat, namespace: ns-{n}}}\nspec:\n  schema: {{name: OpenAI}}\n  targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: gw}}]\n  rules:\n    - matches: [{{headers: [{{name: x-ai-eg-model, value: m}}]}}]\n      backendRefs: [{{name: a, weight: {weight}}}, {{name: b, weight: {weight}}}]\n"
            ));
            for backend in ["a", "b", "spare"]
                .iter()
                .take(if n % 2 == 0 { 3 } else { 2 })
            {
                text.push_str(&format!(
                    "---\napiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {{name: {backend}, namespace: ns-{n}}}\nspec:\n  schema: {{name: OpenAI}}\n  backendRef: {{name: api, kind: Backend, group: gateway.envoyproxy.io}}\n"
                ));
            }
            text.push_str("---\n");
        }
        let files = vec![("input.yaml".to_string(), text.into_bytes())];
        let Ok(loaded) = crate::load::load_files(files) else {
            panic!("the input did not load");
        };
        let catalog = build_catalog(loaded.objects, "default", Trees::Keep, &mut Vec::new());
        assert!(catalog.routes.len() >= SIDE_BY_SIDE);
        let mut in_turn = Vec::new();
        for check in CATALOG_CHECKS {
            check(&catalog, &mut in_turn);
        }
        let codes: std::collections::BTreeSet<Code> = in_turn.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::ZeroWeights), "{codes:?}");
        assert!(codes.contains(&Code::UnusedObject), "{codes:?}");
        let mut side_by_side = Vec::new();
        check_catalog(&catalog, &mut side_by_side);
        assert_eq!(side_by_side, in_turn);
    }

    /// A typed object that let go of its tree locates every path as one
    /// that kept it: the object is read again and defaulted the same way.
    #[test]
    fn dropped_trees_locate_every_path_as_kept_ones() {
        let mut located = 0;
        for dir in crate::testdata_cases() {
            let load = || crate::load::load(std::slice::from_ref(&dir), &mut std::io::empty(), &[]);
            let (Ok(kept), Ok(dropped)) = (load(), load()) else {
                continue;
            };
            let kept_catalog = build_catalog(kept.objects, "default", Trees::Keep, &mut Vec::new());
            let dropped_catalog = build_catalog(
                dropped.objects,
                "default",
                Trees::Drop(&dropped.sources),
                &mut Vec::new(),
            );
            fn compare<T>(
                kept: &std::collections::BTreeMap<Key, Box<Item<T>>>,
                dropped: &std::collections::BTreeMap<Key, Box<Item<T>>>,
                located: &mut usize,
            ) {
                assert_eq!(kept.len(), dropped.len());
                for (key, item) in kept {
                    let Some(other) = dropped.get(key) else {
                        panic!("{key:?} missing");
                    };
                    assert!(matches!(other.tree, Tree::Dropped { .. }));
                    let mut all = Vec::new();
                    paths(&item.node(), Path::root(), &mut all);
                    for path in all {
                        assert_eq!(item.locate(&path), other.locate(&path), "{key:?} {path}");
                        *located += 1;
                    }
                }
            }
            compare(&kept_catalog.routes, &dropped_catalog.routes, &mut located);
            compare(
                &kept_catalog.backends,
                &dropped_catalog.backends,
                &mut located,
            );
            compare(
                &kept_catalog.policies,
                &dropped_catalog.policies,
                &mut located,
            );
        }
        assert!(located > 10_000, "only {located} paths located");
    }
}
