//! Snapshot tests: every directory under `testdata/` is one case.
//!
//! A case holds input manifests and, optionally:
//! - `cmd`: the aigw arguments, one per line (default: `render` and `.`);
//! - `stdin.txt`: piped to standard input.
//!
//! The built binary runs inside the case directory, so file names in
//! diagnostics are stable, and the snapshot `snapshots/<case>.snap` records
//! the exit code, stdout and stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use std::io::Write;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn args_of(dir: &Path) -> Vec<String> {
    match std::fs::read_to_string(dir.join("cmd")) {
        Ok(text) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect(),
        Err(_) => vec!["render".into(), ".".into()],
    }
}

/// Runs the case in `dir`; returns exit code, stdout, stderr.
pub fn run_case(dir: &Path) -> (i32, String, String) {
    let args = args_of(dir);
    let stdin = std::fs::read(dir.join("stdin.txt")).ok();
    let mut child = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(&args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("AIGW_EXTPROC_IMAGE")
        .env_remove("AIGW_EXTPROC_IMAGE_PULL_POLICY")
        .env_remove("AIGW_EXTPROC_LOG_LEVEL")
        .env_remove("AIGW_NAMESPACE")
        .env_remove("AIGW_STRICT")
        .env_remove("AIGW_FORMAT")
        .env_remove("AIGW_RELEASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aigw");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.as_deref().unwrap_or(b""))
            .expect("write stdin");
    }
    let out = child.wait_with_output().expect("run aigw");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn testdata_cases() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(testdata())
        .expect("testdata/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() > 10,
        "expected the testdata cases, found {}",
        cases.len()
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for case in &cases {
            let name = case
                .file_name()
                .and_then(|n| n.to_str())
                .expect("case name")
                .to_string();
            let (code, stdout, stderr) = run_case(case);
            assert_ne!(code, 101, "{name}: aigw panicked:\n{stderr}");
            if code != 0 && args_of(case).first().map(String::as_str) == Some("render") {
                assert!(
                    stdout.is_empty(),
                    "{name}: render failed but wrote to stdout"
                );
            }
            let snapshot = format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}");
            insta::with_settings!({ description => format!("testdata/{name}") }, {
                insta::assert_snapshot!(name.clone(), snapshot);
            });
        }
    });
}
