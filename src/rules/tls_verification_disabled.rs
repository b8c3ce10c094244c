//! DD402: a RUN command that turns TLS certificate verification off (`curl -k`,
//! `wget --no-check-certificate`, `pip --trusted-host`, `npm config set strict-ssl false`,
//! `git -c http.sslVerify=false`, `sslverify=0`, `GIT_SSL_NO_VERIFY=1 git ...`).

use super::{Context, Sink};
use crate::semantic::commands::RunCommand;
use crate::shell::Word;

/// Whether setting the environment variable `name` to `value` turns TLS verification off.
pub(crate) fn env_disables_tls(name: &str, value: &str) -> bool {
    let value = value.trim();
    match name.to_ascii_uppercase().as_str() {
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => value == "0",
        "NPM_CONFIG_STRICT_SSL" | "YARN_ENABLE_STRICT_SSL" => is_false(value),
        // git only checks that the variable is set, whatever its value.
        "GIT_SSL_NO_VERIFY" => true,
        "PIP_TRUSTED_HOST" | "UV_INSECURE_HOST" => !value.is_empty(),
        _ => false,
    }
}

fn is_false(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "false" | "0" | "no" | "off"
    )
}

/// `NAME=value` split, if `word` is an assignment.
fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    valid.then_some((name, value))
}

/// DD402
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        for cmd in ctx.model.commands(index) {
            if let Some((word, what)) = finding(cmd) {
                let text = word.span.slice(ctx.source);
                let text = if text.starts_with('-') {
                    format!("{} {text}", cmd.program())
                } else {
                    text.to_owned()
                };
                sink.report(
                    word.span,
                    format!(
                        "`{text}` turns off TLS certificate verification{what}: anyone on the network path can swap what is downloaded"
                    ),
                    "keep verification on; if a private CA is involved, add its certificate to the trust store (`update-ca-certificates`) or point the tool at it (`--cacert`, `cafile`, `http.sslCAInfo`)",
                );
            }
        }
    }
}

/// The word that disables verification in `cmd`, with a note on what it affects.
fn finding<'c>(cmd: &'c RunCommand<'_>) -> Option<(&'c Word, &'static str)> {
    // Variables set for the command (`GIT_SSL_NO_VERIFY=1 git ...`, `env X=0 ...`,
    // `export X=0`).
    let assignments = cmd
        .shell
        .map(|s| s.assignments.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(cmd.wrapper_words());
    let exported = if matches!(cmd.program(), "export" | "declare" | "typeset") {
        cmd.args()
    } else {
        &[]
    };
    let env = assignments
        .chain(exported)
        .find(|w| assignment(&w.value).is_some_and(|(n, v)| env_disables_tls(n, v)));
    if let Some(w) = env {
        return Some((w, ""));
    }
    let program = cmd.program();
    let flag = match program {
        "curl" => cmd.find_flag(&["-k", "--insecure"]),
        "wget" => cmd.find_flag(&["--no-check-certificate"]),
        "uv" => cmd.find_flag(&["--allow-insecure-host"]),
        p if p.starts_with("pip") || p.starts_with("python") => cmd.find_flag(&["--trusted-host"]),
        _ => None,
    };
    if let Some(w) = flag {
        return Some((w, ""));
    }
    let args = cmd.args();
    // `npm config set strict-ssl false`, `yarn config set enableStrictSsl false`,
    // `npm set strict-ssl=false`, `npm install --strict-ssl=false`.
    if matches!(program, "npm" | "yarn" | "pnpm") {
        for (i, w) in args.iter().enumerate() {
            let v = w.value.trim_start_matches('-').to_ascii_lowercase();
            let key = v.split_once('=').map_or(v.as_str(), |(k, _)| k);
            if key != "strict-ssl" && key != "enablestrictssl" {
                continue;
            }
            let value = match v.split_once('=') {
                Some((_, value)) => Some(value.to_owned()),
                None => args.get(i + 1).map(|n| n.value.clone()),
            };
            if value.is_some_and(|value| is_false(&value)) {
                return Some((w, " for every later install"));
            }
        }
    }
    // `git config --global http.sslVerify false`, `-c http.sslVerify=false`,
    // `yum-config-manager --setopt=*.sslverify=0`, `echo sslverify=0 >> /etc/yum.conf`.
    for (i, w) in args.iter().enumerate() {
        let v = w.value.to_ascii_lowercase();
        let v = v.trim_start_matches("--setopt=");
        if let Some((key, value)) = v.split_once('=') {
            if key.ends_with("sslverify") && is_false(value) {
                return Some((w, " in the saved configuration"));
            }
        } else if program == "git"
            && v.starts_with("http.")
            && v.ends_with(".sslverify")
            && args.get(i + 1).is_some_and(|n| is_false(&n.value))
        {
            return Some((w, " for every later git command"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values() {
        assert!(env_disables_tls("NODE_TLS_REJECT_UNAUTHORIZED", "0"));
        assert!(!env_disables_tls("NODE_TLS_REJECT_UNAUTHORIZED", "1"));
        assert!(env_disables_tls("npm_config_strict_ssl", "False"));
        assert!(env_disables_tls("GIT_SSL_NO_VERIFY", ""));
        assert!(!env_disables_tls("PIP_TRUSTED_HOST", ""));
        assert!(!env_disables_tls("PATH", "0"));
    }
}
