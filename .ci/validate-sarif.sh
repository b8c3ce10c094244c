#!/usr/bin/env bash
# Validate drydock's SARIF with both validators GitHub users rely on (see
# ../shared/reference/integrations.md §2): check-jsonschema against the SARIF 2.1.0 schema
# bundled with the SARIF Multitool, and the Multitool itself with the generic and GitHub
# rule sets. The Multitool always exits 0, so its error-level results are counted here.
# Usage: .ci/validate-sarif.sh FILE.sarif...
set -euo pipefail
tools="${DRYDOCK_TOOLS_DIR:-$HOME/.cache/drydock-ci-tools}"
mkdir -p "$tools"
if [ ! -x "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
  (cd "$tools" && npm install --silent --no-audit --no-fund @microsoft/sarif-multitool@5.7.0 >/dev/null)
  chmod u+x "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
fi
if [ ! -x "$tools/venv/bin/check-jsonschema" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet check-jsonschema
fi
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
schema="$tools/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"
status=0
for f in "$@"; do
  abs="$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
  echo "-- $f"
  "$tools/venv/bin/check-jsonschema" --schemafile "$schema" "$abs" || status=1
  out="$(mktemp --suffix=.sarif)"
  "$multitool" validate "$abs" --rule-kind "Sarif;Ghas" -o "$out" --log ForceOverwrite \
    | grep -E ': (error|warning) [A-Z]+[0-9]+:' || true
  errors=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for r in d["runs"] for x in r.get("results",[]) if x.get("level")=="error"))' "$out")
  if [ "$errors" != "0" ]; then
    echo "multitool: $errors error(s) in $f"
    status=1
  else
    echo "multitool: ok"
  fi
  rm -f "$out"
done
exit $status
