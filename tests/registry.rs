//! Online checks against real servers on loopback: Debian's `docker-registry` (distribution
//! 2.8) started per test on 127.0.0.1 with port 0, fed tiny images over plain HTTP, plus tiny
//! in-test HTTP servers for the token endpoint, 429s, hangs and garbage. Nothing here touches
//! a public registry. Tests needing `docker-registry` (or `htpasswd`, `openssl`) skip with a
//! note when it is missing; `.ci/run` installs them.
#![allow(clippy::print_stderr)] // skip notes and timings for the test log

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use drydock::registry::client::sha256;

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

// ---------------------------------------------------------------------------------------------
// Scratch directories and the drydock binary

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "drydock-registry-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn path(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
    fn write(&self, p: &str, text: &str) -> PathBuf {
        let path = self.path(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run drydock with a private HOME, cache and Docker configuration under `home`.
fn drydock(home: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drydock"));
    cmd.args(args)
        .current_dir(&home.0)
        .env("HOME", home.path("home"))
        .env("XDG_CACHE_HOME", home.path("cache"))
        .env("DOCKER_CONFIG", home.path("docker"))
        .env("NO_COLOR", "1");
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `(code, 1-based line, span text)` of every finding of a JSON report.
fn findings(o: &Output, file_text: &str) -> Vec<(String, u64, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(o)
        )
    });
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = d["span"]["start"]["offset"].as_u64().unwrap() as usize;
            let e = d["span"]["end"]["offset"].as_u64().unwrap() as usize;
            (
                d["code"].as_str().unwrap().to_owned(),
                d["span"]["start"]["line"].as_u64().unwrap(),
                file_text[s..e].to_owned(),
            )
        })
        .collect()
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

/// `None` (and a note) when a tool the test needs is not installed.
fn need(program: &str) -> Option<PathBuf> {
    let found = which(program);
    if found.is_none() {
        eprintln!("SKIPPED: `{program}` is not installed (apt-get install docker-registry apache2-utils openssl; .ci/run does)");
    }
    found
}

// ---------------------------------------------------------------------------------------------
// A real registry

struct Registry {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: Scratch,
}

