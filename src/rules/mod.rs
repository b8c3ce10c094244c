//! The rule registry: one line per rule. A rule is `src/rules/<slug>.rs` (its `check`
//! function) plus `rules/<code>-<slug>.md` (its metadata, docs and examples).

pub mod custom;
pub mod label_schema;
pub mod meta;
pub mod rule_file;

mod add_for_local_file;
mod apk_add_without_virtual;
mod apt_in_run;
mod apt_install_recommends;
mod auto_update_in_container;
mod base_image_deprecated_repository;
mod base_image_eol;
mod base_image_eol_db_outdated;
mod base_image_eol_soon;
mod base_image_extended_support;
mod base_image_latest;
mod base_image_moving_tag;
mod base_image_no_digest;
mod base_image_outdated_patch;
mod base_image_reference_invalid;
mod base_image_stale_digest;
mod base_image_untagged;
mod base_image_untrusted_registry;
mod bashism_in_posix_shell;
mod cd_instead_of_workdir;
mod chpasswd_used;
mod command_shell_form;
mod copy_archive_then_extract;
mod copy_context_unfiltered;
mod copy_from_own_stage;
mod copy_from_stage_number;
mod copy_from_undefined_stage;
mod copy_from_whole_filesystem;
mod copy_ignored_file;
mod copy_relative_dest_without_workdir;
mod copy_source_outside_context;
mod copy_sources_dest_not_dir;
mod default_shell_replaced;
mod definition_description_invalid;
mod directive_casing;
mod edits;
mod empty_continuation_line;
mod env_self_reference;
mod exec_form_malformed;
mod expose_host_mapping;
mod expose_port_invalid;
mod expose_protocol_casing;
mod expose_protocol_invalid;
mod final_user_missing;
mod final_user_root;
mod first_instruction_not_from;
mod freshness;
mod from_arg_undeclared;
mod from_as_casing;
mod from_platform_constant;
mod from_platform_flag;
mod from_platform_redundant;
mod healthcheck_missing;
mod healthcheck_option_invalid;
mod heredoc_with_space;
mod inline_ignore_pragma;
mod instruction_casing_inconsistent;
mod instruction_overridden;
mod label_empty;
mod label_key_invalid;
mod label_missing;
mod label_not_in_schema;
mod label_value_invalid;
mod legacy_key_value_form;
mod maintainer_deprecated;
mod os_upgrade_in_image;
mod package_cache_in_image;
mod package_index_update_alone;
mod package_install_interactive;
mod package_install_without_index_update;
mod package_signature_check_disabled;
mod package_version_unpinned;
mod pipe_without_pipefail;
mod pointless_command_in_run;
mod remote_add_without_checksum;
mod remote_script_piped_to_shell;
mod run_consecutive_mergeable;
mod secret_file_copied;
mod secret_in_arg_or_env;
mod security_upgrade_missing;
mod ssh_port_exposed;
mod stage_name_casing;
mod stage_name_duplicate;
mod stage_name_reserved;
mod state_dir_without_volume;
mod stopsignal_invalid;
mod sudo_in_run;
mod swallowed_instruction;
mod syntax_error;
mod tls_verification_disabled;
mod tls_verification_disabled_in_env;
mod undefined_variable;
mod unused_suppression;
mod user_by_name;
mod useradd_high_uid_without_no_log_init;
mod volume_in_system_dir;
mod volume_write_discarded;
mod wget_and_curl_used;
mod wget_progress_in_build_log;
mod workdir_in_system_dir;
mod workdir_relative;
mod world_writable_permissions;

use std::sync::OnceLock;

use crate::diagnostic::{Finding, Severity};
use crate::semantic::Model;
use crate::span::Span;
use crate::syntax::Dockerfile;

pub use custom::CustomRule;
pub use meta::{Category, Example, ExampleKind, FixAvailability, RuleMeta};

