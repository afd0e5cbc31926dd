//! `aigw migrate` end to end: every v0.1 testdata case that validates
//! clean migrates to v1.1 (the run's own proof admits the result with the
//! v1.1 CRDs and compares the routing), byte-preserving away from the
//! changes, all or nothing, and upstream's v0.1.5 examples migrate too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{reference_dir, scratch, text};

fn aigw(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(args)
        .current_dir(cwd)
        .env_remove("AIGW_NAMESPACE")
        .env_remove("AIGW_STRICT")
        .env_remove("AIGW_FORMAT")
        .env("NO_COLOR", "1")
        .output()
        .expect("run aigw")
}

/// Copies the manifests of a case (not its `cmd`) into `to`.
fn copy_case(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("case dir").flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            copy_case(&path, &to.join(&name));
        } else if name != "cmd" && name != "stdin.txt" {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).expect("read")));
        }
    }
    out.sort();
    out
}

/// Cases that must be refused, with the code that refuses them: what
/// cannot be moved automatically.
const REFUSED: &[(&str, &str)] = &[
    ("diag-crd-rule-service-port-other-kinds", "AIGW074"),
    ("diag-invalid-output-at-limits", "AIGW070"),
    ("render-timeouts", "AIGW071"),
    ("routes-table", "AIGW071"),
    ("migrate-rule-limit", "AIGW070"),
    ("migrate-timeouts-conflict", "AIGW071"),
    ("migrate-service-kind", "AIGW074"),
    ("migrate-shared-anchor", "AIGW073"),
];

#[test]
fn every_clean_v0_1_case_migrates_to_v1_1() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&testdata)
        .expect("testdata")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let root = scratch("migrate-all");
    let (mut migrated, mut refused) = (0, 0);
    let mut problems = Vec::new();
    for case in cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let dir = root.join(&name);
        copy_case(&case, &dir);
        if !aigw(&["validate", "--release", "v0.1", "."], &dir)
            .status
            .success()
        {
            continue;
        }
        // Already v1.1 (or not AI Gateway at all): nothing to do.
        let before = files(&dir);
        let out = aigw(&["migrate", "--write", "."], &dir);
        let stderr = text(&out.stderr);
        match REFUSED.iter().find(|(c, _)| *c == name) {
            Some((_, code)) => {
                refused += 1;
                if out.status.code() != Some(1) || !stderr.contains(code) {
                    problems.push(format!(
                        "{name}: expected {code}, got {:?}\n{stderr}",
                        out.status.code()
                    ));
                }
                if files(&dir) != before {
                    problems.push(format!("{name}: a refused migration wrote files"));
                }
            }
            None if out.status.success() => {
                migrated += 1;
                let valid = aigw(&["validate", "--release", "v1.1", "."], &dir);
                if !valid.status.success() {
                    problems.push(format!(
                        "{name}: not valid v1.1 after migrating\n{}",
                        text(&valid.stderr)
                    ));
                }
                // aigw diff of the v0.1 tree and its migration: the proof
                // found the routing equal, so the diff shows no routing change.
                let old = root.join(format!("{name}.old"));
                copy_case(&case, &old);
                let diff = aigw(
                    &["diff", "-o", "json", &old.display().to_string(), "."],
                    &dir,
                );
                let routing = serde_json::from_slice::<Value>(&diff.stdout)
                    .ok()
                    .and_then(|d| d.get("routing").cloned());
                if routing != Some(Value::Array(Vec::new())) {
                    problems.push(format!(
                        "{name}: aigw diff shows a routing change after migrating\n{}{}",
                        text(&diff.stdout),
                        text(&diff.stderr)
                    ));
                }
                // Written for v1.1 now: a second run has nothing to do.
                let again = aigw(&["migrate", "--check", "."], &dir);
                if !again.status.success() || !text(&again.stderr).contains("nothing to migrate") {
                    problems.push(format!(
                        "{name}: not up to date after --write\n{}",
                        text(&again.stderr)
                    ));
                }
            }
            None => problems.push(format!("{name}: exit {:?}\n{stderr}", out.status.code())),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(migrated > 40, "only {migrated} cases migrated");
    assert_eq!(refused, REFUSED.len(), "a refused case no longer validates");
}

/// What no edit touched is byte-identical: every line of the old file
/// that the diff does not remove is in the new file, in order.
#[test]
fn only_changed_lines_change() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/migrate-layout");
    let dir = scratch("migrate-bytes");
    copy_case(&case, &dir);
    let diff = text(&aigw(&["migrate", "."], &dir).stdout);
    let before = files(&dir);
    assert!(aigw(&["migrate", "--write", "."], &dir).status.success());
    for (path, old) in before {
        let new = std::fs::read_to_string(&path).expect("read");
        let old = String::from_utf8(old).expect("utf-8");
        let removed: Vec<&str> = diff
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .map(|l| &l[1..])
            .collect();
        let mut rest = new.as_str();
        for line in old.lines() {
            if removed.contains(&line) {
                continue;
            }
            let Some(at) = rest.find(line) else {
                panic!("{}: kept line {line:?} is missing or moved", path.display());
            };
            rest = &rest[at + line.len()..];
        }
    }
}

