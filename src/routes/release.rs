//! `aigw routes` for the releases after v0.1, from the admitted (defaulted)
//! objects: per Gateway, each AIGatewayRoute's hostnames and rules (name,
//! header matches, timeouts) with their backends (weight and traffic share
//! within a priority level, priority 0 first and higher ones as fallback,
//! auth), and each MCPRoute's path and backends.
//!
//! # JSON structure (`aigw routes -o json`), stable
//!
//! ```text
//! {
//!   "release": "v1.1.0",
//!   "gateways": [{
//!     "namespace": "ai", "name": "gw", "sectionName": "http" | null,
//!     "routes": [{
//!       "kind": "AIGatewayRoute", "namespace": "ai", "name": "chat",
//!       "hostnames": ["ai.example.com"],
//!       "rules": [{
//!         "rule": 0, "name": "gpt" | null,
//!         "matches": ["x-ai-eg-model=gpt-4o"],      // header matches; Exact is `=`, RegularExpression `~`
//!         "backends": [{
//!           "kind": "AIServiceBackend" | "InferencePool",
//!           "namespace": "ai", "name": "openai",
//!           "weight": 1, "priority": 0,
//!           "share": 75.0,                          // percent of the rule's traffic at that priority
//!           "auth": null | "APIKey" | "AWSCredentials" | ...,
//!           "schema": "OpenAI" | null
//!         }],
//!         "timeouts": null | {"request": "60s", "backendRequest": "30s"}
//!       }]
//!     }, {
//!       "kind": "MCPRoute", "namespace": "ai", "name": "tools",
//!       "path": "/mcp",
//!       "backends": [{"name": "github", "namespace": "ai", "path": null}]
//!     }]
//!   }]
//! }
//! ```
//!
//! Gateways are sorted by namespace, name and section; routes by kind,
//! namespace and name; rules and backends keep their input order.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

use crate::admit::Admitted;
use crate::load::node::Node;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Table {
    pub release: String,
    pub gateways: Vec<Gateway>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Gateway {
    pub namespace: String,
    pub name: String,
    pub section_name: Option<String>,
    pub routes: Vec<Json>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Backend {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub weight: i64,
    pub priority: i64,
    pub share: f64,
    pub auth: Option<String>,
    pub schema: Option<String>,
}

fn items<'a>(node: Option<&'a Node>, key: &str) -> &'a [Node] {
    node.and_then(|n| n.get(key))
        .and_then(Node::as_seq)
        .unwrap_or_default()
}

fn int(node: &Node, key: &str, default: i64) -> i64 {
    match node.get(key).map(|n| &n.value) {
        Some(crate::load::node::Value::Int(i)) => *i,
        _ => default,
    }
}

/// A Gateway by namespace, name and section.
type GatewayKey = (String, String, Option<String>);

/// The routing table of the admitted objects of a run.
pub fn table(release: &str, admitted: &[Admitted]) -> Table {
    let find = |kind: &str, ns: &str, name: &str| {
        admitted
            .iter()
            .find(|a| a.object.kind == kind && a.namespace == ns && a.object.name == name)
    };
    // The auth type of each backend, from the policies that target it.
    let mut auth: BTreeMap<(String, String), String> = BTreeMap::new();
    for policy in admitted
        .iter()
        .filter(|a| a.object.kind == "BackendSecurityPolicy")
    {
        let spec = policy.defaulted.get("spec");
        let Some(kind) = spec.and_then(|s| s.get_str("type")) else {
            continue;
        };
        for target in items(spec, "targetRefs") {
            if let Some(name) = target.get_str("name") {
                auth.insert(
                    (policy.namespace.clone(), name.to_string()),
                    kind.to_string(),
                );
            }
        }
    }
    let mut gateways: BTreeMap<GatewayKey, Vec<(String, Json)>> = BTreeMap::new();
    for route in admitted {
        let spec = route.defaulted.get("spec");
        let shown = match route.object.kind.as_str() {
            "AIGatewayRoute" => ai_route(route, spec, &find, &auth),
            "MCPRoute" => mcp_route(route, spec),
            _ => continue,
        };
        for parent in items(spec, "parentRefs") {
            let Some(name) = parent.get_str("name") else {
                continue;
            };
            let ns = parent.get_str("namespace").unwrap_or(&route.namespace);
            let section = parent.get_str("sectionName").map(String::from);
            let sort_key = format!(
                "{}/{}/{}",
                route.object.kind, route.namespace, route.object.name
            );
            gateways
                .entry((ns.to_string(), name.to_string(), section))
                .or_default()
                .push((sort_key, shown.clone()));
        }
    }
    Table {
        release: release.to_string(),
        gateways: gateways
            .into_iter()
            .map(|((namespace, name, section_name), mut routes)| {
                routes.sort_by(|a, b| a.0.cmp(&b.0));
                Gateway {
                    namespace,
                    name,
                    section_name,
                    routes: routes.into_iter().map(|(_, r)| r).collect(),
                }
            })
            .collect(),
    }
}

