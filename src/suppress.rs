//! Suppression comments: drop the findings they cover and report the useless ones (DD002).
//!
//! Forms (rule names are comma-separated; spaces around `=` and `,` are allowed; text after
//! the list, such as `-- reason`, is ignored):
//!
//! | Comment | Scope | Names |
//! | --- | --- | --- |
//! | `# drydock ignore=DD102,base-image-latest` | next instruction | codes, names, categories, `all`, `DL3007` |
//! | `# drydock ignore-file=DD102` | whole file, anywhere | same |
//! | `# hadolint ignore=DL3007` | next instruction | hadolint/ShellCheck codes, via `sources` |
//! | `# hadolint global ignore=DL3007` | whole file | same |
//! | `# check=skip=JSONArgsRecommended` (parser directive) | whole file | BuildKit check names or `all` |
//! | `# check=skip=JSONArgsRecommended` above an instruction | that instruction | same |
//!
//! "Next instruction" means the comments directly above it, as BuildKit groups them
//! ([`Dockerfile::leading_comments`]): other comments and blank lines may come between, a
//! bare `#` line ends the group. A finding belongs to the instruction whose span contains
//! the start of the finding's span; findings outside every instruction (on comments,
//! directives or blank lines) can only be suppressed file-wide.
//!
//! DD002 (`unused-suppression`) is produced here, not by a rule check: it reports, in drydock
//! comments only, a name that designates no rule, and a name that suppressed nothing although
//! it designates an enabled rule (a name whose rules are all disabled cannot be judged and is
//! left alone). hadolint and BuildKit comments are honoured but never reported: those tools
//! read them too.

use crate::diagnostic::{Edit, Finding, Fix, Safety, Severity};
use crate::rules::{self, Catalog, RuleMeta};
use crate::span::Span;
use crate::syntax::{Comment, Dockerfile};

/// The code of the rule this module reports.
pub const UNUSED_SUPPRESSION: &str = "DD002";

/// Which tool's syntax a suppression uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Drydock,
    Hadolint,
    BuildKit,
}

/// What a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    File,
    /// The instruction at this index of `Dockerfile::instructions`.
    Instruction(usize),
    /// A per-instruction comment that is not directly above any instruction.
    Nowhere,
}

/// One name of one suppression comment.
#[derive(Debug)]
struct Entry {
    name: String,
    span: Span,
    origin: Origin,
    scope: Scope,
    /// Registry indices of the rules the name designates.
    rules: Vec<usize>,
    used: bool,
    /// The comment it is written in (index in [`Dockerfile::comments`]); `None` for the
    /// `# check=` directive.
    comment: Option<usize>,
}

/// A drydock comment that is not a usable suppression.
#[derive(Debug)]
struct Malformed {
    span: Span,
    message: String,
    help: String,
}

/// A parsed suppression comment before its scope is known.
struct Pragma {
    origin: Origin,
    file_wide: bool,
    names: Vec<(String, Span)>,
}

/// A comment that is a suppression (a malformed drydock comment is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuppressionComment {
    /// Index in [`Dockerfile::comments`].
    pub comment: usize,
    pub origin: Origin,
    /// `ignore-file=` or `hadolint global ignore=`: it covers the whole file.
    pub file_wide: bool,
}

/// Every suppression comment of the file, in order. The `# check=` parser directive is not
/// a comment and is not listed.
#[must_use]
pub fn suppression_comments(dockerfile: &Dockerfile) -> Vec<SuppressionComment> {
    dockerfile
        .comments
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let p = parse_comment(c).ok()??;
            Some(SuppressionComment {
                comment: i,
                origin: p.origin,
                file_wide: p.file_wide,
            })
        })
        .collect()
}

/// Whether `comment` is written for a linter: a suppression, or a drydock comment that
/// tries to be one.
#[must_use]
pub fn is_suppression_comment(comment: &Comment) -> bool {
    !matches!(parse_comment(comment), Ok(None))
}

