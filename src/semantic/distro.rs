//! Which `/bin/sh` a stage's image has, from its base image's name and tag and, failing
//! that, from the package manager its RUNs use: dash on Debian and Ubuntu, busybox ash on
//! Alpine, bash on the RPM distributions, openSUSE and Arch.

use super::packages::{Family, PackageOp};
use super::{Base, Model};
use crate::syntax::ImageRef;

/// The shell behind `/bin/sh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemShell {
    /// dash (Debian, Ubuntu and the images built on them).
    Dash,
    /// busybox ash (Alpine, busybox).
    BusyboxAsh,
    /// bash running as sh (RHEL, CentOS, Fedora, Amazon Linux, openSUSE, Arch...).
    Bash,
    /// No shell at all (`scratch`).
    None,
}

/// Tag tokens that name a Debian or Ubuntu release or variant.
const DEBIAN_TOKENS: &[&str] = &[
    "bookworm", "bullseye", "buster", "stretch", "jessie", "trixie", "sid", "slim", "focal",
    "jammy", "noble", "bionic", "xenial", "trusty", "oracular", "plucky", "debian", "ubuntu",
];

/// Tag tokens that name a distribution whose /bin/sh is bash.
const BASH_TOKENS: &[&str] = &[
    "centos",
    "ubi",
    "ubi8",
    "ubi9",
    "ubi10",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "al2",
    "al2023",
    "oraclelinux",
    "fedora",
    "rhel",
    "opensuse",
    "leap",
    "tumbleweed",
];

/// Repositories built on Debian or Ubuntu unless a tag token says otherwise.
const DEBIAN_REPOS: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "node",
    "python",
    "ruby",
    "golang",
    "php",
    "perl",
    "rust",
    "openjdk",
    "gcc",
    "nginx",
    "httpd",
    "redis",
    "postgres",
    "maven",
    "gradle",
    "tomcat",
    "eclipse-temurin",
    "elixir",
    "erlang",
    "haskell",
    "r-base",
    "julia",
    "wordpress",
    "mariadb",
    "mongo",
    "rabbitmq",
    "jenkins",
    "sonarqube",
    "odoo",
    "ros",
    "swift",
    "clojure",
    "groovy",
    "pypy",
    "drupal",
    "ghost",
    "nextcloud",
    "kong",
    "cuda",
    "miniconda3",
    "anaconda3",
    "dotnet/sdk",
    "dotnet/aspnet",
    "dotnet/runtime",
    "mssql/server",
    "mssql-server-linux",
];

/// Repositories whose /bin/sh is bash.
const BASH_REPOS: &[&str] = &[
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "archlinux",
    "photon",
    "clearlinux",
    "ubi8",
    "ubi9",
    "ubi10",
    "ubi8/ubi",
    "ubi9/ubi",
    "ubi8-minimal",
    "ubi9-minimal",
    "ubi8/ubi-minimal",
    "ubi9/ubi-minimal",
    "opensuse/leap",
    "opensuse/tumbleweed",
    "sles",
    "mageia",
];

/// The `/bin/sh` of image `image` (a resolved reference), if its name or tag tells.
#[must_use]
pub fn image_shell(image: &ImageRef) -> Option<SystemShell> {
    let path = image.path.text.to_ascii_lowercase();
    let tag = image
        .tag
        .as_ref()
        .map(|t| t.text.to_ascii_lowercase())
        .unwrap_or_default();
    // Each token as written and without its version digits (`alpine3` -> `alpine`).
    let tokens: Vec<&str> = tag
        .split(['-', '.', '_'])
        .flat_map(|t| [t, t.trim_end_matches(|c: char| c.is_ascii_digit())])
        .collect();
    let last = path.rsplit('/').next().unwrap_or(&path);
    if last == "alpine" || last == "busybox" || tokens.contains(&"alpine") {
        return Some(SystemShell::BusyboxAsh);
    }
    if tokens.iter().any(|t| BASH_TOKENS.contains(t)) || ends_with_repo(&path, BASH_REPOS) {
        return Some(SystemShell::Bash);
    }
    if tokens.iter().any(|t| DEBIAN_TOKENS.contains(t)) || ends_with_repo(&path, DEBIAN_REPOS) {
        return Some(SystemShell::Dash);
    }
    None
}

/// Whether `path` is one of `repos` or ends with `/` and one of them.
fn ends_with_repo(path: &str, repos: &[&str]) -> bool {
    repos
        .iter()
        .any(|r| path == *r || path.strip_suffix(r).is_some_and(|rest| rest.ends_with('/')))
}

