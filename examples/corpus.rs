//! Writes the benchmark corpus: `cargo run --release --example corpus -- ROUTES DIR`.
//! Prints the number of input bytes written.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(routes), Some(dir)) = (args.next().and_then(|n| n.parse().ok()), args.next()) else {
        eprintln!("usage: corpus ROUTES DIR");
        return ExitCode::from(2);
    };
    match corpus::generate(routes, &PathBuf::from(dir)) {
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