/// A rule's check: reads the context, reports through the sink.
pub type CheckFn = fn(&Context<'_>, &mut Sink);

/// A registered rule: its doc file and its check.
pub struct Rule {
    /// The rule file's stem: `rules/<file>.md`.
    pub file: &'static str,
    pub doc: &'static str,
    pub check: CheckFn,
}

macro_rules! rule {
    ($module:ident, $file:literal) => {
        Rule {
            file: $file,
            doc: include_str!(concat!("../../rules/", $file, ".md")),
            check: $module::check,
        }
    };
}

/// Every rule, in code order (one line each; keep each category's block sorted by code).
#[rustfmt::skip]
pub static REGISTRY: &[Rule] = &[
    // DD0xx syntax
    rule!(syntax_error, "DD001-syntax-error"),
    rule!(unused_suppression, "DD002-unused-suppression"),
    rule!(empty_continuation_line, "DD003-empty-continuation-line"),
    rule!(heredoc_with_space, "DD004-heredoc-with-space"),
    rule!(swallowed_instruction, "DD005-swallowed-instruction"),
    rule!(inline_ignore_pragma, "DD006-inline-ignore-pragma"),
    // DD1xx base images
    rule!(base_image_untagged, "DD101-base-image-untagged"),
    rule!(base_image_latest, "DD102-base-image-latest"),
    rule!(base_image_no_digest, "DD103-base-image-no-digest"),
    rule!(base_image_eol, "DD104-base-image-eol"),
    rule!(base_image_eol_soon, "DD105-base-image-eol-soon"),
    rule!(base_image_extended_support, "DD106-base-image-extended-support"),
    rule!(base_image_deprecated_repository, "DD107-base-image-deprecated-repository"),
    rule!(base_image_moving_tag, "DD108-base-image-moving-tag"),
    rule!(base_image_eol_db_outdated, "DD109-base-image-eol-db-outdated"),
    rule!(base_image_stale_digest, "DD110-base-image-stale-digest"),
    rule!(base_image_outdated_patch, "DD111-base-image-outdated-patch"),
    rule!(base_image_untrusted_registry, "DD112-base-image-untrusted-registry"),
    rule!(from_arg_undeclared, "DD113-from-arg-undeclared"),
    rule!(from_platform_flag, "DD114-from-platform-flag"),
    rule!(from_platform_constant, "DD115-from-platform-constant"),
    rule!(from_platform_redundant, "DD116-from-platform-redundant"),
    rule!(base_image_reference_invalid, "DD117-base-image-reference-invalid"),
    // DD2xx packages and updates
    rule!(package_index_update_alone, "DD201-package-index-update-alone"),
    rule!(package_install_without_index_update, "DD202-package-install-without-index-update"),
    rule!(security_upgrade_missing, "DD203-security-upgrade-missing"),
    rule!(os_upgrade_in_image, "DD204-os-upgrade-in-image"),
    rule!(auto_update_in_container, "DD205-auto-update-in-container"),
    rule!(apt_in_run, "DD206-apt-in-run"),
    rule!(package_install_interactive, "DD207-package-install-interactive"),
    rule!(apt_install_recommends, "DD208-apt-install-recommends"),
    rule!(package_cache_in_image, "DD209-package-cache-in-image"),
    rule!(package_version_unpinned, "DD210-package-version-unpinned"),
    rule!(apk_add_without_virtual, "DD211-apk-add-without-virtual"),
    // DD3xx data, volumes and files
    rule!(volume_write_discarded, "DD301-volume-write-discarded"),
    rule!(state_dir_without_volume, "DD302-state-dir-without-volume"),
    rule!(secret_file_copied, "DD303-secret-file-copied"),
    rule!(workdir_in_system_dir, "DD304-workdir-in-system-dir"),
    rule!(volume_in_system_dir, "DD305-volume-in-system-dir"),
    rule!(copy_context_unfiltered, "DD306-copy-context-unfiltered"),
    // DD4xx security
    rule!(package_signature_check_disabled, "DD401-package-signature-check-disabled"),
    rule!(tls_verification_disabled, "DD402-tls-verification-disabled"),
    rule!(tls_verification_disabled_in_env, "DD403-tls-verification-disabled-in-env"),
    rule!(remote_script_piped_to_shell, "DD404-remote-script-piped-to-shell"),
    rule!(remote_add_without_checksum, "DD405-remote-add-without-checksum"),
    rule!(final_user_root, "DD406-final-user-root"),
    rule!(final_user_missing, "DD407-final-user-missing"),
    rule!(sudo_in_run, "DD408-sudo-in-run"),
    rule!(secret_in_arg_or_env, "DD409-secret-in-arg-or-env"),
    rule!(ssh_port_exposed, "DD410-ssh-port-exposed"),
    rule!(world_writable_permissions, "DD411-world-writable-permissions"),
    rule!(chpasswd_used, "DD412-chpasswd-used"),
    rule!(useradd_high_uid_without_no_log_init, "DD413-useradd-high-uid-without-no-log-init"),
    rule!(wget_and_curl_used, "DD414-wget-and-curl-used"),
    rule!(user_by_name, "DD415-user-by-name"),
    // DD5xx build correctness
    rule!(first_instruction_not_from, "DD501-first-instruction-not-from"),
    rule!(stage_name_duplicate, "DD502-stage-name-duplicate"),
    rule!(stage_name_reserved, "DD503-stage-name-reserved"),
    rule!(copy_from_undefined_stage, "DD504-copy-from-undefined-stage"),
    rule!(copy_from_own_stage, "DD505-copy-from-own-stage"),
    rule!(instruction_overridden, "DD506-instruction-overridden"),
    rule!(expose_port_invalid, "DD507-expose-port-invalid"),
    rule!(expose_protocol_invalid, "DD508-expose-protocol-invalid"),
    rule!(expose_host_mapping, "DD509-expose-host-mapping"),
    rule!(workdir_relative, "DD510-workdir-relative"),
    rule!(env_self_reference, "DD511-env-self-reference"),
    rule!(copy_sources_dest_not_dir, "DD512-copy-sources-dest-not-dir"),
    rule!(add_for_local_file, "DD513-add-for-local-file"),
    rule!(copy_relative_dest_without_workdir, "DD514-copy-relative-dest-without-workdir"),
    rule!(copy_from_stage_number, "DD515-copy-from-stage-number"),
    rule!(copy_from_whole_filesystem, "DD516-copy-from-whole-filesystem"),
    rule!(copy_source_outside_context, "DD517-copy-source-outside-context"),
    rule!(undefined_variable, "DD518-undefined-variable"),
    rule!(copy_ignored_file, "DD519-copy-ignored-file"),
    rule!(copy_archive_then_extract, "DD520-copy-archive-then-extract"),
    rule!(command_shell_form, "DD550-command-shell-form"),
    rule!(exec_form_malformed, "DD551-exec-form-malformed"),
    rule!(healthcheck_option_invalid, "DD552-healthcheck-option-invalid"),
    rule!(stopsignal_invalid, "DD553-stopsignal-invalid"),
    rule!(healthcheck_missing, "DD554-healthcheck-missing"),
    // DD6xx shell
    rule!(pipe_without_pipefail, "DD601-pipe-without-pipefail"),
    rule!(cd_instead_of_workdir, "DD602-cd-instead-of-workdir"),
    rule!(default_shell_replaced, "DD603-default-shell-replaced"),
    rule!(pointless_command_in_run, "DD604-pointless-command-in-run"),
    rule!(wget_progress_in_build_log, "DD605-wget-progress-in-build-log"),
    rule!(run_consecutive_mergeable, "DD606-run-consecutive-mergeable"),
    rule!(bashism_in_posix_shell, "DD607-bashism-in-posix-shell"),
    // DD7xx style
    rule!(maintainer_deprecated, "DD701-maintainer-deprecated"),
    rule!(legacy_key_value_form, "DD702-legacy-key-value-form"),
    rule!(instruction_casing_inconsistent, "DD703-instruction-casing-inconsistent"),
    rule!(directive_casing, "DD704-directive-casing"),
    rule!(label_key_invalid, "DD705-label-key-invalid"),
    rule!(label_missing, "DD706-label-missing"),
    rule!(label_not_in_schema, "DD707-label-not-in-schema"),
    rule!(label_empty, "DD708-label-empty"),
    rule!(label_value_invalid, "DD709-label-value-invalid"),
    rule!(definition_description_invalid, "DD710-definition-description-invalid"),
    rule!(stage_name_casing, "DD790-stage-name-casing"),
    rule!(expose_protocol_casing, "DD791-expose-protocol-casing"),
    rule!(from_as_casing, "DD792-from-as-casing"),
];

/// The metadata of every rule, in registry order (compiled in by `build.rs`).
pub fn metas() -> &'static [RuleMeta] {
    static METAS: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    METAS.get_or_init(|| {
        REGISTRY
            .iter()
            .map(|r| RuleMeta::compiled(r.file, r.doc))
            .collect()
    })
}