impl Model<'_> {
    /// The `/bin/sh` of stage `stage`: from the first image of its `FROM <stage>` chain that
    /// tells, else from the OS package manager its chain's RUNs use (apt-get: dash, apk:
    /// busybox ash, yum/dnf/zypper: bash); `None` when nothing tells.
    #[must_use]
    pub fn system_shell(&self, stage: usize) -> Option<SystemShell> {
        let shells = self.memo.system_shells.get_or_init(|| self.system_shells());
        shells.get(stage).copied().flatten()
    }

    /// [`Model::system_shell`] of every stage, in one pass: stages are built only on stages
    /// before them, so a stage's answer from its chain is known when it is reached.
    fn system_shells(&self) -> Vec<Option<SystemShell>> {
        let mut from_packages: Vec<Option<SystemShell>> = Vec::with_capacity(self.stages.len());
        let mut from_root_image: Vec<Option<SystemShell>> = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            let parent = stage.parent().filter(|&p| p < stage.index);
            let own = stage.body.clone().find_map(|i| self.package_shell(i));
            from_packages.push(own.or_else(|| parent.and_then(|p| from_packages[p])));
            let root_image = match (&stage.base, parent) {
                (_, Some(p)) => from_root_image[p],
                (Base::Scratch, None) => Some(SystemShell::None),
                (Base::Image(image), None) => image.judgeable().and_then(image_shell),
                (Base::Stage(_) | Base::Missing, None) => None,
            };
            from_root_image.push(root_image);
        }
        from_root_image
            .into_iter()
            .zip(from_packages)
            .map(|(image, packages)| image.or(packages))
            .collect()
    }

    /// The `/bin/sh` the first OS package manager of RUN `index` implies.
    fn package_shell(&self, index: usize) -> Option<SystemShell> {
        self.commands(index)
            .iter()
            .filter_map(PackageOp::from_command)
            .find_map(|op| match op.manager.family() {
                Family::Apt => Some(SystemShell::Dash),
                Family::Apk => Some(SystemShell::BusyboxAsh),
                Family::Rpm | Family::Zypper => Some(SystemShell::Bash),
                _ => None,
            })
    }

    /// Whether a RUN before instruction `index`, in its stage or a stage it is built on,
    /// links another shell (bash, zsh, ksh) to `/bin/sh`.
    #[must_use]
    pub fn sh_replaced_before(&self, index: usize) -> bool {
        let Some(stage) = self.context(index).stage else {
            return false;
        };
        let found = self
            .memo
            .sh_replacements
            .get_or_init(|| self.sh_replacements());
        let body_start = self.stages[stage].body.start;
        let from = found.runs.partition_point(|&r| r < body_start);
        let to = found.runs.partition_point(|&r| r < index);
        found.in_ancestors[stage] || from < to
    }

    fn sh_replacements(&self) -> ShReplacements {
        let runs: Vec<usize> = self
            .runs()
            .map(|(i, _)| i)
            .filter(|&i| self.commands(i).iter().any(replaces_bin_sh))
            .collect();
        let mut in_stage = vec![false; self.stages.len()];
        for &r in &runs {
            if let Some(s) = self.context(r).stage {
                in_stage[s] = true;
            }
        }
        let mut in_ancestors: Vec<bool> = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            let parent = stage.parent().filter(|&p| p < stage.index);
            in_ancestors.push(parent.is_some_and(|p| in_stage[p] || in_ancestors[p]));
        }
        ShReplacements { runs, in_ancestors }
    }
}

/// RUNs that replace `/bin/sh` (instruction indices, in order), and per stage whether a
/// stage of its `FROM <stage>` chain (itself excluded) has one.
#[derive(Debug, Default)]
pub(super) struct ShReplacements {
    runs: Vec<usize>,
    in_ancestors: Vec<bool>,
}

/// `ln -sf /bin/bash /bin/sh` and the like.
fn replaces_bin_sh(c: &super::commands::RunCommand<'_>) -> bool {
    c.program() == "ln"
        && c.args().iter().any(|w| {
            matches!(
                super::normalize_path(&w.value).as_str(),
                "/bin/sh" | "/usr/bin/sh"
            )
        })
        && c.args()
            .iter()
            .any(|w| matches!(super::commands::basename(&w.value), "bash" | "zsh" | "ksh"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn shell_of(image: &str) -> Option<SystemShell> {
        image_shell(&ImageRef::parse(image, &|_, _| {
            crate::span::Span::new(0, 0)
        }))
    }

    #[test]
    fn images() {
        use SystemShell::{Bash, BusyboxAsh, Dash};
        assert_eq!(shell_of("alpine:3.20"), Some(BusyboxAsh));
        assert_eq!(shell_of("node:20-alpine3.19"), Some(BusyboxAsh));
        assert_eq!(shell_of("python:3.12-slim-bookworm"), Some(Dash));
        assert_eq!(shell_of("docker.io/library/ubuntu:24.04"), Some(Dash));
        assert_eq!(shell_of("mcr.microsoft.com/dotnet/sdk:8.0"), Some(Dash));
        assert_eq!(
            shell_of("mcr.microsoft.com/mssql/server:2022-latest"),
            Some(Dash)
        );
        assert_eq!(
            shell_of("mcr.microsoft.com/mssql/rhel/server:2022-latest"),
            None
        );
        assert_eq!(
            shell_of("registry.access.redhat.com/ubi9/ubi-minimal:9.4"),
            Some(Bash)
        );
        assert_eq!(shell_of("openjdk:17-oraclelinux8"), Some(Bash));
        assert_eq!(shell_of("quay.io/centos/centos:stream9"), Some(Bash));
        assert_eq!(shell_of("example.com/team/app:1.2"), None);
    }

    #[test]
    fn stages_inherit_and_package_managers_tell() {
        let src = "FROM example.com/base:1 AS a\nRUN apk add --no-cache curl\nFROM a\nRUN x\nFROM example.com/other:2\nRUN dnf -y install git\nFROM scratch\n";
        let df = parse(src);
        let m = Model::new(src, &df);
        assert_eq!(m.system_shell(0), Some(SystemShell::BusyboxAsh));
        assert_eq!(m.system_shell(1), Some(SystemShell::BusyboxAsh));
        assert_eq!(m.system_shell(2), Some(SystemShell::Bash));
        assert_eq!(m.system_shell(3), Some(SystemShell::None));
    }
}
