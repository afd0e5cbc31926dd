//! BackendSecurityPolicy (aigateway.envoyproxy.io/v1alpha1), as in the
//! v0.1.5 CRD, including the Envoy Gateway OIDC structure it embeds. Only
//! the policy type and Secret references feed the translation; the rest is
//! modelled so that every field is checked as the API server would.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendSecurityPolicy {
    pub api_version: String,
    pub kind: String,
    pub metadata: Metadata,
    pub spec: BackendSecurityPolicySpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("maxProperties" = 2))]
pub struct BackendSecurityPolicySpec {
    #[serde(rename = "type")]
    pub policy_type: PolicyType,
    pub api_key: Option<ApiKey>,
    pub aws_credentials: Option<AwsCredentials>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PolicyType {
    APIKey,
    AWSCredentials,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKey {
    pub secret_ref: SecretObjectReference,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsCredentials {
    #[schemars(length(min = 1))]
    pub region: String,
    pub credentials_file: Option<AwsCredentialsFile>,
    pub oidc_exchange_token: Option<AwsOidcExchangeToken>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsCredentialsFile {
    pub secret_ref: SecretObjectReference,
    #[serde(default = "default_profile")]
    pub profile: String,
}

fn default_profile() -> String {
    "default".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsOidcExchangeToken {
    pub oidc: Oidc,
    pub grant_type: Option<String>,
    pub aud: Option<String>,
    #[schemars(length(min = 1))]
    pub aws_role_arn: String,
}

/// Envoy Gateway OIDC configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Oidc {
    pub provider: OidcProvider,
    #[serde(rename = "clientID")]
    #[schemars(length(min = 1))]
    pub client_id: String,
    pub client_secret: SecretObjectReference,
    #[schemars(regex(
        pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9]))*$"
    ))]
    pub cookie_domain: Option<String>,
    pub cookie_names: Option<OidcCookieNames>,
    #[serde(rename = "defaultRefreshTokenTTL")]
    pub default_refresh_token_ttl: Option<String>,
    #[serde(rename = "defaultTokenTTL")]
    pub default_token_ttl: Option<String>,
    pub forward_access_token: Option<bool>,
    pub logout_path: Option<String>,
    #[serde(rename = "redirectURL")]
    pub redirect_url: Option<String>,
    pub refresh_token: Option<bool>,
    pub resources: Option<Vec<String>>,
    pub scopes: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OidcCookieNames {
    pub access_token: Option<String>,
    pub id_token: Option<String>,
}

pub const PROVIDER_RETRY_TIMEOUT_RULE: &str = "has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.perRetry)? !has(self.backendSettings.retry.perRetry.timeout):true):true):true";
pub const PROVIDER_STATUS_CODES_RULE: &str = "has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.retryOn)? !has(self.backendSettings.retry.retryOn.httpStatusCodes):true):true):true";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "BackendRefs must be used, backendRef is not supported.", "rule": "!has(self.backendRef)"},
    {"message": "Retry timeout is not supported.", "rule": PROVIDER_RETRY_TIMEOUT_RULE},
    {"message": "HTTPStatusCodes is not supported.", "rule": PROVIDER_STATUS_CODES_RULE},
]))]
pub struct OidcProvider {
    pub backend_ref: Option<BackendObjectReference>,
    #[schemars(length(max = 16))]
    pub backend_refs: Option<Vec<BackendRefWithFallback>>,
    pub backend_settings: Option<ClusterSettings>,
    #[schemars(length(min = 1))]
    pub issuer: String,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [{"message": "Must have port for Service reference", "rule": SERVICE_PORT_RULE}]))]
