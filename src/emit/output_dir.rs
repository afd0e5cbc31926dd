//! `render --output-dir DIR`: one file per object plus a `kustomization.yaml`.
//!
//! Layout: `DIR/<namespace>/<kind>-<name>.yaml`; objects without
//! `metadata.namespace` (cluster-scoped ones, or namespaced ones left to the
//! namespace of the `kubectl apply`) go to `DIR/_cluster/`. Names are
//! lowercased and reduced to `[a-z0-9._-]`, so they are safe on every file
//! system; a clash gets a numeric suffix, in stream order, so names are stable.
//!
//! The folder is written beside DIR and renamed into place, so a reader never
//! sees half of it and a failed run leaves nothing behind. A marker file tells
//! a folder aigw wrote (replaced on the next run) from one it did not (never
//! touched).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{emit, AsJson, OutputFormat};
use crate::IoError;

/// Present in every folder aigw writes; its absence protects a user's folder.
pub const MARKER: &str = ".aigw-output";
/// Folder of the objects without `metadata.namespace`.
pub const CLUSTER_FOLDER: &str = "_cluster";

const MARKER_TEXT: &str = "This folder is written by `aigw render --output-dir`.\n\
aigw replaces it whole on every run: do not edit the files in it.\n\
Remove this file to stop aigw from overwriting the folder.\n";

/// The relative file path of every object, in stream order.
pub fn file_names<V: AsJson>(objects: &[V], format: OutputFormat) -> Vec<String> {
    let extension = match format {
        OutputFormat::Yaml => "yaml",
        OutputFormat::Json => "json",
    };
    let mut taken = BTreeSet::new();
    objects
        .iter()
        .map(|object| {
            let object = object.as_json();
            let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
            let metadata = object.get("metadata");
            let namespace = text(metadata.and_then(|m| m.get("namespace")));
            let folder = if namespace.is_empty() {
                CLUSTER_FOLDER.to_string()
            } else {
                safe_name(&namespace)
            };
            let stem = format!(
                "{}-{}",
                safe_name(&text(object.get("kind"))),
                safe_name(&text(metadata.and_then(|m| m.get("name"))))
            );
            let mut name = format!("{folder}/{stem}.{extension}");
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{folder}/{stem}-{n}.{extension}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Lowercase, `[a-z0-9._-]` only, never empty, never starting with a dot.
fn safe_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '.' | '-' | '_') => c,
            _ => '_',
        })
        .collect();
    if out.is_empty() || out.starts_with('.') {
        out.insert(0, '_');
    }
    out
}

fn kustomization(files: &[String]) -> String {
    let mut out = String::from(
        "# Written by `aigw render --output-dir`; the resources are in apply order.\n\
         apiVersion: kustomize.config.k8s.io/v1beta1\n\
         kind: Kustomization\n\
         resources:\n",
    );
    for file in files {
        out.push_str("- ");
        out.push_str(file);
        out.push('\n');
    }
    out
}

/// Writes `objects` into `dir` (see the module documentation).
pub fn write<V: AsJson>(dir: &Path, objects: &[V], format: OutputFormat) -> Result<usize, IoError> {
    let shown = dir.display();
    let existing = match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            let owned = dir.join(MARKER).is_file();
            let empty = fs::read_dir(dir)
                .map_err(|e| IoError(format!("cannot read {shown}: {e}")))?
                .next()
                .is_none();
            if !owned && !empty {
                return Err(IoError(format!(
                    "{shown} exists and was not written by aigw (no {MARKER} file in it); \
                     refusing to overwrite it: choose another --output-dir or remove the folder"
                )));
            }
            true
        }
        Ok(_) => {
            return Err(IoError(format!(
                "{shown} exists and is not a folder; refusing to overwrite it"
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(IoError(format!("cannot read {shown}: {e}"))),
    };
    let staging = beside(dir, "new")?;
    let result = fill(&staging, objects, format).and_then(|()| swap_in(dir, &staging, existing));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| objects.len())
}

/// A fresh path next to `dir` (same file system, so rename works).
fn beside(dir: &Path, what: &str) -> Result<PathBuf, IoError> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "..")
        .ok_or_else(|| IoError(format!("--output-dir {}: not a folder name", dir.display())))?;
    let parent = dir.parent().unwrap_or(Path::new(""));
    Ok(parent.join(format!(".{name}.aigw-{what}-{}", std::process::id())))
}

fn fill<V: AsJson>(staging: &Path, objects: &[V], format: OutputFormat) -> Result<(), IoError> {
    let io =
        |path: &Path, e: std::io::Error| IoError(format!("cannot write {}: {e}", path.display()));
    let _ = fs::remove_dir_all(staging);
    fs::create_dir_all(staging).map_err(|e| io(staging, e))?;
    let files = file_names(objects, format);
    for (object, file) in objects.iter().zip(&files) {
        let path = staging.join(file);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
        }
        let text = match format {
            OutputFormat::Yaml => emit(std::slice::from_ref(object), format),
            OutputFormat::Json => {
                let mut text = serde_json::to_string_pretty(&*object.as_json()).unwrap_or_default();
                text.push('\n');
                text
            }
        };
        fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    let path = staging.join("kustomization.yaml");
    fs::write(&path, kustomization(&files)).map_err(|e| io(&path, e))?;
    let path = staging.join(MARKER);
    fs::write(&path, MARKER_TEXT).map_err(|e| io(&path, e))
}

/// Renames `staging` to `dir`, moving an existing `dir` aside first and
/// back again if the rename fails.
fn swap_in(dir: &Path, staging: &Path, existing: bool) -> Result<(), IoError> {
    let fail = |e: std::io::Error| IoError(format!("cannot replace {}: {e}", dir.display()));
    if !existing {
        return fs::rename(staging, dir).map_err(fail);
    }
    let old = beside(dir, "old")?;
    let _ = fs::remove_dir_all(&old);
    fs::rename(dir, &old).map_err(fail)?;
    if let Err(e) = fs::rename(staging, dir) {
        let _ = fs::rename(&old, dir);
        return Err(fail(e));
    }
    fs::remove_dir_all(&old).map_err(|e| {
        IoError(format!(
            "cannot remove the previous output {}: {e}",
            old.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_safe_stable_and_unique() {
        let objects = [
            json!({"kind": "Namespace", "metadata": {"name": "ai"}}),
            json!({"kind": "HTTPRoute", "metadata": {"name": "chat", "namespace": "ai"}}),
            json!({"kind": "ClusterRole", "metadata": {"name": "system:Aggregate/../x"}}),
            json!({"kind": "HTTPRoute", "metadata": {"name": "chat", "namespace": "ai"}}),
            json!({"kind": "ConfigMap", "metadata": {"name": "x", "namespace": ".."}}),
        ];
        assert_eq!(
            file_names(&objects.iter().collect::<Vec<_>>(), OutputFormat::Yaml),
            [
                "_cluster/namespace-ai.yaml",
                "ai/httproute-chat.yaml",
                "_cluster/clusterrole-system_aggregate_.._x.yaml",
                "ai/httproute-chat-2.yaml",
                "_../configmap-x.yaml",
            ]
        );
        assert_eq!(safe_name(""), "_");
        assert_eq!(safe_name(".hidden"), "_.hidden");
    }
}
