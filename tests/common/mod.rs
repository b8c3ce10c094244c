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

/// The rows of `tests/data/<name>`: `id<TAB>second<TAB>third`, `#` comments and blank lines
/// skipped; every row has three columns, a non-empty third one, and a unique id.
pub(crate) fn read_tsv(
    name: &str,
    header: &str,
) -> std::collections::BTreeMap<String, (String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {name}: {e}"));
    let mut out = std::collections::BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "{name} line {}: want `{header}`", n + 1);
        assert!(
            !cols[2].trim().is_empty(),
            "{name} line {}: the last column is empty",
            n + 1
        );
        let dup = out.insert(cols[0].to_owned(), (cols[1].to_owned(), cols[2].to_owned()));
        assert!(dup.is_none(), "{} is listed twice in {name}", cols[0]);
    }
    out
}
