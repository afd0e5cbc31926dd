//! Property: for every valid testdata case, every rendered object satisfies
//! the schema of its own kind — the upstream Gateway API and Envoy Gateway
//! CRDs for HTTPRoute, EnvoyExtensionPolicy and HTTPRouteFilter (read from
//! `../shared/reference/` at test time), CEL rules (`x-kubernetes-validations`)
//! included, after the CRD defaults are applied as the API server would; and
//! the Kubernetes name and label rules for ConfigMap, Deployment and Service.
//!
//! aigw's input validator implements only the CEL rules of its input CRDs,
//! so the output CRDs' rules are implemented here, natively, for the fields
//! aigw emits. A rule that applies to an emitted field and has no
//! implementation here fails the test: nothing passes unchecked.

use std::path::{Path, PathBuf};

use aigw::diagnostics::Code;
use aigw::schema::{compile, CrdRule, Schema};
use aigw::validate::metadata::{is_dns_label, is_dns_subdomain};
mod common;
use common::reference_dir;
use serde_json::Value;

/// The schema of `version` in a CRD file, with every object closed: an
/// unknown field in our output would be silently pruned by the API server.
fn output_schema(path: &Path, version: &str) -> &'static Schema {
    let text = std::fs::read_to_string(path).expect("read CRD");
    let crd: Value = serde_yaml::from_str(&text).expect("parse CRD");
    let versions = crd["spec"]["versions"].as_array().expect("versions");
    let v = versions
        .iter()
        .find(|v| v["name"] == version)
        .expect("version");
    let mut schema = v["schema"]["openAPIV3Schema"].clone();
    close(&mut schema);
    compile(&schema)
}

/// Sets `additionalProperties: false` on every object with properties.
fn close(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if obj
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
    {
        obj.insert("additionalProperties".into(), Value::Bool(false));
    }
    for props in obj
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .into_iter()
    {
        for prop in props.values_mut() {
            close(prop);
        }
    }
    if let Some(items) = obj.get_mut("items") {
        close(items);
    }
}

fn label_value_ok(v: &str) -> bool {
    v.len() <= 63
        && (v.is_empty()
            || (v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                && v.starts_with(|c: char| c.is_ascii_alphanumeric())
                && v.ends_with(|c: char| c.is_ascii_alphanumeric())))
}

fn check_core(object: &Value, problems: &mut Vec<String>, what: &str) {
    let meta = &object["metadata"];
    let name = meta["name"].as_str().unwrap_or("");
    let kind = object["kind"].as_str().unwrap_or("");
    let name_ok = match kind {
        // Service names are DNS-1035 labels.
        "Service" => is_dns_label(name) && name.starts_with(|c: char| c.is_ascii_lowercase()),
        _ => is_dns_subdomain(name),
    };
    if !name_ok {
        problems.push(format!("{what}: invalid {kind} name {name:?}"));
    }
    let selector = if kind == "Service" {
        &object["spec"]["selector"]
    } else {
        &object["spec"]["selector"]["matchLabels"]
    };
    for labels in [
        &meta["labels"],
        &object["spec"]["template"]["metadata"]["labels"],
        selector,
    ] {
        for (k, v) in labels.as_object().into_iter().flatten() {
            if !label_value_ok(v.as_str().unwrap_or("-")) || k.len() > 253 + 1 + 63 {
                problems.push(format!("{what}: invalid label {k}={v}"));
            }
        }
    }
    let pod = &object["spec"]["template"]["spec"];
    for c in pod["containers"].as_array().into_iter().flatten() {
        if !is_dns_label(c["name"].as_str().unwrap_or("")) {
            problems.push(format!("{what}: invalid container name {}", c["name"]));
        }
    }
    for v in pod["volumes"].as_array().into_iter().flatten() {
        if !is_dns_label(v["name"].as_str().unwrap_or("")) {
            problems.push(format!("{what}: invalid volume name {}", v["name"]));
        }
    }
    if kind == "ConfigMap" {
        let size: usize = object["data"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
            .sum();
        if size > 1024 * 1024 {
            problems.push(format!("{what}: ConfigMap of {size} bytes"));
        }
    }
}

/// The output CRD schemas, keyed by kind.
struct OutputSchemas {
    eep: &'static Schema,
    filter: &'static Schema,
    route: &'static Schema,
}

impl OutputSchemas {
    fn load(reference: &Path) -> Self {
        OutputSchemas {
            eep: output_schema(
                &reference.join("envoy-gateway-v1.3.0/crd-envoyextensionpolicies.yaml"),
                "v1alpha1",
            ),
            filter: output_schema(
                &reference.join("envoy-gateway-v1.3.0/crd-httproutefilters.yaml"),
                "v1alpha1",
            ),
            route: output_schema(
                &reference.join("gateway-api-v1.2.1/crd-httproutes.yaml"),
                "v1",
            ),
        }
    }

    fn of(&self, kind: &str) -> Option<&'static Schema> {
        match kind {
            "EnvoyExtensionPolicy" => Some(self.eep),
            "HTTPRouteFilter" => Some(self.filter),
            "HTTPRoute" => Some(self.route),
            _ => None,
        }
    }
}

