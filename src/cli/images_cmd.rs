//! `drydock images`: the inventory of every FROM across a repository, with what the
//! end-of-life data says of each base image.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use drydock::discover;
use drydock::inventory::{check_digests, images, ImageRow};
use drydock::syntax;
use serde_json::json;

use super::check::{display_path, resolve_today};
use super::online::{self, OnlineArgs};
use super::settings::{self, SettingsSource};
use super::{exit, input, report_error};

#[derive(Debug, Args)]
pub(crate) struct ImagesArgs {
    /// Files or directories (searched for Dockerfiles and Containerfiles, honouring .gitignore).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Judge dates as of this day, YYYY-MM-DD [default: SOURCE_DATE_EPOCH, else today].
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// Ignore every configuration file (`policy.eol-warn-days` comes from it).
    #[arg(long)]
    no_config: bool,
    #[command(flatten)]
    online: OnlineArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// The rows of one file.
struct FileRows {
    path: String,
    rows: Vec<ImageRow>,
}

/// List the images; exit 0, or 2 when a path or configuration could not be used.
pub(crate) fn run(args: &ImagesArgs, out: &mut dyn Write) -> u8 {
    let today = match resolve_today(args.today.as_deref()) {
        Ok(d) => d,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };
    let source = if args.no_config {
        SettingsSource::None
    } else {
        SettingsSource::Discover
    };
    let overrides = settings::Overrides {
        select: None,
        ignore: None,
        fail_level: None,
        today: Some(today),
    };
    let mut resolver = match settings::Resolver::new(source, overrides) {
        Ok(r) => r,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let found = discover::discover(&paths);
    let mut failed = false;
    for (path, message) in &found.errors {
        report_error(&format!("{}: {message}", display_path(path, &cwd)));
        failed = true;
    }
    let mut files = Vec::new();
    let mut parsed = Vec::new();
    let mut insecure: Vec<String> = Vec::new();
    for path in &found.files {
        let shown = display_path(path, &cwd);
        let dir = path.parent().unwrap_or(Path::new("."));
        let warn_days = match resolver.for_file(&cwd.join(dir)) {
            Ok(s) => {
                insecure.extend(s.settings.policy.insecure_registries.iter().cloned());
                s.settings.policy.eol_warn_days
            }
            Err(message) => {
                report_error(&message);
                failed = true;
                continue;
            }
        };
        let decoded = match input::read(&path.to_string_lossy()) {
            Ok(d) => d,
            Err(message) => {
                report_error(&format!("{shown}: {message}"));
                failed = true;
                continue;
            }
        };
        let df = syntax::parse_decoded(&decoded);
        files.push(FileRows {
            path: shown,
            rows: images(&decoded.text, &df, today, warn_days),
        });
        parsed.push((decoded, df));
    }
    if args.online.active() {
        // Every tag, pinned or not, so the inventory can say whether each pin is current.
        let mut plan = drydock::registry::Plan::default();
        for (decoded, df) in &parsed {
            online::plan_file(&mut plan, &decoded.text, df, true, true, false);
        }
        insecure.sort();
        insecure.dedup();
        match args.online.gather(&plan, &insecure) {
            Ok(gathered) => {
                for n in &gathered.notes {
                    super::report_note(n);
                    failed |= n.error;
                }
                if let Some(answers) = &gathered.answers {
                    for (file, (decoded, df)) in files.iter_mut().zip(&parsed) {
                        check_digests(&mut file.rows, &decoded.text, df, answers);
                    }
                }
            }
            Err(message) => {
                report_error(&message);
                return exit::ERROR;
            }
        }
    }
    let text = match args.format {
        Format::Table => table(&files),
        Format::Json => json_report(&files, &today.to_string()),
        Format::Csv => csv(&files),
    };
    if out.write_all(text.as_bytes()).is_err() {
        return exit::OK;
    }
    if failed {
        exit::ERROR
    } else {
        exit::OK
    }
}

/// What the table shows of a row's base: the resolved reference, or what it names.
fn shown_reference(row: &ImageRow) -> String {
    match row.kind {
        "stage" => format!("stage {}", row.reference),
        "image" => match &row.resolved {
            Some(r) if *r != row.reference => format!("{} ({r})", row.reference),
            _ => row.reference.clone(),
        },
        _ => row.reference.clone(),
    }
}

/// `python 3.8 eol, debian 10 eol`.
fn cycles_text(row: &ImageRow) -> String {
    let mut parts: Vec<String> = row
        .cycles
        .iter()
        .map(|c| format!("{} {} {}", c.product, c.cycle, c.status))
        .collect();
    parts.extend(row.moving.iter().map(|m| format!("moving `{m}`")));
    if row.digest_status != "unchecked" {
        parts.push(format!("digest {}", row.digest_status));
    }
    if let Some(r) = &row.deprecated {
        parts.push(format!("deprecated (use {r})"));
    }
    parts.join(", ")
}

fn table(files: &[FileRows]) -> String {
    let header = [
        "LOCATION", "STAGE", "IMAGE", "STATUS", "EOL", "DAYS", "CYCLES",
    ];
    let mut rows: Vec<[String; 7]> = Vec::new();
    for f in files {
        for r in &f.rows {
            rows.push([
                format!("{}:{}", f.path, r.line),
                r.stage_name.clone().unwrap_or_else(|| r.stage.to_string()),
                shown_reference(r),
                r.status.to_owned(),
                r.eol.clone().unwrap_or_else(|| "-".into()),
                r.days_left.map_or_else(|| "-".into(), |d| d.to_string()),
                cycles_text(r),
            ]);
        }
    }
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in &rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}

fn json_report(files: &[FileRows], today: &str) -> String {
    let images: Vec<_> = files
        .iter()
        .flat_map(|f| {
            f.rows.iter().map(move |r| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                v["path"] = json!(f.path);
                v
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "today": today,
        "eol_data_as_of": drydock::eol::database().as_of.to_string(),
        "images": images,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// One CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn csv(files: &[FileRows]) -> String {
    let mut out = String::from(
        "path,line,stage,reference,kind,resolved,registry,repository,tag,digest,status,eol,days_left,cycles,moving,deprecated,digest_status\n",
    );
    for f in files {
        for r in &f.rows {
            let cycles: Vec<String> = r
                .cycles
                .iter()
                .map(|c| format!("{} {} {}", c.product, c.cycle, c.status))
                .collect();
            let fields = [
                f.path.clone(),
                r.line.to_string(),
                r.stage_name.clone().unwrap_or_else(|| r.stage.to_string()),
                r.reference.clone(),
                r.kind.to_owned(),
                r.resolved.clone().unwrap_or_default(),
                r.registry.clone().unwrap_or_default(),
                r.repository.clone().unwrap_or_default(),
                r.tag.clone().unwrap_or_default(),
                r.digest.clone().unwrap_or_default(),
                r.status.to_owned(),
                r.eol.clone().unwrap_or_default(),
                r.days_left.map(|d| d.to_string()).unwrap_or_default(),
                cycles.join("; "),
                r.moving.join("; "),
                r.deprecated.clone().unwrap_or_default(),
                r.digest_status.to_owned(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    out
}
