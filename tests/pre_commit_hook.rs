//! `.pre-commit-hooks.yaml`: the hook's fields, and its `files`/`exclude` regexes select
//! exactly the names `drydock check DIR` lints (`discover::is_dockerfile_name`).
//!
//! pre-commit matches with Python's `re.search` on repo-relative paths. The patterns start
//! with `(?ai)` (ASCII-only case folding); the `regex` crate spells that `(?i-u)`, which it
//! allows on `regex::bytes::Regex`. Over UTF-8 bytes `[^/]` then matches whole characters
//! other than `/` as Python's does, so the translated pattern selects the same paths.
//! `bench/try-pre-commit.sh` checks the same names with pre-commit itself.

mod common;

use drydock::discover::is_dockerfile_name;
use regex::bytes::Regex;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Hook {
    id: String,
    language: String,
    entry: String,
    files: String,
    exclude: String,
    #[serde(default)]
    types: Vec<String>,
    pass_filenames: bool,
    require_serial: bool,
}

fn hooks() -> Vec<Hook> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).expect("read .pre-commit-hooks.yaml");
    serde_saphyr::from_str(&text).expect("parse .pre-commit-hooks.yaml")
}

fn drydock_hook() -> Hook {
    let mut hooks = hooks();
    let at = hooks
        .iter()
        .position(|h| h.id == "drydock")
        .expect("hook `drydock`");
    hooks.swap_remove(at)
}

/// A Python `(?ai)…` pattern as the equivalent `regex` crate pattern.
fn python_ascii_pattern(pattern: &str) -> Regex {
    let rest = pattern
        .strip_prefix("(?ai)")
        .unwrap_or_else(|| panic!("pattern must start with (?ai): {pattern}"));
    Regex::new(&format!("(?i-u){rest}")).expect("valid regex")
}

/// The hook's file selection: `files` matches and `exclude` does not (as `re.search`).
struct Selection {
    files: Regex,
    exclude: Regex,
}

impl Selection {
    fn of(hook: &Hook) -> Self {
        Self {
            files: python_ascii_pattern(&hook.files),
            exclude: python_ascii_pattern(&hook.exclude),
        }
    }

    fn selects(&self, path: &str) -> bool {
        self.files.is_match(path.as_bytes()) && !self.exclude.is_match(path.as_bytes())
    }
}

/// What the walker decides for a repo-relative path: the basename's convention.
fn cli_lints(path: &str) -> bool {
    is_dockerfile_name(path.rsplit('/').next().unwrap_or(path))
}

#[test]
fn hook_fields() {
    let hook = drydock_hook();
    assert_eq!(hook.language, "rust");
    assert_eq!(hook.entry, "drydock check");
    assert!(hook.pass_filenames);
    assert!(!hook.require_serial);
    // identify's `dockerfile` tag is wrong in both directions; only `file` (no symlinks,
    // which the walker skips too) narrows the name regexes.
    assert_eq!(hook.types, ["file"]);
}

/// Tricky names with the answer both must give.
const NAMES: &[(&str, bool)] = &[
    ("Dockerfile", true),
    ("dockerfile", true),
    ("DOCKERFILE", true),
    ("Containerfile", true),
    ("containerfile", true),
    ("Dockerfile.dev", true),
    ("Dockerfile.prod.arm64", true),
    ("Dockerfile.", true),
    ("Dockerfile.in", true),
    ("Dockerfile.template", true),
    ("Dockerfile.md.prod", true),
    ("Containerfile.prod", true),
    ("app.Dockerfile", true),
    ("app.dockerfile", true),
    ("app.DOCKERFILE", true),
    (".Dockerfile", true),
    ("build.containerfile", true),
    ("web.Containerfile", true),
    ("Dockerfile.md.dockerfile", true),
    ("Dockerfile.dockerfile", true),
    ("Dockerfile.dockerignore", false),
    ("dockerfile.DOCKERIGNORE", false),
    ("app.Dockerfile.dockerignore", false),
    ("Containerfile.dockerignore", false),
    ("Dockerfile.md", false),
    ("Dockerfile.MD", false),
    ("Dockerfile..md", false),
    ("Dockerfile.txt", false),
    ("Dockerfile.prod.bak", false),
    ("Dockerfile.swp", false),
    ("Dockerfile.orig", false),
    ("Dockerfile.rej", false),
    ("Dockerfile.patch", false),
    ("Dockerfile.diff", false),
    ("Dockerfile.json", false),
    ("Dockerfile.yml", false),
    ("Dockerfile.yaml", false),
    ("Dockerfile.sh", false),
    ("Dockerfile.py", false),
    ("Dockerfile.go", false),
    ("Dockerfile.vim", false),
    ("Dockerfile.rst", false),
    ("Containerfile.md", false),
    ("Dockerfile.markdown", true),
    ("Dockerfile.mdx", true),
    ("Dockerfile.xmd", true),
    ("MyDockerfile", false),
    ("myDockerfile.dev", false),
    ("Dockerfiles", false),
    ("Dockerfile-dev", false),
    ("Dockerfile_dev", false),
    ("Dockerfile.dev~", true),
    ("appDockerfile", false),
    ("app-dockerfile", false),
    ("dockerfile.j2", true),
    ("README.md", false),
    ("docker-compose.yml", false),
    (".dockerignore", false),
    ("Dockerfile.dockerignore.bak", false),
    // Non-ASCII letters that Unicode case folding maps to `k`, `s` and `i`: the CLI folds
    // ASCII only, so these are not Dockerfile names (and `ſh` is not `sh`).
    ("Doc\u{212A}erfile", false),
    ("Dockerf\u{0131}le", false),
    ("Dockerf\u{0130}le", false),
    ("Dockerfile.\u{017F}h", true),
    ("Dockerfile.\u{00E9}t\u{00E9}", true),
    ("\u{00FC}ber.Dockerfile", true),
];

