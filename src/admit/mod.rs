//! Stage 2: admission, as the chosen release's API server does it.
//!
//! [`select`] picks the API a run checks against: `--release`, else the
//! AI Gateway CRDs in the input or given with `--crds`, else the newest
//! built-in release whose API has every kind, version and field the
//! manifests use (from the field index, without decoding any release).
//! [`admit`] then runs every AI Gateway object through one engine driven
//! by that API's CRD schemas ([`check`]): strict decoding, defaulting,
//! the OpenAPI value checks and the CEL rules. A field or kind that belongs
//! to another release gets one diagnostic naming the release that added,
//! renamed or removed it, instead of a wall of unknown-field errors.
//!
//! The v0.1 line keeps its own typed models and checks (`validate/`),
//! which this stage hands the objects to when v0.1.5 is chosen.

mod cel;
pub mod check;
#[cfg(test)]
mod codegen;
pub mod crd;
pub mod history;
pub mod release;
pub mod schema;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Value};
use crate::load::{Object, Original, AI_GATEWAY_GROUP};

pub use check::Violation;
pub use crd::Crd;
pub use release::{Api, Index, Release, BUILTIN};

/// The API a run checks, and why it was chosen (for the `aigw: note:` line).
#[derive(Debug)]
pub struct Selection {
    pub api: Api,
    pub why: String,
}

/// Picks the API: `release` (the flag), else `crds` (AI Gateway CRDs from
/// the input and `--crds`), else detection over `objects`. An unknown
/// release is a usage error.
pub fn select(
    objects: &[Object],
    release: Option<&str>,
    crds: Vec<Crd>,
) -> Result<Selection, String> {
    if let Some(name) = release {
        let Some(found) = Release::find(name) else {
            return Err(unknown_release(name));
        };
        return Ok(Selection {
            api: found.api()?,
            why: "chosen with --release".into(),
        });
    }
    let crds: Vec<Crd> = crds
        .into_iter()
        .filter(|c| c.group == AI_GATEWAY_GROUP)
        .collect();
    if !crds.is_empty() {
        if looks_like_v0_1(&crds) {
            if let Some(v01) = Release::find(release::V0_1) {
                return Ok(Selection {
                    api: v01.api()?,
                    why: "the AI Gateway CRDs given are v0.1's".into(),
                });
            }
        }
        let kinds: Vec<String> = crds.iter().map(|c| c.names.kind.clone()).collect();
        return Ok(Selection {
            api: Api::from_crds("the given CRDs".into(), crds),
            why: format!(
                "the AI Gateway CRDs in the input or --crds define the API ({})",
                kinds.join(", ")
            ),
        });
    }
    let index = Index::load()?;
    let (chosen, why) = detect(objects, index);
    Ok(Selection {
        api: chosen.api()?,
        why,
    })
}

fn unknown_release(name: &str) -> String {
    let lines: Vec<&str> = BUILTIN.iter().map(|r| r.line).collect();
    let eol = ["v0.2", "v0.3", "v0.4"].iter().any(|l| {
        name.trim_start_matches('v')
            .starts_with(l.trim_start_matches('v'))
    });
    let mut text = format!(
        "unknown release \"{name}\": the built-in releases are {}",
        lines.join(", ")
    );
    if eol {
        text.push_str(
            "; v0.2 to v0.4 reached end of life and are not built in: give that release's CRDs with --crds",
        );
    } else {
        text.push_str("; for another release, give its CRDs with --crds");
    }
    text
}

/// Whether user-given CRDs are the v0.1 API, which aigw translates itself:
/// a route with `targetRefs` whose rules have no `timeouts` (v0.2 added them).
fn looks_like_v0_1(crds: &[Crd]) -> bool {
    let Some(route) = crds.iter().find(|c| c.names.kind == "AIGatewayRoute") else {
        return false;
    };
    let Some(schema) = route.served_schema("v1alpha1") else {
        return false;
    };
    let spec = schema.properties.get("spec").map(|s| &**s);
    let has = |path: &[&str]| {
        let mut s = spec;
        for p in path {
            s = s.and_then(|s| s.properties.get(*p).map(|s| &**s).or(s.items.as_deref()));
        }
        s.is_some()
    };
    has(&["targetRefs"]) && !has(&["rules", "items", "timeouts"]) && route.versions.len() == 1
}

/// How one object fits one indexed release.
#[derive(Default)]
struct Fit {
    fields: usize,
    fitting: usize,
}

