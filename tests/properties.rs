//! Properties over generated manifests: any valid set of routes, backends
//! and policies across namespaces renders; the output re-parses and passes
//! the output checks; it is deterministic and its derived objects do not
//! depend on input order. Mutated bytes of such a set never panic: they are
//! rejected with no output, or (when the mutation kept them valid) render.

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde::Deserialize;

use aigw::diagnostics::render::{render, Format, Style};
use aigw::emit::{emit, OutputFormat};

const NAMESPACES: &[&str] = &["default", "team-a", "ml-prod"];

/// A backend: its schema, and its policy (none, an API key or an AWS
/// credentials file).
#[derive(Debug, Clone)]
struct Backend {
    schema: &'static str,
    policy: u8,
    port: u16,
}

#[derive(Debug, Clone)]
struct Rule {
    /// One header match per entry: a model number.
    models: Vec<u8>,
    /// Backend indexes (distinct) and weights.
    refs: Vec<(usize, u8)>,
}

#[derive(Debug, Clone)]
struct Route {
    rules: Vec<Rule>,
    costs: Vec<u8>,
    replicas: Option<u8>,
}

#[derive(Debug, Clone)]
struct Namespace {
    name: &'static str,
    backends: Vec<Backend>,
    routes: Vec<Route>,
    /// A pass-through object in the namespace.
    config_map: bool,
}

fn backend() -> impl Strategy<Value = Backend> {
    (
        prop::sample::select(vec!["OpenAI", "AWSBedrock"]),
        0u8..3,
        1u16..65535,
    )
        .prop_map(|(schema, policy, port)| Backend {
            schema,
            policy,
            port,
        })
}

fn rule(backends: usize) -> impl Strategy<Value = Rule> {
    (
        prop::collection::vec(0u8..50, 1..4),
        prop::sample::subsequence((0..backends).collect::<Vec<_>>(), 1..=backends.min(3)),
        prop::collection::vec(0u8..100, 3),
    )
        .prop_map(|(models, chosen, weights)| Rule {
            models,
            refs: chosen.into_iter().zip(weights).collect(),
        })
}

fn route(backends: usize) -> impl Strategy<Value = Route> {
    (
        prop::collection::vec(rule(backends), 1..4),
        prop::collection::vec(0u8..4, 0..4),
        prop::option::of(1u8..5),
    )
        .prop_map(|(rules, costs, replicas)| Route {
            rules,
            costs,
            replicas,
        })
}

fn namespace(name: &'static str) -> impl Strategy<Value = Namespace> {
    prop::collection::vec(backend(), 1..5).prop_flat_map(move |backends| {
        let n = backends.len();
        (
            Just(backends),
            prop::collection::vec(route(n), 1..4),
            any::<bool>(),
        )
            .prop_map(move |(backends, routes, config_map)| Namespace {
                name,
                backends,
                routes,
                config_map,
            })
    })
}

fn manifests() -> impl Strategy<Value = Vec<Namespace>> {
    prop::sample::subsequence(NAMESPACES.to_vec(), 1..=NAMESPACES.len())
        .prop_flat_map(|names| names.into_iter().map(namespace).collect::<Vec<_>>())
}

/// The YAML documents of a generated set, one string each.
fn documents(namespaces: &[Namespace]) -> Vec<String> {
    let mut docs = Vec::new();
    for ns in namespaces {
        let n = ns.name;
        for (i, b) in ns.backends.iter().enumerate() {
            let policy_ref = match b.policy {
                0 => String::new(),
                _ => format!("\n  backendSecurityPolicyRef: {{group: aigateway.envoyproxy.io, kind: BackendSecurityPolicy, name: p{i}}}"),
            };
            docs.push(format!(
                "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {{name: b{i}, namespace: {n}}}\nspec:\n  schema: {{name: {}}}\n  backendRef: {{name: svc{i}, port: {}}}{policy_ref}\n",
                b.schema, b.port
            ));
            match b.policy {
                1 => docs.push(format!(
                    "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: BackendSecurityPolicy\nmetadata: {{name: p{i}, namespace: {n}}}\nspec:\n  type: APIKey\n  apiKey:\n    secretRef: {{name: key{i}, namespace: {n}}}\n"
                )),
                2 => docs.push(format!(
                    "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: BackendSecurityPolicy\nmetadata: {{name: p{i}, namespace: {n}}}\nspec:\n  type: AWSCredentials\n  awsCredentials:\n    region: eu-west-{i}\n    credentialsFile:\n      secretRef: {{name: aws{i}}}\n"
                )),
                _ => {}
            }
        }
        for (r, route) in ns.routes.iter().enumerate() {
            let mut text = format!(
                "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata: {{name: route-{r}, namespace: {n}}}\nspec:\n  schema: {{name: OpenAI}}\n  targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: gw-{r}}}]\n  rules:\n"
            );
            for (k, rule) in route.rules.iter().enumerate() {
                text.push_str("  - matches:\n");
                for m in &rule.models {
                    text.push_str(&format!(
                        "    - headers: [{{name: x-ai-eg-model, value: model-{k}-{m}}}]\n"
                    ));
                }
                text.push_str("    backendRefs:\n");
                for (b, weight) in &rule.refs {
                    text.push_str(&format!("    - {{name: b{b}, weight: {weight}}}\n"));
                }
            }
            if !route.costs.is_empty() {
                text.push_str("  llmRequestCosts:\n");
                for (c, kind) in route.costs.iter().enumerate() {
                    let kind = match kind {
                        0 => "type: InputToken".to_string(),
                        1 => "type: OutputToken".to_string(),
                        2 => "type: TotalToken".to_string(),
                        _ => "type: CEL, cel: \"input_tokens * 2u + output_tokens\"".to_string(),
                    };
                    text.push_str(&format!("  - {{metadataKey: cost{c}, {kind}}}\n"));
                }
            }
            if let Some(replicas) = route.replicas {
                text.push_str(&format!(
                    "  filterConfig:\n    externalProcessor: {{replicas: {replicas}}}\n"
                ));
            }
            docs.push(text);
        }
        if ns.config_map {
            docs.push(format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings, namespace: {n}}}\ndata: {{level: \"3\"}}\n"
            ));
        }
    }
    docs
}