/// Drop the findings that suppression comments cover, then add DD002 findings (at the
/// severity `rules` gives DD002, if it is enabled). `rules` is the engine's per-rule
/// setting (`None` = disabled), indexed as `catalog`, whose custom rules suppression comments
/// may name too. The result is sorted by position, then code.
#[must_use]
pub fn apply(
    source: &str,
    dockerfile: &Dockerfile,
    findings: Vec<Finding>,
    rules: &[Option<Severity>],
    catalog: Catalog<'_>,
) -> Vec<Finding> {
    let (mut entries, malformed) = collect(dockerfile, catalog);
    let metas = rules::metas();
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| !suppress(&mut entries, dockerfile, catalog, f))
        .collect();
    let dd002 = metas.iter().position(|m| m.code == UNUSED_SUPPRESSION);
    if let Some((i, severity)) = dd002.and_then(|i| Some((i, rules.get(i).copied()??))) {
        let mut reports = unused(
            &entries,
            &malformed,
            (i, rules),
            catalog,
            &metas[i],
            severity,
        );
        add_removal_fixes(&mut reports, &entries, source, dockerfile);
        kept.extend(
            reports
                .into_iter()
                .filter(|f| !suppress(&mut entries, dockerfile, catalog, f)),
        );
    }
    kept.sort_by(|a, b| (a.span, a.code).cmp(&(b.span, b.code)));
    kept
}

/// Whether a suppression covers `finding`; marks the covering entries used.
fn suppress(
    entries: &mut [Entry],
    dockerfile: &Dockerfile,
    catalog: Catalog<'_>,
    finding: &Finding,
) -> bool {
    let Some(rule) = catalog.index_of_code(finding.code) else {
        return false;
    };
    let instruction = instruction_at(dockerfile, finding.span.start());
    let mut covered = false;
    for e in entries.iter_mut() {
        let in_scope = match e.scope {
            Scope::File => true,
            Scope::Instruction(i) => instruction == Some(i),
            Scope::Nowhere => false,
        };
        if in_scope && e.rules.contains(&rule) {
            e.used = true;
            covered = true;
        }
    }
    covered
}

/// The index of the instruction whose span contains `offset` (its end included).
fn instruction_at(dockerfile: &Dockerfile, offset: usize) -> Option<usize> {
    let instructions = &dockerfile.instructions;
    let after = instructions.partition_point(|i| i.span.start() <= offset);
    let i = after.checked_sub(1)?;
    (offset <= instructions[i].span.end()).then_some(i)
}

/// The DD002 findings: unknown names, unused names and malformed drydock comments.
/// `(dd002, rules)`: DD002's index and the per-rule settings.
fn unused(
    entries: &[Entry],
    malformed: &[Malformed],
    (dd002, rules): (usize, &[Option<Severity>]),
    catalog: Catalog<'_>,
    meta: &'static RuleMeta,
    severity: Severity,
) -> Vec<Finding> {
    let enabled = |i: usize| i != dd002 && rules.get(i).copied().flatten().is_some();
    let finding = |span, message: String, help: String| Finding {
        code: meta.code,
        name: meta.name,
        severity,
        message,
        help,
        span,
        labels: Vec::new(),
        fix: None,
    };
    let mut out: Vec<Finding> = malformed
        .iter()
        .map(|m| finding(m.span, m.message.clone(), m.help.clone()))
        .collect();
    for e in entries.iter().filter(|e| e.origin == Origin::Drydock) {
        if e.rules.is_empty() && !catalog.is_designator(&e.name) {
            out.push(finding(
                e.span,
                format!("unknown rule `{}` in a suppression comment", e.name),
                "give a code (DD102), a name (base-image-latest), a category, a hadolint code (DL3007) or `all`; `drydock rules` lists them".into(),
            ));
        } else if !e.used && e.rules.iter().any(|&i| enabled(i)) {
            let (message, help) = unused_message(e);
            out.push(finding(e.span, message, help));
        }
    }
    out
}