impl Registry {
    /// Start `docker-registry serve` on 127.0.0.1:0 with `auth` (YAML for the `auth:` key).
    fn start(bin: &Path, auth: &str) -> Registry {
        let dir = Scratch::new("server");
        let config = format!(
            "version: 0.1\nlog: {{level: info}}\nstorage:\n  filesystem: {{rootdirectory: {}}}\n  delete: {{enabled: true}}\nhttp:\n  addr: 127.0.0.1:0\n{auth}",
            dir.path("storage").display()
        );
        let config_path = dir.write("config.yml", &config);
        let log = dir.path("registry.log");
        let file = std::fs::File::create(&log).unwrap();
        let child = Command::new(bin)
            .arg("serve")
            .arg(&config_path)
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap();
        let started = Instant::now();
        let port = loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(p) = text
                .split("listening on 127.0.0.1:")
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|p| p.parse().ok())
            {
                break p;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "registry did not start:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Registry {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Requests drydock sent so far (the access log names the user agent).
    fn drydock_requests(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("\"drydock/") && l.starts_with("127.0.0.1 - "))
            .count()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Pushes tiny images with plain HTTP (blob upload, manifest PUT).
struct Pusher {
    agent: ureq::Agent,
    base: String,
    auth: Option<String>,
}

impl Pusher {
    fn new(host: &str, auth: Option<String>) -> Pusher {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .build()
            .into();
        Pusher {
            agent,
            base: format!("http://{host}"),
            auth,
        }
    }

    fn blob(&self, repo: &str, bytes: &[u8]) -> String {
        let digest = sha256(bytes);
        let mut post = self
            .agent
            .post(format!("{}/v2/{repo}/blobs/uploads/", self.base));
        if let Some(a) = &self.auth {
            post = post.header("Authorization", a);
        }
        let resp = post.send_empty().unwrap();
        assert_eq!(resp.status().as_u16(), 202, "blob upload start");
        let location = resp.headers()["location"].to_str().unwrap().to_owned();
        let location = if location.starts_with('/') {
            format!("{}{location}", self.base)
        } else {
            location
        };
        let sep = if location.contains('?') { '&' } else { '?' };
        let mut put = self.agent.put(format!("{location}{sep}digest={digest}"));
        if let Some(a) = &self.auth {
            put = put.header("Authorization", a);
        }
        let resp = put
            .content_type("application/octet-stream")
            .send(bytes)
            .unwrap();
        assert_eq!(resp.status().as_u16(), 201, "blob upload");
        digest
    }

    fn manifest(&self, repo: &str, reference: &str, media_type: &str, body: &str) -> String {
        let mut put = self
            .agent
            .put(format!("{}/v2/{repo}/manifests/{reference}", self.base));
        if let Some(a) = &self.auth {
            put = put.header("Authorization", a);
        }
        let resp = put.content_type(media_type).send(body.as_bytes()).unwrap();
        assert_eq!(
            resp.status().as_u16(),
            201,
            "manifest PUT {repo}:{reference}"
        );
        sha256(body.as_bytes())
    }

    /// A one-layer OCI image whose content is `text`; its manifest digest.
    fn image_manifest(&self, repo: &str, text: &str, arch: &str) -> String {
        let layer = self.blob(repo, text.as_bytes());
        let config = format!(
            r#"{{"architecture":"{arch}","os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
            sha256(text.as_bytes())
        );
        let config_digest = self.blob(repo, config.as_bytes());
        format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{layer}","size":{}}}]}}"#,
            config.len(),
            text.len()
        )
    }

    /// Push `text` as `repo:tag` for each tag; the manifest digest.
    fn image(&self, repo: &str, tags: &[&str], text: &str) -> String {
        let body = self.image_manifest(repo, text, "amd64");
        let mut digest = String::new();
        for tag in tags {
            digest = self.manifest(repo, tag, OCI_MANIFEST, &body);
        }
        digest
    }

    /// A two-platform index (amd64, arm64) as `repo:tag`: (index digest, child digests).
    fn index(&self, repo: &str, tag: &str, text: &str) -> (String, Vec<String>) {
        let mut children = Vec::new();
        let mut entries = Vec::new();
        for arch in ["amd64", "arm64"] {
            let body = self.image_manifest(repo, &format!("{text} {arch}"), arch);
            let digest = sha256(body.as_bytes());
            self.manifest(repo, &digest, OCI_MANIFEST, &body);
            entries.push(format!(
                r#"{{"mediaType":"{OCI_MANIFEST}","digest":"{digest}","size":{},"platform":{{"architecture":"{arch}","os":"linux"}}}}"#,
                body.len()
            ));
            children.push(digest);
        }
        let index = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{}]}}"#,
            entries.join(",")
        );
        (self.manifest(repo, tag, OCI_INDEX, &index), children)
    }
}

// ---------------------------------------------------------------------------------------------
// Tiny HTTP servers

/// One parsed request.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers, body; `None` hangs (never answers).
type Handler =
    dyn Fn(&Request, usize) -> Option<(u16, Vec<(String, String)>, Vec<u8>)> + Send + Sync;

struct TinyServer {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    connections: Arc<AtomicUsize>,
}

impl TinyServer {
    fn start(handler: Arc<Handler>) -> TinyServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let connections: Arc<AtomicUsize> = Arc::default();
        let (reqs, conns) = (requests.clone(), connections.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                conns.fetch_add(1, Ordering::Relaxed);
                let (handler, reqs) = (handler.clone(), reqs.clone());
                std::thread::spawn(move || serve(stream, &*handler, &reqs));
            }
        });
        TinyServer {
            port,
            requests,
            connections,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, reqs: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let req = Request {
            method,
            target,
            headers,
        };
        let n = {
            let mut r = reqs.lock().unwrap();
            r.push(req.clone());
            r.len()
        };
        let Some((status, headers, body)) = handler(&req, n) else {
            std::thread::sleep(Duration::from_secs(30));
            return;
        };
        let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let _ = stream.write_all(head.as_bytes());
        if req.method != "HEAD" {
            let _ = stream.write_all(&body);
        }
        let _ = stream.flush();
    }
}

