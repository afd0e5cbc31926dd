//! A synthetic but realistic input tree for the benchmarks: `routes`
//! AIGatewayRoutes spread over many namespaces (ten routes each), every
//! route with several rules and backends, all three policy kinds, token
//! and CEL costs, and the ordinary objects that share a repository with
//! them (Namespaces, Gateways, Secrets, ConfigMaps, Services,
//! Deployments), in nested directories: `team-T/ns-N/{ai,apps}/*.yaml`.
//!
//! The corpus is valid: it renders with exit 0 (the OIDC policies, one route
//! in ten, give their expected warning).

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Routes per namespace.
const ROUTES_PER_NAMESPACE: usize = 10;
/// Namespaces per team directory.
const NAMESPACES_PER_TEAM: usize = 10;

/// Writes the corpus under `dir` (which must not exist or be empty);
/// returns the number of input bytes written.
pub fn generate(routes: usize, dir: &Path) -> io::Result<u64> {
    generate_with(routes, dir, namespace_files)
}

/// The files of one namespace: (sub directory, file name, text), from the
/// namespace index, its first route and its route count.
pub type NamespaceFiles = fn(usize, usize, usize) -> Vec<(&'static str, String, String)>;

/// Writes `routes` routes, ten a namespace, with `files` giving each
/// namespace's files (the v0.1 corpus, or the v1.1 one).
pub fn generate_with(routes: usize, dir: &Path, files: NamespaceFiles) -> io::Result<u64> {
    let mut bytes = 0u64;
    let namespaces = routes.div_ceil(ROUTES_PER_NAMESPACE).max(1);
    for ns in 0..namespaces {
        let first = ns * ROUTES_PER_NAMESPACE;
        let count = ROUTES_PER_NAMESPACE.min(routes - first.min(routes));
        let ns_dir = dir
            .join(format!("team-{:03}", ns / NAMESPACES_PER_TEAM))
            .join(format!("ns-{ns:05}"));
        for (sub, name, text) in files(ns, first, count) {
            let sub_dir = ns_dir.join(sub);
            std::fs::create_dir_all(&sub_dir)?;
            std::fs::write(sub_dir.join(name), &text)?;
            bytes += text.len() as u64;
        }
    }
    Ok(bytes)
}

/// The files of one namespace: (sub directory, file name, text).
fn namespace_files(ns: usize, first: usize, count: usize) -> Vec<(&'static str, String, String)> {
    let namespace = format!("tenant-{ns:05}");
    let mut apps = String::new();
    let mut secrets = String::new();
    let mut gateways = String::new();
    object(&mut apps, &format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n  labels:\n    team: team-{:03}\n",
        ns / NAMESPACES_PER_TEAM
    ));
    object(&mut apps, &format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-settings\n  namespace: {namespace}\ndata:\n  LOG_LEVEL: info\n  ENABLE_CACHE: \"true\"\n  settings.json: |\n    {{\"timeoutSeconds\": 30, \"retries\": 3}}\n"
    ));
    object(&mut apps, &format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llama-server\n  namespace: {namespace}\n  labels:\n    app: llama-server\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: llama-server\n  template:\n    metadata:\n      labels:\n        app: llama-server\n    spec:\n      containers:\n        - name: server\n          image: ghcr.io/example/llama-server:1.4.2\n          args: [\"--port\", \"8000\", \"--model\", \"/models/llama-3-8b\"]\n          ports:\n            - containerPort: 8000\n          resources:\n            limits:\n              cpu: \"4\"\n              memory: 16Gi\n"
    ));
    object(&mut apps, &format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: llama-server\n  namespace: {namespace}\nspec:\n  selector:\n    app: llama-server\n  ports:\n    - port: 8000\n      targetPort: 8000\n      protocol: TCP\n"
    ));

    let mut routes = String::new();
    let mut backends = String::new();
    let mut policies = String::new();
    for r in first..first + count {
        let route = format!("chat-{r:05}");
        let gateway = format!("gw-{r:05}");
        object(&mut gateways, &format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: {gateway}\n  namespace: {namespace}\nspec:\n  gatewayClassName: envoy-gateway\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 8080\n"
        ));
        let (openai, bedrock, local) = (
            format!("openai-{r:05}"),
            format!("bedrock-{r:05}"),
            format!("llama-{r:05}"),
        );
        let oidc = r % 10 == 9;
        let bedrock_policy = if oidc {
            format!("aws-oidc-{r:05}")
        } else {
            format!("aws-file-{r:05}")
        };
        object(&mut routes, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata:\n  name: {route}\n  namespace: {namespace}\n  labels:\n    tier: \"{tier}\"\nspec:\n  schema:\n    name: OpenAI\n  targetRefs:\n    - group: gateway.networking.k8s.io\n      kind: Gateway\n      name: {gateway}\n  rules:\n    - matches:\n        - headers:\n            - name: x-ai-eg-model\n              value: gpt-4o-mini\n        - headers:\n            - name: x-ai-eg-model\n              value: gpt-4o\n      backendRefs:\n        - name: {openai}\n          weight: 80\n        - name: {bedrock}\n          weight: 20\n    - matches:\n        - headers:\n            - name: x-ai-eg-model\n              value: claude-3-sonnet\n      backendRefs:\n        - name: {bedrock}\n    - matches:\n        - headers:\n            - name: x-ai-eg-model\n              value: llama-3-8b\n      backendRefs:\n        - name: {local}\n          weight: 3\n        - name: {openai}\n          weight: 1\n  filterConfig:\n    externalProcessor:\n      replicas: 2\n      resources:\n        requests:\n          cpu: 100m\n          memory: 128Mi\n  llmRequestCosts:\n    - metadataKey: input_tokens\n      type: InputToken\n    - metadataKey: output_tokens\n      type: OutputToken\n    - metadataKey: weighted_tokens\n      type: CEL\n      cel: \"model == 'llama-3-8b' ? total_tokens : input_tokens + output_tokens * {}u\"\n",
            r % 5 + 2,
            tier = r % 3,
        ));
        object(&mut backends, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata:\n  name: {openai}\n  namespace: {namespace}\nspec:\n  schema:\n    name: OpenAI\n  backendRef:\n    group: gateway.envoyproxy.io\n    kind: Backend\n    name: openai-api\n  backendSecurityPolicyRef:\n    group: aigateway.envoyproxy.io\n    kind: BackendSecurityPolicy\n    name: key-{r:05}\n  timeouts:\n    request: 60s\n    backendRequest: 50s\n"
        ));
        object(&mut backends, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata:\n  name: {bedrock}\n  namespace: {namespace}\nspec:\n  schema:\n    name: AWSBedrock\n  backendRef:\n    group: gateway.envoyproxy.io\n    kind: Backend\n    name: bedrock-us-east-1\n  backendSecurityPolicyRef:\n    group: aigateway.envoyproxy.io\n    kind: BackendSecurityPolicy\n    name: {bedrock_policy}\n"
        ));
        object(&mut backends, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata:\n  name: {local}\n  namespace: {namespace}\nspec:\n  schema:\n    name: OpenAI\n    version: v1\n  backendRef:\n    name: llama-server\n    port: 8000\n"
        ));
        object(&mut policies, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: BackendSecurityPolicy\nmetadata:\n  name: key-{r:05}\n  namespace: {namespace}\nspec:\n  type: APIKey\n  apiKey:\n    secretRef:\n      name: openai-key-{r:05}\n"
        ));
        object(&mut secrets, &format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai-key-{r:05}\n  namespace: {namespace}\ntype: Opaque\nstringData:\n  apiKey: sk-test-{r:05}-0123456789abcdef\n"
        ));
        if oidc {
            object(&mut policies, &format!(
                "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: BackendSecurityPolicy\nmetadata:\n  name: {bedrock_policy}\n  namespace: {namespace}\nspec:\n  type: AWSCredentials\n  awsCredentials:\n    region: us-east-1\n    oidcExchangeToken:\n      awsRoleArn: arn:aws:iam::123456789012:role/ai-gateway-{r:05}\n      oidc:\n        clientID: ai-gateway\n        clientSecret:\n          name: oidc-client-{r:05}\n        provider:\n          issuer: https://idp.example.com\n"
            ));
        } else {
            object(&mut policies, &format!(
                "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: BackendSecurityPolicy\nmetadata:\n  name: {bedrock_policy}\n  namespace: {namespace}\nspec:\n  type: AWSCredentials\n  awsCredentials:\n    region: us-east-1\n    credentialsFile:\n      secretRef:\n        name: aws-credentials-{r:05}\n      profile: default\n"
            ));
            object(&mut secrets, &format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-credentials-{r:05}\n  namespace: {namespace}\ntype: Opaque\ndata:\n  credentials: W2RlZmF1bHRdCmF3c19hY2Nlc3Nfa2V5X2lkID0gQUtJQQo=\n"
            ));
        }
    }
    vec![
        ("ai", "routes.yaml".into(), routes),
        ("ai", "backends.yaml".into(), backends),
        ("ai", "policies.yaml".into(), policies),
        ("apps", "gateways.yaml".into(), gateways),
        ("apps", "secrets.yaml".into(), secrets),
        ("apps", "workloads.yaml".into(), apps),
    ]
}

/// Appends one document, with the `---` separator.
fn object(out: &mut String, text: &str) {
    let _ = write!(out, "---\n{text}");
}
