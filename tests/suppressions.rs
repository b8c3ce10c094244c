//! Suppression comments through `engine::lint`: which findings remain, and the exact DD002
//! findings (message and span) for useless suppressions.

use drydock::diagnostic::Severity;
use drydock::engine::{lint, Settings};
use drydock::rules;
use drydock::source::decode;

/// Every finding as `(code, text under its span, message)`.
fn findings_with(src: &str, settings: &Settings) -> Vec<(String, String, String)> {
    lint(&decode(src.as_bytes().to_vec()), settings)
        .findings
        .iter()
        .map(|f| {
            (
                f.code.to_owned(),
                f.span.slice(src).to_owned(),
                f.message.clone(),
            )
        })
        .collect()
}

/// The findings under the default settings.
fn findings(src: &str) -> Vec<(String, String, String)> {
    findings_with(src, &defaults())
}

/// Just the codes of the findings under the default settings.
fn codes(src: &str) -> Vec<String> {
    findings(src).into_iter().map(|f| f.0).collect()
}

/// A DD002 finding as `findings` gives it.
fn dd002(text: &str, message: &str) -> (String, String, String) {
    ("DD002".into(), text.into(), message.into())
}

/// The default rules without `final-user-missing`, which fires on every short example here
/// (none sets a USER) and is not what these tests are about.
fn defaults() -> Settings {
    let mut settings = Settings::default();
    for i in drydock::rules::select("final-user-missing") {
        settings.rules[i] = None;
    }
    settings
}

/// Settings with only the rules designated by `names`.
fn only(names: &[&str]) -> Settings {
    let indices: Vec<usize> = names.iter().flat_map(|n| rules::select(n)).collect();
    Settings::only(&indices)
}

const RUNN: &str = "FROM alpine:3.22\nRUNN echo hi\n";

#[test]
fn without_a_suppression_the_syntax_error_is_reported() {
    assert_eq!(codes(RUNN), ["DD001"]);
}

#[test]
fn ignore_covers_the_next_instruction() {
    let src = "FROM alpine:3.22\n# drydock ignore=DD001\nRUNN echo hi\n";
    assert_eq!(findings(src), []);
}

#[test]
fn names_categories_all_and_loose_spacing_work() {
    for comment in [
        "# drydock ignore=syntax-error",
        "# drydock ignore=syntax",
        "# drydock ignore=all",
        "# drydock ignore=dd001",
        "#drydock ignore = DD001 -- reason: migrating",
        "#   drydock   ignore =DD001",
    ] {
        let src = format!("FROM alpine:3.22\n{comment}\nRUNN echo hi\n");
        assert_eq!(findings(&src), [], "{comment}");
    }
}

#[test]
fn comments_and_blank_lines_may_separate_the_suppression_from_its_instruction() {
    let src = "FROM alpine:3.22\n# drydock ignore=DD001\n\n# install curl\n\nRUNN echo hi\n";
    assert_eq!(findings(src), []);
}

#[test]
fn a_bare_hash_line_detaches_the_suppression() {
    let src = "FROM alpine:3.22\n# drydock ignore=DD001\n#\nRUNN echo hi\n";
    let f = findings(src);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(
        f[0],
        dd002(
            "DD001",
            "the suppression of `DD001` is not directly above an instruction"
        )
    );
    assert_eq!(f[1].0, "DD001");
}

#[test]
fn a_suppression_covers_only_its_own_instruction() {
    let src = "# drydock ignore=DD001\nFROM alpine:3.22\nRUNN echo hi\n";
    let f = lint(&decode(src.as_bytes().to_vec()), &defaults()).findings;
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(
        (f[0].code, f[0].span.start, f[0].span.end),
        ("DD002", 17, 22)
    );
    assert_eq!(
        f[0].message,
        "`DD001` is suppressed here but reports nothing on this instruction"
    );
    assert_eq!(f[0].help, "remove `DD001` from the `ignore=` comment");
    assert_eq!(f[0].severity, Severity::Info);
    assert_eq!(f[1].code, "DD001");
}

#[test]
fn ignore_file_works_anywhere() {
    let src = "FROM alpine:3.22\nRUNN echo hi\nRUN true\n# drydock ignore-file=DD001\n";
    assert_eq!(findings(src), []);
    let src = "# drydock ignore-file=DD001\nFROM alpine:3.22\nRUNN a\nRUNN b\n";
    assert_eq!(findings(src), []);
}

#[test]
fn unknown_names_are_reported_at_the_name() {
    let src = "FROM alpine:3.22\n# drydock ignore=DD001, DD999\nRUNN echo hi\n";
    let f = lint(&decode(src.as_bytes().to_vec()), &defaults()).findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].code, f[0].span.start, f[0].span.end),
        ("DD002", 41, 46)
    );
    assert_eq!(f[0].span.slice(src), "DD999");
    assert_eq!(
        f[0].message,
        "unknown rule `DD999` in a suppression comment"
    );
}

