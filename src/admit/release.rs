//! The releases aigw knows: built-in CRD data of each supported Envoy AI
//! Gateway release line, the field index that detection and release
//! history read, and the API a run admits against.
//!
//! The data is generated from upstream's CRDs by [`super::codegen`]
//! (`scripts/regenerate`): facts only (structure, limits, defaults, rules
//! and their messages), no descriptions, as JSON lines read in place: a
//! run parses only the schema nodes its objects reach.

use std::sync::OnceLock;

use super::crd::Crd;
use super::schema::Schema;

/// A built-in release line and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// The release line, as users name it: `v1.1`.
    pub line: &'static str,
    /// The release whose CRDs are built in: `v1.1.0`.
    pub version: &'static str,
    data: &'static str,
}

macro_rules! builtin {
    ($($line:literal => $version:literal),* $(,)?) => {
        /// The built-in releases, oldest first.
        pub const BUILTIN: &[Release] = &[$(Release {
            line: $line,
            version: $version,
            data: include_str!(concat!("data/", $version, ".jsonl")),
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
            data: "",
        })
    }

    /// The release's API; its CRDs are decoded on first use (a v0.1 run,
    /// which has its own typed path, never decodes them).
    pub fn api(self) -> Result<Api, String> {
        Ok(Api {
            label: self.version.to_string(),
            line: Some(self),
            crds: OnceLock::new(),
        })
    }

    /// The release's CRDs, decoded once per run and never freed: the
    /// schema trees live until the process ends, and freeing them took a
    /// quarter of a small v1.1 run.
    fn decoded(self) -> &'static [Crd] {
        type Decoded = std::sync::Mutex<Vec<(&'static str, &'static [Crd])>>;
        static DECODED: OnceLock<Decoded> = OnceLock::new();
        let cache = DECODED.get_or_init(Default::default);
        let mut cache = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, crds)) = cache.iter().find(|(v, _)| *v == self.version) {
            return crds;
        }
        let crds: &'static [Crd] = Box::leak(self.decode().into_boxed_slice());
        cache.push((self.version, crds));
        crds
    }

    /// The data is the CRDs as JSON, then one line per schema node, which
    /// the CRDs point into by number.
    fn decode(self) -> Vec<Crd> {
        let mut lines = self.data.split('\n');
        let crds = lines.next().unwrap_or_default();
        let nodes: &'static [&'static str] =
            Box::leak(lines.collect::<Vec<_>>().into_boxed_slice());
        // The data is generated and checked by a test: a failure here is a
        // corrupt build, reported as an API without kinds.
        let mut crds: Vec<Crd> = serde_json::from_str(crds).unwrap_or_default();
        for version in crds.iter_mut().flat_map(|c| c.versions.iter_mut()) {
            version.schema.resolve(nodes);
        }
        crds
    }
}

/// The API of one run: the CRDs objects are admitted against.
#[derive(Debug, Clone)]
pub struct Api {
    /// What the run checks, for messages: `v1.1.0`, or `the given CRDs`.
    pub label: String,
    /// The built-in release, when the API is one.
    pub line: Option<Release>,
    crds: OnceLock<CrdList>,
}

/// The CRDs of an API: built in (decoded once, kept for the run) or given.
#[derive(Debug, Clone)]
enum CrdList {
    BuiltIn(&'static [Crd]),
    Given(Vec<Crd>),
}

impl Api {
    /// An API of CRDs the user gave.
    pub fn from_crds(label: String, crds: Vec<Crd>) -> Api {
        Api {
            label,
            line: None,
            crds: OnceLock::from(CrdList::Given(crds)),
        }
    }

    /// The CRDs, decoded on first use for a built-in release.
    pub fn crds(&self) -> &[Crd] {
        match self
            .crds
            .get_or_init(|| CrdList::BuiltIn(self.line.map(Release::decoded).unwrap_or_default()))
        {
            CrdList::BuiltIn(crds) => crds,
            CrdList::Given(crds) => crds,
        }
    }

