//! SARIF 2.1.0 for GitHub code scanning and other consumers: full `rules[]` from the rule
//! files, relative URIs under `SRCROOT`, UTF-16 columns, our own partial fingerprints.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{FileOutcome, Positions, RunOutcome};
use crate::diagnostic::{Finding, Severity};
use crate::rules::{self, Category, CustomRule, RuleMeta};
use crate::span::{Location, Span};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where a rule's documentation lives.
#[must_use]
pub fn help_uri(meta: &RuleMeta) -> String {
    format!(
        "{}/blob/main/rules/{}-{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        meta.code,
        meta.name
    )
}

/// Render a run as SARIF. `root_uri` is the `file://` URI of the directory the result
/// paths are relative to (ending in `/`).
#[must_use]
pub fn render(run: &RunOutcome, root_uri: &str) -> String {
    let metas = rules::metas();
    let codes = metas
        .iter()
        .map(|m| m.code)
        .chain(run.custom_rules.iter().map(|c| c.code));
    let index: HashMap<&str, usize> = codes.enumerate().map(|(i, c)| (c, i)).collect();
    let mut results = Vec::new();
    for file in &run.files {
        let pos = Positions::new(&file.source);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for f in &file.findings {
            results.push(result(file, &pos, f, index.get(f.code).copied(), &mut seen));
        }
    }
    let mut notifications: Vec<Value> = run
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&e.path), "uriBaseId": "SRCROOT"}}}],
            })
        })
        .collect();
    notifications.extend(run.notes.iter().map(|n| {
        json!({"level": if n.error { "error" } else { "note" }, "message": {"text": n.message}})
    }));
    let failed = !run.errors.is_empty() || run.notes.iter().any(|n| n.error);
    let mut invocation = json!({"executionSuccessful": !failed});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "drydock",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": metas.iter().map(rule).chain(run.custom_rules.iter().map(custom_rule)).collect::<Vec<_>>(),
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {"SRCROOT": {"uri": root_uri}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn rule(meta: &RuleMeta) -> Value {
    let why = meta.section("Why").unwrap_or(meta.summary);
    // GitHub's security view keys on the `security` tag; the category is already that name
    // for DD4xx, so each tag appears once.
    let tags = vec![meta.category.as_str().to_owned()];
    let mut properties = json!({"precision": "high"});
    if meta.category == Category::Security {
        properties["security-severity"] = Value::from(security_severity(meta.severity));
    } else {
        properties["problem.severity"] = Value::from(problem_severity(meta.severity));
    }
    properties["tags"] = json!(tags);
    json!({
        "id": meta.code,
        "name": pascal_case(meta.name),
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": plain(why)},
        "help": {"text": format!("{}\n\n{}", meta.summary, plain(why)), "markdown": meta.body.trim()},
        "helpUri": help_uri(meta),
        "defaultConfiguration": {"level": level(meta.severity), "enabled": meta.enabled_by_default},
        "properties": properties,
    })
}

/// A custom rule from the configuration: its description, message and help.
fn custom_rule(rule: &CustomRule) -> Value {
    let message = rule.message.replace("{match}", "…");
    let help = rule.help.replace("{match}", "…");
    let description = rule.describe();
    let help_text = if help.is_empty() {
        format!("{message}\n\n{description}")
    } else {
        format!("{message}\n\n{help}\n\n{description}")
    };
    json!({
        "id": rule.code,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": message},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": level(rule.severity), "enabled": true},
        "properties": {
            "problem.severity": problem_severity(rule.severity),
            "tags": [crate::rules::custom::CATEGORY],
        },
    })
}

fn result(
    file: &FileOutcome,
    pos: &Positions<'_>,
    f: &Finding,
    rule_index: Option<usize>,
    seen: &mut HashMap<String, usize>,
) -> Value {
    let mut r = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": {"text": sentence(&f.message, &f.help)},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri(&file.path), "uriBaseId": "SRCROOT"},
            "region": region(pos.location(visible(f.span, &file.source))),
        }}],
        "partialFingerprints": {"drydock/v1": fingerprint(f, &file.source, seen)},
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = Value::from(i);
    }
    if let Some(fix) = &f.fix {
        r["fixes"] = json!([{
            "description": {"text": fix.description},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri(&file.path), "uriBaseId": "SRCROOT"},
                "replacements": fix.edits.iter().map(|e| json!({
                    "deletedRegion": region(pos.location(e.span)),
                    "insertedContent": {"text": e.replacement},
                })).collect::<Vec<_>>(),
            }],
        }]);
    }
    r
}

/// An empty span still needs a visible region: widen it to the next character on its line.
fn visible(span: Span, source: &str) -> Span {
    if !span.is_empty() {
        return span;
    }
    match source.get(span.start()..).and_then(|s| s.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => Span::new(span.start(), span.start() + c.len_utf8()),
        _ => span,
    }
}

fn region(loc: Location) -> Value {
    json!({
        "startLine": loc.start.line,
        "startColumn": loc.start.utf16_column,
        "endLine": loc.end.line,
        "endColumn": loc.end.utf16_column,
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "recommendation",
    }
}

/// GitHub wants a string holding a CVSS-like score.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info | Severity::Style => "2.0",
    }
}

/// `base-image-latest` -> `BaseImageLatest`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Markdown to plain text, good enough for descriptions: code fences and backticks dropped.
fn plain(md: &str) -> String {
    md.lines()
        .filter(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace('`', "")
        .trim()
        .to_owned()
}

/// The message and the help as one text: "what is wrong. What to do."
fn sentence(message: &str, help: &str) -> String {
    let message = message.trim_end_matches('.');
    let help = help.trim_end_matches('.');
    if help.is_empty() {
        return format!("{message}.");
    }
    let mut h = help.chars();
    let help = h
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + h.as_str())
        .unwrap_or_default();
    format!("{message}. {help}.")
}

/// A relative URI: `/`-separated, percent-encoded where needed, no leading `./` or `/`.
fn uri(path: &str) -> String {
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `file://` URI of an absolute directory, ending in `/`.
#[must_use]
pub fn directory_uri(dir: &std::path::Path) -> String {
    let mut s = dir.to_string_lossy().replace('\\', "/");
    if !s.ends_with('/') {
        s.push('/');
    }
    let encoded = uri(&s);
    format!("file:///{encoded}")
}

/// A stable key for a finding: rule, the offending text with whitespace collapsed, and
/// its occurrence number among identical keys in the file (survives line moves).
fn fingerprint(f: &Finding, source: &str, seen: &mut HashMap<String, usize>) -> String {
    let text: Vec<&str> = f.span.slice(source).split_whitespace().collect();
    let key = format!("{}\u{0}{}", f.code, text.join(" "));
    let n = seen.entry(key.clone()).or_insert(0);
    *n += 1;
    format!("{:016x}:{n}", super::fnv1a(&key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri("./docker/my app/Dockerfile"),
            "docker/my%20app/Dockerfile"
        );
        assert_eq!(
            directory_uri(std::path::Path::new("/home/u/repo")),
            "file:///home/u/repo/"
        );
    }

    #[test]
    fn names_and_sentences() {
        assert_eq!(pascal_case("base-image-latest"), "BaseImageLatest");
        assert_eq!(
            sentence("`FROM debian:latest` uses latest", "pin a version."),
            "`FROM debian:latest` uses latest. Pin a version."
        );
    }
}
