//! No output of aigw may contain a value from a Secret's `data` or
//! `stringData`. The testdata cases about Secrets mark every value with
//! `MUST-NOT-BE-PRINTED`; every diagnostic format is checked for it.

use std::path::Path;
use std::process::Command;

const MARK: &str = "MUST-NOT-BE-PRINTED";
/// The base64 form of a marked value in diag-aws-profile.
const MARK_BASE64: &str = "U0VDUkVULU";

#[test]
fn diagnostics_never_show_secret_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let cases = [
        "diag-secret-mismatch",
        "diag-aws-profile",
        "diag-output-clash",
    ];
    for case in cases {
        let dir = root.join(case);
        let inputs = std::fs::read_dir(&dir)
            .expect("case directory")
            .filter_map(|e| e.ok())
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect::<String>();
        assert!(inputs.contains(MARK), "{case} has no marked Secret value");
        for format in ["human", "json", "github", "sarif"] {
            let out = Command::new(env!("CARGO_BIN_EXE_aigw"))
                .args(["validate", "--color", "never", "--format", format, "."])
                .current_dir(&dir)
                .output()
                .expect("run aigw");
            assert_eq!(out.status.code(), Some(1), "{case} {format}");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(text.contains("AIGW04"), "{case} {format}: {text}");
            assert!(
                !text.contains(MARK) && !text.contains(MARK_BASE64),
                "{case} --format {format} shows a Secret value:\n{text}"
            );
        }
    }
}
