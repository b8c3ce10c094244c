//! Rule metadata, read from the rule's Markdown file in `rules/`: YAML front matter
//! (code, name, category, severity, ...) and the body (summary, Why, Bad/Good/Fixed examples).

use crate::diagnostic::Severity;

/// Rule categories, one per code range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// DD0xx
    Syntax,
    /// DD1xx
    BaseImages,
    /// DD2xx
    Packages,
    /// DD3xx
    Data,
    /// DD4xx
    Security,
    /// DD5xx
    Correctness,
    /// DD6xx
    Shell,
    /// DD7xx
    Style,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Syntax,
        Category::BaseImages,
        Category::Packages,
        Category::Data,
        Category::Security,
        Category::Correctness,
        Category::Shell,
        Category::Style,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::BaseImages => "base-images",
            Category::Packages => "packages",
            Category::Data => "data",
            Category::Security => "security",
            Category::Correctness => "correctness",
            Category::Shell => "shell",
            Category::Style => "style",
        }
    }

    /// The hundreds digit of this category's codes (`DD1xx` -> 1).
    #[must_use]
    pub fn code_digit(self) -> u8 {
        match self {
            Category::Syntax => 0,
            Category::BaseImages => 1,
            Category::Packages => 2,
            Category::Data => 3,
            Category::Security => 4,
            Category::Correctness => 5,
            Category::Shell => 6,
            Category::Style => 7,
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Whether and how a rule can fix what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
}

impl FixAvailability {
    #[must_use]
    pub fn parse(s: &str) -> Option<FixAvailability> {
        [
            FixAvailability::None,
            FixAvailability::Safe,
            FixAvailability::Unsafe,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
        }
    }
}

/// Which section an example block sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleKind {
    Bad,
    Good,
    Fixed,
}

/// A fenced `dockerfile` block of the rule's doc.
///
/// A block may be preceded by a line `<!-- policy: key=value, ... -->` (blank lines may
/// come between, nothing else) to run it under that policy; see [`Example::apply_policy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub kind: ExampleKind,
    pub code: String,
    /// 1-based line of the block's first code line in the `.md` file.
    pub line: usize,
    /// `key=value` settings from a `<!-- policy: ... -->` line above the block.
    pub policy: Vec<(String, String)>,
}

impl Example {
    /// Set the example's policy settings on `policy`. Keys: `security-updates`
    /// (`ignore`, `require` or `forbid`), `trusted-registries` (entries separated by spaces),
    /// `today` (`YYYY-MM-DD`, the day dates are judged against), `labels` (`name:type` entries
    /// separated by spaces) and `strict-labels` (`true`/`false`).
    ///
    /// # Errors
    /// An unknown key or value.
    pub fn apply_policy(&self, policy: &mut super::Policy) -> Result<(), String> {
        use super::SecurityUpdates;
        for (key, value) in &self.policy {
            if [
                "context",
                "dockerignore",
                "registry",
                "registry-tags",
                "enable",
            ]
            .contains(&key.as_str())
            {
                continue; // see `build_context`, `registry_answers` and `also_enabled`
            }
            if key == "today" {
                policy.today =
                    Some(crate::date::Date::parse(value).ok_or_else(|| {
                        format!("example policy `today={value}` is not YYYY-MM-DD")
                    })?);
                continue;
            }
            if key == "trusted-registries" {
                policy.trusted_registries = value.split_whitespace().map(str::to_owned).collect();
                continue;
            }
            if key == "labels" || key == "strict-labels" {
                apply_label_policy(&mut policy.labels, key, value)?;
                continue;
            }
            policy.security_updates = match (key.as_str(), value.as_str()) {
                ("security-updates", "ignore") => SecurityUpdates::Ignore,
                ("security-updates", "require") => SecurityUpdates::Require,
                ("security-updates", "forbid") => SecurityUpdates::Forbid,
                _ => return Err(format!("unknown example policy `{key}={value}`")),
            };
        }
        Ok(())
    }
}

