//! The benchmark floor: the least a YAML-to-YAML tool does with the same
//! files. It walks the paths like aigw (sorted, hidden entries skipped,
//! `*.yaml`/`*.yml`/`*.json`), parses every document with serde_yaml and
//! writes them all back out, atomically, to stdout.
//!
//! `cargo build --release --example floor`, then `floor PATH...`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Deserialize;

fn files(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            files(&path, out)?;
        } else if kind.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        {
            out.push(path);
        }
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let mut paths = Vec::new();
    for arg in std::env::args_os().skip(1) {
        files(Path::new(&arg), &mut paths).map_err(|e| e.to_string())?;
    }
    let mut out = String::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        for document in serde_yaml::Deserializer::from_str(&text) {
            let value = serde_yaml::Value::deserialize(document)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if value.is_null() {
                continue;
            }
            out.push_str("---\n");
            out.push_str(&serde_yaml::to_string(&value).map_err(|e| e.to_string())?);
        }
    }
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("floor: {err}");
            ExitCode::from(2)
        }
    }
}
