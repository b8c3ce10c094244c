//! The label policy (`policy: {labels: ..., strict-labels: ...}`) and the checks behind the
//! label rules: key conventions and one validator per label type.

/// What a label's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelType {
    /// Anything, even empty is judged separately.
    Text,
    Url,
    Semver,
    /// A git commit id.
    Hash,
    Rfc3339,
    /// An SPDX license expression.
    Spdx,
    Email,
}

impl LabelType {
    pub const ALL: [LabelType; 7] = [
        LabelType::Text,
        LabelType::Url,
        LabelType::Semver,
        LabelType::Hash,
        LabelType::Rfc3339,
        LabelType::Spdx,
        LabelType::Email,
    ];

    /// The spelling in configuration.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Semver => "semver",
            LabelType::Hash => "hash",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Spdx => "spdx",
            LabelType::Email => "email",
        }
    }

    /// Parse a type name; the empty string is `text`, as in hadolint's `label-schema`.
    #[must_use]
    pub fn parse(s: &str) -> Option<LabelType> {
        if s.is_empty() {
            return Some(LabelType::Text);
        }
        LabelType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Why `value` is not of this type (`None`: it is). Empty values are not judged here.
    #[must_use]
    pub fn problem(self, value: &str) -> Option<String> {
        match self {
            LabelType::Text => None,
            LabelType::Url => url_problem(value),
            LabelType::Semver => semver_problem(value),
            LabelType::Hash => hash_problem(value),
            LabelType::Rfc3339 => rfc3339_problem(value),
            LabelType::Spdx => spdx_problem(value),
            LabelType::Email => email_problem(value),
        }
    }

    /// A valid example value, for help texts.
    #[must_use]
    pub fn example(self) -> &'static str {
        match self {
            LabelType::Text => "some text",
            LabelType::Url => "https://github.com/org/repo",
            LabelType::Semver => "1.4.2",
            LabelType::Hash => "4f3c2a1b9e0d",
            LabelType::Rfc3339 => "2024-05-01T12:00:00Z",
            LabelType::Spdx => "MIT OR Apache-2.0",
            LabelType::Email => "team@example.com",
        }
    }
}

/// The label schema: which labels the final image must carry, and of which type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelPolicy {
    /// Label name and type, in configuration order.
    pub schema: Vec<(String, LabelType)>,
    /// Labels outside the schema are reported (`label-not-in-schema`).
    pub strict: bool,
}

impl LabelPolicy {
    /// The type of label `key`, if the schema lists it.
    #[must_use]
    pub fn type_of(&self, key: &str) -> Option<LabelType> {
        self.schema.iter().find(|(k, _)| k == key).map(|(_, t)| *t)
    }
}

/// Namespaces Docker reserves for its own labels.
pub const RESERVED_NAMESPACES: [&str; 3] = ["com.docker.", "io.docker.", "org.dockerproject."];

/// Why a label key breaks Docker's key conventions (`None`: it follows them): its syntax
/// ([`key_syntax_problem`]) or a reserved namespace ([`reserved_namespace`]).
#[must_use]
pub fn key_problem(key: &str) -> Option<String> {
    key_syntax_problem(key).or_else(|| {
        reserved_namespace(key)
            .map(|ns| format!("`{ns}` is a namespace Docker reserves for its own labels"))
    })
}

/// Why a label key's spelling breaks Docker's conventions: keys are lowercase alphanumerics
/// separated by `.`, `-`, `_` or `/`, start with a letter, end with a letter or digit, and
/// have no `..` or `--`.
#[must_use]
pub fn key_syntax_problem(key: &str) -> Option<String> {
    let Some(first) = key.chars().next() else {
        return Some("the key is empty".into());
    };
    if key.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("it has uppercase letters; label keys are lowercase".into());
    }
    if let Some(c) = key
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(*c)))
    {
        return Some(format!(
            "it contains `{c}`; keys use only lowercase letters, digits, `.`, `-`, `_` and `/`"
        ));
    }
    if !first.is_ascii_lowercase() {
        return Some(format!(
            "it starts with `{first}`; keys start with a lowercase letter"
        ));
    }
    let last = key.chars().last().unwrap_or(first);
    if !last.is_ascii_alphanumeric() {
        return Some(format!(
            "it ends with `{last}`; keys end with a letter or digit"
        ));
    }
    if let Some(pair) = ["..", "--"].into_iter().find(|p| key.contains(p)) {
        return Some(format!("it contains `{pair}`; separators are single"));
    }
    None
}

