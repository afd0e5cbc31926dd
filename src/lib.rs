//! aigw: an offline API server, linter and (for v0.1) compiler for Envoy
//! AI Gateway.
//!
//! The pipeline runs one way: [`load`] (files to span-carrying trees) →
//! [`admit`] (the release to check, and admission as its API server does
//! it) → [`validate`] (cross-object checks, all diagnostics collected) →
//! [`translate`] (v0.1 only: pure, one file per output kind) → [`emit`].
//! For v0.1 the typed [`model`]s, [`defaults`] and `validate`'s schema
//! checks keep their own, exact path. [`diagnostics`] is shared by every
//! stage.

pub mod admit;
pub mod defaults;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod krm;
pub mod load;
pub mod memory;
pub mod migrate;
pub mod model;
pub mod parallel;
pub mod routes;
pub mod schema;
pub mod source;
pub mod translate;
pub mod validate;

use std::io::Read;
use std::path::PathBuf;

use diagnostics::Report;
pub use load::IoError;
use source::Sources;
use translate::ExtprocOptions;

/// Every case folder of `testdata`, in name order (the unit tests that
/// hold a property over all of them).
#[cfg(test)]
pub(crate) fn testdata_cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("testdata")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// Every `testdata` case that loads, with what it loaded.
#[cfg(test)]
pub(crate) fn testdata_loaded() -> Vec<(PathBuf, load::Loaded)> {
    testdata_cases()
        .into_iter()
        .filter_map(|case| {
            let loaded = load::load(std::slice::from_ref(&case), &mut std::io::empty(), &[]);
            loaded.ok().map(|loaded| (case, loaded))
        })
        .collect()
}

/// Every object of every `testdata` case that loads, each with a label
/// for assertion messages (`case: Kind name`).
#[cfg(test)]
pub(crate) fn testdata_objects() -> Vec<(String, load::Object)> {
    testdata_loaded()
        .into_iter()
        .flat_map(|(case, loaded)| {
            loaded.objects.into_iter().map(move |object| {
                let label = format!("{}: {} {}", case.display(), object.kind, object.name);
                (label, object)
            })
        })
        .collect()
}

/// The Envoy AI Gateway releases built into aigw, oldest
/// first (what `aigw version` prints). The one place that lists them.
pub fn builtin_releases() -> Vec<&'static str> {
    admit::BUILTIN.iter().map(|r| r.version).collect()
}

/// Everything that shapes one run besides the input files.
#[derive(Debug, Clone)]
pub struct Options {
    /// Namespace for AI Gateway objects that do not set one.
    pub namespace: String,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Gitignore-style globs that directory walks leave out.
    pub exclude: Vec<String>,
    pub extproc: ExtprocOptions,
    /// The release to check (`--release`); `None` detects it.
    pub release: Option<String>,
    /// Files or folders with CustomResourceDefinitions (`--crds`).
    pub crds: Vec<PathBuf>,
    /// Whether the typed v0.1 objects keep their source trees once typed
    /// (`migrate` and `diff` read them). Without, a diagnostic that points
    /// into one reads the object again from its file: the trees were the
    /// largest part of the peak heap.
    pub keep_trees: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            namespace: "default".into(),
            strict: false,
            exclude: Vec::new(),
            extproc: ExtprocOptions::default(),
            release: None,
            crds: Vec::new(),
            keep_trees: true,
        }
    }
}

/// The result of a run: diagnostics, and the objects when there is no error.
#[derive(Debug)]
pub struct Compiled {
    pub sources: Sources,
    /// What directory walks left out, one line each (not diagnostics).
    pub skipped: Vec<load::Skipped>,
    pub report: Report,
    /// How many objects the input held (documents and List items); zero
    /// means an empty render, which the CLI refuses unless allowed.
    pub objects_read: usize,
    pub output: Option<Output>,
    /// The validated input of a v0.1 run (for `aigw routes`).
    pub catalog: model::catalog::Catalog,
    /// The release checked, and why.
    pub release: ReleaseChoice,
    /// The admitted AI Gateway objects of a run after v0.1 (for `aigw routes`).
    pub admitted: Vec<admit::Admitted>,
}

/// The API a run checked against, for the `aigw: note:` line.
#[derive(Debug, Clone)]
pub struct ReleaseChoice {
    /// `v1.1.0`, or `the CRDs given`.
    pub label: String,
    /// The built-in release line (`v1.1`), when the API is built in.
    pub line: Option<&'static str>,
    pub why: String,
    /// Whether the run had anything to check against a release (AI Gateway
    /// objects, `--release` or CRDs): only then is the choice worth a note.
    pub relevant: bool,
}

