//! Cross-object and semantic checks (SPEC 3.2–3.4): references, match
//! shapes the v0.1 filter cannot express, cost expressions, policy shapes,
//! Secret namespaces, shared Gateways, and the warnings.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::Path;
use crate::model::catalog::{Catalog, Item};
use crate::model::policy::PolicyType;
use crate::model::route::{CostType, FilterType, RouteRule};
use crate::model::{AIGatewayRoute, BackendSecurityPolicy, Kind};

use super::cel_cost;

pub fn check(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for backend in catalog.backends.values() {
        if let Some(reference) = &backend.value.spec.backend_security_policy_ref {
            if catalog.is_missing(Kind::Policy, &backend.namespace, &reference.name) {
                let path = Path::parse("spec.backendSecurityPolicyRef.name");
                out.push(
                    diag(
                        backend,
                        Code::UnresolvedReference,
                        &path,
                        format!(
                            "BackendSecurityPolicy \"{}\" not found in namespace \"{}\"{}",
                            reference.name,
                            backend.namespace,
                            elsewhere(
                                catalog.policies.keys(),
                                &reference.name,
                                &backend.namespace,
                                "backend's"
                            ),
                        ),
                    )
                    .help(suggest_help(
                        &reference.name,
                        catalog
                            .policies
                            .keys()
                            .filter(|k| k.0 == backend.namespace)
                            .map(|k| k.1.as_str()),
                    )),
                );
            }
        }
    }
    for policy in catalog.policies.values() {
        policy_shape(policy, out);
    }
    for route in catalog.routes.values() {
        route_checks(route, catalog, out);
    }
    shared_gateways(catalog, out);
}

fn diag<T>(item: &Item<T>, code: Code, path: &Path, message: String) -> Diagnostic {
    Diagnostic::new(code, format!("{path}: {message}"))
        .at(item.locate(path))
        .path(path)
        .object(item.display.clone())
}

/// `; it is in namespace "x" ...` when an object of that name exists in
/// other namespaces of the input: references never leave their namespace.
fn elsewhere<'a>(
    keys: impl Iterator<Item = &'a (String, String)>,
    name: &str,
    namespace: &str,
    whose: &str,
) -> String {
    let found: Vec<String> = keys
        .filter(|(ns, n)| n == name && ns != namespace)
        .map(|(ns, _)| format!("\"{ns}\""))
        .collect();
    match found.as_slice() {
        [] => String::new(),
        [one] => format!("; the input has one in namespace {one}, but references resolve only in the {whose} own namespace"),
        many => format!("; the input has one in namespaces {}, but references resolve only in the {whose} own namespace", many.join(", ")),
    }
}

/// A diagnostic about the field `path`, underlining its child `at` (a
/// whole rule would underline many lines).
fn at<T>(item: &Item<T>, code: Code, path: &Path, at: &Path, message: String) -> Diagnostic {
    diag(item, code, path, message).at(item.locate(at))
}

fn suggest_help<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let candidates: Vec<&str> = candidates.collect();
    match super::schema::suggest(name, candidates.iter().copied()) {
        Some(close) => format!("did you mean \"{close}\"?"),
        None if candidates.is_empty() => "no object of that kind is in this namespace of the input; add it, or check the namespace".into(),
        None => format!("known in this namespace: {}", candidates.join(", ")),
    }
}

