//! Which files the PATH arguments stand for.
//!
//! Directories are walked with the `ignore` crate (ripgrep's walker):
//! entries sorted by file name, hidden entries skipped, symlinks not
//! followed, `--exclude` globs applied, only `*.yaml`, `*.yml` and `*.json`
//! kept, and only regular files opened (a FIFO named `x.yaml` must not hang
//! the walk). `.gitignore` and `.ignore` files are honoured inside the
//! walked directory, in a git repository or not; files above it and the
//! user's global excludes are not read, so the result depends only on the
//! tree itself (a home folder's `.gitignore` of `*` would otherwise hide
//! everything). A folder holding a `Chart.yaml` is a Helm chart and is
//! skipped whole.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use super::IoError;

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Named on the command line (not found by a walk): a file that holds
    /// no manifest is then an error, not a skip.
    pub explicit: bool,
}

/// A file or folder a walk left out, and why; printed as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
    /// The reason without the path, for a summary of many skips of one
    /// kind: a plural noun phrase ("Helm charts; render each ...").
    pub group: &'static str,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "skipped {}: {}", self.path, self.reason)
    }
}

/// The name shown to users: the path as given, without a leading `./`.
pub fn display(path: &Path) -> String {
    let name = path.display().to_string();
    match name.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => name,
    }
}

pub fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// A folder with a `Chart.yaml` is a Helm chart.
pub fn is_chart(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file()
}

/// The chart a file belongs to as one of its templates
/// (`CHART/templates/...`), if any.
pub fn chart_of_template(file: &Path) -> Option<PathBuf> {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d.file_name().is_some_and(|n| n == "templates") {
            if let Some(chart) = d.parent().filter(|c| is_chart(c)) {
                return Some(chart.to_path_buf());
            }
        }
        dir = d.parent();
    }
    None
}

/// The files that `path` stands for, each once across the run (`seen`
/// holds the canonical paths read so far: a file reached twice, by two
/// arguments or through a walk, is read once), and what the walk skipped.
pub fn inputs(
    path: &Path,
    exclude: &[String],
    seen: &mut HashSet<PathBuf>,
) -> Result<(Vec<Input>, Vec<Skipped>), IoError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| IoError(format!("cannot read {}: {e}", path.display())))?;
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    if !meta.is_dir() {
        let identity = canonical(path);
        push_once(&mut files, seen, path.to_path_buf(), identity, true);
        return Ok((files, skipped));
    }
    if is_chart(path) {
        return Err(IoError(format!(
            "{} is a Helm chart, not manifests; {}",
            display(path),
            super::classify::helm_hint(Some(&display(path)))
        )));
    }
    // The walk follows no link below the root, so a file's canonical path
    // is the root's and the rest of its path: one canonicalisation per
    // walk, not one per file (a readlink for each part of each path was a
    // tenth of a 60,000-file run).
    let root = canonical(path);
    for file in walk(path, exclude, &mut skipped)? {
        let identity = match file.strip_prefix(path) {
            Ok(below) => root.join(below),
            Err(_) => canonical(&file),
        };
        push_once(&mut files, seen, file, identity, false);
    }
    Ok((files, skipped))
}

/// A path's identity across the run; one that cannot be canonicalised (a
/// pipe such as /dev/fd/63) is its own.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn push_once(
    files: &mut Vec<Input>,
    seen: &mut HashSet<PathBuf>,
    path: PathBuf,
    identity: PathBuf,
    explicit: bool,
) {
    if seen.insert(identity) {
        files.push(Input { path, explicit });
    }
}

fn walk(
    root: &Path,
    exclude: &[String],
    skipped: &mut Vec<Skipped>,
) -> Result<Vec<PathBuf>, IoError> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| IoError(format!("invalid --exclude glob {glob:?}: {e}")))?;
    }
    let overrides = overrides
        .build()
        .map_err(|e| IoError(format!("invalid --exclude glob: {e}")))?;
    let charts = Arc::new(Mutex::new(Vec::new()));
    let found_charts = Arc::clone(&charts);
    let outputs = Arc::new(Mutex::new(Vec::new()));
    let found_outputs = Arc::clone(&outputs);
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .ignore(true)
        .git_ignore(true)
        .require_git(false)
        .parents(false)
        .follow_links(false)
        .overrides(overrides)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            let chart = entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && is_chart(entry.path());
            if chart {
                if let Ok(mut charts) = found_charts.lock() {
                    charts.push(entry.path().to_path_buf());
                }
            }
            // aigw's own output (`render --output-dir`) beside the sources
            // would clash with them object for object.
            let output = entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && is_aigw_output(entry.path());
            if output {
                if let Ok(mut outputs) = found_outputs.lock() {
                    outputs.push(entry.path().to_path_buf());
                }
            }
            !chart && !output
        })
        .build();
    let mut files = Vec::new();
    for entry in walker {
        // A folder the filter just left out is reported where it sits.
        report_charts(&charts, skipped);
        report_outputs(&outputs, skipped);
        let entry = entry.map_err(|e| IoError(format!("cannot walk {}: {e}", root.display())))?;
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        // The root was named on the command line: a symlink there is followed.
        if file_type.is_dir() || entry.depth() == 0 {
            continue;
        }
        if file_type.is_symlink() {
            let target = std::fs::metadata(path).ok();
            if target.as_ref().is_some_and(|m| m.is_dir()) || is_manifest_name(path) {
                skipped.push(Skipped {
                    path: display(path),
                    reason: "a symbolic link, not followed in a directory walk (name its target to read it)".into(),
                    group: "symbolic links, not followed in a directory walk (name a target to read it)",
                });
            }
            continue;
        }
        if !is_manifest_name(path) {
            continue;
        }
        if !file_type.is_file() {
            skipped.push(Skipped {
                path: display(path),
                reason: "not a regular file".into(),
                group: "files that are not regular files",
            });
            continue;
        }
        files.push(entry.into_path());
    }
    report_charts(&charts, skipped);
    report_outputs(&outputs, skipped);
    Ok(files)
}

/// A folder that `aigw render --output-dir` wrote (it holds the marker).
pub fn is_aigw_output(dir: &Path) -> bool {
    dir.join(crate::emit::output_dir::MARKER).is_file()
}

fn report_outputs(outputs: &Mutex<Vec<PathBuf>>, skipped: &mut Vec<Skipped>) {
    if let Ok(mut outputs) = outputs.lock() {
        for dir in outputs.drain(..) {
            skipped.push(Skipped {
                path: format!("{}/", display(&dir)),
                reason: format!(
                    "aigw's own output (it holds {}); name the folder to read it",
                    crate::emit::output_dir::MARKER
                ),
                group: "folders of aigw's own output (`render --output-dir`)",
            });
        }
    }
}

fn report_charts(charts: &Mutex<Vec<PathBuf>>, skipped: &mut Vec<Skipped>) {
    if let Ok(mut charts) = charts.lock() {
        for chart in charts.drain(..) {
            let name = display(&chart);
            skipped.push(Skipped {
                reason: format!("a Helm chart; {}", super::classify::helm_hint(Some(&name))),
                path: format!("{name}/"),
                group: "Helm charts (folders with Chart.yaml); render each first: `helm template CHART | aigw render -`",
            });
        }
    }
}
