//! Open documents: text kept in sync with incremental edits; suppression-comment edits.

use std::path::PathBuf;

use drydock::diagnostic::{Edit, Finding};
use drydock::span::{LineIndex, Span};
use drydock::syntax::Dockerfile;
use lsp_types as lt;

use super::convert::{offset_in, Encoding};

/// One open document.
pub(super) struct Document {
    /// The file on disk (`file://` URIs only).
    pub(super) path: Option<PathBuf>,
    pub(super) text: String,
    pub(super) version: i32,
}

impl Document {
    pub(super) fn new(uri: &str, text: String, version: i32) -> Self {
        Document {
            path: super::uri_path(uri),
            text,
            version,
        }
    }

    /// Apply `didChange` content changes in order (each range is in the text as left by the
    /// previous change).
    pub(super) fn apply(&mut self, changes: &[lt::TextDocumentContentChangeEvent], enc: Encoding) {
        for change in changes {
            match change.range {
                None => self.text.clone_from(&change.text),
                Some(range) => {
                    let index = LineIndex::new(&self.text);
                    let start = offset_in(&self.text, &index, range.start, enc);
                    let end = offset_in(&self.text, &index, range.end, enc).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
            }
        }
    }
}

/// The line ending the text uses (CRLF if its first line ends so).
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// Insert `# drydock ignore=<code>` above the instruction holding the finding, indented
/// like the instruction's first line.
pub(super) fn ignore_here(text: &str, dockerfile: &Dockerfile, f: &Finding) -> Option<Edit> {
    let at = f.span.start();
    let instruction = dockerfile
        .instructions
        .iter()
        .find(|i| i.span.start() <= at && at < i.span.end().max(i.span.start() + 1))?;
    let line_start = text[..instruction.span.start()]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent = &text[line_start..instruction.span.start()];
    let indent: String = indent.chars().take_while(|c| c.is_whitespace()).collect();
    Some(Edit {
        span: Span::empty(line_start),
        replacement: format!("{indent}# drydock ignore={}{}", f.code, line_ending(text)),
    })
}

/// Insert `# drydock ignore-file=<code>` after the parser directives at the top (a comment
/// before a directive would end the directives).
pub(super) fn ignore_file(text: &str, dockerfile: &Dockerfile, code: &str) -> Edit {
    let after = dockerfile
        .directives
        .iter()
        .map(|d| d.span.end())
        .max()
        .map_or(if text.starts_with('\u{feff}') { 3 } else { 0 }, |end| {
            text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
        });
    let eol = line_ending(text);
    let prefix = if after == text.len() && !text.is_empty() && !text.ends_with('\n') {
        eol
    } else {
        ""
    };
    Edit {
        span: Span::empty(after),
        replacement: format!("{prefix}# drydock ignore-file={code}{eol}"),
    }
}

/// A built-in rule code or name under `offset` on a comment line, with its span and
/// registry index.
pub(super) fn rule_word_at(text: &str, offset: usize) -> Option<(Span, usize)> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    if !text[line_start..line_end].trim_start().starts_with('#') {
        return None;
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let start = text[line_start..offset]
        .rfind(|c: char| !is_word(c))
        .map_or(line_start, |i| line_start + i + 1);
    let end = text[offset..line_end]
        .find(|c: char| !is_word(c))
        .map_or(line_end, |i| offset + i);
    let word = &text[start..end];
    if word.is_empty() || word == "all" {
        return None;
    }
    let index = drydock::rules::find(word)?;
    Some((Span::new(start, end), index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use drydock::diagnostic::Severity;

    fn finding_at(span: Span) -> Finding {
        Finding {
            code: "DD209",
            name: "package-cache-in-image",
            severity: Severity::Info,
            message: String::new(),
            help: String::new(),
            span,
            labels: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn ignore_comments_keep_indentation_directives_and_line_endings() {
        let text = "# syntax=docker/dockerfile:1\r\nFROM a\r\n  RUN apt-get update\r\n";
        let df = drydock::syntax::parse(text);
        let at = text.find("apt-get").unwrap();
        let here = ignore_here(text, &df, &finding_at(Span::new(at, at + 7))).unwrap();
        let line = text.find("  RUN").unwrap();
        assert_eq!(here.span, Span::empty(line));
        assert_eq!(here.replacement, "  # drydock ignore=DD209\r\n");
        let file = ignore_file(text, &df, "DD209");
        assert_eq!(file.span, Span::empty(text.find("FROM").unwrap()));
        assert_eq!(file.replacement, "# drydock ignore-file=DD209\r\n");
    }

    #[test]
    fn findings_outside_instructions_can_only_be_ignored_file_wide() {
        let text = "FROM a\n\n# comment\n";
        let df = drydock::syntax::parse(text);
        let at = text.find("comment").unwrap();
        assert_eq!(
            ignore_here(text, &df, &finding_at(Span::new(at, at + 7))),
            None
        );
        let file = ignore_file("FROM a", &drydock::syntax::parse("FROM a"), "DD1");
        assert_eq!(file.span, Span::empty(0));
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut doc = Document::new("untitled:1", "a\u{1F600}b\nc\n".into(), 1);
        let change = |l1, c1, l2, c2, text: &str| lt::TextDocumentContentChangeEvent {
            range: Some(lt::Range::new(
                lt::Position::new(l1, c1),
                lt::Position::new(l2, c2),
            )),
            range_length: None,
            text: text.into(),
        };
        // UTF-16: the emoji is columns 1..3; a column past the end of a line is clamped.
        doc.apply(
            &[change(0, 3, 0, 4, "B"), change(1, 0, 1, 99, "C!")],
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "a\u{1F600}B\nC!\n");
        doc.apply(&[change(0, 1, 0, 5, "")], Encoding::Utf8);
        assert_eq!(doc.text, "aB\nC!\n");
    }
}
