//! `WWW-Authenticate` challenges (RFC 7235) and the bearer-token cache.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One challenge: its scheme (lowercased) and auth-params (names lowercased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// The value of the auth-param `name`.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every challenge of a `WWW-Authenticate` value. Quoted strings may hold commas
/// (`scope="repository:a:pull,push"`) and `\"` escapes; one header may list several
/// challenges (`Basic realm="x", Bearer realm="y"`).
#[must_use]
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let b = header.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] == b' ' || b[i] == b',' || b[i] == b'\t') {
            i += 1;
        }
        let start = i;
        while i < b.len() && is_token(b[i]) {
            i += 1;
        }
        if start == i {
            i += 1; // not a token: skip the byte
            continue;
        }
        let word = &header[start..i];
        let mut j = i;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j < b.len() && b[j] == b'=' && !out.is_empty() {
            // An auth-param of the current challenge.
            j += 1;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            let (value, next) = if b.get(j) == Some(&b'"') {
                quoted(header, j + 1)
            } else {
                let s = j;
                while j < b.len() && b[j] != b',' {
                    j += 1;
                }
                (header[s..j].trim().to_owned(), j)
            };
            if let Some(last) = out.last_mut() {
                last.params.push((word.to_ascii_lowercase(), value));
            }
            i = next;
        } else if j < b.len() && b[j] == b'=' {
            i = j + 1; // a parameter before any scheme: ignore
        } else {
            out.push(Challenge {
                scheme: word.to_ascii_lowercase(),
                params: Vec::new(),
            });
        }
    }
    out
}

fn is_token(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~/".contains(&c)
}

/// A quoted string starting after its opening quote: the unescaped value and the index
/// after the closing quote.
fn quoted(s: &str, mut i: usize) -> (String, usize) {
    let b = s.as_bytes();
    let mut value = Vec::new();
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => {
                value.push(b[i + 1]);
                i += 2;
            }
            b'"' => return (String::from_utf8_lossy(&value).into_owned(), i + 1),
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&value).into_owned(), i)
}

/// (realm, service, scope): what a token is good for.
pub type TokenKey = (String, String, String);

/// Bearer tokens, per (realm, service, scope), until they expire. Memory only.
#[derive(Debug, Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<TokenKey, (String, Instant)>>,
}

impl TokenCache {
    /// A token still valid for `key`.
    pub fn get(&self, key: &TokenKey) -> Option<String> {
        let tokens = self.tokens.lock().ok()?;
        let (token, expires) = tokens.get(key)?;
        (Instant::now() < *expires).then(|| token.clone())
    }

    /// Remember `token` for `lifetime` (a few seconds are taken off for clock skew).
    pub fn put(&self, key: TokenKey, token: String, lifetime: Duration) {
        let lifetime = lifetime
            .saturating_sub(Duration::from_secs(5))
            .max(Duration::from_secs(1));
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(key, (token, Instant::now() + lifetime));
        }
    }
}

/// A token endpoint's reply: `token` or `access_token`, and `expires_in` (default 60 s).
///
/// # Errors
/// The reply is not JSON or has neither field.
pub fn parse_token_reply(body: &str) -> Result<(String, Duration), String> {
    let v: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("token reply is not JSON: {e}"))?;
    let token = ["token", "access_token"]
        .iter()
        .find_map(|k| v.get(*k).and_then(|t| t.as_str()).filter(|t| !t.is_empty()))
        .ok_or("token reply has neither `token` nor `access_token`")?;
    let secs = v
        .get("expires_in")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(60);
    Ok((token.to_owned(), Duration::from_secs(secs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_with_quoted_commas_and_error() {
        let c = parse_challenges(
            r#"Bearer realm="http://127.0.0.1:5003/token",service="test-registry",scope="repository:library/alpine:pull,push",error="insufficient_scope""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(c[0].param("realm"), Some("http://127.0.0.1:5003/token"));
        assert_eq!(
            c[0].param("scope"),
            Some("repository:library/alpine:pull,push")
        );
        assert_eq!(c[0].param("error"), Some("insufficient_scope"));
    }

    #[test]
    fn several_challenges_escapes_and_tokens() {
        let c = parse_challenges(r#"Basic realm="a \"b\", c", Bearer realm=x, service = "s""#);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].scheme, "basic");
        assert_eq!(c[0].param("realm"), Some(r#"a "b", c"#));
        assert_eq!(c[1].param("realm"), Some("x"));
        assert_eq!(c[1].param("service"), Some("s"));
        assert!(parse_challenges("").is_empty());
        assert_eq!(parse_challenges("Basic")[0].params, vec![]);
    }

    #[test]
    fn token_replies() {
        assert_eq!(
            parse_token_reply(r#"{"access_token":"a","expires_in":300}"#).unwrap(),
            ("a".into(), Duration::from_secs(300))
        );
        assert_eq!(
            parse_token_reply(r#"{"token":"t"}"#).unwrap().1,
            Duration::from_secs(60)
        );
        assert!(parse_token_reply(r#"{"token":""}"#).is_err());
        assert!(parse_token_reply("<html>").is_err());
    }

    #[test]
    fn token_cache_expires() {
        let cache = TokenCache::default();
        let key: TokenKey = ("r".into(), "s".into(), "repository:a:pull".into());
        cache.put(key.clone(), "t".into(), Duration::from_secs(60));
        assert_eq!(cache.get(&key).as_deref(), Some("t"));
        let other: TokenKey = ("r".into(), "s".into(), "repository:b:pull".into());
        assert_eq!(cache.get(&other), None);
    }
}
