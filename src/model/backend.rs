//! AIServiceBackend (aigateway.envoyproxy.io/v1alpha1), as in the v0.1.5 CRD.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::*;
use super::route::ApiSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AIServiceBackend {
    /// Always `aigateway.envoyproxy.io/v1alpha1`.
    #[schemars(extend("const" = crate::load::AI_GATEWAY_API_VERSION))]
    pub api_version: Ignored<String>,
    /// Always `AIServiceBackend`.
    #[schemars(extend("const" = "AIServiceBackend"))]
    pub kind: Ignored<String>,
    /// Name and namespace of the backend; routes refer to it by name.
    pub metadata: Metadata,
    /// The API schema the backend speaks, where it is, and how to authenticate.
    pub spec: AIServiceBackendSpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AIServiceBackendSpec {
    /// API schema the backend speaks; the filter translates requests to it.
    pub schema: ApiSchema,
    /// The Service or Envoy Gateway Backend that receives the traffic.
    pub backend_ref: BackendObjectReference,
    /// A BackendSecurityPolicy (same namespace) whose credentials the extproc attaches to upstream requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_security_policy_ref: Option<PolicyReference>,
    /// Request timeouts for this backend, copied to the HTTPRoute rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<Timeouts>,
}

/// A reference to a BackendSecurityPolicy (LocalObjectReference).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyReference {
    /// API group of the policy: `aigateway.envoyproxy.io`.
    #[schemars(length(max = 253), regex(pattern = GROUP_PATTERN))]
    pub group: String,
    /// Kind of the policy: `BackendSecurityPolicy`.
    #[schemars(length(min = 1, max = 63), regex(pattern = KIND_PATTERN))]
    pub kind: String,
    /// Name of the BackendSecurityPolicy in the backend's namespace.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
}

pub const TIMEOUTS_RULE: &str = "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))";

/// Gateway API HTTPRouteTimeouts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [{"message": "backendRequest timeout cannot be longer than request timeout", "rule": TIMEOUTS_RULE}]))]
pub struct Timeouts {
    /// Timeout of one request to the backend (a Gateway API duration such as `10s`); at most the request timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub backend_request: Option<String>,
    /// Timeout of the whole client request, retries included (a Gateway API duration; `0s` disables it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub request: Option<String>,
}