/// The Docker-reserved namespace `key` is in, if any.
#[must_use]
pub fn reserved_namespace(key: &str) -> Option<&'static str> {
    RESERVED_NAMESPACES
        .iter()
        .copied()
        .find(|ns| key.starts_with(ns))
}

/// Characters that may never appear in a URI (RFC 3986).
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// RFC 3986 absolute URI: `scheme:rest`; web and repository schemes need `//host`.
fn url_problem(value: &str) -> Option<String> {
    let Some((scheme, rest)) = value.split_once(':') else {
        return Some("it has no scheme such as `https:`".into());
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return Some(format!("`{scheme}` is not a URI scheme"));
    }
    if let Some(c) = value.chars().find(|c| !is_uri_char(*c)) {
        return Some(match c {
            ' ' | '\t' => "it contains a space; write it as `%20`".into(),
            _ => format!("it contains `{c}`, which a URL cannot hold unencoded"),
        });
    }
    let needs_host = matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ftp" | "git" | "ssh" | "git+ssh" | "git+https"
    );
    if rest.is_empty() {
        return Some("nothing follows the scheme".into());
    }
    if needs_host {
        let host = rest
            .strip_prefix("//")
            .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
        let host = host.map(|h| h.rsplit('@').next().unwrap_or(h));
        if host.is_none_or(|h| h.is_empty() || h.starts_with(':')) {
            return Some(format!(
                "a `{scheme}:` URL needs a host: `{scheme}://host/...`"
            ));
        }
    }
    // `%` must start a two-digit hex escape.
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Some("`%` does not start a `%XX` escape".into());
        }
    }
    None
}

/// A SemVer 2.0.0 numeric identifier: digits, no leading zero.
fn numeric_ok(part: &str) -> bool {
    !part.is_empty()
        && part.bytes().all(|b| b.is_ascii_digit())
        && (part == "0" || !part.starts_with('0'))
}

/// Dot-separated identifiers of `[0-9A-Za-z-]`; numeric ones without a leading zero if
/// `numeric_rule` (pre-release identifiers).
fn identifiers_ok(s: &str, numeric_rule: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !(numeric_rule && id.bytes().all(|b| b.is_ascii_digit()) && !numeric_ok(id))
    })
}

/// SemVer 2.0.0: `MAJOR.MINOR.PATCH[-pre][+build]`.
fn semver_problem(value: &str) -> Option<String> {
    if value.starts_with(['v', 'V']) && value[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!(
            "SemVer has no `{}` prefix; write `{}`",
            &value[..1],
            &value[1..]
        ));
    }
    let (rest, build) = match value.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (value, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3 || !parts.iter().all(|p| numeric_ok(p)) {
        return Some(
            "SemVer is three numbers without leading zeros, `MAJOR.MINOR.PATCH`, optionally followed by `-prerelease` and `+build`".into(),
        );
    }
    if pre.is_some_and(|p| !identifiers_ok(p, true)) {
        return Some("the pre-release part after `-` has an empty or invalid identifier".into());
    }
    if build.is_some_and(|b| !identifiers_ok(b, false)) {
        return Some("the build part after `+` has an empty or invalid identifier".into());
    }
    None
}

/// A git commit id: lowercase hex, abbreviated (7 to 40 characters) or a full SHA-1 (40) or
/// SHA-256 (64) object id.
fn hash_problem(value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Some(format!("`{c}` is not a hexadecimal digit"));
    }
    if value.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some("git prints commit ids in lowercase".into());
    }
    let n = value.len();
    if !((7..=40).contains(&n) || n == 64) {
        return Some(format!(
            "it has {n} hex digits; a commit id has 40 (64 in SHA-256 repositories), an abbreviated one at least 7"
        ));
    }
    None
}

