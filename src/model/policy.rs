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
    /// Always `aigateway.envoyproxy.io/v1alpha1`.
    #[schemars(extend("const" = crate::load::AI_GATEWAY_API_VERSION))]
    pub api_version: Ignored<String>,
    /// Always `BackendSecurityPolicy`.
    #[schemars(extend("const" = "BackendSecurityPolicy"))]
    pub kind: Ignored<String>,
    /// Name and namespace of the policy; AIServiceBackends refer to it by name.
    pub metadata: Metadata,
    /// Which credentials the extproc uses towards the backend.
    pub spec: BackendSecurityPolicySpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("maxProperties" = 2))]
pub struct BackendSecurityPolicySpec {
    /// Kind of credentials: `APIKey` (needs apiKey) or `AWSCredentials` (needs awsCredentials).
    #[serde(rename = "type")]
    pub policy_type: PolicyType,
    /// An API key read from a Secret and sent to the backend.
    pub api_key: Option<ApiKey>,
    /// AWS credentials used to sign requests to AWS Bedrock.
    pub aws_credentials: Option<Box<AwsCredentials>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PolicyType {
    APIKey,
    AWSCredentials,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKey {
    /// Secret whose `apiKey` key holds the key; mounted into the extproc pod.
    pub secret_ref: SecretObjectReference,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsCredentials {
    /// AWS region of the backend, used for request signing.
    #[schemars(length(min = 1))]
    pub region: String,
    /// An AWS credentials file read from a Secret (its `credentials` key).
    pub credentials_file: Option<AwsCredentialsFile>,
    /// Obtain AWS credentials by exchanging an OIDC token for a role; the Secret is written at run time by the in-cluster controller.
    pub oidc_exchange_token: Option<Box<AwsOidcExchangeToken>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsCredentialsFile {
    /// Secret whose `credentials` key holds the AWS credentials file.
    pub secret_ref: SecretObjectReference,
    /// Profile of the credentials file to use (default `default`).
    #[serde(default = "default_profile")]
    pub profile: String,
}

fn default_profile() -> String {
    "default".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsOidcExchangeToken {
    /// OIDC provider and client used to obtain the token.
    pub oidc: Oidc,
    /// OAuth grant type of the token request.
    pub grant_type: Option<String>,
    /// Audience of the requested token.
    pub aud: Option<String>,
    /// ARN of the AWS role to assume with the token.
    #[schemars(length(min = 1))]
    pub aws_role_arn: String,
}

/// Envoy Gateway OIDC configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Oidc {
    /// The OIDC provider (issuer and endpoints).
    pub provider: OidcProvider,
    /// OAuth client ID registered with the provider.
    #[serde(rename = "clientID")]
    #[schemars(length(min = 1))]
    pub client_id: String,
    /// Secret holding the OAuth client secret.
    pub client_secret: SecretObjectReference,
    #[schemars(regex(
        pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9]))*$"
    ))]
    /// Domain of the session cookies.
    pub cookie_domain: Option<String>,
    /// Custom names of the session cookies.
    pub cookie_names: Option<OidcCookieNames>,
    /// Lifetime of a refresh token when the provider gives none.
    #[serde(rename = "defaultRefreshTokenTTL")]
    pub default_refresh_token_ttl: Option<String>,
    /// Lifetime of an access token when the provider gives none.
    #[serde(rename = "defaultTokenTTL")]
    pub default_token_ttl: Option<String>,
    /// Whether to forward the access token to the backend.
    pub forward_access_token: Option<bool>,
    /// Path that ends the session.
    pub logout_path: Option<String>,
    /// Where the provider sends the user back after login.
    #[serde(rename = "redirectURL")]
    pub redirect_url: Option<String>,
    /// Whether to refresh tokens automatically.
    pub refresh_token: Option<bool>,
    /// Resource indicators to request.
    pub resources: Option<Vec<String>>,
    /// OAuth scopes to request, in addition to `openid`.
    pub scopes: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OidcCookieNames {
    /// Name of the cookie holding the access token.
    pub access_token: Option<String>,
    /// Name of the cookie holding the ID token.
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
    /// Not supported: use backendRefs.
    pub backend_ref: Option<BackendObjectReference>,
    /// Backends through which the provider is reached (at most 16).
    #[schemars(length(max = 16))]
    pub backend_refs: Option<Vec<BackendRefWithFallback>>,
    /// Connection settings for reaching the provider.
    // Boxed, as are `aws_credentials` and `oidc_exchange_token`: inline,
    // these optional structs made every policy 2.7 KB, used or not.
    pub backend_settings: Option<Box<ClusterSettings>>,
    /// Issuer URL of the provider.
    #[schemars(length(min = 1))]
    pub issuer: String,
    /// Authorization endpoint; discovered from the issuer when unset.
    pub authorization_endpoint: Option<String>,
    /// Token endpoint; discovered from the issuer when unset.
    pub token_endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [{"message": "Must have port for Service reference", "rule": SERVICE_PORT_RULE}]))]