/// The index of the rule designated by `name` (code, name, or a source such as `DL3007`).
#[must_use]
pub fn find(name: &str) -> Option<usize> {
    Catalog::BUILTIN.find(name)
}

/// Every rule designated by `name`: one rule, or all rules of a category, or every rule for
/// `all`. Several rules may share a source (a hadolint code split into finer rules).
#[must_use]
pub fn select(name: &str) -> Vec<usize> {
    Catalog::BUILTIN.select(name)
}

/// Whether `name` is a rule designator: a category or `all` (even one without rules), or a
/// name [`select`] resolves.
#[must_use]
pub fn is_designator(name: &str) -> bool {
    Catalog::BUILTIN.is_designator(name)
}

/// The built-in rules followed by a configuration's custom rules, as one index space:
/// index `i < REGISTRY.len()` is a built-in rule, the rest are `custom[i - REGISTRY.len()]`.
/// [`crate::engine::Settings::rules`] is indexed the same way.
#[derive(Debug, Clone, Copy)]
pub struct Catalog<'a> {
    pub custom: &'a [CustomRule],
}

impl<'a> Catalog<'a> {
    /// The built-in rules alone.
    pub const BUILTIN: Catalog<'static> = Catalog { custom: &[] };

    #[must_use]
    pub fn new(custom: &'a [CustomRule]) -> Self {
        Catalog { custom }
    }

