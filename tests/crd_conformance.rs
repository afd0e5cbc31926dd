//! aigw's schema against the upstream CRDs themselves.
//!
//! From each reference CRD (`../shared/reference/`, read at test time, never
//! copied) this test builds a valid manifest that sets every field, then one
//! mutation per constraint in the CRD — type, enum, length, pattern, format,
//! bound, item count, list-map key, maxProperties, required, unknown field,
//! CEL rule — and checks that aigw rejects it with the right code at the
//! right path, and that the boundary-valid variant is accepted.

use std::path::Path;

use aigw::diagnostics::{Code, Diagnostic};
use aigw::model::Kind;
mod common;
use common::reference_dir;
use serde_json::{json, Map, Value};

fn crd_schema(dir: &Path, file: &str) -> Value {
    let text = std::fs::read_to_string(dir.join("ai-gateway-v0.1.5").join(file)).expect("read CRD");
    let crd: Value = serde_yaml::from_str(&text).expect("parse CRD");
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

const KINDS: [(Kind, &str); 3] = [
    (Kind::Route, "crd-aigatewayroutes.yaml"),
    (Kind::Backend, "crd-aiservicebackends.yaml"),
    (Kind::Policy, "crd-backendsecuritypolicies.yaml"),
];

// --- reading a CRD schema node ----------------------------------------------

fn enums(s: &Value) -> Vec<String> {
    let mut all: Vec<&Value> = vec![s];
    all.extend(s["allOf"].as_array().into_iter().flatten());
    let mut out: Vec<String> = Vec::new();
    for v in all {
        for e in v["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !out.iter().any(|o| o == e) {
                out.push(e.to_string());
            }
        }
    }
    out
}

fn patterns(s: &Value) -> Vec<String> {
    let mut all: Vec<&Value> = vec![s];
    all.extend(s["allOf"].as_array().into_iter().flatten());
    all.iter()
        .filter_map(|v| v["pattern"].as_str().map(String::from))
        .collect()
}

fn is_int_or_string(s: &Value) -> bool {
    s["x-kubernetes-int-or-string"] == json!(true)
}

fn ty(s: &Value) -> &str {
    s["type"].as_str().unwrap_or("")
}

/// (valid, invalid) samples for every pattern the CRDs use. A pattern not
/// listed here fails the test, so new CRD patterns cannot slip through.
fn pattern_samples(pattern: &str) -> (&'static str, &'static str) {
    match pattern {
        r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" => {
            ("example.com", "Bad_Group")
        }
        r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$" => ("Backend", "1Kind"),
        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" => ("team-a", "Team_A"),
        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" => {
            ("http", "Bad_Section")
        }
        r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$" => ("x-ai-eg-model", "bad header"),
        r"^([0-9]{1,5}(h|m|s|ms)){1,4}$" => ("1s", "1 second"),
        r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$" => {
            ("1Ki", "1 GB")
        }
        r"^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$" => ("1Ki", "0"),
        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9]))*$" => {
            ("example.com", "Example.COM")
        }
        other => panic!("no samples for CRD pattern {other}"),
    }
}

/// A valid value for a schema node, every optional field set.
fn generate(s: &Value) -> Value {
    if is_int_or_string(s) {
        return match patterns(s).first() {
            Some(p) => json!(pattern_samples(p).0),
            None => json!(1),
        };
    }
    match ty(s) {
        "object" => {
            if let Some(props) = s["properties"].as_object() {
                Value::Object(
                    props
                        .iter()
                        .map(|(k, v)| (k.clone(), generate(v)))
                        .collect(),
                )
            } else if s.get("additionalProperties").is_some() {
                json!({ "cpu": generate(&s["additionalProperties"]) })
            } else {
                json!({})
            }
        }
        "array" => json!([generate(&s["items"])]),
        "integer" => {
            let min = s["minimum"].as_i64();
            json!(min.unwrap_or(1))
        }
        "boolean" => json!(true),
        "string" => {
            if let Some(e) = enums(s).first() {
                return json!(e);
            }
            if let Some(p) = patterns(s).first() {
                return json!(pattern_samples(p).0);
            }
            match s["format"].as_str() {
                Some("duration") => json!("1s"),
                Some("byte") => json!("aGVsbG8="),
                _ => json!("a".repeat(s["minLength"].as_u64().unwrap_or(1).max(1) as usize)),
            }
        }
        other => panic!("cannot generate type {other:?}"),
    }
}

