//! Helpers shared by the integration tests (each test crate uses some).
#![allow(dead_code)]

use std::path::PathBuf;

/// The upstream reference material (`../shared/reference/`, or
/// `AIGW_REFERENCE_DIR`). Missing is a failure in CI and a skip elsewhere,
/// so that a clone without the reference still runs the other tests.
pub fn reference_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("AIGW_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference"));
    if dir.join("ai-gateway-v0.1.5").is_dir() && dir.join("gateway-api-v1.2.1").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "reference CRDs not found in {}",
        dir.display()
    );
    skipped(&format!(
        "reference CRDs not found in {} (set AIGW_REFERENCE_DIR or place shared/reference beside the repo)",
        dir.display()
    ));
    None
}

/// Says that the calling test skipped, visibly: libtest captures the
/// output of passing tests made with `eprintln!`, but not what is written
/// to the stderr handle directly, so `cargo test` shows this line.
pub fn skipped(why: &str) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {why}");
}

/// A node tree for a JSON value, as if read from the start of a file.
pub fn node(value: &serde_json::Value) -> aigw::load::node::Node {
    let span = aigw::source::Span::point(0, 0);
    aigw::defaults::from_json(value, span)
}

/// Command output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh scratch directory under the target dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// stderr without the `aigw: note: checking Envoy AI Gateway ...` line
/// that names the release a run checked (its own tests are in cli.rs).
pub fn without_release_note(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("aigw: note: checking "))
        .map(|l| format!("{l}\n"))
        .collect()
}
