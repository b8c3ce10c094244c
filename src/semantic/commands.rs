//! The commands of a RUN as rules should see them: every simple command of the shell
//! script (compound commands, substitutions and `sh -c` strings already flattened by the
//! shell model) with wrappers such as `sudo`, `env` or `xargs` unwrapped, so that
//! `sudo -E apt-get install x` is an `apt-get` command. Exec-form RUNs give one command.

use std::borrow::Cow;

use crate::shell::{self, Redirect, Word};
use crate::span::Span;
use crate::syntax::{CommandLine, Instruction, InstructionKind};

/// One simple command of a RUN, wrappers stripped.
#[derive(Debug, Clone)]
pub struct RunCommand<'a> {
    /// The whole simple command as written (wrappers, assignments and redirects included).
    pub span: Span,
    /// The shell command it comes from (`None` for exec form).
    pub shell: Option<&'a shell::Command>,
    /// Every word of the command, wrappers included.
    words: Cow<'a, [Word]>,
    /// Index in `words` of the program after unwrapping.
    start: usize,
}

impl<'a> RunCommand<'a> {
    /// A command from a parsed shell command, with wrappers unwrapped.
    #[must_use]
    pub fn from_shell(command: &'a shell::Command) -> Self {
        RunCommand {
            span: command.span,
            shell: Some(command),
            start: unwrap_start(&command.words),
            words: Cow::Borrowed(&command.words),
        }
    }

    /// The argv of the unwrapped command: program first.
    #[must_use]
    pub fn argv(&self) -> &[Word] {
        self.words.get(self.start..).unwrap_or(&[])
    }

    /// The program word (argv\[0\] after unwrapping).
    #[must_use]
    pub fn program_word(&self) -> Option<&Word> {
        self.argv().first()
    }

    /// The basename of the program (`/usr/bin/apt-get` -> `apt-get`); `""` if none.
    #[must_use]
    pub fn program(&self) -> &str {
        self.program_word().map_or("", |w| basename(&w.value))
    }

    /// The arguments after the program.
    #[must_use]
    pub fn args(&self) -> &[Word] {
        self.argv().get(1..).unwrap_or(&[])
    }

    /// Whether the program was reached through a wrapper (`sudo`, `env`, `xargs`...).
    #[must_use]
    pub fn is_wrapped(&self) -> bool {
        self.start > 0
    }

