//! One side of `aigw diff`: read, validated with its own release, and
//! reduced to what the diff compares.
//!
//! The release is detected per side (as `aigw validate` detects it). v0.1
//! runs the whole v0.1 pipeline, so its rendered output can be compared;
//! any other release is admitted against its built-in CRDs, and its input
//! objects are compared. The routing of every release is built here from
//! the objects in one shape, so that two releases can be compared (a
//! migration's diff shows no routing change).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Map, Value};

use crate::diagnostics::Report;
use crate::load::{self, AI_GATEWAY_GROUP};
use crate::source::Sources;
use crate::{IoError, Options};

/// Where a side's files come from.
pub enum Input<'a> {
    Paths(&'a [PathBuf]),
    /// Files as bytes: the blobs of a git revision.
    Files(Vec<(String, Vec<u8>)>),
}

pub struct Side {
    pub label: String,
    /// The release line checked (`v0.1`, `v1.1`, or the CRDs given).
    pub release: String,
    pub sources: Sources,
    pub skipped: Vec<load::Skipped>,
    pub report: Report,
    /// None when the side is invalid.
    pub view: Option<View>,
}

/// What the diff compares of one valid side.
pub struct View {
    /// `{"gateways": [...]}`, the shape documented in the diff module.
    pub routing: Value,
    /// The rendered output (v0.1 only).
    pub rendered: Option<Vec<Value>>,
    /// The input objects, as validated (defaulted, for releases after v0.1).
    pub inputs: Vec<Value>,
    /// The same objects as written, before defaulting: a field only one
    /// side's defaulting added is no change (see [`super::objects`]).
    pub written: Vec<Value>,
}

/// Reads and validates one side, with the release `aigw validate`
/// would pick for it (or `options.release`).
pub fn load_side(label: &str, input: Input<'_>, options: &Options) -> Result<Side, IoError> {
    let compiled = match input {
        Input::Paths(paths) => crate::compile(paths, &mut std::io::empty(), options)?,
        Input::Files(files) => crate::compile_files(files, options)?,
    };
    let release = compiled
        .release
        .line
        .map_or_else(|| compiled.release.label.clone(), String::from);
    let v0_1 = compiled.release.line == Some(crate::admit::release::V0_1);
    let view = compiled.output.as_ref().map(|output| {
        let mut inputs: Vec<Value> = Vec::new();
        let mut written: Vec<Value> = Vec::new();
        let rendered = if v0_1 {
            let catalog = &compiled.catalog;
            inputs.extend(catalog.routes.values().map(|i| i.node.to_json()));
            inputs.extend(catalog.backends.values().map(|i| i.node.to_json()));
            inputs.extend(catalog.policies.values().map(|i| i.node.to_json()));
            inputs.extend(output.passthrough.iter().map(|n| n.to_json()));
            written.clone_from(&inputs);
            Some(
                output
                    .objects(false)
                    .iter()
                    .map(|o| o.as_json().into_owned())
                    .collect(),
            )
        } else {
            // The admitted objects as defaulted; the rest as read.
            inputs.extend(compiled.admitted.iter().map(|a| a.defaulted.to_json()));
            let ours = |v: &Value| {
                v.get("apiVersion")
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.split('/').next() == Some(AI_GATEWAY_GROUP))
            };
            // The pass-through holds every source tree, AI Gateway ones too.
            written.extend(output.passthrough.iter().map(|n| n.to_json()));
            inputs.extend(written.iter().filter(|v| !ours(v)).cloned());
            None
        };
        View {
            routing: routing(&inputs, &options.namespace),
            rendered,
            inputs,
            written,
        }
    });
    Ok(Side {
        label: label.to_string(),
        release,
        sources: compiled.sources,
        skipped: compiled.skipped,
        report: compiled.report,
        view,
    })
}

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

fn list<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn is(v: &Value, group: &str, kind: &str) -> bool {
    text(v, &["kind"]) == Some(kind)
        && text(v, &["apiVersion"])
            .is_some_and(|a| a.rsplit_once('/').map_or("", |(g, _)| g) == group)
}

