//! Writes the built-in release data (`src/admit/data/`) from upstream's
//! CRDs: per built-in release its CRDs without descriptions, and the field
//! index of every release. `scripts/regenerate` runs it
//! (`AIGW_REGENERATE=1 cargo test --lib admit::codegen`); without that
//! variable the test fails while the data differs from what the CRDs give.
//! The CRDs are read from `../shared/reference` (or `AIGW_REFERENCE_DIR`);
//! without them the test says it was skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::crd::Crd;
use super::release::{Index, BUILTIN};

/// Every release whose CRDs are indexed, oldest first.
const INDEXED: &[&str] = &[
    "v0.1.5", "v0.2.1", "v0.3.0", "v0.4.0", "v0.5.0", "v0.6.0", "v0.7.0", "v1.0.0", "v1.1.0",
];

const GROUP: &str = "aigateway.envoyproxy.io";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/admit/data")
}

fn reference_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("AIGW_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference"));
    dir.is_dir().then_some(dir)
}

/// The AI Gateway CRDs of `version`, sorted by kind.
fn read_release(reference: &Path, version: &str) -> Vec<Crd> {
    let dir = reference.join(format!("ai-gateway-{version}"));
    let crds_dir = if dir.join("crds").is_dir() {
        dir.join("crds")
    } else {
        dir
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&crds_dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let mut crds = Vec::new();
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.starts_with("crd-") || !name.ends_with(".yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for doc in serde_yaml::Deserializer::from_str(&text) {
            let Ok(value) = <serde_json::Value as serde::Deserialize>::deserialize(doc) else {
                continue;
            };
            if value.get("kind").and_then(|k| k.as_str()) != Some("CustomResourceDefinition") {
                continue;
            }
            match Crd::from_object(value) {
                Ok(crd) if crd.group == GROUP => crds.push(crd),
                Ok(_) => {}
                Err(e) => panic!("{}: {e}", file.display()),
            }
        }
    }
    crds.sort_by(|a, b| a.names.kind.cmp(&b.names.kind));
    crds
}

fn compress(json: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(json, 10)
}

/// The files of `src/admit/data/`, by name, uncompressed.
fn generate(reference: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut index = Index {
        releases: INDEXED.iter().map(|r| r.to_string()).collect(),
        ..Index::default()
    };
    for (bit, version) in INDEXED.iter().enumerate() {
        let crds = read_release(reference, version);
        assert!(!crds.is_empty(), "no CRDs for {version}");
        for crd in &crds {
            for v in crd.versions.iter().filter(|v| v.served) {
                let fields = index
                    .fields
                    .entry(format!("{}/{}", crd.names.kind, v.name))
                    .or_default();
                *fields.entry(String::new()).or_default() |= 1 << bit;
                if let Some(schema) = &v.schema {
                    schema.open_api_v3_schema.visit_paths("", &mut |path| {
                        *fields.entry(path.to_string()).or_default() |= 1 << bit;
                    });
                }
            }
        }
        if BUILTIN.iter().any(|r| r.version == *version) {
            let json = serde_json::to_vec(&crds).unwrap_or_default();
            files.insert(format!("{version}.json.z"), json);
        }
    }
    files.insert(
        "index.json.z".into(),
        serde_json::to_vec(&index).unwrap_or_default(),
    );
    files
}

#[test]
fn built_in_release_data_is_current() {
    let Some(reference) = reference_dir() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "reference CRDs not found (set AIGW_REFERENCE_DIR)"
        );
        println!("SKIPPED: reference CRDs not found; built-in release data not checked");
        return;
    };
    let regenerate = std::env::var_os("AIGW_REGENERATE").is_some();
    for (name, json) in generate(&reference) {
        let path = data_dir().join(&name);
        if regenerate {
            std::fs::create_dir_all(data_dir()).unwrap_or_default();
            std::fs::write(&path, compress(&json)).unwrap_or_default();
            continue;
        }
        let shipped = std::fs::read(&path).unwrap_or_default();
        let shipped = miniz_oxide::inflate::decompress_to_vec_zlib(&shipped).unwrap_or_default();
        assert!(
            shipped == json,
            "{} is out of date: run scripts/regenerate",
            path.display()
        );
    }
}
