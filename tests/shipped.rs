//! Generated files shipped in the repository must match what the binary
//! generates now: the man pages (`man/`) and the JSON Schemas (`schemas/`)
//! that the README's yaml-language-server modeline points at.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generated(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(args)
        .output()
        .expect("run aigw");
    assert!(out.status.success(), "aigw {args:?} failed");
    out.stdout
}

fn assert_fresh(file: &str, args: &[&str]) {
    let shipped = std::fs::read(root().join(file)).unwrap_or_default();
    assert!(
        generated(args) == shipped,
        "{file} is stale: run `aigw {} > {file}`",
        args.join(" ")
    );
}

#[test]
fn man_pages_are_up_to_date() {
    assert_fresh("man/aigw.1", &["man"]);
    for command in [
        "render",
        "validate",
        "routes",
        "explain",
        "schema",
        "completions",
        "krm",
        "version",
    ] {
        assert_fresh(&format!("man/aigw-{command}.1"), &["man", command]);
    }
    let pages = std::fs::read_dir(root().join("man")).expect("man/").count();
    assert_eq!(pages, 9, "one page per command, plus aigw.1");
}

#[test]
fn json_schemas_are_up_to_date() {
    for kind in [
        "AIGatewayRoute",
        "AIServiceBackend",
        "BackendSecurityPolicy",
    ] {
        let file = format!("schemas/{}.json", kind.to_ascii_lowercase());
        assert_fresh(&file, &["schema", kind]);
    }
}

/// The modeline in examples/quickstart/route.yaml points at a shipped
/// schema, and that schema accepts the file (check-jsonschema, from PyPI,
/// is installed by .ci/run).
#[test]
fn yaml_language_server_modeline_resolves_to_a_schema_that_accepts_the_file() {
    let file = root().join("examples/quickstart/route.yaml");
    let text = std::fs::read_to_string(&file).expect("route.yaml");
    let schema = text
        .lines()
        .find_map(|l| l.strip_prefix("# yaml-language-server: $schema="))
        .expect("modeline");
    let schema = file.parent().expect("parent").join(schema);
    assert!(schema.is_file(), "{} does not exist", schema.display());
    let checked = Command::new("check-jsonschema")
        .arg("--schemafile")
        .arg(&schema)
        .arg(&file)
        .output();
    match checked {
        Ok(out) => assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: check-jsonschema not found (pip install check-jsonschema)"
            );
        }
    }
}