impl Example {
    /// The rules (codes separated by spaces, policy key `enable`) that run beside the rule
    /// the example is about, for rules about other rules' findings (DD002).
    #[must_use]
    pub fn also_enabled(&self) -> Vec<&str> {
        self.policy
            .iter()
            .filter(|(k, _)| k == "enable")
            .flat_map(|(_, v)| v.split_whitespace())
            .collect()
    }

    /// The registry answers the example is linted with, from the policy keys `registry`
    /// (`image:tag@digest` entries separated by spaces; `@index+child+child` makes the digest
    /// a multi-platform index with those platform manifests) and `registry-tags` (repeatable:
    /// `image=tag tag ...`, the repository's tag list). `None` without either key.
    ///
    /// # Errors
    /// An entry of the wrong shape.
    pub fn registry_answers(&self) -> Result<Option<crate::registry::Answers>, String> {
        let values = |name: &str| -> Vec<&str> {
            self.policy
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let (refs, tags) = (values("registry"), values("registry-tags"));
        if refs.is_empty() && tags.is_empty() {
            return Ok(None);
        }
        crate::registry::Answers::parse_inline(&refs, &tags).map(Some)
    }

    /// The build context the example is linted in, from the policy keys `context` (the
    /// entries present at the context's top, separated by spaces) and `dockerignore` (its
    /// patterns, separated by spaces; empty for an empty file). `None` without either key;
    /// with `context` alone there is no ignore file.
    #[must_use]
    pub fn build_context(&self) -> Option<crate::build_context::BuildContext> {
        let value = |name: &str| {
            self.policy
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let present = value("context");
        let ignore = value("dockerignore");
        if present.is_none() && ignore.is_none() {
            return None;
        }
        Some(crate::build_context::BuildContext {
            ignore: ignore.map(|patterns| {
                let text = patterns.split_whitespace().collect::<Vec<_>>().join("\n");
                crate::build_context::IgnoreFile::parse(".dockerignore", &text)
            }),
            present: present
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        })
    }
}

/// The `labels=name:type ...` and `strict-labels=true|false` example settings.
fn apply_label_policy(
    labels: &mut super::label_schema::LabelPolicy,
    key: &str,
    value: &str,
) -> Result<(), String> {
    use super::label_schema::LabelType;
    if key == "strict-labels" {
        labels.strict = match value {
            "true" => true,
            "false" => false,
            _ => return Err(format!("unknown example policy `{key}={value}`")),
        };
        return Ok(());
    }
    for entry in value.split_whitespace() {
        let (name, kind) = entry.rsplit_once(':').unwrap_or((entry, ""));
        let kind = LabelType::parse(kind)
            .ok_or_else(|| format!("unknown label type in example policy `{entry}`"))?;
        labels.schema.push((name.to_owned(), kind));
    }
    Ok(())
}

/// The `key=value` pairs of a `<!-- policy: ... -->` line.
fn policy_comment(line: &str) -> Option<Vec<(String, String)>> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("policy:")?;
    Some(
        inner
            .split(',')
            .filter_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                Some((k.trim().to_owned(), v.trim().to_owned()))
            })
            .collect(),
    )
}

/// Everything known about a rule, from its Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub enabled_by_default: bool,
    pub fix: FixAvailability,
    /// Equivalent rules of other tools: `hadolint:DL3007`, `buildkit:JSONArgsRecommended`...
    pub sources: &'static [&'static str],
    /// The one-line summary (first paragraph of the body).
    pub summary: &'static str,
    /// The Markdown body after the front matter.
    pub body: &'static str,
    /// The line of the file where `body` starts.
    body_line: usize,
}

/// A rule file's front matter and summary as `build.rs` compiles them in (see
/// [`super::rule_file`]): a run reads no YAML for its rules.
#[derive(Debug)]
pub(crate) struct CompiledMeta {
    code: &'static str,
    name: &'static str,
    category: Category,
    severity: Severity,
    enabled: bool,
    fix: FixAvailability,
    sources: &'static [&'static str],
    summary: &'static str,
    body_offset: usize,
    body_line: usize,
}

include!(concat!(env!("OUT_DIR"), "/rule_metas.rs"));

