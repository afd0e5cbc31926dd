//! The benchmark corpus of [`super::corpus`] as v1.1 manifests (v1beta1):
//! the same namespaces, routes, rules, backends, policies and ordinary
//! objects, written as a v1.1 repository writes them (parentRefs, policy
//! targetRefs, Envoy Gateway Backends, rule timeouts, a GatewayConfig per
//! namespace selected by the Gateways' annotation).

use std::fmt::Write as _;
use std::io;
use std::path::Path;

const NAMESPACES_PER_TEAM: usize = 10;

pub fn generate(routes: usize, dir: &Path) -> io::Result<u64> {
    crate::corpus::generate_with(routes, dir, namespace_files)
}

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
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: llama-server\n  namespace: {namespace}\nspec:\n  selector:\n    app: llama-server\n  ports:\n    - port: 8000\n      targetPort: 8000\n      protocol: TCP\n"
    ));
    object(&mut gateways, &format!(
        "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: GatewayConfig\nmetadata:\n  name: extproc\n  namespace: {namespace}\nspec:\n  extProc:\n    kubernetes:\n      resources:\n        requests:\n          cpu: 100m\n          memory: 128Mi\n"
    ));
    let mut routes = String::new();
    let mut backends = String::new();
    let mut policies = String::new();
    for r in first..first + count {
        let route = format!("chat-{r:05}");
        let gateway = format!("gw-{r:05}");
        object(&mut gateways, &format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: {gateway}\n  namespace: {namespace}\n  annotations:\n    aigateway.envoyproxy.io/gateway-config: extproc\nspec:\n  gatewayClassName: envoy-gateway\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 8080\n"
        ));
        let (openai, bedrock, local) = (
            format!("openai-{r:05}"),
            format!("bedrock-{r:05}"),
            format!("llama-{r:05}"),
        );
        object(&mut routes, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: AIGatewayRoute\nmetadata:\n  name: {route}\n  namespace: {namespace}\n  labels:\n    tier: \"{tier}\"\nspec:\n  parentRefs:\n    - group: gateway.networking.k8s.io\n      kind: Gateway\n      name: {gateway}\n  rules:\n    - name: gpt\n      matches:\n        - headers:\n            - type: Exact\n              name: x-ai-eg-model\n              value: gpt-4o-mini\n        - headers:\n            - type: Exact\n              name: x-ai-eg-model\n              value: gpt-4o\n      backendRefs:\n        - name: {openai}\n          weight: 80\n        - name: {bedrock}\n          weight: 20\n        - name: {local}\n          priority: 1\n      timeouts:\n        request: 60s\n        backendRequest: 50s\n    - name: claude\n      matches:\n        - headers:\n            - type: Exact\n              name: x-ai-eg-model\n              value: claude-3-sonnet\n      backendRefs:\n        - name: {bedrock}\n    - name: llama\n      matches:\n        - headers:\n            - type: Exact\n              name: x-ai-eg-model\n              value: llama-3-8b\n      backendRefs:\n        - name: {local}\n          weight: 3\n        - name: {openai}\n          weight: 1\n  llmRequestCosts:\n    - metadataKey: input_tokens\n      type: InputToken\n    - metadataKey: output_tokens\n      type: OutputToken\n    - metadataKey: weighted_tokens\n      type: CEL\n      cel: \"model == 'llama-3-8b' ? total_tokens : input_tokens + output_tokens * {}u\"\n",
            r % 5 + 2,
            tier = r % 3,
        ));
        for (name, schema, target) in [
            (&openai, "OpenAI", "openai-api"),
            (&bedrock, "AWSBedrock", "bedrock-us-east-1"),
            (&local, "OpenAI", "llama-server"),
        ] {
            object(&mut backends, &format!(
                "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: AIServiceBackend\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  schema:\n    name: {schema}\n  backendRef:\n    group: gateway.envoyproxy.io\n    kind: Backend\n    name: {target}\n"
            ));
        }
        object(&mut policies, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: BackendSecurityPolicy\nmetadata:\n  name: key-{r:05}\n  namespace: {namespace}\nspec:\n  targetRefs:\n    - group: aigateway.envoyproxy.io\n      kind: AIServiceBackend\n      name: {openai}\n  type: APIKey\n  apiKey:\n    secretRef:\n      name: openai-key-{r:05}\n"
        ));
        object(&mut policies, &format!(
            "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: BackendSecurityPolicy\nmetadata:\n  name: aws-{r:05}\n  namespace: {namespace}\nspec:\n  targetRefs:\n    - group: aigateway.envoyproxy.io\n      kind: AIServiceBackend\n      name: {bedrock}\n  type: AWSCredentials\n  awsCredentials:\n    region: us-east-1\n    credentialsFile:\n      secretRef:\n        name: aws-credentials-{r:05}\n"
        ));
        object(&mut secrets, &format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai-key-{r:05}\n  namespace: {namespace}\ntype: Opaque\nstringData:\n  apiKey: sk-test-{r:05}-0123456789abcdef\n"
        ));
        object(&mut secrets, &format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-credentials-{r:05}\n  namespace: {namespace}\ntype: Opaque\ndata:\n  credentials: W2RlZmF1bHRdCmF3c19hY2Nlc3Nfa2V5X2lkID0gQUtJQQo=\n"
        ));
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

fn object(out: &mut String, text: &str) {
    let _ = write!(out, "---\n{text}");
}