/// `n` ASCII digits at the start of `s`, as a number.
fn digits(s: &str, n: usize) -> Option<u32> {
    let part = s.get(..n)?;
    part.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| part.parse().ok())?
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `T` may be a space.
fn rfc3339_problem(value: &str) -> Option<String> {
    const SHAPE: &str = "an RFC 3339 timestamp is `YYYY-MM-DDTHH:MM:SS` with a `Z` or `±HH:MM` offset, e.g. `2024-05-01T12:00:00Z`";
    let b = value.as_bytes();
    let shape_ok = b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] == b':';
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(value, 4),
        value.get(5..).and_then(|s| digits(s, 2)),
        value.get(8..).and_then(|s| digits(s, 2)),
        value.get(11..).and_then(|s| digits(s, 2)),
        value.get(14..).and_then(|s| digits(s, 2)),
        value.get(17..).and_then(|s| digits(s, 2)),
    ) else {
        return Some(SHAPE.into());
    };
    if !shape_ok {
        return Some(SHAPE.into());
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Some(format!(
            "{}-{month:02}-{day:02} is not a calendar date",
            &value[..4]
        ));
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Some(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        ));
    }
    let mut rest = &value[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Some("a `.` must be followed by the digits of a fraction of a second".into());
        }
        rest = &frac[n..];
    }
    let offset_ok = match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            digits(&rest[1..], 2).is_some_and(|h| h <= 23)
                && digits(&rest[4..], 2).is_some_and(|m| m <= 59)
        }
        _ => false,
    };
    if !offset_ok {
        return Some(format!(
            "`{rest}` is not a time zone offset; end with `Z` or `±HH:MM`"
        ));
    }
    None
}

/// One token of an SPDX license expression.
#[derive(Debug, PartialEq, Eq)]
enum SpdxToken<'a> {
    Open,
    Close,
    And,
    Or,
    With,
    Id(&'a str),
}

fn spdx_tokens(value: &str) -> Result<Vec<SpdxToken<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = value.trim_start();
    while let Some(c) = rest.chars().next() {
        let len = match c {
            '(' => {
                out.push(SpdxToken::Open);
                1
            }
            ')' => {
                out.push(SpdxToken::Close);
                1
            }
            _ => {
                let len = rest
                    .find(|c: char| c.is_whitespace() || c == '(' || c == ')')
                    .unwrap_or(rest.len());
                out.push(match &rest[..len] {
                    "AND" | "and" => SpdxToken::And,
                    "OR" | "or" => SpdxToken::Or,
                    "WITH" | "with" => SpdxToken::With,
                    word => SpdxToken::Id(spdx_id(word)?),
                });
                len
            }
        };
        rest = rest[len..].trim_start();
    }
    Ok(out)
}

/// A license id, `LicenseRef-...`, `DocumentRef-...:LicenseRef-...`, optionally with `+`.
fn spdx_id(word: &str) -> Result<&str, String> {
    let id = word.strip_suffix('+').unwrap_or(word);
    let id_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    };
    if ["AND", "OR", "WITH"]
        .iter()
        .any(|op| word.eq_ignore_ascii_case(op))
    {
        return Err(format!(
            "the operator `{word}` is written `{}`",
            word.to_ascii_uppercase()
        ));
    }
    let ok = match id.split_once(':') {
        Some((doc, lic)) => {
            doc.starts_with("DocumentRef-")
                && lic.starts_with("LicenseRef-")
                && id_ok(doc)
                && id_ok(lic)
        }
        None => id_ok(id),
    };
    if ok {
        Ok(word)
    } else {
        Err(format!(
            "`{word}` is not a license id; ids use letters, digits, `-` and `.` (e.g. `Apache-2.0`, `GPL-2.0-only`)"
        ))
    }
}

/// Parse `compound := term ((AND|OR) term)*`, `term := id [WITH id] | ( compound )`.
struct SpdxParser<'a> {
    tokens: Vec<SpdxToken<'a>>,
    pos: usize,
}

