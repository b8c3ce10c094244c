//! `drydock check` (the default command): lint Dockerfiles and report.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use drydock::build_context::ContextCache;
use drydock::date::Date;
use drydock::diagnostic::Severity;
use drydock::discover::{self, describe};
use drydock::engine;
use drydock::fix::{self, Applicability};
use drydock::report::{self, FileOutcome, InputError, RunOutcome};

use drydock::registry::Plan;

use super::online::{self, Gathered, OnlineArgs};
use super::settings::{self, FailLevel, SettingsSource};
use super::{exit, input, report_error, report_note};

#[derive(Debug, Args, Default)]
pub(crate) struct CheckArgs {
    /// Files or directories to lint (directories are searched for Dockerfiles and
    /// Containerfiles, honouring .gitignore); `-` reads standard input.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Only these rules (codes, names, categories, hadolint codes, or `all`); replaces the
    /// config's `select`. Comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Option<Vec<String>>,
    /// Skip these rules; replaces the config's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Option<Vec<String>>,
    /// Exit with 1 when a finding is at least this severe [default: warning].
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_level: Option<FailLevel>,
    /// Judge dates (end of life) as of this day, YYYY-MM-DD [default: SOURCE_DATE_EPOCH, else today].
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// When to use colours (NO_COLOR and CLICOLOR_FORCE are honoured under `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print findings only: no summary line.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Use this configuration file instead of discovering `.drydock.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    no_config: bool,
    /// How many files to lint at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    threads: Option<std::num::NonZeroUsize>,
    /// The path to report (and find the configuration from) when reading standard input.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Apply the safe fixes to the files (standard input: print the fixed file), then report
    /// what is left.
    #[arg(long)]
    fix: bool,
    /// Apply the unsafe fixes too (fixes that may change what the build does; implies
    /// `--fix` unless `--diff` is given).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print a unified diff of the fixes instead of writing them or reporting findings; exit 1
    /// when there is something to fix.
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    online: OnlineArgs,
}

/// What `--fix`, `--unsafe-fixes` and `--diff` ask for.
#[derive(Debug, Clone, Copy)]
struct FixMode {
    which: Applicability,
    /// Write the fixed files (else print a diff).
    write: bool,
}

impl CheckArgs {
    fn fix_mode(&self) -> Option<FixMode> {
        let which = if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        (self.fix || self.unsafe_fixes || self.diff).then_some(FixMode {
            which,
            write: !self.diff,
        })
    }
}

/// A file read and ready to lint.
struct Loaded {
    target: Target,
    settings: drydock::config::Resolved,
    decoded: drydock::source::Decoded,
    /// The file's bytes, kept only when fixing (invalid UTF-8 is written back as it was).
    bytes: Option<Vec<u8>>,
}

