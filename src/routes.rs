//! `aigw routes`: the routing a Gateway will serve, as a typed table built
//! from the validated catalog, with a text and a JSON writer.
//!
//! The table shows what the v0.1 filter does with the configuration: per
//! Gateway and AIGatewayRoute, each header match, the backends it selects
//! (weights and their share of traffic), their auth, the schema
//! translation and the timeouts. The filter evaluates every rule and the
//! *last* matching one wins, so a match that a later rule repeats is marked
//! as shadowed; a rule without matches is never selected.
//!
//! # JSON structure (`aigw routes -o json`), stable
//!
//! ```text
//! {
//!   "gateways": [{
//!     "namespace": "default", "name": "gw", "sectionName": "https" | null,
//!     "routes": [{
//!       "namespace": "default", "name": "chat",
//!       "schema": {"name": "OpenAI", "version": "v1" | null},
//!       "rules": [{
//!         "rule": 0,
//!         "matches": [{"header": "x-ai-eg-model", "value": "gpt-4o",
//!                      "shadowedBy": 2 | null}],
//!         "backends": [{
//!           "name": "openai", "weight": 1,
//!           "share": 75.0 | null,        // percent of the rule's traffic; null = random
//!           "auth": null | {"type": "APIKey" | "AWSCredentialsFile" | "AWSOIDC",
//!                           "secret": "openai-key", "region": "us-east-1" | null},
//!           "schema": {"name": "AWSBedrock", "version": null},
//!           "timeouts": null | {"backendRequest": "30s", "request": "60s"}  // unset ones omitted
//!         }],
//!         "notes": ["never selected: the rule has no matches"]
//!       }]
//!     }]
//!   }]
//! }
//! ```
//!
//! Gateways are sorted by namespace, name and section; routes by namespace
//! and name; rules, matches and backends keep their input order.

pub mod projection;
pub mod release;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::backend::Timeouts;
use crate::model::catalog::{Catalog, Item};
use crate::model::policy::PolicyType;
use crate::model::AIGatewayRoute;
use crate::translate::deployment::secret_name;
use crate::translate::extproc_config::VersionedSchema;
use crate::translate::{ExtprocOptions, ResolvedRef, RouteContext};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RoutingTable {
    pub gateways: Vec<GatewayRouting>,
}