    /// How many rules, built-in and custom.
    #[must_use]
    pub fn len(&self) -> usize {
        REGISTRY.len() + self.custom.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The custom rule at catalogue index `i`, if `i` is one.
    #[must_use]
    pub fn custom_at(&self, i: usize) -> Option<&'a CustomRule> {
        i.checked_sub(REGISTRY.len())
            .and_then(|j| self.custom.get(j))
    }

    /// The code of rule `i`.
    #[must_use]
    pub fn code(&self, i: usize) -> Option<&'static str> {
        match self.custom_at(i) {
            Some(c) => Some(c.code),
            None => metas().get(i).map(|m| m.code),
        }
    }

    /// The default severity of rule `i`, `None` when it is off by default.
    #[must_use]
    pub fn default_level(&self, i: usize) -> Option<Severity> {
        match self.custom_at(i) {
            Some(c) => Some(c.severity),
            None => metas()
                .get(i)
                .and_then(|m| m.enabled_by_default.then_some(m.severity)),
        }
    }

    /// The severity rule `i` reports at when selected.
    #[must_use]
    pub fn severity(&self, i: usize) -> Option<Severity> {
        match self.custom_at(i) {
            Some(c) => Some(c.severity),
            None => metas().get(i).map(|m| m.severity),
        }
    }

    /// The index of the rule whose code is `code` (exactly, as findings carry it).
    #[must_use]
    pub fn index_of_code(&self, code: &str) -> Option<usize> {
        metas().iter().position(|m| m.code == code).or_else(|| {
            self.custom
                .iter()
                .position(|c| c.code == code)
                .map(|j| REGISTRY.len() + j)
        })
    }

    /// The index of the rule designated by `name` (code, name, or a source such as `DL3007`).
    #[must_use]
    pub fn find(&self, name: &str) -> Option<usize> {
        metas().iter().position(|m| m.is_named(name)).or_else(|| {
            self.custom
                .iter()
                .position(|c| c.is_named(name))
                .map(|j| REGISTRY.len() + j)
        })
    }

    /// Every rule designated by `name`: one rule, all rules of a category (`custom` for the
    /// custom rules), or every rule for `all`.
    #[must_use]
    pub fn select(&self, name: &str) -> Vec<usize> {
        let builtin = REGISTRY.len();
        let custom = builtin..self.len();
        if name == "all" {
            return (0..self.len()).collect();
        }
        if name == custom::CATEGORY {
            return custom.collect();
        }
        if let Some(category) = Category::parse(name) {
            return indices(|m| m.category == category);
        }
        let mut out = indices(|m| m.is_named(name));
        out.extend(custom.filter(|&i| self.custom[i - builtin].is_named(name)));
        out
    }

    /// Whether `name` is a rule designator: a category, `custom` or `all` (even one without
    /// rules), or a name [`Catalog::select`] resolves.
    #[must_use]
    pub fn is_designator(&self, name: &str) -> bool {
        name == "all"
            || name == custom::CATEGORY
            || Category::parse(name).is_some()
            || self.find(name).is_some()
    }
}

