//! Cross-object checks for the releases after v0.1, over admitted
//! (defaulted) objects: what the API server cannot see because it looks
//! at one object at a time, and what the controller of that release would
//! resolve at run time and silently fail on.
//!
//! - references: route → AIServiceBackend (InferencePool and other kinds
//!   are not AI Gateway objects and may be applied separately),
//!   BackendSecurityPolicy and QuotaPolicy `targetRefs` → AIServiceBackend,
//!   the Gateway annotation `aigateway.envoyproxy.io/gateway-config` →
//!   GatewayConfig;
//! - backends in another namespace need a ReferenceGrant there;
//! - a Secret a policy names, when it is in the input, must be in the
//!   policy's namespace and hold the key the controller reads;
//! - upgrade hazards: an object valid in the checked release that the
//!   next built-in release rejects.

use std::collections::{BTreeMap, BTreeSet};

use crate::admit::{self, Admitted, Release, BUILTIN};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path, Value};
use crate::load::{Object, AI_GATEWAY_GROUP};

const GATEWAY_CONFIG_ANNOTATION: &str = "aigateway.envoyproxy.io/gateway-config";
const GATEWAY_API_GROUP: &str = "gateway.networking.k8s.io";

/// The objects of a run, by kind, namespace and name.
struct Inventory<'a> {
    ai: BTreeSet<(&'a str, &'a str, &'a str)>,
    secrets: BTreeMap<(String, &'a str), &'a Node>,
    grants: Vec<(String, &'a Node)>,
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
        secrets: BTreeMap::new(),
        grants: Vec::new(),
    };
    for a in admitted {
        inventory.ai.insert((
            a.object.kind.as_str(),
            a.namespace.as_str(),
            a.object.name.as_str(),
        ));
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
        match a.object.kind.as_str() {
            "AIGatewayRoute" => {
                route(a, &inventory, out);
                shadowed(a, out);
            }
            "BackendSecurityPolicy" => {
                target_refs(a, &inventory, out);
                secrets(a, &inventory, out);
            }
            "QuotaPolicy" => target_refs(a, &inventory, out),
            "AIServiceBackend" => backend(a, &inventory, out),
            "MCPRoute" => secrets(a, &inventory, out),
            _ => {}
        }
    }
    hazards(admitted, api, out);
}

fn missing(a: &Admitted, path: &Path, what: String, help: String) -> Diagnostic {
    Diagnostic::new(Code::UnresolvedReference, format!("{path}: {what}"))
        .at(a.object.node.locate(path))
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
            if !names_backend(reference) {
                continue;
            }
            let ns = reference.get_str("namespace").unwrap_or(&a.namespace);
            let path = Path::parse(&format!("spec.rules[{r}].backendRefs[{b}].name"));
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
                    &a.namespace,
                    "AIGatewayRoute",
                    "AIServiceBackend",
                )
            {
                out.push(
                    Diagnostic::new(
                        Code::CrossNamespaceBackend,
                        format!("{path}: AIServiceBackend {ns}/{name} is in another namespace, and no ReferenceGrant in the input lets AIGatewayRoutes of namespace \"{}\" reference it", a.namespace),
                    )
                    .at(a.object.node.locate(&path))
                    .path(&path)
                    .object(a.display.clone())
                    .help(format!("add a ReferenceGrant in namespace \"{ns}\" with `from: [{{group: {AI_GATEWAY_GROUP}, kind: AIGatewayRoute, namespace: {}}}]` and `to: [{{group: {AI_GATEWAY_GROUP}, kind: AIServiceBackend}}]`", a.namespace)),
                );
            }
        }
    }
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
                    .at(a.object.node.locate(&path))
                    .path(&path)
                    .object(a.display.clone())
                    .related("the first rule with this match", a.object.node.locate(&first))
                    .help("remove the repeated match, or merge the two rules' backends into one rule"),
                );
            }
            own.push((k, r, m));
        }
        seen.extend(own);
    }
}

/// Whether a ReferenceGrant in `to_ns` lets `from_kind` objects of
/// `from_ns` reference `to_kind` objects.
fn granted(
    inventory: &Inventory,
    to_ns: &str,
    from_ns: &str,
    from_kind: &str,
    to_kind: &str,
) -> bool {
    inventory.grants.iter().any(|(ns, grant)| {
        let Some(spec) = grant.get("spec") else {
            return false;
        };
        ns == to_ns
            && items(spec, "from").iter().any(|f| {
                f.get_str("kind") == Some(from_kind)
                    && f.get_str("namespace") == Some(from_ns)
                    && f.get_str("group") == Some(AI_GATEWAY_GROUP)
            })
            && items(spec, "to").iter().any(|t| {
                t.get_str("kind") == Some(to_kind) && t.get_str("group") == Some(AI_GATEWAY_GROUP)
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
                format!("a {} applies only to objects of its own namespace; add the AIServiceBackend or correct the name", a.object.kind),
            ));
        }
    }
}