/// Checks one object of a CRD kind: defaults, the structural schema, then
/// every CEL rule on a field present in the defaulted object. Returns the
/// number of CEL rules evaluated.
fn check_crd_object(
    object: &Value,
    schema: &Schema,
    what: &str,
    problems: &mut Vec<String>,
) -> usize {
    let mut node = common::node(object);
    aigw::defaults::apply(&mut node, schema);
    let mut found = Vec::new();
    aigw::validate::schema::validate(&node, schema, &mut found);
    // Rules aigw's validator does not implement come back as "no
    // implementation"; they are evaluated below instead.
    for d in found
        .iter()
        .filter(|d| !(d.code == Code::CrdRule && d.message.contains("no implementation")))
    {
        problems.push(format!("{what}: {} {}", d.code, d.message));
    }
    let defaulted = node.to_json();
    let mut applied = Vec::new();
    rules_on(schema, &defaulted, String::new(), &mut applied);
    let mut evaluated = 0;
    for (path, rule, value) in applied {
        if aigw::validate::rules::is_implemented(rule.rule) {
            continue; // checked by validate() above
        }
        match evaluate(rule.rule.trim(), value) {
            Some(true) => {}
            Some(false) => problems.push(format!(
                "{what}: {path}: {} (rule `{}`)",
                rule.message.unwrap_or("CEL rule violated"),
                rule.rule.trim()
            )),
            None => problems.push(format!(
                "{what}: {path}: no native implementation of the CEL rule `{}` in tests/output_schemas.rs; implement it",
                rule.rule.trim()
            )),
        }
        evaluated += 1;
    }
    evaluated
}

