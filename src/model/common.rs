//! Types shared by the three input kinds: metadata, references, quantities.

use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

/// DNS-1123 subdomain, or empty (an API group).
pub const GROUP_PATTERN: &str =
    r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// A Kubernetes kind.
pub const KIND_PATTERN: &str = r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
/// DNS-1123 label (a namespace).
pub const NAMESPACE_PATTERN: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/// DNS-1123 subdomain (a section name).
pub const SECTION_NAME_PATTERN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// An HTTP header name (an RFC 7230 token).
pub const HEADER_NAME_PATTERN: &str = r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$";
/// Gateway API duration (GEP-2257).
pub const GATEWAY_DURATION_PATTERN: &str = r"^([0-9]{1,5}(h|m|s|ms)){1,4}$";
/// A Kubernetes resource quantity.
pub const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";
/// A strictly positive integer quantity (Envoy Gateway buffer sizes).
pub const POSITIVE_QUANTITY_PATTERN: &str = r"^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$";

/// The CEL rule, shared by several references, that a Service needs a port.
pub const SERVICE_PORT_RULE: &str =
    "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true";

/// A field that is accepted, with the schema of `T`, and not kept: what
/// aigw never reads takes no memory in the typed catalog (at 5,000 routes
/// the labels of the AI Gateway objects alone took 10 MB).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ignored<T>(std::marker::PhantomData<T>);

impl<'de, T> Deserialize<'de> for Ignored<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The schema check has seen the value already.
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Ignored(std::marker::PhantomData))
    }
}

impl<T> Serialize for Ignored<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl<T: JsonSchema> JsonSchema for Ignored<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// The part of ObjectMeta that users write in manifests. Server-populated
/// fields are accepted (as in `kubectl get -o yaml` output) but not used;
/// nor are labels and annotations (nothing derived carries them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metadata {
    /// Name of the object, unique per kind within its namespace; derived objects are named after it.
    pub name: String,
    /// Namespace of the object; when unset, aigw uses the -n/--namespace value (default `default`), as kubectl does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Set by the API server. When present on an AIGatewayRoute, the derived objects get an ownerReference to the route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Key/value labels of the object; not copied to derived objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Ignored<BTreeMap<String, String>>>,
    /// Key/value annotations of the object; not copied to derived objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Ignored<BTreeMap<String, String>>>,
    /// Prefix for a server-generated name; accepted but not used, since aigw needs a fixed metadata.name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<Ignored<String>>,
    /// Set by the API server; accepted (as in `kubectl get -o yaml` output) and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<Ignored<String>>,
    /// Set by the API server; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<Ignored<i64>>,
    /// Set by the API server; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<Ignored<String>>,
    /// Set by the API server; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<Ignored<String>>,
    /// Set by the API server; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<Ignored<i64>>,
    /// Finalizers of the object; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalizers: Option<Ignored<Vec<String>>>,
    /// Owners of the object; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_references: Option<Ignored<Vec<serde_json::Value>>>,
    /// Server-side apply bookkeeping; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_fields: Option<Ignored<Vec<serde_json::Value>>>,
    /// Deprecated server-populated link; accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_link: Option<Ignored<String>>,
}

/// A reference to a Secret (Gateway API SecretObjectReference).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretObjectReference {
    /// API group of the referent; empty (the default) is the core group.
    #[serde(default = "core_group")]
    #[schemars(length(max = 253), regex(pattern = GROUP_PATTERN))]
    pub group: String,
    /// Kind of the referent; defaults to `Secret`.
    #[serde(default = "secret_kind")]
    #[schemars(length(min = 1, max = 63), regex(pattern = KIND_PATTERN))]
    pub kind: String,
    /// Name of the Secret.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Namespace of the Secret; defaults to the referring object's namespace. The extproc pod can only mount Secrets of its own namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), regex(pattern = NAMESPACE_PATTERN))]
    pub namespace: Option<String>,
}

/// A reference to a Service or another backend object (Gateway API
/// BackendObjectReference).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [{"message": "Must have port for Service reference", "rule": SERVICE_PORT_RULE}]))]
pub struct BackendObjectReference {
    /// API group of the referent; empty (the default) is the core group.
    #[serde(default = "core_group")]
    #[schemars(length(max = 253), regex(pattern = GROUP_PATTERN))]
    pub group: String,
    /// Kind of the referent; defaults to `Service` (a Service reference needs a port).
    #[serde(default = "service_kind")]
    #[schemars(length(min = 1, max = 63), regex(pattern = KIND_PATTERN))]
    pub kind: String,
    /// Name of the referent.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Namespace of the referent; defaults to the referring object's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), regex(pattern = NAMESPACE_PATTERN))]
    pub namespace: Option<String>,
    /// Destination port; required when the referent is a Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
}

pub fn core_group() -> String {
    String::new()
}
pub fn secret_kind() -> String {
    "Secret".into()
}
pub fn service_kind() -> String {
    "Service".into()
}

/// Declares an int-or-string newtype whose string form must match patterns.
macro_rules! int_or_string {
    ($(#[$doc:meta])* $name:ident, [$($pattern:expr),+]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub serde_json::Value);

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let patterns: Vec<&str> = vec![$($pattern),+];
                json_schema!({
                    "anyOf": [{"type": "integer"}, {"type": "string"}],
                    "x-kubernetes-int-or-string": true,
                    "x-aigw-patterns": patterns,
                })
            }
        }
    };
}

int_or_string!(
    /// A resource quantity such as `500m` or `1Gi`.
    Quantity,
    [QUANTITY_PATTERN]
);
int_or_string!(
    /// A positive size such as `32Ki` (Envoy Gateway buffer limits).
    PositiveQuantity,
    [QUANTITY_PATTERN, POSITIVE_QUANTITY_PATTERN]
);
