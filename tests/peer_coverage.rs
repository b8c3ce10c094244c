//! Everything the incumbents check is covered: every rule of hadolint, BuildKit's build
//! checks, Trivy and Checkov maps to a drydock rule through its `sources:`, or is listed in
//! `rules/not-adopted.md` with a reason. The rule lists are those of
//! `../shared/reference/rule-matrix.md` (checked against it when it is present).

#![allow(clippy::print_stderr)] // a note when the rule matrix is absent

use std::collections::BTreeSet;
use std::path::Path;

use drydock::rules::metas;

/// hadolint 2.15's DL codes, including removed ones and the unassigned DL4002.
const HADOLINT: &[&str] = &[
    "DL1000", "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3005", "DL3006",
    "DL3007", "DL3008", "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015",
    "DL3016", "DL3017", "DL3018", "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024",
    "DL3025", "DL3026", "DL3027", "DL3028", "DL3029", "DL3030", "DL3031", "DL3032", "DL3033",
    "DL3034", "DL3035", "DL3036", "DL3037", "DL3038", "DL3039", "DL3040", "DL3041", "DL3042",
    "DL3043", "DL3044", "DL3045", "DL3046", "DL3047", "DL3048", "DL3049", "DL3050", "DL3051",
    "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3057", "DL3058", "DL3059", "DL3060",
    "DL3061", "DL3062", "DL3063", "DL3064", "DL3065", "DL3066", "DL3067", "DL4000", "DL4001",
    "DL4002", "DL4003", "DL4004", "DL4005", "DL4006",
];

/// BuildKit's build checks (frontend/dockerfile/linter/ruleset.go), the internal one included.
const BUILDKIT: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

/// Trivy's Dockerfile checks (DS-0003, DS-0018 and DS-0028 do not exist).
const TRIVY: &[&str] = &[
    "DS-0001", "DS-0002", "DS-0004", "DS-0005", "DS-0006", "DS-0007", "DS-0008", "DS-0009",
    "DS-0010", "DS-0011", "DS-0012", "DS-0013", "DS-0014", "DS-0015", "DS-0016", "DS-0017",
    "DS-0019", "DS-0020", "DS-0021", "DS-0022", "DS-0023", "DS-0024", "DS-0025", "DS-0026",
    "DS-0027", "DS-0029", "DS-0030", "DS-0031",
];

/// Checkov's Dockerfile checks.
const CHECKOV: &[&str] = &[
    "CKV_DOCKER_1",
    "CKV_DOCKER_2",
    "CKV_DOCKER_3",
    "CKV_DOCKER_4",
    "CKV_DOCKER_5",
    "CKV_DOCKER_6",
    "CKV_DOCKER_7",
    "CKV_DOCKER_8",
    "CKV_DOCKER_9",
    "CKV_DOCKER_10",
    "CKV_DOCKER_11",
    "CKV2_DOCKER_1",
    "CKV2_DOCKER_2",
    "CKV2_DOCKER_3",
    "CKV2_DOCKER_4",
    "CKV2_DOCKER_5",
    "CKV2_DOCKER_6",
    "CKV2_DOCKER_7",
    "CKV2_DOCKER_8",
    "CKV2_DOCKER_9",
    "CKV2_DOCKER_10",
    "CKV2_DOCKER_11",
    "CKV2_DOCKER_12",
    "CKV2_DOCKER_13",
    "CKV2_DOCKER_14",
    "CKV2_DOCKER_15",
    "CKV2_DOCKER_16",
    "CKV2_DOCKER_17",
];

fn peers() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("hadolint", HADOLINT),
        ("buildkit", BUILDKIT),
        ("trivy", TRIVY),
        ("checkov", CHECKOV),
    ]
}

/// Every `tool:code` some rule lists in `sources:`.
fn adopted() -> BTreeSet<String> {
    metas()
        .iter()
        .flat_map(|m| m.sources.iter().map(|s| (*s).to_owned()))
        .collect()
}

