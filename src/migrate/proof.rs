//! The proof every migration runs before anything is written: the
//! migrated files are admitted by the target release's API (the CRD
//! schemas and CEL rules of `aigw validate --release TO`), and the
//! effective routing before and after is compared structurally.
//!
//! The routing is projected from the raw objects of either release into
//! one shape: per route, its Gateways, and per rule the header matches,
//! the backends (weight, destination, schema, auth) and the timeouts,
//! plus the route's cost keys and its Gateway's extproc resources. The
//! documented intended differences are left out of the projection: the
//! route's `schema` (every route speaks OpenAI), `externalProcessor.replicas`
//! (gone since v0.3), and a Service reached through a Backend of its
//! cluster DNS name counts as that Service.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::diagnostics::{Code, Diagnostic};
use crate::load::{self, AI_GATEWAY_GROUP};

use super::Release;

/// Every problem found: empty when the migration is proved.
pub fn prove(
    before: Vec<(String, Vec<u8>)>,
    after: Vec<(String, Vec<u8>)>,
    to: Release,
    namespace: &str,
    notes: &mut Vec<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let after_files = after.clone();
    let (before, after) = match (load::load_files(before), load::load_files(after)) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(e), _) | (_, Err(e)) => {
            out.push(Diagnostic::new(
                Code::MigrateProof,
                format!("cannot read the files again: {}", e.0),
            ));
            return out;
        }
    };
    if let Some(error) = after.diagnostics.iter().find(|d| d.is_error()) {
        out.push(
            Diagnostic::new(
                Code::MigrateProof,
                format!(
                    "the migrated files do not load: {}",
                    shown(&after.sources, error)
                ),
            )
            .help("please report this with the input: it is a bug in aigw migrate"),
        );
        return out;
    }
    let json = |objects: &[load::Object]| -> Vec<Value> {
        objects.iter().map(|o| o.node.to_json()).collect()
    };
    let before_json = json(&before.objects);
    let after_json = json(&after.objects);
    // `aigw validate --release TO` on the migrated files.
    let options = crate::Options {
        namespace: namespace.to_string(),
        release: Some(to.to_string()),
        ..crate::Options::default()
    };
    if crate::admit::Release::find(&to.to_string()).is_none() {
        notes.push(format!(
            "{to} is not a built-in release (end of life): the result was compared for routing, but not validated against its CRDs"
        ));
    } else {
        match crate::compile_files(after_files, &options) {
            Ok(compiled) => {
                for d in compiled.report.diagnostics.iter().filter(|d| d.is_error()) {
                    out.push(
                        Diagnostic::new(
                            Code::MigrateProof,
                            format!("the migrated manifests are not valid {to}: {}", shown(&compiled.sources, d)),
                        )
                        .help("nothing was written; this is a bug in aigw migrate, or a change it does not know yet: please report it with the input"),
                    );
                }
            }
            Err(e) => out.push(Diagnostic::new(
                Code::MigrateProof,
                format!("cannot validate the result as {to}: {}", e.0),
            )),
        }
    }
    let (b, a) = (
        project(&before_json, namespace),
        project(&after_json, namespace),
    );
    for change in crate::diff::fields(&b, &a) {
        let show = |v: &Option<Value>| v.as_ref().map_or("(none)".to_string(), Value::to_string);
        out.push(
            Diagnostic::new(
                Code::MigrateProof,
                format!(
                    "the migration would change the routing at {}: {} → {}",
                    change.path,
                    show(&change.before),
                    show(&change.after)
                ),
            )
            .help("nothing was written; please report this with the input: it is a bug in aigw migrate"),
        );
    }
    out
}

/// `file:line:col: CODE message` of a diagnostic of the re-read files.
fn shown(sources: &crate::source::Sources, d: &Diagnostic) -> String {
    match d.span {
        Some(s) => format!(
            "{}:{}:{}: {} {}",
            sources.name(s.file),
            s.line,
            s.col,
            d.code,
            d.message
        ),
        None => format!("{} {}", d.code, d.message),
    }
}

fn s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    s(v, path).and_then(Value::as_str)
}

