//! `.drydock.yaml`: exact error messages with positions, resolution with command-line
//! overrides, and discovery in temporary directory trees.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use drydock::config::{self, Config, FailLevel, Overrides};
use drydock::diagnostic::Severity;
use drydock::rules::{self, SecurityUpdates};
use drydock::span::Span;

/// The parsed configuration, or the error's display text.
fn parse(text: &str) -> Result<Config, String> {
    config::parse(Path::new(".drydock.yaml"), text).map_err(|e| e.to_string())
}

/// The error for `text` (which must be invalid).
fn error(text: &str) -> config::ConfigError {
    config::parse(Path::new(".drydock.yaml"), text).unwrap_err()
}

/// The enabled state and severity of the rule `code` after resolution.
fn level(resolved: &config::Resolved, code: &str) -> Option<Severity> {
    resolved.settings.rules[rules::find(code).unwrap()]
}

#[test]
fn an_empty_file_is_an_empty_config() {
    for text in ["", "\n\n", "# just a comment\n"] {
        let c = parse(text).unwrap();
        assert!(c.select.is_none() && c.ignore.is_none(), "{text:?}");
        assert!(c.severity.is_empty() && c.fail_level.is_none(), "{text:?}");
    }
}

#[test]
fn every_key_is_read() {
    let text = "select: [all]\nignore:\n  - DD003\n  - style\nseverity:\n  DD001: warning\n  DD004: off\nfail-level: info\ntrusted-registries: [registry.example.com]\npolicy:\n  security-updates: require\n  eol-warn-days: 30\n";
    let c = parse(text).unwrap();
    assert_eq!(c.select, Some(vec!["all".to_owned()]));
    assert_eq!(c.ignore, Some(vec!["DD003".to_owned(), "style".to_owned()]));
    assert_eq!(
        c.severity,
        [
            ("DD001".to_owned(), Some(Severity::Warning)),
            ("DD004".to_owned(), None)
        ]
    );
    assert_eq!(c.fail_level, Some(FailLevel::Info));
    assert_eq!(c.policy.trusted_registries, ["registry.example.com"]);
    assert_eq!(c.policy.security_updates, SecurityUpdates::Require);
    assert_eq!(c.policy.eol_warn_days, 30);
    assert_eq!(c.path, Path::new(".drydock.yaml"));
}

#[test]
fn a_single_name_counts_as_a_list() {
    assert_eq!(
        parse("select: all\n").unwrap().select,
        Some(vec!["all".into()])
    );
}

#[test]
fn unknown_keys_point_at_the_key_and_suggest_a_fix() {
    let e = error("ignore: []\nselct: [DD001]\n");
    assert_eq!(
        e.to_string(),
        ".drydock.yaml:2:1: unknown key `selct`; did you mean `select`?"
    );
    assert_eq!(e.span, Some(Span::new(11, 16)));
    assert_eq!(e.help, None);
    assert_eq!(
        parse("failure-threshold: error\n").unwrap_err(),
        ".drydock.yaml:1:1: unknown key `failure-threshold`; did you mean `fail-level`?"
    );
    let e = error("plugins: []\n");
    assert_eq!(e.to_string(), ".drydock.yaml:1:1: unknown key `plugins`");
    assert_eq!(
        e.help.as_deref(),
        Some("allowed keys: select, ignore, severity, fail-level, trusted-registries, insecure-registries, policy, custom-rules")
    );
    assert_eq!(
        parse("policy:\n  eol-warn-day: 3\n").unwrap_err(),
        ".drydock.yaml:2:3: unknown key `eol-warn-day`; did you mean `eol-warn-days`?"
    );
}

#[test]
fn bad_levels_point_at_the_value() {
    let e = error("severity:\n  DD001: loud\n");
    assert_eq!(
        e.to_string(),
        ".drydock.yaml:2:10: `severity` must be one of error, warning, info, style, off, not `loud`"
    );
    assert_eq!(
        e.span.map(|s| s.slice(&e.text).to_owned()).as_deref(),
        Some("loud")
    );
    assert_eq!(
        parse("fail-level: warn\n").unwrap_err(),
        ".drydock.yaml:1:13: `fail-level` must be one of error, warning, info, style, none, not `warn`"
    );
    assert_eq!(
        parse("policy: {security-updates: always}\n").unwrap_err(),
        ".drydock.yaml:1:28: `security-updates` must be one of ignore, require, forbid, not `always`"
    );
    assert_eq!(
        parse("policy:\n  eol-warn-days: -1\n").unwrap_err(),
        ".drydock.yaml:2:18: `eol-warn-days` must be a non-negative integer, not `-1`"
    );
    assert_eq!(
        parse("policy:\n  eol-warn-days: soon\n").unwrap_err(),
        ".drydock.yaml:2:18: `eol-warn-days` must be a non-negative integer"
    );
}