/// A Gateway (a targetRef of at least one route) and the routes it serves.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayRouting {
    pub namespace: String,
    pub name: String,
    pub section_name: Option<String>,
    pub routes: Vec<RouteRouting>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RouteRouting {
    pub namespace: String,
    pub name: String,
    /// The schema clients speak to this route.
    pub schema: SchemaRef,
    pub rules: Vec<RuleRouting>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SchemaRef {
    pub name: &'static str,
    pub version: Option<String>,
}

impl From<VersionedSchema> for SchemaRef {
    fn from(schema: VersionedSchema) -> Self {
        SchemaRef {
            name: schema.name,
            version: schema.version,
        }
    }
}

impl SchemaRef {
    fn text(&self) -> String {
        match &self.version {
            Some(version) => format!("{} {version}", self.name),
            None => self.name.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleRouting {
    /// Zero-based index in `spec.rules`.
    pub rule: usize,
    pub matches: Vec<MatchRouting>,
    pub backends: Vec<BackendRouting>,
    /// Why the rule (or part of it) gets no traffic.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MatchRouting {
    pub header: String,
    pub value: String,
    /// The later rule that takes this header value (last match wins).
    pub shadowed_by: Option<usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BackendRouting {
    /// The AIServiceBackend (in the route's namespace).
    pub name: String,
    pub weight: i64,
    /// Percent of the rule's traffic; `None` when every weight is 0 and the
    /// filter picks at random.
    pub share: Option<f64>,
    pub auth: Option<AuthRouting>,
    /// The schema the request is translated to.
    pub schema: SchemaRef,
    pub timeouts: Option<Timeouts>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuthRouting {
    #[serde(rename = "type")]
    pub auth_type: AuthType,
    /// The Secret the extproc pod mounts.
    pub secret: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum AuthType {
    APIKey,
    AWSCredentialsFile,
    AWSOIDC,
}

impl AuthRouting {
    fn text(&self) -> String {
        let region = self
            .region
            .as_deref()
            .map(|r| format!(" (region {r})"))
            .unwrap_or_default();
        match self.auth_type {
            AuthType::APIKey => format!("APIKey secret/{}", self.secret),
            AuthType::AWSCredentialsFile => {
                format!("AWS credentials file secret/{}{region}", self.secret)
            }
            AuthType::AWSOIDC => format!("AWS OIDC secret/{}{region}", self.secret),
        }
    }
}

/// Builds the routing table of every route in the catalog.
pub fn routing_table(catalog: &Catalog) -> RoutingTable {
    let options = ExtprocOptions::default();
    let mut gateways: BTreeMap<(String, String, Option<String>), Vec<RouteRouting>> =
        BTreeMap::new();
    for route in catalog.routes.values() {
        let routing = route_routing(&RouteContext::new(route, catalog, &options));
        for target in &route.value.spec.target_refs {
            let key = (
                route.namespace.clone(),
                target.name.clone(),
                target.section_name.clone(),
            );
            let routes = gateways.entry(key).or_default();
            // A route naming the same Gateway twice is listed once.
            if !routes.contains(&routing) {
                routes.push(routing.clone());
            }
        }
    }
    RoutingTable {
        gateways: gateways
            .into_iter()
            .map(|((namespace, name, section_name), routes)| GatewayRouting {
                namespace,
                name,
                section_name,
                routes,
            })
            .collect(),
    }
}

fn route_routing(ctx: &RouteContext) -> RouteRouting {
    let route: &Item<AIGatewayRoute> = ctx.route;
    let rules = &route.value.spec.rules;
    // The filter evaluates every rule; the last one matching a header wins.
    let mut winner: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        for header in rule.matches.iter().flatten().filter_map(first_header) {
            winner.insert((&header.name, &header.value), i);
        }
    }
    let rules = rules
        .iter()
        .zip(&ctx.rules)
        .enumerate()
        .map(|(i, (rule, refs))| {
            let matches: Vec<MatchRouting> = rule
                .matches
                .iter()
                .flatten()
                .filter_map(first_header)
                .map(|h| MatchRouting {
                    header: h.name.clone(),
                    value: h.value.clone(),
                    shadowed_by: winner
                        .get(&(h.name.as_str(), h.value.as_str()))
                        .copied()
                        .filter(|&w| w != i),
                })
                .collect();
            let mut notes = Vec::new();
            if matches.is_empty() {
                notes.push("never selected: the rule has no matches".to_string());
            }
            if refs.is_empty() {
                notes.push("no backends: matching requests get 404".to_string());
            }
            RuleRouting {
                rule: i,
                matches,
                backends: backends(refs),
                notes,
            }
        })
        .collect();
    RouteRouting {
        namespace: route.namespace.clone(),
        name: route.name.clone(),
        schema: VersionedSchema::from(&route.value.spec.schema).into(),
        rules,
    }
}

/// The header a match entry selects on (validation guarantees one per entry).
fn first_header(m: &crate::model::route::RouteMatch) -> Option<&crate::model::route::HeaderMatch> {
    m.headers.as_ref()?.first()
}

fn backends(refs: &[ResolvedRef]) -> Vec<BackendRouting> {
    // i128: the sum of many i64 weights cannot overflow.
    let total: i128 = refs.iter().map(|r| i128::from(r.weight)).sum();
    refs.iter()
        .map(|r| BackendRouting {
            name: r.backend.name.clone(),
            weight: r.weight,
            share: share(r.weight, total, refs.len()),
            auth: r.policy.and_then(auth),
            schema: VersionedSchema::from(&r.backend.value.spec.schema).into(),
            timeouts: r.backend.value.spec.timeouts.clone(),
        })
        .collect()
}

/// Percent of the traffic, rounded to one decimal; `None` for a random pick.
fn share(weight: i64, total: i128, backends: usize) -> Option<f64> {
    if total == 0 {
        // A lone backend takes everything whatever its weight.
        return (backends == 1).then_some(100.0);
    }
    let percent = weight as f64 * 100.0 / total as f64;
    Some((percent * 10.0).round() / 10.0)
}

fn auth(policy: &Item<crate::model::BackendSecurityPolicy>) -> Option<AuthRouting> {
    let spec = &policy.value.spec;
    let secret = secret_name(policy)?;
    let (auth_type, region) = match spec.policy_type {
        PolicyType::APIKey => (AuthType::APIKey, None),
        PolicyType::AWSCredentials => {
            let aws = spec.aws_credentials.as_ref()?;
            // The credentials file wins when both are set (as the Deployment mounts it).
            let auth_type = if aws.credentials_file.is_some() {
                AuthType::AWSCredentialsFile
            } else {
                AuthType::AWSOIDC
            };
            (auth_type, Some(aws.region.clone()))
        }
    };
    Some(AuthRouting {
        auth_type,
        secret,
        region,
    })
}

/// The table as pretty JSON (the structure in the module docs).
pub fn to_json(table: &RoutingTable) -> String {
    let mut out = serde_json::to_string_pretty(table).unwrap_or_default();
    out.push('\n');
    out
}

const COLUMNS: [&str; 9] = [
    "MATCH", "RULE", "BACKEND", "WEIGHT", "SHARE", "AUTH", "SCHEMA", "TIMEOUTS", "NOTE",
];

/// The table as text: per Gateway and route, one aligned table with a row
/// per header match and a continuation row per further backend.
pub fn to_text(table: &RoutingTable) -> String {
    if table.gateways.is_empty() {
        return "no AIGatewayRoute in the input\n".into();
    }
    let mut out = String::new();
    for (g, gateway) in table.gateways.iter().enumerate() {
        if g > 0 {
            out.push('\n');
        }
        let section = gateway
            .section_name
            .as_deref()
            .map(|s| format!("/{s}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "Gateway {}/{}{section}\n",
            gateway.namespace, gateway.name
        ));
        for route in &gateway.routes {
            out.push_str(&format!(
                "  AIGatewayRoute {}/{} (clients speak {})\n",
                route.namespace,
                route.name,
                route.schema.text()
            ));
            let mut rows = vec![COLUMNS.map(String::from).to_vec()];
            for rule in &route.rules {
                rule_rows(route, rule, &mut rows);
            }
            out.push_str(&aligned(&rows, "    "));
        }
    }
    out
}

fn rule_rows(route: &RouteRouting, rule: &RuleRouting, rows: &mut Vec<Vec<String>>) {
    let match_cells: Vec<(String, Option<String>)> = if rule.matches.is_empty() {
        vec![("(no matches)".into(), None)]
    } else {
        rule.matches
            .iter()
            .map(|m| {
                (
                    format!("{}={}", m.header, m.value),
                    m.shadowed_by.map(|w| format!("shadowed by rule {w}")),
                )
            })
            .collect()
    };
    for (match_cell, shadowed) in match_cells {
        let mut notes: Vec<String> = shadowed.into_iter().collect();
        notes.extend(rule.notes.iter().cloned());
        let note = notes.join("; ");
        let lines = backend_cells(route, &rule.backends);
        if lines.is_empty() {
            let mut row = vec![match_cell, rule.rule.to_string()];
            row.extend(["-", "", "", "", "", ""].map(String::from));
            row.push(note);
            rows.push(row);
            continue;
        }
        for (b, cells) in lines.into_iter().enumerate() {
            let mut row = if b == 0 {
                vec![match_cell.clone(), rule.rule.to_string()]
            } else {
                vec![String::new(), String::new()]
            };
            row.extend(cells);
            row.push(if b == 0 { note.clone() } else { String::new() });
            rows.push(row);
        }
    }
}

/// BACKEND, WEIGHT, SHARE, AUTH, SCHEMA, TIMEOUTS per backend.
fn backend_cells(route: &RouteRouting, backends: &[BackendRouting]) -> Vec<Vec<String>> {
    backends
        .iter()
        .map(|b| {
            let share = match b.share {
                Some(percent) => format!("{percent}%"),
                None => "random".into(),
            };
            let timeouts = b
                .timeouts
                .as_ref()
                .map(|t| {
                    [
                        ("request", &t.request),
                        ("backendRequest", &t.backend_request),
                    ]
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
                    .collect::<Vec<_>>()
                    .join(", ")
                })
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "-".into());
            vec![
                b.name.clone(),
                b.weight.to_string(),
                share,
                b.auth
                    .as_ref()
                    .map_or_else(|| "-".into(), AuthRouting::text),
                format!("{} → {}", route.schema.text(), b.schema.text()),
                timeouts,
            ]
        })
        .collect()
}

/// Left-aligned columns two spaces apart, without trailing blanks.
fn aligned(rows: &[Vec<String>], indent: &str) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(c) {
                Some(w) => *w = (*w).max(width),
                None => widths.push(width),
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(indent);
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(cell);
            let pad = width.saturating_sub(cell.chars().count()) + 2;
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_weight_over_sum() {
        assert_eq!(share(3, 4, 2), Some(75.0));
        assert_eq!(share(1, 3, 2), Some(33.3));
        assert_eq!(share(2, 3, 2), Some(66.7));
        assert_eq!(share(0, 0, 2), None);
        assert_eq!(share(0, 0, 1), Some(100.0));
        assert_eq!(share(0, 5, 2), Some(0.0));
        // Huge weights do not overflow.
        let total = i128::from(i64::MAX) * 2;
        assert_eq!(share(i64::MAX, total, 2), Some(50.0));
    }

    #[test]
    fn columns_are_aligned_without_trailing_blanks() {
        let rows = vec![
            vec!["A".to_string(), "BB".into(), "".into()],
            vec!["ccc".to_string(), "→".into(), "x".into()],
        ];
        assert_eq!(aligned(&rows, "  "), "  A    BB\n  ccc  →   x\n");
    }
}
