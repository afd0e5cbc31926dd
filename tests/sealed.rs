//! Issue 15: no byte of a Secret's `data` or `stringData` in any output
//! of any command, however the Secret is spelt. Each reproduction of the
//! red-team pass is a case here, run through validate, render and routes
//! in every diagnostic format, through `aigw krm` (ResourceList and exec
//! plugin) and through the Argo CD plugin's generate; a property test
//! then tries random spellings and breakage.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use proptest::prelude::*;

mod common;
use common::{scratch, text};

/// The value of the red-team reproductions, and its base64 form.
const VALUE: &str = "sk-LEAKME-1234";
const VALUE_B64: &str = "c2stTEVBS01FLTEyMzQ=";

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const SYMBOLS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(SYMBOLS[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The red-team reproductions: a file name and its bytes.
fn reproductions() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let broken = |kind: &str| {
        format!("apiVersion: v1\nkind: {kind}\nmetadata:\n  name: s2\ndata:\n  apiKey: {VALUE_B64}\n  other: [{VALUE_B64}\n")
            .into_bytes()
    };
    vec![
        ("tag", "s.yaml", broken("!!str Secret")),
        ("folded", "s.yaml", broken(">-\n  Secret")),
        ("comment", "s.yaml", broken("# the kind\n  Secret")),
        ("misspelt", "s.yaml", broken("Secrte")),
        (
            "json-escape",
            "s.json",
            format!("{{\"apiVersion\":\"v1\",\"kind\":\"\\u0053ecret\",\"metadata\":{{\"name\":\"s5\"}},\"data\":{{\"apiKey\":\"{VALUE_B64}\"}},,\"x\":1}}\n").into_bytes(),
        ),
        (
            "flow-tag",
            "s.yaml",
            format!("{{apiVersion: v1, kind: !!str Secret, metadata: {{name: s6}}, data: {{apiKey: {VALUE_B64}, other: [{VALUE_B64}}}\n").into_bytes(),
        ),
        (
            "alias",
            "l.yaml",
            format!("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {{name: s8, namespace: ai}}\n  stringData:\n    apiKey: &v {VALUE}\n- apiVersion: aigateway.envoyproxy.io/v1alpha1\n  kind: AIServiceBackend\n  metadata: {{name: b8, namespace: ai}}\n  spec:\n    schema:\n      name: *v\n    backendRef: {{name: x, kind: Backend, group: gateway.envoyproxy.io}}\n").into_bytes(),
        ),
        (
            "invalid-byte",
            "e.yaml",
            b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: e\nstringData:\n  apiKey: sk-\xe9LEAKME\n".to_vec(),
        ),
    ]
}

fn aigw(args: &[&str], dir: &Path, stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(args)
        .current_dir(dir)
        .env_remove("AIGW_FORMAT")
        .env_remove("AIGW_STRICT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run aigw");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("aigw output")
}

/// What a run printed must hold none of the forms of the value.
fn assert_sealed(what: &str, out: &Output) {
    let shown = format!("{}{}", text(&out.stdout), text(&out.stderr));
    for form in [VALUE, VALUE_B64, "LEAKME", "0xE9", "0xe9"] {
        assert!(!shown.contains(form), "{what} shows {form:?}:\n{shown}");
    }
}

#[test]
fn no_reproduction_leaks_through_any_command_or_format() {
    for (name, file, bytes) in reproductions() {
        let dir = scratch(&format!("sealed-{name}"));
        std::fs::write(dir.join(file), &bytes).expect("write");
        for command in ["validate", "render", "routes"] {
            for format in ["human", "json", "github", "sarif"] {
                let out = aigw(
                    &[command, "--color", "never", "--format", format, file],
                    &dir,
                    b"",
                );
                let what = format!("{name}: aigw {command} --format {format}");
                assert_eq!(out.status.code(), Some(1), "{what}: {}", text(&out.stderr));
                if command != "validate" || format == "human" {
                    assert!(out.stdout.is_empty(), "{what}: stdout on failure");
                }
                assert_sealed(&what, &out);
            }
        }
        // Standard input, and a directory walk (the Argo CD plugin's way).
        assert_sealed(name, &aigw(&["validate", "-"], &dir, &bytes));
        assert_sealed(name, &aigw(&["render", "."], &dir, b""));
    }
}

/// The reproductions as the items of a ResourceList (YAML ones only: a
/// ResourceList is one document), with a functionConfig whose option is an
/// alias of the Secret value, as kustomize and kpt pass it.
#[test]
fn krm_results_never_show_a_secret_value() {
    let dir = scratch("sealed-krm");
    let secret = format!("- apiVersion: v1\n  kind: Secret\n  metadata: {{name: s, namespace: ai}}\n  stringData:\n    apiKey: &v {VALUE}\n  data:\n    other: &w {VALUE_B64}\n");
    let backend = "- apiVersion: aigateway.envoyproxy.io/v1alpha1\n  kind: AIServiceBackend\n  metadata: {name: b, namespace: ai}\n  spec:\n    schema: {name: *v}\n    backendRef: {name: *w, kind: Backend, group: gateway.envoyproxy.io}\n";
    let lists = [
        format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{secret}{backend}"),
        format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n{secret}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: c}}\n  data: {{namespace: *v, extprocLogLevel: *w}}\n"),
        format!("items:\n{secret}apiVersion: config.kubernetes.io/v1\nkind: *v\n"),
    ];
    for list in &lists {
        let out = aigw(&["krm"], &dir, list.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        // The items come back unchanged (the Secret with them); the
        // results must not quote it.
        let results = text(&out.stdout);
        let results = results.split("results:").nth(1).unwrap_or("");
        assert!(!results.is_empty(), "no results:\n{}", text(&out.stdout));
        for form in [VALUE, VALUE_B64] {
            assert!(!results.contains(form), "results show {form}:\n{results}");
            assert!(!text(&out.stderr).contains(form), "{}", text(&out.stderr));
        }
    }
    // The exec plugin: the same through its config file and stdin.
    let config = format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata: {{namespace: {VALUE}}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData: {{k: {VALUE}}}\n");
    std::fs::write(dir.join("config.yaml"), config).expect("write");
    let items = format!("apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: ai}}\nstringData:\n  apiKey: &v {VALUE}\n---\napiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {{name: b, namespace: ai}}\nspec: {{schema: {{name: {VALUE}}}, backendRef: {{name: x, kind: Backend, group: gateway.envoyproxy.io}}}}\n");
    let out = aigw(&["krm", "config.yaml"], &dir, items.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_sealed("exec plugin", &out);
}

/// The Argo CD plugin's generate command (argocd/plugin.yaml) on an app
/// holding each reproduction.
#[test]
fn argocd_generate_never_shows_a_secret_value() {
    let yaml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("argocd/plugin.yaml"))
            .expect("plugin.yaml");
    let plugin: serde_json::Value = serde_yaml::from_str(&yaml).expect("plugin.yaml is YAML");
    let generate = &plugin["spec"]["generate"];
    let line: Vec<String> = ["command", "args"]
        .iter()
        .filter_map(|k| generate[*k].as_array())
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    let bin = Path::new(env!("CARGO_BIN_EXE_aigw"))
        .parent()
        .expect("bin dir")
        .display()
        .to_string();
    for (name, file, bytes) in reproductions() {
        let dir = scratch(&format!("sealed-argocd-{name}"));
        std::fs::write(dir.join(file), &bytes).expect("write");
        let out = Command::new(&line[0])
            .args(&line[1..])
            .current_dir(&dir)
            .env(
                "PATH",
                format!("{bin}:{}", std::env::var("PATH").unwrap_or_default()),
            )
            .env("ARGOCD_APP_NAMESPACE", "ai")
            .output()
            .expect("run generate");
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{name}");
        assert_sealed(&format!("argocd generate {name}"), &out);
    }
}

/// A spelling of `kind: Secret` in block style (the text after `kind:`).
fn block_kind() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Secret".to_string()),
        Just("!!str Secret".to_string()),
        Just("\"Secret\"".to_string()),
        Just("'Secret'".to_string()),
        Just(">-\n  Secret".to_string()),
        Just("|-\n  Secret".to_string()),
        Just("# a comment\n  Secret".to_string()),
        Just("\"\\u0053ecret\"".to_string()),
        Just("\"Secr\\x65t\"".to_string()),
        Just("&k Secret".to_string()),
        Just("!<tag:yaml.org,2002:str> Secret".to_string()),
        Just("Secrte".to_string()),
        Just("secret".to_string()),
        Just("SECRET".to_string()),
    ]
}

