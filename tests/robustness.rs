//! Bad input never panics: thousands of deterministic random mutations of
//! the testdata manifests (bytes deleted, duplicated, replaced; lines
//! swapped; values swapped for hostile ones) run through the whole pipeline.

use std::path::{Path, PathBuf};

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

#[test]
fn mutated_manifests_never_panic() {
    let inputs = manifests();
    assert!(inputs.len() > 10);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let options = aigw::Options::default();
    let mut runs = 0;
    for round in 0..3000 {
        let base = &inputs[round % inputs.len()];
        let mutated = mutate(base, &mut rng);
        let result = std::panic::catch_unwind(|| {
            let mut stdin = mutated.as_bytes();
            aigw::compile(&[PathBuf::from("-")], &mut stdin, &options).map(|c| {
                // Rendering diagnostics must not panic either.
                let style = aigw::diagnostics::render::Style {
                    color: false,
                    width: 80,
                };
                for format in [
                    aigw::diagnostics::render::Format::Human,
                    aigw::diagnostics::render::Format::Sarif,
                ] {
                    aigw::diagnostics::render::render(&c.report, &c.sources, format, style);
                }
            })
        });
        assert!(result.is_ok(), "panic on input:\n{mutated}");
        runs += 1;
    }
    assert_eq!(runs, 3000);
}
