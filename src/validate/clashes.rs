//! Output clashes (SPEC 1.5): two objects of the output stream, pass-through
//! or derived, with the same group, kind, namespace and name. `kubectl
//! apply` keys objects by exactly that, so the one applied last silently
//! replaces the other.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};
use crate::model::catalog::{Catalog, Item};
use crate::model::AIGatewayRoute;
use crate::translate::names::{self, Identity};

/// Kinds whose objects have no namespace (`metadata.namespace` is ignored),
/// by group. Any other kind is taken as namespaced.
const CLUSTER_SCOPED: &[(&str, &[&str])] = &[
    (
        "",
        &["Namespace", "Node", "PersistentVolume", "ComponentStatus"],
    ),
    ("apiextensions.k8s.io", &["CustomResourceDefinition"]),
    ("apiregistration.k8s.io", &["APIService"]),
    (
        "admissionregistration.k8s.io",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
        ],
    ),
    (
        "rbac.authorization.k8s.io",
        &["ClusterRole", "ClusterRoleBinding"],
    ),
    (
        "storage.k8s.io",
        &["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"],
    ),
    ("scheduling.k8s.io", &["PriorityClass"]),
    ("networking.k8s.io", &["IngressClass"]),
    ("node.k8s.io", &["RuntimeClass"]),
    ("certificates.k8s.io", &["CertificateSigningRequest"]),
    (
        "flowcontrol.apiserver.k8s.io",
        &["FlowSchema", "PriorityLevelConfiguration"],
    ),
    ("gateway.networking.k8s.io", &["GatewayClass"]),
];

fn is_cluster_scoped(group: &str, kind: &str) -> bool {
    CLUSTER_SCOPED
        .iter()
        .any(|(g, kinds)| *g == group && kinds.contains(&kind))
}

/// The identity `kubectl apply` gives a pass-through object. A namespaced
/// object without `metadata.namespace` lands in the namespace kubectl
/// applies into; aigw takes that to be its own `-n` namespace, the one it
/// gives AI Gateway objects without a namespace.
pub fn passthrough_identity(node: &Node, default_namespace: &str) -> Option<Identity> {
    let api_version = node.get_str("apiVersion")?;
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let kind = node.get_str("kind")?;
    let metadata = node.get("metadata")?;
    let name = metadata.get_str("name")?;
    let namespace = if is_cluster_scoped(group, kind) {
        ""
    } else {
        metadata.get_str("namespace").unwrap_or(default_namespace)
    };
    Some(Identity::new(group, kind, namespace, name))
}

/// Where an output object comes from.
enum Origin<'a> {
    /// A pass-through object of the input.
    Input(&'a Node),
    /// Derived from a route (for the shared HTTPRouteFilter: the first route
    /// of its namespace).
    Derived(&'a Item<AIGatewayRoute>),
}

impl Origin<'_> {
    /// Only called for derived objects.
    fn describe(&self, identity: &Identity) -> String {
        match self {
            Origin::Input(_) => "an object of the input".to_string(),
            Origin::Derived(route) if identity.kind == "HTTPRouteFilter" => format!(
                "the filter aigw derives for the AIGatewayRoutes of namespace \"{}\" (such as {})",
                route.namespace, route.display
            ),
            Origin::Derived(route) => format!("the object aigw derives from {}", route.display),
        }
    }

    /// Whether the human format may quote the source around it: never
    /// for a Secret, whose values are next to its name.
    fn quotable(&self, identity: &Identity) -> bool {
        !(matches!(self, Origin::Input(_))
            && identity.group.is_empty()
            && identity.kind == "Secret")
    }

    fn span(&self) -> crate::source::Span {
        let name = Path::parse("metadata.name");
        match self {
            Origin::Input(node) => node.locate(&name),
            Origin::Derived(route) => route.locate(&name),
        }
    }
}

/// The clashes of a v0.1 catalog: its pass-through and derived objects.
pub fn check(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let mut written = inputs(&catalog.passthrough_nodes, &catalog.default_namespace);
    for route in catalog.routes.values() {
        let filter = names::host_rewrite_filter(&route.namespace);
        let origins = written.entry(filter).or_default();
        if !origins.iter().any(|o| matches!(o, Origin::Derived(_))) {
            origins.push(Origin::Derived(route));
        }
        for identity in names::route_objects(&route.namespace, &route.name) {
            written
                .entry(identity)
                .or_default()
                .push(Origin::Derived(route));
        }
    }
    report(&written, out);
}

