//! Word scanning: quotes, escapes and expansions; nested command substitutions are parsed in place.

use super::parser::{is_delim, Parser};
use super::{Context, Word, MAX_DEPTH};

/// An open construct inside a word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Nest {
    /// `"..."` (also `$"..."`).
    DQuote,
    /// `${...}` or a brace nested in it.
    Brace,
    /// `$((...))` with the count of open inner parentheses.
    Arith(u32),
    /// `(...)` of an array assignment or an extglob.
    Paren,
}

impl Nest {
    /// Whether the value keeps this construct's raw text.
    fn is_raw(self) -> bool {
        !matches!(self, Nest::DQuote)
    }
}

/// A word being scanned.
#[derive(Default)]
struct Buf {
    value: Vec<u8>,
    quoted: bool,
    exp: bool,
    /// Number of open raw constructs; while > 0 the value is not appended to.
    raw_depth: u32,
    raw_start: usize,
    /// Number of open double quotes.
    dq: u32,
}

/// A lookup table of the bytes in `bytes`.
const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

/// Bytes that end a literal run outside quotes.
static PLAIN_STOP: [bool; 256] = table(b" \t\r\n;&|()<>'\"\\$`");
/// The same inside `[[ ]]`, where `( ) | < >` are literal inside a word.
static TEST_STOP: [bool; 256] = table(b" \t\r\n;&'\"\\$`");
/// Bytes that end a literal run inside double quotes.
static DQ_STOP: [bool; 256] = table(b"\"\\$`");
/// Bytes that end a literal run inside `${..}`.
static BRACE_STOP: [bool; 256] = table(b"{}'\"\\$`");
/// Bytes that end a literal run inside `$((..))` or an array/extglob `(..)`.
static PAREN_STOP: [bool; 256] = table(b"()'\"\\$`");

/// Length of the `NAME=` / `NAME+=` / `NAME[i]=` prefix of an assignment word, if it is one.
pub(super) fn assignment_len(raw: &[u8]) -> Option<usize> {
    let first = *raw.first()?;
    if !(first == b'_' || first.is_ascii_alphabetic()) {
        return None;
    }
    let mut i = 1;
    while i < raw.len() && (raw[i] == b'_' || raw[i].is_ascii_alphanumeric()) {
        i += 1;
    }
    if raw.get(i) == Some(&b'[') {
        i += raw[i..].iter().position(|&c| c == b']')? + 1;
    }
    if raw.get(i) == Some(&b'+') {
        i += 1;
    }
    (raw.get(i) == Some(&b'=')).then_some(i + 1)
}