/// `(source, reason)` of each row of the `rules/not-adopted.md` table.
fn not_adopted() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/not-adopted.md");
    let text = std::fs::read_to_string(path).expect("rules/not-adopted.md is readable");
    text.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Source") && !l.starts_with("| ---"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            let reason = cells.last().copied().unwrap_or("").to_owned();
            (cells[0].to_owned(), reason)
        })
        .collect()
}

#[test]
fn every_peer_rule_is_adopted_or_listed_as_not_adopted_with_a_reason() {
    let adopted = adopted();
    let not_adopted = not_adopted();
    let listed: BTreeSet<&str> = not_adopted.iter().map(|(s, _)| s.as_str()).collect();
    let mut failures = Vec::new();
    for (tool, codes) in peers() {
        for code in codes {
            let source = format!("{tool}:{code}");
            match (adopted.contains(&source), listed.contains(source.as_str())) {
                (false, false) => failures.push(format!(
                    "{source}: no rule lists it in `sources:` and rules/not-adopted.md does not name it"
                )),
                (true, true) => failures.push(format!(
                    "{source}: adopted by a rule but also listed in rules/not-adopted.md"
                )),
                _ => {}
            }
        }
    }
    for (source, reason) in &not_adopted {
        if reason.len() < 20 {
            failures.push(format!("rules/not-adopted.md: {source} needs a reason"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn sources_name_real_peer_rules() {
    // A typo in `sources:` (`hadolint:DL3300`) would silently map nothing.
    let mut failures = Vec::new();
    for m in metas() {
        for source in m.sources {
            let Some((tool, code)) = source.split_once(':') else {
                failures.push(format!("{}: source `{source}` is not `tool:code`", m.code));
                continue;
            };
            if let Some((_, codes)) = peers().into_iter().find(|(t, _)| *t == tool) {
                // BuildKit rejecting the file outright is not one of its build checks.
                let pseudo = *source == "buildkit:ParseError";
                if !codes.contains(&code) && !pseudo {
                    failures.push(format!("{}: `{source}` is not a {tool} rule", m.code));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_lists_match_the_rule_matrix() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/rule-matrix.md");
    let Ok(matrix) = std::fs::read_to_string(&path) else {
        eprintln!("note: {} not found; skipping", path.display());
        return;
    };
    // The first cell of the table rows of §10.3 (hadolint), §4.1 (BuildKit), §5 (Trivy), §6 (Checkov).
    let first_cells = |section: &str, next: &str| -> BTreeSet<String> {
        let start = matrix.find(section).expect("section present");
        let end = start + matrix[start..].find(next).expect("next section present");
        matrix[start..end]
            .lines()
            .filter_map(|l| l.strip_prefix("| "))
            .filter_map(|l| l.split(" |").next())
            .map(str::trim)
            .filter(|c| !c.is_empty() && !c.starts_with("---"))
            .map(str::to_owned)
            .collect()
    };
    let expect = |list: &[&str]| {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<BTreeSet<_>>()
    };
    let hadolint: BTreeSet<String> = first_cells("### 10.3 Rule table", "### 10.4")
        .into_iter()
        .filter(|c| c.starts_with("DL"))
        .collect();
    assert_eq!(hadolint, expect(HADOLINT));
    let buildkit: BTreeSet<String> = first_cells("### 4.1 Rules", "### 4.2")
        .into_iter()
        .filter(|c| c != "Rule")
        .collect();
    assert_eq!(buildkit, expect(BUILDKIT));
    let trivy: BTreeSet<String> = first_cells("## 5. Trivy", "## 6.")
        .into_iter()
        .filter(|c| c.starts_with("DS-"))
        .collect();
    assert_eq!(trivy, expect(TRIVY));
    let checkov: BTreeSet<String> = first_cells("## 6. Checkov", "## 7.")
        .into_iter()
        .filter(|c| c.starts_with("CKV"))
        .collect();
    assert_eq!(checkov, expect(CHECKOV));
}
