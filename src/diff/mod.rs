//! `aigw diff`: what a change of manifests does to the traffic.
//!
//! Both sides are validated on their own, each with its detected release
//! ([`side`]); the diff then compares, first, the routing each Gateway
//! serves (the routing projection of `routes`, one shape for every
//! release, compared structurally), and second, the objects field by field: the
//! rendered output when both sides are v0.1, else the validated input
//! objects.
//!
//! Rules are paired by their matches (a rule inserted above others does
//! not make every later rule "changed"); rules whose matches changed are
//! paired by position among the rest. Backends are paired by name.
//!
//! # JSON structure (`aigw diff -o json`), stable
//!
//! ```text
//! {
//!   "old": "HEAD~1", "new": ".",                 // the labels of the two sides
//!   "oldRelease": "v0.1", "newRelease": "v1.1",  // the release each side was validated with
//!   "changed": true,
//!   "routing": [{                                 // Gateways with a change
//!     "gateway": "default/gw", "sectionName": null,
//!     "change": "added" | "removed" | "changed",
//!     "routes": [{
//!       "route": "default/chat" | "MCPRoute default/tools",
//!       "change": "added" | "removed" | "changed",
//!       "fields": [FIELD],                        // route-level: costs, hostnames, extproc
//!                                                 // resources; an MCPRoute's path, backends
//!       "rules": [{
//!         "match": "x-ai-eg-model=gpt-4o",        // the rule's matches (several headers of one
//!                                                 // match joined by &), or "rule 3" without
//!         "before": 0 | null, "after": 1 | null,  // index in spec.rules
//!         "change": "added" | "removed" | "changed",
//!         "fields": [FIELD],                      // matches, notes, ...
//!         "backends": [{
//!           "name": "openai", "change": "added" | "removed" | "changed",
//!           "share": {"before": 80.0, "after": 60.0} | null,   // percent of the rule's traffic
//!                                                 // at the backend's priority; null: unchanged
//!           "fields": [FIELD]                     // weight, priority (fallback), auth, timeouts, schema,
//!                                                 // destination, ...
//!         }]
//!       }]
//!     }]
//!   }],
//!   "objects": [{
//!     "kind": "ConfigMap", "apiVersion": "v1", "namespace": "default" | null, "name": "x",
//!     "change": "added" | "removed" | "changed",
//!     "fields": [FIELD]                           // only for "changed"
//!   }]
//! }
//! FIELD = {"path": "auth.type", "before": <JSON> | null, "after": <JSON> | null}
//! ```
//!
//! Gateways, routes and objects are sorted by their keys; rules and
//! backends keep the new side's order (removed ones after).

pub mod git;
pub mod side;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