/// Fields removed from the complete manifest so that it satisfies the
/// CRDs' cross-field rules (a mutation below one of them puts it back).
const PRUNE: &[&str] = &[
    "spec.apiKey",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendRef",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.retry.perRetry.timeout",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.retry.retryOn.httpStatusCodes",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.healthCheck.active.tcp",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.healthCheck.active.grpc",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.healthCheck.active.http.expectedResponse.binary",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.loadBalancer.slowStart",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.loadBalancer.consistentHash.header",
    "spec.awsCredentials.oidcExchangeToken.oidc.provider.backendSettings.loadBalancer.consistentHash.cookie",
];

// --- paths ------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn show(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => out.push_str(&format!(".{k}")),
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn at<'a>(root: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut v = root;
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.get_mut(k.as_str())?,
            Seg::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

fn parse(path: &str) -> Vec<Seg> {
    path.split('.').map(|k| Seg::Key(k.to_string())).collect()
}

fn remove(root: &mut Value, path: &[Seg]) {
    if let Some((Seg::Key(last), parent)) = path.split_last() {
        if let Some(Value::Object(map)) = at(root, parent) {
            map.remove(last);
        }
    }
}

// --- mutations --------------------------------------------------------------

enum Expect {
    /// An error with this code at this path.
    Rejected(Code, String),
    /// No error at or below this path.
    Accepted(String),
}

struct Case {
    what: String,
    path: Vec<Seg>,
    change: Box<dyn Fn(&mut Value)>,
    expect: Expect,
}

fn case(what: String, path: &[Seg], change: impl Fn(&mut Value) + 'static, expect: Expect) -> Case {
    Case {
        what,
        path: path.to_vec(),
        change: Box::new(change),
        expect,
    }
}

fn set(value: Value) -> impl Fn(&mut Value) {
    move |v: &mut Value| *v = value.clone()
}

/// The violation of a CEL rule, applied to the object carrying it.
fn break_rule(rule: &str, object_schema: &Value) -> Box<dyn Fn(&mut Value)> {
    let normalized: String = rule.split_whitespace().collect::<Vec<_>>().join(" ");
    let gen_prop = |name: &str| generate(&object_schema["properties"][name]);
    let put = |name: &'static str, value: Value| -> Box<dyn Fn(&mut Value)> {
        Box::new(move |o: &mut Value| o[name] = value.clone())
    };
    let drop = |name: &'static str| -> Box<dyn Fn(&mut Value)> {
        Box::new(move |o: &mut Value| {
            if let Some(m) = o.as_object_mut() {
                m.remove(name);
            }
        })
    };
    match normalized.as_str() {
        "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true" => Box::new(|o: &mut Value| {
            o["group"] = json!("");
            o["kind"] = json!("Service");
            if let Some(m) = o.as_object_mut() {
                m.remove("port");
            }
        }),
        "self.name == 'OpenAI'" => put("name", json!("AWSBedrock")),
        "self.all(match, match.type != 'RegularExpression')" => Box::new(|o: &mut Value| o[0]["type"] = json!("RegularExpression")),
        "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))" => {
            Box::new(|o: &mut Value| {
                o["request"] = json!("1s");
                o["backendRequest"] = json!("2s");
            })
        }
        "!has(self.backendRef)" => put("backendRef", gen_prop("backendRef")),
        r if r.contains("perRetry.timeout") => Box::new(|o: &mut Value| o["backendSettings"]["retry"]["perRetry"]["timeout"] = json!("1s")),
        r if r.contains("retryOn.httpStatusCodes") => Box::new(|o: &mut Value| o["backendSettings"]["retry"]["retryOn"]["httpStatusCodes"] = json!([500])),
        "self.type == 'HTTP' ? has(self.http) : !has(self.http)" => drop("http"),
        "self.type == 'TCP' ? has(self.tcp) : !has(self.tcp)" => put("tcp", gen_prop("tcp")),
        "has(self.grpc) ? self.type == 'GRPC' : true" => put("grpc", gen_prop("grpc")),
        "self.type == 'Text' ? has(self.text) : !has(self.text)" => drop("text"),
        "self.type == 'Binary' ? has(self.binary) : !has(self.binary)" => put("binary", json!("aGk=")),
        "self.type == 'Header' ? has(self.header) : !has(self.header)" => put("header", gen_prop("header")),
        "self.type == 'Cookie' ? has(self.cookie) : !has(self.cookie)" => put("cookie", gen_prop("cookie")),
        "self.type == 'ConsistentHash' ? has(self.consistentHash) : !has(self.consistentHash)" => drop("consistentHash"),
        "self.type in ['Random', 'ConsistentHash'] ? !has(self.slowStart) : true" => put("slowStart", json!({"window": "1s"})),
        other => panic!("no violation written for CEL rule {other}"),
    }
}

