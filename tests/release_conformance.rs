//! Upstream's API-server conformance cases (`tests/crdcel` of v0.5.0 and
//! v1.1.0): every case gets the verdict, field path and message that the
//! release's API server gives, from the built-in release data. Read from
//! `../shared/reference/` (or `AIGW_REFERENCE_DIR`); skipped visibly
//! without it.

mod common;

use std::collections::BTreeMap;

use aigw::admit::{api_errors, Release};

/// Every error the API server would return for the object in `file`, as
/// `kubectl` prints them: `Kind.group "name" is invalid: [path: body, ...]`.
fn admission_text(release: Release, file: &std::path::Path) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let value: serde_json::Value = serde_yaml::from_str(&text).unwrap_or_default();
    let api = release.api().unwrap_or_else(|e| panic!("{e}"));
    let kind = value["kind"].as_str().unwrap_or_default().to_string();
    let kind = kind.as_str();
    let api_version = value["apiVersion"].as_str().unwrap_or_default().to_string();
    let api_version = api_version.as_str();
    let name = value["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some(schema) = api.schema(api_version, kind) else {
        return format!("no kind {kind} in {api_version}");
    };
    let mut value = value;
    if let Some(spec) = value.get_mut("spec") {
        if let Some(spec_schema) = schema.properties.get("spec") {
            go_zero_values(spec, spec_schema);
        }
    }
    let errors = api_errors(&common::node(&value), schema);
    let prefix = format!("{kind}.aigateway.envoyproxy.io \"{name}\" is invalid");
    match errors.as_slice() {
        [] => String::new(),
        [one] => format!("{prefix}: {one}"),
        many => format!("{prefix}: [{}]", many.join(", ")),
    }
}

/// Upstream's harness decodes each case into the Go types before creating
/// it, so a required string that the YAML leaves out is sent as `""` (the
/// Go zero value: controller-gen makes exactly the fields without
/// `omitempty` required). `kubectl apply` of the same file sends no field,
/// and the API server says `Required value`, as aigw does; the test sends
/// what upstream's client sends.
fn go_zero_values(value: &mut serde_json::Value, schema: &aigw::admit::schema::Schema) {
    let Some(map) = value.as_object_mut() else {
        if let (Some(items), Some(item)) = (value.as_array_mut(), schema.items.as_deref()) {
            items.iter_mut().for_each(|v| go_zero_values(v, item));
        }
        return;
    };
    for name in &schema.required {
        let zero = match schema.properties.get(name).and_then(|p| p.ty.as_deref()) {
            Some("string") => serde_json::json!(""),
            Some("integer" | "number") => serde_json::json!(0),
            Some("boolean") => serde_json::json!(false),
            _ => continue,
        };
        if map.get(name).is_none_or(|v| v.is_null()) {
            map.insert(name.clone(), zero);
        }
    }
    for (name, v) in map.iter_mut() {
        if let Some(prop) = schema.properties.get(name) {
            go_zero_values(v, prop);
        }
    }
}

fn conformance(version: &str) {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let dir = reference.join(format!("ai-gateway-{version}/crdcel"));
    let release = Release::find(version).unwrap_or_else(|| panic!("{version} is not built in"));
    let expect: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expect.json")).unwrap_or_default())
            .unwrap_or_default();
    assert!(expect.len() > 40, "expect.json of {version} not read");
    let mut failures = Vec::new();
    for (case, expected) in &expect {
        let got = admission_text(release, &dir.join(case));
        // Upstream's test asks that the error contains the expected text
        // (the list of supported values may be longer, for example).
        let ok = if expected.is_empty() {
            got.is_empty()
        } else {
            got.contains(expected.as_str())
        };
        if !ok {
            failures.push(format!(
                "{case}\n  expected: {expected:?}\n  got:      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases of {version} differ:\n{}",
        failures.len(),
        expect.len(),
        failures.join("\n")
    );
}

#[test]
fn crdcel_v1_1_0() {
    conformance("v1.1.0");
}

#[test]
fn crdcel_v0_5_0() {
    conformance("v0.5.0");
}

/// Upstream's example files that hold a mistake, and the one diagnostic
/// aigw gives for it: their AIServiceBackend sets `spec.timeouts`, which
/// v0.3 removed (timeouts are per rule since), so `kubectl apply` of the
/// file fails on any supported release.
const UPSTREAM_MISTAKES: &[(&str, &str)] = &[
    ("aigw/ollama.yaml", "spec.timeouts was removed in v0.3"),
    (
        "mcp/openai-github.yaml",
        "spec.timeouts was removed in v0.3",
    ),
];

/// Every example manifest of v0.5.0 and v1.1.0 validates with no flag
/// (the release detected), each file with its folder's shared base file
/// (`base.yaml` or `basic.yaml`, which the others build on); a file of
/// upstream's with a mistake gets exactly its diagnostic.
#[test]
fn upstream_examples_validate() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for version in ["v0.5.0", "v1.1.0"] {
        let examples = reference.join(format!("ai-gateway-{version}/examples"));
        let mut folders: Vec<_> = std::fs::read_dir(&examples)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        folders.sort();
        for folder in folders {
            let mut files: Vec<_> = std::fs::read_dir(&folder)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.sort();
            let base = ["base.yaml", "basic.yaml"]
                .iter()
                .map(|b| folder.join(b))
                .find(|b| b.is_file());
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                if !text.contains("apiVersion:") {
                    continue; // Helm values, a recipe: not manifests
                }
                // Alone; else with the folder's base file; else with the
                // whole folder (a base file that names the others' objects).
                let mut tries = vec![vec![file.clone()]];
                if let Some(base) = base.as_ref().filter(|b| **b != file) {
                    tries.push(vec![file.clone(), base.clone()]);
                }
                tries.push(vec![folder.clone()]);
                let run = |paths: &Vec<std::path::PathBuf>| {
                    std::process::Command::new(env!("CARGO_BIN_EXE_aigw"))
                        .args(["validate", "--format", "json"])
                        .args(paths)
                        .env_remove("AIGW_RELEASE")
                        .output()
                        .expect("run aigw")
                };
                let mut out = run(&tries[0]);
                for paths in tries.iter().skip(1) {
                    if out.status.code() == Some(0) {
                        break;
                    }
                    out = run(paths);
                }
                if out.status.code() != Some(0) {
                    out = run(&tries[0]);
                }
                checked += 1;
                let name = file
                    .strip_prefix(&examples)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let diagnostics = String::from_utf8_lossy(&out.stdout).into_owned();
                match UPSTREAM_MISTAKES.iter().find(|(f, _)| *f == name) {
                    Some((_, expected)) => {
                        let items: Vec<serde_json::Value> =
                            serde_json::from_str(&diagnostics).unwrap_or_default();
                        if items.len() != 1
                            || !items[0]["message"]
                                .as_str()
                                .unwrap_or("")
                                .contains(expected)
                        {
                            failures.push(format!(
                                "{version} {name}: expected only {expected:?}: {diagnostics}"
                            ));
                        }
                    }
                    None if out.status.code() != Some(0) => {
                        failures.push(format!("{version} {name}: {diagnostics}"));
                    }
                    None => {}
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// v0.1's own CRDs, given with `--crds`, select the built-in v0.1.5, so
/// that render still derives the controller's objects.
#[test]
fn v0_1_crds_select_the_built_in_v0_1() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(["render", "--crds"])
        .arg(reference.join("ai-gateway-v0.1.5"))
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart"))
        .output()
        .expect("run aigw");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("checking Envoy AI Gateway v0.1.5: the AI Gateway CRDs given are v0.1's"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("kind: EnvoyExtensionPolicy"));
}