impl RuleMeta {
    /// The compiled-in metadata of the rule file `rules/<stem>.md`, whose text is `doc`.
    ///
    /// # Panics
    /// If `build.rs` did not compile that file (every `rules/DD*.md` is compiled).
    #[must_use]
    pub fn compiled(stem: &str, doc: &'static str) -> RuleMeta {
        let i = RULE_FILES
            .binary_search_by(|(s, _)| (*s).cmp(stem))
            .unwrap_or_else(|_| panic!("rules/{stem}.md was not compiled in by build.rs"));
        let m = &RULE_FILES[i].1;
        RuleMeta {
            code: m.code,
            name: m.name,
            category: m.category,
            severity: m.severity,
            enabled_by_default: m.enabled,
            fix: m.fix,
            sources: m.sources,
            summary: m.summary,
            body: &doc[m.body_offset..],
            body_line: m.body_line,
        }
    }

    /// Parse a rule file at run time, as `build.rs` does at build time (the tests hold the
    /// two to each other).
    ///
    /// # Errors
    /// A message naming what is wrong with the file.
    pub fn parse(doc: &'static str) -> Result<RuleMeta, String> {
        let r = super::rule_file::parse(doc)?;
        let unknown = |field: &str, value: &str| format!("front matter: unknown {field} `{value}`");
        Ok(RuleMeta {
            code: leak(r.code),
            name: leak(r.name),
            category: Category::parse(&r.category)
                .ok_or_else(|| unknown("category", &r.category))?,
            severity: Severity::parse(&r.severity)
                .ok_or_else(|| unknown("severity", &r.severity))?,
            enabled_by_default: r.enabled,
            fix: FixAvailability::parse(&r.fix).ok_or_else(|| unknown("fix", &r.fix))?,
            sources: Vec::leak(r.sources.into_iter().map(leak).collect()),
            summary: leak(r.summary),
            body: &doc[r.body_offset..],
            body_line: r.body_line,
        })
    }

    /// The Bad/Good/Fixed examples of the body (read on demand: start-up reads only the
    /// front matter and summary of every rule).
    #[must_use]
    pub fn examples(&self) -> Vec<Example> {
        examples(self.body, self.body_line)
    }

    /// The Markdown text of section `## heading`, without the heading.
    #[must_use]
    pub fn section(&self, heading: &str) -> Option<&'static str> {
        section(self.body, heading)
    }

    /// Whether `name` designates this rule: its code, its name, or one of its sources
    /// (`DL3007` and `hadolint:DL3007` both match a rule with source `hadolint:DL3007`).
    #[must_use]
    pub fn is_named(&self, name: &str) -> bool {
        self.code.eq_ignore_ascii_case(name)
            || self.name == name
            || self.sources.iter().any(|s| {
                s.eq_ignore_ascii_case(name)
                    || s.split_once(':')
                        .is_some_and(|(_, id)| id.eq_ignore_ascii_case(name))
            })
    }
}

/// Rule metadata lives for the whole program; leaking the strings of a file parsed at run
/// time (tests) keeps `RuleMeta` as the compiled-in one.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn section<'a>(body: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("\n## {heading}\n");
    let padded_start = if body.starts_with(&marker[1..]) {
        0
    } else {
        body.find(&marker)? + 1
    };
    let start = padded_start + marker.len() - 1;
    let end = body[start..]
        .find("\n## ")
        .map_or(body.len(), |e| start + e + 1);
    Some(body[start..end].trim())
}

