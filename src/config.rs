//! `.drydock.yaml`: discovery, parsing with errors that point into the file, and resolution
//! into engine settings together with command-line overrides.
//!
//! ```yaml
//! select: [all]                  # exactly these rules (codes, names, categories, DL codes, `all`)
//! ignore: [DD102, style]         # minus these
//! severity: {DD003: error, style: off}
//! fail-level: warning            # error | warning | info | style | none
//! trusted-registries: [registry.example.com]
//! insecure-registries: [mirror.internal:5000]   # `--online` may use plain HTTP there
//! policy: {security-updates: require, eol-warn-days: 30}
//! custom-rules:                  # user-defined rules, or `- include: FILE` (see custom_rules)
//!   - {id: ACME001, name: no-add, message: "ADD is not allowed here", instruction: add}
//! # policy.labels: label name -> text | url | semver | hash | rfc3339 | spdx | email
//! # policy.strict-labels: report labels the schema does not list
//! ```
//!
//! Every key is optional and an empty file is a valid, empty configuration. Unknown keys and
//! bad values are errors ([`ConfigError`]) that point at the offending key or value.
//! Included custom-rule files are read relative to the configuration file.

mod custom_rules;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::{Location, MessageFormatter, Spanned, UserMessageFormatter};

use crate::diagnostic::Severity;
use crate::engine::Settings;
use crate::rules::label_schema::LabelType;
use crate::rules::{self, Catalog, CustomRule, Policy, SecurityUpdates};
use crate::span::{LineIndex, Span};

/// The configuration file names, in order of preference within one directory.
pub const FILE_NAMES: [&str; 2] = [".drydock.yaml", ".drydock.yml"];

/// Keys users bring from `.hadolint.yaml`, and what drydock calls them.
const HADOLINT_KEYS: [(&str, &str); 7] = [
    ("ignored", "ignore"),
    ("override", "severity"),
    ("failure-threshold", "fail-level"),
    ("trustedRegistries", "trusted-registries"),
    ("trusted-registry", "trusted-registries"),
    ("label-schema", "policy.labels"),
    ("strict-labels", "policy.strict-labels"),
];

/// What the whole file must be.
const TOP_LEVEL: &str = "the configuration must be a map of settings (select, ignore, severity, fail-level, trusted-registries, insecure-registries, policy, custom-rules)";

const RULE_HELP: &str = "give a code (DD102), a name (base-image-latest), a category (base-images, custom), a hadolint code (DL3007), a custom rule's id or name, or `all`; `drydock rules` lists them";

/// The first `.drydock.yaml` or `.drydock.yml` found walking up from `dockerfile_dir`.
///
/// The walk stops after the repository root (the first directory containing `.git`, which
/// is itself searched) or at the filesystem root. When one directory holds both files,
/// `.drydock.yaml` wins. Relative directories are made absolute against the working
/// directory, so the returned path is absolute.
#[must_use]
pub fn discover(dockerfile_dir: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(dockerfile_dir).unwrap_or_else(|_| dockerfile_dir.into());
    for dir in start.ancestors() {
        if let Some(found) = config_in(dir) {
            return Some(found);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The configuration file of `dir`, if it has one.
fn config_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// The minimum severity that makes a run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailLevel {
    Error,
    #[default]
    Warning,
    Info,
    Style,
    /// Never fail because of findings.
    None,
}

impl FailLevel {
    pub const ALL: [FailLevel; 5] = [
        FailLevel::Error,
        FailLevel::Warning,
        FailLevel::Info,
        FailLevel::Style,
        FailLevel::None,
    ];

    /// The spelling in configuration and on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FailLevel::Error => "error",
            FailLevel::Warning => "warning",
            FailLevel::Info => "info",
            FailLevel::Style => "style",
            FailLevel::None => "none",
        }
    }

    /// Parse `error`, `warning`, `info`, `style` or `none`.
    #[must_use]
    pub fn parse(s: &str) -> Option<FailLevel> {
        FailLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Whether a finding of `severity` fails the run.
    #[must_use]
    pub fn fails(&self, severity: Severity) -> bool {
        let threshold = match self {
            FailLevel::Error => Severity::Error,
            FailLevel::Warning => Severity::Warning,
            FailLevel::Info => Severity::Info,
            FailLevel::Style => Severity::Style,
            FailLevel::None => return false,
        };
        severity.reaches(threshold)
    }
}

/// A validated configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Exactly these rules are enabled (before `ignore`); `None`: the default set.
    pub select: Option<Vec<String>>,
    /// These rules are disabled.
    pub ignore: Option<Vec<String>>,
    /// Severity overrides in file order; `None` (written `off`) disables the rule.
    pub severity: Vec<(String, Option<Severity>)>,
    pub fail_level: Option<FailLevel>,
    /// `trusted-registries` and the `policy` map (`today` is never set from a file).
    pub policy: Policy,
    /// `custom-rules`, includes resolved, in file order.
    pub custom_rules: Vec<CustomRule>,
}