/// Every (path, rule, value) whose schema node carries a rule and whose
/// field is present in `value`.
fn rules_on<'a>(
    schema: &'a Schema,
    value: &'a Value,
    path: String,
    out: &mut Vec<(String, &'a CrdRule, &'a Value)>,
) {
    if value.is_null() {
        return;
    }
    for rule in schema.rules {
        out.push((path.clone(), rule, value));
    }
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Some(s) = schema.property(key).or(schema.values) {
                    rules_on(s, v, child, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.items {
                for (i, v) in items.iter().enumerate() {
                    rules_on(s, v, format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

fn has(v: &Value, field: &str) -> bool {
    v.get(field).is_some_and(|f| !f.is_null())
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get(field).and_then(Value::as_str).unwrap_or("")
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn field_items<'a>(v: &'a Value, field: &str) -> &'a [Value] {
    v.get(field).map(items).unwrap_or(&[])
}

/// `!has(x.f) || x.f == ''`, the CRDs' test for an unset optional string.
fn unset(v: &Value, field: &str) -> bool {
    str_of(v, field).is_empty()
}

/// The native meaning of each output-CRD rule, by its text (or by the
/// family of texts it belongs to). `None`: not implemented here.
fn evaluate(rule: &str, v: &Value) -> Option<bool> {
    if let Some(result) = exact_rule(rule, v) {
        return Some(result);
    }
    family_rule(rule, v)
}

const PARENT_SECTION_REQUIRED: &str = "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))";
const PARENT_SECTION_UNIQUE: &str = "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))";
const REDIRECT_WITHOUT_BACKENDS: &str = "(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true";
const REDIRECT_PREFIX: &str = "(has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true";
const REWRITE_PREFIX: &str = "(has(self.filters) && self.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true";
const BACKEND_REDIRECT_PREFIX: &str = "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true";
const BACKEND_REWRITE_PREFIX: &str = "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true";
const REDIRECT_XOR_REWRITE: &str =
    "!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))";
const EEP_TARGETS: &str = "(has(self.targetRef) && !has(self.targetRefs)) || (!has(self.targetRef) && has(self.targetRefs)) || (has(self.targetSelectors) && self.targetSelectors.size() > 0)";
const GATEWAY_API_GROUP: &str = "gateway.networking.k8s.io";
const EEP_TARGET_KINDS: [&str; 6] = [
    "Gateway",
    "HTTPRoute",
    "GRPCRoute",
    "UDPRoute",
    "TCPRoute",
    "TLSRoute",
];

fn exact_rule(rule: &str, v: &Value) -> Option<bool> {
    let same_parent = |a: &Value, b: &Value| {
        str_of(a, "group") == str_of(b, "group")
            && str_of(a, "kind") == str_of(b, "kind")
            && str_of(a, "name") == str_of(b, "name")
            && str_of(a, "namespace") == str_of(b, "namespace")
    };
    let same_section = |a: &Value, b: &Value| {
        (unset(a, "sectionName") && unset(b, "sectionName"))
            || (has(a, "sectionName")
                && has(b, "sectionName")
                && a["sectionName"] == b["sectionName"])
    };
    // A filter rewriting the path prefix (kind: requestRedirect or urlRewrite).
    let prefix_filter = |f: &Value, kind: &str| {
        f.get(kind).and_then(|k| k.get("path")).is_some_and(|p| {
            str_of(p, "type") == "ReplacePrefixMatch" && has(p, "replacePrefixMatch")
        })
    };
    let one_prefix_match = |rule: &Value| {
        let matches = field_items(rule, "matches");
        matches.len() == 1
            && matches[0]
                .get("path")
                .is_some_and(|p| str_of(p, "type") == "PathPrefix")
    };
    let exactly_one = |list: &[Value], pred: &dyn Fn(&Value) -> bool| {
        list.iter().filter(|x| pred(x)).count() == 1
    };
    let refs = || field_items(v, "targetRefs");
    Some(match rule {
        PARENT_SECTION_REQUIRED => items(v).iter().all(|p1| {
            items(v).iter().all(|p2| {
                !same_parent(p1, p2) || unset(p1, "sectionName") == unset(p2, "sectionName")
            })
        }),
        PARENT_SECTION_UNIQUE => items(v).iter().all(|p1| {
            exactly_one(items(v), &|p2| same_parent(p1, p2) && same_section(p1, p2))
        }),
        REDIRECT_WITHOUT_BACKENDS => {
            field_items(v, "backendRefs").is_empty()
                || field_items(v, "filters").iter().all(|f| !has(f, "requestRedirect"))
        }
        REDIRECT_PREFIX | REWRITE_PREFIX => {
            let kind = if rule == REDIRECT_PREFIX { "requestRedirect" } else { "urlRewrite" };
            !exactly_one(field_items(v, "filters"), &|f| prefix_filter(f, kind)) || one_prefix_match(v)
        }
        BACKEND_REDIRECT_PREFIX | BACKEND_REWRITE_PREFIX => {
            let kind = if rule == BACKEND_REDIRECT_PREFIX { "requestRedirect" } else { "urlRewrite" };
            let uses = exactly_one(field_items(v, "backendRefs"), &|b| {
                exactly_one(field_items(b, "filters"), &|f| prefix_filter(f, kind))
            });
            !uses || one_prefix_match(v)
        }
        REDIRECT_XOR_REWRITE => {
            let any = |t: &str| items(v).iter().any(|f| str_of(f, "type") == t);
            !(any("RequestRedirect") && any("URLRewrite"))
        }
        EEP_TARGETS => {
            (has(v, "targetRef") != has(v, "targetRefs"))
                || !field_items(v, "targetSelectors").is_empty()
        }
        "has(self.targetRef) ? self.targetRef.group == 'gateway.networking.k8s.io' : true" => {
            v.get("targetRef").is_none_or(|t| str_of(t, "group") == GATEWAY_API_GROUP)
        }
        "has(self.targetRef) ? self.targetRef.kind in ['Gateway', 'HTTPRoute', 'GRPCRoute', 'UDPRoute', 'TCPRoute', 'TLSRoute'] : true" => {
            v.get("targetRef").is_none_or(|t| EEP_TARGET_KINDS.contains(&str_of(t, "kind")))
        }
        "has(self.targetRef) ? !has(self.targetRef.sectionName) : true" => {
            v.get("targetRef").is_none_or(|t| !has(t, "sectionName"))
        }
        "has(self.targetRefs) ? self.targetRefs.all(ref, ref.group == 'gateway.networking.k8s.io') : true" => {
            refs().iter().all(|t| str_of(t, "group") == GATEWAY_API_GROUP)
        }
        "has(self.targetRefs) ? self.targetRefs.all(ref, ref.kind in ['Gateway', 'HTTPRoute', 'GRPCRoute', 'UDPRoute', 'TCPRoute', 'TLSRoute']) : true" => {
            refs().iter().all(|t| EEP_TARGET_KINDS.contains(&str_of(t, "kind")))
        }
        "has(self.targetRefs) ? self.targetRefs.all(ref, !has(ref.sectionName)) : true" => {
            refs().iter().all(|t| !has(t, "sectionName"))
        }
        "has(self.backendRefs) ? self.backendRefs.all(f, f.kind == 'Service' || f.kind == 'Backend') : true" => {
            field_items(v, "backendRefs")
                .iter()
                .all(|b| matches!(str_of(b, "kind"), "Service" | "Backend"))
        }
        "has(self.backendRefs) ? (self.backendRefs.all(f, f.group == \"\" || f.group == 'gateway.envoyproxy.io')) : true" => {
            field_items(v, "backendRefs")
                .iter()
                .all(|b| matches!(str_of(b, "group"), "" | "gateway.envoyproxy.io"))
        }
        "self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'" => {
            matches!(str_of(v, "type"), "Exact" | "PathPrefix" | "RegularExpression")
        }
        _ => return total_matches_rule(rule, v),
    })
}

/// `(self.size() > 0 ? self[0].matches.size() : 0) + ... <= N`: the total
/// number of matches over the first K rules is at most N.
fn total_matches_rule(rule: &str, v: &Value) -> Option<bool> {
    let (terms, limit) = rule.rsplit_once(" <= ")?;
    let limit: usize = limit.parse().ok()?;
    let count = terms.matches("self[").count();
    let expected: Vec<String> = (0..count)
        .map(|i| format!("(self.size() > {i} ? self[{i}].matches.size() : 0)"))
        .collect();
    (terms == expected.join(" + ")).then(|| {
        let total: usize = items(v)
            .iter()
            .take(count)
            .map(|r| field_items(r, "matches").len())
            .sum();
        total <= limit
    })
}

/// Whether a rule of a family holds, given the names its text captured.
type Holds<'a> = &'a dyn Fn(&regex::Captures) -> bool;

/// Rules written many times over with a different field or type name.
fn family_rule(rule: &str, v: &Value) -> Option<bool> {
    let re = |pattern: &str| regex::Regex::new(pattern).expect("rule pattern");
    let exact_or_prefix = str_of(v, "type") == "Exact" || str_of(v, "type") == "PathPrefix";
    let value = str_of(v, "value");
    let families: [(&str, Holds); 10] = [
        // filter.X must be nil if the filter.type is not T
        (
            r"^!\(has\(self\.(\w+)\) && self\.type != '(\w+)'\)$",
            &|c| !(has(v, &c[1]) && str_of(v, "type") != &c[2]),
        ),
        // filter.X must be specified for T filter.type
        (
            r"^!\(!has\(self\.(\w+)\) && self\.type == '(\w+)'\)$",
            &|c| has(v, &c[1]) || str_of(v, "type") != &c[2],
        ),
        // T filter cannot be repeated
        (
            r"^self\.filter\(f, f\.type == '(\w+)'\)\.size\(\) <= 1$",
            &|c| {
                items(v)
                    .iter()
                    .filter(|f| str_of(f, "type") == &c[1])
                    .count()
                    <= 1
            },
        ),
        (
            r"^\(self\.type in \['Exact','PathPrefix'\]\) \? self\.value\.startsWith\('([^']*)'\) : true$",
            &|c| !exact_or_prefix || value.starts_with(&c[1]),
        ),
        (
            r"^\(self\.type in \['Exact','PathPrefix'\]\) \? !self\.value\.contains\('([^']*)'\) : true$",
            &|c| !exact_or_prefix || !value.contains(&c[1]),
        ),
        (
            r"^\(self\.type in \['Exact','PathPrefix'\]\) \? !self\.value\.endsWith\('([^']*)'\) : true$",
            &|c| !exact_or_prefix || !value.ends_with(&c[1]),
        ),
        (
            r#"^\(self\.type in \['Exact','PathPrefix'\]\) \? self\.value\.matches\(r"""(.*)"""\) : true$"#,
            &|c| !exact_or_prefix || re(&c[1]).is_match(value),
        ),
        // replaceFullPath / replacePrefixMatch must be specified when type is T
        (
            r"^self\.type == '(\w+)' \? has\(self\.(\w+)\) : true$",
            &|c| str_of(v, "type") != &c[1] || has(v, &c[2]),
        ),
        (
            r"^has\(self\.(\w+)\) \? self\.type == '(\w+)' : true$",
            &|c| !has(v, &c[1]) || str_of(v, "type") == &c[2],
        ),
        (r"^self\.all\(f, !f\.startsWith\('([^']*)'\)\)$", &|c| {
            items(v)
                .iter()
                .all(|f| !f.as_str().unwrap_or("").starts_with(&c[1]))
        }),
    ];
    families
        .iter()
        .find_map(|(pattern, holds)| re(pattern).captures(rule).map(|c| holds(&c)))
}

#[test]
fn rendered_objects_satisfy_their_schemas() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let schemas = OutputSchemas::load(&reference);

    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&testdata)
        .expect("testdata")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart"));
    cases.sort();
    let mut checked = 0;
    let mut rules_evaluated = 0;
    let mut problems = Vec::new();
    for case in cases {
        let compiled = aigw::compile(
            std::slice::from_ref(&case),
            &mut std::io::empty(),
            &aigw::Options::default(),
        )
        .expect("read case");
        let Some(output) = compiled.output else {
            continue;
        };
        for object in output.derived.iter().map(|d| d.to_json()) {
            let object = &object;
            let kind = object["kind"].as_str().unwrap_or("");
            let what = format!("{}: {kind} {}", case.display(), object["metadata"]["name"]);
            match schemas.of(kind) {
                Some(schema) => {
                    rules_evaluated += check_crd_object(object, schema, &what, &mut problems);
                }
                None => check_core(object, &mut problems, &what),
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} rendered objects checked");
    assert!(
        rules_evaluated > 1000,
        "only {rules_evaluated} CEL rules of the output CRDs evaluated"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The CEL checks above can fail: objects that break one rule each.
#[test]
fn output_cel_rules_reject_broken_objects() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let schemas = OutputSchemas::load(&reference);
    let route = |spec: Value| {
        serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r", "namespace": "default"}, "spec": spec
        })
    };
    let host_rewrite = serde_json::json!({"type": "ExtensionRef", "extensionRef":
        {"group": "gateway.envoyproxy.io", "kind": "HTTPRouteFilter", "name": "ai-eg-host-rewrite"}});
    let backend = serde_json::json!({"name": "svc", "port": 80});
    let broken = [
        (
            "duplicate parent without sectionName",
            "sectionName must be unique",
            route(serde_json::json!({
            "parentRefs": [{"name": "gw"}, {"name": "gw"}]})),
        ),
        (
            "same parent with and without sectionName",
            "sectionName must be specified",
            route(serde_json::json!({
            "parentRefs": [{"name": "gw"}, {"name": "gw", "sectionName": "https"}]})),
        ),
        (
            "path with //",
            "must not contain '//'",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"matches": [{"path": {"value": "/a//b"}}], "backendRefs": [backend]}]})),
        ),
        (
            "relative path",
            "must be an absolute path",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"matches": [{"path": {"type": "Exact", "value": "a"}}], "backendRefs": [backend]}]})),
        ),
        (
            "path with a space",
            "must only contain valid characters",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"matches": [{"path": {"value": "/a b"}}], "backendRefs": [backend]}]})),
        ),
        (
            "ExtensionRef filter without extensionRef",
            "filter.extensionRef must be specified",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"filters": [{"type": "ExtensionRef"}], "backendRefs": [backend]}]})),
        ),
        (
            "extensionRef on another filter type",
            "filter.extensionRef must be nil",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"filters": [{"type": "URLRewrite", "urlRewrite": {},
                "extensionRef": host_rewrite["extensionRef"].clone()}], "backendRefs": [backend]}]})),
        ),
        (
            "redirect with backends",
            "must not be used together with backendRefs",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"filters": [{"type": "RequestRedirect", "requestRedirect": {"port": 8080}}],
                "backendRefs": [backend]}]})),
        ),
        (
            "URLRewrite repeated",
            "URLRewrite filter cannot be repeated",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"filters": [{"type": "URLRewrite", "urlRewrite": {}}, {"type": "URLRewrite", "urlRewrite": {}}],
                "backendRefs": [backend]}]})),
        ),
        (
            "prefix rewrite without a PathPrefix match",
            "exactly one PathPrefix match",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"matches": [{"path": {"type": "Exact", "value": "/v1"}}],
                "filters": [{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}],
                "backendRefs": [backend]}]})),
        ),
        (
            "core Service without port",
            "Must have port for Service reference",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"filters": [host_rewrite], "backendRefs": [{"name": "svc"}]}]})),
        ),
        (
            "more than 128 matches",
            "must be less than 128",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": (0..3).map(|r| serde_json::json!({
                "matches": (0..50).map(|m| serde_json::json!({"headers": [{"name": "x", "value": format!("{r}-{m}")}]})).collect::<Vec<_>>(),
                "backendRefs": [backend]})).collect::<Vec<_>>()})),
        ),
        (
            "backendRequest longer than request",
            "cannot be longer than request timeout",
            route(serde_json::json!({"parentRefs": [{"name": "gw"}],
            "rules": [{"backendRefs": [backend], "timeouts": {"request": "10s", "backendRequest": "20s"}}]})),
        ),
        (
            "policy targetRef with sectionName",
            "does not yet support the sectionName",
            serde_json::json!({
            "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyExtensionPolicy",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"targetRefs": [{"group": GATEWAY_API_GROUP, "kind": "Gateway", "name": "gw", "sectionName": "https"}],
                "extProc": [{"backendRefs": [{"name": "e", "port": 1063}]}]}}),
        ),
        (
            "policy targeting a Service",
            "targetRefs[*].kind of Gateway",
            serde_json::json!({
            "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyExtensionPolicy",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "gw"}],
                "extProc": [{"backendRefs": [{"name": "e", "port": 1063}]}]}}),
        ),
        (
            "extproc backend without port",
            "Must have port for Service reference",
            serde_json::json!({
            "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyExtensionPolicy",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"targetRefs": [{"group": GATEWAY_API_GROUP, "kind": "Gateway", "name": "gw"}],
                "extProc": [{"backendRefs": [{"name": "e"}]}]}}),
        ),
        (
            "writable Envoy filter namespace",
            "well-known Envoy HTTP filter namespaces",
            serde_json::json!({
            "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyExtensionPolicy",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"targetRefs": [{"group": GATEWAY_API_GROUP, "kind": "Gateway", "name": "gw"}],
                "extProc": [{"backendRefs": [{"name": "e", "port": 1063}],
                    "metadata": {"writableNamespaces": ["envoy.filters.http.ext_proc"]}}]}}),
        ),
        (
            "hostname rewrite of type Header without header",
            "header must be specified for Header type",
            serde_json::json!({
            "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "HTTPRouteFilter",
            "metadata": {"name": "f", "namespace": "default"},
            "spec": {"urlRewrite": {"hostname": {"type": "Header"}}}}),
        ),
    ];
    for (what, expected, object) in broken {
        let schema = schemas
            .of(object["kind"].as_str().unwrap_or(""))
            .expect("CRD kind");
        let mut problems = Vec::new();
        check_crd_object(&object, schema, what, &mut problems);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{what}: expected \"{expected}\", got {problems:?}"
        );
        assert!(
            problems
                .iter()
                .all(|p| !p.contains("no native implementation")),
            "{what}: {problems:?}"
        );
    }
    // And an unknown rule on an emitted field is a failure, not a pass.
    let rules: &'static [CrdRule] = Box::leak(Box::new([CrdRule {
        rule: "self.metadata.name != 'f'",
        message: None,
    }]));
    let schema = Schema {
        rules,
        ..*schemas.filter
    };
    let filter = serde_json::json!({
        "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "HTTPRouteFilter",
        "metadata": {"name": "f", "namespace": "default"},
        "spec": {"urlRewrite": {"hostname": {"type": "Backend"}}}});
    let mut problems = Vec::new();
    check_crd_object(&filter, &schema, "unknown rule", &mut problems);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no native implementation")),
        "{problems:?}"
    );
}