/// The newest built-in release that has every kind, version and field the
/// AI Gateway objects use; else the one that has the most (ties: newest).
fn detect(objects: &[Object], index: &Index) -> (Release, String) {
    let ai: Vec<&Object> = objects
        .iter()
        .filter(|o| o.api_version.split_once('/').map(|(g, _)| g) == Some(AI_GATEWAY_GROUP))
        .collect();
    let newest = Release::newest();
    if ai.is_empty() {
        return (
            newest,
            "no AI Gateway objects in the input; the newest built-in release".to_string(),
        );
    }
    // The newest release that every object fits: one walk of each object
    // gives every release it fits (a walk per release tried was a tenth of
    // a one-route run).
    let mut path = String::new();
    let fitting = ai
        .iter()
        .fold(u32::MAX, |all, object| all & fits(object, index, &mut path));
    for release in BUILTIN.iter().rev().copied() {
        let Some(bit) = index.bit(release.version) else {
            continue;
        };
        if fitting & bit != 0 {
            let why = if release == newest {
                "the newest built-in release; it has every kind and field the manifests use"
                    .to_string()
            } else {
                "the newest built-in release that has every kind and field the manifests use"
                    .to_string()
            };
            return (release, why);
        }
    }
    // None fits all: the one that has the most of the fields used.
    let mut best: Option<(Release, usize)> = None;
    for release in BUILTIN.iter().rev().copied() {
        let Some(bit) = index.bit(release.version) else {
            continue;
        };
        let fitting = ai
            .iter()
            .map(|object| fit(object, index, bit).fitting)
            .sum();
        if best.is_none_or(|(_, n)| fitting > n) {
            best = Some((release, fitting));
        }
    }
    let chosen = best.map_or(newest, |(r, _)| r);
    (
        chosen,
        "no built-in release has every field the manifests use; this one has the most".to_string(),
    )
}

/// The releases (bits of the index's masks) that have every field of
/// `object`: those for which [`fit`] counts every field as fitting.
fn fits(object: &Object, index: &Index, path: &mut String) -> u32 {
    let version = object.api_version.split_once('/').map_or("", |(_, v)| v);
    let key = format!("{}/{version}", object.kind);
    let Some(fields) = index.kind(&key) else {
        return 0;
    };
    let mut mask = fields.get("").unwrap_or(0) & !release::WHOLE_SUBTREE;
    for e in object.node.as_map().unwrap_or_default() {
        if mask == 0 {
            break;
        }
        if matches!(
            e.key.as_str(),
            "apiVersion" | "kind" | "metadata" | "status"
        ) {
            continue;
        }
        path.clear();
        path.push_str(&e.key);
        mask &= fits_below(&e.value, path, fields);
    }
    mask
}

/// The releases that have the field at `path` and everything below it
/// that `node` uses (as [`walk`] decides it for one release).
fn fits_below(node: &Node, path: &mut String, fields: &release::Fields) -> u32 {
    let line = fields.get(path).unwrap_or(0);
    let here = line & !release::WHOLE_SUBTREE;
    if here == 0 || line & release::WHOLE_SUBTREE != 0 {
        return here;
    }
    let len = path.len();
    let mut below = u32::MAX;
    match &node.value {
        Value::Map(entries) => {
            path.push_str(".*");
            let anything = fields.get(path).unwrap_or(0);
            path.truncate(len);
            if here & !anything == 0 {
                return here;
            }
            path.push_str("{}");
            let free = fields.get(path).unwrap_or(0);
            path.truncate(len);
            for e in entries {
                path.push('.');
                path.push_str(&e.key);
                let named = fields.get(path).unwrap_or(0) & !release::WHOLE_SUBTREE;
                let mut ok = 0;
                if named != 0 {
                    ok |= named & fits_below(&e.value, path, fields);
                }
                path.truncate(len);
                let free_only = free & !release::WHOLE_SUBTREE & !named;
                if free_only != 0 {
                    path.push_str("{}");
                    ok |= free_only & fits_below(&e.value, path, fields);
                    path.truncate(len);
                }
                below &= ok;
                if here & !anything & below == 0 {
                    break;
                }
            }
            below |= anything;
        }
        Value::Seq(items) => {
            path.push_str("[]");
            // A release without an item shape counts no item as a field.
            let shaped = fields.get(path).unwrap_or(0) & !release::WHOLE_SUBTREE;
            for n in items {
                if matches!(n.value, Value::Map(_) | Value::Seq(_)) {
                    below &= !shaped | fits_below(n, path, fields);
                }
            }
            path.truncate(len);
        }
        _ => {}
    }
    here & below
}

