//! Stage 5: translation. Pure functions from the validated catalog to the
//! objects the v0.1 controller would create, one file per output kind.

pub mod deployment;
pub mod extension_policy;
pub mod extproc_config;
pub mod host_rewrite;
pub mod http_route;
pub mod names;
pub mod service;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::model::catalog::{Catalog, Item};
use crate::model::{AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy};
pub use names::{extproc_name, volume_name, EXTPROC_PREFIX, HOST_REWRITE_FILTER};

pub const MANAGED_BY_KEY: &str = "app.kubernetes.io/managed-by";
pub const MANAGED_BY_VALUE: &str = "envoy-ai-gateway";
pub const EXTPROC_PORT: i32 = 1063;
/// Dynamic-metadata namespace the filter writes costs to.
pub const METADATA_NAMESPACE: &str = "io.envoy.ai_gateway";
pub const SELECTED_BACKEND_HEADER: &str = "x-ai-eg-selected-backend";
pub const MODEL_NAME_HEADER: &str = "x-ai-eg-model";
pub const CONFIG_MOUNT_PATH: &str = "/etc/ai-gateway/extproc";
pub const CONFIG_FILE_NAME: &str = "extproc-config.yaml";
pub const POLICY_MOUNT_ROOT: &str = "/etc/backend_security_policy";
pub const UUID_ANNOTATION: &str = "aigateway.envoyproxy.io/extproc-config-uuid";

pub const DEFAULT_EXTPROC_IMAGE: &str = "docker.io/envoyproxy/ai-gateway-extproc:v0.1.5";

/// How the extproc Deployment is run (command-line flags).
#[derive(Debug, Clone)]
pub struct ExtprocOptions {
    pub image: String,
    pub pull_policy: String,
    pub log_level: String,
}

impl Default for ExtprocOptions {
    fn default() -> Self {
        ExtprocOptions {
            image: DEFAULT_EXTPROC_IMAGE.into(),
            pull_policy: "IfNotPresent".into(),
            log_level: "info".into(),
        }
    }
}

/// The backend's identity in the filter config and the routing header.
pub fn backend_key(backend: &Item<AIServiceBackend>) -> String {
    format!("{}.{}", backend.name, backend.namespace)
}

/// One backendRef of one rule, resolved.
#[derive(Debug, Clone, Copy)]
pub struct ResolvedRef<'a> {
    pub rule: usize,
    pub index: usize,
    pub weight: i64,
    pub backend: &'a Item<AIServiceBackend>,
    pub policy: Option<&'a Item<BackendSecurityPolicy>>,
}

impl ResolvedRef<'_> {
    pub fn volume(&self) -> Option<String> {
        self.policy
            .map(|p| volume_name(self.rule, self.index, &p.name))
    }
}

/// A route with every reference resolved: what each output kind is built from.
#[derive(Debug)]
pub struct RouteContext<'a> {
    pub route: &'a Item<AIGatewayRoute>,
    /// Per rule, its backendRefs in order (unresolvable ones left out;
    /// validation has reported them).
    pub rules: Vec<Vec<ResolvedRef<'a>>>,
    pub options: &'a ExtprocOptions,
}

