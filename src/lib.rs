//! aigw: an offline compiler for Envoy AI Gateway (v0.1).
//!
//! The pipeline runs one way: [`load`] (files to span-carrying trees) →
//! [`model`] (typed input kinds) → [`defaults`] → [`validate`] (all
//! diagnostics collected) → [`translate`] (pure, one file per output kind) →
//! [`emit`]. [`diagnostics`] is shared by every stage.

pub mod admit;
pub mod defaults;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod krm;
pub mod load;
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            namespace: "default".into(),
            strict: false,
            exclude: Vec::new(),
            extproc: ExtprocOptions::default(),
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
    pub output: Option<Output>,
    /// The validated input (for `aigw routes`).
    pub catalog: model::catalog::Catalog,
}

#[derive(Debug, Default)]
pub struct Output {
    /// Non-AI-Gateway objects, unchanged, in install order (SPEC 4.1), as
    /// read: written from their source trees.
    pub passthrough: Vec<load::node::Node>,
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
    Ok(compile_loaded(loaded, options))
}

/// Runs the pipeline on files given as bytes (`aigw diff --git`: the blobs
/// of a revision), named as a walk would name them.
pub fn compile_files(
    files: Vec<(String, Vec<u8>)>,
    options: &Options,
) -> Result<Compiled, IoError> {
    Ok(compile_loaded(load::load_files(files)?, options))
}

/// Every stage after loading.
pub fn compile_loaded(loaded: load::Loaded, options: &Options) -> Compiled {
    let mut diagnostics = loaded.diagnostics;
    let mut catalog = validate::build_catalog(loaded.objects, &options.namespace, &mut diagnostics);
    validate::check_catalog(&catalog, &mut diagnostics);

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
    let output = (!report.has_errors()).then(|| {
        // The checks are done: the pass-through trees move to the output.
        let mut passthrough = std::mem::take(&mut catalog.passthrough_nodes);
        emit::order::sort_for_install(&mut passthrough);
        Output {
            passthrough,
            derived: rendered.into_iter().map(|r| r.value).collect(),
        }
    });
    Compiled {
        sources: loaded.sources,
        skipped: loaded.skipped,
        report,
        output,
        catalog,
    }
}