#[test]
fn a_partly_used_list_reports_the_unused_name() {
    let src = "FROM alpine:3.22\n# drydock ignore=DD001,DD003\nRUNN echo hi\n";
    assert_eq!(
        findings(src),
        [dd002(
            "DD003",
            "`DD003` is suppressed here but reports nothing on this instruction"
        )]
    );
}

#[test]
fn unused_file_suppressions_are_reported() {
    let src = "FROM alpine:3.22\n# drydock ignore-file=empty-continuation-line\nRUN true\n";
    assert_eq!(
        findings(src),
        [dd002(
            "empty-continuation-line",
            "`empty-continuation-line` is suppressed for the file but reports nothing in it"
        )]
    );
}

#[test]
fn suppressions_of_disabled_rules_are_not_judged() {
    // Only DD002 runs: DD001 is known but disabled, so its suppression cannot be judged.
    let src = "FROM alpine:3.22\n# drydock ignore=DD001\nRUN true\n";
    assert_eq!(findings_with(src, &only(&["DD002"])), []);
    // An unknown name is reported whatever runs.
    let src = "FROM alpine:3.22\n# drydock ignore=DD999\nRUN true\n";
    assert_eq!(
        findings_with(src, &only(&["DD002"])),
        [dd002(
            "DD999",
            "unknown rule `DD999` in a suppression comment"
        )]
    );
    // With DD002 disabled nothing is reported about suppressions.
    assert_eq!(findings_with(src, &only(&["DD001"])), []);
}

#[test]
fn dd002_takes_its_configured_severity_and_can_be_ignored_file_wide() {
    let src = "FROM alpine:3.22\n# drydock ignore=DD999\nRUN true\n";
    let mut settings = defaults();
    let i = rules::find("DD002").unwrap();
    settings.rules[i] = Some(Severity::Warning);
    let f = lint(&decode(src.as_bytes().to_vec()), &settings).findings;
    assert_eq!(f[0].severity, Severity::Warning);
    let src = "# drydock ignore-file=DD002\nFROM alpine:3.22\n# drydock ignore=DD999\nRUN true\n";
    assert_eq!(findings(src), []);
    // A file-wide suppression of DD002 alone is never reported as unused.
    assert_eq!(
        findings("# drydock ignore-file=DD002\nFROM alpine:3.22\n"),
        []
    );
}

#[test]
fn malformed_drydock_comments_are_reported() {
    let src = "FROM alpine:3.22\n# drydock disable=DD001\nRUNN echo hi\n";
    assert_eq!(
        findings(src),
        [
            dd002(
                "# drydock disable=DD001",
                "unknown drydock comment `disable=`"
            ),
            ("DD001".into(), "RUNN".into(), findings(RUNN)[0].2.clone()),
        ]
    );
    let src = "FROM alpine:3.22\n# drydock ignore=\nRUN true\n";
    assert_eq!(
        findings(src),
        [dd002(
            "# drydock ignore=",
            "this suppression comment names no rule"
        )]
    );
    // Prose that merely starts with the word is an ordinary comment.
    assert_eq!(findings("# drydock rocks\nFROM alpine:3.22\n"), []);
}

#[test]
fn findings_outside_instructions_are_only_file_suppressible() {
    // The invalid escape is reported on the directive line, outside every instruction.
    let src = "# escape=x\n# drydock ignore=DD001\nFROM alpine:3.22\n";
    let f = codes(src);
    assert_eq!(f, ["DD001", "DD002"]);
    let src = "# escape=x\n# drydock ignore-file=DD001\nFROM alpine:3.22\n";
    assert_eq!(findings(src), []);
}

const EMPTY_CONTINUATION: &str = "RUN apk add --no-cache curl && \\\n\n    rm -rf /tmp/*\n";

#[test]
fn buildkit_check_directive_skips_rules_with_a_buildkit_source() {
    let plain = format!("FROM alpine:3.22\n{EMPTY_CONTINUATION}");
    assert_eq!(codes(&plain), ["DD003"]);
    for directive in [
        "# check=skip=NoEmptyContinuation",
        "# check=skip=JSONArgsRecommended,NoEmptyContinuation;error=true",
        "# check=error=true;skip=all",
    ] {
        let src = format!("{directive}\n{plain}");
        assert_eq!(findings(&src), [], "{directive}");
    }
}

#[test]
fn buildkit_skip_all_does_not_hide_syntax_errors() {
    let src = format!("# check=skip=all\n{RUNN}");
    assert_eq!(codes(&src), ["DD001"]);
}

