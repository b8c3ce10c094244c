//! Package-manager operations recognised from the commands of a RUN: which manager, what
//! it does (refresh the index, install, upgrade...), on which packages, and where.

use crate::shell::Word;
use crate::span::Span;
use crate::syntax::Instruction;

use super::commands::{run_commands, RunCommand};
use super::{is_within, MountKind};

/// A package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Manager {
    AptGet,
    Apt,
    Aptitude,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Pip,
    Npm,
    Gem,
    /// `yarn` (classic and berry).
    Yarn,
    /// The `go` tool (`go install`, `go get`).
    Go,
}

/// Managers that share one package database and index (yum, dnf and microdnf all use rpm
/// repositories; apt-get, apt and aptitude the apt lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Apt,
    Apk,
    Rpm,
    Zypper,
    Pip,
    Npm,
    Gem,
    Yarn,
    Go,
}

impl Manager {
    /// The manager a program name designates (`pip3`, `dnf5`, `apt-get`...).
    #[must_use]
    pub fn from_program(program: &str) -> Option<Manager> {
        Some(match program {
            "apt-get" => Manager::AptGet,
            "apt" => Manager::Apt,
            "aptitude" => Manager::Aptitude,
            "apk" => Manager::Apk,
            "yum" => Manager::Yum,
            "dnf" | "dnf5" | "dnf-3" => Manager::Dnf,
            "microdnf" => Manager::Microdnf,
            "zypper" => Manager::Zypper,
            "npm" => Manager::Npm,
            "gem" => Manager::Gem,
            "yarn" | "yarnpkg" => Manager::Yarn,
            "go" => Manager::Go,
            p if is_pip(p) => Manager::Pip,
            _ => return None,
        })
    }

    /// The command name, as users write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Manager::AptGet => "apt-get",
            Manager::Apt => "apt",
            Manager::Aptitude => "aptitude",
            Manager::Apk => "apk",
            Manager::Yum => "yum",
            Manager::Dnf => "dnf",
            Manager::Microdnf => "microdnf",
            Manager::Zypper => "zypper",
            Manager::Pip => "pip",
            Manager::Npm => "npm",
            Manager::Gem => "gem",
            Manager::Yarn => "yarn",
            Manager::Go => "go",
        }
    }

    /// The family whose index and database this manager uses.
    #[must_use]
    pub fn family(self) -> Family {
        match self {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => Family::Apt,
            Manager::Apk => Family::Apk,
            Manager::Yum | Manager::Dnf | Manager::Microdnf => Family::Rpm,
            Manager::Zypper => Family::Zypper,
            Manager::Pip => Family::Pip,
            Manager::Npm => Family::Npm,
            Manager::Gem => Family::Gem,
            Manager::Yarn => Family::Yarn,
            Manager::Go => Family::Go,
        }
    }

    /// Whether it manages the operating system's packages (not a language's).
    #[must_use]
    pub fn is_os(self) -> bool {
        !matches!(
            self,
            Manager::Pip | Manager::Npm | Manager::Gem | Manager::Yarn | Manager::Go
        )
    }

    /// The command that upgrades every installed package, as this manager spells it.
    #[must_use]
    pub fn upgrade_command(self) -> &'static str {
        match self {
            Manager::AptGet | Manager::Aptitude => "apt-get upgrade -y",
            Manager::Apt => "apt upgrade -y",
            Manager::Apk => "apk upgrade --no-cache",
            Manager::Yum => "yum update -y",
            Manager::Dnf => "dnf upgrade -y",
            Manager::Microdnf => "microdnf update -y",
            Manager::Zypper => "zypper --non-interactive patch",
            Manager::Pip => "pip install --upgrade",
            Manager::Npm => "npm update",
            Manager::Gem => "gem update",
            Manager::Yarn => "yarn upgrade",
            Manager::Go => "go get -u",
        }
    }

    /// The command that refreshes the package index, as this manager spells it.
    #[must_use]
    pub fn index_update_command(self) -> &'static str {
        match self {
            Manager::AptGet | Manager::Aptitude => "apt-get update",
            Manager::Apt => "apt update",
            Manager::Apk => "apk update",
            Manager::Yum => "yum makecache",
            Manager::Dnf => "dnf makecache",
            Manager::Microdnf => "microdnf makecache",
            Manager::Zypper => "zypper refresh",
            Manager::Pip | Manager::Npm | Manager::Gem | Manager::Yarn | Manager::Go => "",
        }
    }

    /// Directories where the manager keeps its index and downloads; a cache mount on one
    /// of them (or a parent) keeps them out of the layer.
    #[must_use]
    pub fn cache_dirs(self) -> &'static [&'static str] {
        match self.family() {
            Family::Apt => &["/var/lib/apt/lists", "/var/cache/apt"],
            Family::Apk => &["/var/cache/apk", "/etc/apk/cache"],
            Family::Rpm => &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"],
            Family::Zypper => &["/var/cache/zypp"],
            Family::Pip => &["/root/.cache/pip"],
            Family::Npm => &["/root/.npm"],
            Family::Gem => &[],
            Family::Yarn => &[
                "/usr/local/share/.cache/yarn",
                "/root/.cache/yarn",
                "/root/.yarn/berry/cache",
            ],
            Family::Go => &["/go/pkg/mod", "/root/go/pkg/mod", "/root/.cache/go-build"],
        }
    }

    /// Where the manager keeps its package index.
    #[must_use]
    pub fn index_dirs(self) -> &'static [&'static str] {
        match self.family() {
            Family::Apt => &["/var/lib/apt/lists"],
            Family::Apk => &["/var/cache/apk"],
            Family::Rpm => &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"],
            Family::Zypper => &["/var/cache/zypp"],
            Family::Pip | Family::Npm | Family::Gem | Family::Yarn | Family::Go => &[],
        }
    }

    /// Options of this manager that take the next word as their value.
    fn takes_value(self) -> &'static [&'static str] {
        match self.family() {
            Family::Apt => &[
                "-o",
                "-c",
                "-t",
                "--option",
                "--config-file",
                "--target-release",
            ],
            Family::Apk => &[
                "-X",
                "--repository",
                "-p",
                "--root",
                "--arch",
                "--cache-dir",
                "--keys-dir",
                "--repositories-file",
                "-t",
                "--virtual",
                "--cache-max-age",
                "--timeout",
            ],
            Family::Rpm => &[
                "-c",
                "--config",
                "--installroot",
                "--releasever",
                "--enablerepo",
                "--disablerepo",
                "--repo",
                "--repoid",
                "-x",
                "--exclude",
                "--setopt",
                "-d",
                "--debuglevel",
                "-e",
                "--errorlevel",
                "--forcearch",
                "--nobest",
            ],
            Family::Zypper => &[
                "-R",
                "--root",
                "-D",
                "--reposd-dir",
                "-C",
                "--cache-dir",
                "-r",
                "--repo",
                "-t",
                "--type",
                "--from",
                "-p",
                "--plus-repo",
            ],
            Family::Pip => &[
                "-r",
                "--requirement",
                "-c",
                "--constraint",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "-t",
                "--target",
                "--prefix",
                "--root",
                "--platform",
                "--python-version",
                "--trusted-host",
                "-e",
                "--editable",
                "-C",
                "--config-settings",
                "--global-option",
                "--no-binary",
                "--only-binary",
                "--upgrade-strategy",
                "--cache-dir",
                "--src",
                "--log",
                "--progress-bar",
                "--python",
                "--abi",
                "--implementation",
                "--proxy",
                "--timeout",
                "--retries",
                "--cert",
                "--client-cert",
                "--exists-action",
                "--report",
                "--root-user-action",
            ],
            Family::Npm => &[
                "--prefix",
                "-w",
                "--workspace",
                "--registry",
                "--cache",
                "--omit",
                "--include",
                "--loglevel",
                "--tag",
                "--userconfig",
                "--location",
            ],
            Family::Gem => &[
                "-v",
                "--version",
                "-i",
                "--install-dir",
                "-n",
                "--bindir",
                "--source",
                // `--file Gemfile` installs what a Gemfile names (its value is optional).
                "-g",
                "--file",
            ],
            Family::Yarn => &["--cwd", "--cache-folder", "--modules-folder", "--registry"],
            Family::Go => &[
                "-C",
                "-o",
                "-p",
                "-ldflags",
                "-gcflags",
                "-asmflags",
                "-gccgoflags",
                "-tags",
                "-mod",
                "-modfile",
                "-pkgdir",
                "-buildmode",
                "-compiler",
                "-installsuffix",
                "-overlay",
                "-pgo",
                "-toolexec",
            ],
        }
    }
}

