//! BuildKit's word splitters, flag extraction, quote removal and JSON arrays, all
//! returning byte ranges into the logical text they were given.
//!
//! Every delimiter is ASCII, so scanning bytes and cutting at delimiter positions never
//! splits a UTF-8 character.

/// A byte range `start..end` in the logical text.
pub(crate) type Range = (usize, usize);

/// BuildKit's `reWhitespace` (`[\t\v\f\r ]+`).
pub(crate) fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// Skip blanks forward from `pos`.
pub(crate) fn skip_blanks(text: &str, mut pos: usize, end: usize) -> usize {
    let b = text.as_bytes();
    while pos < end && is_blank(b[pos]) {
        pos += 1;
    }
    pos
}

/// Trim blanks from the end of `start..end`.
pub(crate) fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    let b = text.as_bytes();
    while end > start && is_blank(b[end - 1]) {
        end -= 1;
    }
    end
}

/// Split on runs of blanks (BuildKit's `parseStringsWhitespaceDelimited`).
pub(crate) fn split_blanks(text: &str, start: usize, end: usize) -> Vec<Range> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = skip_blanks(text, start, end);
    while pos < end {
        let word_start = pos;
        while pos < end && !is_blank(b[pos]) {
            pos += 1;
        }
        out.push((word_start, pos));
        pos = skip_blanks(text, pos, end);
    }
    out
}

/// BuildKit's `parseWords` (ARG, ENV, LABEL): blank-separated words where quotes and the
/// escape character protect blanks. Quotes stay in the word.
pub(crate) fn quoted_words(text: &str, start: usize, end: usize, escape: u8) -> Vec<Range> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = skip_blanks(text, start, end);
    while pos < end {
        let word_start = pos;
        let mut quote = 0u8;
        while pos < end {
            let c = b[pos];
            if quote == 0 {
                if is_blank(c) {
                    break;
                }
                if c == b'\'' || c == b'"' {
                    quote = c;
                } else if c == escape {
                    pos += 1; // the escaped character, whatever it is
                }
            } else if c == quote {
                quote = 0;
            } else if c == escape && quote != b'\'' {
                pos += 1;
            }
            pos += 1;
        }
        let pos_end = pos.min(end);
        out.push((word_start, pos_end));
        pos = skip_blanks(text, pos_end, end);
    }
    out
}

/// A `--name[=value]` flag found by [`extract_flags`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawFlag {
    /// The whole word, `--` included.
    pub(crate) word: Range,
    /// The name after `--`.
    pub(crate) name: Range,
    /// The raw value after `=`.
    pub(crate) value: Option<Range>,
    /// The flag word after quote and `\` removal (what BuildKit sees), without `--`.
    pub(crate) unquoted: String,
}

/// BuildKit's `extractBuilderFlags`: leading words starting with `--` are flags (quotes
/// and `\` are processed inside them, whatever the escape directive); a bare `--` ends
/// the flags. Returns the flags and the offset where the arguments start.
pub(crate) fn extract_flags(text: &str, start: usize, end: usize) -> (Vec<RawFlag>, usize) {
    let b = text.as_bytes();
    let mut flags = Vec::new();
    let mut pos = skip_blanks(text, start, end);
    while pos + 1 < end && b[pos] == b'-' && b[pos + 1] == b'-' {
        let word_start = pos;
        let mut unquoted = Vec::new();
        let mut quote = 0u8;
        while pos < end {
            let c = b[pos];
            if quote == 0 && is_blank(c) {
                break;
            }
            if quote == 0 && (c == b'\'' || c == b'"') {
                quote = c;
            } else if quote != 0 && c == quote {
                quote = 0;
            } else if c == b'\\' {
                if pos + 1 < end {
                    pos += 1;
                    unquoted.push(b[pos]);
                }
            } else {
                unquoted.push(c);
            }
            pos += 1;
        }
        let word = (word_start, pos);
        if pos - word_start == 2 {
            // A bare `--` ends the flag list and is dropped.
            return (flags, skip_blanks(text, pos, end));
        }
        let unquoted = String::from_utf8_lossy(unquoted.get(2..).unwrap_or(&[])).into_owned();
        let eq = text[word_start..pos].find('=').map(|i| word_start + i);
        let (name, value) = match eq {
            Some(eq) => ((word_start + 2, eq), Some((eq + 1, pos))),
            None => ((word_start + 2, pos), None),
        };
        flags.push(RawFlag {
            word,
            name,
            value,
            unquoted,
        });
        pos = skip_blanks(text, pos, end);
    }
    (flags, pos)
}

