//! Cross-object checks for the releases after v0.1, over admitted
//! (defaulted) objects: what the API server cannot see because it looks
//! at one object at a time, and what the controller of that release would
//! resolve at run time and silently fail on. Each follows upstream's
//! controller at the release's tag (`internal/controller/`, v0.5.0 to
//! v1.1.0); CRDs given by the user are read as the newest release.
//!
//! - references between AI Gateway objects: route → AIServiceBackend,
//!   BackendSecurityPolicy and QuotaPolicy `targetRefs` → AIServiceBackend,
//!   the Gateway annotation `aigateway.envoyproxy.io/gateway-config` →
//!   GatewayConfig (AIGW030);
//! - references to objects of other APIs, which may be applied
//!   separately: an AIServiceBackend's Backend or Service, a route's
//!   InferencePool, an MCPRoute's backends. One policy for all of them
//!   (and for Secrets): when the input holds none of that kind, nothing is
//!   said; the name only in another namespace is an error (AIGW030); a
//!   name the input lacks while it holds others of the kind is a warning
//!   with the close names (AIGW062);
//! - cross-namespace references and their ReferenceGrants (AIGW043):
//!   route → AIServiceBackend, the generated HTTPRoute → the Backend,
//!   route → InferencePool (v1.1; up to v1.0 the namespace is ignored),
//!   MCPRoute backends (never allowed);
//! - the Secret each policy type reads, its key and the namespace it is
//!   read from ([`SECRET_KEYS`]; AIGW044, AIGW063);
//! - v0.1's silent failures that still apply: shadowed matches (AIGW051),
//!   rules that reach no backend (AIGW052, AIGW053, AIGW058), a header
//!   condition Gateway API ignores (AIGW061). v0.1's header rules
//!   (AIGW031, AIGW032, AIGW038, AIGW042) do not apply: the match is a
//!   Gateway API match there. Output clashes are only duplicate input
//!   objects (AIGW041, reported elsewhere): render writes the input;
//! - upgrade hazards: an object valid in the checked release that the
//!   next built-in release rejects.

use std::collections::{BTreeMap, BTreeSet};

use crate::admit::{self, Admitted, BUILTIN};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{unindexed, Node, Path, Value};
use crate::load::{Object, AI_GATEWAY_GROUP};

const GATEWAY_CONFIG_ANNOTATION: &str = "aigateway.envoyproxy.io/gateway-config";
const GATEWAY_API_GROUP: &str = "gateway.networking.k8s.io";

