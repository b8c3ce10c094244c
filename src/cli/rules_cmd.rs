//! `drydock rules` and `drydock explain`: the rule catalogue, rendered from `rules/*.md`.

use std::io::Write;

use clap::{Args, ValueEnum};
use drydock::rules::{self, RuleMeta};
use serde_json::json;

use super::{exit, report_error};

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Md,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A rule code (DD102), name (base-image-latest) or hadolint code (DL3007).
    #[arg(value_name = "RULE")]
    rule: String,
}

/// List every rule.
pub(crate) fn run_rules(args: &RulesArgs, out: &mut dyn Write) -> u8 {
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
            .collect(),
        RulesFormat::Json => {
            let list: Vec<_> = metas.iter().map(rule_json).collect();
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
        RulesFormat::Md => rules::markdown_table(),
    };
    let _ = out.write_all(text.as_bytes());
    exit::OK
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
    let Some(i) = rules::find(&args.rule) else {
        report_error(&format!(
            "unknown rule `{}`; `drydock rules` lists every rule",
            args.rule
        ));
        return exit::ERROR;
    };
    let m = &rules::metas()[i];
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
    let _ = out.write_all(s.as_bytes());
    exit::OK
}
