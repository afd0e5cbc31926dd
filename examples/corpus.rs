//! Writes the benchmark corpus: `cargo run --release --example corpus --
//! ROUTES DIR [v1.1]` (v0.1 manifests, or v1.1 ones). Prints the number of
//! input bytes written.

#[path = "../benches/support/corpus.rs"]
mod corpus;
#[path = "../benches/support/corpus_v1.rs"]
mod corpus_v1;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(routes), Some(dir)) = (args.next().and_then(|n| n.parse().ok()), args.next()) else {
        eprintln!("usage: corpus ROUTES DIR [v1.1]");
        return ExitCode::from(2);
    };
    let written = match args.next().as_deref() {
        None | Some("v0.1") => corpus::generate(routes, &PathBuf::from(dir)),
        Some("v1.1") => corpus_v1::generate(routes, &PathBuf::from(dir)),
        Some(other) => {
            eprintln!("corpus: no corpus for release {other} (v0.1 or v1.1)");
            return ExitCode::from(2);
        }
    };
    match written {
        Ok(bytes) => {
            println!("{bytes}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("corpus: {err}");
            ExitCode::from(2)
        }
    }
}
