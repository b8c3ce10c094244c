//! DD411: `chmod` that makes files writable by every user (`777`, `o+w`, `a+w`).

use super::{Context, Sink};

/// Whether an octal mode gives others write permission without the sticky bit
/// (`1777`, as for `/tmp`, is the safe form for shared directories).
fn octal_world_writable(mode: &str) -> bool {
    if mode.is_empty() || mode.len() > 4 || !mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return false;
    }
    let Ok(bits) = u32::from_str_radix(mode, 8) else {
        return false;
    };
    bits & 0o002 != 0 && bits & 0o1000 == 0
}

/// Whether a symbolic mode (`o+w`, `a+rwx`, `ugo=rwx`, `u+x,o+w`) adds write for others.
fn symbolic_world_writable(mode: &str) -> bool {
    mode.split(',').any(|clause| {
        let Some(op) = clause.find(['+', '=']) else {
            return false;
        };
        let (who, perms) = clause.split_at(op);
        let others = who.contains('o') || who.contains('a');
        others && perms[1..].contains('w') && !clause.contains('t')
    })
}

/// DD411
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        for cmd in ctx.model.commands(index) {
            if cmd.program() != "chmod" {
                continue;
            }
            let Some(mode) = cmd.positionals(&["--reference"]).into_iter().next() else {
                continue;
            };
            if mode.has_expansion
                || !(octal_world_writable(&mode.value) || symbolic_world_writable(&mode.value))
            {
                continue;
            }
            sink.report(
                mode.span,
                format!(
                    "`chmod {}` makes files writable by every user of the container: any process, whatever its user, can change them",
                    mode.value
                ),
                "give write access to the owner or group only (`chown app: <path>` then `chmod 755`/`775`); to support an arbitrary runtime UID, make the files group 0 and group-writable (`chgrp -R 0 <path> && chmod -R g=u <path>`); use `1777` for a shared scratch directory",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for m in ["777", "0777", "666", "0002", "757"] {
            assert!(octal_world_writable(m), "{m}");
        }
        for m in ["1777", "755", "775", "0644", "4755", "8777", "abc", ""] {
            assert!(!octal_world_writable(m), "{m}");
        }
        for m in ["a+w", "o+w", "a+rwX", "ugo=rwx", "u+x,o+w", "o=w"] {
            assert!(symbolic_world_writable(m), "{m}");
        }
        for m in ["+w", "u+w", "g+w", "a-w", "o-w", "a+r", "+x", "o+t", "a+wt"] {
            assert!(!symbolic_world_writable(m), "{m}");
        }
    }
}
