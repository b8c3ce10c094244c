//! A small blocking client for the OCI distribution API: resolve a tag with `HEAD` (full
//! `Accept` list, `GET` and hash when `Docker-Content-Digest` is missing), list an index's
//! platform manifests, list tags (following `Link`), with Basic and bearer-token auth,
//! `429`/`Retry-After` and timeouts. Plain HTTP only for loopback and listed registries.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use ureq::http::Response;
use ureq::Body;

use super::auth::{self, Challenge, TokenCache};
use super::credentials::{Credential, DockerConfig};
use super::{Answers, Plan, Repository, TagAnswer, ACCEPT};

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time limit of one request, connection included.
    pub timeout: Duration,
    /// Registries (`host[:port]`) reached over plain HTTP besides loopback ones.
    pub insecure: Vec<String>,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Retries after a `429 Too Many Requests`.
    pub max_retries: u32,
    /// The longest `Retry-After` waited for; a longer one fails the request.
    pub max_retry_wait: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            insecure: Vec::new(),
            concurrency: 4,
            max_retries: 3,
            max_retry_wait: Duration::from_secs(30),
        }
    }
}

/// Why a question got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub message: String,
    /// The registry could not be reached or answered garbage (not: it said "no such tag").
    pub network: bool,
}

impl FetchError {
    fn network(message: impl Into<String>) -> Self {
        FetchError {
            message: message.into(),
            network: true,
        }
    }
}

/// Something the user should know about the online checks (a failed question, a skipped one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    /// A network failure (fatal under `--online=required`).
    pub network: bool,
}

/// The answers of a [`Client::fetch`] and what went wrong.
#[derive(Debug, Default)]
pub struct Fetched {
    pub answers: Answers,
    pub notes: Vec<Note>,
}

/// Largest manifest or tag-list body read.
const BODY_LIMIT: u64 = 8 << 20;
/// Most tag-list pages followed.
const MAX_PAGES: usize = 100;

/// A registry client; safe to share between threads.
pub struct Client {
    agent: ureq::Agent,
    options: Options,
    docker: DockerConfig,
    credentials: Mutex<HashMap<String, Option<Credential>>>,
    /// The last challenge each host sent, so later requests authenticate up front.
    challenges: Mutex<HashMap<String, Challenge>>,
    tokens: TokenCache,
    /// Held while a token is fetched, so concurrent requests for one scope ask once.
    token_fetch: Mutex<()>,
    requests: AtomicUsize,
}

enum Method {
    Head,
    Get,
}

impl Client {
    /// A client with `options` and the user's Docker configuration.
    ///
    /// # Errors
    /// The Docker configuration exists but cannot be read.
    pub fn new(options: Options) -> Result<Client, String> {
        Ok(Self::with_docker_config(options, DockerConfig::load()?))
    }

