//! Limits of the generated objects (SPEC 3.3 E-output-invalid): anything
//! the API server would reject in what aigw writes, reported at the input
//! field that causes it.

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::Path;
use crate::model::catalog::{Catalog, Item};
use crate::model::AIGatewayRoute;
use crate::translate::{self, extproc_name, volume_name, RouteContext};

use super::metadata::is_dns_label;

/// HTTPRoute limits (Gateway API v1.2.1). Its limit of 128 matches in
/// total cannot be reached: every generated rule has one match, so the
/// 16-rule limit binds first.
const MAX_HTTPROUTE_RULES: usize = 16;
const MAX_PARENT_REFS: usize = 32;
/// ConfigMap data limit.
const MAX_CONFIGMAP_BYTES: usize = 1024 * 1024;
/// Groups and kinds an EnvoyExtensionPolicy may target (Envoy Gateway v1.3).
const POLICY_TARGET_GROUP: &str = "gateway.networking.k8s.io";
const POLICY_TARGET_KINDS: [&str; 6] = [
    "Gateway",
    "HTTPRoute",
    "GRPCRoute",
    "UDPRoute",
    "TCPRoute",
    "TLSRoute",
];

fn invalid(route: &Item<AIGatewayRoute>, path: &Path, message: String, help: String) -> Diagnostic {
    Diagnostic::new(Code::InvalidOutput, format!("{path}: {message}"))
        .at(route.locate(path))
        .path(path)
        .object(route.display.clone())
        .help(help)
}

pub fn check(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let options = translate::ExtprocOptions::default();
    for route in catalog.routes.values() {
        let ctx = RouteContext::new(route, catalog, &options);
        names(route, out);
        volumes(&ctx, out);
        http_route_limits(&ctx, out);
        policy_targets(route, out);
        deployment_fields(route, out);
    }
}

/// The Service (a DNS-1035 label) and container names, and the `app` label
/// value, are the extproc name: at most 63 characters.
fn names(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    let name = extproc_name(&route.name);
    let path = Path::parse("metadata.name");
    if name.len() > 63 {
        out.push(invalid(
            route,
            &path,
            format!("the generated Service, container and label value \"{name}\" is {} characters long; the limit is 63", name.len()),
            format!("shorten the route name to at most {} characters", 63 - translate::EXTPROC_PREFIX.len()),
        ));
    } else if !is_dns_label(&name) {
        out.push(invalid(
            route,
            &path,
            format!("the generated Service and container name \"{name}\" is not a DNS-1123 label"),
            "use only lowercase letters, digits and '-' in the route name (no '.')".into(),
        ));
    }
}

/// Secret volume names are DNS-1123 labels.
fn volumes(ctx: &RouteContext, out: &mut Vec<Diagnostic>) {
    for r in ctx.refs() {
        let Some(policy) = r.policy else { continue };
        let volume = volume_name(r.rule, r.index, &policy.name);
        if is_dns_label(&volume) {
            continue;
        }
        let path = Path::parse("spec.rules")
            .index(r.rule)
            .key("backendRefs")
            .index(r.index)
            .key("name");
        let why = if volume.len() > 63 {
            format!("is {} characters long; the limit is 63", volume.len())
        } else {
            "is not a DNS-1123 label".to_string()
        };
        out.push(invalid(
            ctx.route,
            &path,
            format!(
                "the generated Secret volume \"{volume}\" (for BackendSecurityPolicy \"{}\") {why}",
                policy.name
            ),
            "use a shorter BackendSecurityPolicy name made of lowercase letters, digits and '-'"
                .into(),
        ));
    }
}

fn http_route_limits(ctx: &RouteContext, out: &mut Vec<Diagnostic>) {
    let route = ctx.route;
    let backends = ctx.distinct_backends().len();
    let rules = if backends == 0 { 0 } else { backends + 1 };
    if rules > MAX_HTTPROUTE_RULES {
        out.push(invalid(
            route,
            &Path::parse("spec.rules"),
            format!("the route uses {backends} distinct backends, so its HTTPRoute would have {rules} rules; Gateway API allows {MAX_HTTPROUTE_RULES}"),
            format!("use at most {} distinct AIServiceBackends per route, or split the route", MAX_HTTPROUTE_RULES - 1),
        ));
    }
    let parents = route.value.spec.target_refs.len();
    if parents > MAX_PARENT_REFS {
        out.push(invalid(
            route,
            &Path::parse("spec.targetRefs"),
            format!("the HTTPRoute would have {parents} parentRefs; Gateway API allows {MAX_PARENT_REFS}"),
            format!("target at most {MAX_PARENT_REFS} Gateways per route"),
        ));
    }
    // Gateway API rejects an HTTPRoute whose parentRefs repeat a (name,
    // sectionName) pair; every parentRef is a Gateway of the route's namespace.
    let refs = &route.value.spec.target_refs;
    for (t, target) in refs.iter().enumerate() {
        let key = |r: &crate::model::route::TargetRef| (r.name.clone(), r.section_name.clone());
        if let Some(first) = refs.iter().take(t).position(|r| key(r) == key(target)) {
            out.push(invalid(
                route,
                &Path::parse("spec.targetRefs").index(t),
                format!("targetRefs {first} and {t} name the same Gateway \"{}\"{}, so the HTTPRoute would repeat a parentRef, which Gateway API rejects", target.name, target.section_name.as_deref().map(|s| format!(" (sectionName {s})")).unwrap_or_default()),
                "remove the repeated targetRef".into(),
            ));
        }
    }
}

