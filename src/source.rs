//! Reading Dockerfile bytes into text without losing byte positions.

use crate::span::Span;

/// Decoded source text and the byte ranges that were not valid UTF-8.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, with every invalid byte replaced by U+001A (SUBSTITUTE), one byte for one
    /// byte, so every offset still points at the same place in the original file.
    pub text: String,
    pub invalid: Vec<Span>,
}

/// The replacement for an invalid byte: a single-byte character.
pub const SUBSTITUTE: char = '\u{1a}';

/// Decode `bytes` as UTF-8, replacing invalid bytes one-for-one.
#[must_use]
pub fn decode(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            invalid: Vec::new(),
        },
        Err(e) => {
            let bytes = e.into_bytes();
            let mut text = String::with_capacity(bytes.len());
            let mut invalid: Vec<Span> = Vec::new();
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                let bad = chunk.invalid();
                if !bad.is_empty() {
                    let start = text.len();
                    text.extend(std::iter::repeat_n(SUBSTITUTE, bad.len()));
                    match invalid.last_mut() {
                        Some(last) if last.end() == start => {
                            *last = Span::new(last.start(), text.len())
                        }
                        _ => invalid.push(Span::new(start, text.len())),
                    }
                }
            }
            Decoded { text, invalid }
        }
    }
}

/// Whether the bytes look like a binary file (a NUL byte in the first 8 KiB), as git decides.
#[must_use]
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_offsets() {
        let d = decode(b"FROM a\nRUN \xff\xfe x\n".to_vec());
        assert_eq!(d.text.len(), 16);
        assert_eq!(d.invalid, vec![Span::new(11, 13)]);
        assert_eq!(&d.text[14..15], "x");
    }
}
