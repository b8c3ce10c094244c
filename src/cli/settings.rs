//! Per-file settings: `.drydock.yaml` discovery (cached per configuration file) combined
//! with command-line overrides.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use drydock::config::{self, Config, ConfigError, Resolved};
use drydock::date::Date;
use drydock::rules::Catalog;

/// `--fail-level`: the minimum severity that makes the run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailLevel {
    Error,
    Warning,
    Info,
    Style,
    None,
}

impl From<FailLevel> for config::FailLevel {
    fn from(l: FailLevel) -> Self {
        match l {
            FailLevel::Error => config::FailLevel::Error,
            FailLevel::Warning => config::FailLevel::Warning,
            FailLevel::Info => config::FailLevel::Info,
            FailLevel::Style => config::FailLevel::Style,
            FailLevel::None => config::FailLevel::None,
        }
    }
}

/// Where configuration comes from.
#[derive(Debug, Clone)]
pub(crate) enum SettingsSource {
    /// `--no-config`.
    None,
    /// `--config FILE`: used for every file.
    File(PathBuf),
    /// Walk up from each Dockerfile to the repository root.
    Discover,
}

/// What the command line says, overriding configuration.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    pub(crate) select: Option<Vec<String>>,
    pub(crate) ignore: Option<Vec<String>>,
    pub(crate) fail_level: Option<FailLevel>,
    pub(crate) today: Option<Date>,
}

/// Resolves the settings of each file, loading every configuration file once.
pub(crate) struct Resolver {
    source: SettingsSource,
    overrides: config::Overrides,
    today: Option<Date>,
    /// Explicit `--config`, loaded up front.
    explicit: Option<Config>,
    /// Resolved settings per configuration file (`None`: no configuration).
    cache: HashMap<Option<PathBuf>, Result<Resolved, String>>,
}

impl Resolver {
    /// Check the overrides (unknown rule names) and load an explicit `--config`.
    ///
    /// # Errors
    /// A message for the user; the CLI exits 2.
    pub(crate) fn new(source: SettingsSource, overrides: Overrides) -> Result<Self, String> {
        let cli = config::Overrides {
            select: overrides.select,
            ignore: overrides.ignore,
            fail_level: overrides.fail_level.map(Into::into),
        };
        let explicit = match &source {
            SettingsSource::File(path) => Some(config::load(path).map_err(|e| describe(&e))?),
            _ => None,
        };
        if matches!(source, SettingsSource::Discover) {
            // Names that are no built-in rule may be custom rules of a configuration found
            // later; each file's resolution checks them.
            let builtin = |names: &Option<Vec<String>>| {
                names.as_ref().map(|n| {
                    n.iter()
                        .filter(|x| {
                            config::unknown_names(std::slice::from_ref(x), Catalog::BUILTIN)
                                .is_empty()
                        })
                        .cloned()
                        .collect()
                })
            };
            let known = config::Overrides {
                select: builtin(&cli.select),
                ignore: builtin(&cli.ignore),
                fail_level: cli.fail_level,
            };
            config::resolve(None, &known)?;
        } else {
            config::resolve(explicit.as_ref(), &cli)?;
        }
        Ok(Resolver {
            source,
            overrides: cli,
            today: overrides.today,
            explicit,
            cache: HashMap::new(),
        })
    }

    /// The settings for a Dockerfile in `dir`.
    ///
    /// # Errors
    /// The configuration that applies cannot be used (the message says where and why).
    pub(crate) fn for_file(&mut self, dir: &Path) -> Result<Resolved, String> {
        let key = match &self.source {
            SettingsSource::None => None,
            SettingsSource::File(p) => Some(p.clone()),
            SettingsSource::Discover => config::discover(dir),
        };
        if !self.cache.contains_key(&key) {
            let resolved = self.resolve(key.as_deref());
            self.cache.insert(key.clone(), resolved);
        }
        self.cache
            .get(&key)
            .cloned()
            .unwrap_or_else(|| Err("internal error: configuration cache".into()))
    }

    fn resolve(&self, path: Option<&Path>) -> Result<Resolved, String> {
        let loaded;
        let config = match (&self.explicit, path) {
            (Some(c), _) => Some(c),
            (None, Some(p)) => {
                loaded = config::load(p).map_err(|e| describe(&e))?;
                Some(&loaded)
            }
            (None, None) => None,
        };
        let mut resolved = config::resolve(config, &self.overrides)?;
        resolved.settings.policy.today = self.today;
        Ok(resolved)
    }
}

/// A configuration error as the user sees it: position, message, and help.
pub(crate) fn describe(e: &ConfigError) -> String {
    match &e.help {
        Some(help) => format!("{e}\n  help: {help}"),
        None => e.to_string(),
    }
}
