#!/bin/sh
# Parser throughput: builds the bench_parse example in release mode and runs it.
# Usage: bench/parse.sh [DIR] [RUNS] [IDS]   (DIR defaults to ../shared/corpus/files)
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked --example bench_parse
exec ./target/release/examples/bench_parse "${1:-../shared/corpus/files}" "${2:-5}" ${3:+"$3"}