/// The objects of a run, by kind, namespace and name.
struct Inventory<'a> {
    ai: BTreeSet<(&'a str, &'a str, &'a str)>,
    /// Admitted AIServiceBackends, by (namespace, name).
    backends: BTreeMap<(&'a str, &'a str), &'a Admitted>,
    secrets: BTreeMap<(String, &'a str), &'a Node>,
    grants: Vec<(String, &'a Node)>,
    /// Objects of other groups (Backends, Services, InferencePools), by
    /// (group, kind), as (namespace, name).
    others: BTreeMap<(&'a str, &'a str), BTreeSet<(String, &'a str)>>,
    /// Whether a route's InferencePool backendRef may name another
    /// namespace (v1.1 on; v1.0 and earlier look in the route's own).
    pool_namespace: bool,
    /// The release checked, for messages: `v1.0.0`.
    release: &'a str,
}

/// The API group of an `apiVersion`: `gateway.envoyproxy.io/v1alpha1` →
/// `gateway.envoyproxy.io`, `v1` → the core group `""`.
fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Whether the controller honours an InferencePool backendRef's
/// `namespace`: from v1.1 (and for CRDs of a release aigw does not know,
/// which are newer).
fn honours_pool_namespace(api: &admit::Api) -> bool {
    let Some(line) = api.line else {
        return true;
    };
    let position = |l: &str| BUILTIN.iter().position(|r| r.line == l);
    position(line.line) >= position("v1.1")
}

/// `path` with its last segment replaced by `key`.
fn sibling(path: &Path, key: &str) -> Path {
    let mut segs = path.0.clone();
    segs.pop();
    Path(segs).key(key)
}

fn namespace_of<'a>(node: &'a Node, default: &'a str) -> &'a str {
    node.get("metadata")
        .and_then(|m| m.get_str("namespace"))
        .unwrap_or(default)
}

pub fn check(
    admitted: &[Admitted],
    passthrough: &[Object],
    rejected: &[(String, String, String)],
    default_ns: &str,
    api: &admit::Api,
    out: &mut Vec<Diagnostic>,
) {
    let mut inventory = Inventory {
        ai: BTreeSet::new(),
        backends: BTreeMap::new(),
        secrets: BTreeMap::new(),
        grants: Vec::new(),
        others: BTreeMap::new(),
        pool_namespace: honours_pool_namespace(api),
        release: &api.label,
    };
    for a in admitted {
        inventory
            .ai
            .insert((a.kind.as_str(), a.namespace.as_str(), a.name.as_str()));
        if a.kind == "AIServiceBackend" {
            inventory
                .backends
                .insert((a.namespace.as_str(), a.name.as_str()), a);
        }
    }
    // A rejected object has its own diagnostics; a reference to it is not
    // reported again.
    for (kind, ns, name) in rejected {
        inventory
            .ai
            .insert((kind.as_str(), ns.as_str(), name.as_str()));
    }
    for o in passthrough {
        let ns = namespace_of(&o.node, default_ns).to_string();
        inventory
            .others
            .entry((group_of(&o.api_version), o.kind.as_str()))
            .or_default()
            .insert((ns.clone(), o.name.as_str()));
        match (o.api_version.as_str(), o.kind.as_str()) {
            ("v1", "Secret") => {
                inventory.secrets.insert((ns, o.name.as_str()), &o.node);
            }
            (v, "ReferenceGrant") if v.starts_with(GATEWAY_API_GROUP) => {
                inventory.grants.push((ns, &o.node));
            }
            (v, "Gateway") if v.starts_with(GATEWAY_API_GROUP) => {
                gateway_config(o, &ns, &inventory, out);
            }
            _ => {}
        }
    }
    for a in admitted {
        match a.kind.as_str() {
            "AIGatewayRoute" => {
                route(a, &inventory, out);
                shadowed(a, out);
                header_duplicates(a, out);
                dead_rules(a, out);
            }
            "BackendSecurityPolicy" => {
                target_refs(a, &inventory, out);
                secrets(a, &inventory, out);
            }
            "QuotaPolicy" => target_refs(a, &inventory, out),
            "AIServiceBackend" => backend(a, &inventory, out),
            "MCPRoute" => {
                mcp_backends(a, &inventory, out);
                secrets(a, &inventory, out);
            }
            _ => {}
        }
    }
}

fn missing(a: &Admitted, path: &Path, what: String, help: String) -> Diagnostic {
    Diagnostic::new(Code::UnresolvedReference, format!("{path}: {what}"))
        .at(a.locate(path))
        .path(path)
        .object(a.display.clone())
        .help(help)
}

fn items<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    node.get(key).and_then(Node::as_seq).unwrap_or_default()
}

fn spec(a: &Admitted) -> Option<&Node> {
    a.defaulted.get("spec")
}

/// Whether a reference (with optional `group` and `kind`) names an
/// AIServiceBackend: the defaults of a route's backendRefs.
fn names_backend(reference: &Node) -> bool {
    let group = reference.get_str("group").unwrap_or(AI_GATEWAY_GROUP);
    let kind = reference.get_str("kind").unwrap_or("AIServiceBackend");
    (group.is_empty() || group == AI_GATEWAY_GROUP) && kind == "AIServiceBackend"
}

fn route(a: &Admitted, inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    let Some(spec) = spec(a) else {
        return;
    };
    for (r, rule) in items(spec, "rules").iter().enumerate() {
        for (b, reference) in items(rule, "backendRefs").iter().enumerate() {
            let Some(name) = reference.get_str("name") else {
                continue;
            };
            let path = Path::parse(&format!("spec.rules[{r}].backendRefs[{b}].name"));
            if reference.get_str("kind") == Some("InferencePool") {
                inference_pool(a, reference, name, &path, inventory, out);
                continue;
            }
            if !names_backend(reference) {
                continue;
            }
            let ns = reference.get_str("namespace").unwrap_or(&a.namespace);
            if !inventory.ai.contains(&("AIServiceBackend", ns, name)) {
                out.push(missing(
                    a,
                    &path,
                    format!("AIServiceBackend {ns}/{name} is not in the input"),
                    "add the AIServiceBackend, or correct the name; the controller leaves a rule with a missing backend without routes".into(),
                ));
            } else if ns != a.namespace
                && !granted(
                    inventory,
                    ns,
                    (AI_GATEWAY_GROUP, "AIGatewayRoute", &a.namespace),
                    (AI_GATEWAY_GROUP, "AIServiceBackend", None),
                )
            {
                out.push(
                    Diagnostic::new(
                        Code::CrossNamespaceBackend,
                        format!("{path}: AIServiceBackend {ns}/{name} is in another namespace, and no ReferenceGrant in the input lets AIGatewayRoutes of namespace \"{}\" reference it", a.namespace),
                    )
                    .at(a.locate(&path))
                    .path(&path)
                    .object(a.display.clone())
                    .help(format!("add a ReferenceGrant in namespace \"{ns}\" with `from: [{{group: {AI_GATEWAY_GROUP}, kind: AIGatewayRoute, namespace: {}}}]` and `to: [{{group: {AI_GATEWAY_GROUP}, kind: AIServiceBackend}}]`", a.namespace)),
                );
            } else if let Some(backend) = inventory.backends.get(&(ns, name)) {
                backend_grant(a, backend, &path, inventory, out);
            }
        }
    }
}

/// The HTTPRoute the controller writes for a route lives in the route's
/// namespace and carries a copy of each AIServiceBackend's `backendRef`
/// (its namespace, when unset, is the AIServiceBackend's). Envoy Gateway
/// resolves a reference from it into another namespace only when a
/// ReferenceGrant there admits HTTPRoutes of the route's namespace.
fn backend_grant(
    a: &Admitted,
    backend: &Admitted,
    path: &Path,
    inventory: &Inventory,
    out: &mut Vec<Diagnostic>,
) {
    let Some(reference) = spec(backend).and_then(|s| s.get("backendRef")) else {
        return;
    };
    let Some(target) = reference.get_str("name") else {
        return;
    };
    let group = reference.get_str("group").unwrap_or("");
    let kind = reference.get_str("kind").unwrap_or("Service");
    let ns = reference.get_str("namespace").unwrap_or(&backend.namespace);
    if ns == a.namespace
        || granted(
            inventory,
            ns,
            (GATEWAY_API_GROUP, "HTTPRoute", &a.namespace),
            (group, kind, Some(target)),
        )
    {
        return;
    }
    let shown_group = if group.is_empty() { "\"\"" } else { group };
    out.push(
        Diagnostic::new(
            Code::CrossNamespaceBackend,
            format!("{path}: {} sends to {kind} {ns}/{target}; the HTTPRoute the controller writes in namespace \"{}\" references it there, and no ReferenceGrant in the input lets HTTPRoutes of namespace \"{}\" reference it", backend.display, a.namespace, a.namespace),
        )
        .at(a.locate(path))
        .path(path)
        .object(a.display.clone())
        .help(format!("add a ReferenceGrant in namespace \"{ns}\" with `from: [{{group: {GATEWAY_API_GROUP}, kind: HTTPRoute, namespace: {}}}]` and `to: [{{group: {shown_group}, kind: {kind}}}]`; Envoy Gateway answers requests for an unresolved backend with an error", a.namespace)),
    );
}

/// A route's InferencePool backendRef. Up to v1.0 the controller looks the
/// pool up in the route's namespace whatever `namespace` says; from v1.1
/// it honours `namespace` and requires a ReferenceGrant for another one.
fn inference_pool(
    a: &Admitted,
    reference: &Node,
    name: &str,
    path: &Path,
    inventory: &Inventory,
    out: &mut Vec<Diagnostic>,
) {
    let group = reference.get_str("group").unwrap_or("");
    let written = reference.get_str("namespace").filter(|ns| !ns.is_empty());
    let cross = written.filter(|ns| *ns != a.namespace);
    let ns = match cross {
        Some(other) if !inventory.pool_namespace => {
            let ns_path = sibling(path, "namespace");
            out.push(
                Diagnostic::new(
                    Code::CrossNamespaceBackend,
                    format!("{ns_path}: the {} controller looks InferencePools up in the route's namespace \"{}\" and ignores \"{other}\"; cross-namespace InferencePools came in v1.1", inventory.release, a.namespace),
                )
                .at(a.locate(&ns_path))
                .path(&ns_path)
                .object(a.display.clone())
                .help("move the route or the InferencePool into one namespace, or upgrade to v1.1 and add a ReferenceGrant"),
            );
            return;
        }
        Some(other) => {
            if !granted(
                inventory,
                other,
                (AI_GATEWAY_GROUP, "AIGatewayRoute", &a.namespace),
                (group, "InferencePool", None),
            ) {
                out.push(
                    Diagnostic::new(
                        Code::CrossNamespaceBackend,
                        format!("{path}: InferencePool {other}/{name} is in another namespace, and no ReferenceGrant in the input lets AIGatewayRoutes of namespace \"{}\" reference it", a.namespace),
                    )
                    .at(a.locate(path))
                    .path(path)
                    .object(a.display.clone())
                    .help(format!("add a ReferenceGrant in namespace \"{other}\" with `from: [{{group: {AI_GATEWAY_GROUP}, kind: AIGatewayRoute, namespace: {}}}]` and `to: [{{group: {group}, kind: InferencePool}}]`; without it the controller does not write the route's HTTPRoute", a.namespace)),
                );
                return;
            }
            other
        }
        None => a.namespace.as_str(),
    };
    external(
        a,
        path,
        (group, "InferencePool"),
        (ns, name),
        inventory,
        out,
    );
}

/// MCPRoute backendRefs: Services or Envoy Gateway Backends, always in the
/// route's namespace (every release's controller rejects another one,
/// whatever ReferenceGrants say).
fn mcp_backends(a: &Admitted, inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    let Some(spec) = spec(a) else {
        return;
    };
    for (i, reference) in items(spec, "backendRefs").iter().enumerate() {
        let Some(name) = reference.get_str("name") else {
            continue;
        };
        let group = reference.get_str("group").unwrap_or("");
        let kind = reference.get_str("kind").unwrap_or("Service");
        let path = Path::parse(&format!("spec.backendRefs[{i}].name"));
        match reference.get_str("namespace") {
            Some(ns) if !ns.is_empty() && ns != a.namespace => {
                let ns_path = sibling(&path, "namespace");
                out.push(
                    Diagnostic::new(
                        Code::CrossNamespaceBackend,
                        format!("{ns_path}: {kind} {ns}/{name} is in another namespace; the MCPRoute controller rejects a backend outside the route's namespace \"{}\", with or without a ReferenceGrant", a.namespace),
                    )
                    .at(a.locate(&ns_path))
                    .path(&ns_path)
                    .object(a.display.clone())
                    .help("put the MCPRoute and its backends in one namespace; the controller writes no route for it otherwise"),
                );
            }
            _ => external(
                a,
                &path,
                (group, kind),
                (&a.namespace, name),
                inventory,
                out,
            ),
        }
    }
}

/// A reference to an object of another API (an Envoy Gateway Backend, a
/// Service, an InferencePool), which may be applied separately: only what
/// the input shows is reported. The name in another namespace of the
/// input is an error (that object is not the one referenced); a name the
/// input lacks while it holds others of that kind is a warning with the
/// close names; when the input holds none of the kind, nothing is said.
fn external(
    a: &Admitted,
    path: &Path,
    (group, kind): (&str, &str),
    (ns, name): (&str, &str),
    inventory: &Inventory,
    out: &mut Vec<Diagnostic>,
) {
    let Some(objects) = inventory.others.get(&(group, kind)) else {
        return;
    };
    if objects.contains(&(ns.to_string(), name)) {
        return;
    }
    let elsewhere: Vec<&str> = objects
        .iter()
        .filter(|(_, n)| *n == name)
        .map(|(other, _)| other.as_str())
        .collect();
    if !elsewhere.is_empty() {
        out.push(
            Diagnostic::new(
                Code::UnresolvedReference,
                format!(
                    "{path}: {kind} \"{name}\" is in the input in namespace \"{}\", not in \"{ns}\" where the {} looks for it",
                    elsewhere.join("\", \""),
                    a.kind
                ),
            )
            .at(a.locate(path))
            .path(path)
            .object(a.display.clone())
            .help(format!("move the {kind} into namespace \"{ns}\", or reference the one that exists")),
        );
        return;
    }
    let here: Vec<&str> = objects
        .iter()
        .filter(|(other, _)| other == ns)
        .map(|(_, n)| *n)
        .collect();
    let help = match super::schema::suggest(name, here.iter().copied()) {
        Some(close) => format!("did you mean \"{close}\"?"),
        None if here.is_empty() => format!("the input has no {kind} in namespace \"{ns}\"; if it is applied separately, ignore this"),
        None => format!("{kind}s of namespace \"{ns}\" in the input: {}", here.join(", ")),
    };
    out.push(
        Diagnostic::new(
            Code::MissingExternalObject,
            format!("{path}: {kind} {ns}/{name} is not in the input, which holds other {kind}s"),
        )
        .at(a.locate(path))
        .path(path)
        .object(a.display.clone())
        .help(help),
    );
}

/// A header of a match: (type, name in lower case, value).
type Header = (String, String, String);

/// A match entry that an earlier rule of the same route repeats: the
/// generated HTTPRoute's rules tie on every precedence criterion, and
/// Gateway API then gives the request to the first rule in list order, so
/// the later entry never fires (v0.1's filter was the other way round:
/// the last rule won).
fn shadowed(a: &Admitted, out: &mut Vec<Diagnostic>) {
    let Some(spec) = spec(a) else {
        return;
    };
    // A match entry as its headers, order-free: (type, name, value), the
    // name compared as HTTP compares it, without case.
    let key = |m: &Node| {
        let mut headers: Vec<Header> = items(m, "headers")
            .iter()
            .map(|h| {
                (
                    h.get_str("type").unwrap_or("Exact").to_string(),
                    h.get_str("name").unwrap_or("").to_ascii_lowercase(),
                    h.get_str("value").unwrap_or("").to_string(),
                )
            })
            .collect();
        headers.sort();
        headers
    };
    // (the match's headers, its rule, its index in the rule)
    let mut seen: Vec<(Vec<Header>, usize, usize)> = Vec::new();
    for (r, rule) in items(spec, "rules").iter().enumerate() {
        let mut own = Vec::new();
        for (m, entry) in items(rule, "matches").iter().enumerate() {
            let k = key(entry);
            if k.is_empty() {
                continue;
            }
            if let Some((_, first_rule, first_match)) =
                seen.iter().find(|(s, rr, _)| *s == k && *rr != r)
            {
                let path = Path::parse(&format!("spec.rules[{r}].matches[{m}]"));
                let first =
                    Path::parse(&format!("spec.rules[{first_rule}].matches[{first_match}]"));
                out.push(
                    Diagnostic::new(
                        Code::ShadowedRule,
                        format!("{path}: rule {first_rule} has the same match ({first}); Gateway API gives those requests to the first rule, so this match never fires"),
                    )
                    .at(a.locate(&path))
                    .path(&path)
                    .object(a.display.clone())
                    .related("the first rule with this match", a.locate(&first))
                    .help("remove the repeated match, or merge the two rules' backends into one rule"),
                );
            }
            own.push((k, r, m));
        }
        seen.extend(own);
    }
}

/// Two headers of one match entry whose names differ only in case: the
/// CRD keys the list by the exact name, so the API server accepts them,
/// but Gateway API compares names without case and considers only the
/// first, so the entry matches more than written.
fn header_duplicates(a: &Admitted, out: &mut Vec<Diagnostic>) {
    let Some(spec) = spec(a) else {
        return;
    };
    for (r, rule) in items(spec, "rules").iter().enumerate() {
        for (m, entry) in items(rule, "matches").iter().enumerate() {
            let headers = items(entry, "headers");
            for (h, header) in headers.iter().enumerate() {
                let Some(name) = header.get_str("name") else {
                    continue;
                };
                let Some(first) = headers.iter().take(h).position(|earlier| {
                    earlier
                        .get_str("name")
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                }) else {
                    continue;
                };
                let base = format!("spec.rules[{r}].matches[{m}].headers");
                let path = Path::parse(&format!("{base}[{h}].name"));
                let first_path = Path::parse(&format!("{base}[{first}].name"));
                out.push(
                    Diagnostic::new(
                        Code::IgnoredHeaderMatch,
                        format!("{path}: \"{name}\" repeats the header name of headers[{first}] (names compare without case); Gateway API considers only the first condition on a name, so this one is ignored and the match selects more requests than written"),
                    )
                    .at(a.locate(&path))
                    .path(&path)
                    .object(a.display.clone())
                    .related("the header that counts", a.locate(&first_path))
                    .help("keep one condition per header name in a match; to accept either value, use two match entries (they are ORed)"),
                );
            }
        }
    }
}

/// Rules whose requests get no backend: no backendRefs, or every one with
/// weight 0 (Envoy Gateway leaves a weight-0 backend out of the cluster's
/// endpoints). The HTTPRoute's rule then answers with an error (Gateway
/// API: 500). A route without any backends is reported once.
fn dead_rules(a: &Admitted, out: &mut Vec<Diagnostic>) {
    let Some(spec) = spec(a) else {
        return;
    };
    let rules = items(spec, "rules");
    if rules.is_empty() {
        return;
    }
    if rules.iter().all(|r| items(r, "backendRefs").is_empty()) {
        let path = Path::parse("spec.rules");
        out.push(
            Diagnostic::new(
                Code::NoBackends,
                format!("{path}: no rule has backendRefs, so every request the route matches gets an error"),
            )
            .at(a.locate(&path))
            .path(&path)
            .object(a.display.clone())
            .help("add backendRefs to at least one rule"),
        );
        return;
    }
    for (r, rule) in rules.iter().enumerate() {
        let refs = items(rule, "backendRefs");
        let path = Path::parse(&format!("spec.rules[{r}]"));
        if refs.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::RuleWithoutBackends,
                    format!("{path}: the rule has no backendRefs, so the requests it matches get an error (Gateway API: 500) instead of reaching a backend"),
                )
                .at(a.locate(&path.key("matches")))
                .path(&path)
                .object(a.display.clone())
                .help("add backendRefs to the rule, or remove it"),
            );
        } else if refs
            .iter()
            .all(|b| matches!(b.get("weight").map(|w| &w.value), Some(Value::Int(0))))
        {
            let path = path.key("backendRefs");
            let all = if refs.len() == 1 {
                "its only backend has".to_string()
            } else {
                format!("all {} backends have", refs.len())
            };
            out.push(
                Diagnostic::new(
                    Code::ZeroWeights,
                    format!("{path}: {all} weight 0; Envoy Gateway leaves a weight-0 backend out of the cluster, so the requests this rule matches get an error"),
                )
                .at(a.locate(&path))
                .path(&path)
                .object(a.display.clone())
                .help("give at least one backend a positive weight (omitted, it is 1)"),
            );
        }
    }
}