/// What a package-manager command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Refresh the package index (`apt-get update`, `apk update`, `yum makecache`...).
    IndexUpdate,
    /// Install packages (`install`, `add`, `build-dep`, `groupinstall`...).
    Install,
    /// Upgrade installed packages (`upgrade`, `yum update`, `zypper patch`...).
    Upgrade,
    /// Upgrade across releases or with removals (`dist-upgrade`, `distro-sync`, `zypper dup`).
    DistUpgrade,
    /// Remove packages.
    Remove,
    /// Clean caches (`apt-get clean`, `yum clean all`, `apk cache clean`).
    Clean,
    /// Anything else (`apt-cache`-like queries, `info`, `list`...).
    Other,
}

/// One package-manager command of a RUN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageOp {
    pub manager: Manager,
    pub action: Action,
    /// The whole simple command (wrappers included).
    pub span: Span,
    /// The manager word (`apt-get`, `/sbin/apk`).
    pub program: Span,
    /// The subcommand word (`install`, `add`), if any.
    pub subcommand: Option<Word>,
    /// The package arguments after the subcommand, option values excluded.
    pub packages: Vec<Word>,
    /// The command refreshes the index itself (`apk add --update`, `apk add --no-cache`).
    pub refreshes_index: bool,
}

impl PackageOp {
    /// Recognise a package-manager command.
    #[must_use]
    pub fn from_command(command: &RunCommand<'_>) -> Option<PackageOp> {
        let program = command.program_word()?;
        if command.program() == "add-apt-repository" {
            return Some(add_apt_repository(command, program.span));
        }
        let manager = Manager::from_program(command.program())?;
        let mut takes_value = manager.takes_value().to_vec();
        let mut positionals = command.positionals(&takes_value);
        // `python -m pip install x`: `python` is read as pip, `-m pip` skipped.
        if manager == Manager::Pip && is_python(command.program()) {
            let args = command.args();
            let is_module = args.first().is_some_and(|w| w.value == "-m")
                && args.get(1).is_some_and(|w| is_pip(&w.value));
            if !is_module {
                return None;
            }
            takes_value.push("-m");
            positionals = command.positionals(&takes_value);
        }
        let (subcommand, verb, rest) = subcommand(manager, &positionals);
        let mut action = action(manager, &verb);
        // A bare `yarn` installs, but `yarn --version` does not.
        if manager == Manager::Yarn
            && subcommand.is_none()
            && command.has_flag(&["-v", "--version", "-h", "--help"])
        {
            action = Action::Other;
        }
        let refresh_flags: &[&str] = match manager.family() {
            Family::Apk => &["-U", "--update", "--update-cache", "--no-cache"],
            // apt 2.7+: `apt-get install --update` refreshes the lists first.
            Family::Apt => &["--update"],
            Family::Rpm | Family::Zypper => &["--refresh"],
            Family::Pip | Family::Npm | Family::Gem | Family::Yarn | Family::Go => &[],
        };
        let refreshes_index = action == Action::IndexUpdate || command.has_flag(refresh_flags);
        Some(PackageOp {
            manager,
            action,
            span: command.span,
            program: program.span,
            subcommand: subcommand.cloned(),
            packages: rest.iter().map(|w| (*w).clone()).collect(),
            refreshes_index,
        })
    }