#[test]
fn unknown_rules_point_at_the_name() {
    let e = error("select:\n  - DD001\n  - DD999\n");
    assert_eq!(
        e.to_string(),
        ".drydock.yaml:3:5: unknown rule `DD999` in `select`"
    );
    assert_eq!(e.span, Some(Span::new(22, 27)));
    assert!(e.help.unwrap().contains("`drydock rules` lists them"));
    assert_eq!(
        parse("ignore: [DD001, syntax-eror]\n").unwrap_err(),
        ".drydock.yaml:1:17: unknown rule `syntax-eror` in `ignore`"
    );
    assert_eq!(
        error("ignore: [syntax-eror]\n").help.as_deref(),
        Some("did you mean `syntax-error`? give a code (DD102), a name (base-image-latest), a category (base-images, custom), a hadolint code (DL3007), a custom rule's id or name, or `all`; `drydock rules` lists them")
    );
    assert_eq!(
        parse("severity:\n  DD999: error\n").unwrap_err(),
        ".drydock.yaml:2:3: unknown rule `DD999` in `severity`"
    );
}

#[test]
fn categories_all_and_codes_in_any_case_are_rule_names() {
    let c = parse("select: [all, syntax, dd001, syntax-error]\n").unwrap();
    assert_eq!(c.select.map(|s| s.len()), Some(4));
}

#[test]
fn text_that_is_not_yaml_is_an_error() {
    assert_eq!(
        parse("select: [DD001\n").unwrap_err(),
        ".drydock.yaml:1:9: not valid YAML: unclosed bracket '['"
    );
    assert_eq!(
        parse("just some words\n").unwrap_err(),
        ".drydock.yaml:1:1: the configuration must be a map of settings (select, ignore, severity, fail-level, trusted-registries, insecure-registries, policy, custom-rules)"
    );
}

#[test]
fn a_list_where_a_map_is_expected_is_an_error() {
    assert_eq!(
        parse("severity: [DD001]\n").unwrap_err(),
        ".drydock.yaml:1:11: `severity` must be a map of rule names to levels (error, warning, info, style, off)"
    );
    assert_eq!(
        parse("policy:\n  - security-updates\n").unwrap_err(),
        ".drydock.yaml:2:3: `policy` must be a map with the keys security-updates, eol-warn-days, eol-db-max-age-days, labels, strict-labels"
    );
    assert_eq!(
        parse("- select\n").unwrap_err(),
        ".drydock.yaml:1:1: the configuration must be a map of settings (select, ignore, severity, fail-level, trusted-registries, insecure-registries, policy, custom-rules)"
    );
    assert_eq!(
        parse("select: {DD001: on}\n").unwrap_err(),
        ".drydock.yaml:1:9: `select` must be a list of rule names"
    );
}

#[test]
fn errors_without_position_show_the_path_only() {
    let e = config::load(Path::new("/nonexistent/drydock/.drydock.yaml")).unwrap_err();
    assert!(e
        .to_string()
        .starts_with("/nonexistent/drydock/.drydock.yaml: cannot read the configuration file: "));
    assert_eq!(e.span, None);
}

#[test]
fn resolution_starts_from_the_defaults() {
    let r = config::resolve(None, &Overrides::default()).unwrap();
    assert_eq!(level(&r, "DD001"), Some(Severity::Error));
    assert_eq!(r.fail_level, FailLevel::Warning);
}

#[test]
fn select_replaces_the_default_set_and_ignore_removes() {
    let c = parse("select: [syntax]\nignore: [DD003]\n").unwrap();
    let r = config::resolve(Some(&c), &Overrides::default()).unwrap();
    assert_eq!(level(&r, "DD001"), Some(Severity::Error));
    assert_eq!(level(&r, "DD003"), None);
    // The command line replaces the configuration's lists, it does not add to them.
    let o = Overrides {
        select: Some(vec!["DD003".into()]),
        ignore: Some(vec![]),
        fail_level: None,
    };
    let r = config::resolve(Some(&c), &o).unwrap();
    assert_eq!(level(&r, "DD001"), None);
    assert_eq!(level(&r, "DD003"), Some(Severity::Warning));
}

#[test]
fn select_all_enables_every_rule() {
    let o = Overrides {
        select: Some(vec!["all".into()]),
        ..Overrides::default()
    };
    let r = config::resolve(None, &o).unwrap();
    assert!(r.settings.rules.iter().all(Option::is_some));
}