#[test]
fn check_exits_1_and_writes_nothing() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/migrate-gateway-config");
    let dir = scratch("migrate-check");
    copy_case(&case, &dir);
    let before = files(&dir);
    let out = aigw(&["migrate", "--check", "."], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(files(&dir), before);
    assert!(aigw(&["migrate", "--write", "."], &dir).status.success());
    assert_ne!(files(&dir), before);
    assert!(aigw(&["migrate", "--check", "."], &dir).status.success());
}

/// `aigw routes -o json` of any release in one shape: per Gateway and
/// route, each rule's matches, backends (name, weight, share, the policy
/// type, the schema name) and timeouts (a rule's, or in v0.1 its
/// backends' common ones).
fn routing(json: &str) -> Value {
    let table: Value = serde_json::from_str(json).expect("routes -o json");
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let list = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut out = serde_json::Map::new();
    for g in list(&table, "gateways") {
        for r in list(&g, "routes") {
            let rules: Vec<Value> = list(&r, "rules")
                .iter()
                .map(|rule| {
                    let matches: Vec<Value> = list(rule, "matches")
                        .iter()
                        .map(|m| match m {
                            Value::String(_) => m.clone(),
                            _ => Value::String(format!("{}={}", s(m, "header"), s(m, "value"))),
                        })
                        .collect();
                    let mut timeouts = rule.get("timeouts").cloned().unwrap_or(Value::Null);
                    let backends: Vec<Value> = list(rule, "backends")
                        .iter()
                        .map(|b| {
                            let auth = match b.get("auth") {
                                Some(Value::Object(a)) => match a.get("type").and_then(Value::as_str) {
                                    Some("AWSCredentialsFile" | "AWSOIDC") => "AWSCredentials".into(),
                                    other => other.unwrap_or("").to_string(),
                                },
                                Some(Value::String(t)) => t.clone(),
                                _ => String::new(),
                            };
                            let schema = match b.get("schema") {
                                Some(Value::Object(x)) => x.get("name").and_then(Value::as_str).unwrap_or("").to_string(),
                                Some(Value::String(x)) => x.clone(),
                                _ => String::new(),
                            };
                            if let Some(t) = b.get("timeouts").filter(|t| !t.is_null()) {
                                timeouts = t.clone();
                            }
                            serde_json::json!([s(b, "name"), b.get("weight"), b.get("share"), auth, schema])
                        })
                        .collect();
                    serde_json::json!({"matches": matches, "backends": backends, "timeouts": timeouts})
                })
                .collect();
            let key = format!(
                "{}/{}#{} {}/{}",
                s(&g, "namespace"),
                s(&g, "name"),
                s(&g, "sectionName"),
                s(&r, "namespace"),
                s(&r, "name")
            );
            out.insert(key, Value::Array(rules));
        }
    }
    Value::Object(out)
}

#[test]
fn upstream_v0_1_5_examples_migrate_to_every_later_release() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let examples = reference.join("ai-gateway-v0.1.5");
    for to in [
        "v0.2", "v0.3", "v0.4", "v0.5", "v0.6", "v0.7", "v1.0", "v1.1",
    ] {
        let dir = scratch(&format!("migrate-upstream-{to}"));
        for entry in std::fs::read_dir(&examples).expect("examples").flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("example-") {
                std::fs::copy(entry.path(), dir.join(&name)).expect("copy");
            }
        }
        assert!(aigw(&["validate", "."], &dir).status.success());
        let out = aigw(&["migrate", "--to", to, "--write", "."], &dir);
        assert!(out.status.success(), "{to}: {}", text(&out.stderr));
        let check = aigw(&["migrate", "--to", to, "--check", "."], &dir);
        assert!(check.status.success(), "{to}: {}", text(&check.stderr));
        // v0.2 to v0.4 are end of life and not built in.
        if !["v0.2", "v0.3", "v0.4"].contains(&to) {
            let valid = aigw(&["validate", "--release", to, "."], &dir);
            assert!(valid.status.success(), "{to}: {}", text(&valid.stderr));
            // aigw routes -o json: the same routing before and after.
            let after = aigw(&["routes", "-o", "json", "--release", to, "."], &dir);
            assert!(after.status.success(), "{to}: {}", text(&after.stderr));
            let before = aigw(
                &["routes", "-o", "json", &examples.display().to_string()],
                &dir,
            );
            assert!(before.status.success(), "{}", text(&before.stderr));
            let (b, a) = (
                routing(&text(&before.stdout)),
                routing(&text(&after.stdout)),
            );
            assert!(b.as_object().is_some_and(|m| m.len() == 2), "{b}");
            assert_eq!(b, a, "{to}: the routing changed");
        }
    }
}

