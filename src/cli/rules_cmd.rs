//! `drydock rules` and `drydock explain`: the rule catalogue, rendered from `rules/*.md`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use drydock::config;
use drydock::rules::{self, Catalog, CustomRule, RuleMeta};
use serde_json::json;

use super::{exit, report_error, settings};

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Md,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A rule code (DD102), name (base-image-latest), hadolint code (DL3007), or a custom
    /// rule's id or name.
    #[arg(value_name = "RULE")]
    rule: String,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Where custom rules come from for `rules` and `explain`.
#[derive(Debug, Args)]
struct ConfigArgs {
    /// Read custom rules from this configuration file instead of discovering `.drydock.yaml`
    /// from the working directory.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore every configuration file (built-in rules only).
    #[arg(long)]
    no_config: bool,
}

impl ConfigArgs {
    /// The custom rules of the configuration that applies, or a message for the user.
    fn custom_rules(&self) -> Result<Vec<CustomRule>, String> {
        let path = if self.no_config {
            None
        } else if let Some(p) = &self.config {
            Some(p.clone())
        } else {
            config::discover(Path::new("."))
        };
        match path {
            None => Ok(Vec::new()),
            Some(p) => config::load(&p)
                .map(|c| c.custom_rules)
                .map_err(|e| settings::describe(&e)),
        }
    }
}

/// List every rule, the custom rules of the configuration last.
pub(crate) fn run_rules(args: &RulesArgs, out: &mut dyn Write) -> u8 {
    let custom = match args.config.custom_rules() {
        Ok(c) => c,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };
    let metas = rules::metas();
    let text = match args.format {
        RulesFormat::Text => metas
            .iter()
            .map(|m| {
                format!(
                    "{}  {:<36} {:<8} {}{}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.summary,
                    if m.enabled_by_default {
                        ""
                    } else {
                        " (off by default)"
                    }
                )
            })
            .chain(custom.iter().map(|c| {
                format!(
                    "{}  {:<36} {:<8} {} (custom, {})\n",
                    c.code,
                    c.name,
                    c.severity.as_str(),
                    c.message.replace("{match}", "…"),
                    shown(&c.origin)
                )
            }))
            .collect(),
        RulesFormat::Json => {
            let list: Vec<_> = metas
                .iter()
                .map(rule_json)
                .chain(custom.iter().map(custom_json))
                .collect();
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
        RulesFormat::Md => {
            let mut s = rules::markdown_table();
            for c in &custom {
                s.push_str(&format!(
                    "| {} | `{}` | {} |  | {} (custom, {}) |  |\n",
                    c.code,
                    c.name,
                    c.severity.as_str(),
                    c.message.replace("{match}", "…").replace('|', "\\|"),
                    shown(&c.origin)
                ));
            }
            s
        }
    };
    let _ = out.write_all(text.as_bytes());
    exit::OK
}

/// `path:line` relative to the working directory when below it.
fn shown(origin: &str) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = Path::new(origin);
    path.strip_prefix(&cwd)
        .map_or_else(|_| origin.to_owned(), |p| p.display().to_string())
}

fn custom_json(c: &CustomRule) -> serde_json::Value {
    json!({
        "code": c.code,
        "name": c.name,
        "category": rules::custom::CATEGORY,
        "severity": c.severity.as_str(),
        "enabled_by_default": true,
        "summary": c.message.replace("{match}", "…"),
        "sources": [],
        "fix": "none",
        "custom": true,
        "defined_at": shown(&c.origin),
    })
}

fn rule_json(m: &RuleMeta) -> serde_json::Value {
    json!({
        "code": m.code,
        "name": m.name,
        "category": m.category.as_str(),
        "severity": m.severity.as_str(),
        "enabled_by_default": m.enabled_by_default,
        "summary": m.summary,
        "sources": m.sources,
        "fix": m.fix.as_str(),
    })
}

/// Print one rule's documentation.
pub(crate) fn run_explain(args: &ExplainArgs, out: &mut dyn Write) -> u8 {
    let custom = match args.config.custom_rules() {
        Ok(c) => c,
        Err(message) => {
            report_error(&message);
            return exit::ERROR;
        }
    };
    let catalog = Catalog::new(&custom);
    let Some(i) = catalog.find(&args.rule) else {
        report_error(&format!(
            "unknown rule `{}`; `drydock rules` lists every rule",
            args.rule
        ));
        return exit::ERROR;
    };
    let s = match catalog.custom_at(i) {
        Some(c) => explain_custom(c),
        None => explain_builtin(&rules::metas()[i]),
    };
    let _ = out.write_all(s.as_bytes());
    exit::OK
}

pub(crate) fn explain_custom(c: &CustomRule) -> String {
    let mut s = format!(
        "{} {}\n\ncategory: custom, severity: {}, enabled by default, fix: none\ndefined at: {}\n\n{}\n\nmessage: {}\n",
        c.code,
        c.name,
        c.severity.as_str(),
        shown(&c.origin),
        c.describe(),
        c.message
    );
    if !c.help.is_empty() {
        s.push_str(&format!("help: {}\n", c.help));
    }
    s
}

pub(crate) fn explain_builtin(m: &RuleMeta) -> String {
    let mut s = format!(
        "{} {}\n\ncategory: {}, severity: {}, {}, fix: {}\n",
        m.code,
        m.name,
        m.category.as_str(),
        m.severity.as_str(),
        if m.enabled_by_default {
            "enabled by default"
        } else {
            "off by default (enable with --select)"
        },
        m.fix.as_str()
    );
    if !m.sources.is_empty() {
        s.push_str(&format!("same as: {}\n", m.sources.join(", ")));
    }
    s.push('\n');
    s.push_str(m.body.trim());
    s.push('\n');
    s
}
