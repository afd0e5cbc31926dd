//! The effective routing of a set of objects of any release, in one
//! shape: the single projection that `aigw routes` (releases after v0.1)
//! shows, that `aigw diff` compares between two trees, and that `aigw
//! migrate` proves equal before and after a migration.
//!
//! It reads JSON objects as written or as defaulted, of v0.1 or any later
//! release, and applies the defaults itself (weight 1, priority 0, match
//! type Exact), so that both forms, and two releases, project alike. Per
//! Gateway (and listener): each AIGatewayRoute with its hostnames, cost
//! keys, extproc resources (the route's v0.1–v0.5 `filterConfig`, or the
//! GatewayConfig its Gateway selects) and rules; per rule the header
//! matches and the backends with weight, traffic share within their
//! priority level, auth (from a policy's `targetRefs` or v0.1's
//! `backendSecurityPolicyRef`), schema, timeouts (the rule's, or v0.1's
//! backend timeouts) and destination (a Service, or an Envoy Gateway
//! Backend; a Backend of a Service's cluster DNS name counts as that
//! Service); and each MCPRoute with its path and backends.
//!
//! Its JSON form (serde) is what diff and the migration proof compare;
//! the fields marked `skip` are detail that only `aigw routes` shows.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::load::AI_GATEWAY_GROUP;

/// The annotation by which a Gateway selects its GatewayConfig (v0.5 on).
pub const GATEWAY_CONFIG_ANNOTATION: &str = "aigateway.envoyproxy.io/gateway-config";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Routing {
    pub gateways: Vec<Gateway>,
}