impl std::fmt::Display for ReleaseChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(_) => write!(f, "checking Envoy AI Gateway {}: {}", self.label, self.why),
            None => write!(f, "checking {}: {}", self.label, self.why),
        }
    }
}

#[derive(Debug, Default)]
pub struct Output {
    /// The input objects written unchanged, in install order (SPEC 4.1):
    /// for v0.1 the non-AI-Gateway ones, for later releases all of them.
    pub passthrough: Vec<load::Original>,
    /// The derived objects, in SPEC 4.1 order.
    pub derived: Vec<translate::Derived>,
}

impl Output {
    /// Every object to write, in output order (borrowed: emit only reads them).
    pub fn objects(&self, derived_only: bool) -> Vec<&dyn emit::AsJson> {
        let passthrough = if derived_only {
            &[][..]
        } else {
            &self.passthrough[..]
        };
        let passthrough = passthrough.iter().map(|o| o as &dyn emit::AsJson);
        passthrough
            .chain(self.derived.iter().map(|o| o as &dyn emit::AsJson))
            .collect()
    }
}

/// Runs the whole pipeline on `paths` (`-` reads `stdin`).
pub fn compile(
    paths: &[PathBuf],
    stdin: &mut dyn Read,
    options: &Options,
) -> Result<Compiled, IoError> {
    let loaded = load::load(paths, stdin, &options.exclude)?;
    compile_loaded(loaded, paths, stdin, options)
}

/// Runs the pipeline on files given as bytes (`aigw diff --git`: the blobs
/// of a revision), named as a walk would name them.
pub fn compile_files(
    files: Vec<(String, Vec<u8>)>,
    options: &Options,
) -> Result<Compiled, IoError> {
    compile_loaded(
        load::load_files(files)?,
        &[],
        &mut std::io::empty(),
        options,
    )
}

/// Every stage after loading (`paths` and `stdin` for `--crds -`).
fn compile_loaded(
    loaded: load::Loaded,
    paths: &[PathBuf],
    stdin: &mut dyn Read,
    options: &Options,
) -> Result<Compiled, IoError> {
    let mut diagnostics = loaded.diagnostics;
    let objects_read = loaded.objects.len();
    let mut crds = input_crds(&loaded.objects, &mut diagnostics);
    crds.extend(flag_crds(&options.crds, paths, stdin)?);
    let selection =
        admit::select(&loaded.objects, options.release.as_deref(), crds).map_err(IoError)?;
    let release = ReleaseChoice {
        label: selection.api.label.clone(),
        line: selection.api.line.map(|r| r.line),
        why: selection.why.clone(),
        relevant: options.release.is_some()
            || selection.api.line.is_none()
            || loaded.objects.iter().any(|o| {
                o.api_version.split_once('/').map(|(g, _)| g) == Some(load::AI_GATEWAY_GROUP)
            }),
    };
    if !selection.api.is_v0_1() {
        return Ok(compile_release(
            loaded.sources,
            loaded.skipped,
            loaded.objects,
            diagnostics,
            &selection,
            release,
            options,
        ));
    }
    let trees = match options.keep_trees {
        true => validate::Trees::Keep,
        false => validate::Trees::Drop(&loaded.sources),
    };
    let mut catalog =
        validate::build_catalog(loaded.objects, &options.namespace, trees, &mut diagnostics);
    validate::check_catalog(&catalog, &mut diagnostics);
    if let Ok(index) = admit::Index::load() {
        for d in &mut diagnostics {
            admit::history::explain_v0_1_unknown(d, &selection.api, index, &selection.why);
        }
    }

    let mut report = Report::default();
    report.extend(diagnostics);
    let mut rendered = Vec::new();
    if !report.has_errors() {
        rendered = translate::translate(&catalog, &options.extproc);
        let mut late = Vec::new();
        validate::output::check_rendered(&rendered, &catalog, &mut late);
        report.extend(late);
    }
    if options.strict {
        report.promote_warnings();
    }
    report.sort(&loaded.sources);
    // Whatever way a Secret value took into a diagnostic, it ends here.
    report.seal(&loaded.sources.taint);
    let output = (!report.has_errors()).then(|| {
        // The checks are done: the pass-through trees move to the output.
        let mut passthrough: Vec<load::Original> = std::mem::take(&mut catalog.passthrough_nodes)
            .into_iter()
            .map(load::Original::Tree)
            .collect();
        emit::order::sort_for_install(&mut passthrough);
        Output {
            passthrough,
            derived: rendered.into_iter().map(|r| r.value).collect(),
        }
    });
    Ok(Compiled {
        sources: loaded.sources,
        skipped: loaded.skipped,
        report,
        objects_read,
        output,
        catalog,
        release,
        admitted: Vec::new(),
    })
}

