#!/usr/bin/env python3
"""Match hadolint findings against drydock findings per (file, DL code, instruction).

Helper of bench/hadolint-compare.sh (see bench/README.md); reads the hadolint JSON files that
script wrote, runs drydock itself, prints a Markdown table and writes samples of every
disagreement to OUT/samples/.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys

# Manager word (first word of the first `code` in a drydock message) -> hadolint code, for the
# drydock rules that stand for one hadolint rule per package manager.
PER_MANAGER = {
    "DD207": {"apt-get": "DL3014", "apt": "DL3014", "aptitude": "DL3014", "yum": "DL3030",
              "zypper": "DL3034", "dnf": "DL3038", "microdnf": "DL3038"},
    "DD209": {"apt-get": "DL3009", "apt": "DL3009", "aptitude": "DL3009",
              "add-apt-repository": "DL3009", "apk": "DL3019", "yum": "DL3032",
              "zypper": "DL3036", "dnf": "DL3040", "microdnf": "DL3040", "pip": "DL3042",
              "pip3": "DL3042", "python": "DL3042", "python3": "DL3042", "yarn": "DL3060"},
    "DD210": {"apt-get": "DL3008", "apt": "DL3008", "pip": "DL3013", "pip3": "DL3013",
              "python": "DL3013", "python3": "DL3013", "npm": "DL3016", "apk": "DL3018",
              "gem": "DL3028", "yum": "DL3033", "zypper": "DL3037", "dnf": "DL3041",
              "microdnf": "DL3041", "go": "DL3062"},
}
# instruction-overridden: the keyword of the instruction that wins picks the hadolint code.
OVERRIDDEN = {"CMD": "DL4003", "ENTRYPOINT": "DL4004", "HEALTHCHECK": "DL3012"}
# Rules removed from hadolint before 2.15 that drydock still names as a source.
HADOLINT_REMOVED = {"DL3005", "DL3017", "DL3031", "DL3039"}
# hadolint rules that report nothing without configuration or are off by default.
HADOLINT_INACTIVE = {"DL1001", "DL3026", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053",
                     "DL3054", "DL3055", "DL3056", "DL3057", "DL3058"}


def drydock_json(drydock, args):
    out = subprocess.run([drydock] + args, capture_output=True, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"drydock {args[0]} failed: {out.stderr.decode(errors='replace')}")
    return json.loads(out.stdout)


def rule_map(drydock):
    """drydock rule code -> hadolint codes named in its `sources:`."""
    rules = drydock_json(drydock, ["rules", "--format", "json"])
    return {r["code"]: [s.split(":", 1)[1] for s in r["sources"] if s.startswith("hadolint:")]
            for r in rules if any(s.startswith("hadolint:") for s in r["sources"])}, rules


def chunks(items, n):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def instruction_ranges(drydock, corpus, files):
    """file -> sorted list of (first line, last line, keyword) of its instructions."""
    ranges = {}
    for part in chunks(files, 100):
        parsed = drydock_json(drydock, ["parse", "--format", "json"] + part)
        for f in parsed["files"]:
            ranges[f["path"]] = [(i["span"]["start"]["line"], i["span"]["end"]["line"],
                                  i["keyword"]) for i in f["instructions"]]
    return ranges


def instruction_at(ranges, line):
    """The first line of the instruction that contains `line` (or `line` itself)."""
    for start, end, _ in ranges:
        if start <= line <= end:
            return start
    return line


def keyword_at(ranges, line):
    for start, end, keyword in ranges:
        if start <= line <= end:
            return keyword
    return None


def next_same_keyword(ranges, line, keyword):
    """The next instruction with `keyword` after the one at `line`: drydock reports each overridden
    CMD, hadolint each CMD that overrides one, so a drydock finding pairs with the next one."""
    for start, end, kw in ranges:
        if start > line and kw == keyword:
            return start
    return line


def classify(diag, mapped, ranges):
    """The hadolint codes one drydock finding stands for, and the line to match it on."""
    codes = mapped.get(diag["code"], [])
    line = diag["span"]["start"]["line"]
    if diag["code"] in PER_MANAGER:
        words = re.findall(r"`([^`]*)`", diag["message"])
        manager = os.path.basename(words[0].split()[0]) if words and words[0].split() else ""
        manager = re.sub(r"[0-9.]+$", "", manager) if manager.startswith("python") else manager
        manager = {"python": "python3"}.get(manager, manager)
        code = PER_MANAGER[diag["code"]].get(manager)
        codes = [code] if code else []
    elif diag["code"] == "DD001":
        # Parse failures are compared per file, apart from the table; DL3043 (ONBUILD of FROM,
        # ONBUILD or MAINTAINER) is a syntax error for drydock.
        codes = ["DL3043"] if "DL3043" in codes and "ONBUILD" in diag["message"] else []
    elif diag["code"] == "DD506":
        keyword = keyword_at(ranges, line) or ""
        code = OVERRIDDEN.get(keyword)
        codes = [code] if code else []
        line = next_same_keyword(ranges, line, keyword)
    return codes, line


def load_hadolint(out_dir, name):
    """('ok', findings) | ('crash', stderr first line)."""
    path = os.path.join(out_dir, "hadolint", name + ".json")
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return "missing", ""
    if not text.strip():
        err = ""
        try:
            with open(path[:-5] + ".err", encoding="utf-8", errors="replace") as fh:
                err = fh.read().strip().splitlines()[:1]
        except FileNotFoundError:
            pass
        return "crash", (err[0] if err else "")
    return "ok", json.loads(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--drydock", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--partial", action="store_true",
                    help="compare only the files hadolint has been run on so far")
    opts = ap.parse_args()

    mapped, rules = rule_map(opts.drydock)
    dl_to_dd = collections.defaultdict(list)
    for dd, dls in mapped.items():
        for dl in dls:
            dl_to_dd[dl].append(dd)
    # hadolint's default output against drydock with every mapped rule on (default-off ones too),
    # except those standing only for hadolint rules that are inactive without configuration.
    selected = ["DD001"] + sorted(dd for dd, dls in mapped.items()
                                  if not set(dls) <= HADOLINT_INACTIVE)

    files = sorted(f for f in os.listdir(opts.corpus)
                   if os.path.isfile(os.path.join(opts.corpus, f)))
    cwd = os.getcwd()
    drydock = os.path.join(cwd, opts.drydock) if not os.path.isabs(opts.drydock) else opts.drydock
    out_dir = os.path.join(cwd, opts.out) if not os.path.isabs(opts.out) else opts.out
    os.chdir(opts.corpus)
    ranges = instruction_ranges(drydock, opts.corpus, files)
    report = drydock_json(drydock, ["check", "--no-config", "--format", "json", "--fail-level",
                                    "none", "--select", ",".join(selected)] + files)

    dd_syntax = {d["path"] for d in report["diagnostics"] if d["code"] == "DD001"}
    dd = collections.defaultdict(dict)  # (file, DL) -> {instruction line: message}
    for d in report["diagnostics"]:
        codes, line = classify(d, mapped, ranges.get(d["path"], []))
        for code in codes:
            key = instruction_at(ranges.get(d["path"], []), line)
            dd[(d["path"], code)].setdefault(key, f"{d['code']} {d['message']}")

    hl = collections.defaultdict(dict)
    hl_parse_error, hl_crash, hl_missing, sc_total = set(), {}, set(), 0
    for f in files:
        status, findings = load_hadolint(out_dir, f)
        if status == "crash":
            hl_crash[f] = findings
            continue
        if status == "missing":
            if not opts.partial:
                sys.exit(f"no hadolint result for {f}: run bench/hadolint-compare.sh")
            hl_missing.add(f)
            continue
        for h in findings:
            if h["code"] == "DL1000":
                hl_parse_error.add(f)
            elif h["code"].startswith("SC"):
                sc_total += 1
            else:
                key = instruction_at(ranges.get(f, []), h["line"])
                hl[(f, h["code"])].setdefault(key, h["message"].splitlines()[0])

    skipped = hl_parse_error | set(hl_crash) | hl_missing
    codes = sorted(({c for _, c in hl} | set(dl_to_dd)) - {"DL1000"})
    samples_dir = os.path.join(out_dir, "samples")
    os.makedirs(samples_dir, exist_ok=True)
    for old in os.listdir(samples_dir):
        os.remove(os.path.join(samples_dir, old))
    rows, totals = [], {}
    for code in codes:
        both = only_h = only_d = 0
        samples = {"only-hadolint": [], "only-drydock": []}
        for f in files:
            if f in skipped:
                continue
            h, d = hl.get((f, code), {}), dd.get((f, code), {})
            both += len(h.keys() & d.keys())
            for line in sorted(h.keys() - d.keys()):
                only_h += 1
                samples["only-hadolint"].append(f"{f}:{line}: {h[line]}")
            for line in sorted(d.keys() - h.keys()):
                only_d += 1
                samples["only-drydock"].append(f"{f}:{line}: {d[line]}")
        for kind, lines in samples.items():
            if lines:
                with open(os.path.join(samples_dir, f"{code}-{kind}.txt"), "w",
                          encoding="utf-8") as fh:
                    fh.write("\n".join(lines) + "\n")
        rule = ", ".join(dl_to_dd.get(code, [])) or "(none)"
        note = " (inactive in hadolint by default)" if code in HADOLINT_INACTIVE else ""
        note = " (removed from hadolint)" if code in HADOLINT_REMOVED else note
        rows.append(f"| {code} | {rule}{note} | {both} | {only_h} | {only_d} |")
        totals[code] = {"both": both, "only_hadolint": only_h, "only_drydock": only_d}

    print(f"Files: {len(files)}; hadolint parse errors (DL1000): {len(hl_parse_error)} "
          f"(drydock DD001 on {len(hl_parse_error & dd_syntax)} of them); hadolint crashes: "
          f"{len(hl_crash)}; drydock DD001 on {len(dd_syntax)} files "
          f"({len(dd_syntax - skipped)} where hadolint parsed the file). "
          f"Compared: {len(files) - len(skipped)} files.")
    print(f"ShellCheck (SC) findings from hadolint, not compared: {sc_total}.")
    print()
    print("| hadolint | drydock | both | only hadolint | only drydock |")
    print("|---|---|---:|---:|---:|")
    print("\n".join(rows))
    with open(os.path.join(out_dir, "counts.json"), "w", encoding="utf-8") as fh:
        json.dump({"totals": totals, "hadolint_parse_error": sorted(hl_parse_error),
                   "hadolint_crash": hl_crash, "drydock_syntax_error": sorted(dd_syntax)},
                  fh, indent=1)
    print(f"\nSamples of every disagreement: {samples_dir}/", file=sys.stderr)


if __name__ == "__main__":
    main()