/// A string of `n` characters that also matches every pattern the CRDs
/// put a length limit on (all accept lowercase letters).
fn with_len(n: usize) -> Value {
    json!("a".repeat(n))
}

/// Every mutation for the node `s` found at `path` in the complete manifest.
fn mutations(s: &Value, path: &[Seg], out: &mut Vec<Case>) {
    let p = show(path);
    let wrong_type = match ty(s) {
        _ if is_int_or_string(s) => json!(true),
        "string" => json!(12345),
        "integer" | "boolean" | "object" | "array" => json!("x"),
        _ => Value::Null,
    };
    if !wrong_type.is_null() {
        out.push(case(
            format!("{p}: wrong type"),
            path,
            set(wrong_type),
            Expect::Rejected(Code::TypeMismatch, p.clone()),
        ));
    }
    for value in enums(s) {
        out.push(case(
            format!("{p}: enum value {value}"),
            path,
            set(json!(value)),
            Expect::Accepted(p.clone()),
        ));
    }
    if !enums(s).is_empty() {
        out.push(case(
            format!("{p}: not in enum"),
            path,
            set(json!("NotAValue")),
            Expect::Rejected(Code::EnumValue, p.clone()),
        ));
    }
    if let Some(min) = s["minLength"].as_u64().filter(|m| *m > 0) {
        out.push(case(
            format!("{p}: shorter than {min}"),
            path,
            set(json!("a".repeat(min as usize - 1))),
            Expect::Rejected(Code::StringLength, p.clone()),
        ));
        out.push(case(
            format!("{p}: exactly {min} long"),
            path,
            set(with_len(min as usize)),
            Expect::Accepted(p.clone()),
        ));
    }
    if let Some(max) = s["maxLength"].as_u64() {
        out.push(case(
            format!("{p}: longer than {max}"),
            path,
            set(with_len(max as usize + 1)),
            Expect::Rejected(Code::StringLength, p.clone()),
        ));
        out.push(case(
            format!("{p}: exactly {max} long"),
            path,
            set(with_len(max as usize)),
            Expect::Accepted(p.clone()),
        ));
    }
    for pattern in patterns(s) {
        let (valid, invalid) = pattern_samples(&pattern);
        out.push(case(
            format!("{p}: matches {pattern}"),
            path,
            set(json!(valid)),
            Expect::Accepted(p.clone()),
        ));
        out.push(case(
            format!("{p}: does not match {pattern}"),
            path,
            set(json!(invalid)),
            Expect::Rejected(Code::Pattern, p.clone()),
        ));
    }
    match s["format"].as_str() {
        Some("duration") => {
            out.push(case(
                format!("{p}: bad duration"),
                path,
                set(json!("1x")),
                Expect::Rejected(Code::Pattern, p.clone()),
            ));
            out.push(case(
                format!("{p}: compound duration"),
                path,
                set(json!("1m30s")),
                Expect::Accepted(p.clone()),
            ));
        }
        Some("byte") => out.push(case(
            format!("{p}: not base64"),
            path,
            set(json!("not base64!")),
            Expect::Rejected(Code::Pattern, p.clone()),
        )),
        Some("int32") if s["maximum"].is_null() => {
            out.push(case(
                format!("{p}: int32 overflow"),
                path,
                set(json!(2_147_483_648_i64)),
                Expect::Rejected(Code::NumberRange, p.clone()),
            ));
            out.push(case(
                format!("{p}: int32 max"),
                path,
                set(json!(2_147_483_647_i64)),
                Expect::Accepted(p.clone()),
            ));
        }
        _ => {}
    }
    if let Some(min) = s["minimum"].as_i64() {
        out.push(case(
            format!("{p}: below {min}"),
            path,
            set(json!(min - 1)),
            Expect::Rejected(Code::NumberRange, p.clone()),
        ));
        out.push(case(
            format!("{p}: at {min}"),
            path,
            set(json!(min)),
            Expect::Accepted(p.clone()),
        ));
    }
    if let Some(max) = s["maximum"].as_i64() {
        let exclusive = s["exclusiveMaximum"] == json!(true);
        let (bad, good) = if exclusive {
            (max, max - 1)
        } else {
            (max + 1, max)
        };
        out.push(case(
            format!("{p}: above maximum {max}"),
            path,
            set(json!(bad)),
            Expect::Rejected(Code::NumberRange, p.clone()),
        ));
        out.push(case(
            format!("{p}: at maximum"),
            path,
            set(json!(good)),
            Expect::Accepted(p.clone()),
        ));
    }
    if let Some(min) = s["minItems"].as_u64().filter(|m| *m > 0) {
        out.push(case(
            format!("{p}: fewer than {min} items"),
            path,
            set(json!([])),
            Expect::Rejected(Code::ItemCount, p.clone()),
        ));
    }
    let keys: Vec<String> = s["x-kubernetes-list-map-keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k.as_str().map(String::from))
        .collect();
    if let Some(max) = s["maxItems"].as_u64() {
        let item = generate(&s["items"]);
        let many = |n: usize| {
            let keys = keys.clone();
            let item = item.clone();
            Value::Array(
                (0..n)
                    .map(|i| {
                        let mut it = item.clone();
                        for k in &keys {
                            it[k.as_str()] = json!(format!("k{i}"));
                        }
                        it
                    })
                    .collect(),
            )
        };
        out.push(case(
            format!("{p}: more than {max} items"),
            path,
            set(many(max as usize + 1)),
            Expect::Rejected(Code::ItemCount, p.clone()),
        ));
        out.push(case(
            format!("{p}: exactly {max} items"),
            path,
            set(many(max as usize)),
            Expect::Accepted(p.clone()),
        ));
    }
    if !keys.is_empty() {
        let item = generate(&s["items"]);
        let mut second = path.to_vec();
        second.push(Seg::Index(1));
        out.push(case(
            format!("{p}: duplicate list-map key"),
            path,
            set(json!([item.clone(), item])),
            Expect::Rejected(Code::DuplicateListKey, show(&second)),
        ));
    }
    if let Some(max) = s["maxProperties"].as_u64() {
        let all = generate(s);
        let count = all.as_object().map_or(0, Map::len) as u64;
        assert!(count > max, "{p}: cannot exceed maxProperties {max}");
        out.push(case(
            format!("{p}: more than {max} properties"),
            path,
            set(all),
            Expect::Rejected(Code::TooManyProperties, p.clone()),
        ));
    }
    for rule in s["x-kubernetes-validations"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let text = rule["rule"].as_str().expect("rule text");
        out.push(case(
            format!("{p}: CEL rule {text}"),
            path,
            break_rule(text, s),
            Expect::Rejected(Code::CrdRule, p.clone()),
        ));
    }
    if let Some(props) = s["properties"].as_object() {
        let mut unknown = path.to_vec();
        unknown.push(Seg::Key("unknownField".into()));
        out.push(case(
            format!("{p}: unknown field"),
            path,
            |o: &mut Value| o["unknownField"] = json!("x"),
            Expect::Rejected(Code::UnknownField, show(&unknown)),
        ));
        let required: Vec<&str> = s["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, prop) in props {
            let mut child = path.to_vec();
            child.push(Seg::Key(name.clone()));
            let has_default = prop.get("default").is_some();
            let removal = {
                let name = name.clone();
                move |o: &mut Value| {
                    if let Some(m) = o.as_object_mut() {
                        m.remove(&name);
                    }
                }
            };
            if required.contains(&name.as_str()) && !has_default {
                out.push(case(
                    format!("{}: missing", show(&child)),
                    path,
                    removal,
                    Expect::Rejected(Code::RequiredField, show(&child)),
                ));
            } else {
                out.push(case(
                    format!("{}: omitted", show(&child)),
                    path,
                    removal,
                    Expect::Accepted(show(&child)),
                ));
            }
            mutations(prop, &child, out);
        }
    } else if let Some(values) = s.get("additionalProperties").filter(|v| v.is_object()) {
        let mut child = path.to_vec();
        child.push(Seg::Key("cpu".into()));
        mutations(values, &child, out);
    }
    if ty(s) == "array" {
        let mut child = path.to_vec();
        child.push(Seg::Index(0));
        mutations(&s["items"], &child, out);
    }
}

fn complete_manifest(kind: Kind, schema: &Value) -> Value {
    json!({
        "apiVersion": "aigateway.envoyproxy.io/v1alpha1",
        "kind": kind.name(),
        "metadata": {"name": "sample", "namespace": "default"},
        "spec": generate(&schema["properties"]["spec"]),
    })
}

fn base_for(full: &Value, mutated: &[Seg]) -> Value {
    let mut doc = full.clone();
    for prune in PRUNE {
        let prune = parse(prune);
        // A mutation at or below a pruned field needs that field present.
        let needed = mutated.len() >= prune.len() && mutated[..prune.len()] == prune[..];
        if !needed {
            remove(&mut doc, &prune);
        }
    }
    doc
}

fn check(kind: Kind, doc: &Value) -> Vec<Diagnostic> {
    let mut node = common::node(doc);
    aigw::validate::check_object(kind, &mut node, "default")
}

fn errors_at_or_below<'a>(found: &'a [Diagnostic], path: &str) -> Vec<&'a Diagnostic> {
    found
        .iter()
        .filter(|d| d.is_error())
        .filter(|d| {
            d.path.as_deref().is_some_and(|dp| {
                dp == path
                    || dp.starts_with(&format!("{path}."))
                    || dp.starts_with(&format!("{path}["))
            })
        })
        .collect()
}