fn list<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    s(v, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn is(v: &Value, group: &str, kind: &str) -> bool {
    text(v, &["kind"]) == Some(kind)
        && text(v, &["apiVersion"])
            .is_some_and(|a| a.rsplit_once('/').map_or("", |(g, _)| g) == group)
}

/// The routing of a set of objects of any release, in one shape.
pub fn project(objects: &[Value], default_ns: &str) -> Value {
    let ns_of = |o: &Value| {
        text(o, &["metadata", "namespace"])
            .unwrap_or(default_ns)
            .to_string()
    };
    let name_of = |o: &Value| text(o, &["metadata", "name"]).unwrap_or("").to_string();
    let keyed = |group: &str, kind: &str| -> BTreeMap<(String, String), &Value> {
        objects
            .iter()
            .filter(|o| is(o, group, kind))
            .map(|o| ((ns_of(o), name_of(o)), o))
            .collect()
    };
    let backends = keyed(AI_GATEWAY_GROUP, "AIServiceBackend");
    let policies = keyed(AI_GATEWAY_GROUP, "BackendSecurityPolicy");
    let eg_backends = keyed("gateway.envoyproxy.io", "Backend");
    let gateways = keyed("gateway.networking.k8s.io", "Gateway");
    let configs = keyed(AI_GATEWAY_GROUP, "GatewayConfig");

    // The policy of a backend: its own reference (v0.1), or a policy naming it in targetRefs.
    let policy_of = |ns: &str, backend: &str, b: &Value| -> Value {
        let by_ref = text(b, &["spec", "backendSecurityPolicyRef", "name"])
            .and_then(|p| policies.get(&(ns.to_string(), p.to_string())));
        let by_target = policies.iter().find(|((pns, _), p)| {
            pns == ns
                && list(p, &["spec", "targetRefs"]).iter().any(|t| {
                    text(t, &["kind"]) == Some("AIServiceBackend")
                        && text(t, &["name"]) == Some(backend)
                })
        });
        match by_ref.or(by_target.map(|(_, p)| p)) {
            Some(p) => {
                let mut spec = s(p, &["spec"]).cloned().unwrap_or(Value::Null);
                if let Value::Object(m) = &mut spec {
                    m.remove("targetRefs");
                }
                spec
            }
            None => Value::Null,
        }
    };
    let destination = |ns: &str, b: &Value| -> Value {
        let r = s(b, &["spec", "backendRef"])
            .cloned()
            .unwrap_or(Value::Null);
        let kind = text(&r, &["kind"]).unwrap_or("Service");
        let group = text(&r, &["group"]).unwrap_or("");
        let name = text(&r, &["name"]).unwrap_or("");
        let rns = text(&r, &["namespace"]).unwrap_or(ns);
        if group.is_empty() && kind == "Service" {
            return json!({"service": format!("{rns}/{name}"), "port": r.get("port")});
        }
        if group == "gateway.envoyproxy.io" && kind == "Backend" {
            if let Some(eg) = eg_backends.get(&(rns.to_string(), name.to_string())) {
                if let [endpoint] = list(eg, &["spec", "endpoints"]) {
                    let host = text(endpoint, &["fqdn", "hostname"]).unwrap_or("");
                    if let Some(service) = host.strip_suffix(".svc.cluster.local") {
                        if let Some((svc, sns)) = service.split_once('.') {
                            if !sns.contains('.') {
                                return json!({"service": format!("{sns}/{svc}"), "port": s(endpoint, &["fqdn", "port"])});
                            }
                        }
                    }
                }
            }
        }
        json!({"group": group, "kind": kind, "namespace": rns, "name": name})
    };
    let mut routes = Map::new();
    for o in objects
        .iter()
        .filter(|o| is(o, AI_GATEWAY_GROUP, "AIGatewayRoute"))
    {
        let (ns, name) = (ns_of(o), name_of(o));
        let refs = match list(o, &["spec", "parentRefs"]) {
            [] => list(o, &["spec", "targetRefs"]),
            refs => refs,
        };
        let mut gws: Vec<String> = refs
            .iter()
            .map(|r| {
                let gns = text(r, &["namespace"]).unwrap_or(&ns);
                let section = text(r, &["sectionName"])
                    .map(|s| format!("#{s}"))
                    .unwrap_or_default();
                format!("{gns}/{}{section}", text(r, &["name"]).unwrap_or(""))
            })
            .collect();
        gws.sort();
        gws.dedup();
        let rules: Vec<Value> = list(o, &["spec", "rules"])
            .iter()
            .map(|rule| {
                let matches: Vec<Value> = list(rule, &["matches"])
                    .iter()
                    .map(|m| {
                        Value::Array(
                            list(m, &["headers"])
                                .iter()
                                .map(|h| {
                                    json!({
                                        "name": h.get("name"),
                                        "type": text(h, &["type"]).unwrap_or("Exact"),
                                        "value": h.get("value"),
                                    })
                                })
                                .collect(),
                        )
                    })
                    .collect();
                let mut backend_timeouts = Vec::new();
                let refs: Vec<Value> = list(rule, &["backendRefs"])
                    .iter()
                    .map(|r| {
                        let bname = text(r, &["name"]).unwrap_or("");
                        let b = backends
                            .get(&(ns.clone(), bname.to_string()))
                            .copied()
                            .unwrap_or(&Value::Null);
                        backend_timeouts.push(s(b, &["spec", "timeouts"]).cloned());
                        json!({
                            "name": bname,
                            "weight": r.get("weight").and_then(Value::as_i64).unwrap_or(1),
                            "destination": destination(&ns, b),
                            "schema": s(b, &["spec", "schema"]),
                            "auth": policy_of(&ns, bname, b),
                        })
                    })
                    .collect();
                // v0.1 kept timeouts per backend; later releases per rule.
                let timeouts = match rule.get("timeouts") {
                    Some(t) => t.clone(),
                    None => {
                        backend_timeouts.dedup();
                        match backend_timeouts.as_slice() {
                            [Some(t)] => t.clone(),
                            [] | [None] => Value::Null,
                            many => Value::Array(
                                many.iter()
                                    .map(|t| t.clone().unwrap_or(Value::Null))
                                    .collect(),
                            ),
                        }
                    }
                };
                json!({"matches": matches, "backends": refs, "timeouts": timeouts})
            })
            .collect();
        // The extproc resources: the route's filterConfig, or its Gateway's GatewayConfig.
        let resources = match s(
            o,
            &["spec", "filterConfig", "externalProcessor", "resources"],
        ) {
            Some(r) => r.clone(),
            None => refs
                .iter()
                .find_map(|r| {
                    let gname = text(r, &["name"])?.to_string();
                    let gns = text(r, &["namespace"]).unwrap_or(&ns).to_string();
                    let config = gateways
                        .get(&(gns.clone(), gname.clone()))
                        .and_then(|g| {
                            text(
                                g,
                                &["metadata", "annotations", super::GATEWAY_CONFIG_ANNOTATION],
                            )
                        })
                        .map(String::from)
                        .unwrap_or(gname);
                    configs.get(&(gns, config))
                })
                .and_then(|c| s(c, &["spec", "extProc", "kubernetes", "resources"]).cloned())
                .unwrap_or(Value::Null),
        };
        routes.insert(
            format!("{ns}/{name}"),
            json!({
                "gateways": gws,
                "rules": rules,
                "llmRequestCosts": s(o, &["spec", "llmRequestCosts"]),
                "extprocResources": resources,
            }),
        );
    }
    Value::Object(routes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V01: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: chat, namespace: default}
spec:
  schema: {name: OpenAI}
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: m}]}]
      backendRefs: [{name: svc, weight: 2}]
---
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: svc, namespace: default}
spec:
  schema: {name: OpenAI}
  backendRef: {name: svc, port: 80}
";

    fn files(text: &str) -> Vec<(String, Vec<u8>)> {
        vec![("a.yaml".into(), text.as_bytes().to_vec())]
    }

    #[test]
    fn unmigrated_v0_1_is_not_valid_v1_1() {
        let mut notes = Vec::new();
        let found = prove(
            files(V01),
            files(V01),
            super::super::release::V1_1,
            "default",
            &mut notes,
        );
        assert!(
            found.iter().any(|d| d.message.contains("not valid v1.1")),
            "{found:?}"
        );
    }

    #[test]
    fn a_weight_change_is_a_routing_difference() {
        let mut notes = Vec::new();
        let changed = V01.replace("weight: 2", "weight: 3");
        let found = prove(
            files(V01),
            files(&changed),
            super::super::release::V0_2,
            "default",
            &mut notes,
        );
        assert!(
            found.iter().any(|d| d.message.contains("weight")),
            "{found:?}"
        );
        let same = prove(
            files(V01),
            files(V01),
            super::super::release::V0_2,
            "default",
            &mut notes,
        );
        assert!(same.is_empty(), "{same:?}");
    }
}