fn ai_route<'a>(
    route: &Admitted,
    spec: Option<&Node>,
    find: &dyn Fn(&str, &str, &str) -> Option<&'a Admitted>,
    auth: &BTreeMap<(String, String), String>,
) -> Json {
    let mut rules = Vec::new();
    for (i, rule) in items(spec, "rules").iter().enumerate() {
        let matches: Vec<String> = items(Some(rule), "matches")
            .iter()
            .flat_map(|m| items(Some(m), "headers").iter())
            .map(|h| {
                let op = if h.get_str("type") == Some("RegularExpression") {
                    "~"
                } else {
                    "="
                };
                format!(
                    "{}{op}{}",
                    h.get_str("name").unwrap_or(""),
                    h.get_str("value").unwrap_or("")
                )
            })
            .collect();
        let mut backends: Vec<Backend> = items(Some(rule), "backendRefs")
            .iter()
            .map(|b| {
                let kind = b.get_str("kind").unwrap_or("AIServiceBackend").to_string();
                let ns = b
                    .get_str("namespace")
                    .unwrap_or(&route.namespace)
                    .to_string();
                let name = b.get_str("name").unwrap_or("").to_string();
                let schema = find("AIServiceBackend", &ns, &name)
                    .and_then(|a| a.defaulted.get("spec"))
                    .and_then(|s| s.get("schema"))
                    .and_then(|s| s.get_str("name"))
                    .map(String::from);
                Backend {
                    auth: auth.get(&(ns.clone(), name.clone())).cloned(),
                    kind,
                    namespace: ns,
                    name,
                    weight: int(b, "weight", 1),
                    priority: int(b, "priority", 0),
                    share: 0.0,
                    schema,
                }
            })
            .collect();
        // The share of each backend among those of its priority level.
        let totals: BTreeMap<i64, i64> = backends.iter().fold(BTreeMap::new(), |mut t, b| {
            *t.entry(b.priority).or_default() += b.weight.max(0);
            t
        });
        for b in &mut backends {
            let total = totals.get(&b.priority).copied().unwrap_or(0);
            b.share = if total > 0 {
                (b.weight.max(0) as f64 * 1000.0 / total as f64).round() / 10.0
            } else {
                0.0
            };
        }
        rules.push(serde_json::json!({
            "rule": i,
            "name": rule.get_str("name"),
            "matches": matches,
            "backends": backends,
            "timeouts": rule.get("timeouts").map(Node::to_json),
        }));
    }
    let hostnames: Vec<Json> = items(spec, "hostnames").iter().map(Node::to_json).collect();
    serde_json::json!({
        "kind": "AIGatewayRoute",
        "namespace": route.namespace,
        "name": route.object.name,
        "hostnames": hostnames,
        "rules": rules,
    })
}

fn mcp_route(route: &Admitted, spec: Option<&Node>) -> Json {
    let backends: Vec<Json> = items(spec, "backendRefs")
        .iter()
        .map(|b| {
            serde_json::json!({
                "name": b.get_str("name"),
                "namespace": b.get_str("namespace").unwrap_or(&route.namespace),
                "path": b.get_str("path"),
            })
        })
        .collect();
    serde_json::json!({
        "kind": "MCPRoute",
        "namespace": route.namespace,
        "name": route.object.name,
        "path": spec.and_then(|s| s.get_str("path")),
        "backends": backends,
    })
}

