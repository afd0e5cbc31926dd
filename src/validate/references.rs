//! What the routes reach (SPEC 3.4): backends pointing into another
//! namespace without a ReferenceGrant, and AIServiceBackends or
//! BackendSecurityPolicies that no route uses.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};
use crate::model::catalog::{Catalog, Item, Key};
use crate::model::common::BackendObjectReference;
use crate::model::{AIGatewayRoute, AIServiceBackend, Kind};

use super::clashes::passthrough_identity;

const GATEWAY_API_GROUP: &str = "gateway.networking.k8s.io";

pub fn check(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    // Each used backend, with the first route (and backendRef) using it.
    let mut used: BTreeMap<&Key, (&Item<AIGatewayRoute>, Path)> = BTreeMap::new();
    for route in catalog.routes.values() {
        for (i, rule) in route.value.spec.rules.iter().enumerate() {
            for (j, r) in rule.backend_refs.iter().flatten().enumerate() {
                let key = (route.namespace.clone(), r.name.clone());
                if let Some((key, _)) = catalog.backends.get_key_value(&key) {
                    let path = Path::parse("spec.rules")
                        .index(i)
                        .key("backendRefs")
                        .index(j)
                        .key("name");
                    used.entry(key).or_insert((route, path));
                }
            }
        }
    }
    let grants = reference_grants(catalog);
    for (key, (route, ref_path)) in &used {
        if let Some(backend) = catalog.backends.get(*key) {
            cross_namespace(backend, route, ref_path, &grants, out);
        }
    }
    unused(catalog, &used, out);
}

/// A ReferenceGrant of the input: its namespace, and its `from` and `to`.
struct Grant<'a> {
    namespace: String,
    node: &'a Node,
}

impl Grant<'_> {
    fn entries(&self, field: &str) -> impl Iterator<Item = &Node> {
        self.node
            .get("spec")
            .and_then(|s| s.get(field))
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
    }

    /// Whether it lets HTTPRoutes of `from_namespace` reference `target`.
    fn allows(&self, from_namespace: &str, target: &BackendObjectReference) -> bool {
        let from = self.entries("from").any(|f| {
            f.get_str("group") == Some(GATEWAY_API_GROUP)
                && f.get_str("kind") == Some("HTTPRoute")
                && f.get_str("namespace") == Some(from_namespace)
        });
        let to = self.entries("to").any(|t| {
            t.get_str("group").unwrap_or("") == target.group
                && t.get_str("kind") == Some(target.kind.as_str())
                && t.get_str("name")
                    .is_none_or(|n| n.is_empty() || n == target.name)
        });
        from && to
    }
}

fn reference_grants(catalog: &Catalog) -> Vec<Grant<'_>> {
    catalog
        .passthrough_nodes
        .iter()
        .filter_map(|node| {
            let id = passthrough_identity(node, &catalog.default_namespace)?;
            (id.group == GATEWAY_API_GROUP && id.kind == "ReferenceGrant").then_some(Grant {
                namespace: id.namespace,
                node,
            })
        })
        .collect()
}

/// The derived HTTPRoute lives in the route's namespace (the backend's); a
/// backendRef into another namespace needs a ReferenceGrant there.
fn cross_namespace(
    backend: &Item<AIServiceBackend>,
    route: &Item<AIGatewayRoute>,
    ref_path: &Path,
    grants: &[Grant],
    out: &mut Vec<Diagnostic>,
) {
    let target = &backend.value.spec.backend_ref;
    let Some(namespace) = target.namespace.as_deref() else {
        return;
    };
    if namespace == backend.namespace
        || grants
            .iter()
            .any(|g| g.namespace == namespace && g.allows(&backend.namespace, target))
    {
        return;
    }
    let path = Path::parse("spec.backendRef.namespace");
    let group = if target.group.is_empty() {
        "\"\"".to_string()
    } else {
        target.group.clone()
    };
    out.push(
        Diagnostic::new(
            Code::CrossNamespaceBackend,
            format!(
                "{path}: the backendRef points to {} \"{}\" in namespace \"{namespace}\", but no ReferenceGrant in the input lets HTTPRoutes of namespace \"{}\" reference it; Envoy Gateway leaves the reference unresolved and the backend gets no traffic",
                target.kind, target.name, backend.namespace
            ),
        )
        .at(backend.locate(&path))
        .path(&path)
        .object(backend.display.clone())
        .related(format!("used by {} here", route.display), route.locate(ref_path))
        .help(format!(
            "add a ReferenceGrant in namespace \"{namespace}\" with `from: [{{group: {GATEWAY_API_GROUP}, kind: HTTPRoute, namespace: {}}}]` and `to: [{{group: {group}, kind: {}}}]`, or move the backend into namespace \"{}\"",
            backend.namespace, target.kind, backend.namespace
        )),
    );
}

