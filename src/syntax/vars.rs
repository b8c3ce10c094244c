//! Variable references (`$NAME`, `${NAME}`, `${NAME:-default}`) in instruction words.

use crate::span::Span;

/// A variable reference with its span in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    /// The whole reference, `$` to `}`.
    pub span: Span,
    pub name: String,
    pub name_span: Span,
    /// The operator of `${NAME<op>word}`: `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`.
    pub modifier: Option<String>,
    /// The raw word after the operator.
    pub word: Option<String>,
}

/// A reference found in logical text: ranges are logical offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawVar {
    pub(crate) whole: (usize, usize),
    pub(crate) name: (usize, usize),
    pub(crate) modifier: Option<(usize, usize)>,
    pub(crate) word: Option<(usize, usize)>,
}

const MODIFIERS: [&str; 12] = [
    ":-", ":+", ":?", "##", "%%", "//", "-", "+", "?", "#", "%", "/",
];

/// Find the variable references in `start..end`, honouring single quotes (no expansion)
/// and the escape character (`\$` is literal). Linear: matching braces are found in one pass.
pub(crate) fn scan(text: &str, start: usize, end: usize, escape: u8) -> Vec<RawVar> {
    let b = text.as_bytes();
    if !b[start..end].contains(&b'$') {
        return Vec::new();
    }
    let closing = matching_braces(b, start, end);
    let mut out = Vec::new();
    let mut in_single = false;
    let mut in_double = false;
    let mut i = start;
    while i < end {
        let c = b[i];
        if c == escape && !in_single {
            i += 2;
            continue;
        }
        match c {
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'$' if !in_single => {
                if let Some(v) = reference_at(b, i, end, &closing) {
                    out.push(v);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The reference starting at the `$` at `i`, if any.
fn reference_at(b: &[u8], i: usize, end: usize, closing: &[(usize, usize)]) -> Option<RawVar> {
    let next = *b.get(i + 1).filter(|_| i + 1 < end)?;
    if is_name_start(next) {
        let mut j = i + 1;
        while j < end && is_name_char(b[j]) {
            j += 1;
        }
        return Some(RawVar {
            whole: (i, j),
            name: (i + 1, j),
            modifier: None,
            word: None,
        });
    }
    if next != b'{' {
        return None;
    }
    let name_start = i + 2;
    let mut j = name_start;
    while j < end && is_name_char(b[j]) {
        j += 1;
    }
    if j == name_start {
        return None;
    }
    let close = closing
        .binary_search_by_key(&(i + 1), |&(open, _)| open)
        .ok()
        .map_or(end, |k| closing[k].1);
    let inner = std::str::from_utf8(&b[j..close]).unwrap_or("");
    let modifier = MODIFIERS
        .iter()
        .find(|m| inner.starts_with(*m))
        .map(|m| (j, j + m.len()));
    let word = modifier.map(|(_, m_end)| (m_end, close));
    Some(RawVar {
        whole: (i, (close + 1).min(end)),
        name: (name_start, j),
        modifier,
        word,
    })
}

/// `(open, close)` positions of each `${`'s `{` and its matching `}`, sorted by `open`.
fn matching_braces(b: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut stack = Vec::new();
    let mut pairs = Vec::new();
    let mut i = start;
    while i < end {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') && i + 1 < end => {
                stack.push(i + 1);
                i += 1;
            }
            b'{' => stack.push(usize::MAX),
            b'}' => {
                if let Some(open) = stack.pop() {
                    if open != usize::MAX {
                        pairs.push((open, i));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str) -> Vec<(String, Option<String>, Option<String>)> {
        scan(t, 0, t.len(), b'\\')
            .into_iter()
            .map(|v| {
                (
                    t[v.name.0..v.name.1].to_owned(),
                    v.modifier.map(|(s, e)| t[s..e].to_owned()),
                    v.word.map(|(s, e)| t[s..e].to_owned()),
                )
            })
            .collect()
    }

    #[test]
    fn finds_plain_braced_and_nested_references() {
        let t = "$A/${B:-x}/${C:-${D}}'$E'\\$F";
        let found = names(t);
        assert_eq!(found.len(), 4);
        assert_eq!(found[0].0, "A");
        assert_eq!(found[1], ("B".into(), Some(":-".into()), Some("x".into())));
        assert_eq!(found[2].2.as_deref(), Some("${D}"));
        assert_eq!(found[3].0, "D");
    }

    #[test]
    fn whole_span_covers_the_reference() {
        let t = "img:${TAG}";
        let v = &scan(t, 0, t.len(), b'\\')[0];
        assert_eq!(&t[v.whole.0..v.whole.1], "${TAG}");
    }
}
