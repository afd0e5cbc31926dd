//! `aigw migrate`: moves manifests forward to a later release by editing
//! their source bytes.
//!
//! The input is first compiled as the release it is written for (it must
//! be valid: a migration of broken input would hide the breakage). A
//! planner then turns every change the target release needs into byte
//! [`edit::Edit`]s on the files, using the spans the loader kept, so that
//! only changed lines change: for v0.1 it walks the validated catalog,
//! for the later built-in releases the admitted objects ([`later`]).
//! Moves that cross objects or files (a backend's policy reference into
//! the policy, a backend's timeouts into the rules that use it, a route's
//! filterConfig into a GatewayConfig) are planned whole. Whatever cannot
//! be moved is a diagnostic, and then nothing is written: a migration is
//! all or nothing.

pub mod edit;
mod later;
pub mod proof;
pub mod release;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::diagnostics::{Code, Diagnostic, Report};
use crate::load::node::{Entry, Node, Path};
use crate::model::catalog::{Catalog, Item};
use crate::source::{FileId, Span};
use crate::{compile, Compiled, IoError, Options};
use edit::Edit;
pub use release::Release;
use release::{V0_3, V0_4, V0_6, V0_7};

/// The annotation by which a Gateway selects its GatewayConfig (v0.5 on).
pub use crate::routes::projection::GATEWAY_CONFIG_ANNOTATION;

/// The most rules a route may have from v0.7 on.
const MAX_RULES_V0_7: usize = 15;
/// The most parentRefs a route may have (v0.3 on).
const MAX_PARENT_REFS: usize = 16;

/// One file a migration changes.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The name shown to users, which is also its path.
    pub name: String,
    pub before: String,
    pub after: String,
    /// `before` and `after` with Secret values masked, for the diff that
    /// is shown: the edits never touch a Secret, and masking keeps every
    /// byte offset, so the same edits apply to the masked text.
    pub shown_before: String,
    pub shown_after: String,
}

/// One change, where it is and why.
#[derive(Debug, Clone)]
pub struct Move {
    pub file: String,
    pub line: usize,
    /// What moved, e.g. `AIGatewayRoute default/chat: spec.targetRefs → spec.parentRefs`.
    pub what: String,
    /// The release that made the change necessary.
    pub release: Release,
}

#[derive(Debug)]
pub struct Migration {
    /// The input, compiled as the source release.
    pub source: Compiled,
    pub from: Release,
    pub to: Release,
    /// The input is already written for `to` or later: nothing to do.
    pub up_to_date: bool,
    /// Only files that change, in input order.
    pub files: Vec<FileChange>,
    pub moves: Vec<Move>,
    /// What the user must do outside the input (e.g. annotate a Gateway
    /// that is not in it), one line each.
    pub notes: Vec<String>,
    /// Why the migration cannot be done; nothing may be written when it
    /// holds an error.
    pub report: Report,
}

impl Migration {
    /// Whether the migration can be written: the input was valid and
    /// every change could be planned and proved.
    pub fn ok(&self) -> bool {
        self.source.output.is_some() && !self.report.has_errors()
    }
}