/// Counts the fields of `object` and those `bit`'s release defines.
fn fit(object: &Object, index: &Index, bit: u32) -> Fit {
    let mut fit = Fit::default();
    let version = object.api_version.split_once('/').map_or("", |(_, v)| v);
    let key = format!("{}/{version}", object.kind);
    let has = |fields: &release::Fields, path: &str| fields.get(path).is_some_and(|m| m & bit != 0);
    let Some(fields) = index.kind(&key).filter(|f| has(f, "")) else {
        // The kind or version is not served: every field misfits.
        fit.fields = 1;
        return fit;
    };
    fit.fields += 1;
    fit.fitting += 1;
    for e in object.node.as_map().unwrap_or_default() {
        if matches!(
            e.key.as_str(),
            "apiVersion" | "kind" | "metadata" | "status"
        ) {
            continue;
        }
        walk(&e.value, &e.key, fields, bit, &mut fit);
    }
    fit
}

fn walk(node: &Node, shape: &str, fields: &release::Fields, bit: u32, fit: &mut Fit) {
    let has = |path: &str| fields.get(path).is_some_and(|m| m & bit != 0);
    fit.fields += 1;
    if !has(shape) {
        return;
    }
    fit.fitting += 1;
    // A subtree every release has or lacks as a whole: nothing below it
    // tells releases apart.
    if fields
        .get(shape)
        .is_some_and(|m| m & release::WHOLE_SUBTREE != 0)
    {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            let free = format!("{shape}{{}}");
            if has(&format!("{shape}.*")) {
                return;
            }
            for e in entries {
                let field = format!("{shape}.{}", e.key);
                if has(&field) {
                    walk(&e.value, &field, fields, bit, fit);
                } else if has(&free) {
                    walk(&e.value, &free, fields, bit, fit);
                } else {
                    fit.fields += 1;
                }
            }
        }
        Value::Seq(items) => {
            let item = format!("{shape}[]");
            // An item is no field of its own: only what is in it counts
            // (walk counts the shape it is given as one).
            let shaped = has(&item);
            for n in items {
                if matches!(n.value, Value::Map(_) | Value::Seq(_)) {
                    walk(n, &item, fields, bit, fit);
                    fit.fields -= 1;
                    fit.fitting -= usize::from(shaped);
                }
            }
        }
        _ => {}
    }
}

/// An AI Gateway object that passed admission. Its tree is defaulted in
/// place (what the checks, routes and diff read): it still locates and
/// writes as it was written, and it moves to the output once the checks
/// are done.
#[derive(Debug)]
pub struct Admitted {
    /// The tree as read, when it is kept (`migrate` edits it).
    pub kept: Option<Node>,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub defaulted: Arc<Node>,
    pub namespace: String,
    /// `Kind namespace/name`, for diagnostics.
    pub display: String,
}

impl Admitted {
    /// The source span of a field as written (a defaulted field has none:
    /// the nearest field above it that is written).
    pub fn locate(&self, path: &crate::load::node::Path) -> crate::source::Span {
        self.defaulted.locate(path)
    }

    /// The object for the output: the tree as read when kept (it moves),
    /// else the defaulted tree, shared.
    pub fn take_original(&mut self) -> Original {
        match self.kept.take() {
            Some(tree) => Original::Tree(tree),
            None => Original::Defaulted(Arc::clone(&self.defaulted)),
        }
    }
}

/// What admission made of a run's objects.
#[derive(Debug, Default)]
pub struct Admission {
    pub admitted: Vec<Admitted>,
    /// Objects of other groups, unchanged.
    pub passthrough: Vec<Object>,
    /// (kind, namespace, name) of AI Gateway objects admission rejected:
    /// references to them are not reported again as unresolved.
    pub rejected: Vec<(String, String, String)>,
}