fn policy_shape(policy: &Item<BackendSecurityPolicy>, out: &mut Vec<Diagnostic>) {
    let spec = &policy.value.spec;
    let mut shape = |path: &str, message: &str, help: &str| {
        out.push(
            diag(
                policy,
                Code::PolicyShape,
                &Path::parse(path),
                message.into(),
            )
            .help(help.to_string()),
        );
    };
    match spec.policy_type {
        PolicyType::APIKey if spec.api_key.is_none() => shape(
            "spec",
            "type APIKey requires the apiKey field",
            "add apiKey.secretRef naming the Secret that holds the key under `apiKey`",
        ),
        PolicyType::AWSCredentials => match &spec.aws_credentials {
            None => shape(
                "spec",
                "type AWSCredentials requires the awsCredentials field",
                "add awsCredentials with a region and either credentialsFile or oidcExchangeToken",
            ),
            Some(aws) => match (&aws.credentials_file, &aws.oidc_exchange_token) {
                (None, None) => shape(
                    "spec.awsCredentials",
                    "awsCredentials needs either credentialsFile or oidcExchangeToken",
                    "add credentialsFile.secretRef (a Secret with a `credentials` file) or oidcExchangeToken",
                ),
                (Some(_), Some(_)) => out.push(
                    diag(
                        policy,
                        Code::AwsCredentialsBoth,
                        &Path::parse("spec.awsCredentials.oidcExchangeToken"),
                        "awsCredentials sets both credentialsFile and oidcExchangeToken; the credentials file is used and the OIDC exchange is ignored".into(),
                    )
                    .help("remove oidcExchangeToken (or credentialsFile) so the manifest says what is deployed"),
                ),
                (None, Some(_)) => out.push(
                    diag(
                        policy,
                        Code::OidcSecret,
                        &Path::parse("spec.awsCredentials.oidcExchangeToken"),
                        format!(
                            "the extproc pod mounts Secret \"ai-eg-bsp-{}\", which the in-cluster credential rotator writes at run time; an offline render can only reference it",
                            policy.name
                        ),
                    )
                    .help("make sure the AI Gateway controller's rotator runs in the cluster, or create that Secret yourself"),
                ),
                (Some(_), None) => {}
            },
        },
        PolicyType::APIKey => {}
    }
}

fn route_checks(route: &Item<AIGatewayRoute>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    section_names(route, out);
    backend_refs(route, catalog, out);
    matches(route, out);
    dead_rules(route, out);
    costs(route, out);
    filter_type(route, out);
}

fn section_names(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    for (t, target) in route.value.spec.target_refs.iter().enumerate() {
        if target.section_name.is_some() {
            let path = Path::parse("spec.targetRefs").index(t).key("sectionName");
            out.push(
                diag(route, Code::SectionName, &path, "sectionName cannot be set on the EnvoyExtensionPolicy; it is dropped there (the filter runs for the whole Gateway) and kept in the HTTPRoute's parentRefs".into())
                    .help("remove sectionName to silence this warning, or accept that the extproc filter applies to every listener of the Gateway"),
            );
        }
    }
}

/// References to backends, the Secrets their policies mount, and weights.
fn backend_refs(route: &Item<AIGatewayRoute>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let spec = &route.value.spec;
    let ns = &route.namespace;
    let mut checked_policies: Vec<&str> = Vec::new();
    for (i, rule) in spec.rules.iter().enumerate() {
        let refs_path = Path::parse("spec.rules").index(i).key("backendRefs");
        let refs = rule.backend_refs.as_deref().unwrap_or(&[]);
        for (j, r) in refs.iter().enumerate() {
            let path = refs_path.index(j).key("name");
            if catalog.is_missing(Kind::Backend, ns, &r.name) {
                let known = catalog
                    .backends
                    .keys()
                    .filter(|k| &k.0 == ns)
                    .map(|k| k.1.as_str());
                out.push(
                    diag(
                        route,
                        Code::UnresolvedReference,
                        &path,
                        format!(
                            "AIServiceBackend \"{}\" not found in namespace \"{ns}\"{}",
                            r.name,
                            elsewhere(catalog.backends.keys(), &r.name, ns, "route's"),
                        ),
                    )
                    .help(suggest_help(&r.name, known)),
                );
            }
            // One report per policy and route, at its first use.
            let policy = catalog
                .backend(ns, &r.name)
                .and_then(|b| catalog.policy_of(b));
            if let Some(p) = policy.filter(|p| !checked_policies.contains(&p.name.as_str())) {
                checked_policies.push(&p.name);
                secret_namespace(route, p, &path, out);
            }
        }
        if refs.len() > 1 && refs.iter().all(|r| r.weight == 0) {
            out.push(
                diag(
                    route,
                    Code::ZeroWeights,
                    &refs_path,
                    format!(
                        "all {} backends have weight 0, so traffic is split among them at random",
                        refs.len()
                    ),
                )
                .help("give the backends positive weights to control the split"),
            );
        }
    }
    if spec
        .rules
        .iter()
        .all(|r| r.backend_refs.as_deref().unwrap_or(&[]).is_empty())
    {
        let path = Path::parse(if spec.rules.is_empty() {
            "spec.rules"
        } else {
            "spec"
        });
        out.push(
            diag(
                route,
                Code::NoBackends,
                &path,
                "the route has no backendRefs: its HTTPRoute gets no rules and serves no traffic"
                    .into(),
            )
            .help("add backendRefs to at least one rule"),
        );
    }
}