/// Upstream's examples that carry a field an earlier release removed:
/// `spec.timeouts` of an AIServiceBackend, gone since v0.3. aigw validate
/// reports them (see tests/release_conformance.rs); migrate refuses them
/// with that diagnostic, since the input is not valid in any release it
/// moves from.
const V0_5_MISTAKES: &[&str] = &["aigw/ollama.yaml", "mcp/openai-github.yaml"];

/// Every upstream v0.5.0 example migrates to v1.1 (each file alone, else
/// with its folder's base file, else the whole folder: the same sets that
/// validate in tests/release_conformance.rs), validates clean as v1.1,
/// keeps its routing (`aigw routes -o json`, apart from the release) and
/// is up to date afterwards.
#[test]
fn upstream_v0_5_examples_migrate_to_v1_1() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let examples = reference.join("ai-gateway-v0.5.0/examples");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&examples)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    let (mut migrated, mut moved) = (0, 0);
    let mut problems = Vec::new();
    for folder in folders {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        names.sort();
        let base = ["base.yaml", "basic.yaml"]
            .iter()
            .map(|b| folder.join(b))
            .find(|b| b.is_file());
        for file in names {
            let text_of = std::fs::read_to_string(&file).unwrap_or_default();
            if !text_of.contains("apiVersion:") {
                continue; // Helm values, a recipe: not manifests
            }
            let name = file
                .strip_prefix(&examples)
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let mut tries = vec![vec![file.clone()]];
            if let Some(base) = base.as_ref().filter(|b| **b != file) {
                tries.push(vec![file.clone(), base.clone()]);
            }
            tries.push(vec![folder.clone()]);
            // The first set that validates, copied to a scratch folder.
            let dir = scratch(&format!("migrate-v0.5-{}", name.replace('/', "-")));
            let mut chosen = None;
            for paths in &tries {
                let _ = std::fs::remove_dir_all(&dir);
                for p in paths {
                    if p.is_dir() {
                        copy_case(p, &dir);
                    } else {
                        std::fs::create_dir_all(&dir).expect("mkdir");
                        let to = dir.join(p.file_name().expect("file name"));
                        std::fs::copy(p, to).expect("copy");
                    }
                }
                if aigw(&["validate", "-q", "."], &dir).status.success() {
                    chosen = Some(paths.clone());
                    break;
                }
            }
            if V0_5_MISTAKES.contains(&name.as_str()) {
                // Alone: the removed field is the one error, and migrate says so.
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).expect("mkdir");
                std::fs::copy(&file, dir.join("example.yaml")).expect("copy");
                let out = aigw(&["migrate", "--write", "."], &dir);
                let stderr = text(&out.stderr);
                if out.status.code() != Some(1)
                    || !stderr.contains("spec.timeouts was removed in v0.3")
                {
                    problems.push(format!(
                        "{name}: expected a refusal naming spec.timeouts\n{stderr}"
                    ));
                }
                continue;
            }
            if chosen.is_none() {
                problems.push(format!(
                    "{name}: does not validate, alone or with its folder"
                ));
                continue;
            }
            let before = aigw(&["routes", "-o", "json", "."], &dir);
            let out = aigw(&["migrate", "--write", "."], &dir);
            let stderr = text(&out.stderr);
            if !out.status.success() {
                problems.push(format!("{name}: migrate failed\n{stderr}"));
                continue;
            }
            migrated += 1;
            if stderr.contains("migrated") {
                moved += 1;
            }
            let valid = aigw(&["validate", "-q", "--release", "v1.1", "."], &dir);
            if !valid.status.success() {
                problems.push(format!(
                    "{name}: not valid v1.1 after migrating\n{}",
                    text(&valid.stderr)
                ));
            }
            let after = aigw(&["routes", "-o", "json", "--release", "v1.1", "."], &dir);
            let gateways = |o: &Output| {
                serde_json::from_slice::<Value>(&o.stdout)
                    .ok()
                    .and_then(|v| v.get("gateways").cloned())
            };
            if gateways(&before) != gateways(&after) || gateways(&after).is_none() {
                problems.push(format!(
                    "{name}: the routing changed\n{}\n{}",
                    text(&before.stdout),
                    text(&after.stdout)
                ));
            }
            let again = aigw(&["migrate", "--check", "."], &dir);
            if !again.status.success() {
                problems.push(format!(
                    "{name}: not up to date after --write\n{}",
                    text(&again.stderr)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(migrated > 20, "only {migrated} examples migrated");
    assert!(moved > 10, "only {moved} examples changed");
}