/// Objects no route uses derive nothing. Namespaces without routes, and
/// namespaces where a route (or a backend) was rejected or names a missing
/// object, are skipped: their references are unknown.
fn unused(
    catalog: &Catalog,
    used: &BTreeMap<&Key, (&Item<AIGatewayRoute>, Path)>,
    out: &mut Vec<Diagnostic>,
) {
    let rejected = |kinds: &[Kind]| -> BTreeSet<&str> {
        catalog
            .rejected
            .iter()
            .filter(|(k, _)| kinds.contains(k))
            .map(|(_, (ns, _))| ns.as_str())
            .collect()
    };
    let mut unsure_backends = rejected(&[Kind::Route]);
    let mut unsure_policies = rejected(&[Kind::Route, Kind::Backend]);
    // A namespace without any route is a partial input (backends or
    // policies validated on their own): "unused" would say nothing.
    let routed: BTreeSet<&str> = catalog.routes.keys().map(|(ns, _)| ns.as_str()).collect();
    for ns in catalog
        .backends
        .keys()
        .chain(catalog.policies.keys())
        .map(|(ns, _)| ns.as_str())
    {
        if !routed.contains(ns) {
            unsure_backends.insert(ns);
            unsure_policies.insert(ns);
        }
    }
    // After an unresolved reference (AIGW030, often a typo of the object's
    // name), "unused" would only repeat it.
    for route in catalog.routes.values() {
        let refs = route
            .value
            .spec
            .rules
            .iter()
            .flat_map(|r| r.backend_refs.iter().flatten());
        if refs
            .into_iter()
            .any(|r| catalog.backend(&route.namespace, &r.name).is_none())
        {
            unsure_backends.insert(&route.namespace);
            unsure_policies.insert(&route.namespace);
        }
    }
    for backend in catalog.backends.values() {
        let reference = backend.value.spec.backend_security_policy_ref.as_ref();
        if reference.is_some() && catalog.policy_of(backend).is_none() {
            unsure_policies.insert(&backend.namespace);
        }
    }
    let name = Path::parse("metadata.name");
    for (key, backend) in &catalog.backends {
        if used.contains_key(key) || unsure_backends.contains(key.0.as_str()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::UnusedObject,
                format!(
                    "no AIGatewayRoute in namespace \"{}\" names {}, so nothing routes to it",
                    backend.namespace, backend.display
                ),
            )
            .at(backend.locate(&name))
            .path(&name)
            .object(backend.display.clone())
            .help("reference it from a route's backendRefs, or remove it"),
        );
    }
    let used_policies: BTreeSet<Key> = used
        .keys()
        .filter_map(|key| catalog.backends.get(*key))
        .filter_map(|backend| catalog.policy_of(backend))
        .map(|policy| (policy.namespace.clone(), policy.name.clone()))
        .collect();
    for (key, policy) in &catalog.policies {
        if used_policies.contains(key) || unsure_policies.contains(key.0.as_str()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::UnusedObject,
                format!(
                    "no AIServiceBackend used by a route references {}, so its credentials are never used",
                    policy.display
                ),
            )
            .at(policy.locate(&name))
            .path(&name)
            .object(policy.display.clone())
            .help("reference it from an AIServiceBackend's backendSecurityPolicyRef (and use that backend in a route), or remove it"),
        );
    }
}
