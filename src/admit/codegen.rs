//! Writes the built-in release data (`src/admit/data/`) from upstream's
//! CRDs: per built-in release its CRDs without descriptions, and the field
//! index of every release. `scripts/regenerate` runs it
//! (`AIGW_REGENERATE=1 cargo test --lib admit::codegen`); without that
//! variable the test fails while the data differs from what the CRDs give.
//! The CRDs are read from `../shared/reference` (or `AIGW_REFERENCE_DIR`);
//! without them the test says it was skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::crd::{Crd, LazySchema};
use super::release::{BUILTIN, WHOLE_SUBTREE};

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

/// Keeps only the top of each subtree whose fields all exist in exactly
/// the same releases as its root, flagged [`WHOLE_SUBTREE`]: most of the
/// policies' Envoy Gateway types never changed, and the index is read on
/// every run that detects its release.
fn compact(fields: &mut BTreeMap<String, u32>) {
    let below = |root: &str, path: &str| {
        !root.is_empty()
            && path.len() > root.len()
            && path.starts_with(root)
            && matches!(path.as_bytes().get(root.len()), Some(b'.' | b'[' | b'{'))
    };
    let paths: Vec<(String, u32)> = fields.iter().map(|(p, m)| (p.clone(), *m)).collect();
    let mut kept: BTreeMap<String, u32> = BTreeMap::new();
    let mut covered: Option<String> = None;
    for (i, (path, mask)) in paths.iter().enumerate() {
        if covered.as_deref().is_some_and(|root| below(root, path)) {
            continue;
        }
        let subtree: Vec<u32> = paths
            .iter()
            .skip(i + 1)
            .filter(|(p, _)| below(path, p))
            .map(|(_, m)| *m)
            .collect();
        if !subtree.is_empty() && subtree.iter().all(|m| m == mask) {
            kept.insert(path.clone(), mask | WHOLE_SUBTREE);
            covered = Some(path.clone());
        } else {
            kept.insert(path.clone(), *mask);
        }
    }
    *fields = kept;
}

/// The files of `src/admit/data/`, by name, uncompressed.
fn generate(reference: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut index: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for (bit, version) in INDEXED.iter().enumerate() {
        let crds = read_release(reference, version);
        assert!(!crds.is_empty(), "no CRDs for {version}");
        for crd in &crds {
            for v in crd.versions.iter().filter(|v| v.served) {
                let fields = index
                    .entry(format!("{}/{}", crd.names.kind, v.name))
                    .or_default();
                *fields.entry(String::new()).or_default() |= 1 << bit;
                if let Some(schema) = v.schema.get() {
                    schema.open_api_v3_schema.visit_paths("", &mut |path| {
                        *fields.entry(path.to_string()).or_default() |= 1 << bit;
                    });
                }
            }
        }
        if BUILTIN.iter().any(|r| r.version == *version) {
            // The CRDs, then a line per schema node they point into.
            let mut crds = crds;
            let mut nodes = Vec::new();
            for v in crds.iter_mut().flat_map(|c| c.versions.iter_mut()) {
                let root = v
                    .schema
                    .get()
                    .map(|s| s.open_api_v3_schema.flatten(&mut nodes));
                v.schema = root.map(LazySchema::at).unwrap_or_default();
            }
            let mut data = serde_json::to_string(&crds).unwrap_or_default();
            for node in &nodes {
                data.push('\n');
                data.push_str(node);
            }
            let data = data.into_bytes();
            files.insert(format!("{version}.jsonl"), data);
        }
    }
    // The body: per key its `MASK PATH` lines; the head: where each key's
    // lines are in the body, so that a run parses only the kinds it uses.
    let mut body = String::new();
    let mut head = format!("releases {}\n", INDEXED.join(" "));
    for (key, fields) in &mut index {
        compact(fields);
        let start = body.len();
        for (path, mask) in fields.iter() {
            body.push_str(&format!("{mask:x} {path}\n"));
        }
        head.push_str(&format!("{key} {start} {}\n", body.len() - start));
    }
    head.push('\n');
    head.push_str(&body);
    files.insert("index.txt".into(), head.into_bytes());
    files
}

#[test]
fn built_in_release_data_is_current() {
    let Some(reference) = reference_dir() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "reference CRDs not found (set AIGW_REFERENCE_DIR)"
        );
        use std::io::Write;
        // Written to the handle directly, so that libtest does not capture it.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: built-in release data not checked: reference CRDs not found"
        );
        return;
    };
    let regenerate = std::env::var_os("AIGW_REGENERATE").is_some();
    for (name, json) in generate(&reference) {
        let path = data_dir().join(&name);
        if regenerate {
            std::fs::create_dir_all(data_dir()).unwrap_or_default();
            std::fs::write(&path, json).unwrap_or_default();
            continue;
        }
        let shipped = std::fs::read(&path).unwrap_or_default();
        assert!(
            shipped == json,
            "{} is out of date: run scripts/regenerate",
            path.display()
        );
    }
}
