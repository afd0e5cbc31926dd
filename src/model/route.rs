//! AIGatewayRoute (aigateway.envoyproxy.io/v1alpha1), as in the v0.1.5 CRD.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AIGatewayRoute {
    /// Always `aigateway.envoyproxy.io/v1alpha1`.
    #[schemars(extend("const" = crate::load::AI_GATEWAY_API_VERSION))]
    pub api_version: Ignored<String>,
    /// Always `AIGatewayRoute`.
    #[schemars(extend("const" = "AIGatewayRoute"))]
    pub kind: Ignored<String>,
    /// Name and namespace of the route; the derived objects are named `ai-eg-route-extproc-<name>` and the HTTPRoute `<name>`.
    pub metadata: Metadata,
    /// Which Gateways the route attaches to and how requests are routed to AI backends.
    pub spec: AIGatewayRouteSpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AIGatewayRouteSpec {
    /// Gateways this route attaches to (1 to 128). v0.1 supports one AIGatewayRoute per Gateway.
    #[schemars(length(min = 1, max = 128))]
    pub target_refs: Vec<TargetRef>,
    /// API schema that clients speak to this route; v0.1 accepts only `OpenAI`.
    #[schemars(extend("x-kubernetes-validations" = [{"rule": "self.name == 'OpenAI'"}]))]
    pub schema: ApiSchema,
    /// Routing rules (at most 128): each selects backends by request header. The last matching rule wins.
    #[schemars(length(max = 128))]
    pub rules: Vec<RouteRule>,
    /// How the AI filter runs in the data plane; when set, its type defaults to `ExternalProcessor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_config: Option<FilterConfig>,
    /// Token costs to compute per request and store in dynamic metadata, e.g. for rate limiting (at most 36).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 36))]
    pub llm_request_costs: Option<Vec<LlmRequestCost>>,
}

/// A Gateway the route attaches to (LocalPolicyTargetReferenceWithSectionName).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetRef {
    /// API group of the target: `gateway.networking.k8s.io`.
    #[schemars(length(max = 253), regex(pattern = GROUP_PATTERN))]
    pub group: String,
    /// Kind of the target: `Gateway`.
    #[schemars(length(min = 1, max = 63), regex(pattern = KIND_PATTERN))]
    pub kind: String,
    /// Name of the Gateway, in the route's namespace.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// A listener of the Gateway; kept in the HTTPRoute parentRefs, dropped from the EnvoyExtensionPolicy (which cannot carry it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253), regex(pattern = SECTION_NAME_PATTERN))]
    pub section_name: Option<String>,
}

/// The API schema of a route (input) or a backend (output).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiSchema {
    /// Name of the API schema: `OpenAI` or `AWSBedrock`.
    pub name: ApiSchemaName,
    /// Version of the API schema; omitted from the filter configuration when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApiSchemaName {
    OpenAI,
    AWSBedrock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteRule {
    /// AIServiceBackends (same namespace) that requests matching this rule go to, chosen by weight. Without backendRefs a match gets 404.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 128))]
    pub backend_refs: Option<Vec<RouteBackendRef>>,
    /// Header matches that select this rule; entries are ORed. A rule without matches is never selected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 128))]
    pub matches: Option<Vec<RouteMatch>>,
}

/// A weighted reference to an AIServiceBackend in the route's namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteBackendRef {
    /// Name of an AIServiceBackend in the route's namespace.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Relative share of traffic for this backend (default 1; 0 takes none unless all are 0).
    #[serde(default = "default_weight")]
    #[schemars(range(min = 0))]
    pub weight: i64,
}

fn default_weight() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteMatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 16))]
    #[schemars(extend(
        "x-kubernetes-list-type" = "map",
        "x-kubernetes-list-map-keys" = ["name"],
        "x-kubernetes-validations" = [{"message": "currently only exact match is supported", "rule": "self.all(match, match.type != 'RegularExpression')"}]
    ))]
    /// Header to match (at most 16, keyed by name). The v0.1 filter matches exactly one header per entry, so give exactly one.
    pub headers: Option<Vec<HeaderMatch>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderMatch {
    /// How the value is compared; default `Exact`, the only type v0.1 supports.
    #[serde(rename = "type", default = "exact")]
    pub match_type: HeaderMatchType,
    #[schemars(
        length(min = 1, max = 256),
        regex(pattern = HEADER_NAME_PATTERN)
    )]
    /// Header name, matched case-sensitively by the v0.1 filter; use lowercase (e.g. `x-ai-eg-model`).
    pub name: String,
    /// Header value to match exactly.
    #[schemars(length(min = 1, max = 4096))]
    pub value: String,
}

fn exact() -> HeaderMatchType {
    HeaderMatchType::Exact
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum HeaderMatchType {
    Exact,
    RegularExpression,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterConfig {
    /// How the filter runs: `ExternalProcessor` (the default) or the reserved `DynamicModule`, which v0.1 deploys as an external processor too.
    #[serde(rename = "type", default = "external_processor")]
    pub filter_type: FilterType,
    /// Settings of the extproc Deployment aigw generates for this route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_processor: Option<ExternalProcessor>,
}

fn external_processor() -> FilterType {
    FilterType::ExternalProcessor
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FilterType {
    ExternalProcessor,
    DynamicModule,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalProcessor {
    /// Number of extproc pods (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// CPU and memory requests and limits of the extproc container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

/// Container resources, as core/v1 ResourceRequirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceRequirements {
    /// Dynamic resource claims the container uses, keyed by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["name"]))]
    pub claims: Option<Vec<ResourceClaim>>,
    /// Maximum resources per resource name, e.g. `cpu: 500m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<BTreeMap<String, Quantity>>,
    /// Minimum resources per resource name, e.g. `memory: 128Mi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<BTreeMap<String, Quantity>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceClaim {
    /// Name of a resource claim of the pod.
    pub name: String,
    /// Name of one request within the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LlmRequestCost {
    /// Key under which the cost is stored in the `io.envoy.ai_gateway` dynamic metadata namespace.
    pub metadata_key: String,
    /// What to count: `InputToken`, `OutputToken`, `TotalToken`, or `CEL` for an expression.
    #[serde(rename = "type")]
    pub cost_type: CostType,
    /// CEL expression over model, backend, input_tokens, output_tokens and total_tokens giving a non-negative integer; only for type `CEL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cel: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum CostType {
    OutputToken,
    InputToken,
    TotalToken,
    #[serde(rename = "CEL")]
    Cel,
}
