#!/bin/sh
# Hand-review sample: picks N corpus files for a seed and lints them with default settings.
# Usage: bench/review-sample.sh [SEED] [N] [-- DRYDOCK-ARGS...]   (SEED defaults to 1, N to 50)
# The pick is reproducible anywhere: the N ids with the smallest sha256("SEED:id"), listed in
# id order. CORPUS (default ../shared/corpus) is the corpus root; paths print relative to it.
set -eu
cd "$(dirname "$0")/.."
seed=${1:-1}
n=${2:-50}
[ $# -ge 2 ] && shift 2 || shift $#
[ "${1:-}" = "--" ] && shift
corpus=${CORPUS:-../shared/corpus}
paths=$(python3 - "$corpus/MANIFEST.tsv" "$seed" "$n" <<'PY'
import hashlib, sys
manifest, seed, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(manifest, encoding="utf-8") as f:
    ids = [line.split("\t", 1)[0] for line in f.read().splitlines()[1:] if line]
key = lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()
for i in sorted(sorted(ids, key=key)[:n]):
    print(f"files/{i}.Dockerfile")
PY
)
echo "# seed $seed: $n files"
echo "$paths"
cargo build --release --locked --quiet
bin=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/drydock
cd "$corpus"
# shellcheck disable=SC2086 # the paths contain no spaces
"$bin" check --no-config --color never "$@" $paths || true
