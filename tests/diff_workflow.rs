//! `aigw diff --git` and the pull-request workflow in `docs/workflows/`:
//! the workflow's `run:` steps run here as GitHub Actions would run them,
//! on a repository with two commits, with the built aigw on PATH and a
//! stand-in `gh` that records the comment it would post.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{scratch, text};

const ROUTE: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: chat, namespace: default}
spec:
  schema: {name: OpenAI}
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: gpt-4o}]}]
      backendRefs: [{name: openai, weight: 4}, {name: azure, weight: 1}]
---
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: openai, namespace: default}
spec:
  schema: {name: OpenAI}
  backendRef: {group: gateway.envoyproxy.io, kind: Backend, name: openai}
---
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: azure, namespace: default}
spec:
  schema: {name: OpenAI}
  backendRef: {group: gateway.envoyproxy.io, kind: Backend, name: azure}
";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

/// A repository whose second commit moves traffic from openai to azure;
/// None (with a SKIPPED line) where git is missing.
fn two_commits(name: &str) -> Option<PathBuf> {
    if Command::new("git").arg("--version").output().is_err() {
        common::skipped("git is not installed");
        return None;
    }
    let repo = scratch(name);
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(repo.join("manifests")).expect("mkdir");
    std::fs::write(repo.join("manifests/route.yaml"), ROUTE).expect("write");
    std::fs::write(repo.join("README.md"), "not a manifest\n").expect("write");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    let changed = ROUTE.replace(
        "weight: 4}, {name: azure, weight: 1}",
        "weight: 3}, {name: azure, weight: 2}",
    );
    std::fs::write(repo.join("manifests/route.yaml"), changed).expect("write");
    git(&repo, &["commit", "-q", "-am", "second"]);
    Some(repo)
}

fn aigw(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run aigw")
}

#[test]
fn diff_git_reads_a_revision_without_checking_it_out() {
    let Some(repo) = two_commits("diff-git") else {
        return;
    };
    let head = std::fs::read(repo.join("manifests/route.yaml")).expect("read");
    let out = aigw(
        &["diff", "--git", "HEAD~1", "--exit-code", "manifests"],
        &repo,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("openai 80% → 60%"), "{shown}");
    assert!(shown.contains("azure 20% → 40%"), "{shown}");
    // The working tree is untouched: no checkout happened.
    assert_eq!(
        std::fs::read(repo.join("manifests/route.yaml")).expect("read"),
        head
    );
    // Against itself: no change, exit 0.
    let same = aigw(
        &["diff", "--git", "HEAD", "--exit-code", "manifests"],
        &repo,
    );
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    // No PATH: the whole tree, README.md left out as a walk leaves it.
    let all = aigw(&["diff", "--git", "HEAD~1", "-o", "json"], &repo);
    assert!(all.status.success(), "{}", text(&all.stderr));
    assert!(text(&all.stdout).contains("\"before\": 80.0"));
    let bad = aigw(&["diff", "--git", "no-such-rev", "manifests"], &repo);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("not a git revision"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn the_pull_request_workflow_comments_the_diff() {
    let Some(repo) = two_commits("diff-workflow") else {
        return;
    };
    let workflow: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/workflows/aigw-diff.yml"),
        )
        .expect("read the workflow"),
    )
    .expect("the workflow is YAML");
    let job = &workflow["jobs"]["diff"];
    let manifests = job["env"]["MANIFESTS"].as_str().expect("MANIFESTS");
    assert_eq!(manifests, "manifests");

    // Stand-ins: the built aigw, and a gh that records the comment body.
    let bin = repo.join(".bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let aigw_bin = PathBuf::from(env!("CARGO_BIN_EXE_aigw"));
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        "#!/bin/sh\n# gh pr comment PR --body-file FILE [--edit-last]\ncp \"$5\" \"$COMMENT_OUT\"\necho \"$@\" >> \"$COMMENT_OUT.args\"\n",
    )
    .expect("write gh");
    let _ = Command::new("chmod").arg("+x").arg(&gh).status();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        aigw_bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let comment = repo.join(".comment.md");
    let mut ran = 0;
    for step in job["steps"].as_sequence().expect("steps") {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        if step["name"].as_str() == Some("Install aigw") {
            continue;
        }
        let out = Command::new("bash")
            .args(["-e", "-c", script])
            .current_dir(&repo)
            .env("PATH", &path)
            .env("MANIFESTS", manifests)
            // What `origin/${{ github.base_ref }}` names on a runner.
            .env("BASE", "HEAD~1")
            .env("PR", "7")
            .env("GH_TOKEN", "unused")
            .env("COMMENT_OUT", &comment)
            .env("NO_COLOR", "1")
            .output()
            .expect("run the step");
        assert!(
            out.status.success(),
            "step {:?} failed: {}{}",
            step["name"],
            text(&out.stdout),
            text(&out.stderr)
        );
        ran += 1;
    }
    assert_eq!(ran, 2, "the diff and the comment steps");
    let body = std::fs::read_to_string(&comment).expect("a comment was posted");
    assert!(
        body.starts_with("### aigw diff: `HEAD~1` (v0.1) → `manifests` (v0.1)"),
        "{body}"
    );
    assert!(body.contains("| `default/gw` | `default/chat` |"), "{body}");
    assert!(body.contains("openai 80% → 60%"), "{body}");
    let args = std::fs::read_to_string(repo.join(".comment.md.args")).expect("gh args");
    assert!(
        args.starts_with("pr comment 7 --body-file aigw-diff.md"),
        "{args}"
    );
}