    /// An upgrade of everything installed, not of named packages.
    #[must_use]
    pub fn is_full_upgrade(&self) -> bool {
        match self.action {
            Action::DistUpgrade => true,
            Action::Upgrade => self.packages.is_empty(),
            _ => false,
        }
    }

    /// The words naming the operation: manager and subcommand (`apt-get install`).
    #[must_use]
    pub fn name(&self, source: &str) -> String {
        let written = self.program.slice(source).trim_matches(['"', '\'']);
        let mut program = super::commands::basename(written).to_owned();
        if self.manager == Manager::Pip && is_python(&program) {
            program.push_str(" -m pip");
        }
        match &self.subcommand {
            Some(s) => format!("{program} {}", s.value),
            None => program,
        }
    }
}

impl PackageOp {
    /// Whether this command may stop to ask for a confirmation, which aborts a build (stdin
    /// is not a terminal): an apt, yum/dnf or zypper change without its assume-yes option
    /// (`-y`, `--yes`, `--assume-yes`, apt's `-qq`, `-o APT::Get::Assume-Yes=true`, dnf's
    /// `--setopt=assumeyes=1`, zypper's `-n`/`--non-interactive`/`--no-confirm`), or a
    /// `pip uninstall` without `-y`. `microdnf` never asks; a command fed by a pipe
    /// (`yes | apt-get install x`) is answered. `command` is the one `self` comes from.
    #[must_use]
    pub fn asks_confirmation(&self, command: &RunCommand<'_>) -> bool {
        if !matches!(
            self.action,
            Action::Install | Action::Upgrade | Action::DistUpgrade | Action::Remove
        ) || command
            .shell
            .is_some_and(|c| c.op_before == Some(crate::shell::Operator::Pipe))
        {
            return false;
        }
        let option_set = |key: &str| {
            command.args().iter().any(|w| {
                let lower = w.value.to_ascii_lowercase();
                lower.split_once(key).is_some_and(|(_, v)| {
                    matches!(v.trim_matches('"'), "1" | "true" | "yes" | "on")
                })
            })
        };
        match self.manager.family() {
            // A simulation or a download asks nothing (`apt-get install -s x`).
            Family::Apt
                if command.has_flag(&[
                    "-s",
                    "--simulate",
                    "--just-print",
                    "--dry-run",
                    "--recon",
                    "--no-act",
                    "-d",
                    "--download-only",
                    "--print-uris",
                ]) =>
            {
                false
            }
            Family::Apt => {
                !command.has_flag(&["-y", "--yes", "--assume-yes"])
                    && quiet_level(command) < 2
                    && !option_set("apt::get::assume-yes=")
            }
            Family::Rpm => {
                self.manager != Manager::Microdnf
                    && !command.has_flag(&["--downloadonly", "--assumeno"])
                    && !command.has_flag(&["-y", "--assumeyes"])
                    && !option_set("assumeyes=")
            }
            Family::Zypper => !command.has_flag(&["-n", "--non-interactive", "-y", "--no-confirm"]),
            Family::Pip => self.action == Action::Remove && !command.has_flag(&["-y", "--yes"]),
            _ => false,
        }
    }

    /// The package arguments of an install that name no version: `curl` but not `curl=8.*`,
    /// `curl/bookworm-backports`, `./x.deb`, `flask==3.0`, `.`, `left-pad@1.3.0`,
    /// `rails:7.1` or `gem install rails -v 7.1`, `x@v1.2.0` (go). Words with a variable
    /// (`$PKGS`) are never reported; option values (`-t bookworm`, `-r req.txt`,
    /// `--virtual .deps`) are not packages. `go install x` without `@` takes the version
    /// from `go.mod` (or fails outside a module), so only `@latest`-like versions count.
    /// `command` is the one `self` comes from.
    #[must_use]
    pub fn unpinned_packages(&self, command: &RunCommand<'_>) -> Vec<&Word> {
        let verb = self.subcommand.as_ref().map_or("", |w| w.value.as_str());
        let pinnable = self.action == Action::Install
            && match self.manager.family() {
                Family::Apt => matches!(verb, "install" | "reinstall"),
                Family::Rpm => matches!(verb, "install" | "reinstall" | "module"),
                Family::Gem => !command.has_flag(&["-v", "--version"]),
                Family::Yarn => verb == "add" || verb == "global",
                _ => true,
            };
        if !pinnable {
            return Vec::new();
        }
        let go_get = self.manager == Manager::Go && verb == "get";
        self.packages
            .iter()
            .filter(|w| !w.has_expansion && !is_pinned(self.manager, go_get, &w.value))
            .collect()
    }
}

/// The apt quiet level: `-q` counts one per `q` (`-qq` is 2), `-q=2`, `--quiet=2`.
fn quiet_level(command: &RunCommand<'_>) -> u32 {
    let mut level = 0;
    for w in command.args().iter().take_while(|w| w.value != "--") {
        let v = w.value.as_str();
        if let Some(n) = v.strip_prefix("-q=").or_else(|| v.strip_prefix("--quiet=")) {
            level += n.parse::<u32>().unwrap_or(1);
        } else if v == "--quiet" {
            level += 1;
        } else if let Some(letters) = v.strip_prefix('-').filter(|l| !l.starts_with('-')) {
            level += u32::try_from(letters.matches('q').count()).unwrap_or(0);
        }
    }
    level
}

