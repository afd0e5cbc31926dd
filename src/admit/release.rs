//! The releases aigw knows: built-in CRD data of each supported Envoy AI
//! Gateway release line, the field index that detection and release
//! history read, and the API a run admits against.
//!
//! The data is generated from upstream's CRDs by [`super::codegen`]
//! (`scripts/regenerate`): facts only (structure, limits, defaults, rules
//! and their messages), no descriptions, deflate-compressed, and decoded
//! only for the release a run uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::crd::Crd;
use super::schema::Schema;

/// A built-in release line and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// The release line, as users name it: `v1.1`.
    pub line: &'static str,
    /// The release whose CRDs are built in: `v1.1.0`.
    pub version: &'static str,
    data: &'static [u8],
}

macro_rules! builtin {
    ($($line:literal => $version:literal),* $(,)?) => {
        /// The built-in releases, oldest first.
        pub const BUILTIN: &[Release] = &[$(Release {
            line: $line,
            version: $version,
            data: include_bytes!(concat!("data/", $version, ".json.z")),
        }),*];
    };
}

builtin! {
    "v0.1" => "v0.1.5",
    "v0.5" => "v0.5.0",
    "v0.6" => "v0.6.0",
    "v0.7" => "v0.7.0",
    "v1.0" => "v1.0.0",
    "v1.1" => "v1.1.0",
}

/// The release line whose objects aigw translates itself (SPEC).
pub const V0_1: &str = "v0.1";

/// Upper bound on decoded data, against a corrupt build.
const MAX_DECODED: usize = 64 << 20;

static INDEX_DATA: &[u8] = include_bytes!("data/index.json.z");

impl Release {
    /// Finds a built-in release by its line or version, with or without
    /// the `v`: `v1.1`, `1.1`, `v1.1.0`.
    pub fn find(name: &str) -> Option<Release> {
        let name = name.trim();
        let v = if name.starts_with('v') {
            name.to_string()
        } else {
            format!("v{name}")
        };
        BUILTIN
            .iter()
            .copied()
            .find(|r| r.line == v || r.version == v)
    }

    pub fn newest() -> Release {
        BUILTIN.last().copied().unwrap_or(Release {
            line: "",
            version: "",
            data: &[],
        })
    }

    /// The release's CRDs, decoded.
    pub fn api(self) -> Result<Api, String> {
        let crds: Vec<Crd> = serde_json::from_slice(&inflate(self.data)?)
            .map_err(|e| format!("built-in data of {}: {e}", self.version))?;
        Ok(Api {
            label: self.version.to_string(),
            line: Some(self),
            crds,
        })
    }
}

fn inflate(data: &[u8]) -> Result<Vec<u8>, String> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, MAX_DECODED)
        .map_err(|e| format!("built-in release data is corrupt: {e:?}"))
}

/// The API of one run: the CRDs objects are admitted against.
#[derive(Debug, Clone)]
pub struct Api {
    /// What the run checks, for messages: `v1.1.0`, or `the CRDs in the input`.
    pub label: String,
    /// The built-in release, when the API is one.
    pub line: Option<Release>,
    pub crds: Vec<Crd>,
}

impl Api {
    pub fn crd(&self, group: &str, kind: &str) -> Option<&Crd> {
        self.crds
            .iter()
            .find(|c| c.group == group && c.names.kind == kind)
    }

    /// The schema of `kind` in `group/version`, when served.
    pub fn schema(&self, api_version: &str, kind: &str) -> Option<&Schema> {
        let (group, version) = api_version.split_once('/')?;
        self.crd(group, kind)?.served_schema(version)
    }

