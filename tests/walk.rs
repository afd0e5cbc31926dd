//! Reading real repository trees: what a directory walk reads, skips and
//! says about it, files named twice, JSON streams, and the flags and
//! environment values that shape a walk.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::{scratch, text};

fn aigw_with(args: &[&str], cwd: &Path, env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aigw"));
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in ["NO_COLOR", "AIGW_NAMESPACE", "AIGW_STRICT", "AIGW_FORMAT"] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().expect("spawn aigw");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.unwrap_or(b"")).expect("stdin");
    }
    child.wait_with_output().expect("run aigw")
}

fn aigw(args: &[&str], cwd: &Path) -> Output {
    aigw_with(args, cwd, &[], None)
}

fn write(dir: &Path, file: &str, content: &str) {
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, content).expect("write");
}

fn config_map(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n")
}

/// The names of the rendered objects, in output order.
fn names(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("  name: ").map(String::from))
        .collect()
}

const BROKEN: &str = "not: [valid";

#[test]
fn gitignore_ignore_and_exclude_leave_files_out() {
    let dir = scratch("walk-ignore");
    write(&dir, "a.yaml", &config_map("a"));
    write(&dir, ".gitignore", "generated/\n*.local.yaml\n");
    write(&dir, "generated/out.yaml", BROKEN);
    write(&dir, "dev.local.yaml", BROKEN);
    write(&dir, "sub/.ignore", "scratch.yaml\n");
    write(&dir, "sub/scratch.yaml", BROKEN);
    write(&dir, "sub/b.yaml", &config_map("b"));
    write(&dir, "vendor/c.yaml", BROKEN);
    write(&dir, "sub/d.test.yaml", BROKEN);
    // Not a git repository: .gitignore still applies, silently.
    let out = aigw(
        &[
            "render",
            "--exclude",
            "vendor/",
            "--exclude",
            "*.test.yaml",
            ".",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(names(&out), ["a", "b"]);
    assert_eq!(common::without_release_note(&text(&out.stderr)), "");
    // Without the excludes the broken files are read.
    let out = aigw(&["validate", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("vendor/c.yaml") && stderr.contains("d.test.yaml"));
    assert!(!stderr.contains("generated") && !stderr.contains("scratch"));
    // Excludes are relative to the walked directory (nothing is left:
    // allowed explicitly, since an empty run is an error).
    let out = aigw(
        &[
            "validate",
            "--allow-empty",
            "--exclude",
            "/c.yaml",
            "vendor",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Ignore files above the walked directory do not count (a home
    // folder's `.gitignore` of `*` must not hide a repository in it).
    let outer = scratch("walk-ignore-outer");
    write(&outer, ".gitignore", "*\n");
    write(&outer, "repo/x.yaml", &config_map("x"));
    let out = aigw(&["render", "repo"], &outer);
    assert_eq!(names(&out), ["x"], "{}", text(&out.stderr));
    // An invalid glob is a usage error.
    let out = aigw(&["validate", "--exclude", "a/{b", "."], &dir);
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn symlinks_and_special_files_are_skipped_with_one_line_each_with_v() {
    use std::os::unix::fs::symlink;
    let dir = scratch("walk-special");
    let outside = scratch("walk-special-outside");
    write(&outside, "target.yaml", &config_map("outside"));
    write(&dir, "a.yaml", &config_map("a"));
    symlink(outside.join("target.yaml"), dir.join("link.yaml")).expect("symlink");
    symlink(&outside, dir.join("linked-dir")).expect("symlink");
    // A directory symlink loop: never followed, so it cannot hang the walk.
    symlink(&dir, dir.join("loop")).expect("symlink");
    symlink(dir.join("missing.yaml"), dir.join("dangling.yaml")).expect("symlink");
    let fifo = dir.join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let out = aigw(&["render", "-v", "."], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(names(&out), ["a"]);
    let stderr = common::without_release_note(&text(&out.stderr));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{stderr}");
    for name in [
        "dangling.yaml",
        "link.yaml",
        "linked-dir",
        "loop",
        "pipe.yaml",
    ] {
        assert_eq!(
            lines.iter().filter(|l| l.contains(name)).count(),
            1,
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("skipped link.yaml: a symbolic link"));
    assert!(stderr.contains("skipped pipe.yaml: not a regular file"));
    // Named explicitly, a symlink is read, a directory symlink walked.
    let out = aigw(&["render", "link.yaml"], &dir);
    assert_eq!(names(&out), ["outside"]);
    let out = aigw(&["render", "linked-dir"], &dir);
    assert_eq!(names(&out), ["outside"]);
    assert_eq!(common::without_release_note(&text(&out.stderr)), "");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("walk-unreadable");
    write(&dir, "a.yaml", &config_map("a"));
    let locked = dir.join("locked.yaml");
    write(&dir, "locked.yaml", &config_map("locked"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_ok() {
        // root reads anything: fall back to a file whose read fails for
        // everyone (the process's own memory at offset 0).
        if cfg!(target_os = "linux") {
            let out = aigw(&["validate", "/proc/self/mem"], &dir);
            assert_eq!(out.status.code(), Some(2));
            assert!(text(&out.stderr).contains("cannot read /proc/self/mem"));
        }
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "SKIPPED: unreadable_file_is_an_io_error: running as root, a mode-000 file is readable"
        );
        return;
    }
    let out = aigw(&["render", "."], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot read ./locked.yaml"), "{stderr}");
}

#[test]
fn non_manifests_are_skipped_in_a_walk_and_errors_when_named() {
    let dir = scratch("walk-non-manifests");
    write(&dir, "app/cm.yaml", &config_map("a"));
    write(&dir, "app/kustomization.yaml", "resources: [cm.yaml]\n");
    write(
        &dir,
        "overlay/kust.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../app]\n",
    );
    write(
        &dir,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
    );
    write(
        &dir,
        "chart/templates/route.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    write(
        &dir,
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n",
    );
    write(
        &dir,
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    write(
        &dir,
        "fn.yaml",
        "apiVersion: example.com/v1\nkind: Render\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec: {path: aigw}\n",
    );
    // -v: one line per skipped file (by default, one per kind of skip).
    let out = aigw(&["render", "-v", "."], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(names(&out), ["a"]);
    let stderr = common::without_release_note(&text(&out.stderr));
    assert_eq!(stderr.lines().count(), 6, "{stderr}");
    assert!(stderr.contains("skipped chart/: a Helm chart"));
    assert!(stderr.contains("helm template chart | aigw render -"));
    assert!(stderr.contains("kubectl kustomize app | aigw render -"));
    assert!(stderr.contains("kubectl kustomize overlay | aigw render -"));

    // Named explicitly, each is one AIGW007 error.
    for file in [
        "app/kustomization.yaml",
        "overlay/kust.yaml",
        "chart/templates/route.yaml",
        "compose.yaml",
        "package.json",
    ] {
        let out = aigw(&["validate", "--format", "json", file], &dir);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(items.len(), 1, "{file}: {items:?}");
        assert_eq!(items[0]["code"], "AIGW007", "{file}");
    }
    // A Helm template points at its first `{{`, not at a YAML error.
    let out = aigw(&["validate", "chart/templates/route.yaml"], &dir);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("is a Helm template"), "{stderr}");
    assert!(stderr.contains("route.yaml:4:9"), "{stderr}");
    assert!(!stderr.contains("mapping keys"), "{stderr}");
    // A chart named as a directory is a usage error, not a silent pass.
    let out = aigw(&["validate", "chart"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("helm template chart"));
}

#[test]
fn a_template_outside_a_chart_is_named_as_such() {
    let dir = scratch("walk-template");
    write(
        &dir,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    let out = aigw(&["validate", "cm.yaml"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("AIGW007"), "{stderr}");
    assert!(stderr.contains("helm template"), "{stderr}");
    // A broken manifest that mentions `{{` elsewhere is still broken.
    write(
        &dir,
        "cm.yaml",
        "# name: {{ .Release.Name }} was replaced\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: [unclosed\n",
    );
    let out = aigw(&["validate", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("AIGW001") && !stderr.contains("skipped"),
        "{stderr}"
    );
    // A `{{` inside a string of valid YAML is data (an alert template).
    write(
        &dir,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  summary: \"{{ $labels.instance }} is down\"\n",
    );
    let out = aigw(&["render", "cm.yaml"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn half_an_object_stays_an_error_in_a_walk() {
    let dir = scratch("walk-half-object");
    write(&dir, "a.yaml", "kind: ConfigMap\ndata:\n  a: b\n");
    let out = aigw(&["validate", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("AIGW002") && stderr.contains("apiVersion is required"));
}

#[test]
fn skipped_notes_stay_out_of_machine_output() {
    let dir = scratch("walk-machine");
    write(&dir, "compose.yaml", "services: {}\n");
    write(&dir, "a.yaml", &config_map("a"));
    for format in ["json", "sarif", "github"] {
        let out = aigw(&["validate", "--format", format, "."], &dir);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let stdout = text(&out.stdout);
        assert!(!stdout.contains("aigw: note"), "{format}: {stdout}");
        if format != "github" {
            serde_json::from_str::<serde_json::Value>(&stdout).expect("JSON");
        }
        assert!(text(&out.stderr).contains("skipped compose.yaml"));
    }
}

#[test]
fn a_file_reached_twice_is_read_once() {
    let dir = scratch("walk-twice");
    write(&dir, "m/a.yaml", &config_map("a"));
    write(&dir, "n/sub/b.yaml", &config_map("b"));
    // A folder named through a link and directly: one walk's files are
    // known by the link's target.
    #[cfg(unix)]
    let _ = std::os::unix::fs::symlink(dir.join("m"), dir.join("link"));
    for (args, expected) in [
        (&["render", "m", "m/a.yaml"][..], &["a"][..]),
        (&["render", "./m", "m"], &["a"]),
        (&["render", "m/a.yaml", "./m/../m/a.yaml"], &["a"]),
        (&["render", "link", "m", "m/a.yaml", "link/a.yaml"], &["a"]),
        (&["render", "n/sub", "n", "n/sub/b.yaml"], &["b"]),
    ] {
        let out = aigw(args, &dir);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(names(&out), expected, "{args:?}");
    }
}

#[test]
fn json_objects_in_a_row_are_a_stream() {
    let dir = scratch("walk-json-stream");
    let a = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}"#;
    let b = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}"#;
    for (file, content) in [
        ("one-line.json", format!("{a}{b}")),
        ("lines.json", format!("{a}\n{b}\n")),
        ("spaced.json", format!("  {a}  \n\n {b}")),
    ] {
        write(&dir, file, &content);
        let out = aigw(&["render", file], &dir);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        assert_eq!(names(&out), ["a", "b"], "{file}");
    }
    // jq -c output on standard input.
    let stdin = format!("{a}\n{b}\n");
    let out = aigw_with(&["render", "-"], &dir, &[], Some(stdin.as_bytes()));
    assert_eq!(names(&out), ["a", "b"]);
    // Diagnostics point into the right object: line and column.
    let bad = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}"#;
    let route = r#"{"apiVersion":"aigateway.envoyproxy.io/v1alpha1","kind":"AIServiceBackend","metadata":{"name":"x"},"spec":{"schema":{"name":"OpenAI"},"backendRef":{"name":"s","port":443},"typo":1}}"#;
    write(&dir, "bad.json", &format!("{a}\n{bad}{route}\n"));
    let out = aigw(&["validate", "--format", "json", "bad.json"], &dir);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    let typo = items
        .iter()
        .find(|d| d["code"] == "AIGW010")
        .expect("unknown field");
    assert_eq!(typo["line"], 2);
    let col = bad.len() + route.find("\"typo\"").expect("typo") + 1;
    assert_eq!(typo["column"], col, "{items:?}");
    // Human output quotes a window of such a long line, at the same place.
    let out = aigw(&["validate", "bad.json"], &dir);
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("bad.json:2:{col}]")), "{stderr}");
    assert!(stderr.contains('…'), "{stderr}");
    let widest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        widest < 200,
        "a quoted line of {widest} characters:\n{stderr}"
    );
    // Strict JSON still: a syntax error in the second object is one error.
    write(&dir, "trailing.json", &format!("{a}\n{{\"a\": 1,}}\n"));
    let out = aigw(&["validate", "--format", "json", "trailing.json"], &dir);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["code"], "AIGW001");
    assert_eq!(items[0]["line"], 2);
}

#[test]
fn boolean_environment_values_read_as_users_write_them() {
    // A route without backends: a warning, an error under --strict.
    let dir = scratch("walk-strict-env");
    write(
        &dir,
        "route.yaml",
        "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata: {name: chat}\nspec:\n  schema: {name: OpenAI}\n  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]\n  rules: []\n",
    );
    let exit = |value: &str| {
        aigw_with(&["validate", "."], &dir, &[("AIGW_STRICT", value)], None)
            .status
            .code()
    };
    for value in ["1", "true", "TRUE", "yes", "Yes", "on"] {
        assert_eq!(exit(value), Some(1), "AIGW_STRICT={value}");
    }
    for value in ["0", "false", "False", "no", "NO", "off", ""] {
        assert_eq!(exit(value), Some(0), "AIGW_STRICT={value:?}");
    }
    assert_eq!(exit("maybe"), Some(2));
}

#[test]
fn an_invalid_namespace_is_a_usage_error() {
    let dir = scratch("walk-namespace");
    write(&dir, "a.yaml", &config_map("a"));
    for args in [
        &["render", "-n", "Team_A", "."][..],
        &["validate", "--namespace", "", "."],
        &["validate", "-n", "a.b", "."],
    ] {
        let out = aigw(args, &dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let stderr = text(&out.stderr);
        assert_eq!(
            stderr.matches("error:").count(),
            1,
            "{args:?}: one message: {stderr}"
        );
        assert!(stderr.contains("DNS-1123 label"), "{stderr}");
    }
    let out = aigw_with(&["validate", "."], &dir, &[("AIGW_NAMESPACE", "Bad")], None);
    assert_eq!(out.status.code(), Some(2));
}