/// Whether package argument `v` of `manager` names a version, a file, a URL or a release.
fn is_pinned(manager: Manager, go_get: bool, v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let file = |exts: &[&str]| exts.iter().any(|e| lower.ends_with(e));
    match manager.family() {
        Family::Apt => v.contains(['=', '/']) || file(&[".deb"]),
        Family::Apk => v.contains(['=', '~', '<', '>', '/']) || file(&[".apk"]),
        Family::Rpm => {
            v.contains(['=', '<', '>', '/', ':'])
                || v.starts_with('@')
                || file(&[".rpm"])
                || v.split('-')
                    .skip(1)
                    .any(|part| part.starts_with(|c: char| c.is_ascii_digit()))
        }
        Family::Zypper => v.contains(['=', '<', '>', '/']) || file(&[".rpm"]),
        Family::Pip if is_vcs_url(&lower) => vcs_ref(v),
        Family::Pip => {
            v.contains(['=', '<', '>', '~', '@', '/'])
                || v.starts_with('.')
                || file(&[".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"])
        }
        Family::Npm | Family::Yarn => is_npm_pinned(v, &lower),
        Family::Gem => v.contains([':', '/']) || file(&[".gem"]),
        Family::Go => {
            if v.starts_with(['.', '/']) {
                return true;
            }
            match v.rsplit_once('@') {
                Some((_, version)) => !matches!(
                    version,
                    "" | "latest" | "none" | "upgrade" | "patch" | "master" | "main" | "HEAD"
                ),
                None => !go_get,
            }
        }
    }
}

