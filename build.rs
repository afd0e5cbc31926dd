//! Links the aigw binary as a position-dependent executable: a PIE's 46,000
//! relative relocations (the pointers in the static schema data) are applied
//! by the dynamic loader at every start, touching and copying the pages of
//! `.data.rel.ro`; without PIE the linker resolves them once. Only the
//! binaries: proc macros and test harnesses are unaffected.

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.contains("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