/// A configuration file that cannot be used: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// The whole configuration text (empty if it could not be read).
    pub text: String,
    /// The offending key or value, as bytes of `text`.
    pub span: Option<Span>,
    /// What is wrong and what is allowed.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ConfigError {
    /// 1-based line and column (in characters) of the span's start.
    #[must_use]
    pub fn line_column(&self) -> Option<(u32, u32)> {
        let span = self.span?;
        let p = LineIndex::new(&self.text).position(&self.text, span.start());
        Some((p.line, p.column))
    }
}

impl fmt::Display for ConfigError {
    /// `path:line:column: message` (or `path: message` without a position).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_column() {
            Some((line, column)) => {
                write!(
                    f,
                    "{}:{line}:{column}: {}",
                    self.path.display(),
                    self.message
                )
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Read and parse the configuration file at `path`.
///
/// # Errors
/// The file cannot be read, is not UTF-8, or is not a valid configuration.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let bytes = std::fs::read(path).map_err(|e| ConfigError {
        path: path.into(),
        text: String::new(),
        span: None,
        message: format!("cannot read the configuration file: {e}"),
        help: None,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ConfigError {
        path: path.into(),
        text: String::new(),
        span: None,
        message: format!("the configuration file is not UTF-8: {e}"),
        help: None,
    })?;
    parse(path, &text)
}

/// Parse and validate configuration `text` read from `path`. Files that `custom-rules`
/// include are read from disk, relative to `path`'s directory.
///
/// # Errors
/// Invalid YAML, an unknown key, a value of the wrong type, an unknown rule or level, a
/// bad custom rule (in this file or an included one).
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let cx = ErrorContext {
        path,
        text,
        top_level: TOP_LEVEL,
    };
    let raw = match serde_saphyr::from_str::<Option<RawConfig>>(text) {
        Ok(raw) => raw.unwrap_or_default(),
        Err(e) => return Err(cx.yaml(&e)),
    };
    raw.validate(&cx)
}

/// Everything an error needs to point into the configuration text.
struct ErrorContext<'a> {
    path: &'a Path,
    text: &'a str,
    /// What the whole file must be, as a sentence ("the configuration must be ...").
    top_level: &'static str,
}

impl ErrorContext<'_> {
    /// An error at `location`.
    fn at(&self, location: Location, message: String, help: Option<String>) -> ConfigError {
        ConfigError {
            path: self.path.into(),
            text: self.text.into(),
            span: span_of(self.text, location),
            message,
            help,
        }
    }

    /// The error of the YAML library, reworded where drydock knows better.
    fn yaml(&self, err: &serde_saphyr::Error) -> ConfigError {
        let err = err.without_snippet();
        let location = err.location().unwrap_or(Location::UNKNOWN);
        if let serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } = err
        {
            let help = suggest(field, expected)
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some(format!("allowed keys: {}", expected.join(", "))));
            let message = match help.as_deref() {
                Some(h) if h.starts_with("did") => format!("unknown key `{field}`; {h}"),
                _ => format!("unknown key `{field}`"),
            };
            let help = help.filter(|h| !h.starts_with("did"));
            return self.at(location, message, help);
        }
        if let serde_saphyr::Error::DuplicateMappingKey { key, .. } = err {
            let key = key.as_deref().unwrap_or("?");
            return self.at(location, format!("duplicate key `{key}`"), None);
        }
        let message = UserMessageFormatter.format_message(err).into_owned();
        if matches!(err, serde_saphyr::Error::ExternalMessage { .. }) {
            return self.at(location, format!("not valid YAML: {message}"), None);
        }
        let message = match key_at(self.text, location.line(), location.column()) {
            Some(key) => match expectation(key) {
                Some(expected) => format!("`{key}` must be {expected}"),
                None => message,
            },
            None if location.line() > 0 => self.top_level.to_owned(),
            None => message,
        };
        self.at(location, message, None)
    }

    /// An unknown rule name in `key`.
    fn unknown_rule(&self, key: &str, name: &Spanned<String>, catalog: Catalog<'_>) -> ConfigError {
        let help = match suggest_rule(&name.value, catalog) {
            Some(s) => format!("did you mean `{s}`? {RULE_HELP}"),
            None => RULE_HELP.to_owned(),
        };
        self.at(
            name.referenced,
            format!("unknown rule `{}` in `{key}`", name.value),
            Some(help),
        )
    }
}