/// A Gateway (or one listener of it) and the routes attached to it,
/// sorted by kind, namespace and name.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Gateway<R = Route> {
    pub namespace: String,
    pub name: String,
    pub section_name: Option<String>,
    pub routes: Vec<R>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Route {
    Ai(AiRoute),
    Mcp(McpRoute),
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AiRoute {
    pub namespace: String,
    pub name: String,
    /// `metadataKey: type (cel)`, one per cost.
    pub llm_request_costs: Vec<String>,
    pub rules: Vec<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hostnames: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extproc_resources: Option<Value>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rule {
    /// The index in `spec.rules`.
    pub rule: usize,
    pub name: Option<Value>,
    pub matches: Vec<Match>,
    pub backends: Vec<Backend>,
    /// The rule's own timeouts (each backend carries its effective ones).
    #[serde(skip)]
    pub timeouts: Option<Value>,
}

/// One match: its headers' names and values, each joined with `&`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Match {
    pub header: String,
    pub value: String,
    /// Each header: name, whether it is a regular expression, value.
    #[serde(skip)]
    pub headers: Vec<(String, bool, String)>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Backend {
    pub name: String,
    pub weight: i64,
    /// Percent of the rule's traffic at this priority; None when the
    /// level's weights add up to 0.
    pub share: Option<f64>,
    pub priority: i64,
    pub auth: Option<Auth>,
    /// The AIServiceBackend's `spec.schema`.
    pub schema: Value,
    pub timeouts: Value,
    /// Whatever else the backendRef says (kind, group, namespace, a model
    /// name override, mutations).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    #[serde(skip_serializing_if = "Value::is_null")]
    pub destination: Value,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Auth {
    #[serde(rename = "type")]
    pub kind: String,
    pub secret: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct McpRoute {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub path: Option<Value>,
    pub backends: Vec<Value>,
}

impl Route {
    pub fn namespace(&self) -> &str {
        match self {
            Route::Ai(r) => &r.namespace,
            Route::Mcp(r) => &r.namespace,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Route::Ai(r) => &r.name,
            Route::Mcp(r) => &r.name,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Route::Ai(_) => "AIGatewayRoute",
            Route::Mcp(_) => "MCPRoute",
        }
    }
}

impl Routing {
    /// The JSON form that diff and the migration proof compare.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
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

type Keyed<'a> = BTreeMap<(String, String), &'a Value>;

/// The objects of a run, looked up by kind, namespace and name.
struct Objects<'a> {
    default_ns: &'a str,
    backends: Keyed<'a>,
    policies: Keyed<'a>,
    eg_backends: Keyed<'a>,
    gateways: Keyed<'a>,
    configs: Keyed<'a>,
}

impl<'a> Objects<'a> {
    fn new(objects: &'a [Value], default_ns: &'a str) -> Self {
        let keyed = |group: &str, kind: &str| -> Keyed<'a> {
            objects
                .iter()
                .filter(|o| is(o, group, kind))
                .map(|o| ((ns_of(o, default_ns), name_of(o)), o))
                .collect()
        };
        Objects {
            default_ns,
            backends: keyed(AI_GATEWAY_GROUP, "AIServiceBackend"),
            policies: keyed(AI_GATEWAY_GROUP, "BackendSecurityPolicy"),
            eg_backends: keyed("gateway.envoyproxy.io", "Backend"),
            gateways: keyed("gateway.networking.k8s.io", "Gateway"),
            configs: keyed(AI_GATEWAY_GROUP, "GatewayConfig"),
        }
    }

    /// The policy of a backend: its own reference (v0.1), or a policy
    /// naming it in `targetRefs` (v0.3 on).
    fn auth(&self, ns: &str, name: &str, backend: &Value) -> Option<Auth> {
        let by_ref = text(backend, &["spec", "backendSecurityPolicyRef", "name"])
            .and_then(|p| self.policies.get(&(ns.to_string(), p.to_string())).copied());
        let by_target = self.policies.iter().find_map(|((pns, _), p)| {
            let names = list(p, &["spec", "targetRefs"]).iter().any(|t| {
                text(t, &["kind"]) == Some("AIServiceBackend") && text(t, &["name"]) == Some(name)
            });
            (pns == ns && names).then_some(*p)
        });
        let spec = at(by_ref.or(by_target)?, &["spec"])?;
        // The Secret a policy reads, wherever its type keeps it.
        let mut secret = None;
        find_secret(spec, &mut secret);
        Some(Auth {
            kind: text(spec, &["type"]).unwrap_or("").to_string(),
            secret,
            region: text(spec, &["awsCredentials", "region"]).map(String::from),
        })
    }

    /// Where a backend sends traffic: a Service, or another kind; an
    /// Envoy Gateway Backend whose one endpoint is a Service's cluster DNS
    /// name is that Service (what migrating to v0.4 writes).
    fn destination(&self, ns: &str, backend: &Value) -> Value {
        let Some(r) = at(backend, &["spec", "backendRef"]) else {
            return Value::Null;
        };
        let kind = text(r, &["kind"]).unwrap_or("Service");
        let group = text(r, &["group"]).unwrap_or("");
        let name = text(r, &["name"]).unwrap_or("");
        let rns = text(r, &["namespace"]).unwrap_or(ns);
        if group.is_empty() && kind == "Service" {
            return json!({"service": format!("{rns}/{name}"), "port": r.get("port")});
        }
        if group == "gateway.envoyproxy.io" && kind == "Backend" {
            let eg = self.eg_backends.get(&(rns.to_string(), name.to_string()));
            if let Some([endpoint]) = eg.map(|b| list(b, &["spec", "endpoints"])) {
                let host = text(endpoint, &["fqdn", "hostname"]).unwrap_or("");
                let service = host
                    .strip_suffix(".svc.cluster.local")
                    .and_then(|s| s.split_once('.'))
                    .filter(|(_, sns)| !sns.contains('.'));
                if let Some((svc, sns)) = service {
                    return json!({"service": format!("{sns}/{svc}"), "port": at(endpoint, &["fqdn", "port"])});
                }
            }
        }
        json!({"group": group, "kind": kind, "namespace": rns, "name": name})
    }

    /// The extproc resources of a route: its own `filterConfig` (up to
    /// v0.5), else the GatewayConfig its first Gateway selects (by the
    /// annotation, else the GatewayConfig named after the Gateway).
    fn extproc_resources(&self, route: &Value, refs: &[Value], ns: &str) -> Option<Value> {
        if let Some(r) = at(
            route,
            &["spec", "filterConfig", "externalProcessor", "resources"],
        ) {
            return Some(r.clone());
        }
        refs.iter()
            .find_map(|r| {
                let gname = text(r, &["name"])?.to_string();
                let gns = text(r, &["namespace"]).unwrap_or(ns).to_string();
                let config = self
                    .gateways
                    .get(&(gns.clone(), gname.clone()))
                    .and_then(|g| text(g, &["metadata", "annotations", GATEWAY_CONFIG_ANNOTATION]))
                    .map(String::from)
                    .unwrap_or(gname);
                self.configs.get(&(gns, config))
            })
            .and_then(|c| at(c, &["spec", "extProc", "kubernetes", "resources"]).cloned())
    }

    fn ai_route(&self, route: &Value, refs: &[Value]) -> AiRoute {
        let ns = ns_of(route, self.default_ns);
        let rules = list(route, &["spec", "rules"])
            .iter()
            .enumerate()
            .map(|(i, rule)| self.rule(i, rule, &ns))
            .collect();
        let costs = list(route, &["spec", "llmRequestCosts"])
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
                t
            })
            .collect();
        AiRoute {
            extproc_resources: self.extproc_resources(route, refs, &ns),
            namespace: ns,
            name: name_of(route),
            llm_request_costs: costs,
            rules,
            hostnames: list(route, &["spec", "hostnames"]).to_vec(),
        }
    }

    fn rule(&self, index: usize, rule: &Value, ns: &str) -> Rule {
        let matches = list(rule, &["matches"])
            .iter()
            .map(|m| {
                let headers: Vec<(String, bool, String)> = list(m, &["headers"])
                    .iter()
                    .map(|h| {
                        (
                            text(h, &["name"]).unwrap_or("").to_string(),
                            text(h, &["type"]) == Some("RegularExpression"),
                            text(h, &["value"]).unwrap_or("").to_string(),
                        )
                    })
                    .collect();
                let join = |f: &dyn Fn(&(String, bool, String)) -> &str| {
                    headers.iter().map(f).collect::<Vec<_>>().join("&")
                };
                Match {
                    header: join(&|h| h.0.as_str()),
                    value: join(&|h| h.2.as_str()),
                    headers: headers.clone(),
                }
            })
            .collect();
        let refs = list(rule, &["backendRefs"]);
        let weight = |r: &Value| r.get("weight").and_then(Value::as_i64).unwrap_or(1);
        let priority = |r: &Value| r.get("priority").and_then(Value::as_i64).unwrap_or(0);
        // The weights of each priority level; a higher level is a fallback.
        let totals: BTreeMap<i64, i64> = refs.iter().fold(BTreeMap::new(), |mut t, r| {
            let total: &mut i64 = t.entry(priority(r)).or_default();
            *total = total.saturating_add(weight(r).max(0));
            t
        });
        let backends = refs
            .iter()
            .map(|r| {
                let name = text(r, &["name"]).unwrap_or("").to_string();
                let ai = text(r, &["kind"]).is_none_or(|k| k == "AIServiceBackend");
                let bns = text(r, &["namespace"]).unwrap_or(ns);
                let found = ai
                    .then(|| self.backends.get(&(bns.to_string(), name.clone())))
                    .flatten()
                    .copied();
                let b = found.unwrap_or(&Value::Null);
                let total = totals.get(&priority(r)).copied().unwrap_or(0);
                let share = (total > 0)
                    .then(|| (weight(r).max(0) as f64 * 1000.0 / total as f64).round() / 10.0);
                // v0.1 kept timeouts per backend; later releases per rule.
                let timeouts = rule
                    .get("timeouts")
                    .or_else(|| at(b, &["spec", "timeouts"]));
                let extra = match r {
                    Value::Object(all) => all
                        .iter()
                        .filter(|(k, _)| !["name", "weight", "priority"].contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    _ => Map::new(),
                };
                Backend {
                    auth: found.and_then(|b| self.auth(bns, &name, b)),
                    destination: found.map_or(Value::Null, |b| self.destination(bns, b)),
                    name,
                    weight: weight(r),
                    share,
                    priority: priority(r),
                    schema: at(b, &["spec", "schema"]).cloned().unwrap_or(Value::Null),
                    timeouts: timeouts.cloned().unwrap_or(Value::Null),
                    extra,
                }
            })
            .collect();
        Rule {
            rule: index,
            name: rule.get("name").cloned(),
            matches,
            backends,
            timeouts: rule.get("timeouts").cloned(),
        }
    }
}

fn ns_of(o: &Value, default_ns: &str) -> String {
    text(o, &["metadata", "namespace"])
        .unwrap_or(default_ns)
        .to_string()
}

fn name_of(o: &Value) -> String {
    text(o, &["metadata", "name"]).unwrap_or("").to_string()
}

fn mcp_route(route: &Value, default_ns: &str) -> McpRoute {
    let ns = ns_of(route, default_ns);
    let backends = list(route, &["spec", "backendRefs"])
        .iter()
        .map(|b| {
            json!({
                "name": text(b, &["name"]),
                "namespace": text(b, &["namespace"]).unwrap_or(&ns),
                "path": text(b, &["path"]),
            })
        })
        .collect();
    McpRoute {
        kind: "MCPRoute",
        path: at(route, &["spec", "path"]).cloned(),
        namespace: ns,
        name: name_of(route),
        backends,
    }
}

/// The routing of `objects` (JSON objects of any release, as written or
/// defaulted); objects without `metadata.namespace` are in `default_ns`.
pub fn project(objects: &[Value], default_ns: &str) -> Routing {
    let index = Objects::new(objects, default_ns);
    let mut gateways: BTreeMap<(String, String, Option<String>), Vec<Route>> = BTreeMap::new();
    for object in objects {
        let ai = is(object, AI_GATEWAY_GROUP, "AIGatewayRoute");
        if !ai && !is(object, AI_GATEWAY_GROUP, "MCPRoute") {
            continue;
        }
        // v0.1 names its Gateways in targetRefs, later releases in parentRefs.
        let refs = match list(object, &["spec", "parentRefs"]) {
            [] if ai => list(object, &["spec", "targetRefs"]),
            refs => refs,
        };
        let route = if ai {
            Route::Ai(index.ai_route(object, refs))
        } else {
            Route::Mcp(mcp_route(object, default_ns))
        };
        let ns = route.namespace().to_string();
        for r in refs {
            let Some(name) = text(r, &["name"]) else {
                continue;
            };
            let key = (
                text(r, &["namespace"]).unwrap_or(&ns).to_string(),
                name.to_string(),
                text(r, &["sectionName"]).map(String::from),
            );
            let routes = gateways.entry(key).or_default();
            if !routes.contains(&route) {
                routes.push(route.clone());
            }
        }
    }
    Routing {
        gateways: gateways
            .into_iter()
            .map(|((namespace, name, section_name), mut routes)| {
                routes.sort_by(|a, b| {
                    (a.kind(), a.namespace(), a.name()).cmp(&(b.kind(), b.namespace(), b.name()))
                });
                Gateway {
                    namespace,
                    name,
                    section_name,
                    routes,
                }
            })
            .collect(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(yaml: &str) -> Vec<Value> {
        yaml.split("\n---\n")
            .map(|d| serde_yaml::from_str(d).expect("yaml"))
            .collect()
    }

    /// A v0.1 route and backend, as written.
    const V0_1: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: chat}
spec:
  schema: {name: OpenAI}
  targetRefs: [{name: gw, kind: Gateway, group: gateway.networking.k8s.io}]
  filterConfig: {externalProcessor: {resources: {limits: {cpu: '1'}}}}
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: m}]}]
      backendRefs: [{name: svc}]
