//! The traps of issue 13, where users run aigw: empty runs, aigw's own
//! output beside the sources, JSON with escaped emoji, noisy notes, and
//! small CLI gaps (environment errors, kubectl-style names, `aigw version`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::{scratch, text};

fn aigw(args: &[&str], cwd: &Path, env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aigw"));
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, _) in std::env::vars() {
        if key.starts_with("AIGW_") || key == "NO_COLOR" {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().expect("spawn aigw");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin).expect("stdin");
    }
    child.wait_with_output().expect("run aigw")
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (file, content) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
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
const BACKEND: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: llama}
spec:
  schema: {name: OpenAI}
  backendRef: {name: llama, port: 8000}
";

#[test]
fn a_run_that_finds_no_object_fails_in_every_command_unless_allowed() {
    let dir = scratch("traps-empty");
    write(
        &dir,
        &[
            (
                "chart/Chart.yaml",
                "apiVersion: v2\nname: c\nversion: 1.0.0\n",
            ),
            ("chart/templates/route.yaml", "kind: {{ .Values.kind }}\n"),
            ("values.yaml", "replicas: 2\n"),
        ],
    );
    for command in ["render", "validate", "routes"] {
        let out = aigw(&[command, "."], &dir, &[], b"");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{command}: {}", text(&out.stdout));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("aigw: error: found no Kubernetes object in .")
                && stderr.contains("skipped chart/: a Helm chart")
                && stderr.contains("skipped values.yaml: no Kubernetes object")
                && stderr.contains("--allow-empty"),
            "{command}: {stderr}"
        );
        let allowed = aigw(&[command, "--allow-empty", "."], &dir, &[], b"");
        assert_eq!(
            allowed.status.code(),
            Some(0),
            "{command}: {}",
            text(&allowed.stderr)
        );
        let by_env = aigw(&[command, "."], &dir, &[("AIGW_ALLOW_EMPTY", "true")], b"");
        assert_eq!(
            by_env.status.code(),
            Some(0),
            "{command}: {}",
            text(&by_env.stderr)
        );
    }
    // Empty standard input too: `kustomize build | aigw render -` of a
    // build that failed silently must not apply nothing.
    let out = aigw(&["render", "-"], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("found no Kubernetes object in standard input"));
    let out = aigw(&["validate", "--allow-empty", "-"], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("no Kubernetes object found (allowed by --allow-empty)"));
}

