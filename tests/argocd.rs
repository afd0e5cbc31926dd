//! The Argo CD Config Management Plugin (argocd/plugin.yaml), run the way
//! Argo CD's cmp-server runs it: each command is `command[0]` with
//! `command[1..] + args` as arguments, the working directory is the app's
//! source path, the environment is the server's plus the ARGOCD_APP_* and
//! ARGOCD_ENV_* entries; discover matches when its output is not empty, and
//! generate's stdout must be manifests only.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::text;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn plugin() -> Value {
    let yaml = std::fs::read_to_string(root().join("argocd/plugin.yaml")).expect("plugin.yaml");
    let plugin: Value = serde_yaml::from_str(&yaml).expect("plugin.yaml is YAML");
    // What the cmp-server checks before it starts.
    assert_eq!(plugin["apiVersion"], "argoproj.io/v1alpha1");
    assert_eq!(plugin["kind"], "ConfigManagementPlugin");
    assert_eq!(plugin["metadata"]["name"], "aigw");
    plugin
}

/// `spec.<section>` as the cmp-server's Command: `command` then `args`.
fn command_line(command: &Value) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut line = strings(&command["command"]);
    line.extend(strings(&command["args"]));
    assert!(!line.is_empty(), "empty command: {command}");
    line
}

fn run_plugin_command(command: &Value, app: &Path, env: &[(&str, &str)]) -> Output {
    let line = command_line(command);
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_aigw"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new(&line[0]);
    cmd.args(&line[1..]).current_dir(app).env("PATH", path);
    for (key, _) in std::env::vars() {
        if key.starts_with("AIGW_") || key.starts_with("ARGOCD_") {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("run plugin command")
}

fn discover(app: &Path) -> bool {
    let plugin = plugin();
    let find = &plugin["spec"]["discover"]["find"];
    let out = run_plugin_command(find, app, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The cmp-server trims one trailing newline and matches on non-empty output.
    !text(&out.stdout).trim_end_matches('\n').is_empty()
}

fn generate(app: &Path, env: &[(&str, &str)]) -> Output {
    run_plugin_command(&plugin()["spec"]["generate"], app, env)
}

fn app(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("argocd")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (file, content) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}

const ROUTE: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: chat}
spec:
  schema: {name: OpenAI}
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: llama}]}]
      backendRefs: [{name: llama}]
";
const BACKEND: &str = r#"{"apiVersion": "aigateway.envoyproxy.io/v1alpha1", "kind": "AIServiceBackend",
 "metadata": {"name": "llama"},
 "spec": {"schema": {"name": "OpenAI"}, "backendRef": {"name": "llama", "port": 8000}}}
"#;
const SERVICE: &str = "apiVersion: v1
kind: Service
metadata: {name: llama}
spec: {ports: [{port: 8000}]}
";

fn aigw_render(app: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .arg("render")
        .args(args)
        .arg(".")
        .current_dir(app)
        .env_remove("AIGW_NAMESPACE")
        .env_remove("AIGW_STRICT")
        .output()
        .expect("aigw");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn discover_matches_apps_with_ai_gateway_manifests_only() {
    let ours = app(
        "discover-yes",
        &[("svc.yaml", SERVICE), ("deep/er/backend.json", BACKEND)],
    );
    assert!(discover(&ours));
    let theirs = app(
        "discover-no",
        &[
            ("svc.yaml", SERVICE),
            (".git/x.yaml", ROUTE),
            ("notes.txt", ROUTE),
        ],
    );
    assert!(!discover(&theirs));
}

#[test]
fn generate_renders_with_the_app_namespace_and_env_parameters() {
    let dir = app(
        "generate",
        &[
            ("route.yaml", ROUTE),
            ("backend.json", BACKEND),
            ("svc.yaml", SERVICE),
        ],
    );
    let out = generate(
        &dir,
        &[
            ("ARGOCD_APP_NAME", "llm"),
            ("ARGOCD_APP_NAMESPACE", "team-a"),
            ("ARGOCD_ENV_AIGW_EXTPROC_LOG_LEVEL", "debug"),
            ("ARGOCD_ENV_AIGW_EXTPROC_IMAGE_PULL_POLICY", "Always"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout,
        aigw_render(
            &dir,
            &[
                "-n",
                "team-a",
                "--extproc-log-level",
                "debug",
                "--extproc-image-pull-policy",
                "Always"
            ]
        )
    );
    assert!(stdout.contains("namespace: team-a"));
    assert_eq!(common::without_release_note(&text(&out.stderr)), "");

    // ARGOCD_ENV_AIGW_NAMESPACE wins over the destination namespace.
    let out = generate(
        &dir,
        &[
            ("ARGOCD_APP_NAMESPACE", "team-a"),
            ("ARGOCD_ENV_AIGW_NAMESPACE", "team-b"),
        ],
    );
    assert_eq!(text(&out.stdout), aigw_render(&dir, &["-n", "team-b"]));
}

#[test]
fn generate_fails_with_diagnostics_on_stderr_and_no_manifests() {
    let broken = ROUTE.replace("name: llama}]", "name: missing}]");
    let dir = app(
        "generate-invalid",
        &[("route.yaml", &broken), ("backend.json", BACKEND)],
    );
    let out = generate(&dir, &[("ARGOCD_APP_NAMESPACE", "team-a")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("AIGW030") && stderr.contains("\"missing\""),
        "{stderr}"
    );
    assert!(
        !stderr.contains("\u{1b}["),
        "no colour in Argo CD's logs: {stderr}"
    );

    // A warning fails the sync only with ARGOCD_ENV_AIGW_STRICT.
    let warned = ROUTE.replace("name: gw}", "name: gw, sectionName: http}");
    let dir = app(
        "generate-strict",
        &[("route.yaml", &warned), ("backend.json", BACKEND)],
    );
    let out = generate(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("AIGW050"));
    let out = generate(&dir, &[("ARGOCD_ENV_AIGW_STRICT", "true")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}