/// A share as people write it: `75%`, `33.3%`.
fn share(value: &Json) -> String {
    let n = value.as_f64().unwrap_or(0.0);
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

pub fn to_json(table: &Table) -> String {
    let mut text = serde_json::to_string_pretty(table).unwrap_or_default();
    text.push('\n');
    text
}

/// Aligned columns, one block per Gateway and route.
pub fn to_text(table: &Table) -> String {
    let mut out = String::new();
    for (g, gateway) in table.gateways.iter().enumerate() {
        if g > 0 {
            out.push('\n');
        }
        let section = gateway
            .section_name
            .as_deref()
            .map_or(String::new(), |s| format!(" (section {s})"));
        out.push_str(&format!(
            "Gateway {}/{}{section}\n",
            gateway.namespace, gateway.name
        ));
        for route in &gateway.routes {
            let kind = route["kind"].as_str().unwrap_or("");
            let hosts: Vec<&str> = route["hostnames"]
                .as_array()
                .map(|h| h.iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            let hosts = if hosts.is_empty() {
                String::new()
            } else {
                format!(" (hostnames {})", hosts.join(", "))
            };
            out.push_str(&format!(
                "  {kind} {}/{}{hosts}\n",
                route["namespace"].as_str().unwrap_or(""),
                route["name"].as_str().unwrap_or("")
            ));
            let mut rows = Vec::new();
            if kind == "MCPRoute" {
                rows.push(vec![
                    "PATH".to_string(),
                    "BACKEND".into(),
                    "BACKEND PATH".into(),
                ]);
                for b in route["backends"].as_array().into_iter().flatten() {
                    rows.push(vec![
                        route["path"].as_str().unwrap_or("-").to_string(),
                        format!(
                            "{}/{}",
                            b["namespace"].as_str().unwrap_or(""),
                            b["name"].as_str().unwrap_or("")
                        ),
                        b["path"].as_str().unwrap_or("-").to_string(),
                    ]);
                }
            } else {
                rows.push(
                    [
                        "MATCH", "RULE", "BACKEND", "WEIGHT", "PRIORITY", "SHARE", "AUTH",
                        "SCHEMA", "TIMEOUTS",
                    ]
                    .map(String::from)
                    .to_vec(),
                );
                for rule in route["rules"].as_array().into_iter().flatten() {
                    let matches: Vec<&str> = rule["matches"]
                        .as_array()
                        .map(|m| m.iter().filter_map(Json::as_str).collect())
                        .unwrap_or_default();
                    let matched = if matches.is_empty() {
                        "*".to_string()
                    } else {
                        matches.join(", ")
                    };
                    let name = match rule["name"].as_str() {
                        Some(n) => format!("{} {n}", rule["rule"]),
                        None => rule["rule"].to_string(),
                    };
                    let timeouts = rule["timeouts"]
                        .as_object()
                        .map(|t| {
                            t.iter()
                                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .unwrap_or_else(|| "-".into());
                    let backends = rule["backends"].as_array().cloned().unwrap_or_default();
                    if backends.is_empty() {
                        rows.push(vec![
                            matched.clone(),
                            name.clone(),
                            "-".into(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            timeouts.clone(),
                        ]);
                    }
                    for b in backends {
                        let backend = if b["kind"] == "AIServiceBackend" {
                            b["name"].as_str().unwrap_or("").to_string()
                        } else {
                            format!(
                                "{}/{}",
                                b["kind"].as_str().unwrap_or(""),
                                b["name"].as_str().unwrap_or("")
                            )
                        };
                        rows.push(vec![
                            matched.clone(),
                            name.clone(),
                            backend,
                            b["weight"].to_string(),
                            b["priority"].to_string(),
                            format!("{}%", share(&b["share"])),
                            b["auth"].as_str().unwrap_or("-").to_string(),
                            b["schema"].as_str().unwrap_or("-").to_string(),
                            timeouts.clone(),
                        ]);
                    }
                }
            }
            let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
                .map(|c| {
                    rows.iter()
                        .filter_map(|r| r.get(c))
                        .map(|s| s.chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in rows {
                let cells: Vec<String> = row
                    .iter()
                    .zip(&widths)
                    .map(|(cell, w)| format!("{cell:<w$}"))
                    .collect();
                out.push_str(&format!("    {}\n", cells.join("  ").trim_end()));
            }
        }
    }
    if table.gateways.is_empty() {
        out.push_str("no routes attach to a Gateway\n");
    }
    out
}
