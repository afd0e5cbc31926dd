//! The shipped pre-commit hook, run by the real `pre-commit` tool (PyPI;
//! `.ci/run` installs it) against this repository at HEAD, exactly as a
//! user's `.pre-commit-config.yaml` would use it.
//!
//! pre-commit builds the hook with `cargo install` (a release build), so this
//! test takes minutes the first time. Missing `pre-commit` is a failure in CI
//! and a visible skip elsewhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = run(Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "aigw test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "aigw test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

const ROUTE: &str = "\
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata:
  name: chat
spec:
  schema:
    name: OpenAI
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: Gateway
      name: ai-gateway
  rules:
    - matches:
        - headers:
            - name: x-ai-eg-model
              value: gpt-4o-mini
      backendRefs:
        - name: openai
";

const BACKEND: &str = "\
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata:
  name: openai
spec:
  schema:
    name: OpenAI
  backendRef:
    name: openai
    kind: Backend
    group: gateway.envoyproxy.io
";

#[test]
fn pre_commit_runs_the_shipped_hook() {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is not installed (.ci/run installs it)"
        );
        eprintln!("SKIPPED pre_commit_runs_the_shipped_hook: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let head = git(&root(), &["rev-parse", "HEAD"]);
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();

    let work = std::env::temp_dir().join(format!("aigw-pre-commit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let repo = work.join("repo");
    std::fs::create_dir_all(repo.join("manifests")).expect("mkdir");
    git(&repo, &["init", "-q"]);
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: aigw-validate\n        args: [manifests/]\n",
        root().display()
    );
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).expect("write config");
    std::fs::write(repo.join("manifests/route.yaml"), ROUTE).expect("write route");
    std::fs::write(repo.join("manifests/backend.yaml"), BACKEND).expect("write backend");
    git(&repo, &["add", "."]);

    let pre_commit = |repo: &Path| {
        run(Command::new("pre-commit")
            .args(["run", "--all-files", "--color", "never"])
            .current_dir(repo)
            .env("PRE_COMMIT_HOME", work.join("cache"))
            // The hook's `cargo install` reuses this build's dependencies.
            .env("CARGO_TARGET_DIR", root().join("target/pre-commit")))
    };

    let out = pre_commit(&repo);
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "valid manifests: {log}");
    assert!(
        log.contains("aigw validate") && log.contains("Passed"),
        "{log}"
    );

    // A route naming a backend that does not exist fails the commit, with
    // aigw's diagnostic in pre-commit's output.
    std::fs::remove_file(repo.join("manifests/backend.yaml")).expect("rm");
    git(&repo, &["add", "-A"]);
    let out = pre_commit(&repo);
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "invalid manifests: {log}");
    assert!(log.contains("Failed") && log.contains("AIGW030"), "{log}");

    let _ = std::fs::remove_dir_all(&work);
}

/// The `language: system` hook runs the aigw on PATH (no build), here over
/// the whole repository, which holds the sources and their committed
/// `render --output-dir` output: the walk leaves aigw's own output out.
#[test]
fn pre_commit_runs_the_system_hook_on_a_repository_with_rendered_output() {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is not installed (.ci/run installs it)"
        );
        eprintln!("SKIPPED pre_commit_runs_the_system_hook: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let head = git(&root(), &["rev-parse", "HEAD"]);
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let aigw = PathBuf::from(env!("CARGO_BIN_EXE_aigw"));
    let bin_dir = aigw.parent().map(Path::to_path_buf).unwrap_or_default();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let work = std::env::temp_dir().join(format!("aigw-pre-commit-system-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let repo = work.join("repo");
    std::fs::create_dir_all(repo.join("manifests")).expect("mkdir");
    git(&repo, &["init", "-q"]);
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: aigw-validate-system\n        args: [.]\n",
        root().display()
    );
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).expect("write config");
    std::fs::write(repo.join("manifests/route.yaml"), ROUTE).expect("write route");
    std::fs::write(repo.join("manifests/backend.yaml"), BACKEND).expect("write backend");
    let rendered = run(Command::new(&aigw)
        .args(["render", "--output-dir", "rendered", "manifests"])
        .current_dir(&repo));
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    git(&repo, &["add", "."]);

    let pre_commit = |repo: &Path| {
        run(Command::new("pre-commit")
            .args(["run", "--all-files", "--color", "never"])
            .current_dir(repo)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", work.join("cache")))
    };
    let out = pre_commit(&repo);
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "valid manifests: {log}");
    assert!(
        log.contains("aigw validate (installed aigw)") && log.contains("Passed"),
        "{log}"
    );

    std::fs::remove_file(repo.join("manifests/backend.yaml")).expect("rm");
    git(&repo, &["add", "-A"]);
    let out = pre_commit(&repo);
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "invalid manifests: {log}");
    assert!(log.contains("Failed") && log.contains("AIGW030"), "{log}");

    let _ = std::fs::remove_dir_all(&work);
}
