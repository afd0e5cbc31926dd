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

use serde::Serialize;
use serde_json::Value as Json;

use super::projection::{self, Gateway, Route};
use crate::admit::Admitted;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Table {
    pub release: String,
    /// The projection's Gateways, each route as the table shows it.
    pub gateways: Vec<Gateway<Json>>,
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

/// The routing table of the admitted objects of a run: a view of the one
/// routing projection ([`super::projection`]), over the defaulted objects.
pub fn table(release: &str, admitted: &[Admitted]) -> Table {
    let objects: Vec<Json> = admitted.iter().map(|a| a.defaulted.to_json()).collect();
    let routing = projection::project(&objects, "");
    Table {
        release: release.to_string(),
        gateways: routing
            .gateways
            .into_iter()
            .map(|g| Gateway {
                namespace: g.namespace,
                name: g.name,
                section_name: g.section_name,
                routes: g.routes.iter().map(shown).collect(),
            })
            .collect(),
    }
}

/// One route as the table shows it.
fn shown(route: &Route) -> Json {
    let route = match route {
        Route::Mcp(mcp) => return serde_json::to_value(mcp).unwrap_or(Json::Null),
        Route::Ai(route) => route,
    };
    let rules: Vec<Json> = route
        .rules
        .iter()
        .map(|rule| {
            let matches: Vec<String> = rule
                .matches
                .iter()
                .flat_map(|m| m.headers.iter())
                .map(|(name, regex, value)| {
                    format!("{name}{}{value}", if *regex { "~" } else { "=" })
                })
                .collect();
            let backends: Vec<Backend> = rule
                .backends
                .iter()
                .map(|b| {
                    let field = |k: &str| b.extra.get(k).and_then(Json::as_str);
                    Backend {
                        kind: field("kind").unwrap_or("AIServiceBackend").to_string(),
                        namespace: field("namespace").unwrap_or(&route.namespace).to_string(),
                        name: b.name.clone(),
                        weight: b.weight,
                        priority: b.priority,
                        share: b.share.unwrap_or(0.0),
                        auth: b.auth.as_ref().map(|a| a.kind.clone()),
                        schema: b
                            .schema
                            .get("name")
                            .and_then(Json::as_str)
                            .map(String::from),
                    }
                })
                .collect();
            serde_json::json!({
                "rule": rule.rule,
                "name": rule.name,
                "matches": matches,
                "backends": backends,
                "timeouts": rule.timeouts,
            })
        })
        .collect();
    serde_json::json!({
        "kind": "AIGatewayRoute",
        "namespace": route.namespace,
        "name": route.name,
        "hostnames": route.hostnames,
        "rules": rules,
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
