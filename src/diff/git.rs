//! The manifests of a git revision, read with the `git` command straight
//! from the object database: no checkout, no clone, no temporary files.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::IoError;

/// Every `*.yaml`, `*.yml` and `*.json` file under `paths` (relative to
/// the working directory, like the working tree side) at `rev`, named as
/// a directory walk names them; hidden entries, symlinks and submodules
/// are left out, as a walk leaves them out.
pub fn files_at(rev: &str, paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, IoError> {
    if rev.starts_with('-') {
        return Err(IoError(format!("not a git revision: {rev}")));
    }
    let tree = format!("{rev}^{{tree}}");
    let verify = git(&["rev-parse", "--verify", "--quiet", &tree], None)?;
    if verify.is_empty() {
        return Err(IoError(format!("not a git revision here: {rev}")));
    }
    let mut args: Vec<String> = vec![
        "ls-tree".into(),
        "-r".into(),
        "-z".into(),
        rev.into(),
        "--".into(),
    ];
    if paths.is_empty() {
        args.push(".".into());
    }
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let listing = git(&args, None)?;
    let mut wanted = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, name)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (mode, kind, oid) = (meta.next(), meta.next(), meta.next());
        let (Some(mode), Some("blob"), Some(oid)) = (mode, kind, oid) else {
            continue;
        };
        let name = name.strip_prefix("./").unwrap_or(name);
        let hidden = name.split('/').any(|part| part.starts_with('.'));
        let manifest = [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e));
        if mode != "120000" && !hidden && manifest {
            wanted.push((name.to_string(), oid.to_string()));
        }
    }
    wanted.sort();
    let ids: String = wanted.iter().map(|(_, oid)| format!("{oid}\n")).collect();
    let blobs = git(&["cat-file", "--batch"], Some(ids.into_bytes()))?;
    let mut rest = &blobs[..];
    let mut files = Vec::new();
    for (name, _) in wanted {
        // "<oid> blob <size>\n<bytes>\n"
        let newline = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| bad_batch(&name))?;
        let header = String::from_utf8_lossy(rest.get(..newline).unwrap_or_default()).to_string();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad_batch(&name))?;
        let body = rest
            .get(newline + 1..newline + 1 + size)
            .ok_or_else(|| bad_batch(&name))?;
        files.push((name, body.to_vec()));
        rest = rest.get(newline + 2 + size..).unwrap_or(&[]);
    }
    Ok(files)
}

fn bad_batch(name: &str) -> IoError {
    IoError(format!("git cat-file gave no content for {name}"))
}

/// Runs git; its stdout, or its stderr as the error.
fn git(args: &[&str], stdin: Option<Vec<u8>>) -> Result<Vec<u8>, IoError> {
    let mut child = Command::new("git")
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| IoError(format!("cannot run git: {e}")))?;
    // Feed stdin from another thread: git writes while it reads.
    let feeder = match (stdin, child.stdin.take()) {
        (Some(bytes), Some(mut pipe)) => Some(std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })),
        _ => None,
    };
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_end(&mut out)
            .map_err(|e| IoError(format!("cannot read from git: {e}")))?;
    }
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut err);
    }
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    let status = child
        .wait()
        .map_err(|e| IoError(format!("cannot run git: {e}")))?;
    // rev-parse --verify --quiet fails quietly for an unknown revision.
    let quiet_miss = args.first() == Some(&"rev-parse") && err.trim().is_empty();
    if !status.success() && !quiet_miss {
        return Err(IoError(format!("git {}: {}", args.join(" "), err.trim())));
    }
    Ok(out)
}