#[test]
fn buildkit_check_comment_covers_the_next_instruction_only() {
    let src = format!(
        "FROM alpine:3.22\n# check=skip=NoEmptyContinuation // reason\n{EMPTY_CONTINUATION}"
    );
    assert_eq!(findings(&src), []);
    let src =
        format!("# base\n# check=skip=NoEmptyContinuation\nFROM alpine:3.22\n{EMPTY_CONTINUATION}");
    // Not a directive (a plain comment comes first): it belongs to FROM, not to RUN.
    assert_eq!(codes(&src), ["DD003"]);
}

#[test]
fn foreign_comments_that_match_nothing_are_not_reported() {
    let src = "# hadolint global ignore=DL3006\nFROM alpine:3.22\n# hadolint ignore=DL9999,SC2086\n# check=skip=StageNameCasing\nRUN true\n";
    assert_eq!(findings(src), []);
}

#[test]
fn hadolint_codes_suppress_the_rules_that_list_them() {
    // Runs once a rule with a hadolint source (DD102 base-image-latest: DL3007) is registered.
    let Some(i) = rules::find("DL3007") else {
        return;
    };
    let code = rules::metas()[i].code;
    let settings = only(&[code, "DD002"]);
    let bad = "FROM alpine:latest\nRUN true\n";
    let found = findings_with(bad, &settings);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, code);
    for comment in [
        "# hadolint ignore=DL3007",
        "# hadolint global ignore=DL3006,DL3007",
        "# drydock ignore=DL3007",
        "# drydock ignore=hadolint:DL3007",
    ] {
        let src = format!("{comment}\n{bad}");
        assert_eq!(findings_with(&src, &settings), [], "{comment}");
    }
    // A hadolint pragma targets the next instruction only.
    let src = "FROM alpine:3.22\n# hadolint ignore=DL3007\nRUN true\nFROM alpine:latest\n";
    assert_eq!(findings_with(src, &settings).len(), 1);
}

#[test]
fn hadolint_dl3029_means_a_constant_platform() {
    // DL3029 flags `FROM --platform=<constant>` only, as DD115 does; DD114 (any `--platform`) is
    // not its equivalent, so a hadolint pragma or `--select DL3029` must reach DD115.
    let i = rules::find("DL3029").expect("DL3029 is mapped");
    assert_eq!(rules::metas()[i].code, "DD115");
    let settings = only(&["DD114", "DD115", "DD002"]);
    let bad = "FROM --platform=linux/amd64 alpine:3.22\nRUN true\n";
    let codes_of = |src: &str| -> Vec<String> {
        findings_with(src, &settings)
            .into_iter()
            .map(|f| f.0)
            .collect()
    };
    assert_eq!(codes_of(bad), ["DD114", "DD115"]);
    assert_eq!(
        codes_of(&format!("# hadolint ignore=DL3029\n{bad}")),
        ["DD114"]
    );
}

/// What `--fix` makes of `src` with only DD002's fixes applied (all default rules run).
fn fixed(src: &str) -> String {
    let settings = defaults();
    let only_dd002 = |d: &drydock::source::Decoded| {
        lint(d, &settings)
            .findings
            .into_iter()
            .filter(|f| f.code == "DD002")
            .collect()
    };
    let out = drydock::fix::fix_with(
        src.as_bytes(),
        drydock::fix::Applicability::Safe,
        only_dd002,
    );
    String::from_utf8(out.bytes).unwrap()
}

#[test]
fn unused_names_are_removed_with_their_comma_and_empty_comments_with_their_line() {
    // The last name goes with the comma before it; a middle one with the comma after it.
    assert_eq!(
        fixed("FROM alpine:latest\n# drydock ignore=DD102, DD207\nFROM alpine:latest\n"),
        "FROM alpine:latest\n# drydock ignore=DD102\nFROM alpine:latest\n"
    );
    assert_eq!(
        fixed("# drydock ignore=DD207,DD102,DD208\nFROM alpine:latest\n"),
        "# drydock ignore=DD102\nFROM alpine:latest\n"
    );
    // A file-wide comment suppressing nothing goes, CRLF line break included.
    assert_eq!(
        fixed("FROM alpine:3.22\r\n  # drydock ignore-file=DD207\r\nRUN true\r\n"),
        "FROM alpine:3.22\r\nRUN true\r\n"
    );
    // Unknown names may be typos of the rule meant: no fix.
    let typo = "FROM alpine:3.22\n# drydock ignore=DD2O7\nRUN true\n";
    assert_eq!(fixed(typo), typo);
    // Deleting the first line would make `# syntax=` a parser directive: no fix.
    let directive = "# drydock ignore-file=DD207\n# syntax=docker/dockerfile:1\nFROM alpine:3.22\n";
    assert_eq!(codes(directive), ["DD002"]);
    assert_eq!(fixed(directive), directive);
}