/// Give the DD002 findings about unused names their fix: drop the name from its comment, or
/// the whole comment line when none of its names is used. Unknown names (maybe a typo of a
/// rule meant to be suppressed) and misplaced comments get no fix.
fn add_removal_fixes(
    reports: &mut [Finding],
    entries: &[Entry],
    source: &str,
    dockerfile: &Dockerfile,
) {
    let reported: Vec<Span> = reports.iter().map(|r| r.span).collect();
    for report in reports.iter_mut() {
        let Some(e) = entries.iter().find(|e| e.span == report.span) else {
            continue;
        };
        let (Some(comment), false) = (e.comment, e.rules.is_empty() || e.scope == Scope::Nowhere)
        else {
            continue;
        };
        let siblings: Vec<&Entry> = entries
            .iter()
            .filter(|o| o.comment == Some(comment))
            .collect();
        let reported = |o: &Entry| !o.rules.is_empty() && reported.contains(&o.span);
        let edit = if siblings.iter().all(|o| reported(o)) {
            let line = line_of(source, dockerfile.comments[comment].span);
            if would_become_directive(source, dockerfile, line) {
                continue;
            }
            Edit {
                span: line,
                replacement: String::new(),
            }
        } else {
            Edit {
                span: name_with_separator(source, &siblings, e),
                replacement: String::new(),
            }
        };
        report.fix = Some(Fix {
            description: format!("remove `{}` from the suppression comment", e.name),
            edits: vec![edit],
            safety: Safety::Safe,
        });
    }
}

/// Whether deleting `line` would turn the comment after it into a parser directive
/// (`# syntax=`, `# escape=`, `# check=` count only above every other comment).
fn would_become_directive(source: &str, dockerfile: &Dockerfile, line: Span) -> bool {
    let before_instructions = dockerfile
        .instructions
        .first()
        .is_none_or(|i| line.start() < i.span.start());
    let next = source[line.end()..].lines().next().unwrap_or("");
    let looks_like_directive = next.trim_start().strip_prefix('#').is_some_and(|rest| {
        rest.split_once('=').is_some_and(|(key, _)| {
            let key = key.trim();
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic())
        })
    });
    before_instructions && looks_like_directive
}

/// The whole line holding `span`, its line break included.
fn line_of(source: &str, span: Span) -> Span {
    let start = source[..span.start()].rfind('\n').map_or(0, |i| i + 1);
    let end = source[span.end()..]
        .find('\n')
        .map_or(source.len(), |i| span.end() + i + 1);
    Span::new(start, end)
}

/// `entry`'s name with the comma (and blanks) that joins it to its neighbour: the one after
/// it, or for the last name the one before.
fn name_with_separator(source: &str, siblings: &[&Entry], entry: &Entry) -> Span {
    let at = siblings
        .iter()
        .position(|o| o.span == entry.span)
        .unwrap_or(0);
    match (siblings.get(at + 1), at.checked_sub(1).map(|i| siblings[i])) {
        (Some(next), _) => Span::new(entry.span.start(), next.span.start()),
        (None, Some(prev)) => {
            let gap = &source[prev.span.end()..entry.span.start()];
            if gap
                .trim_matches(|c: char| c == ',' || c == ' ' || c == '\t')
                .is_empty()
            {
                Span::new(prev.span.end(), entry.span.end())
            } else {
                entry.span
            }
        }
        (None, None) => entry.span,
    }
}

/// Message and help for a name that suppressed nothing.
fn unused_message(e: &Entry) -> (String, String) {
    let name = &e.name;
    match e.scope {
        Scope::File => (
            format!("`{name}` is suppressed for the file but reports nothing in it"),
            format!("remove `{name}` from the `ignore-file=` comment"),
        ),
        Scope::Instruction(_) => (
            format!("`{name}` is suppressed here but reports nothing on this instruction"),
            format!("remove `{name}` from the `ignore=` comment"),
        ),
        Scope::Nowhere => (
            format!("the suppression of `{name}` is not directly above an instruction"),
            "move the comment right above the instruction it is about, or use `ignore-file=`"
                .into(),
        ),
    }
}