impl SpdxParser<'_> {
    fn compound(&mut self, depth: usize) -> Result<(), String> {
        self.term(depth)?;
        while matches!(
            self.tokens.get(self.pos),
            Some(SpdxToken::And | SpdxToken::Or)
        ) {
            self.pos += 1;
            self.term(depth)?;
        }
        Ok(())
    }

    fn term(&mut self, depth: usize) -> Result<(), String> {
        match self.tokens.get(self.pos) {
            Some(SpdxToken::Open) if depth < 32 => {
                self.pos += 1;
                self.compound(depth + 1)?;
                if self.tokens.get(self.pos) != Some(&SpdxToken::Close) {
                    return Err("a `(` is not closed".into());
                }
                self.pos += 1;
                Ok(())
            }
            Some(SpdxToken::Id(_)) => {
                self.pos += 1;
                if self.tokens.get(self.pos) == Some(&SpdxToken::With) {
                    self.pos += 1;
                    if !matches!(self.tokens.get(self.pos), Some(SpdxToken::Id(_))) {
                        return Err("`WITH` must be followed by an exception id".into());
                    }
                    self.pos += 1;
                }
                Ok(())
            }
            Some(SpdxToken::Open) | None => {
                Err("the expression ends where a license id is expected".into())
            }
            Some(t) => Err(format!(
                "{} comes where a license id is expected",
                spdx_token_text(t)
            )),
        }
    }
}

fn spdx_token_text(t: &SpdxToken<'_>) -> String {
    match t {
        SpdxToken::Open => "`(`".into(),
        SpdxToken::Close => "`)`".into(),
        SpdxToken::And => "`AND`".into(),
        SpdxToken::Or => "`OR`".into(),
        SpdxToken::With => "`WITH`".into(),
        SpdxToken::Id(id) => format!("`{id}`"),
    }
}

/// An SPDX license expression (SPDX 2.3 annex D): ids joined by `AND`/`OR`, `WITH`
/// exceptions and parentheses. Ids are checked for form, not against the SPDX list.
fn spdx_problem(value: &str) -> Option<String> {
    let tokens = match spdx_tokens(value) {
        Ok(t) => t,
        Err(e) => return Some(e),
    };
    let mut parser = SpdxParser { tokens, pos: 0 };
    if let Err(e) = parser.compound(0) {
        return Some(e);
    }
    match parser.tokens.get(parser.pos) {
        None => None,
        Some(SpdxToken::Id(id)) => Some(format!(
            "`{id}` follows a license without `AND`, `OR` or `WITH`; an id has no spaces (`Apache-2.0`, not `Apache 2.0`)"
        )),
        Some(t) => Some(format!("unexpected {}", spdx_token_text(t))),
    }
}

/// RFC 5322 `atext`.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

