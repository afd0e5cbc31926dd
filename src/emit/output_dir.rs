//! `render --output-dir DIR`: one file per object plus a `kustomization.yaml`.
//!
//! Layout: `DIR/<namespace>/<kind>-<name>.yaml`; objects without
//! `metadata.namespace` (cluster-scoped ones, or namespaced ones left to the
//! namespace of the `kubectl apply`) go to `DIR/_cluster/`. Names are
//! lowercased and reduced to `[a-z0-9._-]`, so they are safe on every file
//! system; a clash gets a numeric suffix, in stream order, so names are stable.
//!
//! The folder is written beside DIR, under a random name created
//! exclusively, checked file by file, and renamed into place under a lock
//! on DIR's parent folder, so a reader never sees half of it, a failed run
//! leaves nothing behind, and concurrent runs (even with the same process
//! id, in other PID namespaces) never touch each other's files. What a
//! killed run left beside DIR is removed by the next run. A marker file
//! tells a folder aigw wrote (replaced on the next run) from one it did not
//! (never touched).

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
    // Fails early, before the work; checked again under the lock.
    check_target(dir)?;
    let (staging, _held) = create_staging(dir)?;
    let result = fill(&staging, objects, format).and_then(|expected| {
        let _lock = lock_parent(dir)?;
        let existing = check_target(dir)?;
        remove_leftovers(dir, &staging);
        verify(&staging, &expected)?;
        swap_in(dir, &staging, existing)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| objects.len())
}

/// Whether `dir` exists (as a folder aigw wrote, or an empty one); an
/// error for anything else, which aigw never overwrites.
fn check_target(dir: &Path) -> Result<bool, IoError> {
    let shown = dir.display();
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            let owned = fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file());
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
            Ok(true)
        }
        Ok(_) => Err(IoError(format!(
            "{shown} exists and is not a folder; refusing to overwrite it"
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(IoError(format!("cannot read {shown}: {e}"))),
    }
}

/// The name of `dir` and its parent: temporary folders go beside it (same
/// file system, so rename works).
fn name_and_parent(dir: &Path) -> Result<(String, &Path), IoError> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "..")
        .ok_or_else(|| IoError(format!("--output-dir {}: not a folder name", dir.display())))?;
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    Ok((name, parent.unwrap_or(Path::new("."))))
}

/// The prefix of the temporary folders of `dir`: `.NAME.aigw-new-` or
/// `.NAME.aigw-old-`, then a random suffix.
fn prefix(name: &str, what: &str) -> String {
    format!(".{name}.aigw-{what}-")
}

/// A random suffix: a process id is not unique across PID namespaces
/// (containers sharing a volume), so two runs could share a name.
fn random_suffix() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    format!("{:016x}", hasher.finish())
}