/// Every suppression of the file with its scope, and the malformed drydock comments.
fn collect(dockerfile: &Dockerfile, catalog: Catalog<'_>) -> (Vec<Entry>, Vec<Malformed>) {
    let mut scopes = vec![Scope::Nowhere; dockerfile.comments.len()];
    for (i, inst) in dockerfile.instructions.iter().enumerate() {
        let (start, end) = inst.leading_comments;
        for s in scopes.iter_mut().take(end as usize).skip(start as usize) {
            *s = Scope::Instruction(i);
        }
    }
    let mut entries = Vec::new();
    let mut malformed = Vec::new();
    if let Some(d) = dockerfile.directive("check") {
        let names = check_skip(&d.value, d.value_span.start());
        push_entries(
            &mut entries,
            (Origin::BuildKit, Scope::File, None),
            catalog,
            names,
        );
    }
    for (index, (comment, scope)) in dockerfile.comments.iter().zip(scopes).enumerate() {
        match parse_comment(comment) {
            Ok(Some(p)) => {
                if p.origin == Origin::Drydock && p.names.is_empty() {
                    malformed.push(Malformed {
                        span: comment.span,
                        message: "this suppression comment names no rule".into(),
                        help: "list the rules after `=`, e.g. `# drydock ignore=DD102`".into(),
                    });
                }
                let scope = if p.file_wide { Scope::File } else { scope };
                push_entries(
                    &mut entries,
                    (p.origin, scope, Some(index)),
                    catalog,
                    p.names,
                );
            }
            Ok(None) => {}
            Err(m) => malformed.push(m),
        }
    }
    (entries, malformed)
}

/// Add one entry per name, resolving what each designates.
fn push_entries(
    entries: &mut Vec<Entry>,
    (origin, scope, comment): (Origin, Scope, Option<usize>),
    catalog: Catalog<'_>,
    names: Vec<(String, Span)>,
) {
    for (name, span) in names {
        let rules = designated(origin, catalog, &name);
        entries.push(Entry {
            name,
            span,
            origin,
            scope,
            rules,
            used: false,
            comment,
        });
    }
}

/// The registry indices `name` designates in a comment of `origin`.
fn designated(origin: Origin, catalog: Catalog<'_>, name: &str) -> Vec<usize> {
    let with_source = |pred: &dyn Fn(&str, &str) -> bool| -> Vec<usize> {
        rules::metas()
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                m.sources
                    .iter()
                    .filter_map(|s| s.split_once(':'))
                    .any(|(tool, id)| pred(tool, id))
            })
            .map(|(i, _)| i)
            .collect()
    };
    match origin {
        Origin::Drydock => catalog.select(name),
        Origin::Hadolint => {
            with_source(&|tool, id| tool != "buildkit" && id.eq_ignore_ascii_case(name))
        }
        // `skip=all` skips BuildKit's checks; a parse error is not a check.
        Origin::BuildKit => with_source(&|tool, id| {
            tool == "buildkit"
                && (id.eq_ignore_ascii_case(name) || (name == "all" && id != "ParseError"))
        }),
    }
}

/// The suppression in `comment`: `Ok(None)` for an ordinary comment, `Err` for a drydock
/// comment that drydock cannot use.
fn parse_comment(comment: &Comment) -> Result<Option<Pragma>, Malformed> {
    let text = comment.text.as_str();
    let base = comment.text_span.start();
    if let Some(rest) = word(text, "drydock") {
        return drydock(rest, base + text.len() - rest.len(), comment.span);
    }
    if let Some(rest) = word(text, "hadolint") {
        let (file_wide, rest) = match word(rest, "global") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let Some(list) = rest
            .strip_prefix("ignore")
            .and_then(|r| r.trim_start().strip_prefix('='))
        else {
            return Ok(None);
        };
        let names = names(list, base + text.len() - list.len());
        return Ok(Some(Pragma {
            origin: Origin::Hadolint,
            file_wide,
            names,
        }));
    }
    let lower = text.get(..6).map(str::to_ascii_lowercase);
    if lower.as_deref() == Some("check=") {
        let value = &text[6..];
        let value = value.split_whitespace().next().unwrap_or("");
        return Ok(Some(Pragma {
            origin: Origin::BuildKit,
            file_wide: false,
            names: check_skip(value, base + 6),
        }));
    }
    Ok(None)
}

/// A `drydock ...` comment; `rest` follows the word `drydock` and starts at byte `at`.
fn drydock(rest: &str, at: usize, span: Span) -> Result<Option<Pragma>, Malformed> {
    let keyword_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    let (keyword, after) = rest.split_at(keyword_len);
    let Some(list) = after.trim_start().strip_prefix('=') else {
        return Ok(None);
    };
    let file_wide = match keyword {
        "ignore" => false,
        "ignore-file" => true,
        _ => {
            return Err(Malformed {
                span,
                message: format!("unknown drydock comment `{keyword}=`"),
                help: "write `# drydock ignore=RULE` (next instruction) or `# drydock ignore-file=RULE` (whole file)".into(),
            })
        }
    };
    Ok(Some(Pragma {
        origin: Origin::Drydock,
        file_wide,
        names: names(list, at + rest.len() - list.len()),
    }))
}

