//! What a kind, version or field that the checked API lacks was in other
//! releases: added later, removed or renamed earlier. The field index
//! ([`Index`]) holds every release from v0.1.5 on, end-of-life ones too.

use strsim::jaro_winkler;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};
use crate::load::Object;

use super::check::Unknown;
use super::release::{line_of, Api, Index, Release, BUILTIN};

/// Fields upstream moved, by kind and field shape: where the setting
/// lives from the release that removed the old field on.
const MOVED: &[(&str, &str, &str)] = &[
    ("AIGatewayRoute", "spec.targetRefs", "spec.parentRefs"),
    (
        "AIGatewayRoute",
        "spec.schema",
        "the schema of each AIServiceBackend (spec.schema); clients speak OpenAI",
    ),
    (
        "AIGatewayRoute",
        "spec.filterConfig",
        "a GatewayConfig, selected by the Gateway's annotation aigateway.envoyproxy.io/gateway-config",
    ),
    (
        "AIGatewayRoute",
        "spec.filterConfig.externalProcessor.replicas",
        "a GatewayConfig (the extproc runs as a sidecar of the Envoy pod)",
    ),
    (
        "AIServiceBackend",
        "spec.backendSecurityPolicyRef",
        "spec.targetRefs of the BackendSecurityPolicy, naming this backend",
    ),
    (
        "AIServiceBackend",
        "spec.timeouts",
        "spec.rules[].timeouts of the AIGatewayRoutes that use this backend",
    ),
];

fn moved_to(kind: &str, shape: &str) -> Option<&'static str> {
    MOVED
        .iter()
        .find(|(k, from, _)| *k == kind && *from == shape)
        .map(|(_, _, to)| *to)
}

/// How the releases of `mask` relate to the checked one: `came in vX`,
/// `was removed in vY`, or `exists in ...`.
fn relation(index: &Index, mask: u32, checked: Option<&str>) -> String {
    let names = index.names(mask);
    let at = checked.and_then(|c| index.releases.iter().position(|r| *r == c));
    let position = |name: &str| index.releases.iter().position(|r| *r == name);
    let first = names.first().copied().unwrap_or("");
    let last = names.last().copied().unwrap_or("");
    match (at, position(first), position(last)) {
        (Some(at), Some(f), _) if f > at => format!("came in {}", line_of(first)),
        (Some(at), _, Some(l)) if l < at => match index.releases.get(l + 1) {
            Some(next) => format!("was removed in {}", line_of(next)),
            None => format!("exists only up to {}", line_of(last)),
        },
        _ => {
            let lines: Vec<&str> = names.iter().map(|n| line_of(n)).collect();
            format!("exists in {}", lines.join(", "))
        }
    }
}

fn checked_version(api: &Api) -> Option<&str> {
    api.line.map(|r| r.version)
}

/// The help every release diagnostic ends with.
fn release_help(api: &Api, why: &str) -> String {
    format!(
        "this run checks {} ({why}); `--release vX.Y` checks another release, and `aigw migrate` moves manifests forward",
        api.label
    )
}

/// A kind, or a version of it, that `api` does not serve.
pub fn unserved(object: &Object, api: &Api, index: Option<&Index>, why: &str) -> Diagnostic {
    let (group, version) = object.api_version.split_once('/').unwrap_or(("", ""));
    let key = format!("{}/{version}", object.kind);
    let mask = index
        .and_then(|i| i.kind(&key))
        .and_then(|f| f.get(""))
        .unwrap_or(0);
    let what = if api.crd(group, &object.kind).is_some() {
        format!("version {version} of {}", object.kind)
    } else {
        format!("kind {}", object.kind)
    };
    if let (Some(index), true) = (index, mask != 0) {
        let path = Path::parse(if what.starts_with("version") {
            "apiVersion"
        } else {
            "kind"
        });
        return Diagnostic::new(
            Code::ReleaseField,
            format!(
                "{} {}; this run checks {}",
                match what.strip_prefix("version ") {
                    Some(_) => format!("apiVersion {} of {}", object.api_version, object.kind),
                    None => what.clone(),
                },
                relation(index, mask, checked_version(api)),
                api.label
            ),
        )
        .at(object.node.locate(&path))
        .path(&path)
        .help(release_help(api, why));
    }
    let served: Vec<String> = api
        .crds()
        .iter()
        .filter(|c| c.names.kind == object.kind)
        .flat_map(|c| {
            c.versions
                .iter()
                .filter(|v| v.served)
                .map(move |v| format!("{}/{}", c.group, v.name))
        })
        .collect();
    let (path, help) = if !served.is_empty() {
        (
            "apiVersion",
            format!(
                "{} serves {} as {}",
                api.label,
                object.kind,
                served.join(", ")
            ),
        )
    } else {
        let kinds: Vec<&str> = api.crds().iter().map(|c| c.names.kind.as_str()).collect();
        let close = kinds
            .iter()
            .copied()
            .filter(|k| jaro_winkler(k, &object.kind) > 0.85)
            .max_by(|a, b| jaro_winkler(a, &object.kind).total_cmp(&jaro_winkler(b, &object.kind)));
        let help = match close {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("the kinds of {} are {}", api.label, kinds.join(", ")),
        };
        ("kind", help)
    };
    let path = Path::parse(path);
    Diagnostic::new(
        Code::UnknownKind,
        format!(
            "no kind \"{}\" in version \"{}\"",
            object.kind, object.api_version
        ),
    )
    .at(object.node.locate(&path))
    .path(&path)
    .help(help)
}

