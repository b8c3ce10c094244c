#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 900), one after the other, seeded with the
# corpus, the seeds here and the fixtures; prints libFuzzer's final stats per target.
# Usage (from fuzz/): ./run-all.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-900}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse lint fix config)
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  if [ "$t" = config ]; then
    find ../fixtures ../tests -name '*.yaml' -size -64k -exec cp {} "corpus/$t/" \; 2>/dev/null || true
  else
    cp seeds/* "corpus/$t/"
    find ../fixtures -name '*Dockerfile*' -type f -exec cp {} "corpus/$t/" \; 2>/dev/null || true
    [ -d ../../shared/corpus/files ] && cp ../../shared/corpus/files/* "corpus/$t/"
  fi
  dict=()
  [ "$t" != config ] && dict=(-dict=dict/dockerfile.dict)
  echo "== $t ($secs s)"
  RUSTC_BOOTSTRAP=1 cargo +stable fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 "${dict[@]}" -print_final_stats=1 2>&1 \
    | grep -E '^(stat::|#[0-9]+ *DONE|==|SUMMARY|Done|.*(panicked|crash-|deadly))' || true
done