    /// A client with an explicit Docker configuration.
    #[must_use]
    pub fn with_docker_config(options: Options, docker: DockerConfig) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(options.timeout))
            .max_redirects(5)
            .user_agent(concat!("drydock/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            options,
            docker,
            credentials: Mutex::new(HashMap::new()),
            challenges: Mutex::new(HashMap::new()),
            tokens: TokenCache::default(),
            token_fetch: Mutex::new(()),
            requests: AtomicUsize::new(0),
        }
    }

    /// HTTP requests sent so far (token requests and retries included).
    #[must_use]
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// Ask everything in `plan`, `options.concurrency` questions at a time.
    #[must_use]
    pub fn fetch(&self, plan: &Plan) -> Fetched {
        enum Job<'p> {
            Tag(&'p Repository, &'p str, Vec<&'p str>),
            List(&'p Repository),
        }
        let mut queue: VecDeque<Job<'_>> = plan
            .tags
            .iter()
            .map(|((repo, tag), pins)| {
                Job::Tag(repo, tag, pins.iter().map(String::as_str).collect())
            })
            .collect();
        queue.extend(plan.tag_lists.iter().map(Job::List));
        let workers = self
            .options
            .concurrency
            .clamp(1, 16)
            .min(queue.len().max(1));
        let queue = Mutex::new(queue);
        let out = Mutex::new(Fetched::default());
        let note = |e: FetchError| {
            if let Ok(mut o) = out.lock() {
                o.notes.push(Note {
                    message: e.message,
                    network: e.network,
                });
            }
        };
        std::thread::scope(|s| {
            for _ in 0..workers {
                // The guard is dropped inside `pop`, so jobs run without the lock.
                s.spawn(|| {
                    let pop = || queue.lock().ok().and_then(|mut q| q.pop_front());
                    while let Some(job) = pop() {
                        match job {
                            Job::Tag(repo, tag, pins) => {
                                match self.resolve_with_children(repo, tag, &pins) {
                                    Ok((answer, children)) => {
                                        if let Ok(mut o) = out.lock() {
                                            if let Some(c) = children {
                                                o.answers.indexes.insert(answer.digest.clone(), c);
                                            }
                                            o.answers.tags.insert(repo.tag_key(tag), answer);
                                        }
                                    }
                                    Err(e) => note(e),
                                }
                            }
                            Job::List(repo) => match self.tags(repo) {
                                Ok(tags) => {
                                    if let Ok(mut o) = out.lock() {
                                        o.answers.tag_lists.insert(repo.key(), tags);
                                    }
                                }
                                Err(e) => note(e),
                            },
                        }
                    }
                });
            }
        });
        let mut fetched = out.into_inner().unwrap_or_default();
        fetched.notes.sort_by(|a, b| a.message.cmp(&b.message));
        fetched
    }

    /// Resolve `tag`; when a pin differs from its digest and it is an index, also list the
    /// index's platform manifests.
    fn resolve_with_children(
        &self,
        repo: &Repository,
        tag: &str,
        pins: &[&str],
    ) -> Result<(TagAnswer, Option<Vec<String>>), FetchError> {
        let answer = self.resolve(repo, tag)?;
        let differs = pins.iter().any(|p| *p != answer.digest);
        let index = answer.media_type.as_deref().is_some_and(super::is_index);
        if differs && index {
            let children = self.index_children(repo, &answer.digest)?;
            return Ok((answer, Some(children)));
        }
        Ok((answer, None))
    }

    /// What `tag` of `repo` resolves to: `HEAD` with every manifest type accepted.
    ///
    /// # Errors
    /// Unreachable registry, refused credentials, unknown tag, or a garbage answer.
    pub fn resolve(&self, repo: &Repository, tag: &str) -> Result<TagAnswer, FetchError> {
        check_name(repo, tag)?;
        let url = format!("{}/v2/{}/manifests/{tag}", self.base(repo)?, repo.path);
        let what = format!("{}:{tag}", repo.key());
        let resp = self.send(&Method::Head, &url, repo)?;
        expect_ok(&resp, &what)?;
        let media_type = content_type(&resp);
        if let Some(digest) = header(&resp, "docker-content-digest") {
            if !valid_digest(&digest) {
                return Err(FetchError::network(format!(
                    "{what}: the registry answered an invalid digest `{}`",
                    truncate(&digest)
                )));
            }
            return Ok(TagAnswer { digest, media_type });
        }
        // Old registries leave the header out: the digest is the sha256 of the body.
        let mut resp = self.send(&Method::Get, &url, repo)?;
        expect_ok(&resp, &what)?;
        let media_type = content_type(&resp).or(media_type);
        let body = read_body(&mut resp, &what)?;
        Ok(TagAnswer {
            digest: sha256(&body),
            media_type: media_type.or_else(|| body_media_type(&body)),
        })
    }

    /// The platform manifests of the index `digest`.
    ///
    /// # Errors
    /// As [`Client::resolve`]; also a body whose digest is not `digest`, or not an index.
    pub fn index_children(
        &self,
        repo: &Repository,
        digest: &str,
    ) -> Result<Vec<String>, FetchError> {
        let url = format!("{}/v2/{}/manifests/{digest}", self.base(repo)?, repo.path);
        let what = format!("{}@{}", repo.key(), truncate(digest));
        let mut resp = self.send(&Method::Get, &url, repo)?;
        expect_ok(&resp, &what)?;
        let body = read_body(&mut resp, &what)?;
        if digest.starts_with("sha256:") && sha256(&body) != digest {
            return Err(FetchError::network(format!(
                "{what}: the manifest does not match its digest"
            )));
        }
        let json: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|_| FetchError::network(format!("{what}: the index is not JSON")))?;
        let manifests = json
            .get("manifests")
            .and_then(|m| m.as_array())
            .ok_or_else(|| FetchError::network(format!("{what}: not an image index")))?;
        Ok(manifests
            .iter()
            .filter_map(|m| m.get("digest")?.as_str().map(str::to_owned))
            .collect())
    }

    /// Every tag of `repo`, following `Link: <...>; rel="next"` pages.
    ///
    /// # Errors
    /// As [`Client::resolve`].
    pub fn tags(&self, repo: &Repository) -> Result<Vec<String>, FetchError> {
        check_name(repo, "x")?;
        let base = self.base(repo)?;
        let what = format!("{} tag list", repo.key());
        let mut url = format!("{base}/v2/{}/tags/list", repo.path);
        let mut tags = Vec::new();
        for _ in 0..MAX_PAGES {
            let mut resp = self.send(&Method::Get, &url, repo)?;
            expect_ok(&resp, &what)?;
            let next = header(&resp, "link").and_then(|l| next_link(&l));
            let body = read_body(&mut resp, &what)?;
            let json: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|_| FetchError::network(format!("{what}: the answer is not JSON")))?;
            match json.get("tags") {
                Some(serde_json::Value::Array(page)) => {
                    tags.extend(page.iter().filter_map(|t| t.as_str().map(str::to_owned)));
                }
                Some(serde_json::Value::Null) => {}
                _ => {
                    return Err(FetchError::network(format!(
                        "{what}: the answer has no `tags`"
                    )))
                }
            }
            let Some(next) = next else {
                tags.sort();
                tags.dedup();
                return Ok(tags);
            };
            let next = if next.starts_with('/') {
                format!("{base}{next}")
            } else {
                next
            };
            if next == url || !next.starts_with(&base) {
                break; // a loop, or a page on another host: stop
            }
            url = next;
        }
        tags.sort();
        tags.dedup();
        Ok(tags)
    }

    /// `https://host`, or `http://host` for loopback and listed insecure registries.
    fn base(&self, repo: &Repository) -> Result<String, FetchError> {
        let host = repo.api_host();
        Ok(if self.plain_http_allowed(host) {
            format!("http://{host}")
        } else {
            format!("https://{host}")
        })
    }

    fn plain_http_allowed(&self, host: &str) -> bool {
        is_loopback(host) || self.options.insecure.iter().any(|h| h == host)
    }

    /// Send a request, authenticating as the registry asks (once per 401).
    fn send(
        &self,
        method: &Method,
        url: &str,
        repo: &Repository,
    ) -> Result<Response<Body>, FetchError> {
        let scope = format!("repository:{}:pull", repo.path);
        let known = self
            .challenges
            .lock()
            .ok()
            .and_then(|c| c.get(&repo.host).cloned());
        let mut authorization = match &known {
            Some(c) => self.authorization(c, repo, &scope)?,
            None => None,
        };
        for attempt in 0..2 {
            let resp = self.call(method, url, authorization.as_deref(), true)?;
            if resp.status().as_u16() != 401 || attempt == 1 {
                return Ok(resp);
            }
            let challenges = resp
                .headers()
                .get_all("www-authenticate")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(auth::parse_challenges)
                .collect::<Vec<_>>();
            let Some(challenge) = challenges
                .iter()
                .find(|c| c.scheme == "bearer")
                .or_else(|| challenges.iter().find(|c| c.scheme == "basic"))
            else {
                return Err(FetchError::network(format!(
                    "{}: 401 without a usable WWW-Authenticate challenge",
                    repo.key()
                )));
            };
            if let Ok(mut c) = self.challenges.lock() {
                c.insert(repo.host.clone(), challenge.clone());
            }
            let next = self.authorization(challenge, repo, &scope)?;
            if next.is_none() || next == authorization {
                return Ok(resp); // nothing better to offer: the caller reports the 401
            }
            authorization = next;
        }
        unreachable!("the loop returns")
    }

    /// The `Authorization` value answering `challenge` for `scope`.
    fn authorization(
        &self,
        challenge: &Challenge,
        repo: &Repository,
        scope: &str,
    ) -> Result<Option<String>, FetchError> {
        match challenge.scheme.as_str() {
            "basic" => Ok(self.credential(&repo.host)?.map(|c| c.basic())),
            "bearer" => self
                .token(challenge, repo, scope)
                .map(|t| Some(format!("Bearer {t}"))),
            _ => Ok(None),
        }
    }

    /// A bearer token for `scope` from the challenge's realm (cached per realm, service, scope).
    fn token(
        &self,
        challenge: &Challenge,
        repo: &Repository,
        scope: &str,
    ) -> Result<String, FetchError> {
        let realm = challenge.param("realm").ok_or_else(|| {
            FetchError::network(format!("{}: bearer challenge without realm", repo.key()))
        })?;
        let service = challenge.param("service").unwrap_or_default();
        let key = (realm.to_owned(), service.to_owned(), scope.to_owned());
        if let Some(t) = self.tokens.get(&key) {
            return Ok(t);
        }
        let _fetching = self.token_fetch.lock();
        if let Some(t) = self.tokens.get(&key) {
            return Ok(t); // fetched by another thread meanwhile
        }
        let realm_host = realm
            .strip_prefix("http://")
            .map(|r| r.split(['/', '?']).next().unwrap_or_default());
        if let Some(h) = realm_host {
            if !self.plain_http_allowed(h) {
                return Err(FetchError::network(format!(
                    "{}: refusing the plain-HTTP token realm {realm}",
                    repo.key()
                )));
            }
        } else if !realm.starts_with("https://") {
            return Err(FetchError::network(format!(
                "{}: token realm `{realm}` is not a URL",
                repo.key()
            )));
        }
        let sep = if realm.contains('?') { '&' } else { '?' };
        let mut url = format!("{realm}{sep}scope={}", encode(scope));
        if !service.is_empty() {
            url.push_str(&format!("&service={}", encode(service)));
        }
        let basic = self.credential(&repo.host)?.map(|c| c.basic());
        let mut resp = self.call(&Method::Get, &url, basic.as_deref(), false)?;
        let what = format!("{}: token request to {realm}", repo.key());
        expect_ok(&resp, &what)?;
        let body = read_body(&mut resp, &what)?;
        let (token, lifetime) = auth::parse_token_reply(&String::from_utf8_lossy(&body))
            .map_err(|e| FetchError::network(format!("{what}: {e}")))?;
        self.tokens.put(key, token.clone(), lifetime);
        Ok(token)
    }

    /// The credential for `host`, looked up once.
    fn credential(&self, host: &str) -> Result<Option<Credential>, FetchError> {
        if let Some(c) = self
            .credentials
            .lock()
            .ok()
            .and_then(|m| m.get(host).cloned())
        {
            return Ok(c);
        }
        let found = self.docker.credential(host).map_err(FetchError::network)?;
        if let Ok(mut m) = self.credentials.lock() {
            m.insert(host.to_owned(), found.clone());
        }
        Ok(found)
    }

    /// One HTTP exchange, retried after `429` as `Retry-After` says (bounded).
    fn call(
        &self,
        method: &Method,
        url: &str,
        authorization: Option<&str>,
        accept: bool,
    ) -> Result<Response<Body>, FetchError> {
        let mut retries = 0;
        loop {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let result = match method {
                Method::Head => with_headers(self.agent.head(url), authorization, accept).call(),
                Method::Get => with_headers(self.agent.get(url), authorization, accept).call(),
            };
            let resp = result
                .map_err(|e| FetchError::network(format!("{}: {}", redact(url), describe(&e))))?;
            if resp.status().as_u16() != 429 {
                return Ok(resp);
            }
            let wait = retry_after(&resp).unwrap_or(Duration::from_secs(1 << retries.min(4)));
            if retries >= self.options.max_retries || wait > self.options.max_retry_wait {
                return Err(FetchError::network(format!(
                    "{}: rate limited (429) after {retries} retries; Retry-After {} s",
                    redact(url),
                    wait.as_secs()
                )));
            }
            retries += 1;
            std::thread::sleep(wait);
        }
    }
}