/// Admits every AI Gateway object of `objects` against `api`; others are
/// returned unchanged as pass-through. Objects with errors are dropped
/// from the admitted list (their diagnostics are in `out`). With
/// `keep_trees`, each admitted object keeps its tree as read beside the
/// defaulted one (`migrate` edits it).
pub fn admit(
    objects: Vec<Object>,
    selection: &Selection,
    namespace: &str,
    keep_trees: bool,
    out: &mut Vec<Diagnostic>,
) -> Admission {
    let index = Index::load().ok();
    let upgrade = history::Upgrade::after(&selection.api);
    // Boxed: every result is held until the last is done, in up to three
    // vectors (per thread, merged, in order); an object is 100 bytes and
    // more, a box 8.
    enum Checked {
        Admitted(Box<Admitted>),
        Rejected(Box<(String, String, String)>),
        Passthrough(Box<Object>),
    }
    let checked = crate::parallel::map_owned(objects, 16, |object| {
        let group = object.api_version.split_once('/').map_or("", |(g, _)| g);
        if group != AI_GATEWAY_GROUP {
            return (Checked::Passthrough(Box::new(object)), Vec::new());
        }
        let mut found = Vec::new();
        let admitted = admit_one(
            object,
            selection,
            (index, upgrade.as_ref()),
            namespace,
            keep_trees,
            &mut found,
        );
        let checked = match admitted {
            Ok(a) => Checked::Admitted(Box::new(a)),
            Err(key) => Checked::Rejected(Box::new(key)),
        };
        (checked, found)
    });
    let mut admission = Admission::default();
    let admitted = checked
        .iter()
        .filter(|(c, _)| matches!(c, Checked::Admitted(_)))
        .count();
    admission.admitted.reserve_exact(admitted);
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (result, found) in checked {
        for d in found {
            // One diagnostic per field of another release and kind, at its
            // first place: a release mismatch is one fact, not a wall. The
            // message names the field by its shape (`spec.rules[*].name`),
            // so every item and object with it shares the key.
            if d.code == Code::ReleaseField {
                let kind = d
                    .object
                    .as_deref()
                    .and_then(|o| o.split(' ').next())
                    .unwrap_or("");
                if !seen.insert((kind.to_string(), d.message.clone())) {
                    continue;
                }
            }
            out.push(d);
        }
        match result {
            Checked::Admitted(a) => admission.admitted.push(*a),
            Checked::Rejected(key) => admission.rejected.push(*key),
            Checked::Passthrough(object) => admission.passthrough.push(*object),
        }
    }
    admission
}

fn admit_one(
    object: Object,
    selection: &Selection,
    (index, upgrade): (Option<&Index>, Option<&history::Upgrade>),
    namespace: &str,
    keep_trees: bool,
    out: &mut Vec<Diagnostic>,
) -> Result<Admitted, (String, String, String)> {
    let ns = object
        .node
        .get("metadata")
        .and_then(|m| m.get_str("namespace"))
        .unwrap_or(namespace)
        .to_string();
    let display = format!("{} {ns}/{}", object.kind, object.name);
    let api = &selection.api;
    let Some(schema) = api.schema(&object.api_version, &object.kind) else {
        out.push(history::unserved(&object, api, index, &selection.why).object(display));
        return Err((object.kind, ns, object.name));
    };
    let before = out.len();
    crate::validate::metadata::check(&object.node, out);
    // Checked against the next release as written, kept for an admitted object.
    let mut hazards = Vec::new();
    if let Some(upgrade) = upgrade {
        upgrade.hazards(&object, &display, &mut hazards);
    }
    let Object {
        node,
        api_version,
        kind,
        name,
    } = object;
    // Defaulted in place, with marks: the tree as read is copied only
    // when it is kept.
    let kept = keep_trees.then(|| node.clone());
    let (mut defaulted, findings) = check::admit(node, schema);
    default_namespace(&mut defaulted, namespace);
    for unknown in &findings.unknown {
        out.push(history::unknown_field(
            &kind,
            &defaulted,
            unknown,
            api,
            index,
            &selection.why,
        ));
    }
    for v in &findings.violations {
        out.push(
            Diagnostic::new(v.code, format!("{}: {}", v.path, v.shown()))
                .at(defaulted.locate(&v.path))
                .path(&v.path),
        );
    }
    let failed = out
        .get(before..)
        .unwrap_or_default()
        .iter()
        .any(Diagnostic::is_error);
    for d in out.iter_mut().skip(before) {
        if d.object.is_none() {
            d.object = Some(display.clone());
        }
    }
    if failed {
        return Err((kind, ns, name));
    }
    out.append(&mut hazards);
    Ok(Admitted {
        kept,
        api_version,
        kind,
        name,
        defaulted: Arc::new(defaulted),
        namespace: ns,
        display,
    })
}

