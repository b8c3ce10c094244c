//! Bash-only constructs inside one shell word, found in the word's raw text: the forms
//! POSIX sh (dash, busybox ash) rejects or reads differently. Quoting is honoured: nothing
//! inside single quotes counts, and brace expansion and `$'..'` do not happen inside
//! double quotes, while parameter expansions do.

use std::ops::Range;

/// A bash-only construct in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordConstruct {
    /// `$'..'` (ANSI-C quoting).
    AnsiCQuote,
    /// `${v:1:2}` (substring).
    Substring,
    /// `${v/a/b}`, `${v//a/b}` (pattern replacement).
    Replacement,
    /// `${v^^}`, `${v,,}` (case modification).
    CaseModification,
    /// `${!v}` (indirect expansion, also `${!prefix*}` and `${!a[@]}`).
    Indirect,
    /// `${a[0]}`, `${a[@]}` (array reference).
    ArrayReference,
    /// `{a,b}`, `{1..9}` outside quotes (brace expansion).
    BraceExpansion,
    /// `<(..)`, `>(..)` (process substitution).
    ProcessSubstitution,
}

/// A bash-only form of an assignment word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignmentConstruct {
    /// `a=(1 2)`.
    Array,
    /// `a+=x`.
    Append,
}

/// The bash-only constructs of the raw word text `raw`, with their byte ranges in `raw`
/// (`$'` and `<(` alone, whole `${..}` and `{a,b}` forms).
#[must_use]
pub fn word_constructs(raw: &str) -> Vec<(Range<usize>, WordConstruct)> {
    let b = raw.as_bytes();
    let mut out = Vec::new();
    let mut dq = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\'' if !dq => i = skip_single_quoted(b, i + 1),
            b'"' => {
                dq = !dq;
                i += 1;
            }
            b'$' if !dq && b.get(i + 1) == Some(&b'\'') => {
                out.push((i..i + 2, WordConstruct::AnsiCQuote));
                i = skip_ansi_c(b, i + 2);
            }
            b'$' if b.get(i + 1) == Some(&b'{') => {
                if let Some(found) = parameter_construct(b, i) {
                    out.push(found);
                }
                i += 2;
            }
            b'<' | b'>' if !dq && b.get(i + 1) == Some(&b'(') => {
                out.push((i..i + 2, WordConstruct::ProcessSubstitution));
                i += 2;
            }
            b'{' if !dq && (i == 0 || b[i - 1] != b'$') => {
                if let Some(end) = brace_expansion_end(b, i) {
                    out.push((i..end, WordConstruct::BraceExpansion));
                    i = end;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The bash-only form of assignment word `raw` (`a=(..)`, `a+=x`), with the range of
/// name and operator (`a=(`, `a+=`).
#[must_use]
pub fn assignment_construct(raw: &str) -> Option<(Range<usize>, AssignmentConstruct)> {
    let b = raw.as_bytes();
    let name_len = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))?;
    if name_len == 0 {
        return None;
    }
    match (b.get(name_len), b.get(name_len + 1)) {
        (Some(b'+'), Some(b'=')) => Some((0..name_len + 2, AssignmentConstruct::Append)),
        (Some(b'='), Some(b'(')) => Some((0..name_len + 2, AssignmentConstruct::Array)),
        _ => None,
    }
}

/// The offset after the `'` closing a single-quoted string whose text starts at `i`.
fn skip_single_quoted(b: &[u8], i: usize) -> usize {
    b[i.min(b.len())..]
        .iter()
        .position(|&c| c == b'\'')
        .map_or(b.len(), |k| i + k + 1)
}

/// The offset after the `'` closing a `$'..'` string whose text starts at `i` (`\'` escapes).
fn skip_ansi_c(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Classify the `${` at `i`: a bash-only form, or `None` for POSIX forms (`${v}`,
/// `${v:-x}`, `${#v}`, `${v%x}`...).
fn parameter_construct(b: &[u8], i: usize) -> Option<(Range<usize>, WordConstruct)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'!') && b.get(j + 1).is_some_and(|c| is_name_start(*c)) {
        return Some((i..parameter_end(b, i), WordConstruct::Indirect));
    }
    if b.get(j) == Some(&b'#') {
        // `${#v}` (length) is POSIX; `${#a[@]}` is an array reference.
        j += 1;
    }
    let name_start = j;
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        j += 1;
    }
    if j == name_start {
        return None;
    }
    let construct = match b.get(j)? {
        b'[' => WordConstruct::ArrayReference,
        b'/' => WordConstruct::Replacement,
        b'^' | b',' => WordConstruct::CaseModification,
        b':' if !matches!(b.get(j + 1), Some(b'-' | b'=' | b'?' | b'+') | None) => {
            WordConstruct::Substring
        }
        _ => return None,
    };
    Some((i..parameter_end(b, i), construct))
}

