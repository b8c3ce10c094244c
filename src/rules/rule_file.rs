//! The parts of a rule's Markdown file that describe the rule: YAML front matter (code,
//! name, category, severity, ...), the summary line and where the body starts.
//!
//! `build.rs` includes this file too: it reads every `rules/DD*.md` at build time and
//! compiles the result in (`rule_metas.rs` in `OUT_DIR`), so a run parses no front matter.
//! Only `std`, `serde` and `serde_saphyr` may be used here.

use serde::Deserialize;

/// A rule file's description, as written (enumerations still as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFile {
    pub code: String,
    pub name: String,
    /// `base-images`, `style`...
    pub category: String,
    /// `error`, `warning`, `info` or `style`.
    pub severity: String,
    pub enabled: bool,
    /// `none`, `safe` or `unsafe`.
    pub fix: String,
    pub sources: Vec<String>,
    /// The first paragraph of the body, its lines joined by spaces.
    pub summary: String,
    /// Byte offset of the body (the Markdown after the closing `---`).
    pub body_offset: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FrontMatter {
    code: String,
    name: String,
    category: String,
    severity: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "no_fix")]
    fix: String,
    #[serde(default)]
    sources: Vec<String>,
}

fn yes() -> bool {
    true
}

fn no_fix() -> String {
    "none".to_owned()
}

/// Read a rule file's front matter and summary.
///
/// # Errors
/// A message naming what is wrong: no front matter, invalid YAML, an unknown key.
pub fn parse(doc: &str) -> Result<RuleFile, String> {
    let rest = doc
        .strip_prefix("---\n")
        .ok_or("a rule file starts with `---` front matter")?;
    let end = rest
        .find("\n---\n")
        .ok_or("the front matter is not closed by `---`")?;
    let front: FrontMatter =
        serde_saphyr::from_str(&rest[..end]).map_err(|e| format!("front matter: {e}"))?;
    let body_offset = doc.len() - rest.len() + end + 5;
    let body = &doc[body_offset..];
    let summary = body
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .replace('\n', " ")
        .trim()
        .to_owned();
    Ok(RuleFile {
        code: front.code,
        name: front.name,
        category: front.category,
        severity: front.severity,
        enabled: front.enabled,
        fix: front.fix,
        sources: front.sources,
        summary,
        body_offset,
        body_line: doc[..body_offset].lines().count() + 1,
    })
}
