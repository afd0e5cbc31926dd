//! No byte of a Secret's `data` or `stringData` reaches any output format,
//! whatever error sits next to it: snippets show `*` in place of values,
//! and messages never quote them.

use std::path::PathBuf;
use std::process::Command;

/// Values that appear nowhere else, so that any occurrence is a leak.
const VALUES: &[&str] = &[
    "c2stREFUQVNFQ1JFVDAx",
    "sk-STRINGDATA-SECRET-02",
    "BLOCK-SECRET-LINE-03",
    "BLOCK-SECRET-LINE-04",
    "FLOW-SECRET-05",
];

const SECRET: &str = "apiVersion: v1
kind: Secret
metadata: {name: openai-secret}
type: Opaque
data:
  apiKey: c2stREFUQVNFQ1JFVDAx
  pem: |
    BLOCK-SECRET-LINE-03
    BLOCK-SECRET-LINE-04
stringData:
  token: sk-STRINGDATA-SECRET-02
  other: {nested: FLOW-SECRET-05}
";

const BAD_BACKEND: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: b}
spec: {schema: {name: OpenAI}, backendRef: {name: s, port: 80}, bogus: 1}
";

/// Inputs with an error before, after, inside and around a Secret.
fn cases() -> Vec<(&'static str, String)> {
    let secret_after_header = SECRET.replacen("type: Opaque\n", "type: Opaque\nbogus: [\n", 1);
    vec![
        ("error-before", format!("{BAD_BACKEND}---\n{SECRET}")),
        ("error-after", format!("{SECRET}---\n{BAD_BACKEND}")),
        ("syntax-error-inside-data", SECRET.replace("apiKey: c2stREFUQVNFQ1JFVDAx", "apiKey: [c2stREFUQVNFQ1JFVDAx")),
        ("syntax-error-in-header", secret_after_header),
        ("syntax-error-after", format!("{SECRET}---\nkey: [unclosed\n")),
        ("syntax-error-before", format!("key: [unclosed\n---\n{SECRET}")),
        ("duplicate-key-in-data", SECRET.replace("  pem: |", "  apiKey: again\n  pem: |")),
        ("duplicate-key-in-value", SECRET.replace("{nested: FLOW-SECRET-05}", "{FLOW-SECRET-05: 1, FLOW-SECRET-05: 2}")),
        ("at-sign-value", SECRET.replace("apiKey: c2stREFUQVNFQ1JFVDAx", "apiKey: @c2stREFUQVNFQ1JFVDAx")),
        ("huge-number-value", SECRET.replace("FLOW-SECRET-05", "FLOW-SECRET-05x\n  n: 99999999999999999999")),
        ("missing-kind", SECRET.replace("kind: Secret\n", "")),
        ("missing-name", SECRET.replace("metadata: {name: openai-secret}\n", "metadata: {}\n")),
        ("data-not-a-map", SECRET.replace("  apiKey: c2stREFUQVNFQ1JFVDAx\n", "  - c2stREFUQVNFQ1JFVDAx\n")),
        ("duplicate-secret", format!("{SECRET}---\n{SECRET}---\n{BAD_BACKEND}")),
        ("list", list_of_secret()),
        ("json-syntax-error", format!("{{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {{\"name\": \"s\"}}, \"stringData\": {{\"k\": \"{}\",}}}}", VALUES[1])),
    ]
}

fn list_of_secret() -> String {
    let indented: String = SECRET.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "apiVersion: v1\nkind: List\nitems:\n- {}\n- {BAD_BACKEND_ITEM}",
        indented.trim_start()
    )
}

const BAD_BACKEND_ITEM: &str = "{apiVersion: aigateway.envoyproxy.io/v1alpha1, kind: AIServiceBackend, metadata: {name: b}, spec: {bogus: 1}}\n";

#[test]
fn secret_values_never_appear_in_any_format() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("secrets");
    std::fs::create_dir_all(&dir).expect("dir");
    let mut masked_snippets = 0;
    for (name, text) in cases() {
        let ext = if name.starts_with("json") {
            "json"
        } else {
            "yaml"
        };
        let path = dir.join(format!("{name}.{ext}"));
        std::fs::write(&path, &text).expect("write");
        for command in ["render", "validate"] {
            for format in ["human", "json", "github", "sarif"] {
                let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
                    .args([command, "--format", format, "--color", "always"])
                    .arg(&path)
                    .output()
                    .expect("run aigw");
                let stdout = String::from_utf8_lossy(&out.stdout);
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert_eq!(
                    out.status.code(),
                    Some(1),
                    "{name} {command} {format}: {stderr}"
                );
                for value in VALUES {
                    for (stream, shown) in [("stdout", &stdout), ("stderr", &stderr)] {
                        assert!(
                            !shown.contains(value),
                            "{name}, {command} --format {format}: {value} on {stream}:\n{shown}"
                        );
                    }
                }
                if format == "human" && stderr.contains("****") {
                    masked_snippets += 1;
                }
            }
        }
    }
    // The snippets do show the Secret's lines, masked.
    assert!(
        masked_snippets >= 10,
        "only {masked_snippets} masked snippets"
    );
}

#[test]
fn a_masked_snippet_keeps_keys_and_positions() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("secrets");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("no-kind.yaml");
    // Without a kind, nothing says this is not a Secret, so its values are
    // masked; the snippet quotes the document's first line and the next.
    let text =
        "data:\n  apiKey: c2stREFUQVNFQ1JFVDAx\napiVersion: v1\nmetadata: {name: openai-secret}\n";
    std::fs::write(&path, text).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(["validate", "--color", "never"])
        .arg(&path)
        .output()
        .expect("run aigw");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kind is required"), "{stderr}");
    assert!(stderr.contains("no-kind.yaml:1:1]"), "{stderr}");
    assert!(stderr.contains("apiKey: ********************"), "{stderr}");
    assert!(!stderr.contains("c2stREFUQVNFQ1JFVDAx"), "{stderr}");
}
