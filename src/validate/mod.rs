//! Stage 4: validation. Builds the [`Catalog`] of typed inputs and collects
//! every diagnostic: schema rules per object, then references and semantic
//! checks across objects, then limits of the objects that would be generated.

pub mod cel_cost;
pub mod metadata;
pub mod output;
pub mod rules;
pub mod schema;
pub mod semantic;

use serde::de::DeserializeOwned;

use crate::defaults;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::Path;
use crate::load::{Object, AI_GATEWAY_API_VERSION, AI_GATEWAY_GROUP};
use crate::model::catalog::{Catalog, Item, Key};
use crate::model::Kind;
use crate::schema::Schema;

/// Types, defaults and schema-checks every object; returns the catalog of
/// the valid ones. Cross-object checks are in [`check_catalog`].
pub fn build_catalog(objects: Vec<Object>, namespace: &str, out: &mut Vec<Diagnostic>) -> Catalog {
    let mut catalog = Catalog::default();
    for object in objects {
        let group = object.api_version.split_once('/').map_or("", |(g, _)| g);
        if group != AI_GATEWAY_GROUP {
            catalog.passthrough.push(object.node.into_json());
            continue;
        }
        let kind = match Kind::from_name(&object.kind) {
            Some(kind) if object.api_version == AI_GATEWAY_API_VERSION => kind,
            _ => {
                out.push(unknown_kind(&object));
                continue;
            }
        };
        let rejected = match kind {
            Kind::Route => add(&mut catalog.routes, kind, object, namespace, out),
            Kind::Backend => add(&mut catalog.backends, kind, object, namespace, out),
            Kind::Policy => add(&mut catalog.policies, kind, object, namespace, out),
        };
        catalog.rejected.extend(rejected.map(|key| (kind, key)));
    }
    catalog
}

/// Reference, semantic and output checks over the whole catalog.
pub fn check_catalog(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    semantic::check(catalog, out);
    output::check(catalog, out);
}

fn add<T: DeserializeOwned>(
    map: &mut std::collections::BTreeMap<Key, Item<T>>,
    kind: Kind,
    object: Object,
    namespace: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Key> {
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
        return Some(key);
    }
    let value = match serde_json::from_value::<T>(node.to_json()) {
        Ok(value) => value,
        Err(err) => {
            // The schema accepted what serde rejects: report, do not guess.
            out.push(
                Diagnostic::new(Code::TypeMismatch, format!("cannot read {display}: {err}"))
                    .at(node.span)
                    .object(display),
            );
            return Some(key);
        }
    };
    let name_path = Path::parse("metadata.name");
    if let Some(first) = map.get(&key) {
        out.push(
            Diagnostic::new(Code::DuplicateObject, format!("{display} is defined more than once"))
                .at(node.locate(&name_path))
                .path(&name_path)
                .object(display.clone())
                .related("first defined here", first.locate(&name_path))
                .help("remove one of the two definitions (in a cluster, the second apply would overwrite the first)"),
        );
        return None;
    }
    map.insert(
        key,
        Item {
            value,
            node,
            namespace,
            name: object.name,
            display,
        },
    );
    None
}

/// Defaults one object in place (namespace included) and checks it against
/// its kind's schema and the metadata rules: everything an API server does
/// on create, before any cross-object check.
pub fn check_object(
    kind: Kind,
    node: &mut crate::load::node::Node,
    namespace: &str,
) -> Vec<Diagnostic> {
    defaults::apply_namespace(node, namespace);
    let schema = Schema::of(kind);
    defaults::apply(node, schema);
    let mut found = Vec::new();
    metadata::check(node, &mut found);
    schema::validate(node, schema, &mut found);
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
