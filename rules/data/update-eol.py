#!/usr/bin/env python3
"""Refresh the release-cycle dates of rules/data/eol.yaml from endoflife.date.

Maintainer script, not run in CI (it needs the network). For every product whose `source` is
`endoflife.date/<id>`, it reads the cycles of https://endoflife.date/api/<id>.json (or
<dir>/<id>.json with --from-dir, for offline runs and review), updates `released`, `eol`,
`extended_support_end`, `latest` and `lts` of known cycles, adds new cycles (newest first), recomputes
`status`, drops `unverified` from cycles the source now lists, and sets `meta.as_of`. Tag rules,
moving tags, deprecated repositories and notes are curated by hand and left alone. With
--distro-info DIR (Debian's distro-info-data, /usr/share/distro-info), Debian and Ubuntu dates are
cross-checked and disagreements printed. Review `git diff rules/data/eol.yaml`, then run
`cargo test eol` (the test vectors pin verdicts as of their date; update them where the data moved).

Needs ruamel.yaml (`pip install ruamel.yaml`) to keep the file's comments and layout.
"""
import argparse
import csv
import datetime
import json
import pathlib
import sys
import urllib.request

try:
    from ruamel.yaml import YAML
except ImportError:
    sys.exit("update-eol.py needs ruamel.yaml: pip install ruamel.yaml")

HERE = pathlib.Path(__file__).resolve().parent
DB = HERE / "eol.yaml"
API = "https://endoflife.date/api/{}.json"


def fetch(product, from_dir):
    if from_dir:
        path = pathlib.Path(from_dir) / f"{product}.json"
        return json.loads(path.read_text()) if path.exists() else None
    with urllib.request.urlopen(API.format(product), timeout=30) as response:
        return json.load(response)


def date_or_flag(value):
    """endoflife.date gives a date string, true (ended, no date) or false (no end)."""
    if isinstance(value, bool) or value is None:
        return value
    return str(value)


def status(cycle, today):
    eol = cycle.get("eol")
    if eol is True:
        return "eol"
    if not isinstance(eol, str):
        return "supported" if eol is False else "unknown"
    if today <= eol:
        return "supported"
    ext = cycle.get("extended_support_end")
    return "extended" if isinstance(ext, str) and today <= ext else "eol"


def version_key(name):
    try:
        return [int(p) for p in str(name).split(".")]
    except ValueError:
        return [-1]


def update_product(pid, product, rows, today, changes):
    known = {str(c["cycle"]): c for c in product["cycles"]}
    for row in rows:
        name = str(row.get("cycle"))
        cycle = known.get(name)
        if cycle is None:
            cycle = {"cycle": name}
            product["cycles"].append(cycle)
            known[name] = cycle
            changes.append(f"{pid} {name}: new cycle")
        fields = {
            "released": row.get("releaseDate"),
            "eol": date_or_flag(row.get("eol")),
            "extended_support_end": date_or_flag(row.get("extendedSupport")),
            "latest": row.get("latest"),
            "lts": row.get("lts") or None,
        }
        for key, value in fields.items():
            if value is None or value is False and key == "extended_support_end":
                continue
            if cycle.get(key) != value:
                changes.append(f"{pid} {name}: {key} {cycle.get(key)!r} -> {value!r}")
                cycle[key] = value
        cycle.pop("unverified", None)
    product["cycles"].sort(key=lambda c: version_key(c["cycle"]), reverse=True)
    for cycle in product["cycles"]:
        cycle["status"] = status(cycle, today)


def cross_check(db, distro_dir):
    for product, name in (("debian", "debian.csv"), ("ubuntu", "ubuntu.csv")):
        path = pathlib.Path(distro_dir) / name
        if not path.exists():
            continue
        by_cycle = {str(c["cycle"]): c for c in db["products"][product]["cycles"]}
        for row in csv.DictReader(path.open()):
            version = row["version"].replace(" LTS", "").strip()
            cycle = by_cycle.get(version)
            if cycle and row.get("eol") and cycle.get("eol") != row["eol"]:
                print(f"distro-info-data: {product} {version} eol {row['eol']}, eol.yaml {cycle.get('eol')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-dir", help="read <product>.json files from this directory instead of the API")
    parser.add_argument("--today", default=datetime.date.today().isoformat(), help="the new meta.as_of")
    parser.add_argument("--distro-info", help="distro-info-data directory to cross-check Debian and Ubuntu")
    parser.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    args = parser.parse_args()

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    db = yaml.load(DB.read_text())
    changes = []
    for pid, product in db["products"].items():
        source = product.get("source") or ""
        if not source.startswith("endoflife.date/"):
            continue
        rows = fetch(source.split("/", 1)[1], args.from_dir)
        if rows is None:
            continue
        update_product(pid, product, rows, args.today, changes)
    db["meta"]["as_of"] = args.today
    if args.distro_info:
        cross_check(db, args.distro_info)
    print("\n".join(changes) or "no changes")
    if not args.dry_run:
        with DB.open("w") as out:
            yaml.dump(db, out)


if __name__ == "__main__":
    main()
