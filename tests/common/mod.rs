//! Helpers shared by the integration tests.

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
    eprintln!(
        "skipping: reference CRDs not found in {} (set AIGW_REFERENCE_DIR)",
        dir.display()
    );
    None
}
