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
        let dir = match dockerfile.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let specific = dockerfile
            .file_name()
            .map(|n| format!("{}.dockerignore", n.to_string_lossy()));
        let ignore = specific
            .into_iter()
            .chain([".dockerignore".to_owned()])
            .find_map(|name| {
                let text = std::fs::read_to_string(dir.join(&name)).ok()?;
                Some(IgnoreFile::parse(&name, &text))
            });
        let present = SENSITIVE_ENTRIES
            .iter()
            .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
            .map(|name| (*name).to_owned())
            .collect();
        BuildContext { ignore, present }
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
