//! Finding the Dockerfiles to lint: explicit files as given, directories walked with
//! `.gitignore` honoured and the Dockerfile naming conventions applied.

use std::path::{Path, PathBuf};

/// Whether a file name is a Dockerfile or Containerfile by convention (case-insensitive):
/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`, `Containerfile.*`,
/// `*.Containerfile` — but not `Dockerfile.dockerignore` or documentation/backup copies.
#[must_use]
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower == "containerfile" {
        return true;
    }
    if lower.ends_with(".dockerfile") || lower.ends_with(".containerfile") {
        return true;
    }
    let variant = lower
        .strip_prefix("dockerfile.")
        .or_else(|| lower.strip_prefix("containerfile."));
    variant.is_some_and(|suffix| !is_non_dockerfile_extension(suffix))
}

/// Extensions that mark a file next to a Dockerfile rather than a Dockerfile variant.
fn is_non_dockerfile_extension(suffix: &str) -> bool {
    let ext = suffix.rsplit('.').next().unwrap_or(suffix);
    matches!(
        ext,
        "dockerignore"
            | "md"
            | "txt"
            | "rst"
            | "orig"
            | "bak"
            | "swp"
            | "rej"
            | "patch"
            | "diff"
            | "json"
            | "yml"
            | "yaml"
            | "sh"
            | "py"
            | "go"
            | "vim"
    )
}

/// The outcome of discovery: files to lint (sorted, deduplicated) and paths that failed.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub errors: Vec<(PathBuf, String)>,
}

/// Expand `paths`: files are kept whatever their name; directories are walked (hidden
/// entries and `.gitignore`d paths skipped, symlinks not followed).
#[must_use]
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut out),
            Ok(_) => out.files.push(path.clone()),
            Err(e) => out.errors.push((path.clone(), describe(&e))),
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

fn walk(dir: &Path, out: &mut Discovered) {
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(false)
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                if is_file && e.file_name().to_str().is_some_and(is_dockerfile_name) {
                    out.files.push(e.into_path());
                }
            }
            Err(err) => {
                let path = err_path(&err).unwrap_or_else(|| dir.to_path_buf());
                out.errors.push((path, err.to_string()));
            }
        }
    }
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        _ => None,
    }
}

/// An I/O error in words, without Rust's "(os error N)".
#[must_use]
pub fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.prod",
            "Containerfile",
            "Containerfile.arm64",
            "app.Dockerfile",
            "app.dockerfile",
            "build.containerfile",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "Dockerfile.md",
            "Dockerfile.prod.bak",
            "README.md",
            "Dockerfiles",
            "docker-compose.yml",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