/// A spelling of the kind in a flow mapping or JSON.
fn flow_kind() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Secret".to_string()),
        Just("!!str Secret".to_string()),
        Just("\"Secret\"".to_string()),
        Just("\"\\u0053ecret\"".to_string()),
        Just("'Secret'".to_string()),
        Just("Secrte".to_string()),
    ]
}

/// How a document is broken, applied to its text.
#[derive(Debug, Clone)]
enum Breakage {
    None,
    /// Cut at this fraction (in thousandths) of the text.
    Truncate(usize),
    /// An unclosed `[` before the value.
    Unclosed,
    /// A doubled comma, a tab indentation, a duplicate key.
    Comma,
    Tab,
    DuplicateKey,
}

fn breakage() -> impl Strategy<Value = Breakage> {
    prop_oneof![
        Just(Breakage::None),
        (100usize..1000).prop_map(Breakage::Truncate),
        Just(Breakage::Unclosed),
        Just(Breakage::Comma),
        Just(Breakage::Tab),
        Just(Breakage::DuplicateKey),
    ]
}

/// A Secret with `value` (plain in stringData, base64 in data), in block,
/// flow or JSON style, optionally in a List with an AIServiceBackend that
/// aliases the value into a field whose error quotes it, then broken.
fn secret_text(
    block: &str,
    flow: &str,
    style: u8,
    in_data: bool,
    alias: bool,
    value: &str,
    broken: &Breakage,
) -> String {
    let (field, shown) = if in_data {
        ("data", base64(value.as_bytes()))
    } else {
        ("stringData", value.to_string())
    };
    let mut text = match style {
        0 if alias => format!(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: {}\n  metadata: {{name: s, namespace: ai}}\n  {field}:\n    apiKey: &v {shown}\n- apiVersion: aigateway.envoyproxy.io/v1alpha1\n  kind: AIServiceBackend\n  metadata: {{name: b, namespace: ai}}\n  spec:\n    schema: {{name: *v}}\n    backendRef: {{name: *v, kind: Backend, group: gateway.envoyproxy.io}}\n",
            block.replace('\n', "\n  ")
        ),
        0 => format!(
            "apiVersion: v1\nkind: {block}\nmetadata:\n  name: s\n{field}:\n  apiKey: {shown}\n  other: {shown}\n"
        ),
        1 => format!(
            "{{apiVersion: v1, kind: {flow}, metadata: {{name: s}}, {field}: {{apiKey: {shown}, other: {shown}}}}}\n"
        ),
        _ => format!(
            "{{\"apiVersion\": \"v1\", \"kind\": {}, \"metadata\": {{\"name\": \"s\"}}, \"{field}\": {{\"apiKey\": \"{shown}\"}}}}\n",
            if flow.starts_with('"') { flow.to_string() } else { "\"Secret\"".to_string() }
        ),
    };
    match broken {
        Breakage::None => {}
        Breakage::Truncate(per_mille) => {
            let mut at = text.len() * per_mille / 1000;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        Breakage::Unclosed => text = text.replacen(&shown, &format!("[{shown}"), 1),
        Breakage::Comma => text = text.replacen(", ", ",, ", 1),
        Breakage::Tab => text = text.replacen("\n  ", "\n\t", 1),
        Breakage::DuplicateKey => text = text.replacen("apiVersion", "kind: x\napiVersion", 1),
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn no_spelling_or_breakage_shows_a_secret_value(
        block in block_kind(),
        flow in flow_kind(),
        style in 0u8..3,
        in_data in any::<bool>(),
        alias in any::<bool>(),
        value in "sk-[A-Za-z0-9]{12,20}",
        broken in breakage(),
    ) {
        use aigw::diagnostics::render::{render, Format, Style};
        let text = secret_text(&block, &flow, style, in_data, alias, &value, &broken);
        let encoded = base64(value.as_bytes());
        let mut stdin = text.as_bytes();
        let compiled = aigw::compile(&[std::path::PathBuf::from("-")], &mut stdin, &aigw::Options::default());
        let Ok(compiled) = compiled else { return Ok(()) };
        let style_ = Style { color: false, width: 100 };
        let mut shown = String::new();
        for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
            shown.push_str(&render(&compiled.report, &compiled.sources, format, style_));
        }
        // The same document as the one item of a ResourceList.
        if style == 0 {
            let indented: String = text.lines().map(|l| format!("  {l}\n")).collect();
            let list = format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}", indented.trim_start());
            let (_, krm) = aigw::krm::run_resource_list(&list);
            for result in &krm.results {
                shown.push_str(&result.line());
            }
        }
        prop_assert!(!shown.contains(&value), "value {} shown for:\n{}\n---\n{}", value, text, shown);
        prop_assert!(!shown.contains(&encoded), "base64 {} shown for:\n{}\n---\n{}", encoded, text, shown);
    }
}

