//! What drydock knows of a Dockerfile's build context: the `.dockerignore` in force and
//! which well-known sensitive or bulky entries sit at the top of the context. The context is
//! taken to be the Dockerfile's directory (`docker build -f dir/Dockerfile dir`), the
//! common layout.
//!
//! `.dockerignore` matching follows moby's patternmatcher: patterns are cleaned paths
//! relative to the context root, `*` and `?` stay within one path component, `**` spans
//! any number of them, `[...]` is a character class, `\` escapes, a pattern also matches
//! everything below a directory it matches, a leading `!` re-includes, and the last
//! matching pattern wins.

use std::path::Path;

use regex::Regex;

/// Names checked at the top of the context: version-control data, credentials and
/// host-built dependencies that a `COPY .` would ship.
pub const SENSITIVE_ENTRIES: &[&str] = &[
    ".git",
    ".env",
    ".aws",
    ".ssh",
    ".docker",
    ".npmrc",
    ".pypirc",
    ".netrc",
    "id_rsa",
    "id_ed25519",
    ".terraform",
    "node_modules",
];

/// A Dockerfile's build context.
#[derive(Debug, Clone, Default)]
pub struct BuildContext {
    /// The ignore file in force, if any.
    pub ignore: Option<IgnoreFile>,
    /// Which of [`SENSITIVE_ENTRIES`] exist at the top of the context, in that order.
    pub present: Vec<String>,
}

impl BuildContext {
    /// The context of the Dockerfile at `dockerfile`: its directory. The ignore file is
    /// `<Dockerfile name>.dockerignore` beside it if that exists (BuildKit prefers it),
    /// else `.dockerignore`. An ignore file that cannot be read counts as absent.
    #[must_use]
    pub fn of_dockerfile(dockerfile: &Path) -> BuildContext {
        let dir = directory_of(dockerfile);
        match specific_ignore(dockerfile, dir) {
            Some(ignore) => BuildContext {
                ignore: Some(ignore),
                present: present_entries(dir),
            },
            None => directory_context(dir),
        }
    }
}

/// The directory a Dockerfile's context is taken to be.
fn directory_of(dockerfile: &Path) -> &Path {
    match dockerfile.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `<Dockerfile name>.dockerignore` beside the Dockerfile, if it can be read.
fn specific_ignore(dockerfile: &Path, dir: &Path) -> Option<IgnoreFile> {
    let name = format!("{}.dockerignore", dockerfile.file_name()?.to_string_lossy());
    let text = std::fs::read_to_string(dir.join(&name)).ok()?;
    Some(IgnoreFile::parse(&name, &text))
}

/// The context of `dir` for a Dockerfile without its own ignore file.
fn directory_context(dir: &Path) -> BuildContext {
    let name = ".dockerignore";
    let ignore = std::fs::read_to_string(dir.join(name))
        .ok()
        .map(|text| IgnoreFile::parse(name, &text));
    BuildContext {
        ignore,
        present: present_entries(dir),
    }
}

/// Which of [`SENSITIVE_ENTRIES`] exist in `dir`.
fn present_entries(dir: &Path) -> Vec<String> {
    SENSITIVE_ENTRIES
        .iter()
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .map(|name| (*name).to_owned())
        .collect()
}

/// Build contexts of the Dockerfiles of one run, read once per directory: many
/// Dockerfiles in one directory share its `.dockerignore` and entries. Safe to share
/// between threads.
#[derive(Debug, Default)]
pub struct ContextCache {
    dirs: std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, BuildContext>>,
}

impl ContextCache {
    /// [`BuildContext::of_dockerfile`], with the directory's part read once.
    pub fn of_dockerfile(&self, dockerfile: &Path) -> BuildContext {
        let dir = directory_of(dockerfile);
        if let Some(ignore) = specific_ignore(dockerfile, dir) {
            return BuildContext {
                ignore: Some(ignore),
                present: present_entries(dir),
            };
        }
        let cached = self
            .dirs
            .lock()
            .ok()
            .and_then(|dirs| dirs.get(dir).cloned());
        if let Some(context) = cached {
            return context;
        }
        let context = directory_context(dir);
        if let Ok(mut dirs) = self.dirs.lock() {
            dirs.insert(dir.to_path_buf(), context.clone());
        }
        context
    }
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    /// The file's name, as messages show it (`.dockerignore`, `app.Dockerfile.dockerignore`).
    pub name: String,
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    regex: Regex,
    /// How many path components the pattern has (for matching parent directories).
    components: usize,
    exclusion: bool,
}

impl IgnoreFile {
    /// Parse the text of an ignore file named `name`. Comment lines (`#`), blank lines and
    /// patterns that do not compile are skipped.
    #[must_use]
    pub fn parse(name: &str, text: &str) -> IgnoreFile {
        let patterns = text
            .lines()
            .filter_map(|line| {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    return None;
                }
                let (exclusion, pattern) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, line),
                };
                let cleaned = clean(pattern);
                if cleaned.is_empty() {
                    return None;
                }
                let regex = Regex::new(&to_regex(&cleaned)).ok()?;
                Some(Pattern {
                    components: cleaned.split('/').count(),
                    regex,
                    exclusion,
                })
            })
            .collect();
        IgnoreFile {
            name: name.to_owned(),
            patterns,
        }
    }

    /// Whether `path` (relative to the context root) is left out of the context: the last
    /// pattern that matches it, or one of its parent directories, is not a `!` pattern.
    #[must_use]
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        if path.is_empty() || path == "." {
            return false;
        }
        let parents: Vec<&str> = path.split('/').collect();
        let parents = &parents[..parents.len() - 1];
        let mut excluded = false;
        for p in &self.patterns {
            let matched = p.regex.is_match(&path)
                || (!parents.is_empty()
                    && p.components <= parents.len()
                    && p.regex.is_match(&parents[..p.components].join("/")));
            if matched {
                excluded = !p.exclusion;
            }
        }
        excluded
    }
}

