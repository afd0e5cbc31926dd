//! One side of `aigw diff`: read, validated with its own release, and
//! reduced to what the diff compares.
//!
//! The release is detected per side (as `aigw validate` detects it). v0.1
//! runs the whole v0.1 pipeline, so its rendered output can be compared;
//! any other release is admitted against its built-in CRDs, and its input
//! objects are compared. The routing of every release is the one
//! projection of `routes` ([`crate::routes::projection`]), in one shape
//! for two releases alike (a migration's diff shows no routing change).

use std::path::PathBuf;

use serde_json::Value;

use crate::diagnostics::Report;
use crate::load::{self, AI_GATEWAY_GROUP};
use crate::source::Sources;
use crate::{IoError, Options};

/// Where a side's files come from.
pub enum Input<'a> {
    Paths(&'a [PathBuf]),
    /// Files as bytes: the blobs of a git revision.
    Files(Vec<(String, Vec<u8>)>),
}

pub struct Side {
    pub label: String,
    /// The release line checked (`v0.1`, `v1.1`, or the CRDs given).
    pub release: String,
    pub sources: Sources,
    pub skipped: Vec<load::Skipped>,
    pub report: Report,
    /// None when the side is invalid.
    pub view: Option<View>,
}

/// What the diff compares of one valid side.
pub struct View {
    /// `{"gateways": [...]}`: the JSON form of the routing projection.
    pub routing: Value,
    /// The rendered output (v0.1 only).
    pub rendered: Option<Vec<Value>>,
    /// The input objects, as validated (defaulted, for releases after v0.1).
    pub inputs: Vec<Value>,
    /// The same objects as written, before defaulting: a field only one
    /// side's defaulting added is no change (see [`super::objects`]).
    pub written: Vec<Value>,
}

/// Reads and validates one side, with the release `aigw validate`
/// would pick for it (or `options.release`).
pub fn load_side(label: &str, input: Input<'_>, options: &Options) -> Result<Side, IoError> {
    let compiled = match input {
        Input::Paths(paths) => crate::compile(paths, &mut std::io::empty(), options)?,
        Input::Files(files) => crate::compile_files(files, options)?,
    };
    let release = compiled
        .release
        .line
        .map_or_else(|| compiled.release.label.clone(), String::from);
    let v0_1 = compiled.release.line == Some(crate::admit::release::V0_1);
    let view = compiled.output.as_ref().map(|output| {
        let mut inputs: Vec<Value> = Vec::new();
        let mut written: Vec<Value> = Vec::new();
        let rendered = if v0_1 {
            let catalog = &compiled.catalog;
            inputs.extend(catalog.routes.values().map(|i| i.node().to_json()));
            inputs.extend(catalog.backends.values().map(|i| i.node().to_json()));
            inputs.extend(catalog.policies.values().map(|i| i.node().to_json()));
            inputs.extend(
                output
                    .passthrough
                    .iter()
                    .map(crate::load::Original::to_json),
            );
            written.clone_from(&inputs);
            Some(
                output
                    .objects(false)
                    .iter()
                    .map(|o| o.as_json().into_owned())
                    .collect(),
            )
        } else {
            // The admitted objects as defaulted; the rest as read.
            inputs.extend(compiled.admitted.iter().map(|a| a.defaulted.to_json()));
            let ours = |v: &Value| {
                v.get("apiVersion")
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.split('/').next() == Some(AI_GATEWAY_GROUP))
            };
            // The pass-through holds every source tree, AI Gateway ones too.
            written.extend(
                output
                    .passthrough
                    .iter()
                    .map(crate::load::Original::to_json),
            );
            inputs.extend(written.iter().filter(|v| !ours(v)).cloned());
            None
        };
        View {
            routing: crate::routes::projection::project(&inputs, &options.namespace).to_json(),
            rendered,
            inputs,
            written,
        }
    });
    Ok(Side {
        label: label.to_string(),
        release,
        sources: compiled.sources,
        skipped: compiled.skipped,
        report: compiled.report,
        view,
    })
}