    /// The redirections of the command (none for exec form).
    #[must_use]
    pub fn redirects(&self) -> &'a [Redirect] {
        self.shell.map_or(&[], |c| c.redirects.as_slice())
    }

    /// Whether any of `names` is given as an option before a `--`: long options also match
    /// as `--name=value`, one-letter options also inside a group such as `-qy`.
    #[must_use]
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.options().any(|w| flag_matches(&w.value, names))
    }

    /// The first option word (before a `--`) that gives one of `names`, matched as in
    /// [`RunCommand::has_flag`]: the word to point a finding at.
    #[must_use]
    pub fn find_flag(&self, names: &[&str]) -> Option<&Word> {
        self.options().find(|w| flag_matches(&w.value, names))
    }

    /// The wrapper words before the program (`sudo -E` in `sudo -E apt-get ...`).
    #[must_use]
    pub fn wrapper_words(&self) -> &[Word] {
        self.words.get(..self.start).unwrap_or(&[])
    }

    /// The value of the first of `names` given: `--name=value`, `--name value`, `-n value`
    /// or `-nvalue`. Only use it for options that take a value.
    #[must_use]
    pub fn flag_value(&self, names: &[&str]) -> Option<FlagValue<'_>> {
        let args = self.args();
        for (i, w) in args.iter().enumerate() {
            if w.value == "--" {
                return None;
            }
            for name in names {
                if w.value == *name {
                    return args.get(i + 1).map(FlagValue::Word);
                }
                let Some(rest) = w.value.strip_prefix(name) else {
                    continue;
                };
                if name.starts_with("--") {
                    if let Some(v) = rest.strip_prefix('=') {
                        return Some(FlagValue::Inline(w, v));
                    }
                } else if name.len() == 2 && !rest.is_empty() && !w.value.starts_with("--") {
                    return Some(FlagValue::Inline(w, rest));
                }
            }
        }
        None
    }

    /// Arguments that are not options: words not starting with `-` (all words after `--`),
    /// skipping the value word after an option listed in `takes_value`.
    #[must_use]
    pub fn positionals(&self, takes_value: &[&str]) -> Vec<&Word> {
        let mut out = Vec::new();
        let mut args = self.args().iter();
        while let Some(w) = args.next() {
            if w.value == "--" {
                out.extend(args);
                break;
            }
            if w.value.starts_with('-') && w.value.len() > 1 {
                if takes_value.contains(&w.value.as_str()) {
                    args.next();
                }
                continue;
            }
            out.push(w);
        }
        out
    }

    /// Whether it runs a script the model cannot see into: `bash setup.sh`, `curl ... | sh`,
    /// `./install.sh`, `sh -c "$(curl ...)"`. (`sh -c 'literal'` is re-parsed by the shell
    /// model, so its commands are seen.)
    #[must_use]
    pub fn runs_script(&self) -> bool {
        let program = self.program();
        if matches!(
            program,
            "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "source" | "."
        ) {
            if let Some(FlagValue::Word(script)) = self.flag_value(&["-c"]) {
                return script.has_expansion;
            }
            let piped = self
                .shell
                .is_some_and(|c| c.op_before == Some(shell::Operator::Pipe));
            return piped || !self.positionals(&[]).is_empty();
        }
        program.ends_with(".sh")
    }

    /// The option words before a `--`.
    fn options(&self) -> impl Iterator<Item = &Word> {
        self.args()
            .iter()
            .take_while(|w| w.value != "--")
            .filter(|w| w.value.starts_with('-') && w.value.len() > 1)
    }
}

/// The value of an option, either its own word or the part after `=` / the letter.
#[derive(Debug, Clone, Copy)]
pub enum FlagValue<'w> {
    /// `--name value`: the next word.
    Word(&'w Word),
    /// `--name=value` or `-nvalue`: the option word and the value text.
    Inline(&'w Word, &'w str),
}

impl<'w> FlagValue<'w> {
    /// The value text.
    #[must_use]
    pub fn value(&self) -> &'w str {
        match self {
            FlagValue::Word(w) => &w.value,
            FlagValue::Inline(_, v) => v,
        }
    }

    /// The word holding the value.
    #[must_use]
    pub fn word(&self) -> &'w Word {
        match self {
            FlagValue::Word(w) | FlagValue::Inline(w, _) => w,
        }
    }
}

/// The commands of a RUN (shell or exec form) with wrappers unwrapped; none for other
/// instructions or a shell-form RUN whose shell is not analysed.
#[must_use]
pub fn run_commands(inst: &Instruction) -> Vec<RunCommand<'_>> {
    let InstructionKind::Run(line) = &inst.kind else {
        return Vec::new();
    };
    match line {
        CommandLine::Shell(_) => line
            .script()
            .map(|s| s.commands.iter().map(RunCommand::from_shell).collect())
            .unwrap_or_default(),
        CommandLine::Exec(exec) => {
            // Exec form: the JSON strings are argv as is, no shell involved.
            let words: Vec<Word> = exec
                .args
                .iter()
                .map(|a| Word {
                    span: a.span,
                    value: a.value.clone(),
                    quoted: true,
                    has_expansion: false,
                })
                .collect();
            if words.is_empty() {
                return Vec::new();
            }
            vec![RunCommand {
                span: exec.span,
                shell: None,
                start: unwrap_start(&words),
                words: Cow::Owned(words),
            }]
        }
    }
}