impl<'a> RouteContext<'a> {
    pub fn new(
        route: &'a Item<AIGatewayRoute>,
        catalog: &'a Catalog,
        options: &'a ExtprocOptions,
    ) -> Self {
        let rules = route
            .value
            .spec
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                rule.backend_refs
                    .iter()
                    .flatten()
                    .enumerate()
                    .filter_map(|(j, r)| {
                        let backend = catalog.backend(&route.namespace, &r.name)?;
                        Some(ResolvedRef {
                            rule: i,
                            index: j,
                            weight: r.weight,
                            backend,
                            policy: catalog.policy_of(backend),
                        })
                    })
                    .collect()
            })
            .collect();
        RouteContext {
            route,
            rules,
            options,
        }
    }

    pub fn name(&self) -> &str {
        &self.route.name
    }

    pub fn namespace(&self) -> &str {
        &self.route.namespace
    }

    pub fn extproc_name(&self) -> String {
        extproc_name(&self.route.name)
    }

    /// Every resolved backendRef, rule by rule.
    pub fn refs(&self) -> impl Iterator<Item = &ResolvedRef<'a>> {
        self.rules.iter().flatten()
    }

    /// Distinct backends in order of first appearance.
    pub fn distinct_backends(&self) -> Vec<&'a Item<AIServiceBackend>> {
        let mut seen: Vec<&Item<AIServiceBackend>> = Vec::new();
        for r in self.refs() {
            if !seen.iter().any(|b| std::ptr::eq(*b, r.backend)) {
                seen.push(r.backend);
            }
        }
        seen
    }

    /// Metadata of a derived object: name, namespace, the managed-by label
    /// plus `labels`, and an ownerReference when the route has a uid.
    pub fn metadata(&self, name: String, labels: &[(&str, &str)]) -> ObjectMeta {
        let mut meta = derived_metadata(name, self.namespace(), labels);
        if let Some(uid) = &self.route.value.metadata.uid {
            meta.owner_references = Some(vec![OwnerReference {
                api_version: crate::load::AI_GATEWAY_API_VERSION.into(),
                kind: "AIGatewayRoute".into(),
                name: self.route.name.clone(),
                uid: uid.clone(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]);
        }
        meta
    }

    /// `app: <extproc name>` plus managed-by: the Deployment's selector.
    pub fn selector_labels(&self) -> BTreeMap<String, String> {
        labels(&[("app", &self.extproc_name())])
    }
}

/// A Kubernetes object of a kind k8s-openapi does not have (Gateway API,
/// Envoy Gateway): apiVersion, kind, metadata, spec.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Object<S> {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: S,
}

/// Metadata without ownerReferences (for objects shared by several routes).
pub fn derived_metadata(name: String, namespace: &str, extra: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: Some(namespace.to_string()),
        labels: Some(labels(extra)),
        ..ObjectMeta::default()
    }
}

fn labels(extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    labels.insert(MANAGED_BY_KEY.into(), MANAGED_BY_VALUE.into());
    labels
}

/// Every derived object, in output order: per namespace (sorted) its
/// host-rewrite filter, then per route (sorted by name) ConfigMap,
/// Deployment, Service, EnvoyExtensionPolicy, HTTPRoute.
pub fn translate(catalog: &Catalog, options: &ExtprocOptions) -> Vec<Rendered> {
    // Routes are translated independently (on several threads), then
    // joined in order.
    let routes: Vec<&Item<AIGatewayRoute>> = catalog.routes.values().map(|r| &**r).collect();
    let per_route = crate::parallel::map(routes.len(), crate::parallel::threads, 8, |i| {
        routes
            .get(i)
            .map(|route| route_objects(route, catalog, options))
            .unwrap_or_default()
    });
    let mut out = Vec::new();
    let mut current_namespace: Option<&str> = None;
    for (route, objects) in routes.iter().zip(per_route) {
        if current_namespace != Some(route.namespace.as_str()) {
            current_namespace = Some(&route.namespace);
            out.push(Rendered::shared(host_rewrite::http_route_filter(
                &route.namespace,
            )));
        }
        out.extend(objects);
    }
    out
}

/// The objects derived from one route: ConfigMap, Deployment, Service,
/// EnvoyExtensionPolicy, HTTPRoute.
fn route_objects(
    route: &Item<AIGatewayRoute>,
    catalog: &Catalog,
    options: &ExtprocOptions,
) -> Vec<Rendered> {
    let ctx = RouteContext::new(route, catalog, options);
    let config = extproc_config::filter_config(&ctx);
    let route_key = Some((route.namespace.clone(), route.name.clone()));
    let (config_map, config_bytes) = extproc_config::config_map(&ctx, &config);
    [
        (config_map, Some(config_bytes)),
        (deployment::deployment(&ctx, &config.uuid), None),
        (service::service(&ctx), None),
        (extension_policy::extension_policy(&ctx), None),
        (http_route::http_route(&ctx), None),
    ]
    .into_iter()
    .map(|(value, config_bytes)| Rendered {
        value,
        route: route_key.clone(),
        config_bytes,
    })
    .collect()
}