/// Turn scanned bytes into a `String` (lossily, should an escape have produced invalid UTF-8).
fn into_string(v: Vec<u8>) -> String {
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Append `ch` as UTF-8.
fn push_char(out: &mut Vec<u8>, ch: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
}

/// Read up to `max` digits in `radix` from `b[i..end]`; returns the value and the index after them.
fn digits(b: &[u8], mut i: usize, end: usize, radix: u32, max: usize) -> (u32, usize) {
    let start = i;
    let mut v = 0u32;
    while i < end && i - start < max {
        let Some(d) = char::from(b[i]).to_digit(radix) else {
            break;
        };
        v = v.saturating_mul(radix).saturating_add(d);
        i += 1;
    }
    (v, i)
}

/// Decode the `$'..'` escape at `b[i] == '\\'` into `out`; returns the index after it.
pub(super) fn decode_escape(b: &[u8], i: usize, end: usize, out: &mut Vec<u8>) -> usize {
    if i + 1 >= end {
        out.push(b'\\');
        return i + 1;
    }
    let c = b[i + 1];
    let simple = match c {
        b'a' => 7,
        b'b' => 8,
        b'e' | b'E' => 27,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'\\' | b'\'' | b'"' | b'?' => c,
        _ => 0,
    };
    if simple != 0 {
        out.push(simple);
        return i + 2;
    }
    let parsed = match c {
        b'0'..=b'7' => Some(digits(b, i + 1, end, 8, 3)),
        b'x' => Some(digits(b, i + 2, end, 16, 2)),
        b'u' => Some(digits(b, i + 2, end, 16, 4)),
        b'U' => Some(digits(b, i + 2, end, 16, 8)),
        b'c' if i + 2 < end && b[i + 2].is_ascii() => Some((u32::from(b[i + 2] & 0x1f), i + 3)),
        _ => None,
    };
    // Unknown escape, or `\x` / `\u` without digits: keep the backslash literally.
    let Some((v, next)) = parsed.filter(|&(_, next)| next > i + 2 || matches!(c, b'0'..=b'7'))
    else {
        out.push(b'\\');
        return i + 1;
    };
    let ch = if matches!(c, b'u' | b'U') {
        char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
    } else {
        char::from(u8::try_from(v & 0xff).unwrap_or(0))
    };
    push_char(out, ch);
    next
}

impl Parser<'_> {
    /// Scan one word at the current position (`test`: inside `[[ ]]`).
    pub(super) fn scan_word(&mut self, test: bool) -> Word {
        let start = self.pos;
        let stop = if test { &TEST_STOP } else { &PLAIN_STOP };
        if let Some(word) = self.plain_word(stop) {
            return word;
        }
        let base = self.nest.len();
        let mut w = Buf {
            value: Vec::with_capacity(self.pos - start + 16),
            ..Buf::default()
        };
        self.lit(&mut w, start, self.pos);
        while self.pos < self.end {
            let top = self.nest[base..].last().map(|&(n, _)| n);
            let more = match top {
                None => self.plain_step(&mut w, start, test),
                Some(Nest::DQuote) => {
                    self.dquote_step(&mut w);
                    true
                }
                Some(Nest::Brace) => {
                    self.raw_step(&mut w, &BRACE_STOP);
                    true
                }
                Some(Nest::Arith(_) | Nest::Paren) => {
                    self.raw_step(&mut w, &PAREN_STOP);
                    true
                }
            };
            if !more {
                break;
            }
        }
        if self.nest.len() > base {
            self.unterminated(&mut w, base);
        }
        Word {
            span: Self::span(start, self.pos),
            value: into_string(w.value),
            quoted: w.quoted,
            has_expansion: w.exp,
        }
    }

    /// Fast path: a word of plain bytes only (value = raw text); otherwise consume the plain run and return `None`.
    fn plain_word(&mut self, stop: &[bool; 256]) -> Option<Word> {
        let start = self.pos;
        let rest = &self.b[start..self.end];
        let n = rest
            .iter()
            .position(|&c| stop[usize::from(c)])
            .unwrap_or(rest.len());
        self.pos = start + n;
        let ends_word = match rest.get(n) {
            None => true,
            Some(b'(') => !self.paren_in_word(start),
            Some(b'<' | b'>') => self.at(self.pos + 1) != b'(',
            Some(&c) => is_delim(c),
        };
        if !ends_word {
            return None;
        }
        let value = self.src.get(start..self.pos)?.to_owned();
        Some(Word {
            span: Self::span(start, self.pos),
            value,
            quoted: false,
            has_expansion: false,
        })
    }

    /// Report the outermost construct left open at the end of input, and close them all.
    fn unterminated(&mut self, w: &mut Buf, base: usize) {
        let (kind, open) = self.nest[base];
        let what = match kind {
            Nest::DQuote => "double quote",
            Nest::Brace => "`${`",
            Nest::Arith(_) => "`$((`",
            Nest::Paren => "`(`",
        };
        self.issue(
            Self::span(open, open + 1),
            format_args!("unterminated {what}"),
        );
        if w.raw_depth > 0 {
            w.value.extend_from_slice(&self.b[w.raw_start..self.pos]);
        }
        self.nest.truncate(base);
    }

    /// Append `b[s..e]` to the value unless inside a raw construct.
    fn lit(&self, w: &mut Buf, s: usize, e: usize) {
        if w.raw_depth == 0 {
            w.value.extend_from_slice(&self.b[s..e.min(self.end)]);
        }
    }

    /// Open a construct at the current position.
    fn push_nest(&mut self, w: &mut Buf, n: Nest) {
        if n.is_raw() {
            if w.raw_depth == 0 {
                w.raw_start = self.pos;
            }
            w.raw_depth += 1;
        } else {
            w.dq += 1;
        }
        self.nest.push((n, self.pos));
    }

    /// Close the innermost construct after advancing `len` bytes past its closer.
    fn pop_nest(&mut self, w: &mut Buf, len: usize) {
        self.pos = (self.pos + len).min(self.end);
        let Some((n, _)) = self.nest.pop() else {
            return;
        };
        if n.is_raw() {
            w.raw_depth -= 1;
            if w.raw_depth == 0 {
                w.value.extend_from_slice(&self.b[w.raw_start..self.pos]);
            }
        } else {
            w.dq -= 1;
        }
    }

    /// Consume a run of bytes not in `stop`, appending them; returns the stopping byte, if any.
    fn run(&mut self, w: &mut Buf, stop: &[bool; 256]) -> Option<u8> {
        let s = self.pos;
        let rest = &self.b[s..self.end];
        let n = rest
            .iter()
            .position(|&c| stop[usize::from(c)])
            .unwrap_or(rest.len());
        self.pos = s + n;
        self.lit(w, s, s + n);
        rest.get(n).copied()
    }

    /// One step outside quotes; returns false at the end of the word.
    fn plain_step(&mut self, w: &mut Buf, start: usize, test: bool) -> bool {
        let stop = if test { &TEST_STOP } else { &PLAIN_STOP };
        let Some(c) = self.run(w, stop) else {
            return false;
        };
        match c {
            b'\'' => {
                w.quoted = true;
                self.single_quote(w);
            }
            b'"' => {
                w.quoted = true;
                self.push_nest(w, Nest::DQuote);
                self.pos += 1;
            }
            b'\\' => self.backslash(w),
            b'$' => self.dollar(w),
            b'`' => self.backtick(w),
            b'(' if self.paren_in_word(start) => {
                self.push_nest(w, Nest::Paren);
                self.pos += 1;
            }
            b'<' | b'>' if self.at(self.pos + 1) == b'(' => {
                w.exp = true;
                let at = self.pos;
                let end = self.substitution(at + 2, Context::ProcessSubstitution, at);
                self.lit(w, at, end);
            }
            _ => return false,
        }
        true
    }

    /// Whether `(` at the current position continues the word (array assignment or extglob).
    fn paren_in_word(&self, start: usize) -> bool {
        let p = self.pos;
        p > start
            && (matches!(self.b[p - 1], b'?' | b'*' | b'+' | b'@' | b'!')
                || assignment_len(&self.b[start..p]) == Some(p - start))
    }

    /// A backslash outside quotes: line continuation or an escaped character.
    fn backslash(&mut self, w: &mut Buf) {
        let p = self.pos;
        match self.at(p + 1) {
            b'\n' => self.pos += 2,
            b'\r' if self.at(p + 2) == b'\n' => self.pos += 3,
            _ if p + 1 >= self.end => {
                self.lit(w, p, p + 1);
                self.pos += 1;
            }
            _ => {
                w.quoted = true;
                self.lit(w, p + 1, p + 2);
                self.pos += 2;
            }
        }
    }

    /// `'...'`: literal up to the next single quote.
    fn single_quote(&mut self, w: &mut Buf) {
        let open = self.pos;
        let s = open + 1;
        let rest = &self.b[s.min(self.end)..self.end];
        if let Some(n) = rest.iter().position(|&c| c == b'\'') {
            self.lit(w, s, s + n);
            self.pos = s + n + 1;
        } else {
            self.issue(Self::span(open, open + 1), "unterminated single quote");
            self.lit(w, s, self.end);
            self.pos = self.end;
        }
    }

    /// One step inside double quotes.
    fn dquote_step(&mut self, w: &mut Buf) {
        let Some(c) = self.run(w, &DQ_STOP) else {
            return;
        };
        let p = self.pos;
        match c {
            b'"' => self.pop_nest(w, 1),
            b'\\' => match self.at(p + 1) {
                b'\n' => self.pos += 2,
                b'\r' if self.at(p + 2) == b'\n' => self.pos += 3,
                b'$' | b'`' | b'"' | b'\\' => {
                    self.lit(w, p + 1, p + 2);
                    self.pos += 2;
                }
                _ => {
                    self.lit(w, p, p + 1);
                    self.pos += 1;
                }
            },
            b'$' => self.dollar(w),
            _ => self.backtick(w),
        }
    }

    /// One step inside a raw construct (`${..}`, `$((..))`, array/extglob parentheses).
    fn raw_step(&mut self, w: &mut Buf, stop: &[bool; 256]) {
        let Some(c) = self.run(w, stop) else {
            return;
        };
        let top = self.nest.last().map(|&(n, _)| n);
        match (c, top) {
            (b'{', _) => {
                self.push_nest(w, Nest::Brace);
                self.pos += 1;
            }
            (b'(', Some(Nest::Arith(d))) => {
                self.set_top(Nest::Arith(d + 1));
                self.pos += 1;
            }
            (b')', Some(Nest::Arith(d))) if d > 0 => {
                self.set_top(Nest::Arith(d - 1));
                self.pos += 1;
            }
            (b')', Some(Nest::Arith(_))) => {
                let len = if self.at(self.pos + 1) == b')' { 2 } else { 1 };
                self.pop_nest(w, len);
            }
            (b'(', _) => {
                self.push_nest(w, Nest::Paren);
                self.pos += 1;
            }
            (b'}', Some(Nest::Brace)) | (b')', _) => self.pop_nest(w, 1),
            (b'\'', _) if w.dq == 0 => self.single_quote(w),
            (b'"', _) => {
                self.push_nest(w, Nest::DQuote);
                self.pos += 1;
            }
            (b'\\', _) => self.pos = (self.pos + 2).min(self.end),
            (b'$', _) => self.dollar(w),
            (b'`', _) => self.backtick(w),
            _ => self.pos += 1,
        }
    }

    /// Replace the innermost construct.
    fn set_top(&mut self, n: Nest) {
        if let Some(t) = self.nest.last_mut() {
            t.0 = n;
        }
    }

    /// `$`: parameter, command or arithmetic expansion, `$'..'`, `$".."`, or a literal `$`.
    fn dollar(&mut self, w: &mut Buf) {
        let at = self.pos;
        let n = self.at(at + 1);
        match n {
            b'{' => {
                w.exp = true;
                self.push_nest(w, Nest::Brace);
                self.pos += 2;
            }
            b'(' if self.at(at + 2) == b'(' => {
                w.exp = true;
                self.push_nest(w, Nest::Arith(0));
                self.pos += 3;
            }
            b'(' => {
                w.exp = true;
                let end = self.substitution(at + 2, Context::CommandSubstitution, at);
                self.lit(w, at, end);
            }
            b'\'' if w.dq == 0 => {
                w.quoted = true;
                self.ansi_c(w);
            }
            b'"' if w.dq == 0 => {
                w.quoted = true;
                self.push_nest(w, Nest::DQuote);
                self.pos += 2;
            }
            c if c == b'_' || c.is_ascii_alphabetic() => {
                let mut i = at + 2;
                while i < self.end && (self.b[i] == b'_' || self.b[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                w.exp = true;
                self.lit(w, at, i);
                self.pos = i;
            }
            c if c.is_ascii_digit()
                || matches!(c, b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-') =>
            {
                w.exp = true;
                self.lit(w, at, at + 2);
                self.pos = at + 2;
            }
            _ => {
                self.lit(w, at, at + 1);
                self.pos = at + 1;
            }
        }
    }

    /// `$'..'`: ANSI-C quoting with escapes decoded.
    fn ansi_c(&mut self, w: &mut Buf) {
        let open = self.pos;
        let mut i = open + 2;
        let mut scratch = Vec::new();
        loop {
            if i >= self.end {
                self.issue(Self::span(open, open + 2), "unterminated `$'`");
                break;
            }
            match self.b[i] {
                b'\'' => {
                    i += 1;
                    break;
                }
                b'\\' => {
                    let out = if w.raw_depth == 0 {
                        &mut w.value
                    } else {
                        &mut scratch
                    };
                    i = decode_escape(self.b, i, self.end, out);
                }
                _ => {
                    self.lit(w, i, i + 1);
                    i += 1;
                }
            }
        }
        self.pos = i.min(self.end);
    }

    /// A backtick substitution: parse its contents, keep the raw text in the value.
    fn backtick(&mut self, w: &mut Buf) {
        let at = self.pos;
        let mut i = at + 1;
        while i < self.end {
            match self.b[i] {
                b'\\' => i += 2,
                b'`' => break,
                _ => i += 1,
            }
        }
        let close = i.min(self.end);
        w.exp = true;
        if close >= self.end {
            self.issue(Self::span(at, at + 1), "unterminated backtick");
        }
        if self.depth >= MAX_DEPTH {
            self.too_deep(Self::span(at, at + 1));
        } else {
            let saved_end = self.end;
            let saved_depth = self.depth;
            self.end = close;
            self.pos = at + 1;
            self.depth += 1;
            self.parse_list(Context::CommandSubstitution, false);
            self.depth = saved_depth;
            self.end = saved_end;
        }
        self.pos = (close + 1).min(self.end);
        self.lit(w, at, self.pos);
    }

    /// Parse a `$(..)` / `<(..)` body starting at `inner`; returns the offset after its `)`.
    pub(super) fn substitution(&mut self, inner: usize, ctx: Context, opener: usize) -> usize {
        if self.depth >= MAX_DEPTH {
            self.too_deep(Self::span(opener, inner));
            self.pos = self.skip_parens(inner);
            return self.pos;
        }
        self.pos = inner;
        let saved = self.depth;
        self.depth += 1;
        let closed = self.parse_list(ctx, true);
        self.depth = saved;
        if !closed {
            let src = self.src;
            let what = src.get(opener..inner).unwrap_or("(");
            self.issue(
                Self::span(opener, inner),
                format_args!("`{what}` is never closed (missing `)`)"),
            );
        }
        self.pos
    }

    /// Skip to after the `)` matching an already-open `(`, without parsing (used beyond [`MAX_DEPTH`]).
    fn skip_parens(&self, from: usize) -> usize {
        let mut depth = 1u32;
        let mut i = from;
        while i < self.end {
            match self.b[i] {
                b'\\' => i += 1,
                q @ (b'\'' | b'`') => {
                    let rest = &self.b[(i + 1).min(self.end)..self.end];
                    i += rest
                        .iter()
                        .position(|&c| c == q)
                        .map_or(rest.len(), |p| p + 1);
                }
                b'"' => {
                    i += 1;
                    while i < self.end && self.b[i] != b'"' {
                        i += if self.b[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.end
    }
}