fn backend(a: &Admitted, inventory: &Inventory, out: &mut Vec<Diagnostic>) {
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

/// The key of a Secret each policy type's controller reads, by the path
/// of the `secretRef` in the policy.
const SECRET_KEYS: &[(&str, &str)] = &[
    ("spec.apiKey.secretRef", "apiKey"),
    ("spec.azureAPIKey.secretRef", "apiKey"),
    ("spec.anthropicAPIKey.secretRef", "apiKey"),
    (
        "spec.awsCredentials.credentialsFile.secretRef",
        "credentials",
    ),
];

/// Every `secretRef` (and `clientSecretRef`) of an object, with its path.
fn secret_refs<'a>(node: &'a Node, path: &Path, out: &mut Vec<(Path, &'a Node)>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let p = path.key(&e.key);
                if (e.key == "secretRef" || e.key == "clientSecretRef")
                    && e.value.get_str("name").is_some()
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
        let ns = reference.get_str("namespace").unwrap_or(&a.namespace);
        let name_path = path.key("name");
        let Some(secret) = inventory.secrets.get(&(ns.to_string(), name)) else {
            // Not in the input: applied separately (never committed to Git).
            if let Some(((other_ns, _), _)) =
                inventory.secrets.iter().find(|((_, n), _)| *n == name)
            {
                out.push(
                    Diagnostic::new(
                        Code::SecretMismatch,
                        format!("{name_path}: Secret \"{name}\" is in the input in namespace \"{other_ns}\", not in \"{ns}\" where the {} looks for it", a.object.kind),
                    )
                    .at(a.object.node.locate(&name_path))
                    .path(&name_path)
                    .object(a.display.clone())
                    .help(format!("set secretRef.namespace to \"{other_ns}\", or move the Secret")),
                );
            }
            continue;
        };
        let shown = path.to_string();
        let Some((_, key)) = SECRET_KEYS.iter().find(|(p, _)| *p == shown) else {
            continue;
        };
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
                .at(a.object.node.locate(&name_path))
                .path(&name_path)
                .object(a.display.clone())
                .help(format!(
                    "the controller reads the key `{key}`; rename the Secret's key"
                )),
            );
        }
    }
}

/// Objects valid in the checked release that the next built-in release
/// rejects: warnings, so that an upgrade holds no surprise. From v0.1 the
/// next step is a migration (`aigw migrate`), not an upgrade hazard.
fn hazards(admitted: &[Admitted], api: &admit::Api, out: &mut Vec<Diagnostic>) {
    let Some(current) = api.line else {
        return;
    };
    if api.is_v0_1() {
        return;
    }
    let Some(next) = BUILTIN
        .iter()
        .skip_while(|r| **r != current)
        .nth(1)
        .copied()
    else {
        return;
    };
    let Ok(next_api) = Release::api(next) else {
        return;
    };
    for a in admitted {
        let Some(schema) = next_api.schema(&a.object.api_version, &a.object.kind) else {
            continue;
        };
        let (_, findings) = admit::check::admit(&a.object.node, schema);
        for u in &findings.unknown {
            out.push(
                Diagnostic::new(
                    Code::UpgradeHazard,
                    format!(
                        "{}: defined in {}, removed in {}",
                        u.path, current.version, next.line
                    ),
                )
                .at(a.object.node.locate(&u.path))
                .path(&u.path)
                .object(a.display.clone())
                .help(format!(
                    "`aigw migrate --to {}` moves it, where it can be moved",
                    next.line
                )),
            );
        }
        for v in &findings.violations {
            out.push(
                Diagnostic::new(
                    Code::UpgradeHazard,
                    format!(
                        "{}: {}: valid in {}, rejected from {}",
                        v.path,
                        v.shown(),
                        current.version,
                        next.line
                    ),
                )
                .at(a.object.node.locate(&v.path))
                .path(&v.path)
                .object(a.display.clone())
                .help(format!(
                    "change it before upgrading the controller to {}",
                    next.line
                )),
            );
        }
    }
}