/// Match shapes the v0.1 filter cannot express, and rules it shadows.
fn matches(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    let rules_path = Path::parse("spec.rules");
    // (header name, value) -> the last (rule, match) that matches it
    let mut seen: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for (i, rule) in route.value.spec.rules.iter().enumerate() {
        for (k, m) in rule.matches.iter().flatten().enumerate() {
            let match_path = rules_path.index(i).key("matches").index(k);
            let headers = m.headers.as_deref().unwrap_or(&[]);
            let header = match headers {
                [] => {
                    out.push(
                        diag(route, Code::EmptyMatch, &match_path, "a match entry must have exactly one header".into())
                            .help("add a header, e.g. `headers: [{name: x-ai-eg-model, value: gpt-4o-mini}]`, or remove the empty entry"),
                    );
                    continue;
                }
                [header] => header,
                [_, ..] => {
                    out.push(
                        diag(route, Code::MultiHeaderMatch, &match_path.key("headers").index(1), format!(
                            "a match entry has {} headers, but the v0.1 filter matches only the first of each entry (upstream silently ignores the rest)",
                            headers.len()
                        ))
                        .help("split the headers into separate match entries (they are ORed); AND across headers is not supported in v0.1"),
                    );
                    continue;
                }
            };
            if header.name.chars().any(|c| c.is_ascii_uppercase()) {
                out.push(
                    diag(route, Code::HeaderNameCase, &match_path.key("headers").index(0).key("name"), format!(
                        "header name \"{}\" has uppercase letters; Envoy hands the filter lowercase header names and the v0.1 filter compares them exactly, so this match never fires",
                        header.name
                    ))
                    .help(format!("write it in lowercase: `name: {}`", header.name.to_ascii_lowercase())),
                );
            }
            let key = (header.name.clone(), header.value.clone());
            if let Some(&(first_rule, first_match)) = seen.get(&key).filter(|(r, _)| *r != i) {
                let first_path = rules_path
                    .index(first_rule)
                    .key("matches")
                    .index(first_match);
                out.push(
                    diag(route, Code::ShadowedRule, &first_path, format!(
                        "rules {first_rule} and {i} both match {}: {}; the v0.1 filter evaluates every rule and the last match wins, so rule {first_rule} never gets this traffic",
                        header.name, header.value
                    ))
                    .related(format!("rule {i} matches the same header here"), route.locate(&match_path))
                    .help("remove one of the two matches, or merge the rules' backendRefs"),
                );
            }
            if seen.get(&key).is_none_or(|(r, _)| *r != i) {
                seen.insert(key, (i, k));
            }
        }
    }
}

/// Rules the v0.1 filter never selects, or selects only to answer 404. A
/// route without any backends is reported once, as AIGW052, instead.
fn dead_rules(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    let rules = &route.value.spec.rules;
    let has_backends = |r: &RouteRule| r.backend_refs.as_deref().is_some_and(|b| !b.is_empty());
    let route_has_backends = rules.iter().any(has_backends);
    for (i, rule) in rules.iter().enumerate() {
        let path = Path::parse("spec.rules").index(i);
        let has_matches = rule.matches.as_deref().is_some_and(|m| !m.is_empty());
        match (has_matches, has_backends(rule)) {
            (false, true) => out.push(
                at(route, Code::RuleWithoutMatches, &path, &path.key("backendRefs"), "the rule has backendRefs but no matches; the v0.1 filter selects a rule only by a match header, so this rule never gets traffic (unlike a Gateway API rule, it is no catch-all)".into())
                    .help("add the header values this rule serves, e.g. `matches: [{headers: [{name: x-ai-eg-model, value: gpt-4o-mini}]}]`; v0.1 has no default rule"),
            ),
            (true, false) if route_has_backends => out.push(
                at(route, Code::RuleWithoutBackends, &path, &path.key("matches"), "the rule has no backendRefs, so the requests it matches get a 404; the last matching rule wins, so this also takes those requests from earlier rules".into())
                    .help("add backendRefs to the rule, or remove it"),
            ),
            (false, false) if route_has_backends => out.push(
                diag(route, Code::RuleWithoutBackends, &path, "the rule has neither matches nor backendRefs and does nothing".into())
                    .help("remove the rule, or give it matches and backendRefs"),
            ),
            _ => {}
        }
    }
}