/// Every fenced `dockerfile` block under `## Bad`, `## Good` or `## Fixed`.
fn examples(body: &str, first_line: usize) -> Vec<Example> {
    let mut out = Vec::new();
    let mut kind = None;
    let mut block: Option<(usize, String)> = None;
    let mut policy = Vec::new();
    for (n, line) in body.lines().enumerate() {
        if let Some((start, code)) = block.as_mut() {
            if line.trim_end() == "```" {
                if let Some(kind) = kind {
                    out.push(Example {
                        kind,
                        code: std::mem::take(code),
                        line: *start,
                        policy: std::mem::take(&mut policy),
                    });
                }
                policy.clear();
                block = None;
            } else {
                code.push_str(line);
                code.push('\n');
            }
            continue;
        }
        if let Some(h) = line.strip_prefix("## ") {
            kind = match h.trim() {
                "Bad" => Some(ExampleKind::Bad),
                "Good" => Some(ExampleKind::Good),
                "Fixed" => Some(ExampleKind::Fixed),
                _ => None,
            };
        } else if line.trim_end() == "```dockerfile" {
            block = Some((first_line + n + 1, String::new()));
            continue;
        }
        // A policy line holds for the next block only, if nothing else comes between.
        if let Some(p) = policy_comment(line) {
            policy = p;
        } else if !line.trim().is_empty() {
            policy.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\ncode: DD999\nname: example-rule\ncategory: style\nseverity: info\nsources: [hadolint:DL3000]\n---\n\nA summary\non two lines.\n\n## Why\n\nBecause.\n\n## Bad\n\n```dockerfile\nFROM a\n```\n\n## Good\n\n```dockerfile\nFROM b\n```\n";

    #[test]
    fn parses_front_matter_summary_and_examples() {
        let m = RuleMeta::parse(DOC).unwrap();
        assert_eq!((m.code, m.name), ("DD999", "example-rule"));
        assert_eq!(m.summary, "A summary on two lines.");
        assert!(m.enabled_by_default);
        assert_eq!(m.examples().len(), 2);
        assert_eq!(m.examples()[0].kind, ExampleKind::Bad);
        assert_eq!(m.examples()[0].code, "FROM a\n");
        assert_eq!(m.examples()[0].line, 19);
        assert_eq!(m.section("Why"), Some("Because."));
        assert!(m.is_named("DL3000") && m.is_named("dd999") && m.is_named("example-rule"));
    }

    #[test]
    fn policy_comments_apply_to_the_next_block_only() {
        let doc = "---\ncode: DD999\nname: x\ncategory: style\nseverity: info\n---\n\nS.\n\n## Bad\n\n<!-- policy: security-updates=require -->\n\n```dockerfile\nFROM a\n```\n\n```dockerfile\nFROM b\n```\n";
        let m = RuleMeta::parse(doc).unwrap();
        assert_eq!(
            m.examples()[0].policy,
            [("security-updates".to_owned(), "require".to_owned())]
        );
        assert!(m.examples()[1].policy.is_empty());
        let mut policy = super::super::Policy::default();
        m.examples()[0].apply_policy(&mut policy).unwrap();
        assert_eq!(
            policy.security_updates,
            super::super::SecurityUpdates::Require
        );
    }

    #[test]
    fn compiled_metadata_is_what_the_files_say() {
        for rule in super::super::REGISTRY {
            assert_eq!(
                RuleMeta::compiled(rule.file, rule.doc),
                RuleMeta::parse(rule.doc).unwrap(),
                "{}",
                rule.file
            );
        }
        assert_eq!(RULE_FILES.len(), super::super::REGISTRY.len());
        assert!(RULE_FILES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn unknown_categories_severities_and_fixes_are_errors() {
        for (line, what) in [
            ("category: colour", "category `colour`"),
            ("severity: fatal", "severity `fatal`"),
            ("fix: maybe", "fix `maybe`"),
        ] {
            let key = line.split(':').next().unwrap();
            let front = "code: DD1\nname: x\ncategory: style\nseverity: info"
                .lines()
                .filter(|l| !l.starts_with(key))
                .chain([line])
                .collect::<Vec<_>>()
                .join("\n");
            let doc: &'static str = leak(format!("---\n{front}\n---\nx\n"));
            assert!(RuleMeta::parse(doc).unwrap_err().contains(what), "{line}");
        }
    }

    #[test]
    fn unknown_front_matter_keys_are_errors() {
        let doc = "---\ncode: DD1\nname: x\ncategory: style\nseverity: info\ncolour: red\n---\nx\n";
        assert!(RuleMeta::parse(doc).unwrap_err().contains("colour"));
    }
}