pub struct BackendRefWithFallback {
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
    /// Namespace of the referent; defaults to the policy's namespace.
    #[schemars(length(min = 1, max = 63), regex(pattern = NAMESPACE_PATTERN))]
    pub namespace: Option<String>,
    /// Destination port; required when the referent is a Service.
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    /// Use this backend only when the others are unhealthy.
    pub fallback: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSettings {
    /// Limits on connections and requests to the provider.
    pub circuit_breaker: Option<CircuitBreaker>,
    /// Buffer sizes of connections to the provider.
    pub connection: Option<BackendConnection>,
    /// DNS resolution of the provider.
    pub dns: Option<Dns>,
    /// Active and passive health checking of the provider.
    pub health_check: Option<HealthCheck>,
    /// HTTP/2 settings towards the provider.
    pub http2: Option<Http2Settings>,
    /// How requests are spread over the provider endpoints.
    pub load_balancer: Option<LoadBalancer>,
    /// Send a PROXY protocol header to the provider.
    pub proxy_protocol: Option<ProxyProtocol>,
    /// Retries of failed requests to the provider.
    pub retry: Option<Retry>,
    /// TCP keepalive of connections to the provider.
    pub tcp_keepalive: Option<TcpKeepalive>,
    /// Connection and request timeouts towards the provider.
    pub timeout: Option<Timeout>,
}

const U32_MAX: i64 = 4_294_967_295;

fn n1024() -> Option<i64> {
    Some(1024)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CircuitBreaker {
    /// Maximum connections (default 1024).
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_connections: Option<i64>,
    /// Maximum requests in flight (default 1024).
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_parallel_requests: Option<i64>,
    /// Maximum retries in flight (default 1024).
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_parallel_retries: Option<i64>,
    /// Maximum queued requests (default 1024).
    #[serde(default = "n1024")]
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_pending_requests: Option<i64>,
    /// Maximum requests per connection; unset means unlimited.
    #[schemars(range(min = 0, max = U32_MAX), extend("format" = "int64"))]
    pub max_requests_per_connection: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendConnection {
    /// Buffer size per connection, e.g. `32Ki`.
    pub buffer_limit: Option<PositiveQuantity>,
    /// Socket buffer size, e.g. `32Ki`.
    pub socket_buffer_limit: Option<PositiveQuantity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dns {
    /// How often DNS names are resolved again (a duration).
    pub dns_refresh_rate: Option<String>,
    /// Whether to re-resolve when the DNS TTL expires.
    pub respect_dns_ttl: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    /// Probe the provider endpoints periodically.
    pub active: Option<ActiveHealthCheck>,
    /// Eject endpoints that fail real requests (outlier detection).
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
    /// gRPC health check settings; only for type `GRPC`.
    pub grpc: Option<GrpcHealthChecker>,
    /// Successes before an endpoint counts as healthy (default 1).
    #[serde(default = "some_i32::<1>")]
    #[schemars(range(min = 1))]
    pub healthy_threshold: Option<i32>,
    /// HTTP health check settings; required for type `HTTP`.
    pub http: Option<HttpHealthChecker>,
    /// Time between probes (default 3s).
    #[serde(default = "duration_3s")]
    #[schemars(extend("format" = "duration"))]
    pub interval: Option<String>,
    /// TCP health check settings; required for type `TCP`.
    pub tcp: Option<TcpHealthChecker>,
    /// Time to wait for a probe response (default 1s).
    #[serde(default = "duration_1s")]
    #[schemars(extend("format" = "duration"))]
    pub timeout: Option<String>,
    /// Kind of probe: `HTTP`, `TCP` or `GRPC`.
    #[serde(rename = "type")]
    pub checker_type: HealthCheckerType,
    /// Failures before an endpoint counts as unhealthy (default 3).
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
    /// Service name sent in the gRPC health check request.
    pub service: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpHealthChecker {
    /// Payload the response body must contain.
    pub expected_response: Option<HealthCheckPayload>,
    /// HTTP status codes (100-599) that count as healthy.
    #[schemars(inner(range(min = 100)), extend("items" = {"type": "integer", "format": "int32", "minimum": 100, "exclusiveMaximum": 600}))]
    pub expected_statuses: Option<Vec<i32>>,
    /// HTTP method of the probe.
    pub method: Option<String>,
    /// Path of the probe request.
    #[schemars(length(min = 1, max = 1024))]
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpHealthChecker {
    /// Payload the response must contain.
    pub receive: Option<HealthCheckPayload>,
    /// Payload sent by the probe.
    pub send: Option<HealthCheckPayload>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "If payload type is Text, text field needs to be set.", "rule": "self.type == 'Text' ? has(self.text) : !has(self.text)"},
    {"message": "If payload type is Binary, binary field needs to be set.", "rule": "self.type == 'Binary' ? has(self.binary) : !has(self.binary)"},
]))]
pub struct HealthCheckPayload {
    /// Payload as base64-encoded bytes; for type `Binary`.
    #[schemars(extend("format" = "byte"))]
    pub binary: Option<String>,
    /// Payload as text; for type `Text`.
    pub text: Option<String>,
    /// Payload encoding: `Text` or `Binary`.
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
    /// Base time an endpoint stays ejected (default 30s).
    #[serde(default = "duration_30s")]
    #[schemars(extend("format" = "duration"))]
    pub base_ejection_time: Option<String>,
    /// Consecutive 5xx responses before ejection (default 5).
    #[serde(rename = "consecutive5XxErrors", default = "some_i32::<5>")]
    pub consecutive_5xx_errors: Option<i32>,
    /// Consecutive gateway errors (502, 503, 504) before ejection (default 0).
    #[serde(default = "some_i32::<0>")]
    pub consecutive_gateway_errors: Option<i32>,
    /// Consecutive local failures (e.g. connection resets) before ejection (default 5).
    #[serde(default = "some_i32::<5>")]
    pub consecutive_local_origin_failures: Option<i32>,
    /// Time between ejection sweeps (default 3s).
    #[serde(default = "duration_3s")]
    #[schemars(extend("format" = "duration"))]
    pub interval: Option<String>,
    /// Maximum share of endpoints ejected at once, in percent (default 10).
    #[serde(default = "some_i32::<10>")]
    pub max_ejection_percent: Option<i32>,
    /// Count local failures separately from responses (default false).
    #[serde(default = "some_false")]
    pub split_external_local_origin_errors: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Http2Settings {
    /// Initial HTTP/2 connection flow-control window, e.g. `1Mi`.
    pub initial_connection_window_size: Option<PositiveQuantity>,
    /// Initial HTTP/2 stream flow-control window, e.g. `64Ki`.
    pub initial_stream_window_size: Option<PositiveQuantity>,
    /// Maximum concurrent HTTP/2 streams per connection.
    #[schemars(range(min = 1, max = 2147483647))]
    pub max_concurrent_streams: Option<i32>,
    /// What to do with an invalid HTTP/2 message.
    pub on_invalid_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"message": "If LoadBalancer type is consistentHash, consistentHash field needs to be set.", "rule": "self.type == 'ConsistentHash' ? has(self.consistentHash) : !has(self.consistentHash)"},
    {"message": "Currently SlowStart is only supported for RoundRobin and LeastRequest load balancers.", "rule": "self.type in ['Random', 'ConsistentHash'] ? !has(self.slowStart) : true "},
]))]
pub struct LoadBalancer {
    /// Hash settings; required for type `ConsistentHash`.
    pub consistent_hash: Option<ConsistentHash>,
    /// Ramp up traffic to new endpoints; for `RoundRobin` and `LeastRequest`.
    pub slow_start: Option<SlowStart>,
    /// Algorithm: `ConsistentHash`, `LeastRequest`, `Random` or `RoundRobin`.
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
    /// Cookie to hash; for type `Cookie`.
    pub cookie: Option<HashCookie>,
    /// Header to hash; for type `Header`.
    pub header: Option<HashHeader>,
    /// Size of the hash table, a prime (default 65537).
    #[serde(default = "table_size")]
    #[schemars(range(min = 2, max = 5000011), extend("format" = "int64"))]
    pub table_size: Option<i64>,
    /// What to hash: `SourceIP`, `Header` or `Cookie`.
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
    /// Attributes of the cookie when it is generated.
    pub attributes: Option<BTreeMap<String, String>>,
    /// Name of the cookie.
    pub name: String,
    /// Lifetime of a generated cookie.
    pub ttl: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HashHeader {
    /// Name of the header.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlowStart {
    /// Time over which a new endpoint reaches its full share (a duration).
    pub window: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyProtocol {
    /// PROXY protocol version: `V1` or `V2`.
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
    /// Number of retries (default 2).
    #[serde(default = "some_i32::<2>")]
    #[schemars(range(min = 0))]
    pub num_retries: Option<i32>,
    /// Back-off and timeout of each retry.
    pub per_retry: Option<PerRetryPolicy>,
    /// Conditions that trigger a retry.
    pub retry_on: Option<RetryOn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PerRetryPolicy {
    /// Exponential back-off between retries.
    pub back_off: Option<BackOffPolicy>,
    /// Not supported here: timeout of each retry.
    #[schemars(extend("format" = "duration"))]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackOffPolicy {
    /// First back-off interval (a duration).
    #[schemars(extend("format" = "duration"))]
    pub base_interval: Option<String>,
    /// Longest back-off interval (a duration).
    #[schemars(extend("format" = "duration"))]
    pub max_interval: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOn {
    /// Not supported here: status codes that trigger a retry.
    #[schemars(extend("items" = {"type": "integer", "minimum": 100, "exclusiveMaximum": 600}))]
    pub http_status_codes: Option<Vec<i64>>,
    /// Failure kinds that trigger a retry, e.g. `5xx`, `reset`, `connect-failure`.
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
    /// Idle time before the first keepalive probe (a Gateway API duration).
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub idle_time: Option<String>,
    /// Time between keepalive probes (a Gateway API duration).
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub interval: Option<String>,
    /// Unanswered probes before the connection is dropped.
    pub probes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timeout {
    /// HTTP-level timeouts.
    pub http: Option<HttpTimeout>,
    /// TCP-level timeouts.
    pub tcp: Option<TcpTimeout>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpTimeout {
    /// Close a connection idle this long (a Gateway API duration).
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub connection_idle_timeout: Option<String>,
    /// Close a connection after this long (a Gateway API duration).
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub max_connection_duration: Option<String>,
    /// Timeout of one request (a Gateway API duration).
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub request_timeout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpTimeout {
    /// Timeout of establishing a connection (a Gateway API duration).
    #[schemars(regex(pattern = GATEWAY_DURATION_PATTERN))]
    pub connect_timeout: Option<String>,
}