---
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: svc}
spec:
  schema: {name: OpenAI}
  backendRef: {name: llm, port: 8080}
  backendSecurityPolicyRef: {name: key}
  timeouts: {request: 60s}
---
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: BackendSecurityPolicy
metadata: {name: key}
spec: {type: APIKey, apiKey: {secretRef: {name: key}}}";

    /// The same, as v1.1 says it, with the defaults written out.
    const V1_1: &str = "apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: chat, namespace: ns}
spec:
  parentRefs: [{name: gw, kind: Gateway, group: gateway.networking.k8s.io}]
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: m, type: Exact}]}]
      backendRefs: [{name: svc, weight: 1, priority: 0}]
      timeouts: {request: 60s}
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {name: svc, namespace: ns}
spec:
  schema: {name: OpenAI}
  backendRef: {name: llm, kind: Backend, group: gateway.envoyproxy.io}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata: {name: llm, namespace: ns}
spec: {endpoints: [{fqdn: {hostname: llm.ns.svc.cluster.local, port: 8080}}]}
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: BackendSecurityPolicy
metadata: {name: key, namespace: ns}
spec:
  type: APIKey
  apiKey: {secretRef: {name: key}}
  targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: svc}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ns, annotations: {aigateway.envoyproxy.io/gateway-config: cfg}}