#[test]
fn severity_relevels_enabled_rules_in_order_and_off_disables() {
    let c =
        parse("ignore: [DD004]\nseverity:\n  all: style\n  DD001: error\n  DD003: off\n").unwrap();
    let r = config::resolve(Some(&c), &Overrides::default()).unwrap();
    assert_eq!(level(&r, "DD001"), Some(Severity::Error));
    assert_eq!(level(&r, "DD002"), Some(Severity::Style));
    assert_eq!(level(&r, "DD003"), None);
    // A level does not enable an ignored rule.
    assert_eq!(level(&r, "DD004"), None);
}

#[test]
fn fail_level_and_policy_come_from_the_config_unless_overridden() {
    let c =
        parse("fail-level: error\npolicy: {eol-warn-days: 7, eol-db-max-age-days: 365}\ntrusted-registries: [r.example]\n")
            .unwrap();
    let r = config::resolve(Some(&c), &Overrides::default()).unwrap();
    assert_eq!(r.fail_level, FailLevel::Error);
    assert_eq!(r.settings.policy.eol_warn_days, 7);
    assert_eq!(r.settings.policy.eol_db_max_age_days, 365);
    assert_eq!(r.settings.policy.trusted_registries, ["r.example"]);
    let o = Overrides {
        fail_level: Some(FailLevel::None),
        ..Overrides::default()
    };
    assert_eq!(
        config::resolve(Some(&c), &o).unwrap().fail_level,
        FailLevel::None
    );
}

#[test]
fn unknown_names_on_the_command_line_are_errors() {
    let o = Overrides {
        ignore: Some(vec!["DD001,DD99".into()]),
        ..Overrides::default()
    };
    let e = config::resolve(None, &o).unwrap_err();
    assert!(e.starts_with("unknown rule `DD99`: "), "{e}");
    // Comma-separated names are split.
    let o = Overrides {
        ignore: Some(vec!["DD001, DD003".into()]),
        ..Overrides::default()
    };
    let r = config::resolve(None, &o).unwrap();
    assert_eq!((level(&r, "DD001"), level(&r, "DD003")), (None, None));
}

/// A fresh, empty directory under the system temp directory.
fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("drydock-config-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Create `path` (and its parents) with `text`.
fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn discovery_walks_up_to_the_nearest_config() {
    let root = temp_dir("walk");
    std::fs::create_dir_all(root.join("repo/.git")).unwrap();
    write(&root.join("repo/.drydock.yaml"), "");
    write(&root.join("repo/svc/.drydock.yml"), "");
    std::fs::create_dir_all(root.join("repo/svc/api/deep")).unwrap();
    std::fs::create_dir_all(root.join("repo/web")).unwrap();
    assert_eq!(
        config::discover(&root.join("repo/svc/api/deep")),
        Some(root.join("repo/svc/.drydock.yml"))
    );
    assert_eq!(
        config::discover(&root.join("repo/web")),
        Some(root.join("repo/.drydock.yaml"))
    );
    assert_eq!(
        config::discover(&root.join("repo")),
        Some(root.join("repo/.drydock.yaml"))
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let root = temp_dir("stop");
    write(&root.join(".drydock.yaml"), "");
    std::fs::create_dir_all(root.join("repo/.git")).unwrap();
    std::fs::create_dir_all(root.join("repo/sub")).unwrap();
    assert_eq!(config::discover(&root.join("repo/sub")), None);
    // A `.git` file (worktrees, submodules) marks a root too.
    write(&root.join("other/.git"), "gitdir: elsewhere\n");
    std::fs::create_dir_all(root.join("other/sub")).unwrap();
    assert_eq!(config::discover(&root.join("other/sub")), None);
    // Without a repository, the walk goes on upwards.
    std::fs::create_dir_all(root.join("plain/sub")).unwrap();
    assert_eq!(
        config::discover(&root.join("plain/sub")),
        Some(root.join(".drydock.yaml"))
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn discovery_prefers_yaml_over_yml() {
    let root = temp_dir("both");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(&root.join(".drydock.yml"), "");
    assert_eq!(config::discover(&root), Some(root.join(".drydock.yml")));
    write(&root.join(".drydock.yaml"), "");
    assert_eq!(config::discover(&root), Some(root.join(".drydock.yaml")));
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn load_reads_and_validates_a_file() {
    let root = temp_dir("load");
    let path = root.join(".drydock.yaml");
    write(&path, "fail-level: style\n");
    assert_eq!(
        config::load(&path).unwrap().fail_level,
        Some(FailLevel::Style)
    );
    write(&path, "fail-level: loud\n");
    let e = config::load(&path).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}:1:13: `fail-level` must be one of error, warning, info, style, none, not `loud`",
            path.display()
        )
    );
    assert_eq!(e.text, "fail-level: loud\n");
    std::fs::remove_dir_all(&root).unwrap();
}
