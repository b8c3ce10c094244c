//! `--online`, the registry cache and snapshots: gather the registry answers the rules need
//! before linting (the engine stays pure). Without `--online` and without a snapshot to
//! replay, nothing here touches the network.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, ValueEnum};
use drydock::registry::client::{Client, Options};
use drydock::registry::store::{self, Cache};
use drydock::registry::{Answers, PatchTag, Plan, Repository};
use drydock::report::Note;
use drydock::semantic::Model;
use drydock::syntax::Dockerfile;

/// The online options shared by `check` and `pin`.
#[derive(Debug, Args, Default, Clone)]
pub(crate) struct OnlineArgs {
    /// Ask registries what tags resolve to (DD110, DD111, `pin`). Network failures become
    /// notes; `--online=required` makes them errors (exit 2).
    #[arg(
        long,
        value_enum,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "best-effort",
        value_name = "MODE"
    )]
    pub(crate) online: Option<OnlineMode>,
    /// Reuse cached registry answers younger than this (e.g. 30m, 6h, 1d; 0 disables).
    #[arg(long, value_name = "DURATION", default_value = "6h")]
    cache_ttl: String,
    /// Ignore cached answers (they are still refreshed in the cache).
    #[arg(long)]
    refresh: bool,
    /// The registry cache file [default: $XDG_CACHE_HOME/drydock/registry.json].
    #[arg(long, value_name = "FILE")]
    cache_file: Option<PathBuf>,
    /// With --online: record the registry answers of this run in FILE. Without: replay them
    /// from FILE, with no network access.
    #[arg(long, value_name = "FILE")]
    registry_snapshot: Option<PathBuf>,
    /// Time limit of one registry request.
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    registry_timeout: String,
}

/// How failures of online checks count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnlineMode {
    /// Failures are notes.
    BestEffort,
    /// Failures are errors (exit 2).
    Required,
}

/// The registry answers of a run and what to tell the user.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    pub(crate) answers: Option<Answers>,
    pub(crate) notes: Vec<Note>,
    /// HTTP requests sent.
    pub(crate) requests: usize,
}

impl OnlineArgs {
    /// Whether registry answers are available at all (online, or a snapshot to replay).
    pub(crate) fn active(&self) -> bool {
        self.online.is_some() || self.registry_snapshot.is_some()
    }

    /// Answer `plan`: from the snapshot offline, else from the cache and the registries.
    ///
    /// # Errors
    /// A bad flag value, an unreadable snapshot, or a snapshot that cannot be written.
    pub(crate) fn gather(&self, plan: &Plan, insecure: &[String]) -> Result<Gathered, String> {
        let timeout = parse_duration(&self.registry_timeout)
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                format!(
                    "invalid --registry-timeout `{}`: expected e.g. 10s",
                    self.registry_timeout
                )
            })?;
        let ttl = parse_duration(&self.cache_ttl).ok_or_else(|| {
            format!(
                "invalid --cache-ttl `{}`: expected e.g. 30m, 6h, 1d or 0",
                self.cache_ttl
            )
        })?;
        let Some(mode) = self.online else {
            return match &self.registry_snapshot {
                Some(path) => Ok(replay(path, plan)?),
                None => Ok(Gathered::default()),
            };
        };
        let required = mode == OnlineMode::Required;
        let mut gathered = Gathered::default();
        let now = unix_now();
        let cache_path = self.cache_file.clone().or_else(Cache::default_path);
        let mut cache = cache_path.as_deref().map(|p| {
            let (cache, problem) = Cache::load(p);
            if let Some(p) = problem {
                gathered.notes.push(note(p, false));
            }
            cache
        });
        let (mut answers, left) = match (&cache, self.refresh) {
            (Some(c), false) => c.lookup(plan, now, ttl.as_secs()),
            _ => (Answers::default(), plan.clone()),
        };
        if !left.is_empty() {
            let options = Options {
                timeout,
                insecure: insecure.to_vec(),
                ..Options::default()
            };
            let client = Client::new(options).map_err(|e| format!("online checks: {e}"))?;
            let fetched = client.fetch(&left);
            gathered.requests = client.requests();
            for n in fetched.notes {
                gathered.notes.push(note(n.message, required && n.network));
            }
            if let Some(cache) = cache.as_mut() {
                cache.store(&fetched.answers, now);
                if let Err(e) = cache.save() {
                    gathered
                        .notes
                        .push(note(format!("registry cache not saved: {e}"), false));
                }
            }
            answers.merge(fetched.answers);
        }
        if let Some(path) = &self.registry_snapshot {
            store::save_snapshot(path, &answers)?;
        }
        gathered.answers = Some(answers);
        Ok(gathered)
    }
}

/// Replay a snapshot: its answers to `plan`, a note for each question it cannot answer.
fn replay(path: &std::path::Path, plan: &Plan) -> Result<Gathered, String> {
    let snapshot = store::load_snapshot(path)?;
    let (answers, left) = snapshot.answering(plan);
    let mut notes = Vec::new();
    for (repo, tag) in left.tags.keys() {
        notes.push(note(
            format!("{} is not in the registry snapshot", repo.tag_key(tag)),
            false,
        ));
    }
    for repo in &left.tag_lists {
        notes.push(note(
            format!(
                "the tag list of {} is not in the registry snapshot",
                repo.key()
            ),
            false,
        ));
    }
    Ok(Gathered {
        answers: Some(answers),
        notes,
        requests: 0,
    })
}

fn note(message: String, error: bool) -> Note {
    Note {
        message: format!("online: {message}"),
        error,
    }
}

/// What to ask about the external images of one file: `pins` adds every tagged image's tag
/// (DD110 and `drydock pin`; untagged pins are checked by their digest only), `patches` the
/// tag lists of `X.Y.Z` tags (DD111).
pub(crate) fn plan_file(
    plan: &mut Plan,
    source: &str,
    dockerfile: &Dockerfile,
    pins: bool,
    all_tags: bool,
    patches: bool,
) {
    let model = Model::new(source, dockerfile);
    for (_, _, resolved) in model.external_images() {
        let (Some(repo), Some(tag)) = (Repository::of(resolved), &resolved.tag) else {
            continue;
        };
        let digest = resolved.digest.as_ref().map(|d| d.text.clone());
        if (pins && digest.is_some()) || all_tags {
            let entry = plan
                .tags
                .entry((repo.clone(), tag.text.clone()))
                .or_default();
            entry.extend(digest);
        }
        if patches && PatchTag::parse(&tag.text).is_some() {
            plan.tag_lists.insert(repo);
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `90s`, `30m`, `6h`, `1d`, `500ms`, or bare seconds.
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().ok()?;
    let secs = match unit {
        "ms" => return Some(Duration::from_millis(n)),
        "" | "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("6h"), Some(Duration::from_secs(21600)));
        assert_eq!(parse_duration("0"), Some(Duration::ZERO));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("1d"), Some(Duration::from_secs(86400)));
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("5 h"), None);
        assert_eq!(parse_duration("-1s"), None);
    }
}
