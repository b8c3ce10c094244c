//! Re-parsing `sh -c '..'` arguments, with spans mapped back to the exact original bytes.

use super::parser::{parse_script, Parser};
use super::word::{assignment_len, decode_escape};
use super::{Context, Word, MAX_DEPTH};
use crate::span::Span;

/// Shells whose `-c` argument is re-parsed.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "ksh", "zsh", "mksh"];

/// The last path component of a command name.
fn basename(v: &str) -> &str {
    v.rsplit('/').next().unwrap_or(v)
}

/// Index of the first word after the `env`/`sudo`/`exec`/`nohup` prefixes.
fn skip_prefixes(words: &[Word]) -> Option<usize> {
    let mut i = 0;
    loop {
        match basename(&words.get(i)?.value) {
            "env" => {
                i += 1;
                while let Some(v) = words.get(i).map(|w| w.value.as_str()) {
                    if matches!(v, "-u" | "--unset" | "-C" | "--chdir" | "-S") {
                        i += 2;
                    } else if v.starts_with('-') || assignment_len(v.as_bytes()).is_some() {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "sudo" => {
                i += 1;
                while let Some(v) = words.get(i).map(|w| w.value.as_str()) {
                    if v == "--" {
                        i += 1;
                        break;
                    } else if matches!(
                        v,
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-T" | "-U"
                    ) {
                        i += 2;
                    } else if v.starts_with('-') || assignment_len(v.as_bytes()).is_some() {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "exec" | "nohup" => i += 1,
            _ => return Some(i),
        }
    }
}

/// Index of the command-string word of `sh -c STRING` style commands.
fn shell_c_argument(words: &[Word]) -> Option<usize> {
    let mut i = skip_prefixes(words)?;
    if !SHELLS.contains(&basename(&words.get(i)?.value)) {
        return None;
    }
    i += 1;
    let mut has_c = false;
    while let Some(v) = words.get(i).map(|w| w.value.as_str()) {
        if v == "--" || v == "-" {
            i += 1;
            break;
        }
        if v.starts_with("--") {
            i += 1;
            continue;
        }
        if v.len() > 1 && (v.starts_with('-') || v.starts_with('+')) {
            let letters = &v[1..];
            has_c |= letters.contains('c');
            i += if letters.contains('o') || letters.contains('O') {
                2
            } else {
                1
            };
            continue;
        }
        break;
    }
    (has_c && i < words.len()).then_some(i)
}

/// An unquoted shell string with, per byte, the original byte range that produced it.
struct Unquoted {
    text: Vec<u8>,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Unquoted {
    /// Append `bytes`, all produced by the original range `from..to`.
    fn push(&mut self, bytes: &[u8], from: usize, to: usize) {
        for &c in bytes {
            self.text.push(c);
            self.starts.push(from);
            self.ends.push(to);
        }
    }

    /// Append original bytes `s..e` one to one.
    fn copy(&mut self, b: &[u8], s: usize, e: usize) {
        for (i, &c) in b[s..e].iter().enumerate() {
            self.text.push(c);
            self.starts.push(s + i);
            self.ends.push(s + i + 1);
        }
    }

    /// Map a span of the unquoted text to the original text (`tail`: where the content ends).
    fn map(&self, sp: Span, tail: usize) -> Span {
        let n = self.text.len();
        let start_of = |i: usize| self.starts.get(i).copied().unwrap_or(tail);
        let (s, e) = (sp.start(), sp.end());
        let a = start_of(s.min(n));
        if e > s && e <= n {
            Span::new(a, self.ends[e - 1].max(a))
        } else {
            Span::new(a, a)
        }
    }
}

/// Where the `}` closing a `${` whose body starts at `i` is (exclusive end), without quotes handling surprises.
fn brace_end(b: &[u8], mut i: usize, end: usize) -> Option<usize> {
    let mut depth = 1u32;
    while i < end {
        match b[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'`' => return None,
            b'$' if b.get(i + 1) == Some(&b'(') && b.get(i + 2) != Some(&b'(') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Decode the body of `$'..'` starting at `from` into `out`; returns the offset of the closing quote.
fn unquote_ansi(b: &[u8], from: usize, end: usize, out: &mut Unquoted) -> Option<usize> {
    let mut i = from;
    loop {
        match *b.get(i).filter(|_| i < end)? {
            b'\'' => return Some(i),
            b'\\' => {
                let mut decoded = Vec::new();
                let next = decode_escape(b, i, end, &mut decoded);
                out.push(&decoded, i, next);
                i = next;
            }
            _ => {
                out.copy(b, i, i + 1);
                i += 1;
            }
        }
    }
}

/// Unquote the raw word `b[start..end]` with a byte map; `None` when positions would be ambiguous
/// (command or process substitution outside single quotes, unterminated quoting).
#[allow(
    clippy::too_many_lines,
    reason = "one flat state machine over the quoting forms"
)]
fn unquote(b: &[u8], start: usize, end: usize) -> Option<(Unquoted, usize)> {
    let mut out = Unquoted {
        text: Vec::with_capacity(end - start),
        starts: Vec::with_capacity(end - start),
        ends: Vec::with_capacity(end - start),
    };
    let mut tail = end;
    let mut dq = false;
    let mut i = start;
    while i < end {
        let c = b[i];
        let next = if i + 1 < end { b[i + 1] } else { 0 };
        match c {
            b'"' => {
                if dq {
                    tail = i;
                }
                dq = !dq;
                i += 1;
            }
            b'\'' if !dq => {
                let rel = b[i + 1..end].iter().position(|&q| q == b'\'')?;
                out.copy(b, i + 1, i + 1 + rel);
                tail = i + 1 + rel;
                i += rel + 2;
            }
            b'\\' if next == b'\n' => i += 2,
            b'\\' if !dq || matches!(next, b'$' | b'`' | b'"' | b'\\') => {
                if i + 1 >= end {
                    out.copy(b, i, i + 1);
                    i += 1;
                } else {
                    out.push(&[next], i, i + 2);
                    i += 2;
                }
            }
            b'`' => return None,
            b'<' | b'>' if !dq && next == b'(' => return None,
            b'$' if next == b'(' && b.get(i + 2) != Some(&b'(') => return None,
            b'$' if next == b'{' => {
                let close = brace_end(b, i + 2, end)?;
                out.copy(b, i, close);
                i = close;
            }
            b'$' if next == b'\'' && !dq => {
                let close = unquote_ansi(b, i + 2, end, &mut out)?;
                tail = close;
                i = close + 1;
            }
            b'$' if next == b'"' && !dq => {
                dq = true;
                i += 2;
            }
            _ => {
                out.copy(b, i, i + 1);
                i += 1;
            }
        }
    }
    if dq {
        return None;
    }
    Some((out, tail))
}

impl Parser<'_> {
    /// If command `idx` is `sh -c STRING`, parse STRING and append its commands (context `ShellString`).
    pub(super) fn shell_string(&mut self, idx: usize) {
        let cmd = &self.commands[idx];
        let Some(first) = cmd.words.first() else {
            return;
        };
        let name = basename(&first.value);
        if !(SHELLS.contains(&name) || matches!(name, "env" | "sudo" | "exec" | "nohup")) {
            return;
        }
        let Some(wi) = shell_c_argument(&cmd.words) else {
            return;
        };
        let span = cmd.words[wi].span;
        let depth = cmd.depth;
        if depth >= MAX_DEPTH {
            self.too_deep(span);
            return;
        }
        let Some((u, tail)) = unquote(self.b, span.start(), span.end()) else {
            return;
        };
        let Ok(text) = std::str::from_utf8(&u.text) else {
            return;
        };
        let mut inner = parse_script(text, Context::ShellString, depth + 1);
        inner.remap(|sp| u.map(sp, tail));
        self.commands.append(&mut inner.commands);
        self.issues.append(&mut inner.issues);
        self.compound_redirects
            .append(&mut inner.compound_redirects);
        self.function_keywords.append(&mut inner.function_keywords);
    }
}
