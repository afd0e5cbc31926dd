//! AIServiceBackend (aigateway.envoyproxy.io/v1alpha1), as in the v0.1.5 CRD.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::*;
use super::route::ApiSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AIServiceBackend {
    pub api_version: String,
    pub kind: String,
    pub metadata: Metadata,
    pub spec: AIServiceBackendSpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AIServiceBackendSpec {
    pub schema: ApiSchema,
    pub backend_ref: BackendObjectReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_security_policy_ref: Option<PolicyReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<Timeouts>,
}

/// A reference to a BackendSecurityPolicy (LocalObjectReference).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyReference {
    #[schemars(length(max = 253), regex(pattern = GROUP_PATTERN))]
    pub group: String,
    #[schemars(length(min = 1, max = 63), regex(pattern = KIND_PATTERN))]
    pub kind: String,
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
}

pub const TIMEOUTS_RULE: &str = "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))";

/// Gateway API HTTPRouteTimeouts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [{"message": "backendRequest timeout cannot be longer than request timeout", "rule": TIMEOUTS_RULE}]))]
pub struct Timeouts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub backend_request: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub request: Option<String>,
}
