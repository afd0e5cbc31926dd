//! Names of the derived objects, shared by translation and by the checks
//! that must know what translation will write (name limits, output clashes).

/// Prefix of the extproc ConfigMap, Deployment, Service and policy names.
pub const EXTPROC_PREFIX: &str = "ai-eg-route-extproc-";
pub const HOST_REWRITE_FILTER: &str = "ai-eg-host-rewrite";

/// `ai-eg-route-extproc-<route>`: the ConfigMap, Deployment, Service,
/// container and policy name of a route's external processor.
pub fn extproc_name(route: &str) -> String {
    format!("{EXTPROC_PREFIX}{route}")
}

/// The Secret volume of the backendRef `j` of rule `i`.
pub fn volume_name(rule: usize, backend_ref: usize, policy: &str) -> String {
    format!("rule{rule}-backref{backend_ref}-{policy}")
}

/// The identity of an output object: what `kubectl apply` keys it by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identity {
    /// The API group (`""` for the core group).
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl Identity {
    pub fn new(group: &str, kind: &str, namespace: &str, name: &str) -> Self {
        Identity {
            group: group.to_string(),
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.group.is_empty() {
            self.kind.clone()
        } else {
            format!("{}.{}", self.kind, self.group)
        };
        if self.namespace.is_empty() {
            write!(f, "{kind} {}", self.name)
        } else {
            write!(f, "{kind} {}/{}", self.namespace, self.name)
        }
    }
}

/// The objects derived from the AIGatewayRoute `route` of `namespace`, in
/// output order: ConfigMap, Deployment, Service, EnvoyExtensionPolicy,
/// HTTPRoute. (The namespace's HTTPRouteFilter is [`host_rewrite_filter`].)
pub fn route_objects(namespace: &str, route: &str) -> [Identity; 5] {
    let extproc = extproc_name(route);
    [
        Identity::new("", "ConfigMap", namespace, &extproc),
        Identity::new("apps", "Deployment", namespace, &extproc),
        Identity::new("", "Service", namespace, &extproc),
        Identity::new(
            "gateway.envoyproxy.io",
            "EnvoyExtensionPolicy",
            namespace,
            &extproc,
        ),
        Identity::new("gateway.networking.k8s.io", "HTTPRoute", namespace, route),
    ]
}

/// The HTTPRouteFilter shared by the routes of `namespace`.
pub fn host_rewrite_filter(namespace: &str) -> Identity {
    Identity::new(
        "gateway.envoyproxy.io",
        "HTTPRouteFilter",
        namespace,
        HOST_REWRITE_FILTER,
    )
}