fn with_headers(
    mut req: ureq::RequestBuilder<ureq::typestate::WithoutBody>,
    authorization: Option<&str>,
    accept: bool,
) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
    if accept {
        req = req.header("Accept", ACCEPT.join(", "));
    }
    if let Some(a) = authorization {
        req = req.header("Authorization", a);
    }
    req
}

/// Whether `host[:port]` is a loopback address (`localhost`, `127.x.y.z`, `[::1]`).
#[must_use]
pub fn is_loopback(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name == "localhost"
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Repository and tag must be what the distribution spec allows, so they are safe in a URL.
fn check_name(repo: &Repository, tag: &str) -> Result<(), FetchError> {
    let path_ok = !repo.path.is_empty()
        && repo
            .path
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b));
    let tag_ok = !tag.is_empty()
        && tag.len() <= 128
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if path_ok && tag_ok {
        Ok(())
    } else {
        Err(FetchError {
            message: format!("{}:{tag}: not a valid repository and tag", repo.key()),
            network: false,
        })
    }
}

/// 200, else an error saying what the registry answered.
fn expect_ok(resp: &Response<Body>, what: &str) -> Result<(), FetchError> {
    let status = resp.status().as_u16();
    match status {
        200 => Ok(()),
        404 => Err(FetchError {
            message: format!("{what}: not found on the registry (404)"),
            network: false,
        }),
        401 | 403 => Err(FetchError::network(format!(
            "{what}: access denied ({status}); check the credentials in the Docker configuration"
        ))),
        _ => Err(FetchError::network(format!(
            "{what}: the registry answered HTTP {status}"
        ))),
    }
}

