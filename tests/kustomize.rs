//! aigw inside a real kustomize build (examples/kustomize).
//!
//! `kubectl kustomize` runs aigw as an exec plugin (`examples/kustomize/kubectl`);
//! a standalone `kustomize` binary, when on PATH, runs it as a KRM exec function
//! (`examples/kustomize`). Either way the build must equal `aigw render` of
//! the same files, object for object, and an invalid input must fail the
//! build with aigw's message. Without the tool the test says SKIPPED.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;
use serde_json::Value;

mod common;
use common::text;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn aigw_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_aigw"))
}

/// Says so on the real stderr: libtest captures `println!`, not direct writes.
fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}

/// A tool that answers `ARGS`, or None.
fn tool(name: &str, probe: &[&str]) -> Option<PathBuf> {
    let ok = Command::new(name)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from(name))
}

fn kubectl() -> Option<PathBuf> {
    let kubectl = std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into());
    // Exec plugins with the ResourceList-era loader need kustomize v4 or later.
    let version = Command::new(&kubectl)
        .args(["version", "--client"])
        .output();
    let modern = version.is_ok_and(|o| {
        let out = text(&o.stdout);
        out.contains("Kustomize Version: v4") || out.contains("Kustomize Version: v5")
    });
    if !modern {
        skipped("no `kubectl` with kustomize v4+ (apt-get install -y kubectl); kustomize integration not tested");
    }
    modern.then(|| PathBuf::from(kubectl))
}

/// PATH with the built aigw first, so `exec: path: aigw` finds it.
fn path_with_aigw() -> String {
    let dir = aigw_bin()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = std::env::var("PATH").unwrap_or_default();
    format!("{}:{path}", dir.display())
}

fn run(cmd: &mut Command) -> Output {
    for var in ["AIGW_NAMESPACE", "AIGW_STRICT", "AIGW_EXTPROC_IMAGE"] {
        cmd.env_remove(var);
    }
    cmd.output().expect("run")
}

fn kubectl_build(kubectl: &Path, example: &Path) -> Output {
    run(Command::new(kubectl)
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(example.join("kubectl"))
        .env("KUSTOMIZE_PLUGIN_HOME", example.join("plugin"))
        .env("AIGW", aigw_bin()))
}

/// Objects of a YAML stream, keyed by (apiVersion, kind, namespace, name).
fn objects(yaml: &str) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for doc in serde_yaml::Deserializer::from_str(yaml) {
        let value = Value::deserialize(doc).expect("YAML");
        if value.is_null() {
            continue;
        }
        let field = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let meta = value.get("metadata").cloned().unwrap_or_default();
        let key = format!(
            "{} {} {}/{}",
            field(&value, "apiVersion"),
            field(&value, "kind"),
            field(&meta, "namespace"),
            field(&meta, "name")
        );
        assert!(out.insert(key.clone(), value).is_none(), "duplicate {key}");
    }
    out
}

/// `aigw render` of the files the example's base kustomization lists.
fn render_base(example: &Path) -> String {
    let base = example.join("base");
    let kustomization = std::fs::read_to_string(base.join("kustomization.yaml")).expect("base");
    let parsed: Value = serde_yaml::from_str(&kustomization).expect("kustomization");
    let files: Vec<PathBuf> = parsed["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(Value::as_str)
        .map(|f| base.join(f))
        .collect();
    let out = run(Command::new(aigw_bin()).arg("render").args(&files));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn assert_same_objects(built: &str, rendered: &str) {
    let (built, rendered) = (objects(built), objects(rendered));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        rendered.keys().collect::<Vec<_>>()
    );
    for (key, object) in &rendered {
        assert_eq!(built.get(key), Some(object), "{key} differs");
    }
    assert!(
        rendered.keys().any(|k| k.contains(" HTTPRoute ")),
        "derived objects expected"
    );
    assert!(
        !built
            .keys()
            .any(|k| k.starts_with("aigateway.envoyproxy.io/")),
        "AI Gateway objects must be replaced"
    );
}

/// A copy of the example with `edit` applied to base/route.yaml.
fn broken_example(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new("cp")
        .arg("-r")
        .arg(root().join("examples/kustomize"))
        .arg(&dir)
        .output()
        .expect("cp");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let route = dir.join("base/route.yaml");
    let text = std::fs::read_to_string(&route).expect("route");
    std::fs::write(&route, edit(text)).expect("write");
    dir
}

fn break_route(text: String) -> String {
    let broken = text.replace("name: in-cluster-llama", "name: no-such-backend");
    assert_ne!(broken, text);
    broken
}

#[test]
fn kubectl_kustomize_build_equals_render() {
    let Some(kubectl) = kubectl() else { return };
    let example = root().join("examples/kustomize");
    let out = kubectl_build(&kubectl, &example);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let built = text(&out.stdout);
    assert!(
        !built.contains("config.kubernetes.io/"),
        "build annotations left:\n{built}"
    );
    assert_same_objects(&built, &render_base(&example));
}

#[test]
fn kubectl_kustomize_build_fails_with_aigw_message() {
    let Some(kubectl) = kubectl() else { return };
    let example = broken_example("kustomize-broken", break_route);
    let out = kubectl_build(&kubectl, &example);
    assert_ne!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("aigw: error[AIGW030] AIGatewayRoute ai/llm")
            && stderr.contains("\"no-such-backend\" not found"),
        "{stderr}"
    );
}