/// A path cleaned as Go's `filepath.Clean` does, without a leading `/` or `./`:
/// `./a//b/../c/` becomes `a/c`. `..` above the root is kept.
#[must_use]
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The anchored regex of a cleaned pattern.
fn to_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                // `**/` is `**`: any number of directories, none included.
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                out.push_str(if chars.peek().is_none() {
                    ".*"
                } else {
                    "(.*/)?"
                });
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '\\' => match chars.next() {
                Some(next) => out.push_str(&regex::escape(&next.to_string())),
                None => out.push_str("\\\\"),
            },
            '[' | ']' | '-' | '^' => out.push(c),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(patterns: &str, path: &str) -> bool {
        IgnoreFile::parse(".dockerignore", patterns).excludes(path)
    }

    #[test]
    fn cached_contexts_equal_uncached_ones_and_keep_specific_ignore_files() {
        let dir = std::env::temp_dir().join(format!("drydock-ctx-cache-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(dir.join(".dockerignore"), "secret\n").unwrap();
        std::fs::write(dir.join("app.Dockerfile.dockerignore"), "!x\n").unwrap();
        let cache = ContextCache::default();
        for name in [
            "Dockerfile",
            "app.Dockerfile",
            "other.Dockerfile",
            "Dockerfile",
        ] {
            let path = dir.join(name);
            let cached = cache.of_dockerfile(&path);
            let direct = BuildContext::of_dockerfile(&path);
            let ignore_name = |c: &BuildContext| c.ignore.as_ref().map(|i| i.name.clone());
            assert_eq!(ignore_name(&cached), ignore_name(&direct), "{name}");
            assert_eq!(cached.present, [".git"], "{name}");
            let expected = if name == "app.Dockerfile" {
                "app.Dockerfile.dockerignore"
            } else {
                ".dockerignore"
            };
            assert_eq!(ignore_name(&cached).as_deref(), Some(expected), "{name}");
        }
        assert_eq!(cache.dirs.lock().unwrap().len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn cleans_paths_like_go() {
        assert_eq!(clean("./a//b/../c/"), "a/c");
        assert_eq!(clean("/etc/x"), "etc/x");
        assert_eq!(clean("../x"), "../x");
        assert_eq!(clean("."), "");
    }

    #[test]
    fn star_stays_in_one_component_and_double_star_spans_many() {
        assert!(excluded("*.md", "README.md"));
        assert!(!excluded("*.md", "docs/README.md"));
        assert!(excluded("**/*.md", "docs/api/README.md"));
        assert!(excluded("**/*.md", "README.md"));
        assert!(excluded("*/tmp/*", "src/tmp/x"));
        assert!(!excluded("*/tmp/*", "tmp/x"));
        assert!(excluded("**", "anything/at/all"));
        assert!(excluded("file?.txt", "file1.txt"));
        assert!(excluded("file[0-9].txt", "file7.txt"));
        assert!(!excluded("file[0-9].txt", "filex.txt"));
    }

    #[test]
    fn a_directory_pattern_covers_what_is_below_it() {
        assert!(excluded("node_modules", "node_modules/x/index.js"));
        assert!(excluded("/build/", "build/out.bin"));
        assert!(excluded("./.git", ".git"));
        assert!(!excluded("node_modules", "src/node_modules/x"));
    }

    #[test]
    fn the_last_matching_pattern_wins_and_bang_re_includes() {
        let p = "# comment\n*\n!src\n!package.json\nsrc/secret.txt\n";
        assert!(excluded(p, "README.md"));
        assert!(!excluded(p, "package.json"));
        assert!(!excluded(p, "src/main.rs"));
        assert!(excluded(p, "src/secret.txt"));
        assert!(!excluded("", "anything"));
    }

    #[test]
    fn escapes_and_literal_characters() {
        assert!(excluded("a+b.(c)", "a+b.(c)"));
        assert!(excluded(r"\*.txt", "*.txt"));
        assert!(!excluded(r"\*.txt", "x.txt"));
    }
}
