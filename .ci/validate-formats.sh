#!/usr/bin/env bash
# Validate drydock's CI formats (see ../shared/reference/integrations.md §4): Checkstyle and
# JUnit XML with xmllint against .ci/schemas/*.xsd, JUnit also with junitparser (a real
# consumer), GitLab Code Quality and rdjson with check-jsonschema against .ci/schemas/*.json,
# GitHub workflow commands against the toolkit's line shape and escaping.
# Usage: .ci/validate-formats.sh DIR   (DIR holds report.{checkstyle,junit,gitlab,rdjson,github})
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$1"
tools="${DRYDOCK_TOOLS_DIR:-$HOME/.cache/drydock-ci-tools}"
mkdir -p "$tools"
if ! command -v xmllint >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libxml2-utils >/dev/null
fi
if [ ! -x "$tools/venv/bin/check-jsonschema" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet check-jsonschema
fi
if ! "$tools/venv/bin/python" -c 'import junitparser' 2>/dev/null; then
  "$tools/venv/bin/pip" install --quiet junitparser
fi
xmllint --noout --schema "$here/schemas/checkstyle.xsd" "$dir/report.checkstyle"
xmllint --noout --schema "$here/schemas/junit.xsd" "$dir/report.junit"
"$tools/venv/bin/python" - "$dir/report.junit" <<'PY'
import sys
from junitparser import JUnitXml
xml = JUnitXml.fromfile(sys.argv[1])
cases = sum(1 for suite in xml for _ in suite)
failures = sum(1 for suite in xml for case in suite if case.result)
assert cases > 0, "no test cases"
print(f"junitparser: {cases} test cases, {failures} failing")
PY
"$tools/venv/bin/check-jsonschema" --schemafile "$here/schemas/gitlab-codequality.json" "$dir/report.gitlab"
"$tools/venv/bin/check-jsonschema" --schemafile "$here/schemas/rdjson.json" "$dir/report.rdjson"
python3 - "$dir/report.gitlab" "$dir/report.github" <<'PY'
import json, re, sys
issues = json.load(open(sys.argv[1]))
prints = [i["fingerprint"] for i in issues]
assert len(prints) == len(set(prints)), "GitLab fingerprints must be unique"
line = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,endLine=\d+(,col=\d+,endColumn=\d+)?,title=[^,:]+::[^\r\n]+$")
n = 0
for text in open(sys.argv[2], encoding="utf-8"):
    text = text.rstrip("\n")
    assert line.match(text), f"not a workflow command: {text[:120]}"
    props = text.split("::")[1]
    if "col=" in props:
        start, end = re.search(r"line=(\d+),endLine=(\d+)", props).groups()
        assert start == end, "col/endColumn only on single-line findings"
    n += 1
assert n > 0
print(f"gitlab: {len(issues)} issues, unique fingerprints; github: {n} workflow commands")
PY
echo "formats: ok"
