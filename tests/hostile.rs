//! Hostile inputs: each gets a clear diagnostic (or is accepted, where
//! kubectl accepts it) within bounded time, with exit 1 and nothing on
//! stdout, and never a panic, a hang or a stack overflow. The limits are in
//! `src/load/limits.rs`.

mod common;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aigw::load::limits;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Waits for `child`, killing it after `limit`; stdout and stderr are
/// drained meanwhile so that a chatty child cannot block.
fn finish(mut child: Child, limit: Duration) -> Run {
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("aigw ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    }
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_aigw"))
        .args(args)
        .env_remove("AIGW_FORMAT")
        .env_remove("AIGW_STRICT")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aigw")
}

/// `aigw ARGS FILE` on a file holding `bytes`, within `limit`.
fn run_file(name: &str, bytes: &[u8], args: &[&str], limit: Duration) -> Run {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    let path = path.display().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.push(&path);
    let mut child = spawn(&all);
    drop(child.stdin.take());
    finish(child, limit)
}

const SECONDS: Duration = Duration::from_secs(60);

/// Renders `bytes` and expects exit 1, an empty stdout, and `code` with a
/// message containing `says` on stderr.
fn rejected(name: &str, bytes: &[u8], code: &str, says: &str) -> Run {
    let run = run_file(name, bytes, &["render"], SECONDS);
    assert_eq!(run.code, Some(1), "{name}: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{name}: partial output");
    assert!(
        run.stderr.contains(code),
        "{name}: no {code} in:\n{}",
        run.stderr
    );
    assert!(
        unwrapped(&run.stderr).contains(says),
        "{name}: no {says:?} in:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
    run
}

/// A report with its wrapped message lines joined again: where a message
/// wraps depends on the length of the paths in it (the checkout's). A
/// line may also break after a hyphen (`UTF-` / `8`).
fn unwrapped(report: &str) -> String {
    let mut text = String::new();
    for line in report.lines() {
        let line = line.trim_start().trim_start_matches(['│', '×', '⚠']).trim();
        if !text.is_empty() && !text.ends_with('-') {
            text.push(' ');
        }
        text.push_str(line);
    }
    text
}

fn config_map(name: &str, extra: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n{extra}")
}

#[test]
fn billion_laughs_stops_at_the_alias_limit() {
    let mut text = config_map(
        "laughs",
        "data:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for level in 1..10u8 {
        let (this, prev) = (char::from(b'a' + level), char::from(b'a' + level - 1));
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("  {this}: &{this} [{refs}]\n"));
    }
    let run = rejected("laughs.yaml", text.as_bytes(), "AIGW009", "alias expansion");
    assert!(run
        .stderr
        .contains(&limits::MAX_ALIAS_NODES.to_string().as_str()[..3]));
}

#[test]
fn deep_nesting_is_a_limit_not_a_stack_overflow() {
    let says = format!("nesting deeper than {} levels", limits::MAX_DEPTH);
    rejected(
        "flow.yaml",
        "[".repeat(100_000).as_bytes(),
        "AIGW009",
        &says,
    );
    let json = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    rejected("deep.json", json.as_bytes(), "AIGW009", &says);
    let block: String = (0..1000)
        .map(|i| format!("{}k:\n", "  ".repeat(i)))
        .collect();
    rejected("block.yaml", block.as_bytes(), "AIGW009", &says);
    let dashes = format!("{}x\n", "- ".repeat(10_000));
    rejected("dashes.yaml", dashes.as_bytes(), "AIGW009", &says);
}

#[test]
fn a_ten_megabyte_scalar_is_over_the_object_limit_and_not_echoed() {
    let text = config_map("big", &format!("data:\n  x: {}\n", "y".repeat(10 << 20)));
    let run = rejected(
        "big.yaml",
        text.as_bytes(),
        "AIGW009",
        "the API server accepts at most 3072 KiB",
    );
    assert!(
        run.stderr.len() < 4096,
        "{} bytes of stderr",
        run.stderr.len()
    );
}

#[test]
fn a_diagnostic_past_column_65535_is_drawn_with_its_exact_position() {
    let prefix = "spec: {schema: {name: OpenAI}, backendRef: {name: svc, kind: Backend, group: gateway.envoyproxy.io},";
    let text = format!(
        "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {{name: b}}\n{prefix}{}bogus: 1}}\n",
        " ".repeat(70_000)
    );
    let col = prefix.len() + 70_000 + 1;
    let run = rejected(
        "long.yaml",
        text.as_bytes(),
        "AIGW010",
        "unknown field \"bogus\"",
    );
    assert!(
        run.stderr.contains(&format!("long.yaml:4:{col}]")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.len() < 4096, "the long line was printed whole");
    for format in ["json", "github", "sarif"] {
        let run = run_file(
            "long.yaml",
            text.as_bytes(),
            &["validate", "--format", format],
            SECONDS,
        );
        assert_eq!(run.code, Some(1), "{format}: {}", run.stderr);
        assert!(
            run.stdout.contains(&col.to_string()),
            "{format}: {}",
            run.stdout
        );
    }
}

#[test]
fn a_minified_one_line_json_list_gets_located_diagnostics() {
    let item = |i: usize| {
        format!(
            r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"c{i}"}},"data":{{"k":"{}"}}}}"#,
            "v".repeat(100)
        )
    };
    let mut items: Vec<String> = (0..1000).map(item).collect();
    items.push(r#"{"apiVersion":"aigateway.envoyproxy.io/v1alpha1","kind":"AIServiceBackend","metadata":{"name":"b"},"spec":{"schema":{"name":"OpenAI"},"backendRef":{"name":"s"},"bogus":1}}"#.into());
    let text = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    );
    let col = text.find("\"bogus\"").map(|i| i + 1).unwrap_or(0);
    let run = rejected(
        "list.json",
        text.as_bytes(),
        "AIGW010",
        "unknown field \"bogus\"",
    );
    assert!(
        run.stderr.contains(&format!("list.json:1:{col}]")),
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_utf8_names_the_file_and_byte_offset() {
    let mut bytes = config_map("c", "data: {k: ok}\n").into_bytes();
    let at = bytes.len();
    bytes.extend_from_slice(b"bad: caf\xE9\n");
    let says = format!("the byte at byte offset {}", at + 8);
    let run = rejected("latin1.yaml", &bytes, "AIGW008", &says);
    assert!(unwrapped(&run.stderr).contains("latin1.yaml is not UTF-8 text"));
    // The byte itself may be part of a Secret's value (issue 15).
    assert!(!run.stderr.contains("0xE9"), "{}", run.stderr);
    assert!(run.stderr.contains("latin1.yaml:5:9"), "{}", run.stderr);
}

#[test]
fn nul_bytes_are_named() {
    let bytes = b"apiVersion: v1\nkind: Config\0Map\n";
    rejected("nul.yaml", bytes, "AIGW008", "NUL byte at byte offset 27");
}

#[test]
fn utf16_is_named_and_utf8_is_asked_for() {
    let text = config_map("c", "");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let run = rejected("utf16.yaml", &utf16, "AIGW008", "UTF-16 (little-endian)");
    assert!(unwrapped(&run.stderr).contains("aigw reads UTF-8"));
    let mut big_endian = vec![0xFE, 0xFF];
    big_endian.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    rejected(
        "utf16be.yaml",
        &big_endian,
        "AIGW008",
        "UTF-16 (big-endian)",
    );
}

#[test]
fn a_utf8_byte_order_mark_is_accepted_like_kubectl() {
    let text = config_map("c", "data: {k: v}\n");
    let plain = run_file("plain.yaml", text.as_bytes(), &["render"], SECONDS);
    let with_bom = run_file(
        "bom.yaml",
        format!("\u{feff}{text}").as_bytes(),
        &["render"],
        SECONDS,
    );
    assert_eq!(with_bom.code, Some(0), "{}", with_bom.stderr);
    assert_eq!(with_bom.stdout, plain.stdout);
    assert!(with_bom.stdout.contains("name: c"));
}

#[test]
fn a_document_that_is_a_scalar_or_a_list_is_not_an_object() {
    rejected("scalar.yaml", b"just a string\n", "AIGW002", "found string");
    rejected("list.yaml", b"- a\n- b\n", "AIGW002", "found array");
    rejected("number.json", b"42\n", "AIGW002", "found integer");
}

#[test]
fn integers_beyond_int64_are_refused_not_rounded() {
    // In an integer field of an AI Gateway kind.
    let backend = "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {name: b}\nspec:\n  schema: {name: OpenAI}\n  backendRef: {name: s, kind: Service, port: 99999999999999999999}\n";
    rejected(
        "port.yaml",
        backend.as_bytes(),
        "AIGW009",
        "outside the int64 range",
    );
    // In a pass-through object, which must not change.
    let thing = "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec: {n: 18446744073709551616}\n";
    rejected(
        "thing.yaml",
        thing.as_bytes(),
        "AIGW009",
        "outside the int64 range",
    );
    rejected(
        "inf.yaml",
        b"apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec: {n: 1e400}\n",
        "AIGW009",
        "infinite",
    );
    // The ends of the range pass through exactly, in YAML and in JSON.
    let edges = "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec: {max: 9223372036854775807, min: -9223372036854775808, f: 0.1}\n";
    for output in ["yaml", "json"] {
        let run = run_file(
            "edges.yaml",
            edges.as_bytes(),
            &["render", "-o", output],
            SECONDS,
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        for number in ["9223372036854775807", "-9223372036854775808", "0.1"] {
            assert!(
                run.stdout.contains(number),
                "{output}: {number} changed:\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn duplicate_keys_are_errors() {
    let text = config_map("c", "metadata: {name: d}\n");
    rejected(
        "dup.yaml",
        text.as_bytes(),
        "AIGW001",
        "mapping key \"metadata\" is repeated (first at line 3)",
    );
}

#[test]
fn tab_indentation_is_a_syntax_error() {
    rejected(
        "tab.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: c\n",
        "AIGW001",
        "tabs",
    );
}

#[test]
fn cyclic_aliases_are_unknown_anchors() {
    let text = config_map("c", "data: &d {self: *d}\n");
    rejected(
        "cycle.yaml",
        text.as_bytes(),
        "AIGW001",
        "alias refers to an unknown anchor",
    );
}

#[test]
fn two_hundred_thousand_tiny_documents_stop_at_the_object_limit() {
    let text: String = (0..200_000)
        .map(|i| format!("---\n{{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}}}}}\n"))
        .collect();
    let says = format!("more than {} objects in one run", limits::MAX_DOCUMENTS);
    let started = Instant::now();
    let run = rejected("tiny.yaml", text.as_bytes(), "AIGW009", &says);
    assert!(run.stderr.len() < 4096);
    assert!(started.elapsed() < SECONDS);
}

#[test]
fn an_endless_standard_input_stops_at_the_byte_limit() {
    let mut child = spawn(&["render", "-"]);
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let line =
            b"# a comment line that goes on and on and on and on and on and on\n".repeat(1024);
        while stdin.write_all(&line).is_ok() {}
    });
    let run = finish(child, Duration::from_secs(120));
    writer.join().expect("writer");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("AIGW009") && run.stderr.contains("256 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_closed_stdout_pipe_ends_the_run_quietly() {
    let text: String = (0..5000)
        .map(|i| format!("---\n{}", config_map(&format!("c{i}"), "data: {k: v}\n")))
        .collect();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("pipe.yaml");
    std::fs::write(&path, text).expect("write");
    for args in [
        vec!["render"],
        vec!["render", "-o", "json"],
        vec!["validate", "--format", "json"],
    ] {
        let mut all = args.clone();
        let path = path.display().to_string();
        all.push(&path);
        let mut child = spawn(&all);
        drop(child.stdin.take());
        // Read one line, as `| head -1` does, then close the pipe.
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 16];
        let read = stdout.read(&mut first).expect("read");
        drop(stdout);
        let run = finish(child, SECONDS);
        assert!(read > 0 || args[0] == "validate", "{args:?}: no output");
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert_eq!(common::without_release_note(&run.stderr), "", "{args:?}");
    }
}