#[test]
fn every_crd_constraint_is_enforced() {
    let Some(dir) = reference_dir() else { return };
    let mut failures = Vec::new();
    let mut total = 0;
    for (kind, file) in KINDS {
        let schema = crd_schema(&dir, file);
        let full = complete_manifest(kind, &schema);
        let base = base_for(&full, &[]);
        let found = check(kind, &base);
        assert!(
            !found.iter().any(Diagnostic::is_error),
            "{}: the complete manifest is not valid: {:#?}\n{}",
            kind.name(),
            found,
            serde_json::to_string_pretty(&base).unwrap_or_default()
        );
        let mut cases = Vec::new();
        mutations(
            &schema["properties"]["spec"],
            &[Seg::Key("spec".into())],
            &mut cases,
        );
        for c in cases {
            total += 1;
            let mut doc = base_for(&full, &c.path);
            let Some(target) = at(&mut doc, &c.path) else {
                failures.push(format!("{}: {}: path not in manifest", kind.name(), c.what));
                continue;
            };
            (c.change)(target);
            let found = check(kind, &doc);
            match &c.expect {
                Expect::Rejected(code, path) => {
                    let hit = found.iter().any(|d| {
                        d.is_error() && d.code == *code && d.path.as_deref() == Some(path)
                    });
                    if !hit {
                        let got: Vec<String> = found
                            .iter()
                            .map(|d| format!("{} {:?} {}", d.code, d.path, d.message))
                            .collect();
                        failures.push(format!(
                            "{}: {}: expected {code} at {path}, got {got:?}",
                            kind.name(),
                            c.what
                        ));
                    }
                }
                Expect::Accepted(path) => {
                    let errors = errors_at_or_below(&found, path);
                    if !errors.is_empty() {
                        let got: Vec<String> = errors
                            .iter()
                            .map(|d| format!("{} {:?} {}", d.code, d.path, d.message))
                            .collect();
                        failures.push(format!(
                            "{}: {}: expected no error at {path}, got {got:?}",
                            kind.name(),
                            c.what
                        ));
                    }
                }
            }
        }
    }
    assert!(total > 500, "only {total} mutations generated");
    assert!(
        failures.is_empty(),
        "{} of {total} mutations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{total} CRD mutations checked");
}