/// Quote and escape removal as BuildKit's word processing does it, leaving variable
/// references as written: outside quotes the escape character makes the next character
/// literal; inside double quotes it only escapes `"`, `$` and itself; single quotes are
/// literal.
pub(crate) fn unquote(raw: &str, escape: char) -> String {
    if !raw.contains(['\'', '"', escape]) {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == escape {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else if c == '\'' {
            for n in chars.by_ref() {
                if n == '\'' {
                    break;
                }
                out.push(n);
            }
        } else if c == '"' {
            while let Some(n) = chars.next() {
                if n == '"' {
                    break;
                }
                if n == escape
                    && matches!(chars.peek(), Some(&p) if p == '"' || p == '$' || p == escape)
                {
                    if let Some(p) = chars.next() {
                        out.push(p);
                    }
                    continue;
                }
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Words as BuildKit's heredoc detection splits the instruction line: blank-separated,
/// quotes kept, `\` escaping the next character (always `\`, whatever the directive).
pub(crate) fn heredoc_words(text: &str, start: usize, end: usize) -> Vec<Range> {
    quoted_words(text, start, end, b'\\')
}

/// A heredoc marker recognised in a word: `^(\d*)<<(-?)([^<]*)$` with a non-empty
/// delimiter that is one shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeredocMarker {
    pub(crate) fd: Option<u32>,
    pub(crate) chomp: bool,
    pub(crate) name: String,
    pub(crate) expand: bool,
}

/// Recognise a heredoc marker word (BuildKit `ParseHeredoc`).
pub(crate) fn heredoc_marker(word: &str) -> Option<HeredocMarker> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    // The delimiter must be a single word once quotes are honoured.
    if quoted_words(rest, 0, rest.len(), b'\\').len() != 1 {
        return None;
    }
    let name = unquote(rest, '\\');
    let expand = !rest.contains(['\'', '"']);
    let fd = if digits > 0 {
        word[..digits].parse().ok()
    } else {
        None
    };
    Some(HeredocMarker {
        fd,
        chomp,
        name,
        expand,
    })
}

/// Outcome of reading arguments as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Json {
    /// Not valid JSON (or not an array): BuildKit falls back to shell form.
    Invalid,
    /// Valid JSON array with a non-string element at this range: an error in BuildKit.
    NotStrings(Range),
    /// A JSON array of strings: each element's range (quotes included) and decoded value.
    Strings(Vec<(Range, String)>),
}

/// Parse `start..end` as a JSON array of strings, as BuildKit's `parseJSON` does.
pub(crate) fn json_array(text: &str, start: usize, end: usize) -> Json {
    let mut p = JsonParser {
        b: text.as_bytes(),
        text,
        pos: start,
        end,
    };
    p.skip_ws();
    if !p.eat(b'[') {
        return Json::Invalid;
    }
    let mut items = Vec::new();
    let mut non_string = None;
    p.skip_ws();
    if !p.eat(b']') {
        loop {
            p.skip_ws();
            let item_start = p.pos;
            if p.peek() == Some(b'"') {
                match p.string() {
                    Some(s) => items.push(((item_start, p.pos), s)),
                    None => return Json::Invalid,
                }
            } else {
                if !p.value(0) {
                    return Json::Invalid;
                }
                non_string.get_or_insert((item_start, p.pos));
            }
            p.skip_ws();
            if p.eat(b',') {
                continue;
            }
            if p.eat(b']') {
                break;
            }
            return Json::Invalid;
        }
    }
    p.skip_ws();
    if p.pos != end {
        return Json::Invalid;
    }
    match non_string {
        Some(r) => Json::NotStrings(r),
        None => Json::Strings(items),
    }
}

struct JsonParser<'a> {
    b: &'a [u8],
    text: &'a str,
    pos: usize,
    end: usize,
}

/// Deeper JSON nesting than this is treated as "not JSON" (no recursion without a bound).
const MAX_JSON_DEPTH: usize = 64;

impl JsonParser<'_> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.b[self.pos])
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// A JSON string at `pos` (which holds `"`), decoded.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while self.pos < self.end && !matches!(self.b[self.pos], b'"' | b'\\' | 0..=0x1f) {
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let c = self.peek()?;
                    self.pos += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                _ => return None, // raw control character
            }
        }
    }

    /// The code point of `\uXXXX` (the `\u` already consumed), pairing surrogates.
    fn unicode_escape(&mut self) -> Option<char> {
        let hi = self.hex4()?;
        if (0xd800..0xdc00).contains(&hi) {
            let save = self.pos;
            if self.eat(b'\\') && self.eat(b'u') {
                if let Some(lo) = self.hex4() {
                    if (0xdc00..0xe000).contains(&lo) {
                        let cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                        return char::from_u32(cp);
                    }
                }
            }
            self.pos = save;
            return Some('\u{fffd}');
        }
        Some(char::from_u32(hi).unwrap_or('\u{fffd}'))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        let v = u32::from_str_radix(digits, 16).ok()?;
        if !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        Some(v)
    }

    /// Skip any JSON value; false when it is not valid JSON.
    fn value(&mut self, depth: usize) -> bool {
        if depth > MAX_JSON_DEPTH {
            return false;
        }
        self.skip_ws();
        match self.peek() {
            Some(b'"') => self.string().is_some(),
            Some(b'[') => self.container(b']', depth, false),
            Some(b'{') => self.container(b'}', depth, true),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => false,
        }
    }

    fn container(&mut self, close: u8, depth: usize, object: bool) -> bool {
        self.pos += 1;
        self.skip_ws();
        if self.eat(close) {
            return true;
        }
        loop {
            self.skip_ws();
            if object {
                if self.peek() != Some(b'"') || self.string().is_none() {
                    return false;
                }
                self.skip_ws();
                if !self.eat(b':') {
                    return false;
                }
            }
            if !self.value(depth + 1) {
                return false;
            }
            self.skip_ws();
            if self.eat(b',') {
                continue;
            }
            return self.eat(close);
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        if self.text.get(self.pos..self.pos + word.len()) == Some(word)
            && self.pos + word.len() <= self.end
        {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn number(&mut self) -> bool {
        let start = self.pos;
        self.eat(b'-');
        let int_start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let int = &self.b[int_start..self.pos];
        if int.is_empty() || (int.len() > 1 && int[0] == b'0') {
            return false;
        }
        if self.eat(b'.') && !self.digits() {
            return false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if !self.digits() {
                return false;
            }
        }
        self.pos > start
    }

    fn digits(&mut self) -> bool {
        let s = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos > s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ranges: &[Range], text: &str) -> Vec<String> {
        ranges.iter().map(|&(s, e)| text[s..e].to_owned()).collect()
    }

    #[test]
    fn quoted_words_keep_quotes_and_escapes() {
        let t = r#"A=1 B="two words" D=a\ b 'x y'"#;
        assert_eq!(
            words(&quoted_words(t, 0, t.len(), b'\\'), t),
            ["A=1", r#"B="two words""#, r"D=a\ b", "'x y'"]
        );
    }

    #[test]
    fn flags_stop_at_first_non_flag_and_at_double_dash() {
        let t = "--mount=type=cache,target=/x --link --from=\"b c\" cp a b";
        let (flags, rest) = extract_flags(t, 0, t.len());
        assert_eq!(flags.len(), 3);
        assert_eq!(flags[2].unquoted, "from=b c");
        assert_eq!(&t[rest..], "cp a b");
        let t = "--link -- --x";
        let (flags, rest) = extract_flags(t, 0, t.len());
        assert_eq!(flags.len(), 1);
        assert_eq!(&t[rest..], "--x");
    }

    #[test]
    fn unquote_follows_buildkit() {
        assert_eq!(unquote(r#""a \"b\" \n""#, '\\'), r#"a "b" \n"#);
        assert_eq!(unquote(r"a\ b", '\\'), "a b");
        assert_eq!(unquote("'$x'", '\\'), "$x");
        assert_eq!(unquote(r"c:\path", '`'), r"c:\path");
    }

    #[test]
    fn json_arrays() {
        let t = r#"["a", "b\u00e9\"" ]"#;
        match json_array(t, 0, t.len()) {
            Json::Strings(items) => {
                assert_eq!(items[1].1, "bé\"");
                assert_eq!(&t[items[0].0 .0..items[0].0 .1], "\"a\"");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(json_array("['a']", 0, 5), Json::Invalid);
        assert_eq!(json_array("[\"a\"] x", 0, 7), Json::Invalid);
        assert_eq!(json_array("[\"a\"", 0, 4), Json::Invalid);
        assert_eq!(json_array("[1, \"a\"]", 0, 8), Json::NotStrings((1, 2)));
        assert_eq!(json_array("[]", 0, 2), Json::Strings(vec![]));
    }

    #[test]
    fn heredoc_markers() {
        let m = heredoc_marker("<<EOF").unwrap();
        assert!(m.expand && !m.chomp && m.name == "EOF");
        let m = heredoc_marker("3<<-'E O'").unwrap();
        assert!(!m.expand && m.chomp && m.name == "E O" && m.fd == Some(3));
        assert!(heredoc_marker("<<").is_none());
        assert!(heredoc_marker("<<<x").is_none());
        assert!(heredoc_marker("a<<EOF").is_none());
    }
}