/// Whether a ReferenceGrant in `to_ns` lets objects `from` (group, kind,
/// namespace) reference objects `to` (group, kind, and the name when a
/// grant's `to` names one). The AI Gateway controller checks group and
/// kind only; Envoy Gateway (for HTTPRoutes) also the name.
fn granted(
    inventory: &Inventory,
    to_ns: &str,
    (from_group, from_kind, from_ns): (&str, &str, &str),
    (to_group, to_kind, to_name): (&str, &str, Option<&str>),
) -> bool {
    inventory.grants.iter().any(|(ns, grant)| {
        let Some(spec) = grant.get("spec") else {
            return false;
        };
        ns == to_ns
            && items(spec, "from").iter().any(|f| {
                f.get_str("kind") == Some(from_kind)
                    && f.get_str("namespace") == Some(from_ns)
                    && f.get_str("group").unwrap_or("") == from_group
            })
            && items(spec, "to").iter().any(|t| {
                t.get_str("kind") == Some(to_kind)
                    && t.get_str("group").unwrap_or("") == to_group
                    && match (t.get_str("name"), to_name) {
                        (Some(only), Some(name)) => only == name,
                        _ => true,
                    }
            })
    })
}

fn target_refs(a: &Admitted, inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    let Some(spec) = spec(a) else {
        return;
    };
    for (i, target) in items(spec, "targetRefs").iter().enumerate() {
        let (Some(name), Some("AIServiceBackend")) =
            (target.get_str("name"), target.get_str("kind"))
        else {
            continue;
        };
        if !inventory
            .ai
            .contains(&("AIServiceBackend", a.namespace.as_str(), name))
        {
            let path = Path::parse(&format!("spec.targetRefs[{i}].name"));
            out.push(missing(
                a,
                &path,
                format!("AIServiceBackend {}/{name} is not in the input", a.namespace),
                format!("a {} applies only to objects of its own namespace; add the AIServiceBackend or correct the name", a.kind),
            ));
        }
    }
}