/// Creates a fresh folder beside `dir`, exclusively (creating a folder
/// fails if the name exists), and holds a lock on it for the whole run, so
/// that another run's cleanup can tell it from a killed run's leftover.
fn create_staging(dir: &Path) -> Result<(PathBuf, fs::File), IoError> {
    let (name, parent) = name_and_parent(dir)?;
    let mut last = None;
    for _ in 0..16 {
        let path = parent.join(format!("{}{}", prefix(&name, "new"), random_suffix()));
        match fs::create_dir(&path) {
            Ok(()) => {
                let held = fs::File::open(&path).and_then(|f| f.lock().map(|()| f));
                match held {
                    // Another run's cleanup may have taken the folder in the
                    // moment before it was locked: then take another name.
                    Ok(_) if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) => continue,
                    Ok(held) => return Ok((path, held)),
                    Err(e) => {
                        let _ = fs::remove_dir_all(&path);
                        return Err(IoError(format!("cannot lock {}: {e}", path.display())));
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(IoError(format!("cannot write {}: {e}", path.display()))),
        }
    }
    let e = last.map_or(String::new(), |e| e.to_string());
    Err(IoError(format!(
        "cannot create a folder beside {}: {e}",
        dir.display()
    )))
}

/// An exclusive lock on the folder that holds `dir`, for the check and the
/// swap: two runs never move the same folders at once. Released when the
/// file is dropped, or when the process dies.
fn lock_parent(dir: &Path) -> Result<fs::File, IoError> {
    let (_, parent) = name_and_parent(dir)?;
    fs::File::open(parent)
        .and_then(|f| f.lock().map(|()| f))
        .map_err(|e| IoError(format!("cannot lock {}: {e}", parent.display())))
}

/// Removes what killed runs left beside `dir`: an `old` folder (only ever
/// there during a swap, which holds the lock this caller holds) and a
/// `new` folder whose run is gone (its lock is free). A folder of a run
/// still writing is locked and stays; symlinks are never followed.
fn remove_leftovers(dir: &Path, own: &Path) {
    let Ok((name, parent)) = name_and_parent(dir) else {
        return;
    };
    let (new, old) = (prefix(&name, "new"), prefix(&name, "old"));
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir || path == own {
            continue;
        }
        let abandoned = file_name.starts_with(&old)
            || (file_name.starts_with(&new)
                && fs::File::open(&path).is_ok_and(|f| f.try_lock().is_ok()));
        if abandoned {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Writes every file into `staging`; returns the relative path and size of
/// each file written.
fn fill<V: AsJson>(
    staging: &Path,
    objects: &[V],
    format: OutputFormat,
) -> Result<Vec<(String, u64)>, IoError> {
    let io =
        |path: &Path, e: std::io::Error| IoError(format!("cannot write {}: {e}", path.display()));
    let files = file_names(objects, format);
    let mut written = Vec::with_capacity(files.len() + 2);
    let mut put = |file: &str, text: &str| {
        let path = staging.join(file);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
        }
        fs::write(&path, text).map_err(|e| io(&path, e))?;
        written.push((file.to_string(), text.len() as u64));
        Ok::<(), IoError>(())
    };
    for (object, file) in objects.iter().zip(&files) {
        let text = match format {
            OutputFormat::Yaml => emit(std::slice::from_ref(object), format),
            OutputFormat::Json => {
                let mut text = serde_json::to_string_pretty(&*object.as_json()).unwrap_or_default();
                text.push('\n');
                text
            }
        };
        put(file, &text)?;
    }
    put("kustomization.yaml", &kustomization(&files))?;
    put(MARKER, MARKER_TEXT)?;
    Ok(written)
}

/// Checks that `staging` holds exactly the files written, each whole,
/// before it replaces anything.
fn verify(staging: &Path, expected: &[(String, u64)]) -> Result<(), IoError> {
    let mut found = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(folder) = folders.pop() {
        let entries = fs::read_dir(staging.join(&folder))
            .map_err(|e| IoError(format!("cannot read {}: {e}", staging.display())))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| IoError(format!("cannot read {}: {e}", staging.display())))?;
            let relative = folder.join(entry.file_name());
            let meta = fs::symlink_metadata(entry.path())
                .map_err(|e| IoError(format!("cannot read {}: {e}", entry.path().display())))?;
            if meta.is_dir() {
                folders.push(relative);
            } else {
                found.push((relative.to_string_lossy().into_owned(), meta.len()));
            }
        }
    }
    found.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    if found != expected {
        return Err(IoError(format!(
            "the output written to {} is not complete ({} of {} files as written); nothing was replaced",
            staging.display(),
            found.iter().filter(|f| expected.contains(f)).count(),
            expected.len()
        )));
    }
    Ok(())
}

/// Renames `staging` to `dir`, moving an existing `dir` aside first and
/// back again if the rename fails. The caller holds the lock of the parent.
fn swap_in(dir: &Path, staging: &Path, existing: bool) -> Result<(), IoError> {
    let fail = |e: std::io::Error| IoError(format!("cannot replace {}: {e}", dir.display()));
    if !existing {
        return fs::rename(staging, dir).map_err(fail);
    }
    let (name, parent) = name_and_parent(dir)?;
    let old = parent.join(format!("{}{}", prefix(&name, "old"), random_suffix()));
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