/// Field names: aigw knows exactly the fields of the CRD, at every level.
#[test]
fn field_names_match_crds() {
    let Some(dir) = reference_dir() else { return };
    fn compare(reference: &Value, ours: &aigw::schema::Schema, path: &str, out: &mut Vec<String>) {
        if let Some(props) = reference["properties"].as_object() {
            let mut theirs: Vec<&str> = props.keys().map(String::as_str).collect();
            let mut mine: Vec<&str> = ours.properties.iter().map(|(k, _)| *k).collect();
            theirs.sort_unstable();
            mine.sort_unstable();
            if theirs != mine {
                out.push(format!("{path}: CRD has {theirs:?}, aigw has {mine:?}"));
            }
            if !ours.closed {
                out.push(format!("{path}: aigw accepts unknown fields here"));
            }
            for (name, prop) in props {
                if let Some(mine) = ours.property(name) {
                    compare(prop, mine, &format!("{path}.{name}"), out);
                }
            }
        }
        if let (Some(items), Some(mine)) = (reference.get("items"), ours.items) {
            compare(items, mine, &format!("{path}[]"), out);
        }
    }
    let mut out = Vec::new();
    for (kind, file) in KINDS {
        let schema = crd_schema(&dir, file);
        let ours = aigw::schema::Schema::of(kind);
        let spec = ours.property("spec").expect("spec");
        compare(
            &schema["properties"]["spec"],
            spec,
            &format!("{}.spec", kind.name()),
            &mut out,
        );
    }
    assert!(out.is_empty(), "{}", out.join("\n"));
}