fn indices(pred: impl Fn(&RuleMeta) -> bool) -> Vec<usize> {
    metas()
        .iter()
        .enumerate()
        .filter(|(_, m)| pred(m))
        .map(|(i, _)| i)
        .collect()
}

/// What the security-update policy asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SecurityUpdates {
    #[default]
    Ignore,
    Require,
    Forbid,
}

/// Project policy that some rules read.
#[derive(Debug, Clone)]
pub struct Policy {
    pub security_updates: SecurityUpdates,
    pub eol_warn_days: u32,
    /// DD109 reports an end-of-life database older than this many days.
    pub eol_db_max_age_days: u32,
    pub trusted_registries: Vec<String>,
    /// `policy.labels` and `policy.strict-labels`.
    pub labels: label_schema::LabelPolicy,
    /// Registries (`host[:port]`) that `--online` may reach over plain HTTP.
    pub insecure_registries: Vec<String>,
    /// The day dates are judged against (`--today`, `SOURCE_DATE_EPOCH`); `None`: the clock.
    pub today: Option<crate::date::Date>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            security_updates: SecurityUpdates::Ignore,
            eol_warn_days: 90,
            eol_db_max_age_days: 180,
            trusted_registries: Vec::new(),
            labels: label_schema::LabelPolicy::default(),
            insecure_registries: Vec::new(),
            today: None,
        }
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub source: &'a str,
    pub dockerfile: &'a Dockerfile,
    pub model: &'a Model<'a>,
    pub policy: &'a Policy,
    /// The build context (`.dockerignore`, what it holds), when the file was read from disk.
    pub build: Option<&'a crate::build_context::BuildContext>,
    /// Registry answers (tag digests, index children, tag lists) gathered before linting by
    /// `--online` or a snapshot; `None` offline.
    pub registry: Option<&'a crate::registry::Answers>,
}

/// Collects the findings of one rule.
pub struct Sink {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    findings: Vec<Finding>,
}

impl Sink {
    /// A sink for the rule `meta`, reporting at `severity`.
    #[must_use]
    pub fn new(meta: &'static RuleMeta, severity: Severity) -> Self {
        Sink::named(meta.code, meta.name, severity)
    }

    /// A sink for the rule with `code` and `name` (a custom rule), reporting at `severity`.
    #[must_use]
    pub fn named(code: &'static str, name: &'static str, severity: Severity) -> Self {
        Sink {
            code,
            name,
            severity,
            findings: Vec::new(),
        }
    }

    /// Report a finding at `span`: `message` says what is wrong, `help` what to do.
    pub fn report(
        &mut self,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            code: self.code,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            help: help.into(),
            span,
            labels: Vec::new(),
            fix: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// The findings reported so far.
    #[must_use]
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// The rule table of the README, generated from the rule files.
#[must_use]
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| Code | Name | Severity | Fix | Summary | Same as |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for m in metas() {
        let severity = if m.enabled_by_default {
            m.severity.as_str().to_owned()
        } else {
            format!("{} (off)", m.severity.as_str())
        };
        let fix = match m.fix {
            FixAvailability::None => "",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
        };
        s.push_str(&format!(
            "| [{}](rules/{}-{}.md) | `{}` | {} | {} | {} | {} |\n",
            m.code,
            m.code,
            m.name,
            m.name,
            severity,
            fix,
            m.summary.replace('|', "\\|"),
            m.sources.join(", ")
        ));
    }
    s
}
