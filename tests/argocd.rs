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
    run_plugin_command_with(command, app, env, None)
}

/// As the cmp-server runs it, with aigw (and `extra_bin`, if any: fake
/// tools) first on PATH.
fn run_plugin_command_with(
    command: &Value,
    app: &Path,
    env: &[(&str, &str)],
    extra_bin: Option<&Path>,
) -> Output {
    let line = command_line(command);
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_aigw"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = format!(
        "{}{}:{}",
        extra_bin.map_or(String::new(), |d| format!("{}:", d.display())),
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
    discover_with(app, None)
}

fn discover_with(app: &Path, extra_bin: Option<&Path>) -> bool {
    let plugin = plugin();
    let find = &plugin["spec"]["discover"]["find"];
    let out = run_plugin_command_with(find, app, &[], extra_bin);
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

/// Whether `tool` runs from this test's PATH.
fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

const CHART: &str = "apiVersion: v2\nname: gateway\nversion: 0.1.0\n";
const TEMPLATE: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: {{ .Release.Name }}}
spec:
  schema: {name: OpenAI}
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: llama}]}]
      backendRefs: [{name: llama}]
";

/// A fake `helm` on PATH: records its arguments in `args.txt` beside it and
/// prints what `helm template` would print for the chart below.
fn fake_helm(name: &str) -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("argocd-bin")
        .join(name);
    let _ = std::fs::remove_dir_all(&bin);
    std::fs::create_dir_all(&bin).expect("mkdir");
    let rendered = format!(
        "---\n# Source: gateway/templates/route.yaml\n{}---\n# Source: gateway/templates/backend.yaml\n{}",
        TEMPLATE.replace("{{ .Release.Name }}", "chat"),
        serde_yaml::to_string(&serde_json::from_str::<Value>(BACKEND).expect("json")).expect("yaml")
    );
    std::fs::write(bin.join("rendered.yaml"), rendered).expect("write");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" > '{dir}/args.txt'\ncat '{dir}/rendered.yaml'\n",
        dir = bin.display()
    );
    let helm = bin.join("helm");
    std::fs::write(&helm, script).expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helm, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    bin
}