/// A pip VCS requirement: `git+https://...`, `hg+...`, `svn+...`, `bzr+...`.
fn is_vcs_url(lower: &str) -> bool {
    ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Whether pip VCS URL `v` names a revision (`git+https://host/x.git@v1.2#egg=x`); the
/// `git@` user of `git+ssh://git@host/x` is not one.
fn vcs_ref(v: &str) -> bool {
    let url = v.split('#').next().unwrap_or(v);
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .split_once('/')
        .is_some_and(|(_, path)| path.rsplit_once('@').is_some_and(|(_, r)| !r.is_empty()))
}

/// An npm/yarn spec with a version (`x@1.2`, `@s/x@^1`), a local path, a tarball, or a git
/// URL with a `#ref`.
fn is_npm_pinned(v: &str, lower: &str) -> bool {
    if v.starts_with(['.', '/', '~']) || lower.starts_with("file:") {
        return true;
    }
    if [".tgz", ".tar.gz"].iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    let name = v.strip_prefix('@').unwrap_or(v);
    if v.contains(':') || name.contains('/') && !v.starts_with('@') {
        // A git or GitHub spec: pinned by a `#commit-ish`.
        return v.contains('#');
    }
    name.split_once('@')
        .is_some_and(|(_, version)| !matches!(version, "" | "latest" | "next"))
}

/// Whether a command of `commands` that starts after byte offset `after` deletes
/// `manager`'s download cache (its index lists for apt): `rm` of the directory, of a
/// parent or of its content, or the manager's own clean (`yum clean all`, `zypper clean`,
/// `apk cache clean`, `pip cache purge`, `yarn cache clean`; not `apt-get clean`, which
/// keeps the lists). `~` and `$HOME` are read as `/root`; pip and yarn caches in any home
/// (`/home/app/.cache/pip`) count.
#[must_use]
pub fn cleans_cache_after(commands: &[RunCommand<'_>], manager: Manager, after: u32) -> bool {
    let dirs = if manager.family() == Family::Apt {
        manager.index_dirs()
    } else {
        manager.cache_dirs()
    };
    commands.iter().filter(|c| c.span.start >= after).any(|c| {
        if c.program() == "rm" {
            return c.positionals(&[]).iter().any(|w| {
                let path = home_path(&w.value);
                let dir = path.trim_end_matches("/*").trim_end_matches('*');
                let dir = super::normalize_path(dir);
                dirs.iter()
                    .any(|d| is_within(&path, d) || (!dir.is_empty() && is_within(d, &dir)))
                    || user_cache_path(manager, &dir)
            });
        }
        PackageOp::from_command(c).is_some_and(|op| {
            op.action == Action::Clean
                && op.manager.family() == manager.family()
                && match manager.family() {
                    // `apt-get clean` keeps the lists; apt 2.7's `dist-clean` drops them.
                    Family::Apt => op
                        .subcommand
                        .as_ref()
                        .is_some_and(|w| matches!(w.value.as_str(), "distclean" | "dist-clean")),
                    Family::Rpm => op.packages.iter().any(|w| w.value == "all"),
                    _ => true,
                }
        })
    })
}

/// Whether a cache or tmpfs mount of `inst` holds `manager`'s download cache: one of its
/// cache directories (for apt, its lists) or a parent, a pip or yarn cache in any home, or `extra` (the
/// directory a variable such as `PIP_CACHE_DIR` points the manager to).
#[must_use]
pub fn cache_mounted(inst: &Instruction, manager: Manager, extra: Option<&str>) -> bool {
    super::mounts(inst).iter().any(|m| {
        matches!(m.kind, MountKind::Cache | MountKind::Tmpfs)
            && m.target.as_deref().is_some_and(|target| {
                let target = super::normalize_path(&home_path(target));
                // What apt leaves behind is its lists; `/var/cache/apt` alone does not hold them.
                let dirs = if manager.family() == Family::Apt {
                    manager.index_dirs()
                } else {
                    manager.cache_dirs()
                };
                dirs.iter().any(|dir| is_within(dir, &target))
                    || user_cache_path(manager, &target)
                    || extra.is_some_and(|e| is_within(&super::normalize_path(e), &target))
            })
    })
}

/// Whether the text of a RUN of the stage chain of instruction `index` written before byte
/// offset `before` (earlier RUNs, and the start of this one) contains one of `needles`,
/// compared case-insensitively with quotes and blanks removed (lower-case needles), in a
/// RUN that mentions configuration (`conf`): how an image configures its package manager
/// (`echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/...`).
#[must_use]
pub fn configured_before(
    model: &super::Model<'_>,
    index: usize,
    before: u32,
    needles: &[&str],
) -> bool {
    let Some(stage) = model.context(index).stage else {
        return false;
    };
    // Only a RUN that writes configuration counts (`apt.conf.d`, `dnf.conf`, `pip config`),
    // not a one-off option such as `--setopt=assumeyes=1`.
    let configures = |text: &str| text.contains("conf") && needles.iter().any(|n| text.contains(n));
    let this_run = model
        .dockerfile
        .instructions
        .get(index)
        .filter(|inst| inst.keyword == crate::syntax::Keyword::Run && inst.span.start < before);
    if let Some(inst) = this_run {
        let end = inst.span.end.min(before) as usize;
        if configures(&config_text(&model.source[inst.span.start as usize..end])) {
            return true;
        }
    }
    model
        .config_runs()
        .iter()
        .take_while(|(i, _)| *i < index)
        .filter(|(i, _)| {
            model
                .context(*i)
                .stage
                .is_some_and(|s| model.is_built_on(stage, s))
        })
        .any(|(_, text)| configures(text))
}

/// A RUN's text as [`configured_before`] compares it: lower case, quotes and blanks removed.
fn config_text(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '"' | '\'' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl super::Model<'_> {
    /// Every RUN whose text mentions configuration (`conf`), as [`config_text`] gives it.
    fn config_runs(&self) -> &[(usize, String)] {
        self.memo.config_runs.get_or_init(|| {
            self.dockerfile
                .instructions
                .iter()
                .enumerate()
                .filter(|(_, inst)| inst.keyword == crate::syntax::Keyword::Run)
                .map(|(i, inst)| (i, config_text(inst.span.slice(self.source))))
                .filter(|(_, text)| text.contains("conf"))
                .collect()
        })
    }
}

/// `~/x` and `$HOME/x` as `/root/x`.
fn home_path(path: &str) -> String {
    for home in ["~", "$HOME", "${HOME}"] {
        if let Some(rest) = path.strip_prefix(home) {
            if rest.is_empty() || rest.starts_with('/') {
                return format!("/root{rest}");
            }
        }
    }
    path.to_owned()
}

/// A pip or yarn cache directory (or its `.cache` parent) in any user's home.
fn user_cache_path(manager: Manager, path: &str) -> bool {
    let tail: &[&str] = match manager.family() {
        Family::Pip => &["/.cache", "/.cache/pip"],
        Family::Yarn => &[
            "/.cache",
            "/.cache/yarn",
            "/.yarn/berry/cache",
            "/.yarn/cache",
        ],
        _ => &[],
    };
    tail.iter().any(|t| path.ends_with(t))
}

/// Whether `commands` delete `manager`'s package index: `rm` of its index directory, or
/// a clean subcommand that drops metadata (`yum clean all`, `apk cache clean`).
#[must_use]
pub fn removes_index(commands: &[RunCommand<'_>], manager: Manager) -> bool {
    commands.iter().any(|c| {
        if c.program() == "rm" {
            return c.positionals(&[]).iter().any(|w| {
                let path = super::normalize_path(&w.value);
                manager.index_dirs().iter().any(|d| is_within(&path, d))
            });
        }
        PackageOp::from_command(c).is_some_and(|op| {
            op.action == Action::Clean
                && op.manager.family() == manager.family()
                && (op.manager.family() != Family::Apt
                    || op
                        .subcommand
                        .as_ref()
                        .is_some_and(|w| matches!(w.value.as_str(), "distclean" | "dist-clean")))
        })
    })
}

/// `add-apt-repository` adds a source and, unless told `-n`, refreshes the apt lists.
fn add_apt_repository(command: &RunCommand<'_>, program: Span) -> PackageOp {
    PackageOp {
        manager: Manager::AptGet,
        action: Action::Other,
        span: command.span,
        program,
        subcommand: None,
        packages: Vec::new(),
        refreshes_index: !command.has_flag(&["-n", "--no-update"]),
    }
}

/// The RUN that `inst` runs: itself if it is a RUN, the trigger of an `ONBUILD RUN`
/// (which runs in the images built `FROM` this one), or `None`.
#[must_use]
pub fn run_or_onbuild_run(inst: &Instruction) -> Option<&Instruction> {
    match &inst.kind {
        crate::syntax::InstructionKind::Onbuild(Some(inner)) => {
            (inner.keyword == crate::syntax::Keyword::Run).then_some(&**inner)
        }
        _ => (inst.keyword == crate::syntax::Keyword::Run).then_some(inst),
    }
}

/// The package operations of a RUN, in order.
#[must_use]
pub fn package_ops(inst: &Instruction) -> Vec<PackageOp> {
    run_commands(inst)
        .iter()
        .filter_map(PackageOp::from_command)
        .collect()
}

/// Whether a `RUN --mount=type=cache` of `inst` holds one of `manager`'s cache
/// directories, which keeps its index out of the image.
#[must_use]
pub fn has_cache_mount(inst: &Instruction, manager: Manager) -> bool {
    super::mounts(inst).iter().any(|m| {
        m.kind == MountKind::Cache
            && m.target.as_deref().is_some_and(|target| {
                manager
                    .cache_dirs()
                    .iter()
                    .any(|dir| is_within(dir, target))
            })
    })
}

/// `pip`, `pip3`, `pip3.12`, or a `python*` that may run `-m pip`.
fn is_pip(program: &str) -> bool {
    program
        .strip_prefix("pip")
        .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        || is_python(program)
}

/// `python`, `python3`, `python3.12`.
fn is_python(program: &str) -> bool {
    program
        .strip_prefix("python")
        .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// The subcommand word, the verb it spells (two words for `apk cache clean`,
/// `dnf group install`, `dnf module install`) and the words after it.
fn subcommand<'w>(
    manager: Manager,
    positionals: &[&'w Word],
) -> (Option<&'w Word>, String, Vec<&'w Word>) {
    let Some((first, rest)) = positionals.split_first() else {
        return (None, String::new(), Vec::new());
    };
    let two_words = match manager.family() {
        Family::Apk => first.value == "cache",
        Family::Rpm => matches!(first.value.as_str(), "group" | "groups" | "module"),
        Family::Yarn => matches!(first.value.as_str(), "global" | "cache"),
        Family::Pip => first.value == "cache",
        Family::Npm => first.value == "cache",
        _ => false,
    };
    if let Some((second, tail)) = rest.split_first().filter(|_| two_words) {
        let verb = format!("{} {}", first.value, second.value);
        return (Some(first), verb, tail.to_vec());
    }
    (Some(first), first.value.clone(), rest.to_vec())
}

/// What subcommand `verb` does for `manager`.
fn action(manager: Manager, verb: &str) -> Action {
    let s = verb;
    match manager.family() {
        Family::Apt => match s {
            "update" => Action::IndexUpdate,
            "install" | "reinstall" | "build-dep" | "satisfy" => Action::Install,
            "upgrade" | "safe-upgrade" => Action::Upgrade,
            "dist-upgrade" | "full-upgrade" => Action::DistUpgrade,
            "remove" | "purge" | "autoremove" | "autopurge" => Action::Remove,
            "clean" | "autoclean" | "distclean" | "dist-clean" => Action::Clean,
            _ => Action::Other,
        },
        Family::Apk => match s {
            "update" => Action::IndexUpdate,
            "add" => Action::Install,
            "upgrade" => Action::Upgrade,
            "del" => Action::Remove,
            "cache clean" | "cache purge" => Action::Clean,
            _ => Action::Other,
        },
        Family::Rpm => match s {
            "makecache" | "check-update" => Action::IndexUpdate,
            "install" | "groupinstall" | "localinstall" | "reinstall" | "builddep"
            | "group install" | "groups install" | "module install" => Action::Install,
            // `microdnf update` and `yum update` without packages upgrade everything.
            "update" | "upgrade" | "upgrade-minimal" | "update-minimal" => Action::Upgrade,
            "distro-sync" | "distribution-synchronization" | "dist-upgrade" => Action::DistUpgrade,
            "remove" | "erase" | "autoremove" | "groupremove" | "group remove" => Action::Remove,
            "clean" => Action::Clean,
            _ => Action::Other,
        },
        Family::Zypper => match s {
            "refresh" | "ref" => Action::IndexUpdate,
            "install" | "in" | "source-install" | "si" => Action::Install,
            "update" | "up" | "patch" => Action::Upgrade,
            "dist-upgrade" | "dup" => Action::DistUpgrade,
            "remove" | "rm" => Action::Remove,
            "clean" | "cc" => Action::Clean,
            _ => Action::Other,
        },
        Family::Yarn => match s {
            // A bare `yarn` installs the project's dependencies.
            "" | "install" | "add" | "global add" => Action::Install,
            "upgrade" | "up" | "global upgrade" => Action::Upgrade,
            "remove" | "global remove" => Action::Remove,
            "cache clean" => Action::Clean,
            _ => Action::Other,
        },
        Family::Go => match s {
            "install" | "get" => Action::Install,
            "clean" => Action::Clean,
            _ => Action::Other,
        },
        Family::Pip | Family::Npm | Family::Gem => match s {
            "cache purge" | "cache clean" | "cache remove" | "cache rm" => Action::Clean,
            "install" | "i" | "add" | "ci" => Action::Install,
            "update" | "upgrade" => Action::Upgrade,
            "uninstall" | "remove" | "rm" => Action::Remove,
            _ => Action::Other,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// (manager, action, packages, refreshes index) of every op of `run`.
    fn ops(run: &str) -> Vec<(Manager, Action, Vec<String>, bool)> {
        let src = format!("FROM a\n{run}\n");
        let df = parse(&src);
        package_ops(&df.instructions[1])
            .into_iter()
            .map(|o| {
                let packages = o.packages.iter().map(|w| w.value.clone()).collect();
                (o.manager, o.action, packages, o.refreshes_index)
            })
            .collect()
    }

    fn one(run: &str) -> (Manager, Action, Vec<String>, bool) {
        let mut all = ops(run);
        assert_eq!(all.len(), 1, "{run}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn apt() {
        assert_eq!(one("RUN apt-get -y update").1, Action::IndexUpdate);
        let (m, a, p, r) = one("RUN apt-get install -y --no-install-recommends a=1.* b");
        assert_eq!((m, a, r), (Manager::AptGet, Action::Install, false));
        assert_eq!(p, ["a=1.*", "b"]);
        let (_, a, p, _) = one("RUN apt-get -o Dpkg::Options::=--force-confnew -qq install x");
        assert_eq!((a, p), (Action::Install, vec!["x".to_owned()]));
        assert_eq!(one("RUN apt dist-upgrade -y").1, Action::DistUpgrade);
        assert_eq!(one("RUN sudo apt-get upgrade -y").1, Action::Upgrade);
        assert_eq!(one("RUN aptitude safe-upgrade").1, Action::Upgrade);
        assert_eq!(one("RUN apt-get clean").1, Action::Clean);
        assert!(one("RUN apt-get install --update -y x").3);
        assert!(one("RUN add-apt-repository ppa:x/y").3);
        assert!(!one("RUN add-apt-repository -n ppa:x/y").3);
        assert_eq!(
            one("RUN apt-get purge -y --auto-remove x").1,
            Action::Remove
        );
    }

    #[test]
    fn apk() {
        let (_, a, p, r) = one("RUN apk add --no-cache x");
        assert_eq!((a, p, r), (Action::Install, vec!["x".to_owned()], true));
        let (_, a, _, r) = one("RUN apk --update add x");
        assert_eq!((a, r), (Action::Install, true));
        let (_, a, p, r) = one("RUN apk add --virtual .build-deps gcc");
        assert_eq!((a, p, r), (Action::Install, vec!["gcc".to_owned()], false));
        assert_eq!(
            one("RUN apk update"),
            (Manager::Apk, Action::IndexUpdate, vec![], true)
        );
        assert_eq!(one("RUN apk upgrade --no-cache").1, Action::Upgrade);
        assert_eq!(one("RUN apk del .build-deps").1, Action::Remove);
        let (_, a, p, _) = one("RUN apk cache clean");
        assert_eq!((a, p.len()), (Action::Clean, 0));
    }

    #[test]
    fn rpm_and_zypper() {
        assert_eq!(one("RUN yum makecache").1, Action::IndexUpdate);
        assert_eq!(one("RUN yum -y makecache fast").1, Action::IndexUpdate);
        let (m, a, p, _) = one("RUN dnf -y upgrade");
        assert_eq!((m, a, p.len()), (Manager::Dnf, Action::Upgrade, 0));
        let op = &package_ops(&parse("FROM a\nRUN microdnf update\n").instructions[1])[0];
        assert!(op.is_full_upgrade());
        let op = &package_ops(&parse("FROM a\nRUN yum update -y openssl\n").instructions[1])[0];
        assert!(!op.is_full_upgrade());
        let (_, a, p, _) = one("RUN yum --enablerepo epel install -y x");
        assert_eq!((a, p), (Action::Install, vec!["x".to_owned()]));
        let (_, a, p, _) = one("RUN dnf group install -y 'Development Tools'");
        assert_eq!(
            (a, p),
            (Action::Install, vec!["Development Tools".to_owned()])
        );
        assert_eq!(
            one("RUN zypper --non-interactive ref").1,
            Action::IndexUpdate
        );
        assert_eq!(one("RUN zypper patch").1, Action::Upgrade);
        assert_eq!(one("RUN zypper -n dup").1, Action::DistUpgrade);
        let (m, a, p, _) = one("RUN zypper -n in -y curl");
        assert_eq!(
            (m, a, p),
            (Manager::Zypper, Action::Install, vec!["curl".to_owned()])
        );
    }

    #[test]
    fn language_managers_and_non_managers() {
        let (m, a, p, _) = one("RUN python3 -m pip install --no-cache-dir -r req.txt flask");
        assert_eq!(
            (m, a, p),
            (Manager::Pip, Action::Install, vec!["flask".to_owned()])
        );
        assert!(ops("RUN python3 setup.py install").is_empty());
        assert_eq!(one("RUN npm ci").1, Action::Install);
        assert!(ops("RUN apt-cache policy x && echo apt-get install").is_empty());
    }

    #[test]
    fn index_removal() {
        let removes = |run: &str, manager| {
            let df = parse(&format!("FROM a\n{run}\n"));
            removes_index(&run_commands(&df.instructions[1]), manager)
        };
        assert!(removes("RUN rm -rf /var/lib/apt/lists/*", Manager::AptGet));
        assert!(!removes("RUN apt-get clean", Manager::AptGet));
        assert!(removes("RUN yum clean all", Manager::Dnf));
        assert!(!removes("RUN rm -rf /tmp/*", Manager::Apk));
    }

    #[test]
    fn cache_mounts() {
        let df = parse("FROM a\nRUN --mount=type=cache,target=/var/lib/apt apt-get install x\n");
        assert!(has_cache_mount(&df.instructions[1], Manager::AptGet));
        assert!(!has_cache_mount(&df.instructions[1], Manager::Apk));
        let df = parse("FROM a\nRUN --mount=type=bind,target=/var/cache/apk apk add x\n");
        assert!(!has_cache_mount(&df.instructions[1], Manager::Apk));
    }

    /// The values of the unpinned packages of the one op of `run`.
    fn unpinned(run: &str) -> Vec<String> {
        let df = parse(&format!("FROM a\n{run}\n"));
        let commands = run_commands(&df.instructions[1]);
        commands
            .iter()
            .filter_map(|c| PackageOp::from_command(c).map(|op| (c, op)))
            .flat_map(|(c, op)| {
                op.unpinned_packages(c)
                    .iter()
                    .map(|w| w.value.clone())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn asks(run: &str) -> bool {
        let df = parse(&format!("FROM a\n{run}\n"));
        let commands = run_commands(&df.instructions[1]);
        commands
            .iter()
            .any(|c| PackageOp::from_command(c).is_some_and(|op| op.asks_confirmation(c)))
    }

    #[test]
    fn pinning() {
        assert_eq!(
            unpinned("RUN apt-get install -y -t bookworm-backports a b=1.2* c/bookworm ./x.deb $P"),
            ["a"]
        );
        assert_eq!(
            unpinned("RUN apk add --virtual .d gcc musl-dev=1.2 x.apk"),
            ["gcc"]
        );
        assert_eq!(
            unpinned("RUN dnf install -y python3-devel nginx-1.20.1 @core ./x.rpm"),
            ["python3-devel"]
        );
        assert!(unpinned("RUN dnf module install -y nodejs:20").is_empty());
        assert_eq!(unpinned("RUN zypper -n in curl git=2.43 x.rpm"), ["curl"]);
        assert_eq!(
            unpinned("RUN pip install -r req.txt -c c.txt . flask==3.0 'x>=1' requests git+https://g/x@v1"),
            ["requests"]
        );
        assert!(unpinned("RUN pip install --no-binary :all: -e . ").is_empty());
        assert_eq!(
            unpinned(
                "RUN pip install git+https://g.io/a.git git+ssh://git@g.io/b.git@v2 \\
                 'git+git://g.io/c.git#egg=c' git+https://g.io/d@1a2b#egg=d hg+https://h/e"
            ),
            [
                "git+https://g.io/a.git",
                "git+git://g.io/c.git#egg=c",
                "hg+https://h/e"
            ]
        );
        assert!(
            unpinned("RUN npm ci && npm install && npm i -g npm@10.2.0 @s/x@^1 ./pkg").is_empty()
        );
        assert_eq!(
            unpinned("RUN npm install -g npm@latest @s/y typescript"),
            ["npm@latest", "@s/y", "typescript"]
        );
        assert_eq!(
            unpinned("RUN npm install user/repo user/repo#v1"),
            ["user/repo"]
        );
        assert_eq!(
            unpinned("RUN yarn global add serve && yarn install && yarn add x@1"),
            ["serve"]
        );
        assert!(unpinned("RUN gem install rails -v 7.1 && gem install bundler:2.5").is_empty());
        assert_eq!(unpinned("RUN gem install rails"), ["rails"]);
        assert!(unpinned("RUN gem install --file Gemfile").is_empty());
        assert!(unpinned("RUN gem install -g gems.rb --no-document").is_empty());
        assert_eq!(
            unpinned("RUN go install a.io/x@v1.2.0 b.io/y@latest ./cmd/... && go install c.io/z"),
            ["b.io/y@latest"]
        );
        assert_eq!(
            unpinned("RUN go get c.io/z && go build -o /x ."),
            ["c.io/z"]
        );
    }

    #[test]
    fn confirmation() {
        assert!(asks("RUN apt-get install x"));
        assert!(asks("RUN apt-get -q install x"));
        assert!(!asks("RUN apt-get install -qy x"));
        assert!(!asks("RUN apt-get -qq install x"));
        assert!(!asks("RUN apt-get -q -q install x"));
        assert!(!asks("RUN apt-get -o APT::Get::Assume-Yes=true install x"));
        assert!(!asks("RUN yes | apt-get install x"));
        assert!(!asks("RUN apt-get update && apt-get clean"));
        assert!(!asks(
            "RUN apt-get install -s x && apt-get --download-only install y"
        ));
        assert!(asks("RUN apt-get upgrade"));
        assert!(asks("RUN yum install x"));
        assert!(!asks("RUN dnf --assumeyes install x"));
        assert!(!asks("RUN dnf --setopt=assumeyes=True install x"));
        assert!(!asks("RUN microdnf install x"));
        assert!(asks("RUN zypper install x"));
        assert!(!asks("RUN zypper --non-interactive install x"));
        assert!(!asks("RUN zypper in -y x"));
        assert!(asks("RUN pip uninstall x"));
        assert!(!asks(
            "RUN pip uninstall -y x && pip install x && apk add x"
        ));
    }

    #[test]
    fn cache_cleanup_and_mounts() {
        let cleans = |run: &str, manager| {
            let df = parse(&format!("FROM a\n{run}\n"));
            cleans_cache_after(&run_commands(&df.instructions[1]), manager, 0)
        };
        assert!(cleans("RUN rm -rf /var/lib/apt/lists/*", Manager::AptGet));
        assert!(!cleans("RUN apt-get clean", Manager::AptGet));
        assert!(cleans("RUN apt-get dist-clean", Manager::AptGet));
        assert!(cleans("RUN yum clean all", Manager::Yum));
        assert!(!cleans("RUN yum clean packages", Manager::Yum));
        assert!(cleans("RUN rm -rf /var/cache/*", Manager::Dnf));
        assert!(cleans("RUN zypper cc -a", Manager::Zypper));
        assert!(cleans("RUN pip cache purge", Manager::Pip));
        assert!(cleans("RUN rm -rf ~/.cache/pip", Manager::Pip));
        assert!(cleans("RUN rm -rf /home/app/.cache", Manager::Pip));
        assert!(cleans("RUN yarn cache clean --all", Manager::Yarn));
        assert!(!cleans("RUN rm -rf /tmp/*", Manager::Apk));
        let mounted = |run: &str, manager, extra| {
            let df = parse(&format!("FROM a\n{run}\n"));
            cache_mounted(&df.instructions[1], manager, extra)
        };
        assert!(mounted(
            "RUN --mount=type=cache,target=/root/.cache pip install x",
            Manager::Pip,
            None
        ));
        assert!(mounted(
            "RUN --mount=type=cache,target=/home/u/.cache/pip pip install x",
            Manager::Pip,
            None
        ));
        assert!(mounted(
            "RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update",
            Manager::AptGet,
            None
        ));
        assert!(mounted(
            "RUN --mount=type=cache,target=/pc pip install x",
            Manager::Pip,
            Some("/pc")
        ));
        assert!(!mounted(
            "RUN --mount=type=cache,target=/pc pip install x",
            Manager::Pip,
            None
        ));
        assert!(!mounted(
            "RUN --mount=type=cache,target=/var/cache/apt apt-get update",
            Manager::AptGet,
            None
        ));
    }

    #[test]
    fn several_ops_in_order_with_spans() {
        let src =
            "FROM a\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y x\n";
        let df = parse(src);
        let all = package_ops(&df.instructions[1]);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].span.slice(src), "apt-get update");
        assert_eq!(
            all[1].span.slice(src),
            "DEBIAN_FRONTEND=noninteractive apt-get install -y x"
        );
        assert_eq!(all[1].program.slice(src), "apt-get");
        assert_eq!(all[1].name(src), "apt-get install");
    }
}