#[test]
fn hook_selects_the_cli_names() {
    let hook = Selection::of(&drydock_hook());
    for dir in [
        "",
        "sub/",
        "a/b/",
        "Dockerfile.d/",
        "docs.md/",
        ".devcontainer/",
    ] {
        for &(name, expected) in NAMES {
            let path = format!("{dir}{name}");
            assert_eq!(cli_lints(&path), expected, "CLI on {path}");
            assert_eq!(hook.selects(&path), expected, "hook on {path}");
        }
    }
}

#[test]
fn directory_names_do_not_count() {
    let hook = Selection::of(&drydock_hook());
    for path in [
        "Dockerfile/config.json",
        "Dockerfile.d/README",
        "app.Dockerfile/x",
        "Dockerfile.md/Dockerfile.txt",
    ] {
        assert!(!hook.selects(path), "{path}");
        assert!(!cli_lints(path), "{path}");
    }
    assert!(hook.selects("Dockerfile.md/Dockerfile"));
}

/// Every stem × every extension seen around Dockerfiles, in three casings.
#[test]
fn hook_agrees_on_generated_names() {
    let hook = Selection::of(&drydock_hook());
    let stems = [
        "Dockerfile",
        "Containerfile",
        "app.Dockerfile",
        "app",
        "x.containerfile",
    ];
    let extensions = [
        "dockerignore",
        "md",
        "txt",
        "rst",
        "orig",
        "bak",
        "swp",
        "rej",
        "patch",
        "diff",
        "json",
        "yml",
        "yaml",
        "sh",
        "py",
        "go",
        "vim",
        "prod",
        "dev",
        "in",
        "j2",
        "tpl",
        "template",
        "toml",
        "xml",
        "html",
        "lock",
        "arm64",
        "1",
        "dockerfile",
        "containerfile",
        "",
    ];
    let mut checked = 0;
    for stem in stems {
        for ext in extensions {
            for mid in ["", "prod.", "md."] {
                let name = format!("{stem}.{mid}{ext}");
                for name in [name.clone(), name.to_uppercase(), name.to_lowercase()] {
                    assert_eq!(hook.selects(&name), cli_lints(&name), "{name}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, stems.len() * extensions.len() * 3 * 3);
}

/// The original paths of the 4,630 real-world corpus files (when the corpus is present).
#[test]
fn hook_agrees_on_corpus_paths() {
    let manifest = common::corpus_dir().join("MANIFEST.tsv");
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("note: {} not found; skipping", manifest.display());
        }
        return;
    };
    let hook = Selection::of(&drydock_hook());
    let (mut selected, mut total) = (0, 0);
    for line in text.lines().skip(1) {
        let path = line.split('\t').nth(3).expect("path column");
        assert_eq!(hook.selects(path), cli_lints(path), "{path}");
        selected += usize::from(cli_lints(path));
        total += 1;
    }
    assert_eq!(total, 4630);
    // The corpus also keeps `Dockerfile-*`/`_*` names, which neither selects.
    assert!(selected > 4000 && selected < total, "{selected} of {total}");
}
