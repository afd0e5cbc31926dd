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

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(dir.join(&file)).expect("read");
            (file, bytes)
        })
        .collect()
}

/// Many pass-through objects (one file each), all with data `value`: two
/// such inputs give outputs of the same names and different bytes.
fn many_objects(value: &str) -> String {
    (0..600)
        .map(|i| {
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}, namespace: n{}}}\ndata: {{v: {value}}}\n---\n", i % 10)
        })
        .collect()
}

/// A random number from the standard library's seeded hasher.
fn random(below: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish() % below.max(1)
}

/// Issue 15: writers in separate PID namespaces (each is PID 1 there, so a
/// process id names nothing uniquely), some killed with SIGKILL at random
/// times. After every round, DIR is absent or exactly one run's output;
/// a writer that said it wrote the output exited 0; and the next clean run
/// removes whatever the killed ones left beside DIR.
#[test]
fn concurrent_writers_in_pid_namespaces_and_kill_9_never_break_dir() {
    let pid_namespaces = Command::new("unshare")
        .args(["-p", "-f", "--kill-child", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !pid_namespaces {
        common::skipped("`unshare -p -f` is not available (it needs root or user namespaces)");
        return;
    }
    let dir = scratch("concurrent");
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    let work = dir.join("work");
    std::fs::create_dir_all(&work).expect("mkdir");
    let mut expected = Vec::new();
    for value in ["a", "b"] {
        let file = inputs.join(format!("{value}.yaml"));
        std::fs::write(&file, many_objects(value)).expect("write");
        let reference = dir.join(format!("reference-{value}"));
        let out = aigw(
            &[
                "render",
                "--output-dir",
                &reference.display().to_string(),
                &file.display().to_string(),
            ],
            &dir,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        expected.push(contents(&reference));
    }
    let aigw_bin = env!("CARGO_BIN_EXE_aigw");
    for round in 0..3 {
        let mut writers: Vec<std::process::Child> = (0..4)
            .map(|i| {
                let input = inputs.join(if i % 2 == 0 { "a.yaml" } else { "b.yaml" });
                Command::new("unshare")
                    .args([
                        "-p",
                        "-f",
                        "--kill-child",
                        aigw_bin,
                        "render",
                        "--output-dir",
                        "out",
                    ])
                    .arg(&input)
                    .current_dir(&work)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn unshare")
            })
            .collect();
        // Kill one or two writers somewhere in their run.
        let victims = 1 + random(2) as usize;
        for victim in 0..victims {
            std::thread::sleep(std::time::Duration::from_millis(random(600)));
            let count = writers.len();
            let _ = writers[(round + victim * 2) % count].kill();
        }
        for mut writer in writers {
            let status = writer.wait().expect("wait");
            let mut stderr = String::new();
            if let Some(mut pipe) = writer.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            // Killed (no code), or a complete success; never a failure
            // that another run caused.
            if let Some(code) = status.code() {
                assert_eq!(code, 0, "round {round}: {stderr}");
                assert!(stderr.contains("wrote 600 objects"), "{stderr}");
            }
        }
        let out = work.join("out");
        if out.exists() {
            let found = contents(&out);
            assert!(
                expected.contains(&found),
                "round {round}: out is no run's complete output ({} files)",
                found.len()
            );
        }
    }
    // A clean run: complete, and nothing of the killed runs left beside it.
    let out = aigw(
        &[
            "render",
            "--output-dir",
            "out",
            &inputs.join("a.yaml").display().to_string(),
        ],
        &work,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let left: Vec<String> = std::fs::read_dir(&work)
        .expect("read work")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["out"]);
    assert_eq!(contents(&work.join("out")), expected[0]);
}

/// Leftovers of a killed run are removed by the next run, but the folder of
/// a run still writing (locked) is not; a symlink named like a leftover is
/// not followed.
#[test]
fn leftovers_of_killed_runs_are_removed_and_live_ones_kept() {
    let dir = scratch("leftovers");
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("keep"), "x").expect("write");
    for leftover in [
        ".out.aigw-new-1234",
        ".out.aigw-old-1234",
        ".out.aigw-new-7",
    ] {
        std::fs::create_dir_all(dir.join(leftover).join("ns")).expect("mkdir");
        std::fs::write(dir.join(leftover).join("ns/file.yaml"), "x").expect("write");
    }
    std::os::unix::fs::symlink(&outside, dir.join(".out.aigw-old-link")).expect("symlink");
    // A live run's folder: locked, as a running aigw holds it.
    let live = dir.join(".out.aigw-new-live");
    std::fs::create_dir_all(&live).expect("mkdir");
    let held = std::fs::File::open(&live).expect("open");
    held.lock().expect("lock");
    let out = aigw(&["render", "--output-dir", "out", &quickstart()], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".out.aigw-new-live", ".out.aigw-old-link", "out", "outside"]
    );
    assert!(outside.join("keep").is_file());
    drop(held);
}

/// Held: a symlink as DIR is refused and its target untouched; a symlink
/// inside an aigw folder is removed with the folder, not followed.
#[test]
fn symlinks_as_or_in_dir_are_never_followed() {
    let dir = scratch("symlinks");
    let target = dir.join("target");
    std::fs::create_dir_all(&target).expect("mkdir");
    std::fs::write(target.join(".aigw-output"), "x").expect("write");
    std::fs::write(target.join("keep"), "x").expect("write");
    std::os::unix::fs::symlink(&target, dir.join("link")).expect("symlink");
    let out = aigw(&["render", "--output-dir", "link", &quickstart()], &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(tree(&target), [".aigw-output", "keep"]);

    let out = aigw(&["render", "--output-dir", "out", &quickstart()], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::os::unix::fs::symlink(&target, dir.join("out/inner")).expect("symlink");
    let out = aigw(&["render", "--output-dir", "out", &quickstart()], &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!dir.join("out/inner").exists());
    assert_eq!(tree(&target), [".aigw-output", "keep"]);
}