#[test]
fn a_helm_chart_app_is_rendered_with_helm_template_or_fails_naming_it() {
    let dir = app(
        "helm-chart",
        &[
            ("Chart.yaml", CHART),
            ("values.yaml", "replicas: 1\n"),
            ("templates/route.yaml", TEMPLATE),
        ],
    );
    // Without helm: not ours (Argo CD renders the chart itself), and run
    // by name, generate fails naming the command instead of syncing nothing.
    if on_path("helm") {
        eprintln!("SKIPPED the no-helm half: a helm is on PATH");
    } else {
        assert!(
            !discover(&dir),
            "a chart is claimed only when helm is there"
        );
        let out = generate(&dir, &[("ARGOCD_APP_NAME", "chat")]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("`helm template`") && stderr.contains("Helm chart"),
            "{stderr}"
        );
    }

    // With helm: `helm template RELEASE . --include-crds --namespace NS`
    // plus the app's options, and its output rendered by aigw.
    let bin = fake_helm("helm-chart");
    assert!(discover_with(&dir, Some(&bin)));
    let env = [
        ("ARGOCD_APP_NAME", "chat"),
        ("ARGOCD_APP_NAMESPACE", "team-a"),
        (
            "ARGOCD_ENV_AIGW_HELM_TEMPLATE_OPTIONS",
            "-f values-prod.yaml",
        ),
    ];
    let out = run_plugin_command_with(&plugin()["spec"]["generate"], &dir, &env, Some(&bin));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let args = std::fs::read_to_string(bin.join("args.txt")).expect("helm ran");
    assert_eq!(
        args.trim(),
        "template chat . --include-crds --namespace team-a -f values-prod.yaml"
    );
    let expected = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args([
            "render",
            "-n",
            "team-a",
            bin.join("rendered.yaml").to_str().expect("utf-8"),
        ])
        .output()
        .expect("aigw");
    assert!(expected.status.success(), "{}", text(&expected.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout, text(&expected.stdout));
    assert!(
        stdout.contains("kind: HTTPRoute") && stdout.contains("name: chat"),
        "{stdout}"
    );
}

const KUSTOMIZATION: &str = "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: team-k
resources:
  - route.yaml
  - backend.yaml
patches:
  - target: {kind: AIGatewayRoute, name: chat}
    patch: |
      - op: replace
        path: /spec/rules/0/matches/0/headers/0/value
        value: llama-3
";

#[test]
fn a_kustomize_app_is_built_first_with_its_options() {
    if !on_path("kubectl") && !on_path("kustomize") {
        assert!(std::env::var_os("CI").is_none(), "kubectl is not installed");
        eprintln!("SKIPPED a_kustomize_app_is_built_first: no kubectl or kustomize");
        return;
    }
    let backend = serde_yaml::to_string(&serde_json::from_str::<Value>(BACKEND).expect("json"))
        .expect("yaml");
    // aigw.yaml is the exec-plugin layout's config, not a resource here: it
    // must not reach the output (before, a raw walk passed it through).
    let dir = app(
        "kustomize",
        &[
            ("kustomization.yaml", KUSTOMIZATION),
            ("route.yaml", ROUTE),
            ("backend.yaml", &backend),
            ("aigw.yaml", "apiVersion: aigw/v1alpha1\nkind: AIGatewayRender\nmetadata: {name: aigw}\nspec: {strict: false}\n"),
        ],
    );
    assert!(discover(&dir));
    let out = generate(&dir, &[("ARGOCD_APP_NAMESPACE", "team-a")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("llama-3"),
        "the overlay's patch is applied: {stdout}"
    );
    assert!(stdout.contains("namespace: team-k"), "{stdout}");
    assert!(!stdout.contains("AIGatewayRender"), "{stdout}");
    assert!(
        !stdout.contains("kind: AIGatewayRoute"),
        "rendered, not raw: {stdout}"
    );

    // The build options of the app reach the build: a resource outside the
    // app folder needs --load-restrictor LoadRestrictionsNone.
    let outside = dir.with_file_name("kustomize-shared.yaml");
    std::fs::write(&outside, SERVICE).expect("write");
    let with_outside = KUSTOMIZATION.replace(
        "  - backend.yaml\n",
        "  - backend.yaml\n  - ../kustomize-shared.yaml\n",
    );
    std::fs::write(dir.join("kustomization.yaml"), with_outside).expect("write");
    let out = generate(&dir, &[]);
    assert_ne!(out.status.code(), Some(0), "kustomize refuses by default");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let out = generate(
        &dir,
        &[(
            "ARGOCD_ENV_AIGW_KUSTOMIZE_BUILD_OPTIONS",
            "--load-restrictor LoadRestrictionsNone",
        )],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("kind: Service"));
}

#[test]
fn an_app_with_nothing_to_render_fails_unless_empty_is_allowed() {
    // A nested chart's template names the group, but aigw would skip the
    // chart: not ours, and named explicitly, an error rather than an
    // empty sync (which, with pruning, deletes everything).
    let dir = app(
        "empty",
        &[
            ("charts/gateway/Chart.yaml", CHART),
            ("charts/gateway/templates/route.yaml", TEMPLATE),
            ("README.yaml", "title: notes\n"),
        ],
    );
    assert!(!discover(&dir));
    let out = generate(&dir, &[("ARGOCD_APP_NAMESPACE", "team-a")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("found no Kubernetes object")
            && stderr.contains("charts/gateway/")
            && stderr.contains("README.yaml")
            && stderr.contains("AIGW_ALLOW_EMPTY"),
        "{stderr}"
    );
    let out = generate(&dir, &[("ARGOCD_ENV_AIGW_ALLOW_EMPTY", "true")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn aigw_output_folders_are_neither_discovered_nor_read() {
    let dir = app(
        "output-dir",
        &[
            ("manifests/svc.yaml", SERVICE),
            ("rendered/.aigw-output", "written by aigw\n"),
            ("rendered/default/route.yaml", ROUTE),
        ],
    );
    assert!(!discover(&dir), "only aigw's own output names the group");
    std::fs::write(dir.join("manifests/route.yaml"), ROUTE).expect("write");
    std::fs::write(dir.join("manifests/backend.json"), BACKEND).expect("write");
    assert!(discover(&dir));
    let out = generate(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("skipped rendered/"));
}

/// `AIGW_RELEASE` in the Application's plugin env reaches aigw: v1beta1
/// manifests pass as detected (v1.1) and fail when the app pins v0.5,
/// which does not serve v1beta1.
#[test]
fn generate_checks_the_release_the_app_names() {
    let route = std::fs::read_to_string(root().join("testdata/release-detect-v1-1/app.yaml"))
        .expect("case");
    let dir = app("release", &[("app.yaml", &route)]);
    let out = generate(&dir, &[("ARGOCD_APP_NAMESPACE", "ai")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("kind: AIGatewayRoute"));
    assert!(text(&out.stderr).contains("checking Envoy AI Gateway v1.1.0"));
    let out = generate(
        &dir,
        &[
            ("ARGOCD_APP_NAMESPACE", "ai"),
            ("ARGOCD_ENV_AIGW_RELEASE", "v0.5"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("came in v0.6"));
}