/// Plans the migration of `paths` from `from` (detected when None: v0.1
/// or a later built-in release) to `to`; reads the files again for their
/// exact bytes (the loader masks Secret values in its copy).
pub fn migrate(
    paths: &[PathBuf],
    options: &Options,
    from: Option<Release>,
    to: Release,
) -> Result<Migration, IoError> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(IoError(
            "migrate edits files: standard input (`-`) cannot be migrated".into(),
        ));
    }
    // The planner reads the source trees of the typed objects.
    let options = &Options {
        keep_trees: true,
        ..options.clone()
    };
    let detected = from.is_none();
    let from = match from {
        Some(from) => from,
        None => detect(paths, options)?,
    };
    let builtin = from == release::V0_1 || crate::admit::Release::find(&from.to_string()).is_some();
    let mut source = if builtin {
        compile_source(paths, options, from)?
    } else {
        compile(paths, &mut std::io::empty(), options)?
    };
    // A later release detected from the fields used, but invalid there
    // (16 rules in v1.1): the newest older release the input is valid in
    // is the one it was written for.
    let mut from = from;
    if detected && from > release::V0_1 && source.output.is_none() {
        for older in crate::admit::BUILTIN.iter().rev() {
            let Some(line) = Release::parse(older.line) else {
                continue;
            };
            if line >= from || line == release::V0_1 {
                continue;
            }
            let compiled = compile_source(paths, options, line)?;
            if compiled.output.is_some() {
                (from, source) = (line, compiled);
                break;
            }
        }
    }
    // The moves name the releases; a note of the release checked adds
    // nothing, nor do warnings of the next release's hazards, which are
    // what the migration moves or refuses.
    source.release.relevant = false;
    source
        .report
        .diagnostics
        .retain(|d| d.code != Code::UpgradeHazard);
    // Written for the target already: only a v1alpha1 apiVersion could
    // change (the fields fit the target, and the input is valid there or
    // in no older release).
    let up_to_date = from > to || (from == to && !alpha_to_move(paths, options, to)?);
    let mut migration = Migration {
        source,
        from,
        to,
        up_to_date,
        files: Vec::new(),
        moves: Vec::new(),
        notes: Vec::new(),
        report: Report::default(),
    };
    if migration.up_to_date {
        return Ok(migration);
    }
    if !builtin {
        let lines: Vec<&str> = crate::admit::BUILTIN.iter().map(|r| r.line).collect();
        migration.report.push(
            Diagnostic::new(
                Code::MigrateUnsupported,
                format!(
                    "migrating from {from} is not supported: aigw migrates from the built-in releases ({})",
                    lines.join(", ")
                ),
            )
            .help("leave out --from (aigw detects the release), or name a built-in release"),
        );
        return Ok(migration);
    }
    if migration.source.output.is_none() {
        return Ok(migration);
    }
    let mut raw = BTreeMap::new();
    for id in 0..migration.source.sources.len() {
        let name = migration.source.sources.name(id).to_string();
        let text = std::fs::read_to_string(&name)
            .map_err(|e| IoError(format!("cannot read {name}: {e}")))?;
        raw.insert(id, (name, text));
    }
    // Migration keeps every tree (`keep_trees`).
    let passthrough: Vec<&Node> = migration
        .source
        .output
        .iter()
        .flat_map(|o| o.passthrough.iter().filter_map(crate::load::Original::tree))
        .collect();
    let mut planner = Planner {
        catalog: &migration.source.catalog,
        passthrough: &passthrough,
        raw: &raw,
        to,
        edits: BTreeMap::new(),
        moves: Vec::new(),
        notes: Vec::new(),
        report: Report::default(),
    };
    if from == release::V0_1 {
        planner.plan();
    } else {
        planner.plan_release(&migration.source.admitted);
    }
    let Planner {
        edits,
        moves,
        notes,
        mut report,
        ..
    } = planner;
    let mut files = Vec::new();
    for (id, (name, before)) in &raw {
        let Some(file_edits) = edits.get(id) else {
            continue;
        };
        let masked = migration
            .source
            .sources
            .get(*id)
            .map_or("", |f| f.text.as_str());
        let shown = if masked.len() == before.len() {
            masked
        } else {
            ""
        };
        match edit::apply(before, file_edits) {
            Ok(after) if after != *before => files.push(FileChange {
                name: name.clone(),
                before: before.clone(),
                after,
                shown_before: shown.to_string(),
                shown_after: edit::apply(shown, file_edits).unwrap_or_default(),
            }),
            Ok(_) => {}
            Err(at) => report.push(
                Diagnostic::new(
                    Code::MigrateLayout,
                    "two changes of the migration touch the same bytes (a YAML anchor shared by several fields?)",
                )
                .at(Span::point(*id, at))
                .help("write the shared value out at each place it is used, then run aigw migrate again"),
            ),
        }
    }
    let mut notes = notes;
    if !report.has_errors() {
        prove(&files, &mut report);
    }
    if !report.has_errors() {
        let before: Vec<(String, Vec<u8>)> = raw
            .values()
            .map(|(n, t)| (n.clone(), t.clone().into_bytes()))
            .collect();
        let after: Vec<(String, Vec<u8>)> = raw
            .values()
            .map(|(n, t)| {
                let text = files.iter().find(|f| &f.name == n).map_or(t, |f| &f.after);
                (n.clone(), text.clone().into_bytes())
            })
            .collect();
        let written: proof::Written = edits
            .iter()
            .filter_map(|(id, e)| Some((raw.get(id)?.0.clone(), edit::written_ranges(e))))
            .collect();
        report.extend(proof::prove(
            before,
            after,
            (from, to),
            &written,
            &options.namespace,
            &mut notes,
        ));
    }
    report.sort(&migration.source.sources);
    let mut moves = moves;
    moves.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    // A later release's manifests that need no edit are up to date.
    migration.up_to_date = from != release::V0_1 && files.is_empty() && !report.has_errors();
    migration.files = files;
    migration.moves = moves;
    migration.notes = notes;
    migration.report = report;
    Ok(migration)
}