/// What the value of `key` must be, for type errors.
fn expectation(key: &str) -> Option<&'static str> {
    Some(match key {
        "select" | "ignore" => "a list of rule names",
        "trusted-registries" | "insecure-registries" => "a list of registry names",
        "severity" => "a map of rule names to levels (error, warning, info, style, off)",
        "fail-level" => "one of error, warning, info, style, none",
        "policy" => "a map with the keys security-updates, eol-warn-days, eol-db-max-age-days, labels, strict-labels",
        "labels" => LABELS_EXPECTED,
        "strict-labels" => "true or false",
        "security-updates" => "one of ignore, require, forbid",
        "eol-warn-days" | "eol-db-max-age-days" => "a non-negative integer",
        "custom-rules" => {
            "a list of custom rules (maps with id, name, message, ...) or `include: FILE` entries"
        }
        "command" => {
            "a map with the keys name, args, require-flags, flag-value, or-env, forbid-flags"
        }
        "image" => "a glob, a list of globs, or a map `{regex: ...}`",
        "instruction" => "an instruction name (run, from, ...) or a list of them",
        "required-label" => "a label name or a list of them",
        "require-flags" | "forbid-flags" => "a list of flags such as `--index-url`",
        "id" | "message" | "help" | "key" | "include" | "flag-value" | "regex" => "a string",
        _ => return None,
    })
}

/// The key whose value sits at `location`: the key at `location` itself, `key:` before it on
/// its line, or, when only blanks precede it, the nearest less indented `key:` line above.
/// `None` at the top level.
fn key_at(text: &str, line: u64, column: u64) -> Option<&str> {
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let lines: Vec<&str> = text.lines().collect();
    let current = lines.get(line)?;
    let column = usize::try_from(column).unwrap_or(1).saturating_sub(1);
    let prefix = &current[..char_bytes(current, column)];
    // The location may be the key itself (`image: 5` is reported at `image`), except at the
    // very start, where it is the whole document that has the wrong type.
    let here = &current[prefix.len()..];
    let word_len = here
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(here.len());
    if (line, column) != (0, 0) && word_len > 0 && here[word_len..].starts_with(':') {
        return Some(&here[..word_len]);
    }
    if !prefix.trim().is_empty() {
        return key_line(prefix.trim_end().trim_start_matches(['-', ' ']))
            .or_else(|| last_key(prefix));
    }
    let indent = prefix.len();
    lines[..line]
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .find(|l| l.len() - l.trim_start().len() < indent)
        .and_then(|l| key_line(l.trim().trim_start_matches(['-', ' '])))
}

/// The last `key:` of a line's text before a value (flow style: `a: [{b: x, key: `).
fn last_key(prefix: &str) -> Option<&str> {
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    prefix.match_indices(':').rev().find_map(|(p, _)| {
        let after = prefix[p + 1..].chars().next();
        if !after.is_none_or(|c| c == ' ' || c == '\t') {
            return None;
        }
        let before = &prefix[..p];
        let key = &before[before.trim_end_matches(is_key_char).len()..];
        (!key.is_empty()).then_some(key)
    })
}

/// `key` when `s` is `key:` (a key whose value follows).
fn key_line(s: &str) -> Option<&str> {
    let s = s.split(" #").next().unwrap_or(s).trim_end();
    let key = s.strip_suffix(':')?.trim_end();
    let simple = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    simple.then_some(key)
}