/// The last path component of a program name.
#[must_use]
pub fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// Whether option word `word` is one of `names` (see [`RunCommand::has_flag`]).
fn flag_matches(word: &str, names: &[&str]) -> bool {
    names.iter().any(|name| {
        if word == *name {
            return true;
        }
        if name.starts_with("--") {
            return word
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('='));
        }
        // A group of one-letter options: `-qy` holds `-y`; `-oFoo::Bar` is an option
        // with a value and holds nothing else.
        let Some(letter) = name.strip_prefix('-').filter(|l| l.len() == 1) else {
            return false;
        };
        let Some(group) = word.strip_prefix('-').filter(|g| !g.starts_with('-')) else {
            return false;
        };
        group.bytes().all(|b| b.is_ascii_alphabetic()) && group.contains(letter)
    })
}

/// How to skip the options of a wrapper: those that take a value, and whether
/// `NAME=value` words may follow them.
struct Wrapper {
    takes_value: &'static [&'static str],
    assignments: bool,
}

/// The wrapper named `program`, if it is one that runs its arguments as a command.
fn wrapper(program: &str) -> Option<Wrapper> {
    let (takes_value, assignments): (&'static [&'static str], bool) = match program {
        "sudo" | "doas" => (
            &[
                "-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "-R",
            ],
            true,
        ),
        "env" => (&["-u", "-C", "-S", "--unset", "--chdir"], true),
        "nice" => (&["-n", "--adjustment"], false),
        "nohup" | "command" | "builtin" => (&[], false),
        "time" => (&["-f", "-o", "--format", "--output"], false),
        "exec" => (&["-a"], false),
        "xargs" => (
            &[
                "-a",
                "-d",
                "-E",
                "-e",
                "-I",
                "-i",
                "-L",
                "-l",
                "-n",
                "-P",
                "-s",
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-lines",
                "--max-procs",
                "--max-chars",
                "--replace",
                "--eof",
            ],
            false,
        ),
        _ => return None,
    };
    Some(Wrapper {
        takes_value,
        assignments,
    })
}

/// The index of the program `words` really run, after `sudo`, `env`, `nice`, `nohup`,
/// `time`, `xargs`, `command` and `exec` with their options.
fn unwrap_start(words: &[Word]) -> usize {
    let mut i = 0;
    while let Some(first) = words.get(i) {
        let name = basename(&first.value);
        // `command -v x` looks a program up instead of running it.
        if name == "command"
            && words
                .get(i + 1)
                .is_some_and(|w| w.value == "-v" || w.value == "-V")
        {
            return i;
        }
        let Some(wrapper) = wrapper(name) else {
            return i;
        };
        let mut j = i + 1;
        while let Some(w) = words.get(j) {
            let v = w.value.as_str();
            if v == "--" {
                j += 1;
                break;
            }
            if v.starts_with('-') && v.len() > 1 {
                // `-u user` takes the next word; `--user=x` and `-uuser` do not.
                j += if wrapper.takes_value.contains(&v) {
                    2
                } else {
                    1
                };
                continue;
            }
            if wrapper.assignments && is_assignment(v) {
                j += 1;
                continue;
            }
            break;
        }
        if j >= words.len() {
            // A bare wrapper (`sudo -v`, `env`): it is the program itself.
            return i;
        }
        i = j;
    }
    i.min(words.len().saturating_sub(1))
}