fn policy_targets(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    for (t, target) in route.value.spec.target_refs.iter().enumerate() {
        let base = Path::parse("spec.targetRefs").index(t);
        if target.group != POLICY_TARGET_GROUP {
            out.push(invalid(
                route,
                &base.key("group"),
                format!("the EnvoyExtensionPolicy can only target group {POLICY_TARGET_GROUP}, found \"{}\"", target.group),
                format!("set `group: {POLICY_TARGET_GROUP}`"),
            ));
        }
        if target.kind != "Gateway" && POLICY_TARGET_KINDS.contains(&target.kind.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::TargetNotGateway,
                    format!("{}: the extension policy would attach to {} \"{}\", but the generated HTTPRoute's parentRef \"{}\" means a Gateway (parentRefs default to kind Gateway), so the two disagree", base.key("kind"), target.kind, target.name, target.name),
                )
                .at(route.locate(&base.key("kind")))
                .path(base.key("kind"))
                .object(route.display.clone())
                .help("AIGatewayRoute targetRefs name Gateways: set `kind: Gateway` and the Gateway's name"),
            );
        }
        if !POLICY_TARGET_KINDS.contains(&target.kind.as_str()) {
            out.push(invalid(
                route,
                &base.key("kind"),
                format!(
                    "the EnvoyExtensionPolicy can only target kinds {}, found \"{}\"",
                    POLICY_TARGET_KINDS.join("/"),
                    target.kind
                ),
                "set `kind: Gateway`".into(),
            ));
        }
    }
}

/// Deployment fields the apps/v1 and core/v1 validation rejects.
fn deployment_fields(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    let Some(external) = route
        .value
        .spec
        .filter_config
        .as_ref()
        .and_then(|f| f.external_processor.as_ref())
    else {
        return;
    };
    let base = Path::parse("spec.filterConfig.externalProcessor");
    if let Some(replicas) = external.replicas.filter(|r| *r < 0) {
        out.push(invalid(
            route,
            &base.key("replicas"),
            format!("the extproc Deployment would have replicas {replicas}; Kubernetes requires 0 or more"),
            "set replicas to 0 or more, or omit it for the default of 1".into(),
        ));
    }
    let Some(resources) = &external.resources else {
        return;
    };
    let amounts = |field: &str| -> Vec<(String, Option<f64>, Path)> {
        let map = if field == "limits" {
            &resources.limits
        } else {
            &resources.requests
        };
        map.iter()
            .flatten()
            .map(|(name, q)| {
                (
                    name.clone(),
                    quantity(&q.0),
                    base.key("resources").key(field).key(name),
                )
            })
            .collect()
    };
    let (limits, requests) = (amounts("limits"), amounts("requests"));
    for (name, value, path) in limits.iter().chain(&requests) {
        if value.is_some_and(|v| v < 0.0) {
            out.push(invalid(
                route,
                path,
                format!("the extproc container would request a negative amount of {name}"),
                "resource quantities must be 0 or more".into(),
            ));
        }
    }
    for (name, request, path) in &requests {
        let limit = limits
            .iter()
            .find(|(n, _, _)| n == name)
            .and_then(|(_, v, _)| *v);
        if let (Some(request), Some(limit)) = (request, limit) {
            if *request > limit {
                out.push(invalid(
                    route,
                    path,
                    format!("the extproc container's {name} request is greater than its limit"),
                    format!("lower requests.{name} or raise limits.{name}: a request must not exceed its limit"),
                ));
            }
        }
    }
}

/// The numeric value of a Kubernetes quantity (`500m`, `1Gi`, `2e3`, 4).
fn quantity(value: &serde_json::Value) -> Option<f64> {
    let text = match value {
        serde_json::Value::Number(n) => return n.as_f64(),
        serde_json::Value::String(s) => s.as_str(),
        _ => return None,
    };
    let suffixes: [(&str, f64); 13] = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
    ];
    for (suffix, scale) in suffixes.iter().chain(&[("P", 1e15), ("E", 1e18)]) {
        if let Some(number) = text.strip_suffix(suffix) {
            return number.parse::<f64>().ok().map(|n| n * scale);
        }
    }
    text.parse::<f64>().ok()
}

/// Checks on the rendered objects themselves (sizes only known after rendering).
pub fn check_rendered(
    rendered: &[translate::Rendered],
    catalog: &Catalog,
    out: &mut Vec<Diagnostic>,
) {
    for object in rendered {
        let (Some(key), Some(size)) = (&object.route, object.config_bytes) else {
            continue;
        };
        if size > MAX_CONFIGMAP_BYTES {
            if let Some(route) = catalog.routes.get(key) {
                out.push(invalid(
                    route,
                    &Path::parse("spec"),
                    format!("the extproc ConfigMap would hold {size} bytes; Kubernetes allows {MAX_CONFIGMAP_BYTES}"),
                    "split the route into several routes with fewer rules".into(),
                ));
            }
        }
    }
}