fn backend(a: &Admitted, inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    if let Some(reference) = spec(a).and_then(|s| s.get("backendRef")) {
        if let Some(name) = reference.get_str("name") {
            let group = reference.get_str("group").unwrap_or("");
            let kind = reference.get_str("kind").unwrap_or("Service");
            let ns = reference.get_str("namespace").unwrap_or(&a.namespace);
            let path = Path::parse("spec.backendRef.name");
            external(a, &path, (group, kind), (ns, name), inventory, out);
        }
    }
    let Some(reference) = spec(a).and_then(|s| s.get("backendSecurityPolicyRef")) else {
        return;
    };
    if let Some(name) = reference.get_str("name") {
        if !inventory
            .ai
            .contains(&("BackendSecurityPolicy", a.namespace.as_str(), name))
        {
            let path = Path::parse("spec.backendSecurityPolicyRef.name");
            out.push(missing(
                a,
                &path,
                format!(
                    "BackendSecurityPolicy {}/{name} is not in the input",
                    a.namespace
                ),
                "add the BackendSecurityPolicy, or correct the name".into(),
            ));
        }
    }
}

fn gateway_config(gateway: &Object, ns: &str, inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    let Some(name) = gateway
        .node
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get_str(GATEWAY_CONFIG_ANNOTATION))
    else {
        return;
    };
    if inventory.ai.contains(&("GatewayConfig", ns, name)) {
        return;
    }
    let path = Path(vec![
        crate::load::node::Seg::Key("metadata".into()),
        crate::load::node::Seg::Key("annotations".into()),
        crate::load::node::Seg::Key(GATEWAY_CONFIG_ANNOTATION.into()),
    ]);
    out.push(
        Diagnostic::new(
            Code::UnresolvedReference,
            format!("metadata.annotations[{GATEWAY_CONFIG_ANNOTATION}]: GatewayConfig {ns}/{name} is not in the input"),
        )
        .at(gateway.node.locate(&path))
        .path(format!("metadata.annotations[{GATEWAY_CONFIG_ANNOTATION}]"))
        .object(format!("Gateway {ns}/{}", gateway.name))
        .help("add the GatewayConfig in the Gateway's namespace, or correct the annotation; the controller falls back to its defaults"),
    );
}