/// The offset after the `}` closing the `${` at `i` (the end of `b` if unclosed).
fn parameter_end(b: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    for (k, &c) in b.iter().enumerate().skip(i + 1) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    b.len()
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

/// The end of a brace expansion starting at the `{` at `open`: the matching `}` with a
/// top-level `,` or `..` between, and no blank, quote or `$(` in between (then it is a
/// group or literal text, such as `find -exec {} \;` or `{"a": 1}`).
fn brace_expansion_end(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut has_sep = false;
    let mut k = open;
    while k < b.len() {
        match b[k] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return (has_sep && k > open + 1).then_some(k + 1);
                }
            }
            b',' if depth == 1 => has_sep = true,
            b'.' if depth == 1 && b.get(k + 1) == Some(&b'.') => has_sep = true,
            b' ' | b'\t' | b'\n' | b'\'' | b'"' | b'\\' | b'(' | b')' | b'$' | b'`' => return None,
            _ => {}
        }
        k += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(raw: &str) -> Vec<(&str, WordConstruct)> {
        word_constructs(raw)
            .into_iter()
            .map(|(r, k)| (&raw[r], k))
            .collect()
    }

    #[test]
    fn parameter_forms() {
        use WordConstruct::*;
        assert_eq!(kinds("${v:0:1}"), [("${v:0:1}", Substring)]);
        assert_eq!(kinds("\"${v// /_}\""), [("${v// /_}", Replacement)]);
        assert_eq!(kinds("${v^^}x"), [("${v^^}", CaseModification)]);
        assert_eq!(kinds("${!ref}"), [("${!ref}", Indirect)]);
        assert_eq!(kinds("${a[@]}"), [("${a[@]}", ArrayReference)]);
        assert_eq!(kinds("${#a[@]}"), [("${#a[@]}", ArrayReference)]);
        for posix in [
            "${v}", "${v:-x}", "${v:=x}", "${v:?e}", "${v:+y}", "${#v}", "${v%.*}", "${v##*/}",
            "$v", "${1}", "${@}",
        ] {
            assert_eq!(kinds(posix), [], "{posix}");
        }
    }

    #[test]
    fn quoting_brace_and_process_substitution() {
        use WordConstruct::*;
        assert_eq!(kinds("$'a\\tb'"), [("$'", AnsiCQuote)]);
        assert_eq!(kinds("\"$'x'\""), []);
        assert_eq!(kinds("'${v:0:1} {a,b}'"), []);
        assert_eq!(kinds("f{a,b}"), [("{a,b}", BraceExpansion)]);
        assert_eq!(
            kinds("/usr/{lib,share}/x"),
            [("{lib,share}", BraceExpansion)]
        );
        assert_eq!(kinds("{1..3}"), [("{1..3}", BraceExpansion)]);
        assert_eq!(kinds("\"{a,b}\""), []);
        for literal in ["{}", "{a}", "${a,b}x", "{\"a\":1,\"b\":2}", "\\{a,b}"] {
            assert_ne!(
                kinds(literal).first().map(|k| k.1),
                Some(BraceExpansion),
                "{literal}"
            );
        }
        assert_eq!(kinds("<(sort a)"), [("<(", ProcessSubstitution)]);
    }

    #[test]
    fn assignments() {
        assert_eq!(
            assignment_construct("a=(1 2)"),
            Some((0..3, AssignmentConstruct::Array))
        );
        assert_eq!(
            assignment_construct("PATH+=:/x"),
            Some((0..6, AssignmentConstruct::Append))
        );
        assert_eq!(assignment_construct("a=b"), None);
        assert_eq!(assignment_construct("a=$(x)"), None);
    }
}
