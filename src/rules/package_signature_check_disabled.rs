//! DD401: a package manager told to skip signature or digest verification.

use super::{Context, Sink};

/// Options that disable verification, per package-manager program.
fn disabling_flags(program: &str) -> &'static [&'static str] {
    match program {
        "apk" => &["--allow-untrusted"],
        "apt-get" | "apt" | "aptitude" => &[
            "--allow-unauthenticated",
            "--force-yes",
            "--allow-insecure-repositories",
        ],
        "yum" | "dnf" | "tdnf" | "microdnf" | "dnf5" | "yum-config-manager" => &["--nogpgcheck"],
        "zypper" => &["--no-gpg-checks", "--no-gpg-check"],
        "rpm" => &[
            "--nosignature",
            "--nodigest",
            "--noverify",
            "--nofiledigest",
        ],
        "dpkg" => &["--force-bad-verify"],
        _ => &[],
    }
}

/// apt `-o` settings that disable verification.
const APT_OPTIONS: &[&str] = &[
    "apt::get::allowunauthenticated=true",
    "apt::get::allowunauthenticated=1",
    "acquire::allowinsecurerepositories=true",
    "acquire::allowinsecurerepositories=1",
];

/// DD401
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        for cmd in ctx.model.commands(index) {
            let program = cmd.program();
            let flags = disabling_flags(program);
            let is_apt = matches!(program, "apt-get" | "apt");
            if flags.is_empty() && !is_apt {
                continue;
            }
            let word = cmd.find_flag(flags).or_else(|| {
                // `--setopt=gpgcheck=0` (dnf/yum) and `-o APT::Get::AllowUnauthenticated=true`.
                cmd.args().iter().take_while(|w| w.value != "--").find(|w| {
                    let v = w.value.to_ascii_lowercase();
                    (!flags.is_empty() && is_gpgcheck_off(&v))
                        || (is_apt && APT_OPTIONS.iter().any(|o| v.ends_with(o)))
                })
            });
            let Some(word) = word else {
                continue;
            };
            let text = word.span.slice(ctx.source);
            sink.report(
                word.span,
                format!(
                    "`{program} {text}` installs packages without checking their signatures: a tampered mirror or a man in the middle can put anything into the image"
                ),
                "remove the option and import the repository's signing key instead (for example into `/etc/apt/keyrings`, `/etc/apk/keys` or with `rpm --import`)",
            );
        }
    }
}

/// `--setopt=gpgcheck=0`, `--setopt=*.gpgcheck=false`, `--setopt=repo_gpgcheck=0`.
fn is_gpgcheck_off(option: &str) -> bool {
    let Some(setting) = option.strip_prefix("--setopt=") else {
        return false;
    };
    let Some((key, value)) = setting.split_once('=') else {
        return false;
    };
    key.ends_with("gpgcheck") && matches!(value, "0" | "false" | "no" | "off")
}