fn compile(text: &[u8]) -> aigw::Compiled {
    let mut stdin = text;
    aigw::compile(&[PathBuf::from("-")], &mut stdin, &aigw::Options::default())
        .unwrap_or_else(|e| panic!("I/O error on standard input: {}", e.0))
}

fn joined(docs: &[String]) -> String {
    docs.iter().map(|d| format!("---\n{d}")).collect()
}

/// Every YAML document of `text`, parsed; panics when one does not parse.
fn reparse(text: &str) -> Vec<serde_yaml::Value> {
    serde_yaml::Deserializer::from_str(text)
        .map(|doc| serde_yaml::Value::deserialize(doc).unwrap_or_else(|e| panic!("{e}:\n{text}")))
        .filter(|v| !v.is_null())
        .collect()
}

proptest! {
    #![proptest_config(Config { cases: 48, failure_persistence: None, ..Config::default() })]

    #[test]
    fn valid_manifests_render_deterministically_in_any_order(
        namespaces in manifests(),
        seed in any::<u64>(),
    ) {
        let docs = documents(&namespaces);
        let text = joined(&docs);
        let compiled = compile(text.as_bytes());
        let errors: Vec<String> = compiled.report.diagnostics.iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        prop_assert!(errors.is_empty(), "{errors:#?}\n{text}");
        let output = compiled.output.as_ref().expect("output without errors");
        let objects = output.objects(false);
        let yaml = emit(&objects, OutputFormat::Yaml);
        // Re-parses, one document per object, each a Kubernetes object.
        let reparsed = reparse(&yaml);
        prop_assert_eq!(reparsed.len(), objects.len());
        for object in &reparsed {
            prop_assert!(object.get("apiVersion").is_some() && object.get("kind").is_some());
            prop_assert!(object.get("metadata").and_then(|m| m.get("name")).is_some());
        }
        let json = emit(&objects, OutputFormat::Json);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        // Each route derives its five objects, each namespace one filter.
        let routes: usize = namespaces.iter().map(|n| n.routes.len()).sum();
        prop_assert_eq!(output.derived.len(), 5 * routes + namespaces.len());

        // Deterministic.
        let again = compile(text.as_bytes());
        let again = again.output.as_ref().expect("output");
        prop_assert_eq!(&yaml, &emit(&again.objects(false), OutputFormat::Yaml));

        // The derived objects do not depend on the order of the documents.
        let mut shuffled = docs.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let reordered = compile(joined(&shuffled).as_bytes());
        let reordered = reordered.output.as_ref().expect("output");
        prop_assert_eq!(
            emit(&output.derived, OutputFormat::Yaml),
            emit(&reordered.derived, OutputFormat::Yaml)
        );
    }

    #[test]
    fn mutated_bytes_are_rejected_or_still_render(
        namespaces in manifests(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..6),
    ) {
        let mut bytes = joined(&documents(&namespaces)).into_bytes();
        for (at, how, byte) in edits {
            let i = at.index(bytes.len().max(1));
            match how {
                0 if i < bytes.len() => { bytes.remove(i); }
                1 => bytes.insert(i.min(bytes.len()), byte),
                2 if i < bytes.len() => bytes[i] = byte,
                _ => {
                    // A structural character, where YAML is most fragile.
                    let structural = b"{}[]:-,&*!|>'\"#%@`\t\n";
                    let c = structural.get(usize::from(byte) % structural.len());
                    bytes.insert(i.min(bytes.len()), c.copied().unwrap_or(b'{'));
                }
            }
        }
        let compiled = compile(&bytes);
        let style = Style { color: false, width: 80 };
        for format in [Format::Human, Format::Json, Format::Github] {
            render(&compiled.report, &compiled.sources, format, style);
        }
        match &compiled.output {
            None => prop_assert!(compiled.report.has_errors()),
            Some(output) => {
                prop_assert!(!compiled.report.has_errors());
                let objects = output.objects(false);
                prop_assert_eq!(reparse(&emit(&objects, OutputFormat::Yaml)).len(), objects.len());
            }
        }
    }
}

/// The same mutations through the binary: exit 1 (or 0 for a mutation that
/// kept the input valid), stdout empty unless 0, and never a panic.
#[test]
fn mutated_bytes_through_the_binary_exit_cleanly() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    for round in 0..12 {
        let namespaces = manifests().new_tree(&mut runner).expect("tree").current();
        let mut bytes = joined(&documents(&namespaces)).into_bytes();
        let at = (round * 7919) % bytes.len().max(1);
        bytes.insert(at, b"{[:\xFF"[round % 4]);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aigw"))
            .args(["render", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            stdin.write_all(&bytes).expect("stdin");
        }
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => assert!(!out.stdout.is_empty()),
            Some(1) => assert!(out.stdout.is_empty() && stderr.contains("AIGW"), "{stderr}"),
            code => panic!("exit {code:?}: {stderr}"),
        }
    }
}