    pub fn crd(&self, group: &str, kind: &str) -> Option<&Crd> {
        self.crds()
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
        let Some(crd) = self.crds().iter().find(|c| c.is_named(bare)) else {
            let kinds: Vec<&str> = self.crds().iter().map(|c| c.names.kind.as_str()).collect();
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
            .get()
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
///
/// Stored as plain text (`data/index.txt`, about 110 KB), read in place on
/// first use. The head: a line `releases v0.1.5 ...`, then per
/// `Kind/version` (sorted) a line `Kind/version START LEN` giving where its
/// lines are in the body, then an empty line. The body: one line
/// `MASK PATH` per field, sorted by path (`spec.rules[].name`; `{}` a free
/// key, `*` anything below; the empty path is the kind itself). Bit `i` of
/// a hexadecimal MASK is `releases[i]`.
#[derive(Debug, Default)]
pub struct Index {
    /// Every indexed release, oldest first.
    pub releases: Vec<&'static str>,
    /// `Kind/version` (sorted) → its lines.
    sections: Vec<(&'static str, Fields)>,
}

/// The fields of one kind and version: lines `MASK PATH`, sorted by path.
/// A lookup is a binary search over where the lines start (found on first
/// use, a run reads only the kinds its objects use); parsing every line of
/// a kind first was a twentieth of a one-route run (a policy's schema has
/// a thousand fields).
#[derive(Debug, Default)]
pub struct Fields {
    text: &'static str,
    starts: OnceLock<Box<[u32]>>,
}

impl Fields {
    pub(super) fn new(text: &'static str) -> Fields {
        Fields {
            text,
            starts: OnceLock::new(),
        }
    }

    /// The release mask of `path`.
    pub fn get(&self, path: &str) -> Option<u32> {
        let starts = self.starts.get_or_init(|| {
            // After a final newline no line starts.
            let body = self.text.strip_suffix('\n').unwrap_or(self.text);
            std::iter::once(0)
                .chain(
                    memchr::memchr_iter(b'\n', body.as_bytes())
                        .filter_map(|i| u32::try_from(i + 1).ok()),
                )
                .collect()
        });
        // `MASK PATH`; the mask is a few hexadecimal digits (a byte scan,
        // no searcher: this is on every field of every object).
        let line = |start: u32| -> (&str, &str) {
            let rest = self.text.get(start as usize..).unwrap_or_default();
            let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
            let line = rest.get(..end).unwrap_or_default();
            let space = line.bytes().position(|b| b == b' ').unwrap_or(line.len());
            let (mask, path) = line.split_at(space);
            (mask, path.get(1..).unwrap_or_default())
        };
        let i = starts
            .binary_search_by(|&start| line(start).1.cmp(path))
            .ok()?;
        let (mask, _) = line(*starts.get(i)?);
        u32::from_str_radix(mask, 16).ok()
    }

    #[cfg(test)]
    fn lines(&self) -> std::str::Lines<'static> {
        self.text.lines()
    }
}

static INDEX_TEXT: &str = include_str!("data/index.txt");

/// The bit of a mask that says every field below the path exists in
/// exactly the same releases as the path itself (the generator keeps only
/// the path of such a subtree: most of the Envoy Gateway types in the
/// policies' schemas never changed).
pub const WHOLE_SUBTREE: u32 = 1 << 31;

impl Index {
    /// The index, read once per run, on first use.
    pub fn load() -> Result<&'static Index, String> {
        static INDEX: OnceLock<Index> = OnceLock::new();
        Ok(INDEX.get_or_init(|| Index::parse(INDEX_TEXT)))
    }

    /// Reads the head: where each kind's lines are.
    fn parse(text: &'static str) -> Index {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut index = Index::default();
        for line in head.lines() {
            if let Some(releases) = line.strip_prefix("releases ") {
                index.releases = releases.split(' ').collect();
                continue;
            }
            let mut parts = line.split(' ');
            let (Some(key), Some(start), Some(len)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(start), Ok(len)) = (start.parse::<usize>(), len.parse::<usize>()) else {
                continue;
            };
            if let Some(lines) = body.get(start..start + len) {
                index.sections.push((key, Fields::new(lines)));
            }
        }
        index
    }

    /// The fields of `Kind/version`, when any release serves it.
    pub fn kind(&self, key: &str) -> Option<&Fields> {
        self.sections
            .binary_search_by(|(k, _)| (*k).cmp(key))
            .ok()
            .and_then(|i| self.sections.get(i))
            .map(|(_, fields)| fields)
    }

    /// The bit of a release in the masks.
    pub fn bit(&self, version: &str) -> Option<u32> {
        self.releases
            .iter()
            .position(|r| *r == version)
            .map(|i| 1 << i)
    }

    /// The releases of a mask, oldest first.
    pub fn names(&self, mask: u32) -> Vec<&str> {
        let mask = mask & !WHOLE_SUBTREE;
        self.releases
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, r)| *r)
            .collect()
    }

    /// The mask of `path` in any version of `kind`, all versions or'ed.
    pub fn any_version(&self, kind: &str, path: &str) -> u32 {
        let prefix = format!("{kind}/");
        self.sections
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(_, fields)| fields.get(path))
            .fold(0, |m, v| m | v)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The search over a section's text finds every line's mask, and
    /// nothing for a path between, before or after the lines.
    #[test]
    fn every_indexed_field_is_found_and_no_other() {
        let index = Index::parse(INDEX_TEXT);
        assert!(index.sections.len() > 5, "{:?}", index.sections.len());
        let mut checked = 0;
        for (key, fields) in &index.sections {
            let lines: Vec<(&str, u32)> = fields
                .lines()
                .map(|line| {
                    let (mask, path) = line.split_once(' ').unwrap_or((line, ""));
                    (path, u32::from_str_radix(mask, 16).unwrap_or(u32::MAX))
                })
                .collect();
            for (path, mask) in &lines {
                assert_eq!(fields.get(path), Some(*mask), "{key} {path:?}");
                for absent in [
                    format!("{path}~"),
                    format!("{path}.\u{7f}"),
                    format!("!{path}"),
                ] {
                    if !lines.iter().any(|(p, _)| *p == absent) {
                        assert_eq!(fields.get(&absent), None, "{key} {absent:?}");
                    }
                }
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
        let route = index.kind("AIGatewayRoute/v1alpha1");
        assert!(route.and_then(|f| f.get("spec.rules")).is_some());
        assert_eq!(route.and_then(|f| f.get("spec.noSuchField")), None);
        assert!(index.kind("NoSuchKind/v1").is_none());
    }
}
