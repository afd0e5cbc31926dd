//! `aigw render --output-dir DIR`: one file per object, a kustomization
//! listing them in apply order, atomic replacement, and a user's folder
//! never overwritten.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::text;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("output-dir")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn aigw(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(args)
        .current_dir(cwd)
        .env_remove("AIGW_NAMESPACE")
        .env_remove("AIGW_STRICT")
        .output()
        .expect("run aigw")
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("prefix");
                out.push(rel.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn quickstart() -> String {
    root().join("examples/quickstart").display().to_string()
}

#[test]
fn writes_one_file_per_object_and_a_kustomization_in_stream_order() {
    let work = scratch("layout");
    let out = aigw(&["render", "--output-dir", "out", &quickstart()], &work);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("aigw: wrote 7 objects to out"));
    assert_eq!(
        tree(&work.join("out")),
        [
            ".aigw-output",
            "ai/configmap-ai-eg-route-extproc-llm.yaml",
            "ai/deployment-ai-eg-route-extproc-llm.yaml",
            "ai/envoyextensionpolicy-ai-eg-route-extproc-llm.yaml",
            "ai/gateway-llm-gateway.yaml",
            "ai/httproute-llm.yaml",
            "ai/httproutefilter-ai-eg-host-rewrite.yaml",
            "ai/service-ai-eg-route-extproc-llm.yaml",
            "kustomization.yaml",
        ]
    );
    // The files hold exactly the stream, in the kustomization's order.
    let stream = text(&aigw(&["render", &quickstart()], &work).stdout);
    let kustomization =
        std::fs::read_to_string(work.join("out/kustomization.yaml")).expect("kustomization");
    let files: Vec<&str> = kustomization
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .collect();
    assert_eq!(files.len(), 7);
    let joined: String = files
        .iter()
        .map(|f| std::fs::read_to_string(work.join("out").join(f)).expect("file"))
        .collect();
    assert_eq!(joined, stream);
    // No staging folder is left beside it.
    assert_eq!(
        std::fs::read_dir(&work).expect("dir").count(),
        1,
        "{:?}",
        tree(&work)
    );
}

#[test]
fn replaces_its_own_output_and_keeps_nothing_stale() {
    let work = scratch("replace");
    let out = aigw(&["render", "--output-dir", "out", &quickstart()], &work);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stale = work.join("out/ai/stale.yaml");
    std::fs::write(&stale, "x").expect("write");
    let out = aigw(
        &[
            "render",
            "--derived-only",
            "--output-dir",
            "out",
            &quickstart(),
        ],
        &work,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!stale.exists());
    assert!(!work.join("out/ai/gateway-llm-gateway.yaml").exists());
    assert!(work.join("out/ai/httproute-llm.yaml").exists());
    assert_eq!(
        std::fs::read_dir(&work).expect("dir").count(),
        1,
        "{:?}",
        tree(&work)
    );
}

#[test]
fn never_overwrites_a_folder_aigw_did_not_write() {
    let work = scratch("foreign");
    std::fs::create_dir_all(work.join("mine")).expect("mkdir");
    std::fs::write(work.join("mine/notes.md"), "keep me").expect("write");
    let out = aigw(&["render", "--output-dir", "mine", &quickstart()], &work);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("mine exists and was not written by aigw"),
        "{stderr}"
    );
    assert_eq!(tree(&work), ["mine/notes.md"]);
    // A plain file is refused too; an empty folder is fine.
    std::fs::write(work.join("file"), "x").expect("write");
    let out = aigw(&["render", "--output-dir", "file", &quickstart()], &work);
    assert_eq!(out.status.code(), Some(2));
    std::fs::create_dir(work.join("empty")).expect("mkdir");
    let out = aigw(&["render", "--output-dir", "empty", &quickstart()], &work);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn invalid_input_writes_nothing() {
    let work = scratch("invalid");
    std::fs::write(
        work.join("route.yaml"),
        "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata: {name: r}\nspec: {}\n",
    )
    .expect("write");
    let out = aigw(&["render", "--output-dir", "out", "route.yaml"], &work);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&work), ["route.yaml"]);
}

#[test]
fn json_output_and_cluster_scoped_objects() {
    let work = scratch("json");
    std::fs::write(
        work.join("ns.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: ai}\n",
    )
    .expect("write");
    let out = aigw(
        &["render", "-o", "json", "--output-dir", "out", "ns.yaml"],
        &work,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = std::fs::read_to_string(work.join("out/_cluster/namespace-ai.json")).expect("file");
    let value: serde_json::Value = serde_json::from_str(&file).expect("json");
    assert_eq!(value["kind"], "Namespace");
}
