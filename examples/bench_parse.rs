//! Parser throughput benchmark (numbers are reported, not asserted).
//!
//! `cargo run --release --example bench_parse -- [DIR] [RUNS] [IDS]`
//!
//! Reads every file of DIR (default `../shared/corpus/files`) into memory first, then,
//! single-threaded, parses them all RUNS times (default 5) for (1) the Dockerfile layer alone
//! (`ParseOptions { shell: false }`) and (2) with the shell model (`parse`), and reports the
//! best run as MB/s and files/s. Then it times each pathological input of
//! `tests/pathological_inputs` (best of RUNS, both modes) in milliseconds; IDS (e.g. `c1,f`)
//! limits them to the listed inputs (handy for profiling one of them).
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/pathological_inputs/mod.rs"]
mod pathological_inputs;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use drydock::syntax::{parse_with, ParseOptions};

const LAYER: ParseOptions = ParseOptions { shell: false };
const FULL: ParseOptions = ParseOptions { shell: true };

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/corpus/files".to_owned()),
    );
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let only: Option<Vec<String>> = args
        .next()
        .map(|ids| ids.split(',').map(str::to_owned).collect());

    let files = match read_files(&dir) {
        Ok(files) if !files.is_empty() => files,
        Ok(_) => {
            eprintln!("no files in {}", dir.display());
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    let bytes: usize = files.iter().map(String::len).sum();
    let shell_lines = std::fs::read_dir("src/shell")
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .map(|s| s.lines().count())
                .sum::<usize>()
        })
        .unwrap_or(0);
    println!(
        "corpus: {} files, {:.2} MB from {}; best of {runs} runs, single-threaded{}",
        files.len(),
        mb(bytes),
        dir.display(),
        if shell_lines > 0 {
            format!(" (src/shell: {shell_lines} lines)")
        } else {
            String::new()
        }
    );
    println!();
    println!("| mode | best time | MB/s | files/s |");
    println!("|---|---:|---:|---:|");
    for (name, options) in [
        ("Dockerfile layer (shell: false)", LAYER),
        ("with shell model (parse)", FULL),
    ] {
        let best = best_of(runs, || {
            for f in &files {
                black_box(parse_with(black_box(f), options));
            }
        });
        let secs = best.as_secs_f64();
        println!(
            "| {name} | {:.1} ms | {:.1} | {:.0} |",
            secs * 1e3,
            mb(bytes) / secs,
            files.len() as f64 / secs
        );
    }

    println!();
    println!("| input | size | layer ms | with shell ms |");
    println!("|---|---:|---:|---:|");
    for input in pathological_inputs::all() {
        if only
            .as_ref()
            .is_some_and(|ids| !ids.iter().any(|id| id == input.id))
        {
            continue;
        }
        let layer = best_of(runs, || {
            black_box(parse_with(black_box(&input.text), LAYER));
        });
        let full = best_of(runs, || {
            black_box(parse_with(black_box(&input.text), FULL));
        });
        println!(
            "| ({}) {} | {:.2} MB | {:.2} | {:.2} |",
            input.id,
            input.what,
            mb(input.text.len()),
            layer.as_secs_f64() * 1e3,
            full.as_secs_f64() * 1e3
        );
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// All regular files of `dir` (not recursive), sorted by name, decoded like the CLI does.
fn read_files(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| Ok(drydock::source::decode(std::fs::read(p)?).text))
        .collect()
}