/// The clashes among input objects written unchanged (releases after
/// v0.1, whose controller derives its objects in-cluster).
pub fn check_inputs<'a>(
    nodes: impl IntoIterator<Item = &'a Node>,
    default_namespace: &str,
    out: &mut Vec<Diagnostic>,
) {
    report(&inputs(nodes, default_namespace), out);
}

/// The input objects by identity, in input order.
fn inputs<'a>(
    nodes: impl IntoIterator<Item = &'a Node>,
    default_namespace: &str,
) -> BTreeMap<Identity, Vec<Origin<'a>>> {
    let mut written: BTreeMap<Identity, Vec<Origin>> = BTreeMap::new();
    for node in nodes {
        if let Some(identity) = passthrough_identity(node, default_namespace) {
            written
                .entry(identity)
                .or_default()
                .push(Origin::Input(node));
        }
    }
    written
}

fn report(written: &BTreeMap<Identity, Vec<Origin>>, out: &mut Vec<Diagnostic>) {
    for (identity, origins) in written {
        let Some((first, rest)) = origins.split_first() else {
            continue;
        };
        for other in rest {
            out.push(clash(identity, first, other));
        }
    }
}

/// One clash between the `first` and a later origin of `identity`.
fn clash(identity: &Identity, first: &Origin, later: &Origin) -> Diagnostic {
    let name = Path::parse("metadata.name");
    let (message, primary, secondary, related, help) = match (first, later) {
        (Origin::Input(_), Origin::Input(_)) => (
            format!("{identity} is defined twice in the input; kubectl applies both, and the one applied last replaces the other"),
            later,
            first,
            "first defined here".to_string(),
            if first.span().file == later.span().file {
                "remove one of the two definitions, or rename one".to_string()
            } else {
                format!("remove one of the two definitions, or rename one; {}", super::COPIES_HELP)
            },
        ),
        // The input object is the one the user can rename.
        (Origin::Input(_), derived) | (derived, Origin::Input(_)) => {
            let input = if matches!(first, Origin::Input(_)) { first } else { later };
            (
                format!(
                    "{identity} in the input is also {}; kubectl applies one over the other, so only the last one survives",
                    derived.describe(identity)
                ),
                input,
                derived,
                derived.describe(identity),
                format!(
                    "rename or move this object: aigw writes its own {} \"{}\" in namespace \"{}\"",
                    identity.kind, identity.name, identity.namespace
                ),
            )
        }
        (Origin::Derived(_), Origin::Derived(_)) => (
            format!(
                "{identity} is both {} and {}; only one of them survives",
                first.describe(identity),
                later.describe(identity)
            ),
            later,
            first,
            first.describe(identity),
            "rename one of the two AIGatewayRoutes".to_string(),
        ),
    };
    let d = Diagnostic::new(Code::OutputClash, message)
        .object(identity.to_string())
        .help(help);
    if primary.quotable(identity) && secondary.quotable(identity) {
        let d = d.at(primary.span()).related(related, secondary.span());
        match primary {
            Origin::Input(_) => d.path(&name),
            Origin::Derived(_) => d,
        }
    } else {
        // No snippet, only positions: a Secret's values are next to its name.
        d.at_position(primary.span())
            .related_position(related, secondary.span())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTE: &str = "
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: chat, namespace: ai}
spec:
  schema: {name: OpenAI}
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: m}]}]
      backendRefs: [{name: b}]
---
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: b, namespace: ai}
spec:
  schema: {name: OpenAI}
  backendRef: {name: b, kind: Backend, group: gateway.envoyproxy.io}
";

    /// The identities the clash check assumes are exactly what translation
    /// writes.
    #[test]
    fn derived_identities_match_translation() {
        let options = crate::Options::default();
        let compiled = crate::compile(&["-".into()], &mut ROUTE.as_bytes(), &options);
        let derived = compiled
            .ok()
            .and_then(|c| c.output)
            .map(|o| o.derived)
            .unwrap_or_default();
        let rendered: Vec<Identity> = derived
            .iter()
            .map(|d| {
                let v = d.to_json();
                let text = |p: &str| v.pointer(p).and_then(|s| s.as_str()).unwrap_or("");
                let group = text("/apiVersion").rsplit_once('/').map_or("", |(g, _)| g);
                Identity::new(
                    group,
                    text("/kind"),
                    text("/metadata/namespace"),
                    text("/metadata/name"),
                )
            })
            .collect();
        let mut expected = vec![names::host_rewrite_filter("ai")];
        expected.extend(names::route_objects("ai", "chat"));
        assert_eq!(rendered, expected);
    }
}