    /// The JSON Schema of the kind `name` (as kubectl names resources:
    /// kind, plural, singular or short name, any case, group optional) in
    /// its storage version; `Err` lists the kinds there are.
    pub fn json_schema(&self, name: &str) -> Result<serde_json::Value, String> {
        let bare = name
            .strip_suffix(&format!(".{}", crate::load::AI_GATEWAY_GROUP))
            .unwrap_or(name);
        let Some(crd) = self.crds.iter().find(|c| c.is_named(bare)) else {
            let kinds: Vec<&str> = self.crds.iter().map(|c| c.names.kind.as_str()).collect();
            return Err(format!(
                "no kind \"{name}\" in {}: the kinds are {}",
                self.label,
                kinds.join(", ")
            ));
        };
        let version = crd
            .versions
            .iter()
            .find(|v| v.storage)
            .or_else(|| crd.versions.iter().find(|v| v.served))
            .ok_or_else(|| format!("{} serves no version", crd.names.kind))?;
        let mut schema = version
            .schema
            .as_ref()
            .map(|s| s.open_api_v3_schema.to_json_schema())
            .unwrap_or_else(|| serde_json::json!({}));
        let served: Vec<String> = crd
            .versions
            .iter()
            .filter(|v| v.served && v.schema == version.schema)
            .map(|v| format!("{}/{}", crd.group, v.name))
            .collect();
        if let Some(map) = schema.as_object_mut() {
            let mut head = serde_json::Map::new();
            head.insert(
                "$schema".into(),
                "http://json-schema.org/draft-07/schema#".into(),
            );
            head.insert(
                "title".into(),
                format!(
                    "{} ({} {})",
                    crd.names.kind,
                    crate::load::AI_GATEWAY_GROUP,
                    self.label
                )
                .into(),
            );
            head.extend(std::mem::take(map));
            if let Some(props) = head.get_mut("properties").and_then(|p| p.as_object_mut()) {
                props.insert(
                    "apiVersion".into(),
                    serde_json::json!({"type": "string", "enum": served}),
                );
                props.insert(
                    "kind".into(),
                    serde_json::json!({"type": "string", "const": crd.names.kind}),
                );
            }
            let mut required = vec![
                serde_json::Value::from("apiVersion"),
                "kind".into(),
                "metadata".into(),
            ];
            if let Some(serde_json::Value::Array(own)) = head.get("required") {
                required.extend(
                    own.iter()
                        .filter(|r| !required.contains(r))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
            head.insert("required".into(), serde_json::Value::Array(required));
            *map = head;
        }
        Ok(schema)
    }

    /// Whether this is the v0.1 API, whose objects aigw translates.
    pub fn is_v0_1(&self) -> bool {
        self.line.is_some_and(|r| r.line == V0_1)
    }
}

/// Which releases define each kind, version and field (every release from
/// v0.1.5 on whose CRDs upstream published, end-of-life ones included, so
/// that a field can be traced to the release that added or removed it).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    /// Every indexed release, oldest first; bit `i` of a mask is `releases[i]`.
    pub releases: Vec<String>,
    /// `Kind/version` → field path (`spec.rules[].name`, `{}` a free key,
    /// `*` anything below) → mask. The empty path is the kind itself.
    pub fields: BTreeMap<String, BTreeMap<String, u32>>,
}

impl Index {
    pub fn load() -> Result<Index, String> {
        serde_json::from_slice(&inflate(INDEX_DATA)?).map_err(|e| format!("field index: {e}"))
    }

    /// The bit of a release in the masks.
    pub fn bit(&self, version: &str) -> Option<u32> {
        self.releases
            .iter()
            .position(|r| r == version)
            .map(|i| 1 << i)
    }

    /// The releases of a mask, oldest first.
    pub fn names(&self, mask: u32) -> Vec<&str> {
        self.releases
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, r)| r.as_str())
            .collect()
    }
}

/// The short form of a release version for messages: `v0.3.0` → `v0.3`.
pub fn line_of(version: &str) -> &str {
    match version.rmatch_indices('.').next() {
        Some((i, _)) => match version.get(..i) {
            Some(head) if head.contains('.') => head,
            _ => version,
        },
        _ => version,
    }
}
