//! Line wrapping for the human report, the way miette wraps with textwrap (first fit,
//! breaks at ASCII spaces only, no hyphenation, over-long words broken), but without
//! textwrap's per-word allocations, which were a sixth of a whole run's time. The report
//! hands miette the wrapped text with wrapping off, and miette indents each line as
//! before. Text that is not printable ASCII goes through textwrap itself.

/// `text` wrapped to lines of at most `width` columns (each line is later indented by the
/// caller), lines joined by `\n`.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    if !text
        .bytes()
        .all(|b| b == b'\n' || (0x20..0x7f).contains(&b))
    {
        return wrap_with_textwrap(text, width);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut fragments = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        wrap_line(line, width, &mut fragments, &mut out);
    }
    out
}

/// A word of a line and the spaces after it, as byte offsets into the line.
#[derive(Debug, Clone, Copy)]
struct Fragment {
    start: usize,
    word_end: usize,
    end: usize,
}

/// Wrap one line (no `\n`) of printable ASCII into `out`.
fn wrap_line(line: &str, width: usize, fragments: &mut Vec<Fragment>, out: &mut String) {
    fragments.clear();
    // textwrap puts an empty word first when the first line is indented, so that a first
    // word too long for it may start on the next line.
    fragments.push(Fragment {
        start: 0,
        word_end: 0,
        end: 0,
    });
    let bytes = line.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let word_end = start + bytes[start..].iter().take_while(|&&b| b != b' ').count();
        let end = word_end + bytes[word_end..].iter().take_while(|&&b| b == b' ').count();
        push_broken(start, word_end, end, width, fragments);
        start = end;
    }
    let mut first = 0;
    let mut used = 0;
    let mut wrote_line = false;
    for (i, f) in fragments.iter().enumerate() {
        if used + (f.word_end - f.start) > width && i > first {
            emit(line, &fragments[first..i], &mut wrote_line, out);
            first = i;
            used = 0;
        }
        used += f.end - f.start;
    }
    emit(line, &fragments[first..], &mut wrote_line, out);
}

/// A word wider than a line, cut into pieces of `width` columns (the last piece keeps the
/// spaces after the word).
fn push_broken(start: usize, word_end: usize, end: usize, width: usize, out: &mut Vec<Fragment>) {
    let mut piece = start;
    while word_end - piece > width.max(1) {
        let cut = piece + width.max(1);
        out.push(Fragment {
            start: piece,
            word_end: cut,
            end: cut,
        });
        piece = cut;
    }
    out.push(Fragment {
        start: piece,
        word_end,
        end,
    });
}

/// One output line: the fragments' text without the spaces after the last one.
fn emit(line: &str, fragments: &[Fragment], wrote_line: &mut bool, out: &mut String) {
    let (Some(first), Some(last)) = (fragments.first(), fragments.last()) else {
        return;
    };
    if *wrote_line {
        out.push('\n');
    }
    out.push_str(&line[first.start..last.word_end]);
    *wrote_line = true;
}

/// The general case, through textwrap with indents of the same width, which are then
/// taken off again.
fn wrap_with_textwrap(text: &str, width: usize) -> String {
    let indent = "    ";
    let options = textwrap::Options::new(width + indent.len())
        .initial_indent(indent)
        .subsequent_indent(indent)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    textwrap::wrap(text, options)
        .iter()
        .map(|line| line.strip_prefix(indent).unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What textwrap gives with miette's options for a message (indent `  ⚠ `/`  │ `).
    fn textwrap_lines(text: &str, width: usize) -> Vec<String> {
        let options = textwrap::Options::new(width + 4)
            .initial_indent("  ⚠ ")
            .subsequent_indent("  │ ")
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        textwrap::wrap(text, options)
            .iter()
            .map(|l| l.trim_end().to_owned())
            .collect()
    }

    /// Ours, indented as miette indents text it does not wrap.
    fn our_lines(text: &str, width: usize) -> Vec<String> {
        wrap(text, width)
            .split('\n')
            .enumerate()
            .map(|(i, l)| format!("{}{l}", if i == 0 { "  ⚠ " } else { "  │ " }))
            .map(|l| l.trim_end().to_owned())
            .collect()
    }

    /// A deterministic pseudo-random generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    #[test]
    fn equals_textwrap_on_generated_text() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let pieces = [
            "a",
            "word",
            "--no-install-recommends",
            "`apt-get`",
            "x-y-z",
            " ",
            "  ",
            "\n",
        ];
        for case in 0..20_000 {
            let mut text = String::new();
            for _ in 0..rng.next(40) {
                if rng.next(8) == 0 {
                    let long = rng.next(120) as usize;
                    text.push_str(&"q".repeat(long));
                } else {
                    text.push_str(pieces[rng.next(pieces.len() as u64) as usize]);
                }
                if rng.next(3) > 0 {
                    text.push(' ');
                }
            }
            if case % 7 == 0 {
                text.push_str(" é 日本 tab\there");
            }
            let width = 1 + rng.next(100) as usize;
            assert_eq!(
                our_lines(&text, width),
                textwrap_lines(&text, width),
                "width {width}, text {text:?}"
            );
        }
    }

    #[test]
    fn real_messages() {
        let help = "add `--no-install-recommends` and name what you need: `apt-get install -y --no-install-recommends ...`";
        assert_eq!(
            wrap(help, 80),
            "add `--no-install-recommends` and name what you need: `apt-get install -y\n--no-install-recommends ...`"
        );
        assert_eq!(wrap("short", 80), "short");
        assert_eq!(wrap("", 80), "");
        assert_eq!(wrap("abcdefgh", 3), "abc\ndef\ngh");
    }
}
