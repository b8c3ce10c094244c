//! Lint time of the pathological inputs (numbers are reported, not asserted).
//!
//! `cargo run --release --example bench_lint -- [RUNS]`
//!
//! Lints each input of `tests/pathological_inputs` with the default rules, single-threaded,
//! best of RUNS (default 3), and prints milliseconds and MB/s: a quadratic path shows up as
//! an input far slower per byte than the others.
#![allow(clippy::print_stdout)]

#[path = "../tests/pathological_inputs/mod.rs"]
mod pathological_inputs;

use std::time::{Duration, Instant};

use drydock::engine::{lint, Settings};
use drydock::source::decode;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let settings = Settings::default();
    println!("| input | size | lint (best of {runs}) | MB/s | findings |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let inputs = pathological_inputs::all()
        .into_iter()
        .chain(pathological_inputs::rule_inputs());
    for input in inputs {
        let mut best = Duration::MAX;
        let mut findings = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let report = lint(&decode(input.text.as_bytes().to_vec()), &settings);
            best = best.min(start.elapsed());
            findings = report.findings.len();
        }
        let mb = input.text.len() as f64 / 1e6;
        println!(
            "| {} {} | {mb:.2} MB | {:.1} ms | {:.1} | {findings} |",
            input.id,
            input.what,
            best.as_secs_f64() * 1e3,
            mb / best.as_secs_f64()
        );
    }
}
