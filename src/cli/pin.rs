//! `drydock pin`: pin `FROM image:tag` to `image:tag@sha256:<digest>` and refresh stale
//! digests, editing the image word only (line endings, BOM and everything else kept), with an
//! atomic write; `--diff` prints a unified diff instead.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use drydock::discover;
use drydock::registry::{pin, store, Plan};
use drydock::source::decode;

use super::online::{self, OnlineArgs, OnlineMode};
use super::settings::{Overrides, Resolver, SettingsSource};
use super::{exit, report_error, report_note};

#[derive(Debug, Args)]
pub(crate) struct PinArgs {
    /// Dockerfiles or directories to pin (directories are searched as `check` does).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print a unified diff instead of writing the files.
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    online: OnlineArgs,
}

/// Pin every file; exit 0 when done, 2 on errors.
pub(crate) fn run(args: &PinArgs, out: &mut dyn Write) -> u8 {
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let found = discover::discover(&paths);
    let mut failed = false;
    for (path, message) in &found.errors {
        report_error(&format!("{}: {message}", path.display()));
        failed = true;
    }
    let mut files = Vec::new();
    for path in &found.files {
        match std::fs::read(path) {
            Ok(bytes) => files.push((path.clone(), bytes)),
            Err(e) => {
                report_error(&format!("{}: {}", path.display(), discover::describe(&e)));
                failed = true;
            }
        }
    }
    let mut plan = Plan::default();
    let mut insecure = Vec::new();
    let mut resolver = Resolver::new(SettingsSource::Discover, Overrides::default()).ok();
    for (path, bytes) in &files {
        let decoded = decode(bytes.clone());
        let dockerfile = drydock::syntax::parse_decoded(&decoded);
        online::plan_file(&mut plan, &decoded.text, &dockerfile, true, true, false);
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        if let Some(s) = resolver.as_mut().and_then(|r| r.for_file(&dir).ok()) {
            insecure.extend(s.settings.policy.insecure_registries.clone());
        }
    }
    // Pinning needs the registry: online unless a snapshot is replayed.
    let mut online = args.online.clone();
    if online.online.is_none() && !online.active() {
        online.online = Some(OnlineMode::BestEffort);
    }
    let gathered = match online.gather(&plan, &insecure) {
        Ok(g) => g,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };
    for n in &gathered.notes {
        report_note(n);
        failed |= n.error;
    }
    let answers = gathered.answers.unwrap_or_default();
    for (path, bytes) in &files {
        let decoded = decode(bytes.clone());
        let dockerfile = drydock::syntax::parse_decoded(&decoded);
        let plan = pin::plan(&decoded.text, &dockerfile, &answers);
        let shown = path.to_string_lossy().replace('\\', "/");
        for (line, reason) in &plan.skipped {
            report_note(&drydock::report::Note {
                message: format!("pin: {shown}:{line}: skipped: {reason}"),
                error: false,
            });
        }
        if plan.edits.is_empty() {
            continue;
        }
        let new = pin::apply(bytes, &plan.edits);
        if args.diff {
            let _ = out.write_all(
                pin::unified_diff(shown.trim_start_matches("./"), bytes, &new).as_bytes(),
            );
        } else if let Err(e) = store::write_atomic(path, &new) {
            report_error(&e);
            failed = true;
        }
    }
    if failed {
        exit::ERROR
    } else {
        exit::OK
    }
}