/// `metadata.namespace` as the API server sets it from the request's
/// namespace, marked as [`check::apply_defaults`] marks a default.
fn default_namespace(node: &mut Node, namespace: &str) {
    use crate::defaults::NamespaceSet;
    match crate::defaults::apply_namespace(node, namespace) {
        Some(NamespaceSet::Added(e)) => e.key_span = crate::source::Span::added(),
        Some(NamespaceSet::ReplacedNull(e, null)) => e.value.span = null.null_defaulted(),
        None => {}
    }
}

/// The API-server error text of each violation of `node` against `schema`
/// (`path: body`), for conformance tests and tools.
pub fn api_errors(node: &Node, schema: &schema::Schema) -> Vec<String> {
    let (_, findings) = check::admit(node.clone(), schema);
    findings
        .unknown
        .iter()
        .map(|u| format!("{}: unknown field \"{}\"", u.path, u.path))
        .chain(findings.violations.iter().map(Violation::api_text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::Path;

    /// Every path of `node`, and below each mapping one field it lacks.
    fn paths(node: &Node, at: &Path, out: &mut Vec<Path>) {
        out.push(at.clone());
        match &node.value {
            Value::Map(entries) => {
                out.push(at.key("absent"));
                for e in entries.iter() {
                    paths(&e.value, &at.key(&e.key), out);
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    paths(item, &at.index(i), out);
                }
            }
            _ => {}
        }
    }

    /// One walk's release mask says what a walk per release says: an
    /// object fits a release exactly when every field counted fits, for
    /// every AI Gateway object of testdata and every indexed release.
    #[test]
    fn one_walk_finds_the_releases_a_walk_per_release_finds() {
        let Ok(index) = Index::load() else {
            panic!("the built-in index does not load");
        };
        let mut path = String::new();
        let (mut objects, mut fitting, mut misfitting) = (0, 0, 0);
        for (label, object) in crate::testdata_objects() {
            if object.api_version.split_once('/').map(|(g, _)| g) != Some(AI_GATEWAY_GROUP) {
                continue;
            }
            objects += 1;
            let mask = fits(&object, index, &mut path);
            for release in &index.releases {
                let Some(bit) = index.bit(release) else {
                    panic!("{release} has no bit");
                };
                let fit = fit(&object, index, bit);
                let whole = fit.fitting == fit.fields;
                assert_eq!(mask & bit != 0, whole, "{label} on {release}");
                if whole {
                    fitting += 1;
                } else {
                    misfitting += 1;
                }
            }
        }
        // Both outcomes are exercised, on many objects.
        assert!(
            objects > 200 && fitting > 500 && misfitting > 500,
            "{objects} {fitting} {misfitting}"
        );
    }

    /// The one-walk mask agrees with the per-release walk on shapes the
    /// built-in index has none of today (its compaction folds them into
    /// whole subtrees): free-form maps (`{}`), anything below (`.*`),
    /// item shapes only some releases have, on generated objects.
    #[test]
    fn one_walk_agrees_on_free_form_maps_and_item_shapes() {
        let mut lines = vec![
            ("spec", 0xf),
            ("spec.a", 0x3),
            ("spec.a.x", 0x1),
            ("spec.b", 0xe),
            ("spec.b{}", 0xe),
            ("spec.b{}.y", 0x4),
            ("spec.c", 0xf),
            ("spec.c.*", 0xc),
            ("spec.c.z", 0x3),
            ("spec.d", 0xf),
            ("spec.d[]", 0x6),
            ("spec.d[].w", 0x2),
            ("spec.e", 0xf | release::WHOLE_SUBTREE),
        ];
        lines.sort();
        let text: String = lines.iter().map(|(p, m)| format!("{m:x} {p}\n")).collect();
        let fields = release::Fields::new(Box::leak(text.into_boxed_str()));
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut below = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        fn value(pick: &mut dyn FnMut(usize) -> usize, depth: usize) -> serde_json::Value {
            const KEYS: [&str; 9] = ["a", "b", "c", "d", "e", "x", "y", "z", "w"];
            match pick(if depth == 0 { 2 } else { 4 }) {
                0 => serde_json::json!("v"),
                1 if depth == 0 => serde_json::json!({}),
                1 => {
                    serde_json::Value::Array((0..pick(3)).map(|_| value(pick, depth - 1)).collect())
                }
                _ => serde_json::Value::Object(
                    (0..pick(4))
                        .map(|_| {
                            let key = KEYS.get(pick(KEYS.len())).copied().unwrap_or("q");
                            (key.to_string(), value(pick, depth - 1))
                        })
                        .collect(),
                ),
            }
        }
        let (mut agreed, mut fitting) = (0, 0);
        for _ in 0..3000 {
            let node = crate::defaults::from_json(&value(&mut below, 4), Default::default());
            let mut path = "spec".to_string();
            let mask = fits_below(&node, &mut path, &fields);
            assert_eq!(path, "spec");
            for bit in [1, 2, 4, 8] {
                let mut fit = Fit::default();
                walk(&node, "spec", &fields, bit, &mut fit);
                let whole = fit.fitting == fit.fields;
                assert_eq!(
                    mask & bit != 0,
                    whole,
                    "{:?} bit {bit} mask {mask:x} {} of {}",
                    node.to_json(),
                    fit.fitting,
                    fit.fields
                );
                agreed += 1;
                fitting += usize::from(whole);
            }
        }
        // Both outcomes, often.
        assert!(
            fitting > 1000 && agreed - fitting > 1000,
            "{fitting} of {agreed}"
        );
    }

    /// A tree defaulted in place writes, reads back and locates as the
    /// tree as read, for every AI Gateway object of testdata under every
    /// built-in release that serves it, at every path of either tree.
    #[test]
    fn a_tree_defaulted_in_place_is_still_the_tree_as_written() {
        let (mut checked, mut defaulted_fields) = (0, 0);
        for (label, object) in crate::testdata_objects() {
            for release in BUILTIN {
                let Ok(api) = release.api() else { continue };
                let Some(schema) = api.schema(&object.api_version, &object.kind) else {
                    continue;
                };
                let as_read = object.node.clone();
                let (mut defaulted, _) = check::admit(object.node.clone(), schema);
                default_namespace(&mut defaulted, "ns");
                let what = format!("{label} {}", release.line);
                assert!(defaulted.as_written() == as_read, "{what}: as written");
                assert!(
                    defaulted.written_json() == as_read.to_json(),
                    "{what}: JSON as written"
                );
                assert_eq!(
                    crate::emit::yaml::to_yaml(&defaulted),
                    crate::emit::yaml::to_yaml(&as_read),
                    "{what}: YAML"
                );
                let mut all = Vec::new();
                paths(&as_read, &Path::root(), &mut all);
                let mut only_defaulted = Vec::new();
                paths(&defaulted, &Path::root(), &mut only_defaulted);
                defaulted_fields += only_defaulted.len().saturating_sub(all.len());
                all.extend(only_defaulted);
                for path in &all {
                    assert_eq!(
                        defaulted.locate(path),
                        as_read.locate(path),
                        "{what}: {path}"
                    );
                    assert_eq!(
                        defaulted.locate_key(path),
                        as_read.locate_key(path),
                        "{what}: key of {path}"
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} objects checked");
        assert!(
            defaulted_fields > 100,
            "only {defaulted_fields} defaulted fields"
        );
    }

    #[test]
    fn an_explicit_null_namespace_or_field_is_written_as_null() {
        let text = "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {name: b, namespace: null}\nspec:\n  schema: {name: OpenAI, version: null}\n  backendRef: {name: b, kind: Backend, group: gateway.envoyproxy.io}\n";
        let files = vec![("in.yaml".to_string(), text.as_bytes().to_vec())];
        let loaded = crate::load::load_files(files).unwrap_or_default();
        let Some(object) = loaded.objects.first() else {
            panic!("no object read");
        };
        let api = Release::find("v0.5").and_then(|r| r.api().ok());
        let Some(schema) = api
            .as_ref()
            .and_then(|a| a.schema(&object.api_version, &object.kind))
        else {
            panic!("v0.5 serves AIServiceBackend");
        };
        let (mut defaulted, _) = check::admit(object.node.clone(), schema);
        default_namespace(&mut defaulted, "ns");
        assert_eq!(
            defaulted
                .get("metadata")
                .and_then(|m| m.get_str("namespace")),
            Some("ns")
        );
        assert_eq!(
            crate::emit::yaml::to_yaml(&defaulted),
            crate::emit::yaml::to_yaml(&object.node)
        );
        let namespace = Path::parse("metadata.namespace");
        assert_eq!(defaulted.locate(&namespace), object.node.locate(&namespace));
    }
}