fn costs(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    for (k, cost) in route
        .value
        .spec
        .llm_request_costs
        .iter()
        .flatten()
        .enumerate()
    {
        let path = Path::parse("spec.llmRequestCosts").index(k);
        match (cost.cost_type, cost.cel.as_deref()) {
            (CostType::Cel, None | Some("")) => out.push(
                diag(
                    route,
                    Code::CostExpression,
                    &path,
                    "type CEL requires a `cel` expression".into(),
                )
                .help("add e.g. `cel: input_tokens + output_tokens`"),
            ),
            (CostType::Cel, Some(expr)) => {
                if let Err(err) = cel_cost::check_cost_expression(expr) {
                    out.push(
                        diag(route, Code::CostExpression, &path.key("cel"), err.to_string())
                            .help("variables: model, backend (string); input_tokens, output_tokens, total_tokens (uint). Use uint literals with uint variables, e.g. `input_tokens * 2u`; the result must be a non-negative integer"),
                    );
                }
            }
            (_, Some(cel)) if !cel.is_empty() => out.push(
                diag(
                    route,
                    Code::CelIgnored,
                    &path.key("cel"),
                    "`cel` is ignored because the cost type is not CEL".into(),
                )
                .help("set `type: CEL` to use the expression, or remove `cel`"),
            ),
            (_, _) => {}
        }
    }
}

fn filter_type(route: &Item<AIGatewayRoute>, out: &mut Vec<Diagnostic>) {
    let filter = route.value.spec.filter_config.as_ref();
    if filter.is_some_and(|f| f.filter_type == FilterType::DynamicModule) {
        out.push(
            diag(
                route,
                Code::DynamicModule,
                &Path::parse("spec.filterConfig.type"),
                "DynamicModule is reserved; v0.1 deploys the external processor anyway".into(),
            )
            .help("use `type: ExternalProcessor` (the default) to state what is deployed"),
        );
    }
}

/// A pod can mount only Secrets of its own namespace.
fn secret_namespace(
    route: &Item<AIGatewayRoute>,
    policy: &Item<BackendSecurityPolicy>,
    ref_path: &Path,
    out: &mut Vec<Diagnostic>,
) {
    let spec = &policy.value.spec;
    let refs = [
        (
            "spec.apiKey.secretRef.namespace",
            spec.api_key.as_ref().map(|k| &k.secret_ref),
        ),
        (
            "spec.awsCredentials.credentialsFile.secretRef.namespace",
            spec.aws_credentials
                .as_ref()
                .and_then(|a| a.credentials_file.as_ref())
                .map(|f| &f.secret_ref),
        ),
    ];
    for (path, secret) in refs {
        let Some(namespace) = secret.and_then(|s| s.namespace.as_deref()) else {
            continue;
        };
        if namespace != route.namespace {
            let path = Path::parse(path);
            out.push(
                diag(policy, Code::SecretNamespace, &path, format!(
                    "the Secret is in namespace \"{namespace}\", but {} mounts it from an extproc pod in namespace \"{}\"; a pod can mount only Secrets of its own namespace",
                    route.display, route.namespace
                ))
                .related(format!("used by {} here", route.display), route.locate(ref_path))
                .help(format!("copy the Secret to namespace \"{}\" and drop `namespace` from the secretRef", route.namespace)),
            );
        }
    }
}

/// The v0.1 data plane supports one AIGatewayRoute per Gateway.
fn shared_gateways(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let mut owners: BTreeMap<(String, String), (&Item<AIGatewayRoute>, usize)> = BTreeMap::new();
    for route in catalog.routes.values().map(|r| &**r) {
        for (t, target) in route.value.spec.target_refs.iter().enumerate() {
            let key = (
                route.namespace.clone(),
                format!("{}/{}/{}", target.group, target.kind, target.name),
            );
            let path = Path::parse("spec.targetRefs").index(t).key("name");
            match owners.get(&key) {
                Some((first, first_t)) if !std::ptr::eq(*first, route) => out.push(
                    diag(route, Code::SharedGateway, &path, format!(
                        "Gateway \"{}\" is already targeted by {}; v0.1 supports one AIGatewayRoute per Gateway (Envoy Gateway applies only one of the two extension policies)",
                        target.name, first.display
                    ))
                    .related(format!("{} targets it here", first.display), first.locate(&Path::parse("spec.targetRefs").index(*first_t).key("name")))
                    .help("merge the two routes' rules into one AIGatewayRoute, or give each route its own Gateway"),
                ),
                Some(_) => {}
                None => {
                    owners.insert(key, (route, t));
                }
            }
        }
    }
}