/// The byte span in `text` of a YAML location (line and column count characters).
fn span_of(text: &str, location: Location) -> Option<Span> {
    let line = usize::try_from(location.line()).ok()?.checked_sub(1)?;
    let column = usize::try_from(location.column()).ok()?.checked_sub(1)?;
    let line_start = LineIndex::new(text).line_start(line + 1)?;
    let rest = &text[line_start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let start = line_start + char_bytes(&rest[..line_len], column);
    let chars = usize::try_from(location.span().len()).unwrap_or(0);
    let end = start + char_bytes(&text[start..], chars);
    Some(Span::new(start, end))
}

/// The byte length of the first `chars` characters of `s` (all of `s` if shorter).
fn char_bytes(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
fn suggest(word: &str, candidates: &[&str]) -> Option<String> {
    if let Some((_, to)) = HADOLINT_KEYS.iter().find(|(from, _)| *from == word) {
        // `policy.labels`: the key lives in the `policy` map.
        if candidates.contains(&to.split('.').next().unwrap_or(to)) {
            return Some((*to).to_owned());
        }
    }
    closest(word, candidates.iter().copied())
}

/// The rule code or name (built-in or custom) closest to `word`.
fn suggest_rule(word: &str, catalog: Catalog<'_>) -> Option<String> {
    let metas = rules::metas();
    let custom = catalog.custom.iter().flat_map(|c| [c.code, c.name]);
    closest(
        word,
        metas.iter().flat_map(|m| [m.code, m.name]).chain(custom),
    )
}

/// The candidate within a small edit distance of `word` (ignoring case, `-` and `_`).
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let w = norm(word);
    let limit = (w.chars().count() / 3).clamp(1, 3);
    candidates
        .map(|c| (edit_distance(&w, &norm(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_owned())
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The file as written: every value keeps its location for error messages.
#[derive(Deserialize, Default)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a map of settings"
)]
struct RawConfig {
    select: Option<Spanned<Names>>,
    ignore: Option<Spanned<Names>>,
    severity: Option<Spanned<Levels>>,
    fail_level: Option<Spanned<String>>,
    trusted_registries: Option<Spanned<Names>>,
    insecure_registries: Option<Spanned<Names>>,
    policy: Option<Spanned<RawPolicy>>,
    custom_rules: Option<Spanned<Vec<Spanned<custom_rules::RawEntry>>>>,
}

#[derive(Deserialize, Default)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a map with the keys security-updates, eol-warn-days, eol-db-max-age-days, labels, strict-labels"
)]
struct RawPolicy {
    security_updates: Option<Spanned<String>>,
    eol_warn_days: Option<Spanned<Days>>,
    eol_db_max_age_days: Option<Spanned<Days>>,
    labels: Option<Spanned<LabelTypes>>,
    strict_labels: Option<Spanned<bool>>,
}

impl RawConfig {
    /// Check every value and build the [`Config`].
    fn validate(self, cx: &ErrorContext<'_>) -> Result<Config, ConfigError> {
        let mut config = Config {
            path: cx.path.into(),
            ..Config::default()
        };
        if let Some(entries) = self.custom_rules {
            let mut loader = custom_rules::Loader::new(cx.path);
            loader.entries(cx, entries.value)?;
            config.custom_rules = loader.finish();
        }
        let catalog = Catalog::new(&config.custom_rules);
        config.select = self
            .select
            .map(|n| rule_names(cx, "select", n, catalog))
            .transpose()?;
        config.ignore = self
            .ignore
            .map(|n| rule_names(cx, "ignore", n, catalog))
            .transpose()?;
        if let Some(levels) = self.severity {
            for (name, level) in levels.value.0 {
                let name = located(name, levels.referenced);
                if !catalog.is_designator(&name.value) {
                    return Err(cx.unknown_rule("severity", &name, catalog));
                }
                config
                    .severity
                    .push((name.value, severity_level(cx, &level)?));
            }
        }
        if let Some(level) = self.fail_level {
            config.fail_level = Some(FailLevel::parse(&level.value).ok_or_else(|| {
                cx.at(
                    level.referenced,
                    format!(
                        "`fail-level` must be one of error, warning, info, style, none, not `{}`",
                        level.value
                    ),
                    None,
                )
            })?);
        }
        if let Some(registries) = self.trusted_registries {
            config.policy.trusted_registries =
                registries.value.0.into_iter().map(|r| r.value).collect();
        }
        if let Some(registries) = self.insecure_registries {
            config.policy.insecure_registries =
                registries.value.0.into_iter().map(|r| r.value).collect();
        }
        if let Some(policy) = self.policy {
            policy.value.apply(cx, &mut config.policy)?;
        }
        Ok(config)
    }
}

impl RawPolicy {
    /// Check the policy values and store them in `policy`.
    fn apply(self, cx: &ErrorContext<'_>, policy: &mut Policy) -> Result<(), ConfigError> {
        if let Some(s) = self.security_updates {
            policy.security_updates = match s.value.as_str() {
                "ignore" => SecurityUpdates::Ignore,
                "require" => SecurityUpdates::Require,
                "forbid" => SecurityUpdates::Forbid,
                other => {
                    return Err(cx.at(
                        s.referenced,
                        format!(
                        "`security-updates` must be one of ignore, require, forbid, not `{other}`"
                    ),
                        None,
                    ))
                }
            };
        }
        if let Some(types) = self.labels {
            policy.labels.schema = label_schema(cx, types)?;
        }
        if let Some(strict) = self.strict_labels {
            policy.labels.strict = strict.value;
        }
        if let Some(days) = self.eol_warn_days {
            policy.eol_warn_days = days_value(cx, "eol-warn-days", &days)?;
        }
        if let Some(days) = self.eol_db_max_age_days {
            policy.eol_db_max_age_days = days_value(cx, "eol-db-max-age-days", &days)?;
        }
        Ok(())
    }
}

/// A number of days, which must fit a `u32`.
fn days_value(cx: &ErrorContext<'_>, key: &str, days: &Spanned<Days>) -> Result<u32, ConfigError> {
    u32::try_from(days.value.0).map_err(|_| {
        cx.at(
            days.referenced,
            format!(
                "`{key}` must be a non-negative integer, not `{}`",
                days.value.0
            ),
            None,
        )
    })
}

/// What `policy.labels` must be.
const LABELS_EXPECTED: &str =
    "a map of label names to types (text, url, semver, hash, rfc3339, spdx, email)";

/// The `policy.labels` map: label names and types, in file order.
struct LabelTypes(Vec<(Spanned<String>, Option<Spanned<String>>)>);

impl<'de> Deserialize<'de> for LabelTypes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(LabelTypesVisitor)
    }
}