/// Where the controller looks a Secret up.
#[derive(Clone, Copy, PartialEq)]
enum SecretNamespace {
    /// The referring object's namespace; `secretRef.namespace` is ignored.
    Owner,
    /// `secretRef.namespace`, else the referring object's namespace.
    Reference,
    /// `clientSecret.namespace`, which must be set: the OIDC token
    /// provider fails without it.
    Required,
}

/// The Secrets each policy type's controller reads: (kind, path of the
/// reference with list indexes as `[]`, the key it reads, where it looks).
/// The same in every release from v0.5 to v1.1 (checked against each
/// tag's `internal/controller`): the gateway controller reads API keys and
/// AWS credentials files from the policy's namespace, the policy
/// controller reads Azure client secrets and GCP service account keys
/// where the reference says, the OIDC token provider needs a namespace.
const SECRET_KEYS: &[(&str, &str, &str, SecretNamespace)] = {
    use SecretNamespace::{Owner, Reference, Required};
    const BSP: &str = "BackendSecurityPolicy";
    &[
        (BSP, "spec.apiKey.secretRef", "apiKey", Owner),
        (BSP, "spec.azureAPIKey.secretRef", "apiKey", Owner),
        (BSP, "spec.anthropicAPIKey.secretRef", "apiKey", Owner),
        (
            BSP,
            "spec.awsCredentials.credentialsFile.secretRef",
            "credentials",
            Owner,
        ),
        (
            BSP,
            "spec.azureCredentials.clientSecretRef",
            "client-secret",
            Reference,
        ),
        (
            BSP,
            "spec.gcpCredentials.credentialsFile.secretRef",
            "service_account.json",
            Reference,
        ),
        (
            BSP,
            "spec.awsCredentials.oidcExchangeToken.oidc.clientSecret",
            "client-secret",
            Required,
        ),
        (
            BSP,
            "spec.azureCredentials.oidcExchangeToken.oidc.clientSecret",
            "client-secret",
            Required,
        ),
        (
            BSP,
            "spec.gcpCredentials.workloadIdentityFederationConfig.oidcExchangeToken.oidc.clientSecret",
            "client-secret",
            Required,
        ),
        (
            "MCPRoute",
            "spec.backendRefs[].securityPolicy.apiKey.secretRef",
            "apiKey",
            Owner,
        ),
    ]
};

