//! Byte spans and the line index that turns them into line/column positions.
//!
//! Every span in drydock is a half-open byte range into the *original* file bytes
//! (a UTF-8 BOM included), so slicing the source with a span always gives back the
//! exact text the user wrote. Line and column are computed only when reporting.

use serde::Serialize;

/// A half-open byte range `start..end` into a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets; `end` is exclusive).
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span {
            start: to_u32(start),
            end: to_u32(end.max(start)),
        }
    }

    /// An empty span at `offset`.
    #[must_use]
    pub fn empty(offset: usize) -> Self {
        Span::new(offset, offset)
    }

    #[must_use]
    pub fn start(self) -> usize {
        self.start as usize
    }

    #[must_use]
    pub fn end(self) -> usize {
        self.end as usize
    }

    #[must_use]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both `self` and `other`.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Whether `offset` lies inside the span (end exclusive).
    #[must_use]
    pub fn contains(self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }

    /// The text this span covers; `""` if the span does not fit `source`.
    #[must_use]
    pub fn slice(self, source: &str) -> &str {
        source.get(self.start()..self.end()).unwrap_or("")
    }

    /// The same span moved right by `delta` bytes.
    #[must_use]
    pub fn shifted(self, delta: usize) -> Span {
        Span::new(self.start() + delta, self.end() + delta)
    }
}

/// Offsets beyond `u32::MAX` cannot occur: inputs are size-limited long before that.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A resolved position: 1-based line, 1-based column counted in Unicode scalar
/// values, the same column in UTF-16 code units (SARIF, LSP), and the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub utf16_column: u32,
    /// The column in UTF-8 bytes (reviewdog's rdjson).
    #[serde(skip)]
    pub byte_column: u32,
    /// The column as a terminal shows it: tab stops every 8, wide (East Asian) characters
    /// two columns, combining marks none (the GNU format).
    #[serde(skip)]
    pub display_column: u32,
    pub offset: u32,
}

/// Start and end positions of a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub start: Position,
    pub end: Position,
}

/// Maps byte offsets to line/column in O(log lines).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts (line 1 starts after a BOM).
    line_starts: Vec<u32>,
    len: u32,
}

const BOM: &str = "\u{feff}";

impl LineIndex {
    /// Index the lines of `source`: lines end at `\n`; a `\r` before it belongs to the line ending.
    #[must_use]
    pub fn new(source: &str) -> Self {
        let first = if source.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let mut line_starts = vec![to_u32(first)];
        line_starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| to_u32(i + 1)),
        );
        LineIndex {
            line_starts,
            len: to_u32(source.len()),
        }
    }

    /// Number of lines (a trailing newline starts one more, empty, line).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 1-based `line` starts, if it exists.
    #[must_use]
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts
            .get(line.checked_sub(1)?)
            .map(|&s| s as usize)
    }

    /// The position of `offset` in `source` (the text this index was built from).
    /// Offsets past the end or inside a multi-byte character are clamped.
    #[must_use]
    pub fn position(&self, source: &str, offset: usize) -> Position {
        let offset = offset.min(self.len as usize).min(source.len());
        let line_idx = match self.line_starts.binary_search(&to_u32(offset)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = (self.line_starts[line_idx] as usize).min(offset);
        let mut boundary = offset;
        while boundary > line_start && !source.is_char_boundary(boundary) {
            boundary -= 1;
        }
        let prefix = source.get(line_start..boundary).unwrap_or("");
        let chars = prefix.chars().count();
        let utf16: usize = prefix.chars().map(char::len_utf16).sum();
        Position {
            line: to_u32(line_idx + 1),
            column: to_u32(chars + 1),
            utf16_column: to_u32(utf16 + 1),
            byte_column: to_u32(prefix.len() + 1),
            display_column: to_u32(display_width(prefix) + 1),
            offset: to_u32(offset),
        }
    }

    /// Start and end positions of `span`.
    #[must_use]
    pub fn location(&self, source: &str, span: Span) -> Location {
        Location {
            start: self.position(source, span.start()),
            end: self.position(source, span.end()),
        }
    }
}

/// How many terminal columns `text` (one line) takes: tabs advance to the next multiple
/// of 8, wide characters take two, combining marks and zero-width characters none.
#[must_use]
pub fn display_width(text: &str) -> usize {
    text.chars().fold(0, |col, c| match c {
        '\t' => (col / 8 + 1) * 8,
        c if is_zero_width(c) => col,
        c if is_wide(c) => col + 2,
        _ => col + 1,
    })
}

fn is_zero_width(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F | 0xFEFF)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_and_display_columns() {
        let src = "RUN\té中x\n";
        let idx = LineIndex::new(src);
        let p = idx.position(src, src.find('x').unwrap());
        // R U N \t é 中: 6 characters, 3 + 1 + 2 + 3 bytes, display 8 (tab) + 1 + 2.
        assert_eq!((p.column, p.byte_column, p.display_column), (7, 10, 12));
    }

    #[test]
    fn positions_count_characters_and_utf16_units() {
        let src = "FROM a\nRUN é𝄞x\n";
        let idx = LineIndex::new(src);
        let x = src.find('x').unwrap();
        let p = idx.position(src, x);
        assert_eq!((p.line, p.column, p.utf16_column), (2, 7, 8));
        assert_eq!(idx.position(src, 0).column, 1);
        assert_eq!(idx.position(src, src.len()).line, 3);
    }

    #[test]
    fn bom_is_not_a_column() {
        let src = "\u{feff}FROM a";
        let idx = LineIndex::new(src);
        assert_eq!(idx.position(src, 3).column, 1);
        assert_eq!(idx.position(src, 0).column, 1);
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let src = "é";
        let idx = LineIndex::new(src);
        assert_eq!(idx.position(src, 1).column, 1);
    }
}
