//! Bad input never panics: thousands of deterministic random mutations of
//! the testdata manifests (bytes deleted, duplicated, replaced; lines
//! swapped; values swapped for hostile ones) run through the whole pipeline
//! and every diagnostic format. Each is either rejected (an error, no
//! output) or rendered to output that re-parses.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const HOSTILE: &[&str] = &[
    "",
    "~",
    "null",
    "[]",
    "{}",
    "-1",
    "99999999999999999999",
    "1.5",
    "yes",
    "\"\"",
    "*alias",
    "&a x",
    "!!binary aGk=",
    "[[[[",
    "}",
    "'",
    "\t",
    "é",
    "\u{feff}",
    "0x",
    ": :",
    "- - -",
    "|",
    ">",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for _ in 0..1 + rng.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                // Replace the value after the first colon.
                if let Some(colon) = lines[i].find(": ") {
                    let value = HOSTILE[rng.below(HOSTILE.len())];
                    lines[i] = format!("{}: {value}", &lines[i][..colon]);
                }
            }
            4 => {
                // Change the indentation.
                let shift = rng.below(5);
                lines[i] = format!("{}{}", " ".repeat(shift), lines[i].trim_start());
            }
            _ => {
                // Cut the line at a random character boundary.
                let cut = rng.below(lines[i].len() + 1);
                if lines[i].is_char_boundary(cut) {
                    lines[i].truncate(cut);
                }
            }
        }
    }
    lines.join("\n")
}

fn manifests() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root.join("testdata"), root.join("examples")] {
        for case in std::fs::read_dir(dir).expect("dir").filter_map(|e| e.ok()) {
            for file in std::fs::read_dir(case.path())
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
            {
                if file
                    .path()
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "json")
                {
                    files.push(file.path());
                }
            }
        }
    }
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}

/// What one mutated input came to.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Diagnostics with at least one error, and no output.
    Rejected,
    /// Output that re-parses as one YAML document per object.
    Rendered,
}

fn run_one(input: &str, sarif: bool) -> Result<Outcome, String> {
    use aigw::diagnostics::render::{render, Format, Style};
    let mut stdin = input.as_bytes();
    let compiled = aigw::compile(&[PathBuf::from("-")], &mut stdin, &aigw::Options::default())
        .map_err(|e| format!("I/O error on standard input: {}", e.0))?;
    let style = Style {
        color: false,
        width: 80,
    };
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        if format == Format::Sarif && !sarif {
            continue;
        }
        let shown = render(&compiled.report, &compiled.sources, format, style);
        if compiled.report.diagnostics.is_empty() != shown.trim().is_empty()
            && format != Format::Sarif
            && format != Format::Json
        {
            return Err(format!("{format:?} output does not match the diagnostics"));
        }
    }
    match (&compiled.output, compiled.report.has_errors()) {
        (None, true) => Ok(Outcome::Rejected),
        (Some(output), false) => {
            let objects = output.objects(false);
            let yaml = aigw::emit::emit(&objects, aigw::emit::OutputFormat::Yaml);
            let mut parsed = 0;
            for document in serde_yaml::Deserializer::from_str(&yaml) {
                let value = serde_yaml::Value::deserialize(document)
                    .map_err(|e| format!("output does not re-parse: {e}\n{yaml}"))?;
                // An empty output is one empty document to serde_yaml.
                if !value.is_null() {
                    parsed += 1;
                }
            }
            if parsed != objects.len() {
                return Err(format!("{parsed} documents for {} objects", objects.len()));
            }
            Ok(Outcome::Rendered)
        }
        (output, errors) => Err(format!(
            "output {} with errors {errors}",
            if output.is_some() {
                "present"
            } else {
                "absent"
            }
        )),
    }
}

#[test]
fn mutated_manifests_are_rejected_or_render_output_that_reparses() {
    let inputs = manifests();
    assert!(inputs.len() > 10);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (mut rejected, mut rendered) = (0, 0);
    for round in 0..3000 {
        let base = &inputs[round % inputs.len()];
        let mutated = mutate(base, &mut rng);
        let outcome = std::panic::catch_unwind(|| run_one(&mutated, round % 8 == 0))
            .map_err(|_| "panic".to_string())
            .and_then(|r| r);
        match outcome {
            Ok(Outcome::Rejected) => rejected += 1,
            Ok(Outcome::Rendered) => rendered += 1,
            Err(problem) => panic!("{problem} on input:\n{mutated}"),
        }
    }
    // Both paths are exercised, so neither check above is vacuous.
    assert!(
        rejected > 1000 && rendered > 50,
        "{rejected} rejected, {rendered} rendered"
    );
}
