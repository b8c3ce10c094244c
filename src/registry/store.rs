//! Registry answers on disk: the cache (answers with the time they were fetched, reused
//! within a TTL) and snapshots (the answers of one run, replayed offline for reproducible CI).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Answers, Plan, TagAnswer};

/// Format version of the cache and snapshot files.
const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedTag {
    #[serde(flatten)]
    answer: TagAnswer,
    fetched_at: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedList {
    tags: Vec<String>,
    fetched_at: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    #[serde(default)]
    tags: BTreeMap<String, CachedTag>,
    #[serde(default)]
    indexes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    tag_lists: BTreeMap<String, CachedList>,
}

/// The registry cache: tag -> digest and tag lists with their fetch time; index children
/// never expire (an index digest names fixed content).
#[derive(Debug, Clone)]
pub struct Cache {
    path: PathBuf,
    data: CacheFile,
}

impl Cache {
    /// `$XDG_CACHE_HOME/drydock/registry.json`, else `$HOME/.cache/drydock/registry.json`.
    #[must_use]
    pub fn default_path() -> Option<PathBuf> {
        let dir = std::env::var_os("XDG_CACHE_HOME")
            .filter(|d| !d.is_empty() && Path::new(d).is_absolute())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|d| !d.is_empty())
                    .map(|h| Path::new(&h).join(".cache"))
            })?;
        Some(dir.join("drydock").join("registry.json"))
    }

    /// Load the cache at `path`; a missing file is an empty cache.
    ///
    /// # Errors
    /// The file cannot be read or is not a cache (the cache then starts empty).
    pub fn load(path: &Path) -> (Cache, Option<String>) {
        let empty = |path: &Path| Cache {
            path: path.to_owned(),
            data: CacheFile {
                version: VERSION,
                ..CacheFile::default()
            },
        };
        match std::fs::read_to_string(path) {
            Ok(text) => match serde_json::from_str::<CacheFile>(&text) {
                Ok(data) if data.version == VERSION => (
                    Cache {
                        path: path.to_owned(),
                        data,
                    },
                    None,
                ),
                _ => (
                    empty(path),
                    Some(format!(
                        "{}: not a drydock registry cache; starting a new one",
                        path.display()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (empty(path), None),
            Err(e) => (
                empty(path),
                Some(format!("cannot read {}: {e}", path.display())),
            ),
        }
    }

    /// The answers of `plan` fetched at most `ttl` seconds before `now`, and what is left to ask.
    #[must_use]
    pub fn lookup(&self, plan: &Plan, now: u64, ttl: u64) -> (Answers, Plan) {
        let fresh = |at: u64| ttl > 0 && now.saturating_sub(at) <= ttl && at <= now;
        let mut known = Answers::default();
        known.indexes.clone_from(&self.data.indexes);
        for (key, t) in &self.data.tags {
            if fresh(t.fetched_at) {
                known.tags.insert(key.clone(), t.answer.clone());
            }
        }
        for (key, l) in &self.data.tag_lists {
            if fresh(l.fetched_at) {
                known.tag_lists.insert(key.clone(), l.tags.clone());
            }
        }
        known.answering(plan)
    }

    /// Remember `answers`, fetched at `now`.
    pub fn store(&mut self, answers: &Answers, now: u64) {
        for (key, answer) in &answers.tags {
            self.data.tags.insert(
                key.clone(),
                CachedTag {
                    answer: answer.clone(),
                    fetched_at: now,
                },
            );
        }
        self.data
            .indexes
            .extend(answers.indexes.iter().map(|(k, v)| (k.clone(), v.clone())));
        for (key, tags) in &answers.tag_lists {
            self.data.tag_lists.insert(
                key.clone(),
                CachedList {
                    tags: tags.clone(),
                    fetched_at: now,
                },
            );
        }
    }

    /// Write the cache (atomically).
    ///
    /// # Errors
    /// The directory or file cannot be written.
    pub fn save(&self) -> Result<(), String> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(&self.data).unwrap_or_default();
        write_atomic(&self.path, text.as_bytes())
    }
}

impl Answers {
    /// The answers to `plan` found here, and the questions left unanswered. A tag whose
    /// pins differ from a known index digest needs the index's children too.
    #[must_use]
    pub fn answering(&self, plan: &Plan) -> (Answers, Plan) {
        let mut found = Answers::default();
        let mut left = Plan::default();
        for ((repo, tag), pins) in &plan.tags {
            let key = repo.tag_key(tag);
            let Some(answer) = self.tags.get(&key) else {
                left.tags.insert((repo.clone(), tag.clone()), pins.clone());
                continue;
            };
            let needs_children = pins.iter().any(|p| *p != answer.digest)
                && answer.media_type.as_deref().is_some_and(super::is_index);
            match self.indexes.get(&answer.digest) {
                Some(children) => {
                    found
                        .indexes
                        .insert(answer.digest.clone(), children.clone());
                }
                None if needs_children => {
                    left.tags.insert((repo.clone(), tag.clone()), pins.clone());
                    continue;
                }
                None => {}
            }
            found.tags.insert(key, answer.clone());
        }
        for repo in &plan.tag_lists {
            match self.tag_lists.get(&repo.key()) {
                Some(tags) => {
                    found.tag_lists.insert(repo.key(), tags.clone());
                }
                None => {
                    left.tag_lists.insert(repo.clone());
                }
            }
        }
        (found, left)
    }
}

#[derive(Serialize, Deserialize)]
struct SnapshotFile {
    version: u32,
    #[serde(flatten)]
    answers: Answers,
}

/// Read a snapshot written by [`save_snapshot`].
///
/// # Errors
/// The file cannot be read or is not a snapshot.
pub fn load_snapshot(path: &Path) -> Result<Answers, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read registry snapshot {}: {e}", path.display()))?;
    let file: SnapshotFile = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a drydock registry snapshot: {e}", path.display()))?;
    if file.version != VERSION {
        return Err(format!(
            "{}: registry snapshot version {} (this drydock reads version {VERSION})",
            path.display(),
            file.version
        ));
    }
    Ok(file.answers)
}

/// Write the answers of a run as a snapshot (sorted keys, so it diffs well).
///
/// # Errors
/// The file cannot be written.
pub fn save_snapshot(path: &Path, answers: &Answers) -> Result<(), String> {
    let file = SnapshotFile {
        version: VERSION,
        answers: answers.clone(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Write `bytes` to `path` through a temporary file in the same directory and a rename,
/// keeping the permissions of an existing file.
///
/// # Errors
/// Any I/O failure, described with the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.drydock-{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    std::fs::write(&tmp, bytes).map_err(fail)?;
    if let Ok(meta) = std::fs::metadata(path) {
        if let Err(e) = std::fs::set_permissions(&tmp, meta.permissions()) {
            let _ = std::fs::remove_file(&tmp);
            return Err(fail(e));
        }
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Repository;

    fn plan() -> Plan {
        let repo = Repository {
            host: "docker.io".into(),
            path: "library/alpine".into(),
        };
        let mut plan = Plan::default();
        plan.tags.insert(
            (repo.clone(), "3.19".into()),
            ["sha256:c1".to_owned()].into(),
        );
        plan.tag_lists.insert(repo);
        plan
    }

    #[test]
    fn cache_honours_the_ttl_and_needs_children_of_indexes() {
        let dir = std::env::temp_dir().join(format!("drydock-cache-test-{}", std::process::id()));
        let path = dir.join("registry.json");
        let (mut cache, note) = Cache::load(&path);
        assert!(note.is_none());
        let answers =
            Answers::parse_inline(&["alpine:3.19@sha256:aa+sha256:c1"], &["alpine=3.19.1"])
                .unwrap();
        cache.store(&answers, 1000);
        cache.save().unwrap();
        let (cache, _) = Cache::load(&path);
        let (found, left) = cache.lookup(&plan(), 1100, 3600);
        assert!(left.is_empty());
        assert_eq!(found, answers);
        let (found, left) = cache.lookup(&plan(), 1000 + 3601, 3600);
        assert_eq!(left.len(), 2);
        // The index children stay: they are content-addressed.
        assert_eq!(found.indexes.len(), 0);
        std::fs::write(&path, "{garbage").unwrap();
        assert!(Cache::load(&path).1.is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_index_without_children_is_asked_again() {
        let mut answers = Answers::parse_inline(&["alpine:3.19@sha256:aa+sha256:c1"], &[]).unwrap();
        answers.indexes.clear();
        let (found, left) = answers.answering(&plan());
        assert!(found.tags.is_empty());
        assert_eq!(left.tags.len(), 1);
        assert_eq!(left.tag_lists.len(), 1);
    }
}