#[test]
fn kustomize_krm_exec_function_equals_render() {
    let Some(kustomize) = tool("kustomize", &["version"]) else {
        skipped("no standalone `kustomize` on PATH; the KRM exec function (examples/kustomize) is covered by the krm-* testdata cases only");
        return;
    };
    let example = root().join("examples/kustomize");
    let build = |dir: &Path| {
        run(Command::new(&kustomize)
            .args(["build", "--enable-alpha-plugins", "--enable-exec"])
            .arg(dir)
            .env("PATH", path_with_aigw()))
    };
    let out = build(&example);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_same_objects(&text(&out.stdout), &render_base(&example));

    let broken = broken_example("kustomize-krm-broken", break_route);
    let out = build(&broken);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("AIGW030"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn output_dir_kustomization_builds_to_the_rendered_stream() {
    let Some(kubectl) = kubectl() else { return };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("kustomize-output-dir");
    let _ = std::fs::remove_dir_all(&dir);
    let quickstart = root().join("examples/quickstart");
    let out = run(Command::new(aigw_bin())
        .arg("render")
        .arg("--output-dir")
        .arg(&dir)
        .arg(&quickstart));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let built = run(Command::new(&kubectl).arg("kustomize").arg(&dir));
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let rendered = run(Command::new(aigw_bin()).arg("render").arg(&quickstart));
    assert_same_objects(&text(&built.stdout), &text(&rendered.stdout));
}

/// The shell commands of the ```sh blocks of `doc` under `heading` (the
/// whole file when None): continuation lines joined, comments dropped.
fn documented_commands(doc: &str, heading: Option<&str>) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(doc)).expect("doc");
    let section = match heading {
        None => text.as_str(),
        Some(heading) => {
            let start = text.find(heading).expect("heading");
            let rest = text.get(start + heading.len()..).expect("rest");
            let end = rest.find("\n### ").unwrap_or(rest.len());
            rest.get(..end).expect("section")
        }
    };
    let mut commands = Vec::new();
    for block in section.split("```sh\n").skip(1) {
        let block = block.split("```").next().unwrap_or("");
        let mut command = String::new();
        for line in block.lines() {
            let line = line.split(" #").next().unwrap_or("").trim_end();
            match line.strip_suffix('\\') {
                Some(part) => command.push_str(part),
                None => {
                    command.push_str(line);
                    if !command.trim().is_empty() {
                        commands.push(command.trim().to_string());
                    }
                    command.clear();
                }
            }
        }
    }
    commands
}

/// Every kustomize command the README and docs/kustomize.md show, run as
/// written from the repository root: the kubectl ones must build the
/// derived objects; the standalone-kustomize ones run when it is there.
#[test]
fn documented_kustomize_commands_run_as_written() {
    let Some(_) = kubectl() else { return };
    let standalone = tool("kustomize", &["version"]).is_some();
    let mut commands = documented_commands("README.md", Some("### kustomize"));
    commands.extend(documented_commands("docs/kustomize.md", None));
    assert!(commands.len() >= 5, "{commands:?}");
    let mut ran = 0;
    for command in &commands {
        let uses_kubectl = command.contains("kubectl kustomize");
        if command.starts_with("kustomize build") && !standalone {
            skipped(&format!(
                "no standalone kustomize on PATH: not run: {command}"
            ));
            continue;
        }
        assert!(
            uses_kubectl || command.starts_with("kustomize build"),
            "a kustomize command this test does not know: {command}"
        );
        let out = run(Command::new("sh")
            .args(["-c", command])
            .current_dir(root())
            .env("PATH", path_with_aigw()));
        assert!(out.status.success(), "{command}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("kind: HTTPRoute") && stdout.contains("kind: EnvoyExtensionPolicy"),
            "{command}: derived objects expected: {stdout}"
        );
        assert!(!stdout.contains("AIGatewayRender"), "{command}: {stdout}");
        ran += 1;
    }
    assert!(ran >= 3, "{ran} commands ran");
}

/// What the docs say kubectl does with the KRM-function layout: it fails,
/// it does not skip the function silently.
#[test]
fn kubectl_kustomize_fails_on_the_krm_function_layout_as_documented() {
    let Some(kubectl) = kubectl() else { return };
    let example = root().join("examples/kustomize");
    let out = run(Command::new(&kubectl)
        .arg("kustomize")
        .arg(&example)
        .env("PATH", path_with_aigw()));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("external plugins disabled"),
        "{}",
        text(&out.stderr)
    );
    let out = run(Command::new(&kubectl)
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(&example)
        .env("PATH", path_with_aigw()));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains(r#"unknown field \"args\""#),
        "{}",
        text(&out.stderr)
    );
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(
        readme.contains("`external plugins disabled`")
            && readme.contains(r#"`json: unknown field "args"`"#)
    );
}