/// A derived object, and the route it was derived from (for diagnostics).
#[derive(Debug)]
pub struct Rendered {
    pub value: Derived,
    pub route: Option<(String, String)>,
    /// For the extproc ConfigMap, the bytes of its data (keys and
    /// values), which Kubernetes limits.
    pub config_bytes: Option<usize>,
}

impl Rendered {
    fn shared(value: Derived) -> Self {
        Rendered {
            value,
            route: None,
            config_bytes: None,
        }
    }
}

/// A derived object, as compact JSON text (apiVersion, kind and metadata
/// first), made as soon as it is translated: the text is a third of the
/// size of a JSON tree, and the typed k8s-openapi objects were larger
/// still (a map per label set, every optional field inline); at 5,000
/// routes the typed output was 40% of the peak heap.
#[derive(Debug)]
pub struct Derived(Box<serde_json::value::RawValue>);

impl Derived {
    /// Serialised straight to text: k8s-openapi's objects and [`Object`]
    /// write apiVersion, kind and metadata first themselves (a test holds
    /// every output kind to it), so no JSON tree is built to reorder them.
    pub fn new<T: serde::Serialize>(object: &T) -> Self {
        Derived(
            serde_json::value::to_raw_value(object)
                .unwrap_or_else(|_| serde_json::value::RawValue::NULL.to_owned()),
        )
    }

    /// The JSON text.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The object as JSON, apiVersion, kind and metadata first.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).unwrap_or_default()
    }
}

impl crate::emit::AsJson for Derived {
    fn as_json(&self) -> std::borrow::Cow<'_, serde_json::Value> {
        std::borrow::Cow::Owned(self.to_json())
    }

    fn write_yaml(&self, out: &mut String) {
        match crate::emit::json_text::tree(self.text()) {
            Some(tree) => crate::emit::yaml::write_document(out, &tree),
            None => crate::emit::yaml::write_document(out, &self.to_json()),
        }
    }
}

/// Serialises an output object with apiVersion, kind and metadata first.
/// Our own types always serialise; a failure would be a bug, surfaced as
/// `null` and caught by the snapshot tests.
pub fn to_json<T: serde::Serialize>(object: &T) -> serde_json::Value {
    match serde_json::to_value(object) {
        Ok(serde_json::Value::Object(mut map)) => {
            let mut ordered = serde_json::Map::new();
            for key in ["apiVersion", "kind", "metadata"] {
                if let Some(v) = map.shift_remove(key) {
                    ordered.insert(key.to_string(), v);
                }
            }
            ordered.extend(map);
            serde_json::Value::Object(ordered)
        }
        Ok(other) => other,
        Err(_) => serde_json::Value::Null,
    }
}

#[cfg(test)]
mod order_tests {
    /// Every kind of derived object, with and without ownerReferences,
    /// starts with apiVersion, kind and metadata: [`super::Derived::new`]
    /// serialises straight to text and relies on it.
    #[test]
    fn every_derived_object_starts_with_api_version_kind_and_metadata() {
        let mut kinds = std::collections::BTreeSet::new();
        for case in ["render-aws-oidc", "render-owner-references", "render-costs"] {
            let path = std::path::PathBuf::from("testdata").join(case);
            let compiled =
                crate::compile(&[path], &mut std::io::empty(), &crate::Options::default());
            let Some(output) = compiled.ok().and_then(|c| c.output) else {
                panic!("{case} did not render");
            };
            for derived in &output.derived {
                let object: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(derived.text()).unwrap_or_default();
                let keys: Vec<&str> = object.keys().take(3).map(String::as_str).collect();
                assert_eq!(
                    keys,
                    ["apiVersion", "kind", "metadata"],
                    "{case}: {}",
                    derived.text()
                );
                kinds.insert(
                    object
                        .get("kind")
                        .and_then(|k| k.as_str())
                        .unwrap_or("")
                        .to_string(),
                );
            }
        }
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            [
                "ConfigMap",
                "Deployment",
                "EnvoyExtensionPolicy",
                "HTTPRoute",
                "HTTPRouteFilter",
                "Service"
            ]
        );
    }
}