pub use side::{load_side, Input, Side};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub before: Option<f64>,
    pub after: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackendChange {
    pub name: String,
    pub change: Change,
    pub share: Option<Share>,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleChange {
    #[serde(rename = "match")]
    pub matches: String,
    pub before: Option<usize>,
    pub after: Option<usize>,
    pub change: Change,
    pub fields: Vec<FieldChange>,
    pub backends: Vec<BackendChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteChange {
    pub route: String,
    pub change: Change,
    pub fields: Vec<FieldChange>,
    pub rules: Vec<RuleChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayChange {
    pub gateway: String,
    pub section_name: Option<String>,
    pub change: Change,
    pub routes: Vec<RouteChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectChange {
    pub kind: String,
    pub api_version: String,
    pub namespace: Option<String>,
    pub name: String,
    pub change: Change,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    pub old: String,
    pub new: String,
    /// The release each side was validated with (`v0.1`, `v1.1`, ...).
    pub old_release: String,
    pub new_release: String,
    pub changed: bool,
    pub routing: Vec<GatewayChange>,
    pub objects: Vec<ObjectChange>,
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Compares two valid sides (None when either is invalid). The objects
/// compared are the rendered output when both sides are v0.1, else the
/// validated input objects of both.
pub fn diff(old: &Side, new: &Side) -> Option<Diff> {
    let (o, n) = (old.view.as_ref()?, new.view.as_ref()?);
    let routing = routing(&o.routing, &n.routing);
    let objects = match (&o.rendered, &n.rendered) {
        (Some(a), Some(b)) => objects(a, b, None),
        _ => objects(&o.inputs, &n.inputs, Some((&o.written, &n.written))),
    };
    Some(Diff {
        old: old.label.clone(),
        new: new.label.clone(),
        old_release: old.release.clone(),
        new_release: new.release.clone(),
        changed: !routing.is_empty() || !objects.is_empty(),
        routing,
        objects,
    })
}

fn routing(old: &Value, new: &Value) -> Vec<GatewayChange> {
    let key = |g: &Value| {
        (
            format!("{}/{}", text(g, "namespace"), text(g, "name")),
            g.get("sectionName")
                .and_then(Value::as_str)
                .map(String::from),
        )
    };
    let old_map: BTreeMap<_, &Value> = array(old, "gateways").iter().map(|g| (key(g), g)).collect();
    let new_map: BTreeMap<_, &Value> = array(new, "gateways").iter().map(|g| (key(g), g)).collect();
    let keys: BTreeSet<_> = old_map.keys().chain(new_map.keys()).cloned().collect();
    let mut out = Vec::new();
    for k in keys {
        let (before, after) = (old_map.get(&k).copied(), new_map.get(&k).copied());
        let change = match (before, after) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            _ => Change::Changed,
        };
        let routes = routes(before, after);
        if change == Change::Changed && routes.is_empty() {
            continue;
        }
        out.push(GatewayChange {
            gateway: k.0,
            section_name: k.1,
            change,
            routes,
        });
    }
    out
}

fn routes(old: Option<&Value>, new: Option<&Value>) -> Vec<RouteChange> {
    // An MCPRoute may share an AIGatewayRoute's name.
    let key = |r: &Value| {
        let kind = match text(r, "kind").as_str() {
            "MCPRoute" => "MCPRoute ",
            _ => "",
        };
        format!("{kind}{}/{}", text(r, "namespace"), text(r, "name"))
    };
    let old_map: BTreeMap<_, &Value> = old
        .map(|g| array(g, "routes"))
        .unwrap_or(&[])
        .iter()
        .map(|r| (key(r), r))
        .collect();
    let new_map: BTreeMap<_, &Value> = new
        .map(|g| array(g, "routes"))
        .unwrap_or(&[])
        .iter()
        .map(|r| (key(r), r))
        .collect();
    let keys: BTreeSet<_> = old_map.keys().chain(new_map.keys()).cloned().collect();
    let mut out = Vec::new();
    for k in keys {
        let (before, after) = (old_map.get(&k).copied(), new_map.get(&k).copied());
        let change = match (before, after) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            _ => Change::Changed,
        };
        let fields = match (before, after) {
            (Some(b), Some(a)) => fields(
                &without(b, &["namespace", "name", "rules"]),
                &without(a, &["namespace", "name", "rules"]),
            ),
            _ => Vec::new(),
        };
        let rules = rules(
            before.map_or(&[], |r| array(r, "rules")),
            after.map_or(&[], |r| array(r, "rules")),
        );
        if change == Change::Changed && fields.is_empty() && rules.is_empty() {
            continue;
        }
        out.push(RouteChange {
            route: k,
            change,
            fields,
            rules,
        });
    }
    out
}

/// `value` without the keys in `drop` (those compared on their own).
fn without(value: &Value, drop: &[&str]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !drop.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A rule's matches as one key: `header=value` pairs, sorted.
fn match_key(rule: &Value) -> String {
    let mut parts: Vec<String> = array(rule, "matches")
        .iter()
        .map(|m| format!("{}={}", text(m, "header"), text(m, "value")))
        .collect();
    parts.sort();
    parts.join(", ")
}

fn rules(old: &[Value], new: &[Value]) -> Vec<RuleChange> {
    // Pair rules with the same matches first (in order), then the rest by position.
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut old_used = vec![false; old.len()];
    let mut new_paired: Vec<Option<usize>> = vec![None; new.len()];
    for (j, n) in new.iter().enumerate() {
        let key = match_key(n);
        if key.is_empty() {
            continue;
        }
        let free = |i: &usize| old_used.get(*i) == Some(&false);
        let found = (0..old.len())
            .filter(free)
            .find(|&i| old.get(i).map(match_key).as_ref() == Some(&key));
        if let Some(i) = found {
            if let Some(used) = old_used.get_mut(i) {
                *used = true;
            }
            if let Some(slot) = new_paired.get_mut(j) {
                *slot = Some(i);
            }
        }
    }
    // A rule left over on both sides at the same index changed its
    // matches; any other leftover was removed or added.
    for (j, paired) in new_paired.iter().enumerate() {
        let i = match paired {
            Some(i) => Some(*i),
            None => old_used.get(j).is_some_and(|used| !used).then_some(j),
        };
        if let Some(i) = i {
            if let Some(used) = old_used.get_mut(i) {
                *used = true;
            }
        }
        pairs.push((i, Some(j)));
    }
    pairs.extend(
        (0..old.len())
            .filter(|&i| old_used.get(i) == Some(&false))
            .map(|i| (Some(i), None)),
    );

    let mut out = Vec::new();
    for (i, j) in pairs {
        let before = i.and_then(|i| old.get(i));
        let after = j.and_then(|j| new.get(j));
        let shown = after.or(before).map(match_key).unwrap_or_default();
        let label = if shown.is_empty() {
            format!("rule {}", j.or(i).unwrap_or(0))
        } else {
            shown
        };
        let (change, fields, backends) = match (before, after) {
            (Some(b), Some(a)) => {
                let drop = ["rule", "backends"];
                let mut f = fields(&without(b, &drop), &without(a, &drop));
                // Who shadows a match is an index; it moves with any insert.
                f.retain(|c| !c.path.ends_with("shadowedBy"));
                (
                    Change::Changed,
                    f,
                    backends(array(b, "backends"), array(a, "backends")),
                )
            }
            (None, Some(a)) => (
                Change::Added,
                Vec::new(),
                backends(&[], array(a, "backends")),
            ),
            (Some(b), None) => (
                Change::Removed,
                Vec::new(),
                backends(array(b, "backends"), &[]),
            ),
            (None, None) => continue,
        };
        if change == Change::Changed && fields.is_empty() && backends.is_empty() {
            continue;
        }
        out.push(RuleChange {
            matches: label,
            before: i,
            after: j,
            change,
            fields,
            backends,
        });
    }
    out
}

fn backends(old: &[Value], new: &[Value]) -> Vec<BackendChange> {
    let find = |list: &[Value], name: &str| list.iter().find(|b| text(b, "name") == name).cloned();
    let mut names: Vec<String> = new.iter().map(|b| text(b, "name")).collect();
    for b in old {
        let name = text(b, "name");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let (before, after) = (find(old, &name), find(new, &name));
        let share_of = |b: &Option<Value>| {
            b.as_ref()
                .and_then(|b| b.get("share"))
                .and_then(Value::as_f64)
        };
        let (sb, sa) = (share_of(&before), share_of(&after));
        let change = match (&before, &after) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            _ => Change::Changed,
        };
        let fields = match (&before, &after) {
            (Some(b), Some(a)) => fields(
                &without(b, &["name", "share"]),
                &without(a, &["name", "share"]),
            ),
            _ => Vec::new(),
        };
        let share = (sb != sa || change != Change::Changed).then_some(Share {
            before: sb,
            after: sa,
        });
        if change == Change::Changed && share.is_none() && fields.is_empty() {
            continue;
        }
        out.push(BackendChange {
            name,
            change,
            share,
            fields,
        });
    }
    out
}

/// Field-level changes between two JSON values: every leaf (scalar, or
/// list of scalars) that differs, by dotted path.
pub fn fields(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", Some(before), Some(after), &mut out);
    out
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<FieldChange>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut keys: Vec<&String> = a.keys().collect();
            keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
            for k in keys {
                walk(&join(k), b.get(k), a.get(k), out);
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(a))) if named(b) && named(a) => {
            // Lists of named items (volumes, containers, env): by name.
            let name = |v: &Value| {
                v.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let mut names: Vec<String> = a.iter().map(name).collect();
            names.extend(
                b.iter()
                    .map(name)
                    .filter(|n| !a.iter().any(|v| name(v) == *n)),
            );
            for n in names {
                let find = |list: &[Value]| list.iter().find(|v| name(v) == n).cloned();
                walk(
                    &format!("{path}[name={n}]"),
                    find(b).as_ref(),
                    find(a).as_ref(),
                    out,
                );
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(a)))
            if b.len() == a.len() && b.iter().chain(a).any(|v| v.is_object() || v.is_array()) =>
        {
            for (i, (x, y)) in b.iter().zip(a).enumerate() {
                walk(&format!("{path}[{i}]"), Some(x), Some(y), out);
            }
        }
        (b, a) if b == a => {}
        (b, a) => out.push(FieldChange {
            path: path.to_string(),
            before: b.filter(|v| !v.is_null()).cloned(),
            after: a.filter(|v| !v.is_null()).cloned(),
        }),
    }
}

/// Whether every item of a non-empty list is a mapping with a unique `name`.
fn named(list: &[Value]) -> bool {
    let names: BTreeSet<&str> = list
        .iter()
        .filter_map(|v| v.get("name")?.as_str())
        .collect();
    !list.is_empty() && names.len() == list.len()
}

/// Whether a change at `path` touches a change at `other`: the same
/// field, or one inside the other.
fn touches(path: &str, other: &str) -> bool {
    let inside = |a: &str, b: &str| {
        a.strip_prefix(b)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    inside(path, other) || inside(other, path)
}

/// The objects added, removed or changed. `written` holds both sides as
/// written when `old` and `new` are defaulted: a change is shown only
/// where the written objects differ too, so that an explicit default
/// against an omitted field, or a default only one side's release adds
/// (`priority: 0` of v0.5 on, against v0.1), is no change.
fn objects(
    old: &[Value],
    new: &[Value],
    written: Option<(&[Value], &[Value])>,
) -> Vec<ObjectChange> {
    type Key = (String, String, Option<String>, String);
    let key = |o: &Value| -> Key {
        let api = text(o, "apiVersion");
        // The group and kind identify an object across versions.
        let group = api.rsplit_once('/').map_or("", |(g, _)| g).to_string();
        let meta = o.get("metadata").cloned().unwrap_or(Value::Null);
        (
            format!("{group}/{}", text(o, "kind")),
            text(&meta, "name"),
            meta.get("namespace")
                .and_then(Value::as_str)
                .map(String::from),
            api,
        )
    };
    let index = |list: &[Value]| -> BTreeMap<(String, Option<String>, String), (String, Value)> {
        list.iter()
            .map(|o| {
                let (gk, name, ns, api) = key(o);
                ((gk, ns, name), (api, o.clone()))
            })
            .collect()
    };
    let (old_map, new_map) = (index(old), index(new));
    let written = written.map(|(o, n)| (index(o), index(n)));
    let keys: BTreeSet<_> = old_map.keys().chain(new_map.keys()).cloned().collect();
    let mut out = Vec::new();
    for k in keys {
        let (before, after) = (old_map.get(&k), new_map.get(&k));
        let (change, mut fields) = match (before, after) {
            (Some((_, b)), Some((_, a))) => {
                let mut found = fields(b, a);
                if let Some((wo, wn)) = &written {
                    // As written, an object may leave its namespace to the default.
                    let find = |m: &BTreeMap<(String, Option<String>, String), (String, Value)>| {
                        m.get(&k)
                            .or_else(|| m.get(&(k.0.clone(), None, k.2.clone())))
                            .map(|(_, v)| v.clone())
                    };
                    if let (Some(wb), Some(wa)) = (find(wo), find(wn)) {
                        let as_written = fields(&wb, &wa);
                        found.retain(|c| as_written.iter().any(|w| touches(&c.path, &w.path)));
                    }
                }
                (Change::Changed, found)
            }
            (None, Some(_)) => (Change::Added, Vec::new()),
            (Some(_), None) => (Change::Removed, Vec::new()),
            (None, None) => continue,
        };
        if change == Change::Changed && fields.is_empty() {
            continue;
        }
        let (api, _) = after.or(before).cloned().unwrap_or_default();
        let kind =
            k.0.rsplit_once('/')
                .map_or(k.0.as_str(), |(_, kind)| kind)
                .to_string();
        if k.0 == "/Secret" {
            // A Secret's values never reach any output: only which key changed.
            for f in &mut fields {
                if f.path.starts_with("data.")
                    || f.path.starts_with("stringData.")
                    || f.path == "data"
                    || f.path == "stringData"
                {
                    let hide = |v: &mut Option<Value>| {
                        if v.is_some() {
                            *v = Some(Value::String("****".into()));
                        }
                    };
                    hide(&mut f.before);
                    hide(&mut f.after);
                }
            }
        }
        out.push(ObjectChange {
            kind,
            api_version: api,
            namespace: k.1,
            name: k.2,
            change,
            fields,
        });
    }
    out
}