/// What linting (and fixing) one file gave.
struct Linted {
    /// The findings left (after fixing, those of the fixed text).
    findings: Vec<drydock::diagnostic::Finding>,
    /// The fix outcome and the fixed text, when fixing.
    fixed: Option<(fix::Outcome, drydock::source::Decoded)>,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
enum Format {
    #[default]
    Human,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    Checkstyle,
    Junit,
    /// `file:line:col: severity: message [code]`.
    Gnu,
    /// reviewdog's rdjson.
    Rdjson,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Lint, report, and return the exit code.
pub(crate) fn run(args: &CheckArgs, out: &mut dyn Write) -> u8 {
    let today = match resolve_today(args.today.as_deref()) {
        Ok(d) => d,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };
    let source = if args.no_config {
        SettingsSource::None
    } else if let Some(path) = &args.config {
        SettingsSource::File(path.clone())
    } else {
        SettingsSource::Discover
    };
    let overrides = settings::Overrides {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_level: args.fail_level,
        today: Some(today),
    };
    let mut resolver = match settings::Resolver::new(source, overrides) {
        Ok(r) => r,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };

    let mode = args.fix_mode();
    let (targets, mut errors) = targets(args);
    let mut outcome = RunOutcome::default();
    let mut config_error = false;
    let mut reported = std::collections::HashSet::new();
    let mut files = Vec::new();
    for target in targets {
        let settings = match resolver.for_file(&target.config_dir) {
            Ok(s) => s,
            Err(message) => {
                // One broken configuration serves many files: say it once.
                if reported.insert(message.clone()) {
                    report_error(&message);
                }
                config_error = true;
                continue;
            }
        };
        for rule in settings.settings.custom.iter() {
            if !outcome.custom_rules.iter().any(|r| r.code == rule.code) {
                outcome.custom_rules.push(rule.clone());
            }
        }
        let keep_bytes = mode.is_some();
        match input::read_bytes(&target.read_from) {
            Ok(bytes) => {
                let kept = keep_bytes.then(|| bytes.clone());
                files.push(Loaded {
                    target,
                    settings,
                    decoded: drydock::source::decode(bytes),
                    bytes: kept,
                });
            }
            Err(message) => errors.push(InputError {
                path: target.display.clone(),
                message,
            }),
        }
    }
    let gathered = match registry_answers(&args.online, &files, mode.is_some()) {
        Ok(g) => g,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };
    let answers = gathered.answers.as_ref();
    let linted = lint_in_parallel(&files, answers, args.threads, mode);
    let mut fails = false;
    let mut fixes = Fixes::default();
    for (file, linted) in files.into_iter().zip(linted) {
        let Loaded {
            target,
            settings,
            mut decoded,
            bytes,
        } = file;
        if let (Some(mode), Some((fixed, text)), Some(bytes)) = (mode, linted.fixed, bytes) {
            match fixes.take(mode, &target, &bytes, fixed, out) {
                Ok(()) => decoded = text,
                Err(e) => errors.push(InputError {
                    path: target.display.clone(),
                    message: e,
                }),
            }
        }
        fails |= linted
            .findings
            .iter()
            .any(|f| settings.fail_level.fails(f.severity));
        outcome.files.push(FileOutcome {
            path: target.display,
            source: Arc::new(decoded.text),
            findings: linted.findings,
        });
    }
    outcome.fixed = fixes.applied;
    outcome.notes.extend(fixes.notes.iter().cloned());
    for e in &errors {
        report_error(&format!("{}: {}", e.path, e.message));
    }
    for n in gathered.notes.iter().chain(&fixes.notes) {
        report_note(n);
    }
    let online_failed = gathered.notes.iter().any(|n| n.error);
    outcome.errors = errors;
    outcome.notes.splice(0..0, gathered.notes);
    if mode.is_some_and(|m| !m.write) {
        let _ = out.write_all(fixes.diff.as_bytes());
        if !args.quiet {
            eprintln_quiet(&fixes.diff_summary(outcome.files.len()));
        }
    } else if fixes.to_stdout {
        // The fixed file went to standard output: the report goes to standard error.
        emit(args, &outcome, &mut std::io::stderr());
    } else {
        emit(args, &outcome, out);
    }
    if config_error || online_failed || !outcome.errors.is_empty() {
        exit::ERROR
    } else if mode.is_some_and(|m| !m.write) {
        if fixes.files > 0 {
            exit::FINDINGS
        } else {
            exit::OK
        }
    } else if fails {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// What the fixes of the run did, gathered file by file in input order.
#[derive(Default)]
struct Fixes {
    /// Fixes applied (or, under `--diff`, that would be).
    applied: usize,
    /// Files changed.
    files: usize,
    /// The unified diffs, under `--diff`.
    diff: String,
    notes: Vec<report::Note>,
    /// A fixed standard input was printed.
    to_stdout: bool,
}

impl Fixes {
    /// Account for one file's fix outcome: write it, print it, or add its diff.
    fn take(
        &mut self,
        mode: FixMode,
        target: &Target,
        original: &[u8],
        fixed: fix::Outcome,
        out: &mut dyn Write,
    ) -> Result<(), String> {
        for r in &fixed.rejected {
            self.notes.push(report::Note {
                message: format!(
                    "{}: {} fix not applied ({}): it would add a syntax error",
                    target.display, r.code, r.description
                ),
                error: false,
            });
        }
        if fixed.unstable {
            self.notes.push(report::Note {
                message: format!(
                    "{}: fixes were still changing the file after {} passes; stopped there",
                    target.display,
                    fix::MAX_PASSES
                ),
                error: false,
            });
        }
        let stdin = target.read_from == "-";
        if mode.write && stdin {
            // Standard input comes back fixed (or unchanged) on standard output.
            self.to_stdout = true;
            let _ = out.write_all(&fixed.bytes);
        }
        if !fixed.changed() {
            return Ok(());
        }
        if !mode.write {
            self.diff
                .push_str(&fix::unified_diff(&target.display, original, &fixed.bytes));
        } else if !stdin {
            write_fixed(Path::new(&target.read_from), &fixed.bytes)?;
        }
        self.applied += fixed.applied.len();
        self.files += 1;
        Ok(())
    }

    /// The `--diff` summary line.
    fn diff_summary(&self, files: usize) -> String {
        if self.applied == 0 {
            return format!("Nothing to fix in {}.", plural(files, "file"));
        }
        format!(
            "Would apply {} to {} of {}.",
            plural(self.applied, "fix"),
            self.files,
            plural(files, "file")
        )
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if noun.ends_with('x') {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

/// Write a fixed file atomically, through a symlink to its target, keeping permissions.
fn write_fixed(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    drydock::registry::store::write_atomic(&real, bytes)
}

/// The findings of every file, in the order of `files`, linted (and fixed, under `mode`) on
/// all cores: each worker takes the next file from a shared counter, so one large file does
/// not hold up the rest.
fn lint_in_parallel(
    files: &[Loaded],
    answers: Option<&drydock::registry::Answers>,
    threads: Option<std::num::NonZeroUsize>,
    mode: Option<FixMode>,
) -> Vec<Linted> {
    let contexts = ContextCache::default();
    let lint_one = |file: &Loaded| {
        let target = &file.target;
        // Standard input has no build context on disk.
        let build =
            (target.read_from != "-").then(|| contexts.of_dockerfile(Path::new(&target.read_from)));
        let inputs = engine::Inputs {
            build: build.as_ref(),
            registry: answers,
        };
        let settings = &file.settings.settings;
        if let (Some(mode), Some(bytes)) = (mode, &file.bytes) {
            let outcome = fix::fix(bytes, settings, inputs, mode.which);
            let text = drydock::source::decode(outcome.bytes.clone());
            let findings = engine::lint_with(&text, settings, inputs).findings;
            return Linted {
                findings,
                fixed: Some((outcome, text)),
            };
        }
        Linted {
            findings: engine::lint_with(&file.decoded, settings, inputs).findings,
            fixed: None,
        }
    };
    // One file needs no threads, nor the cgroup files `available_parallelism` reads.
    if files.len() <= 1 {
        return files.iter().map(lint_one).collect();
    }
    let workers = threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, std::num::NonZeroUsize::get)
        .min(files.len());
    if workers <= 1 {
        return files.iter().map(lint_one).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Linted)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        done.push((i, lint_one(file)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, f)| f).collect()
}

/// The registry answers the enabled online rules need, fetched (or replayed) for every file
/// at once so identical references are asked once. Fixing with DD103 on asks for every
/// tag's digest, to pin it.
fn registry_answers(
    online: &OnlineArgs,
    files: &[Loaded],
    fixing: bool,
) -> Result<Gathered, String> {
    if !online.active() {
        return Ok(Gathered::default());
    }
    let enabled = |code: &str, s: &drydock::config::Resolved| {
        drydock::rules::find(code)
            .is_some_and(|i| s.settings.rules.get(i).copied().flatten().is_some())
    };
    let mut plan = Plan::default();
    let mut insecure: Vec<String> = Vec::new();
    for Loaded {
        settings, decoded, ..
    } in files
    {
        let (pins, patches) = (enabled("DD110", settings), enabled("DD111", settings));
        let all_tags = fixing && enabled("DD103", settings);
        if pins || patches || all_tags {
            let dockerfile = drydock::syntax::parse_decoded(decoded);
            online::plan_file(
                &mut plan,
                &decoded.text,
                &dockerfile,
                pins,
                all_tags,
                patches,
            );
        }
        insecure.extend(settings.settings.policy.insecure_registries.iter().cloned());
    }
    insecure.sort();
    insecure.dedup();
    online.gather(&plan, &insecure)
}

/// One file to lint.
struct Target {
    /// What `input::read` reads (`-` for standard input).
    read_from: String,
    /// The path shown in reports.
    display: String,
    /// Where configuration discovery starts.
    config_dir: PathBuf,
}

/// The files to lint, and the paths that could not be searched.
fn targets(args: &CheckArgs) -> (Vec<Target>, Vec<InputError>) {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    let (stdin, files): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|p| p.as_os_str() == "-");
    let found = discover::discover(&files);
    for (path, message) in found.errors {
        errors.push(InputError {
            path: display_path(&path, &cwd),
            message,
        });
    }
    if !stdin.is_empty() {
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        targets.push(Target {
            read_from: "-".into(),
            display: display_path(&name, &cwd),
            config_dir: parent_dir(&name, &cwd),
        });
    }
    for path in found.files {
        targets.push(Target {
            read_from: path.to_string_lossy().into_owned(),
            display: display_path(&path, &cwd),
            config_dir: parent_dir(&path, &cwd),
        });
    }
    (targets, errors)
}

/// The directory configuration discovery starts from for `path`.
fn parent_dir(path: &Path, cwd: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    abs.parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
}

/// A path as users see it: relative to the working directory when below it, `/`-separated,
/// without a leading `./`.
pub(crate) fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let s = shown.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_owned();
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// `--today`, else `SOURCE_DATE_EPOCH`, else the clock.
pub(crate) fn resolve_today(flag: Option<&str>) -> Result<Date, String> {
    if let Some(s) = flag {
        return Date::parse(s).ok_or_else(|| {
            format!("invalid --today `{s}`: expected a date as YYYY-MM-DD, e.g. 2026-11-28")
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|_| {
            format!("invalid SOURCE_DATE_EPOCH `{epoch}`: expected seconds since 1970-01-01")
        })?;
        return Ok(Date::from_unix_seconds(secs));
    }
    Ok(Date::today())
}

/// Write the report where it belongs; a closed pipe ends output quietly.
fn emit(args: &CheckArgs, outcome: &RunOutcome, out: &mut dyn Write) {
    let summary = report::human::summary_line(outcome);
    if args.format == Format::Json {
        // Streamed: the JSON of a large run never sits in memory whole.
        let written = match &args.output_file {
            Some(path) => std::fs::File::create(path).and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                report::json::write(outcome, &mut w)?;
                w.flush()
            }),
            None => {
                let mut w = std::io::BufWriter::new(&mut *out);
                let _ = report::json::write(outcome, &mut w).and_then(|()| w.flush());
                Ok(())
            }
        };
        if let (Err(e), Some(path)) = (written, &args.output_file) {
            report_error(&format!(
                "cannot write `{}`: {}",
                path.display(),
                describe(&e)
            ));
        }
        if !args.quiet {
            eprintln_quiet(&summary);
        }
        return;
    }
    let body = render(args, outcome);
    match &args.output_file {
        Some(path) => {
            if let Err(e) = std::fs::write(path, body) {
                report_error(&format!(
                    "cannot write `{}`: {}",
                    path.display(),
                    describe(&e)
                ));
            }
            if !args.quiet {
                eprintln_quiet(&summary);
            }
        }
        None => {
            let _ = out.write_all(body.as_bytes());
            if !args.quiet {
                if args.format == Format::Human {
                    let _ = writeln!(out, "{summary}");
                } else {
                    eprintln_quiet(&summary);
                }
            }
        }
    }
}

fn render(args: &CheckArgs, outcome: &RunOutcome) -> String {
    if args.statistics && args.format == Format::Human {
        return statistics(outcome);
    }
    match args.format {
        Format::Human => report::human::render_findings(
            outcome,
            report::human::Style {
                color: use_color(args.color),
                width: terminal_width(),
            },
        ),
        Format::Json => report::json::render(outcome),
        Format::Github => report::github::render(outcome),
        Format::Gitlab => report::gitlab::render(outcome),
        Format::Checkstyle => report::checkstyle::render(outcome),
        Format::Junit => report::junit::render(outcome),
        Format::Gnu => report::gnu::render(outcome),
        Format::Rdjson => report::rdjson::render(outcome),
        Format::Sarif => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
            report::sarif::render(outcome, &report::sarif::directory_uri(&cwd))
        }
    }
}

/// One line per rule: count, code, name, sorted by count then code.
fn statistics(outcome: &RunOutcome) -> String {
    let mut counts: Vec<(usize, &str, &str, Severity)> = Vec::new();
    for (_, f) in outcome.findings() {
        match counts.iter_mut().find(|c| c.1 == f.code) {
            Some(c) => c.0 += 1,
            None => counts.push((1, f.code, f.name, f.severity)),
        }
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    counts
        .iter()
        .map(|(n, code, name, sev)| format!("{n:>5}  {code}  {name} ({})\n", sev.as_str()))
        .collect()
}

/// `--color`, NO_COLOR (any non-empty value disables) and CLICOLOR_FORCE, then whether
/// standard output is a terminal.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty() && s != "0");
            if std::env::var_os("NO_COLOR").is_some_and(|s| !s.is_empty()) {
                false
            } else {
                set("CLICOLOR_FORCE") || std::io::stdout().is_terminal()
            }
        }
    }
}

/// `COLUMNS` when set, else 100 (the report does not depend on the terminal otherwise).
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(100)
}

fn eprintln_quiet(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