fn header(resp: &Response<Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The media type, without parameters.
fn content_type(resp: &Response<Body>) -> Option<String> {
    header(resp, "content-type").map(|t| t.split(';').next().unwrap_or_default().trim().to_owned())
}

/// The `mediaType` field of a manifest body.
fn body_media_type(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.get("mediaType")?.as_str().map(str::to_owned)
}

fn read_body(resp: &mut Response<Body>, what: &str) -> Result<Vec<u8>, FetchError> {
    resp.body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_vec()
        .map_err(|e| {
            FetchError::network(format!("{what}: cannot read the answer: {}", describe(&e)))
        })
}

/// `Retry-After` in seconds (HTTP dates are not used by registries).
fn retry_after(resp: &Response<Body>) -> Option<Duration> {
    header(resp, "retry-after")?
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The target of `rel="next"` in a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let rel_next = params.split(';').any(|p| {
            p.trim()
                .replace(' ', "")
                .eq_ignore_ascii_case("rel=\"next\"")
                || p.trim().eq_ignore_ascii_case("rel=next")
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        rel_next.then(|| target.to_owned())
    })
}

/// `sha256:` followed by 64 lowercase hex digits (or `sha512:` and 128).
#[must_use]
pub fn valid_digest(d: &str) -> bool {
    let hex = |h: &str, n: usize| {
        h.len() == n
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    d.strip_prefix("sha256:").is_some_and(|h| hex(h, 64))
        || d.strip_prefix("sha512:").is_some_and(|h| hex(h, 128))
}

/// `sha256:<hex>` of `bytes`.
#[must_use]
pub fn sha256(bytes: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut s = String::from("sha256:");
    for b in d.as_ref() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Percent-encode a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A URL without its query (which may hold a scope only, but stays short in notes).
fn redact(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

fn truncate(s: &str) -> String {
    if s.len() > 80 {
        format!(
            "{}...",
            &s[..s
                .char_indices()
                .take_while(|(i, _)| *i < 77)
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8())]
        )
    } else {
        s.to_owned()
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "localhost:5000",
            "127.0.0.1:41234",
            "127.1.2.3",
            "[::1]:5000",
        ] {
            assert!(is_loopback(h), "{h}");
        }
        for h in [
            "registry.example.com",
            "10.0.0.1:5000",
            "localhost.example.com",
            "128.0.0.1",
        ] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    #[test]
    fn link_headers() {
        assert_eq!(
            next_link(r#"</v2/library/alpine/tags/list?last=3.18&n=2>; rel="next""#).as_deref(),
            Some("/v2/library/alpine/tags/list?last=3.18&n=2")
        );
        assert_eq!(next_link(r#"<https://x/a>; rel="prev""#), None);
    }

    #[test]
    fn digests() {
        assert!(valid_digest(&sha256(b"")));
        assert_eq!(
            sha256(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(!valid_digest("sha256:E3B0"));
        assert!(!valid_digest("md5:00"));
        assert_eq!(
            encode("repository:a/b:pull,push"),
            "repository%3Aa%2Fb%3Apull%2Cpush"
        );
    }
}
