//! Logical text: text assembled from pieces of the file (continuation lines joined,
//! heredoc bodies appended) together with a map back to file byte offsets.

use crate::span::Span;

/// Text made of file pieces, with an offset map back to the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogicalText {
    text: String,
    /// `(logical_start, file_start)` of each piece, in increasing logical order. Inside a
    /// piece, offsets map linearly.
    segments: Vec<(u32, u32)>,
}

impl LogicalText {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The assembled text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.text.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Append `piece`, whose first byte sits at `file_start` in the file. The piece must
    /// have the same byte length as the file text it stands for.
    pub fn push(&mut self, piece: &str, file_start: usize) {
        if piece.is_empty() {
            return;
        }
        let logical = self.text.len();
        let seg = (to_u32(logical), to_u32(file_start));
        // Merge with the previous piece when it continues it contiguously in the file.
        let contiguous = self
            .segments
            .last()
            .is_some_and(|&(l, f)| (f as usize) + (logical - l as usize) == file_start);
        if !contiguous {
            self.segments.push(seg);
        }
        self.text.push_str(piece);
    }

    /// A new logical text holding `start..end` of this one, still mapped to the file.
    #[must_use]
    pub fn slice(&self, start: usize, end: usize) -> LogicalText {
        let mut out = LogicalText::new();
        let mut pos = start;
        while pos < end {
            let idx = self.segment_index(pos);
            let seg_end = self
                .segments
                .get(idx + 1)
                .map_or(self.text.len(), |s| s.0 as usize)
                .min(end);
            if let Some(piece) = self.text.get(pos..seg_end) {
                out.push(piece, self.to_file(pos));
            }
            pos = seg_end.max(pos + 1);
        }
        out
    }

    fn segment_index(&self, offset: usize) -> usize {
        match self
            .segments
            .binary_search_by(|s| (s.0 as usize).cmp(&offset))
        {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The file offset of logical offset `offset` (a start position).
    #[must_use]
    pub fn to_file(&self, offset: usize) -> usize {
        let Some(&(l, f)) = self.segments.get(self.segment_index(offset)) else {
            return 0;
        };
        f as usize + offset.saturating_sub(l as usize)
    }

    /// The file offset of logical end position `offset` (exclusive): the byte before it is
    /// mapped, so an end at a piece boundary stays in the earlier piece.
    #[must_use]
    pub fn end_to_file(&self, offset: usize) -> usize {
        if offset == 0 {
            return self.to_file(0);
        }
        self.to_file(offset - 1) + 1
    }

    /// Map a logical span to a file span.
    #[must_use]
    pub fn span_to_file(&self, span: Span) -> Span {
        let start = self.to_file(span.start());
        if span.is_empty() {
            return Span::empty(start);
        }
        Span::new(start, self.end_to_file(span.end()).max(start))
    }

    /// Map logical `start..end` to a file span.
    #[must_use]
    pub fn range_to_file(&self, start: usize, end: usize) -> Span {
        self.span_to_file(Span::new(start, end))
    }

    /// The file span the whole text came from.
    #[must_use]
    pub fn file_span(&self) -> Span {
        self.range_to_file(0, self.text.len())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_joined_pieces_back_to_the_file() {
        let file = "RUN a \\\n  b\n";
        let mut t = LogicalText::new();
        t.push("RUN a ", 0);
        t.push("  b", 8);
        assert_eq!(t.as_str(), "RUN a   b");
        let b = t.as_str().find('b').unwrap();
        assert_eq!(t.to_file(b), file.find('b').unwrap());
        // A span crossing the join covers the continuation in the file.
        let s = t.range_to_file(4, 9);
        assert_eq!(s.slice(file), "a \\\n  b");
        // An end exactly at a piece boundary stays in the first piece.
        assert_eq!(t.range_to_file(0, 6).slice(file), "RUN a ");
    }

    #[test]
    fn slices_keep_the_map() {
        let mut t = LogicalText::new();
        t.push("RUN a ", 0);
        t.push("  b", 8);
        let s = t.slice(4, 9);
        assert_eq!(s.as_str(), "a   b");
        assert_eq!(s.to_file(4), 10);
        assert_eq!(s.to_file(0), 4);
    }

    #[test]
    fn contiguous_pieces_merge() {
        let mut t = LogicalText::new();
        t.push("ab", 10);
        t.push("cd", 12);
        assert_eq!(t.segments.len(), 1);
        assert_eq!(t.to_file(3), 13);
    }
}
