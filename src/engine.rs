//! The lint pipeline for one file: parse, build the semantic model, run the selected rules,
//! sort. Pure: no I/O, no printing.

use std::sync::Arc;

use crate::build_context::BuildContext;
use crate::diagnostic::{Finding, Severity};
use crate::registry::Answers;
use crate::rules::{self, custom, Catalog, Context, CustomRule, Policy, Sink};
use crate::semantic::Model;
use crate::source::Decoded;
use crate::suppress;
use crate::syntax::{self, Dockerfile};

/// Which rules run, at which severity, under which policy.
#[derive(Debug, Clone)]
pub struct Settings {
    /// One entry per rule of the [`Catalog`] (registry rules, then `custom`): `None` =
    /// disabled, else the severity to report at. Missing entries are disabled.
    pub rules: Vec<Option<Severity>>,
    pub policy: Policy,
    /// The configuration's custom rules.
    pub custom: Arc<[CustomRule]>,
}

impl Default for Settings {
    /// Every rule that is enabled by default, at its default severity.
    fn default() -> Self {
        Settings {
            rules: rules::metas()
                .iter()
                .map(|m| m.enabled_by_default.then_some(m.severity))
                .collect(),
            policy: Policy::default(),
            custom: Arc::from([]),
        }
    }
}

impl Settings {
    /// Only the rules at `indices` (registry positions), at their default severity.
    #[must_use]
    pub fn only(indices: &[usize]) -> Self {
        let metas = rules::metas();
        Settings {
            rules: (0..metas.len())
                .map(|i| indices.contains(&i).then_some(metas[i].severity))
                .collect(),
            policy: Policy::default(),
            custom: Arc::from([]),
        }
    }

    /// The rules these settings index: built-in and custom.
    #[must_use]
    pub fn catalog(&self) -> Catalog<'_> {
        Catalog::new(&self.custom)
    }
}

/// The result of linting one file.
#[derive(Debug)]
pub struct FileReport {
    pub dockerfile: Dockerfile,
    /// Sorted by position, then code.
    pub findings: Vec<Finding>,
}

/// Lint one decoded file: run the enabled rules, then apply suppression comments (which
/// adds DD002 findings for useless ones, see [`crate::suppress`]).
#[must_use]
pub fn lint(decoded: &Decoded, settings: &Settings) -> FileReport {
    lint_in(decoded, settings, None)
}

/// [`lint`] a file whose build context is known (its `.dockerignore`, what it holds);
/// rules about the context do not run without one.
#[must_use]
pub fn lint_in(decoded: &Decoded, settings: &Settings, build: Option<&BuildContext>) -> FileReport {
    lint_with(
        decoded,
        settings,
        Inputs {
            build,
            registry: None,
        },
    )
}

/// What a lint reads besides the file and the settings, all gathered before linting (the
/// engine does no I/O).
#[derive(Debug, Clone, Copy, Default)]
pub struct Inputs<'a> {
    /// The build context (`.dockerignore`, what it holds).
    pub build: Option<&'a BuildContext>,
    /// Registry answers fetched by `--online` or replayed from a snapshot; rules that
    /// need them do not run without.
    pub registry: Option<&'a Answers>,
}

/// [`lint`] with everything known about the file's surroundings.
#[must_use]
pub fn lint_with(decoded: &Decoded, settings: &Settings, inputs: Inputs<'_>) -> FileReport {
    let dockerfile = syntax::parse_decoded(decoded);
    let findings = run_rules_with(&decoded.text, &dockerfile, settings, inputs);
    let findings = suppress::apply(
        &decoded.text,
        &dockerfile,
        findings,
        &settings.rules,
        settings.catalog(),
    );
    FileReport {
        dockerfile,
        findings,
    }
}

/// Run the enabled rules over a parsed file; suppression comments are not applied.
#[must_use]
pub fn run_rules(source: &str, dockerfile: &Dockerfile, settings: &Settings) -> Vec<Finding> {
    run_rules_in(source, dockerfile, settings, None)
}

/// [`run_rules`] with the file's build context.
#[must_use]
pub fn run_rules_in(
    source: &str,
    dockerfile: &Dockerfile,
    settings: &Settings,
    build: Option<&BuildContext>,
) -> Vec<Finding> {
    run_rules_with(
        source,
        dockerfile,
        settings,
        Inputs {
            build,
            registry: None,
        },
    )
}

/// [`run_rules`] with the file's surroundings.
#[must_use]
pub fn run_rules_with(
    source: &str,
    dockerfile: &Dockerfile,
    settings: &Settings,
    inputs: Inputs<'_>,
) -> Vec<Finding> {
    let model = Model::new(source, dockerfile);
    let ctx = Context {
        source,
        dockerfile,
        model: &model,
        policy: &settings.policy,
        build: inputs.build,
        registry: inputs.registry,
    };
    let metas = rules::metas();
    let mut findings = Vec::new();
    for (i, rule) in rules::REGISTRY.iter().enumerate() {
        let Some(severity) = settings.rules.get(i).copied().flatten() else {
            continue;
        };
        let mut sink = Sink::new(&metas[i], severity);
        (rule.check)(&ctx, &mut sink);
        findings.extend(sink.into_findings());
    }
    for (j, rule) in settings.custom.iter().enumerate() {
        let Some(severity) = settings
            .rules
            .get(rules::REGISTRY.len() + j)
            .copied()
            .flatten()
        else {
            continue;
        };
        let mut sink = Sink::named(rule.code, rule.name, severity);
        custom::check(rule, &ctx, &mut sink);
        findings.extend(sink.into_findings());
    }
    findings.sort_by(|a, b| (a.span, a.code).cmp(&(b.span, b.code)));
    findings
}