/// A field the checked schema does not define: from another release
/// (AIGW021), or unknown to every release (AIGW010).
pub fn unknown_field(
    kind: &str,
    node: &Node,
    unknown: &Unknown,
    api: &Api,
    index: Option<&Index>,
    why: &str,
) -> Diagnostic {
    // Any version of the kind: a field of v1alpha1 that v1beta1 never had
    // is still a field of another release.
    let mask = index.map_or(0, |i| i.any_version(kind, &unknown.shape));
    let span = node.locate_key(&unknown.path);
    let shown = unknown.shape.replace("[]", "[*]");
    if let (Some(index), true) = (index, mask != 0) {
        let relation = relation(index, mask, checked_version(api));
        let mut message = format!("{shown} {relation}; this run checks {}", api.label);
        if relation.starts_with("was removed") {
            if let Some(to) = moved_to(kind, &unknown.shape) {
                message = format!(
                    "{shown} {relation}: use {to}; this run checks {}",
                    api.label
                );
            }
        }
        return Diagnostic::new(Code::ReleaseField, message)
            .at(span)
            .path(&unknown.path)
            .help(release_help(api, why));
    }
    let field = unknown.path.0.last().map_or(String::new(), |s| match s {
        crate::load::node::Seg::Key(k) => k.clone(),
        crate::load::node::Seg::Index(i) => i.to_string(),
    });
    Diagnostic::new(
        Code::UnknownField,
        format!("{}: unknown field \"{field}\"", unknown.path),
    )
    .at(span)
    .path(&unknown.path)
    .help(suggest(&field, &unknown.known).unwrap_or_else(|| {
        format!(
            "{} defines no such field here (strict decoding, as `kubectl apply --validate=strict`); the fields here are {}",
            api.label,
            unknown.known.join(", ")
        )
    }))
}

/// `did you mean `x`?` for a field name close to one the schema defines.
fn suggest(field: &str, known: &[String]) -> Option<String> {
    known
        .iter()
        .map(|k| {
            (
                jaro_winkler(&k.to_ascii_lowercase(), &field.to_ascii_lowercase()),
                k,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("did you mean `{k}`?"))
}

/// For the v0.1 path, whose own schema checks report unknown fields: an
/// AIGW010 on a field that another release defines becomes AIGW021, with
/// that release's history instead of advice about v0.1's fields.
pub fn explain_v0_1_unknown(d: &mut Diagnostic, api: &Api, index: &Index, why: &str) {
    if d.code != Code::UnknownField {
        return;
    }
    let (Some(object), Some(path)) = (d.object.as_deref(), d.path.as_deref()) else {
        return;
    };
    let kind = object.split(' ').next().unwrap_or("");
    let shape = crate::load::node::unindexed(path);
    let mask = index.any_version(kind, &shape);
    if mask == 0 {
        return;
    }
    let relation = relation(index, mask, checked_version(api));
    let shown = shape.replace("[]", "[*]");
    d.code = Code::ReleaseField;
    d.severity = Code::ReleaseField.severity();
    d.message = match (relation.starts_with("was removed"), moved_to(kind, &shape)) {
        (true, Some(to)) => format!(
            "{shown} {relation}: use {to}; this run checks {}",
            api.label
        ),
        _ => format!("{shown} {relation}; this run checks {}", api.label),
    };
    d.help = Some(release_help(api, why));
}

/// The built-in release after the checked one, whose API an object valid
/// now is checked against: what it rejects is an upgrade hazard. None from
/// v0.1 (its next step is a migration, `aigw migrate`) and from the newest.
pub struct Upgrade {
    current: Release,
    next: Release,
    api: Api,
}

impl Upgrade {
    pub fn after(api: &Api) -> Option<Upgrade> {
        let current = api.line?;
        if api.is_v0_1() {
            return None;
        }
        let next = BUILTIN
            .iter()
            .skip_while(|r| **r != current)
            .nth(1)
            .copied()?;
        Some(Upgrade {
            current,
            next,
            api: Release::api(next).ok()?,
        })
    }

    /// The hazards of one admitted object, as written: warnings, so that
    /// an upgrade holds no surprise.
    pub fn hazards(&self, object: &Object, display: &str, out: &mut Vec<Diagnostic>) {
        let node = &object.node;
        let Some(schema) = self.api.schema(&object.api_version, &object.kind) else {
            return;
        };
        let (current, next) = (self.current.version, self.next.line);
        let (_, findings) = super::check::admit(node.clone(), schema);
        for u in &findings.unknown {
            out.push(
                Diagnostic::new(
                    Code::UpgradeHazard,
                    format!("{}: defined in {current}, removed in {next}", u.path),
                )
                .at(node.locate(&u.path))
                .path(&u.path)
                .object(display.to_string())
                .help(format!(
                    "`aigw migrate --to {next}` moves it, where it can be moved"
                )),
            );
        }
        for v in &findings.violations {
            out.push(
                Diagnostic::new(
                    Code::UpgradeHazard,
                    format!(
                        "{}: {}: valid in {current}, rejected from {next}",
                        v.path,
                        v.shown(),
                    ),
                )
                .at(node.locate(&v.path))
                .path(&v.path)
                .object(display.to_string())
                .help(format!(
                    "change it before upgrading the controller to {next}"
                )),
            );
        }
    }
}
