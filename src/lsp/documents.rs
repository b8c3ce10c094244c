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
