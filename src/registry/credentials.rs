//! Registry credentials from the Docker configuration (`$DOCKER_CONFIG/config.json`, else
//! `~/.docker/config.json`): `credHelpers.<host>`, then `credsStore`, then `auths.<host>.auth`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;

/// A user name and password (or token) for Basic auth and token requests.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub username: String,
    pub secret: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential({}, <secret>)", self.username)
    }
}

impl Credential {
    /// The `Authorization: Basic` value.
    #[must_use]
    pub fn basic(&self) -> String {
        let raw = format!("{}:{}", self.username, self.secret);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

/// The Docker configuration file, parsed once.
#[derive(Debug, Default, Clone)]
pub struct DockerConfig {
    json: serde_json::Value,
}

impl DockerConfig {
    /// The configuration drydock would read: `$DOCKER_CONFIG/config.json`, else
    /// `$HOME/.docker/config.json`.
    #[must_use]
    pub fn path() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
            return Some(Path::new(&dir).join("config.json"));
        }
        let home = std::env::var_os("HOME").filter(|d| !d.is_empty())?;
        Some(Path::new(&home).join(".docker").join("config.json"))
    }

    /// Load the configuration; a missing file is an empty one.
    ///
    /// # Errors
    /// The file exists but cannot be read or is not JSON.
    pub fn load() -> Result<DockerConfig, String> {
        let Some(path) = Self::path() else {
            return Ok(DockerConfig::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DockerConfig::default()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// Parse a `config.json` text.
    ///
    /// # Errors
    /// Not JSON.
    pub fn parse(text: &str) -> Result<DockerConfig, String> {
        serde_json::from_str(text)
            .map(|json| DockerConfig { json })
            .map_err(|e| format!("not JSON: {e}"))
    }

    /// The credential for `host` (as Docker names it, e.g. `docker.io`, `host:5000`).
    ///
    /// # Errors
    /// A credential helper failed (not: it has no credential for the host).
    pub fn credential(&self, host: &str) -> Result<Option<Credential>, String> {
        let keys = server_keys(host);
        let helper = keys.iter().find_map(|k| {
            self.json
                .get("credHelpers")
                .and_then(|h| h.get(k))
                .and_then(|v| v.as_str())
        });
        if let Some(helper) = helper {
            return run_helper(helper, &keys[0]);
        }
        if let Some(store) = self.json.get("credsStore").and_then(|v| v.as_str()) {
            if let Some(c) = run_helper(store, &keys[0])? {
                return Ok(Some(c));
            }
        }
        let auths = self.json.get("auths");
        for key in &keys {
            let Some(auth) = auths
                .and_then(|a| a.get(key))
                .and_then(|e| e.get("auth"))
                .and_then(|v| v.as_str())
            else {
                continue;
            };
            return decode_auth(auth).map(Some);
        }
        Ok(None)
    }
}

/// The keys a host may be stored under: Docker Hub's legacy URL, with and without scheme.
fn server_keys(host: &str) -> Vec<String> {
    if host == "docker.io" {
        return vec![
            "https://index.docker.io/v1/".into(),
            "index.docker.io".into(),
            "docker.io".into(),
            "registry-1.docker.io".into(),
        ];
    }
    vec![
        host.into(),
        format!("https://{host}"),
        format!("http://{host}"),
    ]
}

/// `auths.<host>.auth`: base64 of `user:password`.
fn decode_auth(auth: &str) -> Result<Credential, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(auth.trim())
        .map_err(|_| "a Docker config `auth` value is not base64".to_owned())?;
    let text = String::from_utf8(bytes).map_err(|_| "a Docker config `auth` value is not UTF-8")?;
    let (user, pass) = text
        .split_once(':')
        .ok_or("a Docker config `auth` value is not `user:password`")?;
    Ok(Credential {
        username: user.into(),
        secret: pass.into(),
    })
}

/// `docker-credential-<name> get` with the server on standard input; `None` when it has no
/// credential for it (it exits non-zero saying so).
fn run_helper(name: &str, server: &str) -> Result<Option<Credential>, String> {
    let program = format!("docker-credential-{name}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run credential helper `{program}`: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("credential helper `{program}`: {e}"))?;
    if !out.status.success() {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|_| format!("credential helper `{program}` did not answer JSON"))?;
    let field = |k: &str| {
        v.get(k)
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let (username, secret) = (field("Username"), field("Secret"));
    // `<token>` marks an identity token for OAuth flows, which this client does not speak.
    if secret.is_empty() || username == "<token>" {
        return Ok(None);
    }
    Ok(Some(Credential { username, secret }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auths_entries() {
        let c = DockerConfig::parse(
            r#"{"auths":{"127.0.0.1:5001":{"auth":"dGVzdHVzZXI6dGVzdHBhc3M="},"https://index.docker.io/v1/":{"auth":"dTpwOng="}}}"#,
        )
        .unwrap();
        let cred = c.credential("127.0.0.1:5001").unwrap().unwrap();
        assert_eq!(
            (cred.username.as_str(), cred.secret.as_str()),
            ("testuser", "testpass")
        );
        assert_eq!(cred.basic(), "Basic dGVzdHVzZXI6dGVzdHBhc3M=");
        assert_eq!(c.credential("docker.io").unwrap().unwrap().secret, "p:x");
        assert_eq!(c.credential("ghcr.io").unwrap(), None);
        let bad = DockerConfig::parse(r#"{"auths":{"h":{"auth":"!!"}}}"#).unwrap();
        assert!(bad.credential("h").is_err());
    }

    #[test]
    fn a_missing_helper_is_an_error() {
        let c =
            DockerConfig::parse(r#"{"credHelpers":{"h":"drydock-test-no-such-helper"}}"#).unwrap();
        assert!(c
            .credential("h")
            .unwrap_err()
            .contains("docker-credential-drydock-test-no-such-helper"));
    }
}