/// Whether an AI Gateway object of the input is `v1alpha1` of a kind that
/// `to` serves as `v1beta1`.
fn alpha_to_move(paths: &[PathBuf], options: &Options, to: Release) -> Result<bool, IoError> {
    let Some(api) = crate::admit::Release::find(&to.to_string()).and_then(|r| r.api().ok()) else {
        return Ok(false);
    };
    let loaded = crate::load::load(paths, &mut std::io::empty(), &options.exclude)?;
    let beta = format!("{}/v1beta1", crate::load::AI_GATEWAY_GROUP);
    Ok(loaded.objects.iter().any(|o| {
        o.api_version == format!("{}/v1alpha1", crate::load::AI_GATEWAY_GROUP)
            && api.schema(&beta, &o.kind).is_some()
    }))
}

/// The input compiled as `from`, the release it is written for.
fn compile_source(
    paths: &[PathBuf],
    options: &Options,
    from: Release,
) -> Result<Compiled, IoError> {
    let source_options = Options {
        release: Some(from.to_string()),
        crds: Vec::new(),
        ..options.clone()
    };
    compile(paths, &mut std::io::empty(), &source_options)
}

/// The proof that the edits did no harm: every changed file still parses,
/// into as many documents as before plus the ones appended.
fn prove(files: &[FileChange], report: &mut Report) {
    for change in files {
        let error = if change.after.trim_start().starts_with('{') {
            serde_json::Deserializer::from_str(&change.after)
                .into_iter::<serde::de::IgnoredAny>()
                .find_map(Result::err)
                .map(|e| e.to_string())
        } else {
            let parsed =
                crate::load::yaml::parse(0, &change.after, crate::load::limits::MAX_DOCUMENTS);
            parsed.errors.first().map(|e| e.message.clone())
        };
        if let Some(error) = error {
            report.push(
                Diagnostic::new(
                    Code::MigrateProof,
                    format!(
                        "the migrated {} would not parse ({error}); nothing was written",
                        change.name
                    ),
                )
                .help("please report this with the input file: it is a bug in aigw migrate"),
            );
        }
    }
}

/// The release the manifests are written for: the newest built-in
/// release whose API has every kind, version and field they use (as
/// `aigw validate` detects it); v0.1 when there is no AI Gateway object.
fn detect(paths: &[PathBuf], options: &Options) -> Result<Release, IoError> {
    let loaded = crate::load::load(paths, &mut std::io::empty(), &options.exclude)?;
    let ours = |o: &&crate::load::Object| o.api_version.starts_with(crate::load::AI_GATEWAY_GROUP);
    if !loaded.objects.iter().any(|o| ours(&o)) {
        return Ok(release::V0_1);
    }
    // Objects that v0.1 admits are v0.1's, even when a later release
    // would take them too (v1alpha1 is served up to v1.1).
    let v0_1 = crate::admit::select(&loaded.objects, Some("v0.1"), Vec::new()).map_err(IoError)?;
    let mut found = Vec::new();
    crate::admit::admit(
        loaded.objects.clone(),
        &v0_1,
        &options.namespace,
        false,
        &mut found,
    );
    if !found.iter().any(|d| d.code == Code::ReleaseField) {
        return Ok(release::V0_1);
    }
    let selection = crate::admit::select(&loaded.objects, None, Vec::new()).map_err(IoError)?;
    Ok(selection
        .api
        .line
        .and_then(|r| Release::parse(r.line))
        .unwrap_or(release::V0_1))
}

struct Planner<'a> {
    catalog: &'a Catalog,
    /// The objects that are not AI Gateway kinds (Gateways, Backends).
    passthrough: &'a [&'a Node],
    raw: &'a BTreeMap<FileId, (String, String)>,
    to: Release,
    edits: BTreeMap<FileId, Vec<Edit>>,
    moves: Vec<Move>,
    notes: Vec<String>,
    report: Report,
}

/// What a route's filterConfig asks of its Gateway's GatewayConfig.
struct ConfigWanted {
    resources: Value,
    route: String,
    span: Span,
}

