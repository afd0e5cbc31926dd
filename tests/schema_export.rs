//! The exported JSON Schemas (`aigw schema KIND`) checked by an independent
//! validator, check-jsonschema (from PyPI; .ci/run installs it): every AI
//! Gateway document of the shipped examples and of the valid render cases
//! validates against the schema of its kind, and a wrong apiVersion or an
//! unknown field does not.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const KINDS: [&str; 3] = [
    "AIGatewayRoute",
    "AIServiceBackend",
    "BackendSecurityPolicy",
];

/// Every YAML document of the `*.yaml` files under `dir`, hidden entries
/// skipped (as aigw skips them: some are deliberately broken).
fn documents(dir: &Path, out: &mut Vec<(String, serde_json::Value)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            documents(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("read");
            for (i, doc) in serde_yaml::Deserializer::from_str(&text).enumerate() {
                use serde::Deserialize;
                let value = serde_json::Value::deserialize(doc).expect("YAML");
                if !value.is_null() {
                    out.push((format!("{}#{i}", path.display()), value));
                }
            }
        }
    }
}

/// Valid render cases: their snapshot records exit 0.
fn valid_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("testdata"))
        .expect("testdata")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let snap = root().join("snapshots").join(format!("{name}.snap"));
            name.starts_with("render-")
                && std::fs::read_to_string(snap).is_ok_and(|s| s.contains("\nexit: 0\n"))
        })
        .collect();
    cases.sort();
    cases
}

fn check_jsonschema(dir: &Path, schema: &str, files: &[String]) -> std::process::Output {
    Command::new("check-jsonschema")
        .args(["--schemafile", schema])
        .args(files)
        .current_dir(dir)
        .output()
        .expect("run check-jsonschema")
}

#[test]
fn examples_and_valid_cases_validate_against_the_exported_schemas() {
    if Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "check-jsonschema is not installed"
        );
        // Written to the handle directly, so that libtest does not capture it.
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "SKIPPED: schema_export: check-jsonschema not installed (pip install check-jsonschema)"
        );
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("schema-export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");

    let mut docs = Vec::new();
    documents(&root().join("examples"), &mut docs);
    for case in valid_cases() {
        documents(&case, &mut docs);
    }
    for kind in KINDS {
        let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
            .args(["schema", kind])
            .output()
            .expect("aigw schema");
        assert!(out.status.success());
        let schema = format!("{kind}.schema.json");
        std::fs::write(dir.join(&schema), &out.stdout).expect("write schema");

        let mut files = Vec::new();
        let mut origins = Vec::new();
        for (i, (origin, doc)) in docs.iter().enumerate() {
            if doc["kind"] == kind {
                let file = format!("{kind}-{i}.json");
                std::fs::write(dir.join(&file), doc.to_string()).expect("write");
                origins.push(format!("{file}: {origin}"));
                files.push(file);
            }
        }
        assert!(
            files.len() >= 3,
            "{kind}: too few documents: {}",
            files.len()
        );
        let ok = check_jsonschema(&dir, &schema, &files);
        assert!(
            ok.status.success(),
            "{kind}: {}\n{}",
            String::from_utf8_lossy(&ok.stdout),
            origins.join("\n")
        );

        // A valid document, broken: a wrong apiVersion (a constant), and an
        // unknown field.
        let (_, doc) = docs
            .iter()
            .find(|(_, d)| d["kind"] == kind)
            .expect("a document");
        let mut version = doc.clone();
        version["apiVersion"] = "aigateway.envoyproxy.io/v1beta1".into();
        let mut field = doc.clone();
        field["spec"]["unknownField"] = true.into();
        let mut broken = Vec::new();
        for (name, value) in [("version", version), ("field", field)] {
            let file = format!("{kind}-broken-{name}.json");
            std::fs::write(dir.join(&file), value.to_string()).expect("write");
            broken.push(file);
        }
        let bad = check_jsonschema(&dir, &schema, &broken);
        let report = String::from_utf8_lossy(&bad.stdout);
        assert!(!bad.status.success());
        for file in &broken {
            assert!(
                report.contains(&format!("{file}::")),
                "{file} should not validate: {report}"
            );
        }
    }
}

/// `aigw schema KIND --release R`: every kind of every built-in release
/// exports a JSON Schema, and the v1.1 ones accept a valid v1.1 case and
/// reject an unknown field.
#[test]
fn release_schemas_export_and_validate() {
    for release in aigw::admit::BUILTIN {
        let api = release.api().expect("release data");
        for crd in &api.crds {
            let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
                .args(["schema", &crd.names.plural, "--release", release.line])
                .output()
                .expect("aigw schema");
            assert!(out.status.success(), "{} {}", release.line, crd.names.kind);
            let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            assert_eq!(
                schema["properties"]["kind"]["const"],
                crd.names.kind.as_str()
            );
        }
    }
    let unknown = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(["schema", "Nope", "--release", "v1.1"])
        .output()
        .expect("aigw schema");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("the kinds are AIGatewayRoute"));

    if Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "check-jsonschema is not installed"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: release_schemas_export_and_validate: check-jsonschema not installed"
        );
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("schema-export-release");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    let mut docs = Vec::new();
    documents(&root().join("testdata/release-detect-v1-1"), &mut docs);
    for kind in KINDS {
        let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
            .args(["schema", kind, "--release", "v1.1"])
            .output()
            .expect("aigw schema");
        let schema = format!("{kind}.v1.1.json");
        std::fs::write(dir.join(&schema), &out.stdout).expect("write schema");
        let doc = docs
            .iter()
            .map(|(_, d)| d)
            .find(|d| d["kind"] == kind)
            .expect("a v1.1 document");
        let good = format!("{kind}-good.json");
        std::fs::write(dir.join(&good), doc.to_string()).expect("write");
        let ok = check_jsonschema(&dir, &schema, &[good]);
        assert!(
            ok.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&ok.stdout)
        );
        let mut broken = doc.clone();
        broken["spec"]["unknownField"] = true.into();
        let bad = format!("{kind}-bad.json");
        std::fs::write(dir.join(&bad), broken.to_string()).expect("write");
        assert!(
            !check_jsonschema(&dir, &schema, &[bad]).status.success(),
            "{kind}"
        );
    }
}