/// The routing of the objects of any release: per Gateway (and listener)
/// the routes attached to it, their rules' matches and backends with
/// weight, traffic share (per priority: a higher priority is a fallback),
/// auth, schema and timeouts, and each route's cost keys.
pub fn routing(objects: &[Value], default_ns: &str) -> Value {
    let ns_of = |o: &Value| {
        text(o, &["metadata", "namespace"])
            .unwrap_or(default_ns)
            .to_string()
    };
    let name_of = |o: &Value| text(o, &["metadata", "name"]).unwrap_or("").to_string();
    let keyed = |kind: &str| -> BTreeMap<(String, String), &Value> {
        objects
            .iter()
            .filter(|o| is(o, AI_GATEWAY_GROUP, kind))
            .map(|o| ((ns_of(o), name_of(o)), o))
            .collect()
    };
    let backends = keyed("AIServiceBackend");
    let policies = keyed("BackendSecurityPolicy");
    let auth_of = |ns: &str, name: &str, backend: &Value| -> Value {
        let by_ref = text(backend, &["spec", "backendSecurityPolicyRef", "name"])
            .and_then(|p| policies.get(&(ns.to_string(), p.to_string())).copied());
        let by_target = policies.iter().find_map(|((pns, _), p)| {
            let names = list(p, &["spec", "targetRefs"]).iter().any(|t| {
                text(t, &["kind"]) == Some("AIServiceBackend") && text(t, &["name"]) == Some(name)
            });
            (pns == ns && names).then_some(*p)
        });
        let Some(policy) = by_ref.or(by_target) else {
            return Value::Null;
        };
        let spec = at(policy, &["spec"]).cloned().unwrap_or(Value::Null);
        let kind = text(&spec, &["type"]).unwrap_or("").to_string();
        // The Secret a policy reads, wherever its type keeps it.
        let mut secret = None;
        find_secret(&spec, &mut secret);
        let region = text(&spec, &["awsCredentials", "region"]).map(String::from);
        json!({"type": kind, "secret": secret, "region": region})
    };
    let mut gateways: BTreeMap<(String, String, Option<String>), Vec<Value>> = BTreeMap::new();
    for route in objects
        .iter()
        .filter(|o| is(o, AI_GATEWAY_GROUP, "AIGatewayRoute"))
    {
        let (ns, name) = (ns_of(route), name_of(route));
        let rules: Vec<Value> = list(route, &["spec", "rules"])
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let matches: Vec<Value> = list(rule, &["matches"])
                    .iter()
                    .map(|m| {
                        let headers = list(m, &["headers"]);
                        let join = |key: &str| {
                            headers.iter().map(|h| text(h, &[key]).unwrap_or("")).collect::<Vec<_>>().join("&")
                        };
                        json!({"header": join("name"), "value": join("value")})
                    })
                    .collect();
                let refs = list(rule, &["backendRefs"]);
                let weight = |r: &Value| r.get("weight").and_then(Value::as_i64).unwrap_or(1);
                let priority = |r: &Value| r.get("priority").and_then(Value::as_i64).unwrap_or(0);
                let mut totals: BTreeMap<i64, (i128, usize)> = BTreeMap::new();
                for r in refs {
                    let t = totals.entry(priority(r)).or_default();
                    t.0 += i128::from(weight(r));
                    t.1 += 1;
                }
                let backends: Vec<Value> = refs
                    .iter()
                    .map(|r| {
                        let bname = text(r, &["name"]).unwrap_or("");
                        let b = backends.get(&(ns.clone(), bname.to_string())).copied().unwrap_or(&Value::Null);
                        let (total, count) = totals.get(&priority(r)).copied().unwrap_or((0, 1));
                        let share = if total == 0 {
                            (count == 1).then_some(100.0)
                        } else {
                            Some((weight(r) as f64 * 1000.0 / total as f64).round() / 10.0)
                        };
                        let timeouts = rule.get("timeouts").or_else(|| at(b, &["spec", "timeouts"]));
                        let mut out = Map::new();
                        out.insert("name".into(), json!(bname));
                        out.insert("weight".into(), json!(weight(r)));
                        out.insert("share".into(), json!(share));
                        out.insert("priority".into(), json!(priority(r)));
                        out.insert("auth".into(), auth_of(&ns, bname, b));
                        out.insert("schema".into(), at(b, &["spec", "schema"]).cloned().unwrap_or(Value::Null));
                        out.insert("timeouts".into(), timeouts.cloned().unwrap_or(Value::Null));
                        // Whatever else a release lets a backendRef say (model name override, mutations).
                        if let Value::Object(extra) = r {
                            for (k, v) in extra {
                                if !["name", "weight", "priority"].contains(&k.as_str()) {
                                    out.insert(k.clone(), v.clone());
                                }
                            }
                        }
                        Value::Object(out)
                    })
                    .collect();
                json!({"rule": i, "name": rule.get("name"), "matches": matches, "backends": backends})
            })
            .collect();
        let costs: Vec<Value> = list(route, &["spec", "llmRequestCosts"])
            .iter()
            .map(|c| {
                let mut t = format!(
                    "{}: {}",
                    text(c, &["metadataKey"]).unwrap_or(""),
                    text(c, &["type"]).unwrap_or("")
                );
                if let Some(cel) = text(c, &["cel"]) {
                    t.push_str(&format!(" ({cel})"));
                }
                Value::String(t)
            })
            .collect();
        let routing =
            json!({"namespace": ns, "name": name, "llmRequestCosts": costs, "rules": rules});
        let refs = match list(route, &["spec", "parentRefs"]) {
            [] => list(route, &["spec", "targetRefs"]),
            refs => refs,
        };
        for r in refs {
            let key = (
                text(r, &["namespace"]).unwrap_or(&ns).to_string(),
                text(r, &["name"]).unwrap_or("").to_string(),
                text(r, &["sectionName"]).map(String::from),
            );
            let routes = gateways.entry(key).or_default();
            if !routes.contains(&routing) {
                routes.push(routing.clone());
            }
        }
    }
    let gateways: Vec<Value> = gateways
        .into_iter()
        .map(|((namespace, name, section), routes)| {
            json!({"namespace": namespace, "name": name, "sectionName": section, "routes": routes})
        })
        .collect();
    json!({ "gateways": gateways })
}

/// The first `secretRef.name` (or `clientSecret.name`) under `value`.
fn find_secret(value: &Value, found: &mut Option<String>) {
    if found.is_some() {
        return;
    }
    match value {
        Value::Object(map) => {
            for key in ["secretRef", "clientSecret"] {
                if let Some(name) = map
                    .get(key)
                    .and_then(|s| s.get("name"))
                    .and_then(Value::as_str)
                {
                    *found = Some(name.to_string());
                    return;
                }
            }
            map.values().for_each(|v| find_secret(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| find_secret(v, found)),
        _ => {}
    }
}