/// The routing table is not a diagnostic, but CI prints it as well: a
/// match value that is an alias of a Secret value shows as `****`.
#[test]
fn routes_never_show_a_secret_value() {
    let dir = scratch("sealed-routes");
    let list = format!("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {{name: s}}\n  stringData: {{apiKey: &v {VALUE}}}\n- apiVersion: aigateway.envoyproxy.io/v1alpha1\n  kind: AIGatewayRoute\n  metadata: {{name: chat}}\n  spec:\n    schema: {{name: OpenAI}}\n    targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: gw}}]\n    rules:\n    - matches: [{{headers: [{{name: x-ai-eg-model, value: *v}}]}}]\n      backendRefs: [{{name: llama}}]\n- apiVersion: aigateway.envoyproxy.io/v1alpha1\n  kind: AIServiceBackend\n  metadata: {{name: llama}}\n  spec: {{schema: {{name: OpenAI}}, backendRef: {{name: llama, kind: Service, port: 8000}}}}\n");
    std::fs::write(dir.join("l.yaml"), list).expect("write");
    for output in ["text", "json"] {
        let out = aigw(&["routes", "-o", output, "l.yaml"], &dir, b"");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains("****"), "{}", text(&out.stdout));
        assert_sealed(&format!("routes -o {output}"), &out);
    }
}