impl Planner<'_> {
    fn text(&self, file: FileId) -> &str {
        self.raw.get(&file).map_or("", |(_, t)| t.as_str())
    }

    fn file_name(&self, file: FileId) -> String {
        self.raw
            .get(&file)
            .map_or_else(String::new, |(n, _)| n.clone())
    }

    /// Records `edit` (or, when the layout is one the editor cannot
    /// change, a diagnostic at `span`) and the move it makes.
    fn edit(&mut self, span: Span, edit: Option<Edit>, what: String, release: Release) {
        match edit {
            Some(edit) => {
                self.edits.entry(span.file).or_default().push(edit);
                self.moves.push(Move {
                    file: self.file_name(span.file),
                    line: self
                        .raw
                        .get(&span.file)
                        .map_or(1, |(_, text)| crate::source::position(text, span.start()).0),
                    what,
                    release,
                });
            }
            None => self.report.push(
                Diagnostic::new(
                    Code::MigrateLayout,
                    format!("cannot edit this layout automatically: {what}"),
                )
                .at(span)
                .help("put the field on a line of its own (not the first key of a `- ` item), then run aigw migrate again"),
            ),
        }
    }

    fn plan(&mut self) {
        let catalog = self.catalog;
        let mut targets: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
        let mut configs: BTreeMap<(String, String), ConfigWanted> = BTreeMap::new();
        for route in catalog.routes.values() {
            self.api_version(&route.node(), &route.display);
            self.route(route, &mut configs);
        }
        let mut services = BTreeMap::new();
        for backend in catalog.backends.values() {
            self.api_version(&backend.node(), &backend.display);
            self.backend(backend, &mut targets, &mut services);
        }
        for policy in catalog.policies.values() {
            self.api_version(&policy.node(), &policy.display);
            let key = (policy.namespace.clone(), policy.name.clone());
            if let (Some(refs), Some(spec)) = (targets.remove(&key), policy.node().get("spec")) {
                if self.shared(spec, &policy.node(), &policy.display) {
                    continue;
                }
                let names: Vec<&str> = refs.iter().filter_map(|r| r["name"].as_str()).collect();
                let what = format!(
                    "{}: spec.targetRefs ← backendSecurityPolicyRef of {}",
                    policy.display,
                    names.join(", ")
                );
                let edit = edit::insert_entry(
                    self.text(spec.span.file),
                    spec,
                    "targetRefs",
                    &Value::Array(refs),
                );
                self.edit(policy.locate(&Path::parse("spec")), edit, what, V0_4);
            }
        }
        for ((namespace, gateway), wanted) in configs {
            self.gateway_config(&namespace, &gateway, wanted);
        }
    }

    /// Whether `node`, which an edit would add to, is written outside
    /// `owner` (a YAML alias of an anchor in another object): adding to it
    /// would change that object too, so it is a diagnostic instead.
    fn shared(&mut self, node: &Node, owner: &Node, display: &str) -> bool {
        if node.span.file == owner.span.file && node.span.start() >= owner.span.start() {
            return false;
        }
        self.report.push(
            Diagnostic::new(
                Code::MigrateLayout,
                format!("{display} uses a value written in another object (a YAML alias), and the migration must add to it"),
            )
            .object(display.to_string())
            .at(node.span)
            .help("write the shared value out at each place it is used, then run aigw migrate again"),
        );
        true
    }

    /// `aigateway.envoyproxy.io/v1alpha1` → `v1beta1` (served and stored from v0.6).
    fn api_version(&mut self, node: &Node, display: &str) {
        if self.to < V0_6 {
            return;
        }
        let Some(version) = node.get("apiVersion") else {
            return;
        };
        let edit =
            edit::replace_in_scalar(self.text(version.span.file), version, "v1alpha1", "v1beta1");
        self.edit(
            version.span,
            edit,
            format!("{display}: apiVersion v1alpha1 → v1beta1"),
            V0_6,
        );
    }

    fn route(
        &mut self,
        route: &Item<crate::model::AIGatewayRoute>,
        configs: &mut BTreeMap<(String, String), ConfigWanted>,
    ) {
        let node = route.node();
        let Some(spec) = node.get("spec") else {
            return;
        };
        let file = spec.span.file;
        let rules = route.value.spec.rules.len();
        if self.to >= V0_7 && rules > MAX_RULES_V0_7 {
            self.report.push(
                Diagnostic::new(
                    Code::MigrateLimit,
                    format!("the route has {rules} rules; {} allows at most {MAX_RULES_V0_7} per route", self.to),
                )
                .object(route.display.clone())
                .path("spec.rules")
                .at(route.locate(&Path::parse("spec.rules")))
                .help("split the route into several AIGatewayRoutes of at most 15 rules each (from v0.2 several routes may share a Gateway), or migrate to v0.6 for now"),
            );
        }
        if self.to >= V0_3 {
            if route.value.spec.target_refs.len() > MAX_PARENT_REFS {
                self.report.push(
                    Diagnostic::new(
                        Code::MigrateLimit,
                        format!(
                            "the route names {} Gateways; parentRefs holds at most {MAX_PARENT_REFS}",
                            route.value.spec.target_refs.len()
                        ),
                    )
                    .object(route.display.clone())
                    .path("spec.targetRefs")
                    .at(route.locate(&Path::parse("spec.targetRefs")))
                    .help("split the route into several AIGatewayRoutes with at most 16 Gateways each"),
                );
            }
            if let Some(entry) = spec.entry("targetRefs") {
                let edit = edit::rename_key(self.text(file), entry, "parentRefs");
                let what = format!("{}: spec.targetRefs → spec.parentRefs", route.display);
                self.edit(entry.key_span, edit, what, V0_4);
            }
        }
        if self.to >= V0_4 {
            if let Some(entry) = spec.entry("schema") {
                // Every route speaks OpenAI to clients from v0.4 on; v0.1
                // accepted nothing else, so the field goes without a trace.
                let edit = edit::remove_entry(self.text(file), entry);
                let what = format!(
                    "{}: spec.schema removed (from v0.4 every route takes the OpenAI schema, the only one v0.1 accepted)",
                    route.display
                );
                self.edit(entry.key_span, edit, what, V0_4);
            }
        }
        self.rule_timeouts(route);
        let Some(filter) = spec.entry("filterConfig") else {
            return;
        };
        if self.to >= V0_6 {
            let gateways: Vec<(String, String)> = route
                .value
                .spec
                .target_refs
                .iter()
                .map(|t| (route.namespace.clone(), t.name.clone()))
                .collect();
            self.filter_config(&route.display, &gateways, filter, configs);
        } else if self.to >= V0_3 {
            let Some(ext) = filter.value.get("externalProcessor") else {
                return;
            };
            if let Some(replicas) = ext.entry("replicas") {
                let only = ext.as_map().is_some_and(|m| m.len() == 1);
                let target = if only {
                    filter.value.entry("externalProcessor")
                } else {
                    Some(replicas)
                };
                let edit = target.and_then(|t| edit::remove_entry(self.text(file), t));
                let what = format!(
                    "{}: spec.filterConfig.externalProcessor.replicas dropped (the extproc runs beside each Envoy pod)",
                    route.display
                );
                self.edit(replicas.key_span, edit, what, V0_3);
            }
        }
    }

    /// A route's `filterConfig` (removed in v0.6) → the GatewayConfig of
    /// each Gateway in `gateways` (namespace, name), for every source
    /// release that has the field (v0.1 to v0.5). The GatewayConfigs are
    /// written once all routes are planned ([`Self::gateway_config`]).
    fn filter_config(
        &mut self,
        display: &str,
        gateways: &[(String, String)],
        filter: &Entry,
        configs: &mut BTreeMap<(String, String), ConfigWanted>,
    ) {
        let file = filter.key_span.file;
        let edit = edit::remove_entry(self.text(file), filter);
        let resources = filter.value.at(&Path::parse("externalProcessor.resources"));
        let mut what = format!("{display}: spec.filterConfig removed");
        if let Some(resources) = resources {
            what.push_str(" (externalProcessor.resources → the Gateway's GatewayConfig spec.extProc.kubernetes.resources)");
            for key in gateways {
                let wanted = ConfigWanted {
                    resources: resources.to_json(),
                    route: display.to_string(),
                    span: filter.key_span,
                };
                match configs.get(key) {
                    Some(other) if other.resources != wanted.resources => {
                        self.report.push(
                            Diagnostic::new(
                                Code::MigrateGatewayConfig,
                                format!(
                                    "{} and {display} attach to Gateway {}/{} with different extproc resources, but a Gateway has one GatewayConfig",
                                    other.route, key.0, key.1
                                ),
                            )
                            .at(filter.key_span)
                            .related("the other route's filterConfig", other.span)
                            .help("give both routes the same filterConfig.externalProcessor.resources, or move one route to another Gateway, then run aigw migrate again"),
                        );
                    }
                    Some(_) => {}
                    None => {
                        configs.insert(key.clone(), wanted);
                    }
                }
            }
        }
        if filter
            .value
            .at(&Path::parse("externalProcessor.replicas"))
            .is_some()
        {
            what.push_str("; externalProcessor.replicas dropped (v0.3 removed it: the extproc runs beside each Envoy pod)");
        }
        if filter.value.get_str("type") == Some("DynamicModule") {
            // Reserved up to v0.5: the controller deployed the extproc anyway.
            what.push_str("; type DynamicModule dropped (reserved: the extproc ran anyway)");
        }
        self.edit(filter.key_span, edit, what, V0_6);
    }

    /// Backend timeouts → the rules that use the backend (rule timeouts
    /// arrive in v0.2; backend timeouts are gone in v0.3).
    fn rule_timeouts(&mut self, route: &Item<crate::model::AIGatewayRoute>) {
        if self.to < V0_3 {
            return;
        }
        let catalog = self.catalog;
        let node = route.node();
        let rule_nodes = node
            .at(&Path::parse("spec.rules"))
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        for (i, rule) in route.value.spec.rules.iter().enumerate() {
            let refs = rule.backend_refs.as_deref().unwrap_or(&[]);
            let timeouts: Vec<(&str, Option<&crate::model::backend::Timeouts>)> = refs
                .iter()
                .map(|r| {
                    let t = catalog
                        .backend(&route.namespace, &r.name)
                        .and_then(|b| b.value.spec.timeouts.as_ref());
                    (r.name.as_str(), t)
                })
                .collect();
            let Some(first) = timeouts.iter().find_map(|(_, t)| *t) else {
                continue;
            };
            let path = Path::parse(&format!("spec.rules[{i}]"));
            if timeouts.iter().any(|(_, t)| *t != Some(first)) {
                let listed: Vec<String> = timeouts
                    .iter()
                    .map(|(name, t)| match t {
                        Some(t) => format!(
                            "{name}: request {}, backendRequest {}",
                            t.request.as_deref().unwrap_or("unset"),
                            t.backend_request.as_deref().unwrap_or("unset")
                        ),
                        None => format!("{name}: none"),
                    })
                    .collect();
                self.report.push(
                    Diagnostic::new(
                        Code::MigrateTimeouts,
                        format!(
                            "the backends of this rule have different timeouts ({}), but from v0.3 timeouts belong to the rule",
                            listed.join("; ")
                        ),
                    )
                    .object(route.display.clone())
                    .path(&path)
                    .at(route.locate(&path))
                    .help("give every backend of the rule the same timeouts (the rule gets them), or split the rule so that each backend's traffic keeps its own"),
                );
                continue;
            }
            let Some(rule_node) = rule_nodes.get(i) else {
                continue;
            };
            if self.shared(rule_node, &route.node(), &route.display) {
                continue;
            }
            let value = serde_json::to_value(first).unwrap_or(Value::Null);
            let edit = edit::insert_entry(
                self.text(rule_node.span.file),
                rule_node,
                "timeouts",
                &value,
            );
            let names: Vec<&str> = timeouts.iter().map(|(n, _)| *n).collect();
            let what = format!(
                "{}: spec.rules[{i}].timeouts ← timeouts of AIServiceBackend {}",
                route.display,
                names.join(", ")
            );
            self.edit(route.locate(&path), edit, what, V0_3);
        }
    }

    fn backend(
        &mut self,
        backend: &Item<crate::model::AIServiceBackend>,
        targets: &mut BTreeMap<(String, String), Vec<Value>>,
        services: &mut BTreeMap<(String, String), ()>,
    ) {
        let node = backend.node();
        let Some(spec) = node.get("spec") else {
            return;
        };
        let file = spec.span.file;
        if self.to >= V0_3 {
            if let (Some(entry), Some(reference)) = (
                spec.entry("backendSecurityPolicyRef"),
                &backend.value.spec.backend_security_policy_ref,
            ) {
                let edit = edit::remove_entry(self.text(file), entry);
                let what = format!(
                    "{}: spec.backendSecurityPolicyRef → targetRefs of BackendSecurityPolicy {}/{}",
                    backend.display, backend.namespace, reference.name
                );
                self.edit(entry.key_span, edit, what, V0_4);
                targets
                    .entry((backend.namespace.clone(), reference.name.clone()))
                    .or_default()
                    .push(json!({"group": crate::load::AI_GATEWAY_GROUP, "kind": "AIServiceBackend", "name": backend.name}));
            }
            if let Some(entry) = spec.entry("timeouts") {
                let edit = edit::remove_entry(self.text(file), entry);
                let what = format!(
                    "{}: spec.timeouts removed (moved to the rules that use the backend)",
                    backend.display
                );
                self.edit(entry.key_span, edit, what, V0_3);
            }
        }
        if self.to >= V0_4 {
            self.service_backend(backend, services);
        }
    }

    /// From v0.4 an AIServiceBackend must point at an Envoy Gateway
    /// Backend: a Service reference becomes a Backend with the Service's
    /// cluster DNS name, which reaches the same endpoints.
    fn service_backend(
        &mut self,
        backend: &Item<crate::model::AIServiceBackend>,
        services: &mut BTreeMap<(String, String), ()>,
    ) {
        let reference = &backend.value.spec.backend_ref;
        if reference.group == "gateway.envoyproxy.io" && reference.kind == "Backend" {
            return;
        }
        let node = backend.node();
        let Some(entry) = node.get("spec").and_then(|s| s.entry("backendRef")) else {
            return;
        };
        let (Some(port), true) = (
            reference.port,
            reference.group.is_empty() && reference.kind == "Service",
        ) else {
            self.report.push(
                Diagnostic::new(
                    Code::MigrateBackendRef,
                    format!(
                        "backendRef points at {} {}, but from v0.4 an AIServiceBackend must point at an Envoy Gateway Backend",
                        if reference.group.is_empty() { reference.kind.clone() } else { format!("{}/{}", reference.group, reference.kind) },
                        reference.name
                    ),
                )
                .object(backend.display.clone())
                .path("spec.backendRef")
                .at(entry.key_span)
                .help("create a gateway.envoyproxy.io Backend for the destination and point backendRef at it"),
            );
            return;
        };
        let namespace = reference
            .namespace
            .clone()
            .unwrap_or_else(|| backend.namespace.clone());
        let key = (namespace.clone(), reference.name.clone());
        let taken = self.passthrough.iter().any(|n| {
            n.get_str("kind") == Some("Backend")
                && n.get_str("apiVersion")
                    .is_some_and(|v| v.starts_with("gateway.envoyproxy.io/"))
                && n.at(&Path::parse("metadata.name")).and_then(Node::as_str)
                    == Some(reference.name.as_str())
                && n.at(&Path::parse("metadata.namespace"))
                    .and_then(Node::as_str)
                    .unwrap_or(&self.catalog.default_namespace)
                    == namespace
        });
        if taken {
            self.report.push(
                Diagnostic::new(
                    Code::MigrateBackendRef,
                    format!(
                        "backendRef points at Service {namespace}/{}, and the Envoy Gateway Backend that must replace it from v0.4 would take the name of a Backend already in the input",
                        reference.name
                    ),
                )
                .object(backend.display.clone())
                .path("spec.backendRef")
                .at(entry.key_span)
                .help("point backendRef at that Backend yourself (kind: Backend, group: gateway.envoyproxy.io) if it reaches the Service, or rename one of them"),
            );
            return;
        }
        let mut new_ref = serde_json::Map::new();
        new_ref.insert("name".into(), json!(reference.name));
        if let Some(ns) = &reference.namespace {
            new_ref.insert("namespace".into(), json!(ns));
        }
        new_ref.insert("kind".into(), json!("Backend"));
        new_ref.insert("group".into(), json!("gateway.envoyproxy.io"));
        let file = entry.key_span.file;
        let edit = edit::replace_entry(self.text(file), entry, &Value::Object(new_ref));
        let what = format!(
            "{}: spec.backendRef Service {namespace}/{} → Envoy Gateway Backend {namespace}/{} (its cluster DNS name and port {port})",
            backend.display, reference.name, reference.name
        );
        self.edit(entry.key_span, edit, what, V0_4);
        if services.insert(key, ()).is_none() {
            let object = json!({
                "apiVersion": "gateway.envoyproxy.io/v1alpha1",
                "kind": "Backend",
                "metadata": {"name": reference.name, "namespace": namespace},
                "spec": {"endpoints": [{"fqdn": {
                    "hostname": format!("{}.{namespace}.svc.cluster.local", reference.name),
                    "port": port,
                }}]},
            });
            let what = format!(
                "Backend {namespace}/{} added (for Service {namespace}/{})",
                reference.name, reference.name
            );
            self.append(file, object, what, V0_4);
        }
    }

    /// Adds a new document at the end of `file`.
    fn append(&mut self, file: FileId, object: Value, what: String, release: Release) {
        let text = self.text(file);
        let edit = edit::append_document(text, &object);
        let line = text.matches('\n').count() + 1;
        self.edits.entry(file).or_default().push(edit);
        self.moves.push(Move {
            file: self.file_name(file),
            line,
            what,
            release,
        });
    }

    /// A GatewayConfig with the extproc resources a route's filterConfig
    /// set, written after the route, and the Gateway's annotation that
    /// selects it (or a note when the Gateway is not in the input). A
    /// GatewayConfig the Gateway already selects in the input (v0.5 on) is
    /// kept when it says the same, and is a diagnostic when it does not.
    fn gateway_config(&mut self, namespace: &str, gateway: &str, wanted: ConfigWanted) {
        let default_ns = self.catalog.default_namespace.as_str();
        let named = |n: &&Node, group: &str, kind: &str, name: &str| {
            n.get_str("kind") == Some(kind)
                && n.get_str("apiVersion")
                    .is_some_and(|v| v.rsplit_once('/').map(|(g, _)| g) == Some(group))
                && n.at(&Path::parse("metadata.name")).and_then(Node::as_str) == Some(name)
                && n.at(&Path::parse("metadata.namespace"))
                    .and_then(Node::as_str)
                    .unwrap_or(default_ns)
                    == namespace
        };
        let found = self
            .passthrough
            .iter()
            .find(|n| named(n, "gateway.networking.k8s.io", "Gateway", gateway));
        let metadata = found.and_then(|n| n.get("metadata"));
        let annotations = metadata.and_then(|m| m.get("annotations"));
        let selected = annotations.and_then(|a| a.get_str(GATEWAY_CONFIG_ANNOTATION));
        let config_name = selected.unwrap_or(gateway);
        let existing = self.passthrough.iter().find(|n| {
            named(
                n,
                crate::load::AI_GATEWAY_GROUP,
                "GatewayConfig",
                config_name,
            )
        });
        match existing {
            Some(config) => {
                let resources = config
                    .at(&Path::parse("spec.extProc.kubernetes.resources"))
                    .map(Node::to_json);
                if resources.as_ref() != Some(&wanted.resources) {
                    self.report.push(
                        Diagnostic::new(
                            Code::MigrateGatewayConfig,
                            format!(
                                "the filterConfig of {} sets extproc resources for Gateway {namespace}/{gateway}, but GatewayConfig {namespace}/{config_name} in the input sets others",
                                wanted.route
                            ),
                        )
                        .at(wanted.span)
                        .related("the GatewayConfig", config.span)
                        .help("decide which resources the extproc gets: put them in that GatewayConfig's spec.extProc.kubernetes.resources (or make the filterConfig say the same), then run aigw migrate again"),
                    );
                    return;
                }
            }
            None => {
                if let (Some(existing), Some(annotations)) = (selected, annotations) {
                    if existing != gateway {
                        self.report.push(
                            Diagnostic::new(
                                Code::MigrateGatewayConfig,
                                format!("Gateway {namespace}/{gateway} already selects GatewayConfig {existing}, which is not in the input"),
                            )
                            .at(annotations.span)
                            .help("merge the extproc resources into that GatewayConfig and remove the route's filterConfig yourself"),
                        );
                        return;
                    }
                }
                let object = json!({
                    "apiVersion": "aigateway.envoyproxy.io/v1beta1",
                    "kind": "GatewayConfig",
                    "metadata": {"name": gateway, "namespace": namespace},
                    "spec": {"extProc": {"kubernetes": {"resources": wanted.resources}}},
                });
                let what = format!(
                    "GatewayConfig {namespace}/{gateway} added (from the filterConfig of {})",
                    wanted.route
                );
                self.append(wanted.span.file, object, what, V0_6);
            }
        }
        let Some(metadata) = metadata else {
            self.notes.push(format!(
                "Gateway {namespace}/{gateway} is not in the input: add the annotation `{GATEWAY_CONFIG_ANNOTATION}: {config_name}` to it"
            ));
            return;
        };
        if selected.is_some() {
            return;
        }
        let file = metadata.span.file;
        let what = format!(
            "Gateway {namespace}/{gateway}: annotation {GATEWAY_CONFIG_ANNOTATION}: {config_name}"
        );
        let edit = match annotations {
            Some(annotations) => edit::insert_entry(
                self.text(file),
                annotations,
                GATEWAY_CONFIG_ANNOTATION,
                &json!(config_name),
            ),
            None => edit::insert_entry(
                self.text(file),
                metadata,
                "annotations",
                &json!({GATEWAY_CONFIG_ANNOTATION: config_name}),
            ),
        };
        self.edit(metadata.span, edit, what, V0_6);
    }
}

/// A unified diff of one file change (`a/NAME`, `b/NAME`, three lines of context).
pub fn unified_diff(change: &FileChange) -> String {
    similar::TextDiff::from_lines(&change.shown_before, &change.shown_after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", change.name), &format!("b/{}", change.name))
        .to_string()
}

/// Writes every changed file, all or nothing as far as a file system
/// allows: each new text goes to a temporary file beside its target
/// first, and the renames happen only once all of them are written.
pub fn write(files: &[FileChange]) -> Result<(), IoError> {
    let mut staged = Vec::new();
    for change in files {
        let tmp = format!("{}.aigw-migrate.tmp", change.name);
        if let Err(e) = std::fs::write(&tmp, &change.after) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(IoError(format!("cannot write {}: {e}", change.name)));
        }
        staged.push((tmp, &change.name));
    }
    for (tmp, name) in staged {
        std::fs::rename(&tmp, name).map_err(|e| IoError(format!("cannot replace {name}: {e}")))?;
    }
    Ok(())
}
