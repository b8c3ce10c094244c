//! Rule metadata, read from the rule's Markdown file in `rules/`: YAML front matter
//! (code, name, category, severity, ...) and the body (summary, Why, Bad/Good/Fixed examples).

use serde::Deserialize;

use crate::diagnostic::Severity;

/// Rule categories, one per code range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
}

impl FixAvailability {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
        }
    }
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FrontMatter {
    code: String,
    name: String,
    category: Category,
    severity: Severity,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "no_fix")]
    fix: FixAvailability,
    #[serde(default)]
    sources: Vec<String>,
}

impl FrontMatter {
    /// The front matter as our rule files write it (`key: value` lines, `sources:` as a block
    /// or `[]` list of plain strings), read without a YAML parser: the CLI reads every rule
    /// file at start-up, and this is ten times faster. Anything else (quotes, comments, an
    /// unknown key) gives `None`, and the YAML parser reads it (and reports the error).
    /// `tests::plain_front_matter_reads_as_yaml_does` holds the two to each other.
    fn parse_plain(text: &str) -> Option<FrontMatter> {
        let mut front = FrontMatter {
            code: String::new(),
            name: String::new(),
            category: Category::Style,
            severity: Severity::Info,
            enabled: true,
            fix: FixAvailability::None,
            sources: Vec::new(),
        };
        let (mut category, mut severity) = (false, false);
        let mut in_sources = false;
        for line in text.lines() {
            // Quoted, flow, anchored, tagged, block or commented scalars are YAML's business.
            let special = |v: &str| {
                v.starts_with(['"', '\'', '{', '[', '&', '*', '!', '|', '>', '%', '@', '`'])
                    || v.as_bytes().windows(2).any(|w| w == b" #" || w == b": ")
            };
            if line.starts_with('#') {
                return None;
            }
            if let Some(item) = line.strip_prefix("  - ") {
                if !in_sources || item.trim().is_empty() || special(item) {
                    return None;
                }
                front.sources.push(item.trim().to_owned());
                continue;
            }
            in_sources = false;
            let (key, value) = line.split_once(':')?;
            let value = value.trim();
            if special(value) && value != "[]" {
                return None;
            }
            match key {
                "code" => front.code = value.to_owned(),
                "name" => front.name = value.to_owned(),
                "category" => {
                    front.category = Category::parse(value)?;
                    category = true;
                }
                "severity" => {
                    front.severity = Severity::parse(value)?;
                    severity = true;
                }
                "enabled" => front.enabled = value.parse().ok()?,
                "fix" => {
                    front.fix = [
                        FixAvailability::None,
                        FixAvailability::Safe,
                        FixAvailability::Unsafe,
                    ]
                    .into_iter()
                    .find(|f| f.as_str() == value)?;
                }
                "sources" if value == "[]" => {}
                "sources" if value.is_empty() => in_sources = true,
                _ => return None,
            }
        }
        let complete = category && severity && !front.code.is_empty() && !front.name.is_empty();
        complete.then_some(front)
    }
}

fn yes() -> bool {
    true
}

fn no_fix() -> FixAvailability {
    FixAvailability::None
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
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub enabled_by_default: bool,
    pub fix: FixAvailability,
    /// Equivalent rules of other tools: `hadolint:DL3007`, `buildkit:JSONArgsRecommended`...
    pub sources: Vec<String>,
    /// The one-line summary (first paragraph of the body).
    pub summary: String,
    /// The Markdown body after the front matter.
    pub body: &'static str,
    /// The line of the file where `body` starts.
    body_line: usize,
}

impl RuleMeta {
    /// Parse a rule file. The registry's files are compiled in and checked by tests, so an
    /// error here is a bug in a rule file.
    ///
    /// # Errors
    /// A message naming what is wrong with the file.
    pub fn parse(doc: &'static str) -> Result<RuleMeta, String> {
        let rest = doc
            .strip_prefix("---\n")
            .ok_or("a rule file starts with `---` front matter")?;
        let end = rest
            .find("\n---\n")
            .ok_or("the front matter is not closed by `---`")?;
        let front = match FrontMatter::parse_plain(&rest[..end]) {
            Some(front) => front,
            None => {
                serde_saphyr::from_str(&rest[..end]).map_err(|e| format!("front matter: {e}"))?
            }
        };
        let body = &rest[end + 5..];
        let body_line = doc[..doc.len() - body.len()].lines().count() + 1;
        let summary = body
            .trim_start()
            .split("\n\n")
            .next()
            .unwrap_or("")
            .replace('\n', " ")
            .trim()
            .to_owned();
        Ok(RuleMeta {
            code: leak(front.code),
            name: leak(front.name),
            category: front.category,
            severity: front.severity,
            enabled_by_default: front.enabled,
            fix: front.fix,
            sources: front.sources,
            summary,
            body,
            body_line,
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

/// Rule metadata lives for the whole program; leaking the few strings parsed once keeps
/// `Finding` free of lifetimes.
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
    fn plain_front_matter_reads_as_yaml_does() {
        for rule in super::super::REGISTRY {
            let rest = rule.doc.strip_prefix("---\n").unwrap();
            let front = &rest[..rest.find("\n---\n").unwrap()];
            let yaml: FrontMatter = serde_saphyr::from_str(front).unwrap();
            assert_eq!(FrontMatter::parse_plain(front), Some(yaml), "{front}");
        }
        // What it does not read goes to the YAML parser.
        for odd in [
            "code: DD1\nname: x\ncategory: style\nseverity: info\nextra: 1",
            "code: \"DD1\"\nname: x\ncategory: style\nseverity: info",
            "code: DD1\nname: x\ncategory: style",
            "code: DD1\nname: x\ncategory: style\nseverity: info\n  - stray",
        ] {
            assert_eq!(FrontMatter::parse_plain(odd), None, "{odd}");
        }
    }

    #[test]
    fn unknown_front_matter_keys_are_errors() {
        let doc = "---\ncode: DD1\nname: x\ncategory: style\nseverity: info\ncolour: red\n---\nx\n";
        assert!(RuleMeta::parse(doc).unwrap_err().contains("colour"));
    }
}