pub struct BackendRefWithFallback {
    #[serde(default = "core_group")]
    #[schemars(length(max = 253), regex(pattern = GROUP_PATTERN))]
    pub group: String,
    #[serde(default = "service_kind")]
    #[schemars(length(min = 1, max = 63), regex(pattern = KIND_PATTERN))]
    pub kind: String,
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    #[schemars(length(min = 1, max = 63), regex(pattern = NAMESPACE_PATTERN))]
    pub namespace: Option<String>,
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    pub fallback: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSettings {
    pub circuit_breaker: Option<CircuitBreaker>,
    pub connection: Option<BackendConnection>,
    pub dns: Option<Dns>,
    pub health_check: Option<HealthCheck>,
    pub http2: Option<Http2Settings>,
    pub load_balancer: Option<LoadBalancer>,
    pub proxy_protocol: Option<ProxyProtocol>,
    pub retry: Option<Retry>,
    pub tcp_keepalive: Option<TcpKeepalive>,
    pub timeout: Option<Timeout>,
}

const U32_MAX: i64 = 4_294_967_295;

fn n1024() -> Option<i64> {
    Some(1024)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CircuitBreaker {
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_connections: Option<i64>,
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_parallel_requests: Option<i64>,
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_parallel_retries: Option<i64>,
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_pending_requests: Option<i64>,
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_requests_per_connection: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendConnection {
    pub buffer_limit: Option<PositiveQuantity>,
    pub socket_buffer_limit: Option<PositiveQuantity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dns {
    pub dns_refresh_rate: Option<String>,
    pub respect_dns_ttl: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    pub active: Option<ActiveHealthCheck>,
    pub passive: Option<PassiveHealthCheck>,
}

fn some_i32<const N: i32>() -> Option<i32> {
    Some(N)
}
fn duration_3s() -> Option<String> {
    Some("3s".into())
}
fn duration_1s() -> Option<String> {
    Some("1s".into())
}
fn duration_30s() -> Option<String> {
    Some("30s".into())
}
fn some_false() -> Option<bool> {
    Some(false)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "If Health Checker type is HTTP, http field needs to be set.", "rule": "self.type == 'HTTP' ? has(self.http) : !has(self.http)"},
    {"message": "If Health Checker type is TCP, tcp field needs to be set.", "rule": "self.type == 'TCP' ? has(self.tcp) : !has(self.tcp)"},
    {"message": "The grpc field can only be set if the Health Checker type is GRPC.", "rule": "has(self.grpc) ? self.type == 'GRPC' : true"},
]))]
pub struct ActiveHealthCheck {
    pub grpc: Option<GrpcHealthChecker>,
    #[serde(default = "some_i32::<1>")]
    #[schemars(range(min = 1))]
    pub healthy_threshold: Option<i32>,
    pub http: Option<HttpHealthChecker>,
    #[serde(default = "duration_3s")]
    #[schemars(extend("format" = "duration"))]
    pub interval: Option<String>,
    pub tcp: Option<TcpHealthChecker>,
    #[serde(default = "duration_1s")]
    #[schemars(extend("format" = "duration"))]
    pub timeout: Option<String>,
    #[serde(rename = "type")]
    pub checker_type: HealthCheckerType,
    #[serde(default = "some_i32::<3>")]
    #[schemars(range(min = 1))]
    pub unhealthy_threshold: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum HealthCheckerType {
    #[serde(rename = "HTTP")]
    Http,
    #[serde(rename = "TCP")]
    Tcp,
    #[serde(rename = "GRPC")]
    Grpc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrpcHealthChecker {
    pub service: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpHealthChecker {
    pub expected_response: Option<HealthCheckPayload>,
    #[schemars(inner(range(min = 100)), extend("items" = {"type": "integer", "format": "int32", "minimum": 100, "exclusiveMaximum": 600}))]
    pub expected_statuses: Option<Vec<i32>>,
    pub method: Option<String>,
    #[schemars(length(min = 1, max = 1024))]
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpHealthChecker {
    pub receive: Option<HealthCheckPayload>,
    pub send: Option<HealthCheckPayload>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "If payload type is Text, text field needs to be set.", "rule": "self.type == 'Text' ? has(self.text) : !has(self.text)"},
    {"message": "If payload type is Binary, binary field needs to be set.", "rule": "self.type == 'Binary' ? has(self.binary) : !has(self.binary)"},
]))]
pub struct HealthCheckPayload {
    #[schemars(extend("format" = "byte"))]
    pub binary: Option<String>,
    pub text: Option<String>,
    #[serde(rename = "type")]
    pub payload_type: PayloadType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PayloadType {
    Text,
    Binary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PassiveHealthCheck {
    #[serde(default = "duration_30s")]
    #[schemars(extend("format" = "duration"))]
    pub base_ejection_time: Option<String>,
    #[serde(rename = "consecutive5XxErrors", default = "some_i32::<5>")]
    pub consecutive_5xx_errors: Option<i32>,
    #[serde(default = "some_i32::<0>")]
    pub consecutive_gateway_errors: Option<i32>,
    #[serde(default = "some_i32::<5>")]
    pub consecutive_local_origin_failures: Option<i32>,
    #[serde(default = "duration_3s")]
    #[schemars(extend("format" = "duration"))]
    pub interval: Option<String>,
    #[serde(default = "some_i32::<10>")]
    pub max_ejection_percent: Option<i32>,
    #[serde(default = "some_false")]
    pub split_external_local_origin_errors: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Http2Settings {
    pub initial_connection_window_size: Option<PositiveQuantity>,
    pub initial_stream_window_size: Option<PositiveQuantity>,
    #[schemars(range(min = 1, max = 2147483647))]
    pub max_concurrent_streams: Option<i32>,
    pub on_invalid_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "If LoadBalancer type is consistentHash, consistentHash field needs to be set.", "rule": "self.type == 'ConsistentHash' ? has(self.consistentHash) : !has(self.consistentHash)"},
    {"message": "Currently SlowStart is only supported for RoundRobin and LeastRequest load balancers.", "rule": "self.type in ['Random', 'ConsistentHash'] ? !has(self.slowStart) : true "},
]))]
pub struct LoadBalancer {
    pub consistent_hash: Option<ConsistentHash>,
    pub slow_start: Option<SlowStart>,
    #[serde(rename = "type")]
    pub lb_type: LoadBalancerType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum LoadBalancerType {
    ConsistentHash,
    LeastRequest,
    Random,
    RoundRobin,
}

fn table_size() -> Option<i64> {
    Some(65537)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "If consistent hash type is header, the header field must be set.", "rule": "self.type == 'Header' ? has(self.header) : !has(self.header)"},
    {"message": "If consistent hash type is cookie, the cookie field must be set.", "rule": "self.type == 'Cookie' ? has(self.cookie) : !has(self.cookie)"},
]))]
pub struct ConsistentHash {
    pub cookie: Option<HashCookie>,
    pub header: Option<HashHeader>,
    #[serde(default = "table_size")]
    #[schemars(range(min = 2, max = 5000011), extend("format" = "int64"))]
    pub table_size: Option<i64>,
    #[serde(rename = "type")]
    pub hash_type: ConsistentHashType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ConsistentHashType {
    #[serde(rename = "SourceIP")]
    SourceIp,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HashCookie {
    pub attributes: Option<BTreeMap<String, String>>,
    pub name: String,
    pub ttl: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HashHeader {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlowStart {
    pub window: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyProtocol {
    pub version: ProxyProtocolVersion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ProxyProtocolVersion {
    V1,
    V2,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retry {
    #[serde(default = "some_i32::<2>")]
    #[schemars(range(min = 0))]
    pub num_retries: Option<i32>,
    pub per_retry: Option<PerRetryPolicy>,
    pub retry_on: Option<RetryOn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PerRetryPolicy {
    pub back_off: Option<BackOffPolicy>,
    #[schemars(extend("format" = "duration"))]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackOffPolicy {
    #[schemars(extend("format" = "duration"))]
    pub base_interval: Option<String>,
    #[schemars(extend("format" = "duration"))]
    pub max_interval: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOn {
    #[schemars(extend("items" = {"type": "integer", "minimum": 100, "exclusiveMaximum": 600}))]
    pub http_status_codes: Option<Vec<i64>>,
    pub triggers: Option<Vec<RetryTrigger>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RetryTrigger {
    #[serde(rename = "5xx")]
    FiveXx,
    GatewayError,
    Reset,
    ConnectFailure,
    #[serde(rename = "retriable-4xx")]
    Retriable4xx,
    RefusedStream,
    RetriableStatusCodes,
    Cancelled,
    DeadlineExceeded,
    Internal,
    ResourceExhausted,
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpKeepalive {
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub idle_time: Option<String>,
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub interval: Option<String>,
    pub probes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timeout {
    pub http: Option<HttpTimeout>,
    pub tcp: Option<TcpTimeout>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpTimeout {
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub connection_idle_timeout: Option<String>,
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub max_connection_duration: Option<String>,
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub request_timeout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpTimeout {
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub connect_timeout: Option<String>,
}
