#!/usr/bin/env bash
# Try the `drydock` pre-commit hook for real, from a snapshot of this checkout (uncommitted
# and untracked files included), in scratch git repositories:
#
#   bench/try-pre-commit.sh            # pre-commit from PATH, else installed into a temp venv
#   PRE_COMMIT_HOME=~/.cache/dd-pc bench/try-pre-commit.sh   # keep the consumer build
#
# Checks, each with the exact exit code:
#   1. `pre-commit try-repo <hook repo> drydock --all-files` (how a hook is developed; it
#      builds the hook with cargo in a throw-away store) on a bad Dockerfile next to a good
#      one: exit 1, DD codes in the output, only the bad file reported;
#   2. `pre-commit run --all-files` with a `.pre-commit-config.yaml` naming the hook repo and
#      rev (how a user runs it; built once into PRE_COMMIT_HOME): the same verdict, then exit
#      0 once only the good file is left;
#   3. file selection: a repo of tricky names (Dockerfile.dockerignore, Dockerfile.md,
#      app.dockerfile, ...), every one a bad Dockerfile: the hook reports exactly the files
#      `drydock check .` finds by walking the directory.
# Both builds share one fresh cargo target directory, so the first one costs what a user's
# build costs and the second only recompiles drydock itself. Needs git, cargo and access
# to crates.io (and to PyPI when pre-commit is missing).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export CARGO_TARGET_DIR=$scratch/cargo-target
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$scratch/pre-commit-home}
export SOURCE_DATE_EPOCH=1795824000 # 2026-11-28, as .ci/run's --today: stable verdicts
export NO_COLOR=1

if command -v pre-commit >/dev/null; then
  pre_commit=pre-commit
else
  python3 -m venv "$scratch/venv"
  "$scratch/venv/bin/pip" install --quiet pre-commit
  pre_commit=$scratch/venv/bin/pre-commit
fi
echo "== $("$pre_commit" --version), hook repo $repo"
"$pre_commit" validate-manifest "$repo/.pre-commit-hooks.yaml"

# The hook repo: one snapshot commit of the working tree (try-repo's own snapshot of a
# dirty tree leaves out untracked files). Fixed dates: the same tree gives the same rev,
# which a kept PRE_COMMIT_HOME has built already.
hook=$scratch/hook
mkdir "$hook"
git -C "$repo" ls-files -z --cached --others --exclude-standard |
  tar -C "$repo" --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$hook" -xf -
git -C "$hook" init --quiet
git -C "$hook" add -A
GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z \
  git -C "$hook" -c user.name=snapshot -c user.email=snapshot@example.invalid \
  commit --quiet -m snapshot
rev=$(git -C "$hook" rev-parse HEAD)

fail() {
  echo "FAIL: $*"
  exit 1
}

# Runs `pre-commit ARGS...` on every tracked file of the current directory; sets `status`
# and `out`.
pre_commit_on_all() {
  local start=$SECONDS
  set +e
  out=$("$pre_commit" "$@" --all-files --verbose 2>&1)
  status=$?
  set -e
  echo "   pre-commit $1: exit $status in $((SECONDS - start)) s"
}

# The paths a human-format report names, sorted.
reported_paths() {
  grep -oE '╭─\[[^]]+:[0-9]+:[0-9]+\]' | sed -E 's/^╭─\[//; s/:[0-9]+:[0-9]+\]$//' | sort -u
}

# A scratch consumer repository in `$1`, with the hook configured at the snapshot's rev.
consumer() {
  mkdir "$1"
  cd "$1"
  git init --quiet
  git config user.email try@example.invalid
  git config user.name try-pre-commit
  cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hook
    rev: $rev
    hooks:
      - id: drydock
EOF
}

bad_dockerfile() {
  printf 'FROM python:latest\nRUN pip install flask\n' >"$1"
}

# Exit 1, DD102 reported, and `Dockerfile` the only file named.
expect_bad_dockerfile_only() {
  [ "$status" -eq 1 ] || fail "expected exit 1, got $status: $out"
  grep -q 'DD102' <<<"$out" || fail "no DD102 in the output: $out"
  [ "$(reported_paths <<<"$out")" = "Dockerfile" ] || fail "expected only Dockerfile reported: $out"
}

consumer "$scratch/consumer"
bad_dockerfile Dockerfile
mkdir web
cat >web/app.Dockerfile <<'EOF'
FROM python:3.13-slim
WORKDIR /app
COPY app.py .
USER 10001
CMD ["python", "app.py"]
EOF
git add -A

echo "== 1. try-repo: bad Dockerfile + good web/app.Dockerfile (builds the hook)"
pre_commit_on_all try-repo "$hook" drydock
expect_bad_dockerfile_only
grep -E '^DD[0-9]{3}|Failed|Found ' <<<"$out" | sed 's/^/   /'

echo "== 2. run with .pre-commit-config.yaml: the same files (builds into PRE_COMMIT_HOME), then the good one alone"
pre_commit_on_all run
expect_bad_dockerfile_only
git rm --quiet --force Dockerfile
pre_commit_on_all run
[ "$status" -eq 0 ] || fail "expected exit 0, got $status: $out"
grep -E 'Passed' <<<"$out" | sed 's/^/   /'

echo "== 3. file selection against the CLI's directory walk"
consumer "$scratch/names"
names=(
  Dockerfile dockerfile DOCKERFILE Containerfile Dockerfile.dev Dockerfile.prod.arm64
  Dockerfile.in Containerfile.prod app.Dockerfile app.dockerfile build.containerfile
  Dockerfile.md.dockerfile Dockerfile.dockerignore app.Dockerfile.dockerignore
  Dockerfile.md Dockerfile.MD Dockerfile.txt Dockerfile.prod.bak Dockerfile.yaml
  Dockerfile.sh Dockerfile.markdown MyDockerfile Dockerfiles Dockerfile-dev Dockerfile_dev
  README.md $'Doc\u212Aerfile' $'Dockerf\u0131le' $'Dockerfile.\u017Fh' $'\u00FCber.Dockerfile'
)
for dir in . sub Dockerfile.d; do
  mkdir -p "$dir"
  for name in "${names[@]}"; do bad_dockerfile "$dir/$name"; done
done
git add -A
pre_commit_on_all run
[ "$status" -eq 1 ] || fail "expected exit 1, got $status: $out"
drydock=$(find "$PRE_COMMIT_HOME" -path '*rustenv*/bin/drydock' -type f | head -n 1)
[ -x "$drydock" ] || fail "no drydock binary under $PRE_COMMIT_HOME"
set +e
walked=$("$drydock" check . 2>&1)
set -e
hook_paths=$(reported_paths <<<"$out")
cli_paths=$(reported_paths <<<"$walked" | sed 's|^\./||')
if [ "$hook_paths" != "$cli_paths" ]; then
  diff <(echo "$cli_paths") <(echo "$hook_paths") || true
  fail "the hook (right) and drydock check . (left) select different files"
fi
echo "   $(wc -l <<<"$hook_paths") of $(git ls-files | wc -l) files selected, the same as drydock check ."
echo "OK"