struct LabelTypesVisitor;

impl<'de> Visitor<'de> for LabelTypesVisitor {
    type Value = LabelTypes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(LABELS_EXPECTED)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LabelTypes, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<String>, Option<Spanned<String>>>()? {
            entries.push(entry);
        }
        Ok(LabelTypes(entries))
    }
}

/// Check the `policy.labels` entries: a non-empty name and a known type (none or empty
/// means `text`, as in hadolint's `label-schema`).
fn label_schema(
    cx: &ErrorContext<'_>,
    types: Spanned<LabelTypes>,
) -> Result<Vec<(String, LabelType)>, ConfigError> {
    let mut out = Vec::new();
    for (name, kind) in types.value.0 {
        let name = located(name, types.referenced);
        if name.value.is_empty() {
            return Err(cx.at(
                name.referenced,
                "a label name in `policy.labels` is empty".into(),
                None,
            ));
        }
        let kind_text = kind.as_ref().map_or(String::new(), |k| k.value.clone());
        let Some(label_type) = LabelType::parse(&kind_text) else {
            let names = LabelType::ALL.map(LabelType::as_str);
            let help = closest(&kind_text, names.iter().copied())
                .map_or_else(String::new, |s| format!("did you mean `{s}`? "));
            let at = kind.map_or(name.referenced, |k| k.referenced);
            return Err(cx.at(
                at,
                format!("label `{}` has the unknown type `{kind_text}`", name.value),
                Some(format!("{help}types: {}", names.join(", "))),
            ));
        };
        if out
            .iter()
            .any(|(n, _): &(String, LabelType)| *n == name.value)
        {
            return Err(cx.at(
                name.referenced,
                format!("label `{}` is listed twice in `policy.labels`", name.value),
                None,
            ));
        }
        out.push((name.value, label_type));
    }
    Ok(out)
}