spec: {}
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: GatewayConfig
metadata: {name: cfg, namespace: ns}
spec: {extProc: {kubernetes: {resources: {limits: {cpu: '1'}}}}}";

    #[test]
    fn a_v0_1_tree_and_its_v1_1_form_project_alike() {
        let before = project(&objects(V0_1), "ns").to_json();
        let after = project(&objects(V1_1), "ns").to_json();
        assert_eq!(before, after);
        let backend = &before["gateways"][0]["routes"][0]["rules"][0]["backends"][0];
        assert_eq!(backend["share"], 100.0);
        assert_eq!(backend["auth"]["secret"], "key");
        assert_eq!(backend["destination"]["service"], "ns/llm");
        assert_eq!(backend["timeouts"]["request"], "60s");
        // A changed port is a different destination.
        let moved = project(&objects(&V1_1.replace("port: 8080", "port: 80")), "ns");
        assert_ne!(before, moved.to_json());
    }

    #[test]
    fn an_inference_pool_is_no_ai_service_backend_and_zero_weights_share_nothing() {
        let yaml = "apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: chat}
spec:
  parentRefs: [{name: gw}]
  rules:
    - backendRefs: [{name: svc, group: inference.networking.k8s.io, kind: InferencePool}]
    - backendRefs: [{name: svc, weight: 0}]
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {name: svc}
spec: {schema: {name: OpenAI}, backendRef: {name: svc, kind: Backend, group: gateway.envoyproxy.io}}";
        let routing = project(&objects(yaml), "ns");
        let Some(Route::Ai(route)) = routing.gateways.first().and_then(|g| g.routes.first()) else {
            panic!("no route: {routing:?}");
        };
        let pool = &route.rules[0].backends[0];
        assert_eq!(pool.schema, Value::Null);
        assert_eq!(pool.extra.get("kind"), Some(&json!("InferencePool")));
        let zero = &route.rules[1].backends[0];
        assert_eq!(
            (zero.share, zero.schema["name"].as_str()),
            (None, Some("OpenAI"))
        );
    }
}