/// Every CEL rule in the CRDs (and in aigw's schema) has a native implementation.
#[test]
fn every_cel_rule_is_implemented() {
    for kind in Kind::ALL {
        aigw::schema::walk(aigw::schema::Schema::of(kind), &mut |s| {
            for rule in s.rules {
                assert!(
                    aigw::validate::rules::is_implemented(rule.rule),
                    "{}: {}",
                    kind.name(),
                    rule.rule
                );
            }
        });
    }
}

/// Only `additionalProperties: false` makes unknown fields errors. An object
/// schema without it (as in the Gateway API and Envoy Gateway CRDs that
/// tests/output_schemas.rs checks the output against) keeps them: the API
/// server prunes unknown fields there, it does not reject the object.
#[test]
fn only_closed_objects_reject_unknown_fields() {
    let open = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    let mut closed = open.clone();
    closed["additionalProperties"] = json!(false);
    let object = common::node(&json!({"a": "x", "b": "y"}));
    let codes = |schema: &Value| -> Vec<Code> {
        let mut found: Vec<Diagnostic> = Vec::new();
        aigw::validate::schema::validate(&object, aigw::schema::compile(schema), &mut found);
        found.iter().map(|d| d.code).collect()
    };
    assert_eq!(codes(&open), Vec::<Code>::new());
    assert_eq!(codes(&closed), vec![Code::UnknownField]);
}