/// The names of a `select` or `ignore` list, each checked against the registry.
fn rule_names(
    cx: &ErrorContext<'_>,
    key: &str,
    names: Spanned<Names>,
    catalog: Catalog<'_>,
) -> Result<Vec<String>, ConfigError> {
    let mut out = Vec::new();
    for name in names.value.0 {
        let name = located(name, names.referenced);
        for part in name.value.split(',').map(str::trim) {
            if !catalog.is_designator(part) {
                let part = Spanned::new(part.to_owned(), name.referenced, name.defined);
                return Err(cx.unknown_rule(key, &part, catalog));
            }
        }
        out.push(name.value);
    }
    Ok(out)
}

/// `value` with `fallback` as its location when the parser gave none.
fn located(mut value: Spanned<String>, fallback: Location) -> Spanned<String> {
    if value.referenced.line() == 0 {
        value.referenced = fallback;
    }
    value
}

/// A `severity` level: a [`Severity`], or `None` for `off`.
fn severity_level(
    cx: &ErrorContext<'_>,
    level: &Spanned<String>,
) -> Result<Option<Severity>, ConfigError> {
    if level.value == "off" {
        return Ok(None);
    }
    Severity::parse(&level.value).map(Some).ok_or_else(|| {
        cx.at(
            level.referenced,
            format!(
                "`severity` must be one of error, warning, info, style, off, not `{}`",
                level.value
            ),
            None,
        )
    })
}

/// A list of names; a single string counts as a list of one.
struct Names(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NamesVisitor)
    }
}

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Names;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of names")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
        let unknown = Location::UNKNOWN;
        Ok(Names(vec![Spanned::new(v.to_owned(), unknown, unknown)]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
        let mut names = Vec::new();
        while let Some(name) = seq.next_element::<Spanned<String>>()? {
            names.push(name);
        }
        Ok(Names(names))
    }
}

/// The `severity` map: rule name to level, in file order.
struct Levels(Vec<(Spanned<String>, Spanned<String>)>);

impl<'de> Deserialize<'de> for Levels {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(LevelsVisitor)
    }
}

struct LevelsVisitor;

impl<'de> Visitor<'de> for LevelsVisitor {
    type Value = Levels;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of rule names to levels (error, warning, info, style, off)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Levels, A::Error> {
        let mut levels = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<String>, Spanned<String>>()? {
            levels.push(entry);
        }
        Ok(Levels(levels))
    }
}

/// A number of days (range-checked later, to point at the value).
struct Days(i64);

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_i64(DaysVisitor)
    }
}

struct DaysVisitor;

impl Visitor<'_> for DaysVisitor {
    type Value = Days;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer (days)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Days, E> {
        Ok(Days(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Days, E> {
        Ok(Days(i64::try_from(v).unwrap_or(i64::MAX)))
    }
}

/// What the command line says; each `Some` replaces the configuration's value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub fail_level: Option<FailLevel>,
}

/// Engine settings and the failure threshold for one file.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub settings: Settings,
    pub fail_level: FailLevel,
}

/// Combine a configuration (if any) with command-line overrides.
///
/// Start from the rules enabled by default (custom rules are); `select` (command line,
/// else configuration) makes the enabled set exactly the selected rules; `ignore` (command
/// line, else configuration) removes rules; then the configuration's `severity` entries
/// re-level the enabled rules in file order (`off` disables; a level never enables a rule).
/// Names may be comma-separated and may name the configuration's custom rules.
///
/// # Errors
/// A message for an unknown rule name (the CLI exits 2).
pub fn resolve(config: Option<&Config>, overrides: &Overrides) -> Result<Resolved, String> {
    let custom = config.map_or(&[][..], |c| c.custom_rules.as_slice());
    let catalog = Catalog::new(custom);
    let mut settings = Settings {
        rules: (0..catalog.len())
            .map(|i| catalog.default_level(i))
            .collect(),
        custom: custom.into(),
        ..Settings::default()
    };
    let select = overrides
        .select
        .as_ref()
        .or_else(|| config.and_then(|c| c.select.as_ref()));
    if let Some(select) = select {
        settings.rules = vec![None; catalog.len()];
        for i in designated(select, catalog)? {
            settings.rules[i] = catalog.severity(i);
        }
    }
    let ignore = overrides
        .ignore
        .as_ref()
        .or_else(|| config.and_then(|c| c.ignore.as_ref()));
    if let Some(ignore) = ignore {
        for i in designated(ignore, catalog)? {
            settings.rules[i] = None;
        }
    }
    if let Some(config) = config {
        for (name, level) in &config.severity {
            for i in designated(std::slice::from_ref(name), catalog)? {
                if settings.rules[i].is_some() {
                    settings.rules[i] = *level;
                }
            }
        }
        settings.policy = config.policy.clone();
    }
    let fail_level = overrides
        .fail_level
        .or_else(|| config.and_then(|c| c.fail_level))
        .unwrap_or_default();
    Ok(Resolved {
        settings,
        fail_level,
    })
}