/// `NAME=value` as `env` and `sudo` take it.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// The (program, args) of every command of a one-RUN Dockerfile.
    fn argvs(run: &str) -> Vec<(String, Vec<String>)> {
        let src = format!("FROM a\n{run}\n");
        let df = parse(&src);
        let Some(inst) = df.instructions.get(1) else {
            return Vec::new();
        };
        run_commands(inst)
            .iter()
            .map(|c| {
                (
                    c.program().to_owned(),
                    c.args().iter().map(|w| w.value.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn unwraps_wrappers() {
        let cases = [
            ("RUN sudo -u root -E apt-get update", "apt-get"),
            ("RUN env -i A=b C=d /usr/bin/apk add x", "apk"),
            ("RUN nice -n 10 nohup make", "make"),
            ("RUN xargs -r -n 1 rm -f", "rm"),
            ("RUN command exec tee /x", "tee"),
            ("RUN sudo", "sudo"),
            ("RUN env", "env"),
            ("RUN command -v apt-get", "command"),
            ("RUN /usr/bin/time -p dnf -y upgrade", "dnf"),
        ];
        for (run, program) in cases {
            let cmds = argvs(run);
            assert_eq!(cmds.first().map(|c| c.0.as_str()), Some(program), "{run}");
        }
        assert_eq!(argvs("RUN sudo apt-get -y update")[0].1, ["-y", "update"]);
    }

    #[test]
    fn flattens_lists_substitutions_and_sh_c() {
        let cmds = argvs("RUN set -e; apt-get update && sh -c 'apt-get install -y x' | cat");
        let programs: Vec<_> = cmds.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(programs, ["set", "apt-get", "sh", "apt-get", "cat"]);
    }

    #[test]
    fn exec_form_is_one_command() {
        let cmds = argvs(r#"RUN ["sudo", "apk", "add", "x"]"#);
        assert_eq!(
            cmds,
            [("apk".to_owned(), vec!["add".to_owned(), "x".to_owned()])]
        );
    }

    #[test]
    fn flags_values_and_positionals() {
        let src = "FROM a\nRUN apt-get -qy -o Dpkg::Options::=--force-confold --target-release=bookworm install --no-install-recommends a b=1.* -- -c\n";
        let df = parse(src);
        let cmds = run_commands(&df.instructions[1]);
        let c = &cmds[0];
        assert!(c.has_flag(&["-y", "--yes"]));
        assert!(c.has_flag(&["-q"]));
        assert!(!c.has_flag(&["-f"]));
        assert!(c.has_flag(&["--target-release"]));
        assert!(!c.has_flag(&["-c"]), "after `--`");
        assert_eq!(
            c.flag_value(&["-o"])
                .map(|v| v.value().to_owned())
                .as_deref(),
            Some("Dpkg::Options::=--force-confold")
        );
        assert_eq!(
            c.flag_value(&["--target-release", "-t"])
                .map(|v| v.value().to_owned())
                .as_deref(),
            Some("bookworm")
        );
        let pos: Vec<_> = c
            .positionals(&["-o"])
            .iter()
            .map(|w| w.value.as_str())
            .collect();
        assert_eq!(pos, ["install", "a", "b=1.*", "-c"]);
        assert_eq!(c.program_word().unwrap().span.slice(src), "apt-get");
    }

    #[test]
    fn opaque_scripts() {
        let src = "FROM a\nRUN curl -fsSL https://x | bash - && sh -c 'apt-get update' && bash /tmp/s.sh && ./configure.sh && bash -c \"$(curl x)\" && sh\n";
        let df = parse(src);
        let runs: Vec<_> = run_commands(&df.instructions[1])
            .iter()
            .map(|c| (c.program().to_owned(), c.runs_script()))
            .filter(|(p, _)| p != "curl" && p != "apt-get")
            .collect();
        let expected = [
            ("bash", true),
            ("sh", false),
            ("bash", true),
            ("configure.sh", true),
            ("bash", true),
            ("sh", false),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(p, r)| ((*p).to_owned(), *r))
            .collect();
        assert_eq!(runs, expected);
    }

    #[test]
    fn finds_flag_words_and_wrappers() {
        let src = "FROM a\nRUN sudo -E env X=1 curl -fsSLk https://x\n";
        let df = parse(src);
        let cmds = run_commands(&df.instructions[1]);
        let c = &cmds[0];
        assert_eq!(c.find_flag(&["-k", "--insecure"]).unwrap().value, "-fsSLk");
        assert!(c.find_flag(&["-o"]).is_none());
        let wrappers: Vec<_> = c.wrapper_words().iter().map(|w| w.value.as_str()).collect();
        assert_eq!(wrappers, ["sudo", "-E", "env", "X=1"]);
    }

    #[test]
    fn inline_short_values() {
        let src = "FROM a\nRUN tar -xzf x.tgz -C/opt\n";
        let df = parse(src);
        let cmds = run_commands(&df.instructions[1]);
        assert_eq!(
            cmds[0]
                .flag_value(&["-C"])
                .map(|v| v.value().to_owned())
                .as_deref(),
            Some("/opt")
        );
    }
}
