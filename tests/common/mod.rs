//! Helpers shared by the integration tests that read the real-world corpus.
#![allow(dead_code, clippy::print_stderr)] // each test crate uses a part; notes go to stderr

use std::path::PathBuf;

/// `<repo>/../shared/corpus`: CI clones the repository next to `shared/`.
pub(crate) fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// `(id, path)` of every corpus file, sorted by id; `None` (with a note naming `what` is
/// skipped) when the corpus is absent.
pub(crate) fn corpus_files(what: &str) -> Option<Vec<(String, PathBuf)>> {
    let dir = corpus_dir().join("files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "note: corpus not found at {}; skipping {what}",
            dir.display()
        );
        return None;
    };
    let mut files: Vec<(String, PathBuf)> = entries
        .map(|e| e.expect("read corpus directory entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let id = name.split('.').next().unwrap_or(&name).to_owned();
            (id, p)
        })
        .collect();
    files.sort();
    Some(files)
}