/// The names of `names` (comma-separated allowed) that designate no rule of `catalog`.
#[must_use]
pub fn unknown_names<'n>(names: &'n [String], catalog: Catalog<'_>) -> Vec<&'n str> {
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty() && !catalog.is_designator(n))
        .collect()
}

/// The catalogue indices of every rule designated by `names` (comma-separated allowed).
fn designated(names: &[String], catalog: Catalog<'_>) -> Result<Vec<usize>, String> {
    if let Some(name) = unknown_names(names, catalog).first() {
        let hint =
            suggest_rule(name, catalog).map_or(String::new(), |s| format!("did you mean `{s}`? "));
        return Err(format!("unknown rule `{name}`: {hint}{RULE_HELP}"));
    }
    let mut out = Vec::new();
    for name in names.iter().flat_map(|n| n.split(',')).map(str::trim) {
        if !name.is_empty() {
            out.extend(catalog.select(name));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(Path::new("c.yaml"), text).unwrap_err().to_string()
    }

    #[test]
    fn empty_and_comment_only_files_are_empty_configs() {
        for text in ["", "\n", "# nothing\n", "---\n"] {
            let c = parse(Path::new("c.yaml"), text).unwrap();
            assert!(c.select.is_none() && c.ignore.is_none() && c.severity.is_empty());
        }
    }

    #[test]
    fn key_at_finds_the_key_of_a_value() {
        let text = "policy:\n  eol-warn-days:\n    - 1\n";
        assert_eq!(key_at(text, 3, 5), Some("eol-warn-days"));
        assert_eq!(key_at("severity: [a]\n", 1, 11), Some("severity"));
        assert_eq!(key_at("[a]\n", 1, 1), None);
        assert_eq!(key_at("custom-rules: [1]\n", 1, 16), Some("custom-rules"));
        let flow = "custom-rules: [{id: A1, url: 'https://x', image: 5}]\n";
        assert_eq!(key_at(flow, 1, 50), Some("image"));
    }

    #[test]
    fn odd_inputs_give_errors_not_panics() {
        for text in [
            "\u{feff}select: [DD9]\n",
            "select: [é, DD9]\n",
            "select: []\nselect: [all]\n",
            "? [a, b]\n: c\n",
            "x: &a [1]\nselect: *a\n",
            "select: !!binary aGk=\n",
            "\tselect: [all]\n",
            "severity: {DD001: [error]}\n",
            "policy: {eol-warn-days: 99999999999999999999}\n",
            "---\nselect: []\n---\nignore: []\n",
            "select: \"\\u00e9\"\n",
        ] {
            if let Err(e) = parse(Path::new("c.yaml"), text) {
                assert!(!e.message.is_empty());
                assert!(e.span.is_none_or(|s| s.end() <= text.len()), "{text:?}");
            }
        }
        assert_eq!(
            err("select: []\nselect: [all]\n"),
            "c.yaml:2:1: duplicate key `select`"
        );
    }

    #[test]
    fn fail_levels_compare_with_severities() {
        assert!(FailLevel::Warning.fails(Severity::Error));
        assert!(!FailLevel::Warning.fails(Severity::Info));
        assert!(FailLevel::Style.fails(Severity::Style));
        assert!(!FailLevel::None.fails(Severity::Error));
        assert_eq!(FailLevel::default(), FailLevel::Warning);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("selct", "select"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            err("selct: []\n"),
            "c.yaml:1:1: unknown key `selct`; did you mean `select`?"
        );
    }
}