/// Every Secret reference of an object the controller reads, with its path.
fn secret_refs<'a>(node: &'a Node, path: &Path, out: &mut Vec<(Path, &'a Node)>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let p = path.key(&e.key);
                if matches!(
                    e.key.as_str(),
                    "secretRef" | "clientSecretRef" | "clientSecret"
                ) && e.value.get_str("name").is_some()
                {
                    out.push((p, &e.value));
                } else {
                    secret_refs(&e.value, &p, out);
                }
            }
        }
        Value::Seq(items) => {
            for (i, n) in items.iter().enumerate() {
                secret_refs(n, &path.index(i), out);
            }
        }
        _ => {}
    }
}

fn secrets(a: &Admitted, inventory: &Inventory, out: &mut Vec<Diagnostic>) {
    let mut refs = Vec::new();
    secret_refs(&a.defaulted, &Path::root(), &mut refs);
    for (path, reference) in refs {
        let Some(name) = reference.get_str("name") else {
            continue;
        };
        // A reference of another group or kind (a ConfigMap, say) is no Secret.
        if !reference.get_str("group").unwrap_or("").is_empty()
            || reference.get_str("kind").unwrap_or("Secret") != "Secret"
        {
            continue;
        }
        let shown = unindexed(&path.to_string());
        let read = SECRET_KEYS
            .iter()
            .find(|(kind, p, _, _)| *kind == a.kind && *p == shown)
            .map(|(_, _, key, ns)| (*key, *ns));
        let written = reference.get_str("namespace").filter(|ns| !ns.is_empty());
        let name_path = path.key("name");
        let rule = read.map_or(SecretNamespace::Reference, |(_, rule)| rule);
        if rule == SecretNamespace::Required && written.is_none() {
            let ns_path = path.key("namespace");
            out.push(
                Diagnostic::new(
                    Code::OidcSecretNamespace,
                    format!("{ns_path}: not set; the controller's OIDC token provider reads the client secret only from an explicit namespace and fails without one (\"oidc client secret namespace is nil\")"),
                )
                .at(a.locate(&name_path))
                .path(&ns_path)
                .object(a.display.clone())
                .help(format!("add `namespace: {}` (or the Secret's namespace) beside `name: {name}`", a.namespace)),
            );
        }
        let ns = match rule {
            SecretNamespace::Owner => a.namespace.as_str(),
            _ => written.unwrap_or(&a.namespace),
        };
        let Some(secret) = inventory.secrets.get(&(ns.to_string(), name)) else {
            // Not in the input: applied separately (never committed to Git).
            if let Some(((other_ns, _), _)) =
                inventory.secrets.iter().find(|((_, n), _)| *n == name)
            {
                let help = if rule == SecretNamespace::Owner {
                    format!("move the Secret into namespace \"{ns}\": the controller reads it from the {}'s own namespace and ignores secretRef.namespace", a.kind)
                } else {
                    format!("set the reference's namespace to \"{other_ns}\", or move the Secret")
                };
                out.push(
                    Diagnostic::new(
                        Code::SecretMismatch,
                        format!("{name_path}: Secret \"{name}\" is in the input in namespace \"{other_ns}\", not in \"{ns}\" where the {} looks for it", a.kind),
                    )
                    .at(a.locate(&name_path))
                    .path(&name_path)
                    .object(a.display.clone())
                    .help(help),
                );
            }
            continue;
        };
        let Some((key, _)) = read else {
            continue;
        };
        // The API server merges stringData into data, so either holds the
        // key once the Secret is applied.
        let has_key = ["data", "stringData"]
            .iter()
            .any(|field| secret.get(field).and_then(|d| d.entry(key)).is_some());
        if !has_key {
            out.push(
                Diagnostic::new(
                    Code::SecretMismatch,
                    format!(
                        "{name_path}: Secret {ns}/{name} has no key `{key}` in data or stringData"
                    ),
                )
                .at(a.locate(&name_path))
                .path(&name_path)
                .object(a.display.clone())
                .help(format!(
                    "the controller reads the key `{key}`; rename the Secret's key"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_drop_list_indexes() {
        assert_eq!(
            unindexed("spec.backendRefs[12].securityPolicy.apiKey.secretRef"),
            "spec.backendRefs[].securityPolicy.apiKey.secretRef"
        );
        assert_eq!(unindexed("spec.apiKey.secretRef"), "spec.apiKey.secretRef");
    }

    #[test]
    fn groups_of_api_versions() {
        assert_eq!(
            group_of("gateway.envoyproxy.io/v1alpha1"),
            "gateway.envoyproxy.io"
        );
        assert_eq!(group_of("v1"), "");
    }

    #[test]
    fn pool_namespace_from_v1_1() {
        let honours = |line: &str| {
            admit::Release::find(line)
                .and_then(|r| r.api().ok())
                .is_some_and(|api| honours_pool_namespace(&api))
        };
        assert!(!honours("v1.0"));
        assert!(!honours("v0.5"));
        assert!(honours("v1.1"));
        assert!(honours_pool_namespace(&admit::Api::from_crds(
            "the given CRDs".into(),
            Vec::new()
        )));
    }

    /// A typo in a path would silently check nothing: every reference
    /// path is a field of v1.1 and of v0.5.
    #[test]
    fn every_secret_key_path_is_a_field() -> Result<(), String> {
        let index = admit::Index::load()?;
        let (Some(v0_5), Some(v1_1)) = (index.bit("v0.5.0"), index.bit("v1.1.0")) else {
            return Err("v0.5.0 and v1.1.0 are in the index".into());
        };
        for (kind, path, _, _) in SECRET_KEYS {
            // The index stops at subtrees that are the same in every
            // release (flagged WHOLE_SUBTREE): the path, or the nearest
            // ancestor listed, which must be such a subtree.
            let mut at = path.to_string();
            let mask = loop {
                let mask = index.any_version(kind, &at);
                if mask != 0 {
                    break mask;
                }
                let Some((parent, _)) = at.rsplit_once('.') else {
                    break 0;
                };
                at = parent.to_string();
            };
            let whole = at == *path || mask & admit::release::WHOLE_SUBTREE != 0;
            assert!(
                whole && mask & v0_5 != 0 && mask & v1_1 != 0,
                "{kind} {path}"
            );
        }
        Ok(())
    }

    #[test]
    fn every_secret_key_path_is_distinct() {
        let mut seen = BTreeSet::new();
        for (kind, path, _, _) in SECRET_KEYS {
            assert!(seen.insert((kind, path)), "{kind} {path} twice");
        }
    }
}
