//! Per-file settings: configuration discovery (cached per directory) plus command-line
//! overrides.

use std::path::PathBuf;

use clap::ValueEnum;
use drydock::date::Date;
use drydock::diagnostic::Severity;
use drydock::engine::Settings;
use drydock::rules;

/// The minimum severity that makes the run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum FailLevel {
    Error,
    #[default]
    Warning,
    Info,
    Style,
    None,
}

impl FailLevel {
    /// Whether a finding of `severity` fails the run.
    pub(crate) fn fails(self, severity: Severity) -> bool {
        match self {
            FailLevel::Error => severity.reaches(Severity::Error),
            FailLevel::Warning => severity.reaches(Severity::Warning),
            FailLevel::Info => severity.reaches(Severity::Info),
            FailLevel::Style => true,
            FailLevel::None => false,
        }
    }
}

/// Where configuration comes from.
#[derive(Debug, Clone)]
#[allow(dead_code)] // configuration files are wired in with the config module
pub(crate) enum SettingsSource {
    None,
    File(PathBuf),
    Discover,
}

/// What the command line says, overriding configuration.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    pub(crate) select: Option<Vec<String>>,
    pub(crate) ignore: Option<Vec<String>>,
    pub(crate) fail_level: Option<FailLevel>,
    #[allow(dead_code)] // read by date-aware rules
    pub(crate) today: Option<Date>,
}

/// Settings for one file.
#[derive(Debug, Clone)]
pub(crate) struct FileSettings {
    pub(crate) engine: Settings,
    pub(crate) fail_level: FailLevel,
}

/// Resolves settings per file.
pub(crate) struct Resolver {
    overrides: Overrides,
    base: FileSettings,
}

impl Resolver {
    pub(crate) fn new(_source: SettingsSource, overrides: Overrides) -> Result<Self, String> {
        let engine = selection(&overrides)?;
        let fail_level = overrides.fail_level.unwrap_or_default();
        Ok(Resolver {
            overrides,
            base: FileSettings { engine, fail_level },
        })
    }

    /// The settings for a file in `dir`.
    pub(crate) fn for_file(&mut self, _dir: &std::path::Path) -> Result<FileSettings, String> {
        let _ = &self.overrides;
        Ok(self.base.clone())
    }
}

/// The enabled rules: the default set, or exactly `select`, minus `ignore`.
fn selection(o: &Overrides) -> Result<Settings, String> {
    let mut settings = Settings::default();
    let metas = rules::metas();
    if let Some(select) = &o.select {
        settings.rules = vec![None; metas.len()];
        for name in select {
            let found = known(name)?;
            for i in found {
                settings.rules[i] = Some(metas[i].severity);
            }
        }
    }
    if let Some(ignore) = &o.ignore {
        for name in ignore {
            for i in known(name)? {
                settings.rules[i] = None;
            }
        }
    }
    Ok(settings)
}

fn known(name: &str) -> Result<Vec<usize>, String> {
    let found = rules::select(name.trim());
    if found.is_empty() {
        Err(format!(
            "unknown rule `{name}`: give a code (DD102), a name (base-image-latest), a category (base-images), a hadolint code (DL3007) or `all`; `drydock rules` lists them"
        ))
    } else {
        Ok(found)
    }
}