/// An RFC 5322 mailbox: `local@domain`, or `Display Name <local@domain>`.
fn email_problem(value: &str) -> Option<String> {
    // A trailing RFC 5322 comment: `Jane <jane@example.com> (@jane)`.
    let value = match value.rfind('(') {
        Some(open) if value.ends_with(')') && value[..open].trim_end().ends_with('>') => {
            value[..open].trim_end()
        }
        _ => value,
    };
    let addr = match value.rfind('<') {
        Some(open) if value.ends_with('>') => &value[open + 1..value.len() - 1],
        _ => value,
    };
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return Some("it has no `@`".into());
    };
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        !local[1..local.len() - 1].contains(['"', '\n'])
    } else {
        !local.is_empty()
            && local
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(is_atext))
    };
    if !local_ok {
        return Some(format!("`{local}` is not a valid mailbox name before `@`"));
    }
    let domain_ok = if domain.starts_with('[') && domain.ends_with(']') {
        domain.len() > 2
    } else {
        !domain.is_empty()
            && domain.split('.').all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    };
    if !domain_ok {
        return Some(format!("`{domain}` is not a domain name"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(t: LabelType, v: &str) -> bool {
        t.problem(v).is_none()
    }

    #[test]
    fn keys() {
        for good in [
            "maintainer",
            "org.opencontainers.image.source",
            "io.k8s.display-name",
            "build_id",
            "com.example/app",
            "a1",
        ] {
            assert_eq!(key_problem(good), None, "{good}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("Maintainer", "uppercase"),
            ("1app", "starts with `1`"),
            ("app.", "ends with `.`"),
            ("org..example", "`..`"),
            ("my--label", "`--`"),
            ("com.docker.compose.project", "reserves"),
            ("io.docker.x", "reserves"),
            ("org.dockerproject.y", "reserves"),
            ("app label", "contains ` `"),
            ("app:version", "contains `:`"),
        ] {
            let p = key_problem(bad).unwrap_or_default();
            assert!(p.contains(why), "{bad}: {p}");
        }
    }

    #[test]
    fn urls() {
        for good in [
            "https://github.com/org/repo",
            "http://example.com:8080/a?b=c#d",
            "https://user@host/x%20y",
            "mailto:team@example.com",
            "urn:isbn:0451450523",
            "git+ssh://git@github.com/org/repo.git",
        ] {
            assert!(ok(LabelType::Url, good), "{good}");
        }
        for bad in [
            "github.com/org/repo",
            "https:/github.com",
            "https://",
            "https://exa mple.com",
            "http://x/%zz",
            "1http://x",
            "https://x/<y>",
        ] {
            assert!(!ok(LabelType::Url, bad), "{bad}");
        }
    }

    #[test]
    fn semvers() {
        for good in [
            "1.2.3",
            "0.0.0",
            "10.20.30-rc.1+build.5",
            "1.0.0-alpha-a.b-c",
            "1.0.0+0017",
        ] {
            assert!(ok(LabelType::Semver, good), "{good}");
        }
        for bad in [
            "1.2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "latest", "1.2.x",
        ] {
            assert!(!ok(LabelType::Semver, bad), "{bad}");
        }
        assert!(LabelType::Semver
            .problem("v1.2.3")
            .unwrap()
            .contains("write `1.2.3`"));
    }

    #[test]
    fn hashes() {
        for good in [
            "4f3c2a1",
            "4f3c2a1b9e",
            "0123456789abcdef0123456789abcdef01234567",
            &"a".repeat(64),
        ] {
            assert!(ok(LabelType::Hash, good), "{good}");
        }
        for bad in ["4f3c2a", "4F3C2A1", "g123456", &"a".repeat(41), "main"] {
            assert!(!ok(LabelType::Hash, bad), "{bad}");
        }
    }

    #[test]
    fn timestamps() {
        for good in [
            "2024-05-01T12:00:00Z",
            "2024-02-29T23:59:60.123+05:30",
            "2024-05-01 12:00:00-00:00",
            "1999-12-31t00:00:00z",
        ] {
            assert!(ok(LabelType::Rfc3339, good), "{good}");
        }
        for bad in [
            "2024-05-01",
            "2024-05-01T12:00:00",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00+0530",
            "1714564800",
            "2024-05-01T12:00:00ZZ",
        ] {
            assert!(!ok(LabelType::Rfc3339, bad), "{bad}");
        }
    }

    #[test]
    fn spdx_expressions() {
        for good in [
            "MIT",
            "Apache-2.0",
            "MIT OR Apache-2.0",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "(MIT AND BSD-3-Clause) OR Apache-2.0",
            "LGPL-2.1+",
            "LicenseRef-Proprietary",
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
            "mit or apache-2.0",
        ] {
            assert!(
                ok(LabelType::Spdx, good),
                "{good}: {:?}",
                LabelType::Spdx.problem(good)
            );
        }
        for bad in [
            "Apache 2.0",
            "MIT/Apache-2.0",
            "MIT OR",
            "(MIT",
            "MIT)",
            "OR MIT",
            "GPL WITH",
            "MIT, Apache-2.0",
            "MIT Or Apache-2.0",
        ] {
            assert!(!ok(LabelType::Spdx, bad), "{bad}");
        }
        assert!(LabelType::Spdx
            .problem("MIT Or Apache-2.0")
            .unwrap()
            .contains("written `OR`"));
    }

    #[test]
    fn emails() {
        for good in [
            "team@example.com",
            "first.last+tag@sub.example.org",
            "Jupyter Project <jupyter@googlegroups.com>",
            "Jane Doe <jane@example.com> (@jane)",
            "\"odd name\"@example.com",
            "root@[192.168.0.1]",
        ] {
            assert!(ok(LabelType::Email, good), "{good}");
        }
        for bad in [
            "team",
            "team@",
            "@example.com",
            "a..b@example.com",
            "team@-example.com",
            "team@exa_mple.com",
            "Team <team>",
        ] {
            assert!(!ok(LabelType::Email, bad), "{bad}");
        }
    }

    #[test]
    fn types_parse_and_text_accepts_anything() {
        assert_eq!(LabelType::parse(""), Some(LabelType::Text));
        assert_eq!(LabelType::parse("rfc3339"), Some(LabelType::Rfc3339));
        assert_eq!(LabelType::parse("uri"), None);
        assert!(ok(LabelType::Text, "anything at all"));
    }
}