/// `text` without its leading `word` (ASCII case-insensitive) and the blanks after it,
/// if `text` starts with that word followed by a blank.
fn word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with([' ', '\t'])).then(|| rest.trim_start())
}

/// The names of the `skip=` option of a BuildKit `check=` value starting at byte `at`.
fn check_skip(value: &str, at: usize) -> Vec<(String, Span)> {
    let mut offset = at;
    for option in value.split(';') {
        let trimmed = option.trim_start();
        if let Some(list) = trimmed.strip_prefix("skip=") {
            return names(list, offset + option.len() - list.len());
        }
        offset += option.len() + 1;
    }
    Vec::new()
}

/// A comma-separated list of names at the start of `list` (which starts at byte `at`);
/// the list ends at the first name not followed by a comma.
fn names(list: &str, at: usize) -> Vec<(String, Span)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.');
    let mut out = Vec::new();
    let mut pos = list.len() - list.trim_start().len();
    loop {
        let rest = &list[pos..];
        let len = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        out.push((rest[..len].to_owned(), Span::new(at + pos, at + pos + len)));
        pos += len;
        let after = &list[pos..];
        let Some(next) = after.trim_start().strip_prefix(',') else {
            break;
        };
        pos = list.len() - next.trim_start().len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(list: &str) -> Vec<(String, &str)> {
        names(list, 0)
            .into_iter()
            .map(|(n, s)| (n, s.slice(list)))
            .collect()
    }

    #[test]
    fn lists_allow_spaces_around_commas_and_end_at_free_text() {
        let got = spans(" DD001 , base-image-latest,DL3007 -- reason, here");
        let names: Vec<_> = got.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        assert_eq!(
            names,
            [
                ("DD001", "DD001"),
                ("base-image-latest", "base-image-latest"),
                ("DL3007", "DL3007")
            ]
        );
        assert!(spans("").is_empty());
        assert!(spans(", x").is_empty());
    }

    #[test]
    fn check_values_take_the_skip_option() {
        let value = "error=true;skip=A,B";
        let got = check_skip(value, 10);
        assert_eq!(got[0].0, "A");
        assert_eq!(got[0].1, Span::new(26, 27));
        assert_eq!(check_skip("skip=all;error=true", 0)[0].0, "all");
        assert!(check_skip("error=true", 0).is_empty());
    }

    fn pragma(text: &str) -> Option<(Origin, bool, Vec<String>)> {
        let comment = Comment {
            span: Span::new(0, text.len() + 2),
            text: text.to_owned(),
            text_span: Span::new(2, text.len() + 2),
            in_continuation: false,
        };
        let p = parse_comment(&comment).ok()??;
        Some((
            p.origin,
            p.file_wide,
            p.names.into_iter().map(|n| n.0).collect(),
        ))
    }

    #[test]
    fn comment_forms() {
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            pragma("hadolint ignore=DL3008, SC2086"),
            Some((Origin::Hadolint, false, names(&["DL3008", "SC2086"])))
        );
        assert_eq!(
            pragma("hadolint global ignore=DL3008"),
            Some((Origin::Hadolint, true, names(&["DL3008"])))
        );
        assert_eq!(pragma("hadolint shell=powershell"), None);
        assert_eq!(
            pragma("check=skip=A,B // because"),
            Some((Origin::BuildKit, false, names(&["A", "B"])))
        );
        assert_eq!(
            pragma("drydock ignore-file=all"),
            Some((Origin::Drydock, true, names(&["all"])))
        );
        assert_eq!(pragma("drydock is a linter"), None);
        assert_eq!(pragma("install curl"), None);
    }

    #[test]
    fn words_need_a_following_blank() {
        assert_eq!(word("drydock  ignore=x", "drydock"), Some("ignore=x"));
        assert_eq!(word("Hadolint ignore=x", "hadolint"), Some("ignore=x"));
        assert_eq!(word("drydockignore=x", "drydock"), None);
        assert_eq!(word("dry", "drydock"), None);
        assert_eq!(word("é", "drydock"), None);
    }
}