/// A run on a release after v0.1: the controller creates its objects and
/// the xDS in-cluster, so the output is the validated input, unchanged, in
/// install order.
fn compile_release(
    sources: Sources,
    skipped: Vec<load::Skipped>,
    objects: Vec<load::Object>,
    mut diagnostics: Vec<diagnostics::Diagnostic>,
    selection: &admit::Selection,
    release: ReleaseChoice,
    options: &Options,
) -> Compiled {
    let objects_read = objects.len();
    let admit::Admission {
        admitted,
        passthrough,
        rejected,
    } = admit::admit(
        objects,
        selection,
        &options.namespace,
        options.keep_trees,
        &mut diagnostics,
    );
    validate::release::check(
        &admitted,
        &passthrough,
        &rejected,
        &options.namespace,
        &selection.api,
        &mut diagnostics,
    );
    // Clashes are keyed by identity, which the defaulted trees give as the
    // trees as read do (the namespace defaulted is the one kubectl gives).
    let inputs = passthrough.iter().map(|o| &o.node);
    validate::clashes::check_inputs(
        inputs.chain(admitted.iter().map(|a| &*a.defaulted)),
        &options.namespace,
        &mut diagnostics,
    );
    // The checks are done: the objects move to the output (routes and diff
    // read the defaulted trees).
    let mut admitted = admitted;
    let mut unchanged: Vec<load::Original> = passthrough
        .into_iter()
        .map(|o| load::Original::Tree(o.node))
        .collect();
    unchanged.extend(admitted.iter_mut().map(admit::Admitted::take_original));
    let mut report = Report::default();
    report.extend(diagnostics);
    if options.strict {
        report.promote_warnings();
    }
    report.sort(&sources);
    // As in `compile`: no Secret value leaves in a diagnostic.
    report.seal(&sources.taint);
    let output = (!report.has_errors()).then(|| {
        emit::order::sort_for_install(&mut unchanged);
        Output {
            passthrough: unchanged,
            derived: Vec::new(),
        }
    });
    Compiled {
        sources,
        skipped,
        report,
        objects_read,
        output,
        catalog: model::catalog::Catalog {
            default_namespace: options.namespace.clone(),
            ..Default::default()
        },
        release,
        admitted,
    }
}

/// The AI Gateway CRDs among the input objects; one that cannot be read
/// is an AIGW022 error.
fn input_crds(objects: &[load::Object], out: &mut Vec<diagnostics::Diagnostic>) -> Vec<admit::Crd> {
    let mut crds = Vec::new();
    for object in objects {
        if object.kind != "CustomResourceDefinition"
            || !object.api_version.starts_with("apiextensions.k8s.io/")
            || object.node.get("spec").and_then(|s| s.get_str("group"))
                != Some(load::AI_GATEWAY_GROUP)
        {
            continue;
        }
        match admit::Crd::from_object(object.node.to_json()) {
            Ok(crd) => crds.push(crd),
            Err(e) => out.push(
                diagnostics::Diagnostic::new(
                    diagnostics::Code::InvalidCrd,
                    format!("CustomResourceDefinition {}: {e}", object.name),
                )
                .at(object.node.span)
                .object(format!("CustomResourceDefinition {}", object.name)),
            ),
        }
    }
    crds
}

/// The AI Gateway CRDs of `--crds` (files, folders, or `-`); anything
/// unreadable there is a usage error.
fn flag_crds(
    crd_paths: &[PathBuf],
    paths: &[PathBuf],
    stdin: &mut dyn Read,
) -> Result<Vec<admit::Crd>, IoError> {
    if crd_paths.is_empty() {
        return Ok(Vec::new());
    }
    let dash = |p: &PathBuf| p.as_os_str() == "-";
    if crd_paths.iter().any(dash) && paths.iter().any(dash) {
        return Err(IoError(
            "--crds - and the input - cannot both read standard input".into(),
        ));
    }
    let loaded = load::load(crd_paths, stdin, &[])?;
    if let Some(d) = loaded.diagnostics.iter().find(|d| d.is_error()) {
        let at = d
            .span
            .map(|s| loaded.sources.name(s.file).to_string())
            .unwrap_or_default();
        return Err(IoError(format!("--crds: {at}: {}", d.message)));
    }
    let mut out = Vec::new();
    let crds = input_crds(&loaded.objects, &mut out);
    if let Some(d) = out.first() {
        return Err(IoError(format!("--crds: {}", d.message)));
    }
    if crds.is_empty() {
        return Err(IoError(format!(
            "--crds: no {} CustomResourceDefinition in {}",
            load::AI_GATEWAY_GROUP,
            crd_paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(crds)
}