fn hdr(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn no_network_call_without_online() {
    let server = TinyServer::start(Arc::new(|_, _| Some((200, vec![], vec![]))));
    let home = Scratch::new("offline");
    let digest = sha256(b"x");
    home.write(
        "Dockerfile",
        &format!(
            "FROM {}/library/alpine:3.18.1@{digest}\nRUN true\n",
            server.host()
        ),
    );
    let out = drydock(
        &home,
        &["check", "--select", "all", "--format", "json", "Dockerfile"],
        &[],
    );
    assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.connections.load(Ordering::Relaxed), 0);
    assert!(!home.path("cache/drydock/registry.json").exists());
}

#[test]
fn stale_pin_platform_child_patch_cache_and_snapshot() {
    let Some(bin) = need("docker-registry") else {
        return;
    };
    let mut reg = Registry::start(&bin, "");
    let push = Pusher::new(&reg.host(), None);
    let old = push.image("library/alpine", &["3.18", "3.18.1"], "alpine-fake 3.18.0");
    let new = push.image("library/alpine", &["3.18", "3.18.4"], "alpine-fake 3.18.1");
    assert_ne!(old, new);
    let (index, children) = push.index("library/python", "3.19", "python-fake");
    let h = reg.host();
    let home = Scratch::new("stale");
    let text = format!(
        "FROM {h}/library/alpine:3.18@{old} AS stale\nFROM {h}/library/python:3.19@{} AS platform\nFROM {h}/library/python:3.19@{old} AS stale-index\nFROM {h}/library/alpine:3.18.1 AS patch\nFROM {h}/library/alpine:3.18@{new} AS current\nFROM scratch\n",
        children[1]
    );
    home.write("Dockerfile", &text);
    let args = [
        "check",
        "--online",
        "--select",
        "DD110,DD111",
        "--format",
        "json",
        "Dockerfile",
    ];
    let started = Instant::now();
    let out = drydock(&home, &args, &[]);
    let first = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let expected = vec![
        ("DD110".to_owned(), 1, old.clone()),
        ("DD110".to_owned(), 3, old.clone()),
        ("DD111".to_owned(), 4, "3.18.1".to_owned()),
    ];
    assert_eq!(findings(&out, &text), expected, "{}", stderr(&out));
    // HEAD alpine:3.18, HEAD python:3.19, GET the python index, GET alpine's tag list.
    let requests = reg.drydock_requests();
    assert_eq!(requests, 4);
    eprintln!("first online run {first:?}, {requests} requests");
    // A second file with the same references (and the default command): asked once.
    home.write("other/Dockerfile", &text);
    let out = drydock(
        &home,
        &[
            "--online",
            "--refresh",
            "--select",
            "DD110,DD111",
            "--format",
            "json",
            "Dockerfile",
            "other/Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(reg.drydock_requests(), 2 * requests);
    let requests = 2 * requests;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 6);

    // Second run: every answer from the cache, no request.
    let out = drydock(&home, &args, &[]);
    assert_eq!(findings(&out, &text), expected);
    assert_eq!(reg.drydock_requests(), requests);
    // --refresh asks again; --cache-ttl 0 too.
    let out = drydock(&home, &[&args[..], &["--refresh"]].concat(), &[]);
    assert_eq!(findings(&out, &text), expected);
    assert_eq!(reg.drydock_requests(), requests + 4);
    let out = drydock(
        &home,
        &[
            &args[..],
            &["--cache-ttl", "0", "--registry-snapshot", "snap.json"],
        ]
        .concat(),
        &[],
    );
    assert_eq!(findings(&out, &text), expected);
    assert_eq!(reg.drydock_requests(), requests + 8);
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.path("snap.json")).unwrap()).unwrap();
    assert_eq!(snapshot["version"], 1);
    assert_eq!(snapshot["indexes"][&index], serde_json::json!(children));
    assert_eq!(
        snapshot["tags"][format!("{h}/library/alpine:3.18")]["digest"],
        new.as_str()
    );

    // Replay with the registry stopped: the same findings, no network.
    reg.stop();
    let replay = [
        "check",
        "--registry-snapshot",
        "snap.json",
        "--select",
        "DD110,DD111",
        "--format",
        "json",
        "Dockerfile",
    ];
    let out = drydock(&home, &replay, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings(&out, &text), expected);
    assert_eq!(stderr(&out).matches("note:").count(), 0, "{}", stderr(&out));
    // Online against the stopped registry with an expired cache: notes, not findings.
    let out = drydock(&home, &[&args[..], &["--refresh"]].concat(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("drydock: note: online:"),
        "{}",
        stderr(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["notes"].as_array().unwrap().len(), 3);
    let out = drydock(
        &home,
        &[
            "check",
            "--online=required",
            "--refresh",
            "--select",
            "DD110",
            "--format",
            "sarif",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
}

#[test]
fn pin_rewrites_the_image_word_only() {
    let Some(bin) = need("docker-registry") else {
        return;
    };
    let reg = Registry::start(&bin, "");
    let push = Pusher::new(&reg.host(), None);
    let old = push.image("library/alpine", &["3.18"], "alpine-fake 3.18.0");
    let new = push.image("library/alpine", &["3.18"], "alpine-fake 3.18.1");
    let (index, children) = push.index("team/app", "1.0", "app");
    let h = reg.host();
    let home = Scratch::new("pin");
    let text = format!(
        "\u{feff}ARG V=3.18\r\nFROM {h}/library/alpine:3.18 AS a\r\nRUN true\r\nFROM {h}/library/alpine:3.18@{old} AS b\r\nFROM {h}/team/app:1.0@{} AS c\r\nFROM {h}/team/app:1.0\r\nFROM a\r\nFROM scratch\r\nFROM {h}/library/alpine:${{V}}\r\n",
        children[0]
    );
    let path = home.write("Dockerfile", &text);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let expected = text
        .replace("alpine:3.18 AS a", &format!("alpine:3.18@{new} AS a"))
        .replace(
            &format!("alpine:3.18@{old} AS b"),
            &format!("alpine:3.18@{new} AS b"),
        )
        .replace("team/app:1.0\r\n", &format!("team/app:1.0@{index}\r\n"));

    let out = drydock(&home, &["pin", "--diff", "Dockerfile"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff = String::from_utf8(out.stdout.clone()).unwrap();
    let lines: Vec<&str> = diff.lines().collect();
    assert_eq!(lines[0], "--- a/Dockerfile");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .count(),
        3,
        "{diff}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .count(),
        3,
        "{diff}"
    );
    assert!(
        diff.contains(&format!("+FROM {h}/library/alpine:3.18@{new} AS a\r\n")),
        "{diff}"
    );
    assert!(
        stderr(&out).contains("Dockerfile:9: skipped: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "--diff writes nothing"
    );

    let out = drydock(&home, &["pin", "Dockerfile"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(&path).unwrap(), expected.as_bytes());
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // Pinned now: a second pin changes nothing.
    let out = drydock(&home, &["pin", "--diff", "--refresh", "Dockerfile"], &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn basic_auth_with_docker_config_and_credential_helper() {
    let (Some(bin), Some(htpasswd)) = (need("docker-registry"), need("htpasswd")) else {
        return;
    };
    let home = Scratch::new("basic");
    let line = Command::new(htpasswd)
        .args(["-Bbn", "testuser", "testpass"])
        .output()
        .unwrap();
    let file = home.write("htpasswd", &String::from_utf8(line.stdout).unwrap());
    let reg = Registry::start(
        &bin,
        &format!(
            "auth: {{htpasswd: {{realm: test-realm, path: {}}}}}\n",
            file.display()
        ),
    );
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("testuser:testpass")
    );
    let push = Pusher::new(&reg.host(), Some(basic));
    let old = push.image("team/app", &["1.0"], "v1");
    push.image("team/app", &["1.0"], "v2");
    let text = format!("FROM {}/team/app:1.0@{old}\n", reg.host());
    home.write("Dockerfile", &text);
    let args = [
        "check",
        "--online",
        "--refresh",
        "--select",
        "DD110",
        "--format",
        "json",
        "Dockerfile",
    ];

    // No credentials: a note, no finding; required: exit 2.
    let out = drydock(&home, &args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("access denied (401)"),
        "{}",
        stderr(&out)
    );
    let out = drydock(
        &home,
        &[
            "check",
            "--online=required",
            "--refresh",
            "--select",
            "DD110",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));

    // auths.<host>.auth in $DOCKER_CONFIG/config.json.
    let auth = base64::engine::general_purpose::STANDARD.encode("testuser:testpass");
    home.write(
        "docker/config.json",
        &format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, reg.host()),
    );
    let out = drydock(&home, &args, &[]);
    assert_eq!(
        findings(&out, &text),
        vec![("DD110".to_owned(), 1, old.clone())],
        "{}",
        stderr(&out)
    );

    // credHelpers.<host>: docker-credential-<name> get.
    let helper = home.write(
        "bin/docker-credential-drydocktest",
        "#!/bin/sh\nread server\n[ \"$1\" = get ] || exit 1\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"testuser\",\"Secret\":\"testpass\"}' \"$server\"\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    home.write(
        "docker/config.json",
        &format!(r#"{{"credHelpers":{{"{}":"drydocktest"}}}}"#, reg.host()),
    );
    let path = format!(
        "{}:{}",
        home.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = drydock(&home, &args, &[("PATH", &path)]);
    assert_eq!(
        findings(&out, &text),
        vec![("DD110".to_owned(), 1, old)],
        "{}",
        stderr(&out)
    );
}

/// base64url without padding.
fn b64u(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// An RS256 JWT for the registry's token auth, signed with the openssl CLI.
fn jwt(dir: &Scratch, access: &str) -> String {
    let der = Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(dir.path("token.crt"))
        .output()
        .unwrap()
        .stdout;
    let header = format!(
        r#"{{"typ":"JWT","alg":"RS256","x5c":["{}"]}}"#,
        base64::engine::general_purpose::STANDARD.encode(der)
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = format!(
        r#"{{"iss":"test-issuer","sub":"","aud":"test-registry","exp":{},"nbf":{},"iat":{},"jti":"{now}","access":{access}}}"#,
        now + 3600,
        now - 60,
        now - 60
    );
    let signing_input = format!("{}.{}", b64u(header.as_bytes()), b64u(claims.as_bytes()));
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-binary", "-sign"])
        .arg(dir.path("token.key"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(signing_input.as_bytes())
        .unwrap();
    let mut sig = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut sig).unwrap();
    assert!(child.wait().unwrap().success());
    format!("{signing_input}.{}", b64u(&sig))
}

#[test]
fn bearer_token_flow_with_a_tiny_token_server() {
    let (Some(bin), Some(_)) = (need("docker-registry"), need("openssl")) else {
        return;
    };
    let dir = Scratch::new("token");
    let ok = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "36500",
            "-subj",
            "/CN=test-token-issuer",
            "-keyout",
        ])
        .arg(dir.path("token.key"))
        .arg("-out")
        .arg(dir.path("token.crt"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let pull = jwt(
        &dir,
        r#"[{"type":"repository","name":"library/alpine","actions":["pull"]}]"#,
    );
    let push_token = jwt(
        &dir,
        r#"[{"type":"repository","name":"library/alpine","actions":["pull","push"]}]"#,
    );
    let token_server = TinyServer::start(Arc::new(move |req: &Request, _| {
        let ok = req.target.starts_with("/token?")
            && req.target.contains("service=test-registry")
            && req
                .target
                .contains("scope=repository%3Alibrary%2Falpine%3Apull");
        Some(if ok {
            (
                200,
                vec![hdr("Content-Type", "application/json")],
                format!(r#"{{"token":"{pull}","expires_in":300}}"#).into_bytes(),
            )
        } else {
            (400, vec![], b"bad token request".to_vec())
        })
    }));
    let auth = format!(
        "auth:\n  token: {{realm: \"http://{}/token\", service: test-registry, issuer: test-issuer, rootcertbundle: {}}}\n",
        token_server.host(),
        dir.path("token.crt").display()
    );
    let reg = Registry::start(&bin, &auth);
    let push = Pusher::new(&reg.host(), Some(format!("Bearer {push_token}")));
    let old = push.image("library/alpine", &["3.18", "3.18.1"], "v1");
    let new = push.image("library/alpine", &["3.18", "3.18.2"], "v2");
    let home = Scratch::new("token-home");
    let text = format!(
        "FROM {}/library/alpine:3.18@{old} AS a\nFROM {}/library/alpine:3.18.1 AS b\n",
        reg.host(),
        reg.host()
    );
    home.write("Dockerfile", &text);
    let out = drydock(
        &home,
        &[
            "check",
            "--online=required",
            "--select",
            "DD110,DD111",
            "--format",
            "json",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        findings(&out, &text),
        vec![
            ("DD110".to_owned(), 1, old),
            ("DD111".to_owned(), 2, "3.18.1".to_owned())
        ],
        "{}",
        stderr(&out)
    );
    // Both questions share one scope: one token request, then the token is cached in memory.
    assert_eq!(token_server.requests().len(), 1);
    let out = drydock(
        &home,
        &[
            "check",
            "--online=required",
            "--refresh",
            "--select",
            "DD110",
            "--format",
            "json",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let pinned = format!("FROM {}/library/alpine:3.18@{new}\n", reg.host());
    home.write("Dockerfile", &pinned);
    let out = drydock(
        &home,
        &[
            "check",
            "--online=required",
            "--refresh",
            "--select",
            "DD110",
            "--format",
            "json",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn rate_limits_are_retried_after_retry_after() {
    let digest = sha256(b"current");
    let d = digest.clone();
    let server = TinyServer::start(Arc::new(move |_, n| {
        Some(if n == 1 {
            (
                429,
                vec![hdr("Retry-After", "1")],
                b"too many requests".to_vec(),
            )
        } else {
            (
                200,
                vec![
                    hdr("Docker-Content-Digest", &d),
                    hdr("Content-Type", OCI_MANIFEST),
                ],
                vec![],
            )
        })
    }));
    let home = Scratch::new("429");
    let old = sha256(b"old");
    let text = format!("FROM {}/library/alpine:3.18@{old}\n", server.host());
    home.write("Dockerfile", &text);
    let started = Instant::now();
    let out = drydock(
        &home,
        &[
            "check",
            "--online=required",
            "--select",
            "DD110",
            "--format",
            "json",
            "Dockerfile",
        ],
        &[],
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(
        findings(&out, &text),
        vec![("DD110".to_owned(), 1, old)],
        "{}",
        stderr(&out)
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert!(reqs
        .iter()
        .all(|r| r.method == "HEAD" && r.target == "/v2/library/alpine/manifests/3.18"));
    let accept = reqs[1].header("accept").unwrap();
    for t in drydock::registry::ACCEPT {
        assert!(accept.contains(t), "{accept}");
    }
    // A Retry-After longer than the client waits for fails at once.
    let server = TinyServer::start(Arc::new(|_, _| {
        Some((429, vec![hdr("Retry-After", "3600")], vec![]))
    }));
    home.write(
        "Dockerfile",
        &format!(
            "FROM {}/library/alpine:3.18@{}\n",
            server.host(),
            sha256(b"o")
        ),
    );
    let started = Instant::now();
    let out = drydock(
        &home,
        &[
            "check",
            "--online",
            "--refresh",
            "--select",
            "DD110",
            "Dockerfile",
        ],
        &[],
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("rate limited (429)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hanging_server_times_out_with_a_note() {
    let server = TinyServer::start(Arc::new(|_, _| None));
    let home = Scratch::new("hang");
    home.write(
        "Dockerfile",
        &format!(
            "FROM {}/library/alpine:3.18@{}\n",
            server.host(),
            sha256(b"o")
        ),
    );
    let started = Instant::now();
    let out = drydock(
        &home,
        &[
            "check",
            "--online",
            "--registry-timeout",
            "1s",
            "--select",
            "DD110",
            "Dockerfile",
        ],
        &[],
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("timed out"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
    let out = drydock(
        &home,
        &[
            "check",
            "--online=required",
            "--registry-timeout",
            "1s",
            "--select",
            "DD110",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn garbage_answers_and_the_get_fallback() {
    let body =
        br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#.to_vec();
    let b = body.clone();
    let server = TinyServer::start(Arc::new(move |req: &Request, _| {
        let t = req.target.as_str();
        Some(match (req.method.as_str(), t) {
            // No Docker-Content-Digest: the client GETs and hashes the body.
            (_, "/v2/old/app/manifests/1") => {
                (200, vec![hdr("Content-Type", OCI_MANIFEST)], b.clone())
            }
            (_, "/v2/bad/digest/manifests/1") => (
                200,
                vec![hdr("Docker-Content-Digest", "sha256:nonsense")],
                vec![],
            ),
            (_, "/v2/bad/list/tags/list") => (200, vec![], b"<html>".to_vec()),
            // Two pages linked with `Link: <...>; rel="next"`.
            (_, "/v2/paged/app/tags/list") => (
                200,
                vec![hdr(
                    "Link",
                    r#"</v2/paged/app/tags/list?last=1.2.3&n=2>; rel="next""#,
                )],
                br#"{"name":"paged/app","tags":["1.2.3","1.1.0"]}"#.to_vec(),
            ),
            (_, "/v2/paged/app/tags/list?last=1.2.3&n=2") => (
                200,
                vec![],
                br#"{"name":"paged/app","tags":["1.2.9","1.3.0"]}"#.to_vec(),
            ),
            (_, "/v2/bad/status/manifests/1") => (500, vec![], b"oops".to_vec()),
            _ => (
                404,
                vec![],
                br#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#.to_vec(),
            ),
        })
    }));
    let h = server.host();
    let home = Scratch::new("garbage");
    let stale = sha256(b"stale");
    let text = format!(
        "FROM {h}/old/app:1@{stale} AS a\nFROM {h}/bad/digest:1@{stale} AS b\nFROM {h}/bad/list:1.2.3 AS c\nFROM {h}/bad/status:1@{stale} AS d\nFROM {h}/no/such:1@{stale} AS e\nFROM {h}/paged/app:1.2.3 AS f\n"
    );
    home.write("Dockerfile", &text);
    let out = drydock(
        &home,
        &[
            "check",
            "--online",
            "--select",
            "DD110,DD111",
            "--format",
            "json",
            "Dockerfile",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        findings(&out, &text),
        vec![
            ("DD110".to_owned(), 1, stale.clone()),
            ("DD111".to_owned(), 6, "1.2.3".to_owned())
        ],
        "{}",
        stderr(&out)
    );
    let err = stderr(&out);
    for expected in [
        "invalid digest",
        "the answer is not JSON",
        "HTTP 500",
        "not found on the registry (404)",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    let gets = server
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.target == "/v2/old/app/manifests/1")
        .count();
    assert_eq!(gets, 1);
    // The digest the fallback computed is the sha256 of the body.
    let cache = std::fs::read_to_string(home.path("cache/drydock/registry.json")).unwrap();
    assert!(cache.contains(&sha256(&body)), "{cache}");
}