#[test]
fn a_walk_skips_aigw_output_folders_with_one_note() {
    let dir = scratch("traps-output-dir");
    write(
        &dir,
        &[
            ("manifests/route.yaml", ROUTE),
            ("manifests/backend.yaml", BACKEND),
        ],
    );
    let out = aigw(
        &["render", "--output-dir", "rendered", "manifests"],
        &dir,
        &[],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = aigw(&["validate", "."], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        common::without_release_note(&text(&out.stderr)),
        "aigw: note: skipped rendered/: aigw's own output (it holds .aigw-output); name the folder to read it\n\
         aigw: all manifests are valid\n"
    );
    // Named, the folder is read.
    let out = aigw(&["validate", "rendered"], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn json_with_escaped_emoji_is_read() {
    let dir = scratch("traps-json");
    write(
        &dir,
        &[(
            "d.json",
            r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"s": "\ud83c\udf89"}}"#,
        )],
    );
    let out = aigw(&["render", "-o", "json", "."], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list["items"][0]["data"]["s"], "\u{1F389}");
}

#[test]
fn notes_are_summed_up_per_reason_listed_with_v_and_silenced_with_q() {
    let dir = scratch("traps-notes");
    let mut files = vec![
        ("manifests/route.yaml", ROUTE),
        ("manifests/backend.yaml", BACKEND),
    ];
    let names: Vec<String> = (0..5).map(|i| format!("ci/workflow-{i}.yaml")).collect();
    for name in &names {
        files.push((name, "on: push\njobs: {}\n"));
    }
    files.push(("deploy/kustomization.yaml", "resources: [../manifests]\n"));
    write(&dir, &files);

    let out = aigw(&["validate", "."], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        common::without_release_note(&text(&out.stderr)),
        "aigw: note: skipped 5 files with no Kubernetes object (no document has apiVersion or kind); -v lists them\n\
         aigw: note: skipped deploy/kustomization.yaml: a kustomization; render what it builds with `kubectl kustomize deploy | aigw render -`, or run `aigw krm` as its transformer\n\
         aigw: all manifests are valid\n"
    );

    let out = aigw(&["validate", "-v", "."], &dir, &[], b"");
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.matches("aigw: note: skipped ").count(),
        6,
        "{stderr}"
    );
    assert!(stderr.contains("aigw: note: skipped ci/workflow-3.yaml: no Kubernetes object"));

    for quiet in ["-q", "--quiet"] {
        let out = aigw(&["validate", quiet, "."], &dir, &[], b"");
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(text(&out.stderr), "", "{quiet}");
        let out = aigw(&["render", quiet, "."], &dir, &[], b"");
        assert_eq!(text(&out.stderr), "", "{quiet}");
        assert!(!out.stdout.is_empty());
    }
    // Quiet silences notes, never diagnostics.
    write(&dir, &[("manifests/backend.yaml", "")]);
    let out = aigw(&["validate", "-q", "."], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("AIGW030"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn duplicates_across_folders_say_how_to_exclude_the_copies() {
    let dir = scratch("traps-archive");
    write(
        &dir,
        &[
            ("manifests/route.yaml", ROUTE),
            ("manifests/backend.yaml", BACKEND),
            ("archive/backend.yaml", BACKEND),
        ],
    );
    let out = aigw(&["validate", "."], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("AIGW003") && stderr.contains("--exclude"),
        "{stderr}"
    );
    let out = aigw(&["validate", "--exclude", "archive/", "."], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_bad_environment_value_names_the_variable() {
    let dir = scratch("traps-env");
    write(&dir, &[("route.yaml", ROUTE), ("backend.yaml", BACKEND)]);
    let out = aigw(&["validate", "."], &dir, &[("AIGW_STRICT", "maybe")], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "aigw: error: invalid value 'maybe' in the environment variable AIGW_STRICT (for --strict): expected 1, true, yes, on or 0, false, no, off\n"
    );
    let out = aigw(
        &["render", "."],
        &dir,
        &[("AIGW_EXTPROC_LOG_LEVEL", "loud")],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("environment variable AIGW_EXTPROC_LOG_LEVEL"));
    // A flag on the command line wins, and its own error names the flag.
    let out = aigw(
        &["validate", "--strict", "."],
        &dir,
        &[("AIGW_STRICT", "maybe")],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = aigw(&["validate", "-n", "Bad", "."], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("'--namespace"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn schema_takes_kubectl_style_names() {
    let dir = scratch("traps-schema");
    let reference = aigw(&["schema", "AIGatewayRoute"], &dir, &[], b"");
    assert!(reference.status.success());
    for name in [
        "aigatewayroute",
        "aigatewayroutes",
        "AIGATEWAYROUTES",
        "aigatewayroutes.aigateway.envoyproxy.io",
        "route",
    ] {
        let out = aigw(&["schema", name], &dir, &[], b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert_eq!(out.stdout, reference.stdout, "{name}");
    }
    for name in ["backendsecuritypolicies", "aiservicebackend"] {
        let out = aigw(&["schema", name], &dir, &[], b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
    }
    let out = aigw(&["schema", "httproute"], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn version_prints_aigw_and_the_built_in_releases() {
    let dir = scratch("traps-version");
    let out = aigw(&["version"], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0));
    let releases = aigw::builtin_releases();
    assert_eq!(
        text(&out.stdout),
        format!(
            "aigw {}\nEnvoy AI Gateway: {}\n",
            env!("CARGO_PKG_VERSION"),
            releases.join(", ")
        )
    );
    assert!(releases.contains(&"v0.1.5"));
    let out = aigw(&["version", "-o", "json"], &dir, &[], b"");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["aigw"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["envoyAIGateway"], serde_json::json!(releases));
}
