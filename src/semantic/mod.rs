//! The semantic model: what a Dockerfile means beyond its syntax. Stages and their bases
//! (ARG defaults resolved), the state in force at each instruction (stage, SHELL, USER,
//! WORKDIR), volumes per stage (inherited through `FROM <stage>`), and `RUN --mount`s.
//! Rules ask the model; they never re-derive any of this.

pub mod commands;
pub mod distro;
pub mod labels;
pub mod packages;
pub mod writes;

mod scope;

use std::collections::HashMap;

use crate::span::Span;
use crate::syntax::{
    CommandLine, Dockerfile, Flag, ImageRef, Instruction, InstructionKind, Keyword, Word,
};

/// An `ARG` and its default value, expanded as BuildKit does with the ARGs declared before
/// it (`ARG B=${A}-x`); `None` when it has no default or its default refers to a variable
/// without a known value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDef {
    pub name: String,
    pub default: Option<String>,
    pub span: Span,
}

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// An earlier stage of this file (`FROM builder`).
    Stage(usize),
    /// The empty image.
    Scratch,
    /// An external image.
    Image(Box<ResolvedImage>),
    /// FROM without an image (a syntax error).
    Missing,
}

/// An external base image with ARG defaults substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedImage {
    /// The reference as written in the file (spans point at it).
    pub written: ImageRef,
    /// The reference after substituting ARG defaults; its spans all point at the written
    /// reference, since the text no longer exists in the file.
    pub resolved: ImageRef,
    /// Variables with no default that stay unresolved (`FROM $BASE` with `ARG BASE`).
    pub unresolved: Vec<String>,
}

impl ResolvedImage {
    /// The resolved reference when it can be judged: every variable in it has a default
    /// and it looks like a reference. `FROM $BASE` without a default could be anything,
    /// and a template placeholder (`FROM {{ image }}`, `FROM %%BASE%%`, `FROM REPLACE-ME`)
    /// is not an image yet.
    #[must_use]
    pub fn judgeable(&self) -> Option<&ImageRef> {
        let raw = self.resolved.raw.as_str();
        let valid = !raw.is_empty()
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-/:@".contains(&b));
        // Repository paths are lowercase.
        let lowercase = !self
            .resolved
            .path
            .text
            .bytes()
            .any(|b| b.is_ascii_uppercase());
        (self.unresolved.is_empty() && valid && lowercase).then_some(&self.resolved)
    }
}

/// One build stage.
#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction in [`Dockerfile::instructions`].
    pub from: usize,
    /// The stage name, lowercased (stage names are case-insensitive).
    pub name: Option<String>,
    pub name_span: Option<Span>,
    pub base: Base,
    /// Indices of the instructions of this stage, FROM excluded.
    pub body: std::ops::Range<usize>,
    /// VOLUME paths in force at the end of the stage, those of parent stages included.
    pub volumes: Vec<Volume>,
}

impl Stage {
    /// The stage this one is built `FROM`, if it is a stage of this file.
    #[must_use]
    pub fn parent(&self) -> Option<usize> {
        match self.base {
            Base::Stage(i) => Some(i),
            _ => None,
        }
    }
}

/// A declared volume path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// Normalised absolute path (no trailing slash).
    pub path: String,
    pub span: Span,
    /// Index of the VOLUME instruction.
    pub instruction: usize,
    /// Declared in a parent stage.
    pub inherited: bool,
}

/// The state in force when an instruction runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The stage the instruction belongs to (`None` for global ARGs before the first FROM).
    pub stage: Option<usize>,
    /// Index of the USER instruction in force (this stage or a parent stage).
    pub user: Option<usize>,
    /// Index of the WORKDIR instruction in force.
    pub workdir: Option<usize>,
    /// Index of the SHELL instruction in force.
    pub shell: Option<usize>,
}

/// A `RUN --mount=...` specification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub kind: MountKind,
    pub target: Option<String>,
    pub source: Option<String>,
    pub from: Option<String>,
    /// Where the `from=` value is written, when the flag is written as it reads (no quotes
    /// or continuation removed), so it can be edited.
    pub from_span: Option<Span>,
    pub id: Option<String>,
    pub span: Span,
}

/// The `type=` of a mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountKind {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
    Other,
}

/// The semantic model of one Dockerfile.
#[derive(Debug)]
pub struct Model<'a> {
    pub source: &'a str,
    pub dockerfile: &'a Dockerfile,
    /// ARGs declared before the first FROM.
    pub global_args: Vec<ArgDef>,
    pub stages: Vec<Stage>,
    /// One entry per instruction of [`Dockerfile::instructions`].
    pub contexts: Vec<Context>,
    /// Where variables are set, for [`Model::lookup_at`] and friends.
    scopes: scope::Scopes,
    /// Answers computed once, on first ask (see [`Memo`]).
    memo: Memo<'a>,
    /// Lower-case stage name → the first stage with that name.
    stage_names: HashMap<String, usize>,
}

/// Answers several rules ask, computed once per file on first ask: asking again for every
/// instruction made long files quadratic.
#[derive(Debug, Default)]
struct Memo<'a> {
    /// The simple commands of each RUN (or `ONBUILD RUN`), by instruction.
    commands: Vec<std::cell::OnceCell<Vec<commands::RunCommand<'a>>>>,
    /// The package-manager commands of each RUN (or `ONBUILD RUN`), by instruction.
    /// With the index in [`Model::commands`] of each op's command.
    package_ops: Vec<std::cell::OnceCell<(Vec<packages::PackageOp>, Vec<usize>)>>,
    /// [`Model::is_unjudgeable`] of every instruction.
    unjudgeable: std::cell::OnceCell<Vec<bool>>,
    /// [`Model::system_shell`] of every stage.
    system_shells: std::cell::OnceCell<Vec<Option<distro::SystemShell>>>,
    /// RUNs that link another shell to `/bin/sh`, and per stage whether a stage it is
    /// built on has one.
    sh_replacements: std::cell::OnceCell<distro::ShReplacements>,
    /// Per stage: the first stage of its `FROM <stage>` chain (the one built on an image).
    roots: std::cell::OnceCell<Vec<usize>>,
    /// Per stage: whether it ends up in the final image.
    in_final: std::cell::OnceCell<Vec<bool>>,
    /// RUNs whose text mentions configuration, normalised (see
    /// [`packages::configured_before`]).
    config_runs: std::cell::OnceCell<Vec<(usize, String)>>,
}

impl<'a> Model<'a> {
    /// Build the model of `dockerfile`, parsed from `source`.
    #[must_use]
    pub fn new(source: &'a str, dockerfile: &'a Dockerfile) -> Self {
        let mut model = Model {
            source,
            dockerfile,
            global_args: Vec::new(),
            stages: Vec::new(),
            contexts: Vec::with_capacity(dockerfile.instructions.len()),
            scopes: scope::Scopes::default(),
            memo: Memo::default(),
            stage_names: HashMap::new(),
        };
        model.build();
        model.scopes = scope::Scopes::index(&model);
        let n = dockerfile.instructions.len();
        model.memo.commands = std::iter::repeat_with(std::cell::OnceCell::new)
            .take(n)
            .collect();
        model.memo.package_ops = std::iter::repeat_with(std::cell::OnceCell::new)
            .take(n)
            .collect();
        model
    }

    fn build(&mut self) {
        let instructions = &self.dockerfile.instructions;
        let mut ctx = Context::default();
        for (i, inst) in instructions.iter().enumerate() {
            match &inst.kind {
                InstructionKind::From(from) => {
                    self.close_stage(i);
                    let base = self.base_of(from.image.as_ref());
                    // A stage built on another starts with that stage's state.
                    ctx = match base {
                        Base::Stage(p) => self.end_context(p),
                        _ => Context::default(),
                    };
                    let index = self.stages.len();
                    ctx.stage = Some(index);
                    let volumes = match base {
                        Base::Stage(p) => inherited(&self.stages[p].volumes),
                        _ => Vec::new(),
                    };
                    let name = from.alias.as_ref().map(|a| a.value.to_ascii_lowercase());
                    if let Some(name) = &name {
                        self.stage_names.entry(name.clone()).or_insert(index);
                    }
                    self.stages.push(Stage {
                        index,
                        from: i,
                        name,
                        name_span: from.alias.as_ref().map(|a| a.span),
                        base,
                        body: i + 1..i + 1,
                        volumes,
                    });
                }
                InstructionKind::Arg(decls) if ctx.stage.is_none() => {
                    for d in decls {
                        let default = d.default.as_ref().and_then(|w| {
                            expand_known(&w.raw, &|name| {
                                self.global_arg(name).map(|a| a.default.clone())
                            })
                        });
                        self.global_args.push(ArgDef {
                            name: d.name.value.clone(),
                            default,
                            span: d.span,
                        });
                    }
                }
                InstructionKind::User(_) => ctx.user = Some(i),
                InstructionKind::Workdir(_) => ctx.workdir = Some(i),
                InstructionKind::Shell(_) => ctx.shell = Some(i),
                InstructionKind::Volume(list) => {
                    if let Some(stage) = ctx.stage.and_then(|s| self.stages.get_mut(s)) {
                        stage.volumes.extend(list.paths.iter().map(|w| Volume {
                            path: normalize_path(&w.value),
                            span: w.span,
                            instruction: i,
                            inherited: false,
                        }));
                    }
                }
                _ => {}
            }
            self.contexts.push(ctx);
        }
        self.close_stage(instructions.len());
    }

    fn close_stage(&mut self, end: usize) {
        if let Some(last) = self.stages.last_mut() {
            last.body = last.body.start..end;
        }
    }

    /// The state at the end of stage `index`.
    fn end_context(&self, index: usize) -> Context {
        let stage = &self.stages[index];
        let last = stage.body.end.checked_sub(1).unwrap_or(stage.from);
        self.contexts.get(last).copied().unwrap_or_default()
    }

    /// The last global ARG (before the first FROM) named `name`.
    #[must_use]
    pub fn global_arg(&self, name: &str) -> Option<&ArgDef> {
        self.global_args.iter().rev().find(|a| a.name == name)
    }

    /// Classify a FROM reference: an earlier stage (names are case-insensitive), scratch,
    /// or an external image with global ARG defaults substituted.
    fn base_of(&self, image: Option<&ImageRef>) -> Base {
        let Some(image) = image else {
            return Base::Missing;
        };
        let lookup = |name: &str| self.global_arg(name).map(|a| a.default.clone());
        let expanded = expand(&image.raw, &lookup);
        let lower = expanded.text.to_ascii_lowercase();
        if let Some(&stage) = self.stage_names.get(&lower) {
            return Base::Stage(stage);
        }
        let span = image.span;
        let resolved = ImageRef::parse(&expanded.text, &|_, _| span);
        if resolved.is_scratch() {
            return Base::Scratch;
        }
        Base::Image(Box::new(ResolvedImage {
            written: image.clone(),
            resolved,
            unresolved: expanded.unresolved,
        }))
    }

    /// Every stage built on an external image that can be judged (see
    /// [`ResolvedImage::judgeable`]), with that image and its resolved reference.
    pub fn external_images(&self) -> impl Iterator<Item = (&Stage, &ResolvedImage, &ImageRef)> {
        self.stages.iter().filter_map(|stage| {
            let Base::Image(image) = &stage.base else {
                return None;
            };
            image.judgeable().map(|r| (stage, &**image, r))
        })
    }

    /// Every RUN and every `ONBUILD RUN` trigger (which runs in the builds `FROM` this image),
    /// with its instruction index: what rules about commands read.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        let instructions: &'a [Instruction] = &self.dockerfile.instructions;
        instructions
            .iter()
            .enumerate()
            .filter_map(|(i, inst)| packages::run_or_onbuild_run(inst).map(|run| (i, run)))
    }

    /// The simple commands of the RUN, or `ONBUILD RUN` trigger, at instruction `index`
    /// (empty for other instructions), wrappers unwrapped; computed once.
    #[must_use]
    pub fn commands(&self, index: usize) -> &[commands::RunCommand<'a>] {
        let Some(cell) = self.memo.commands.get(index) else {
            return &[];
        };
        cell.get_or_init(|| {
            let instructions: &'a [Instruction] = &self.dockerfile.instructions;
            packages::run_or_onbuild_run(&instructions[index])
                .map(commands::run_commands)
                .unwrap_or_default()
        })
    }

    /// The package-manager commands of the RUN, or `ONBUILD RUN` trigger, at instruction
    /// `index` (see [`Model::commands`]); computed once.
    #[must_use]
    pub fn package_ops(&self, index: usize) -> &[packages::PackageOp] {
        &self.package_ops_and_commands(index).0
    }

    /// [`Model::package_ops`] of instruction `index`, each with its command.
    pub fn package_commands(
        &self,
        index: usize,
    ) -> impl Iterator<Item = (&commands::RunCommand<'a>, &packages::PackageOp)> {
        let commands = self.commands(index);
        let (ops, at) = self.package_ops_and_commands(index);
        at.iter().map(move |&c| &commands[c]).zip(ops)
    }

    fn package_ops_and_commands(&self, index: usize) -> &(Vec<packages::PackageOp>, Vec<usize>) {
        static NONE: (Vec<packages::PackageOp>, Vec<usize>) = (Vec::new(), Vec::new());
        let Some(cell) = self.memo.package_ops.get(index) else {
            return &NONE;
        };
        cell.get_or_init(|| {
            self.commands(index)
                .iter()
                .enumerate()
                .filter_map(|(i, c)| packages::PackageOp::from_command(c).map(|op| (op, i)))
                .unzip()
        })
    }

    /// Every judgeable `COPY --from=<value>` (see [`Model::is_unjudgeable`]): instruction
    /// index, the flag, and its value as written.
    pub fn copy_from_flags(&self) -> impl Iterator<Item = (usize, &Flag, &str)> + use<'_, 'a> {
        self.dockerfile
            .instructions
            .iter()
            .enumerate()
            .filter(|(i, inst)| inst.keyword == Keyword::Copy && !self.is_unjudgeable(*i))
            .filter_map(|(i, inst)| {
                let flag = inst.flag("from")?;
                Some((i, flag, flag.value.as_deref()?))
            })
    }

    /// The stage whose image is the build result (the last one).
    #[must_use]
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Whether stage `index` ends up in the final image: the final stage and the stages it
    /// is built `FROM`, transitively.
    #[must_use]
    pub fn is_in_final_image(&self, index: usize) -> bool {
        let in_final = self.memo.in_final.get_or_init(|| {
            let mut in_final = vec![false; self.stages.len()];
            let mut current = self.stages.len().checked_sub(1);
            while let Some(i) = current {
                in_final[i] = true;
                current = self.stages[i].parent().filter(|&p| p < i);
            }
            in_final
        });
        in_final.get(index).copied().unwrap_or(false)
    }

    /// Whether stage `stage` is `ancestor` or built on it through `FROM <stage>`.
    #[must_use]
    pub fn is_built_on(&self, stage: usize, ancestor: usize) -> bool {
        let mut current = Some(stage);
        while let Some(i) = current.filter(|&i| i >= ancestor) {
            if i == ancestor {
                return true;
            }
            current = self
                .stages
                .get(i)
                .and_then(Stage::parent)
                .filter(|&p| p < i);
        }
        false
    }

    /// The last stage of `stage`'s `FROM <stage>` chain: the one built on an image, on
    /// scratch, or on nothing.
    #[must_use]
    pub fn root_stage(&self, stage: usize) -> Option<&Stage> {
        let roots = self.memo.roots.get_or_init(|| {
            let mut roots: Vec<usize> = Vec::with_capacity(self.stages.len());
            for stage in &self.stages {
                let parent = stage.parent().filter(|&p| p < stage.index);
                roots.push(parent.map_or(stage.index, |p| roots[p]));
            }
            roots
        });
        self.stages.get(*roots.get(stage)?)
    }

    /// The USER instruction in force at the end of stage `stage` (its own or a parent
    /// stage's); `None`: no USER anywhere in its chain, so the base image's user.
    #[must_use]
    pub fn user_at_end(&self, stage: usize) -> Option<usize> {
        self.end_context(stage).user
    }

    /// Whether stage `stage` builds a Windows image: the file uses the backtick escape, or
    /// its `FROM <stage>` chain starts from a Windows base (servercore, nanoserver, ...).
    /// Windows images have no root and name their users (`ContainerUser`).
    #[must_use]
    pub fn is_windows_stage(&self, stage: usize) -> bool {
        if self.dockerfile.escape == '`' {
            return true;
        }
        let Some(Base::Image(image)) = self.root_stage(stage).map(|s| &s.base) else {
            return false;
        };
        let raw = image.resolved.raw.to_ascii_lowercase();
        ["windows", "nanoserver", "servercore", "dotnet/framework"]
            .iter()
            .any(|w| raw.contains(w))
    }

    /// The stages of `stage`'s `FROM <stage>` chain, `stage` first and the one built on an
    /// image (or scratch) last.
    #[must_use]
    pub fn stage_chain(&self, stage: usize) -> Vec<&Stage> {
        let mut chain: Vec<&Stage> = Vec::new();
        let mut current = Some(stage);
        while let Some(s) = current.and_then(|i| self.stages.get(i)) {
            chain.push(s);
            // `FROM <stage>` names only stages defined before it, so the walk ends; the
            // check keeps it finite even if that ever changed.
            current = s.parent().filter(|&p| p < s.index);
        }
        chain
    }

    /// The stage named `name` (case-insensitive) or numbered `name`, if it exists.
    #[must_use]
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        let lower = name.to_ascii_lowercase();
        self.stage_names
            .get(&lower)
            .and_then(|&i| self.stages.get(i))
            .or_else(|| name.parse::<usize>().ok().and_then(|n| self.stages.get(n)))
    }

    /// The context of instruction `index`.
    #[must_use]
    pub fn context(&self, index: usize) -> Context {
        self.contexts.get(index).copied().unwrap_or_default()
    }

    /// The user in force at instruction `index` (`None`: the base image's user).
    #[must_use]
    pub fn user_at(&self, index: usize) -> Option<&Word> {
        let i = self.context(index).user?;
        match &self.dockerfile.instructions[i].kind {
            InstructionKind::User(w) => w.as_ref(),
            _ => None,
        }
    }

    /// The working directory in force at instruction `index`, resolved against earlier
    /// WORKDIRs where relative (`None`: the base image's).
    #[must_use]
    pub fn workdir_at(&self, index: usize) -> Option<String> {
        // Walk back through relative WORKDIRs until an absolute one (iteratively: a file
        // may hold thousands of them).
        let mut parts: Vec<&str> = Vec::new();
        let mut current = self.context(index).workdir;
        while let Some(i) = current {
            let InstructionKind::Workdir(Some(w)) = &self.dockerfile.instructions[i].kind else {
                break;
            };
            parts.push(&w.value);
            if w.value.starts_with('/') {
                break;
            }
            current = i.checked_sub(1).and_then(|p| self.context(p).workdir);
        }
        if parts.is_empty() {
            return None;
        }
        parts.reverse();
        Some(normalize_path(&format!("/{}", parts.join("/"))))
    }

    /// The SHELL argv in force at instruction `index` (`None`: the default `/bin/sh -c`).
    #[must_use]
    pub fn shell_at(&self, index: usize) -> Option<Vec<&str>> {
        let i = self.context(index).shell?;
        match &self.dockerfile.instructions[i].kind {
            InstructionKind::Shell(CommandLine::Exec(e)) => {
                Some(e.args.iter().map(|a| a.value.as_str()).collect())
            }
            _ => None,
        }
    }

    /// The ARG defaults visible in stage `stage` at instruction `index`: global ARGs
    /// re-declared in the stage, then the stage's own ARGs, each default expanded with the
    /// ARGs before it (an ENV value in an ARG default is not followed: the default is unknown).
    #[must_use]
    pub fn args_at(&self, index: usize) -> HashMap<String, Option<String>> {
        let mut out = HashMap::new();
        let Some(stage) = self.context(index).stage.map(|s| &self.stages[s]) else {
            for a in &self.global_args {
                out.insert(a.name.clone(), a.default.clone());
            }
            return out;
        };
        for i in self.setters_in(stage.body.start..index.min(stage.body.end)) {
            if let InstructionKind::Arg(decls) = &self.dockerfile.instructions[i].kind {
                for d in decls {
                    out.insert(
                        d.name.value.clone(),
                        self.arg_at(i + 1, &d.name.value).flatten(),
                    );
                }
            }
        }
        out
    }

    /// The environment set by ENV at instruction `index`: ENV of the parent stages (a
    /// stage built `FROM` another inherits its environment), then of this stage, each value
    /// expanded with what was in scope when it was set. Keys in the order first set.
    #[must_use]
    pub fn env_at(&self, index: usize) -> Vec<(String, String)> {
        let mut chain = Vec::new();
        let mut current = self.context(index).stage;
        while let Some(s) = current {
            if chain.contains(&s) {
                break;
            }
            chain.push(s);
            current = self.stages[s].parent();
        }
        let mut env: Vec<(String, String)> = Vec::new();
        for &s in chain.iter().rev() {
            let stage = &self.stages[s];
            let end = if s == chain[0] {
                index.min(stage.body.end)
            } else {
                stage.body.end
            };
            for i in self.setters_in(stage.body.start..end) {
                let InstructionKind::Env(pairs) = &self.dockerfile.instructions[i].kind else {
                    continue;
                };
                for pair in pairs {
                    let Some(value) = self.env_var_at(i + 1, &pair.key.value) else {
                        continue;
                    };
                    match env.iter_mut().find(|(k, _)| *k == pair.key.value) {
                        Some(slot) => slot.1 = value,
                        None => env.push((pair.key.value.clone(), value)),
                    }
                }
            }
        }
        env
    }

    /// Expand `raw` as BuildKit would at instruction `index`: ENV wins over ARG, ARG
    /// defaults stand in for build arguments.
    #[must_use]
    pub fn expand_at(&self, index: usize, raw: &str) -> Expanded {
        expand(raw, &|name| self.lookup_at(index, name))
    }

    /// Whether the arguments of instruction `index` cannot be judged: it has a syntax error,
    /// or holds a template placeholder (`{{ .version }}`, `%%BASE%%`) to be filled in before
    /// the file is built.
    #[must_use]
    pub fn is_unjudgeable(&self, index: usize) -> bool {
        let unjudgeable = self.memo.unjudgeable.get_or_init(|| {
            (0..self.dockerfile.instructions.len())
                .map(|i| self.compute_unjudgeable(i))
                .collect()
        });
        unjudgeable.get(index).copied().unwrap_or(true)
    }

    fn compute_unjudgeable(&self, index: usize) -> bool {
        let Some(inst) = self.dockerfile.instructions.get(index) else {
            return true;
        };
        let span = inst.span;
        let text = span.slice(self.source);
        // `%%BASE%%` (uppercase between `%%`), not the shell's `${a%%.*}`.
        let percent_placeholder = text.split("%%").skip(1).any(|part| {
            part.starts_with(|c: char| c.is_ascii_uppercase())
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b))
        });
        text.contains("{{")
            || percent_placeholder
            || self.dockerfile.diagnostics.iter().any(|d| {
                d.severity == crate::syntax::DiagnosticSeverity::Error
                    && d.span.start() >= span.start()
                    && d.span.start() < span.end().max(span.start() + 1)
            })
    }

    /// What `COPY --from=<x>` / `RUN --mount=from=<x>` at instruction `index` names: an
    /// earlier stage (by name, case-insensitive, or by number) or an image.
    #[must_use]
    pub fn source_named(&self, index: usize, raw: &str) -> CopySource {
        let expanded = self.expand_at(index, raw).text;
        let current = self.context(index).stage.unwrap_or(usize::MAX);
        let lower = expanded.to_ascii_lowercase();
        let by_name = self
            .stages
            .iter()
            .filter(|s| s.index < current)
            .rev()
            .find(|s| s.name.as_deref() == Some(lower.as_str()));
        if let Some(stage) = by_name {
            return CopySource::Stage(stage.index);
        }
        if let Ok(n) = expanded.parse::<usize>() {
            return CopySource::Stage(n);
        }
        if self.context(index).stage.is_some()
            && self.stages.get(current).and_then(|s| s.name.as_deref()) == Some(lower.as_str())
        {
            return CopySource::CurrentStage;
        }
        CopySource::Image(expanded)
    }
}

/// Whether a USER value (`root`, `0`, `root:root`, `0:1000`) names the root user.
#[must_use]
pub fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || (!name.is_empty() && name.bytes().all(|b| b == b'0'))
}

/// What a `--from` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopySource {
    /// An earlier stage (its index; a number may point past the last stage).
    Stage(usize),
    /// The stage the instruction is in (a mistake: it cannot copy from itself).
    CurrentStage,
    /// An image reference.
    Image(String),
}

/// ENV first, then ARG: `Some(None)` for a declared ARG without a default.
fn inherited(volumes: &[Volume]) -> Vec<Volume> {
    volumes
        .iter()
        .map(|v| Volume {
            inherited: true,
            ..v.clone()
        })
        .collect()
}

/// The `--mount` specifications of a RUN instruction.
#[must_use]
pub fn mounts(inst: &Instruction) -> Vec<Mount> {
    inst.flags_named("mount").map(parse_mount).collect()
}

/// Parse `type=cache,target=/x,...` (BuildKit's CSV mount syntax; `dst`/`destination`
/// are aliases of `target`, `src` of `source`).
fn parse_mount(flag: &Flag) -> Mount {
    let mut mount = Mount {
        kind: MountKind::Bind,
        target: None,
        source: None,
        from: None,
        from_span: None,
        id: None,
        span: flag.span,
    };
    let text = flag.value.as_deref().unwrap_or("");
    // The flag's text as written is its value exactly when nothing was removed from it.
    let written_at = flag
        .value_span
        .filter(|s| s.len() == text.len())
        .map(Span::start);
    let mut offset = 0;
    for field in text.split(',') {
        let field_start = offset;
        offset += field.len() + 1;
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        let value_start = field_start + key.len() + 1;
        let value = value.trim_matches('"').to_owned();
        match key.trim().to_ascii_lowercase().as_str() {
            "type" => {
                mount.kind = match value.as_str() {
                    "bind" => MountKind::Bind,
                    "cache" => MountKind::Cache,
                    "tmpfs" => MountKind::Tmpfs,
                    "secret" => MountKind::Secret,
                    "ssh" => MountKind::Ssh,
                    _ => MountKind::Other,
                }
            }
            "target" | "dst" | "destination" => mount.target = Some(normalize_path(&value)),
            "source" | "src" => mount.source = Some(value),
            "from" => {
                mount.from = Some(value);
                mount.from_span = written_at
                    .filter(|_| field.contains('='))
                    .map(|at| Span::new(at + value_start, at + field_start + field.len()));
            }
            "id" => mount.id = Some(value),
            _ => {}
        }
    }
    mount
}

/// Collapse `//`, `/./` and trailing slashes; resolve `..` lexically.
#[must_use]
pub fn normalize_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Whether normalised absolute `path` is `dir` or lies below it.
#[must_use]
pub fn is_within(path: &str, dir: &str) -> bool {
    if dir == "/" {
        return path.starts_with('/');
    }
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The result of substituting variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// Names that had no value; they expand to the empty string, as in BuildKit.
    pub unresolved: Vec<String>,
}

/// Substitute `$A`, `${A}`, `${A:-w}`, `${A-w}`, `${A:+w}`, `${A+w}` using `lookup`
/// (`None`: undeclared; `Some(None)`: declared without a value). Other operators keep
/// the variable's value. Quotes are removed as BuildKit's word processing does.
#[must_use]
pub fn expand(raw: &str, lookup: &dyn Fn(&str) -> Option<Option<String>>) -> Expanded {
    let mut out = Expanded {
        text: String::with_capacity(raw.len()),
        unresolved: Vec::new(),
    };
    expand_into(raw, lookup, &mut out, 0);
    out
}

/// `raw` expanded with `lookup`, or `None` when it refers to a variable without a value.
fn expand_known(raw: &str, lookup: &dyn Fn(&str) -> Option<Option<String>>) -> Option<String> {
    let expanded = expand(raw, lookup);
    expanded.unresolved.is_empty().then_some(expanded.text)
}

/// Nesting deeper than this in `${A:-${B:-...}}` is left unexpanded.
const MAX_EXPANSION_DEPTH: usize = 16;

fn expand_into(
    raw: &str,
    lookup: &dyn Fn(&str) -> Option<Option<String>>,
    out: &mut Expanded,
    depth: usize,
) {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && i + 1 < b.len() {
            let ch = raw[i + 1..].chars().next().unwrap_or('\\');
            out.text.push(ch);
            i += 1 + ch.len_utf8();
            continue;
        }
        if c == b'\'' || c == b'"' {
            i += 1;
            continue;
        }
        if c != b'$' || depth > MAX_EXPANSION_DEPTH {
            let ch = raw[i..].chars().next().unwrap_or('$');
            out.text.push(ch);
            i += ch.len_utf8();
            continue;
        }
        i = expand_reference(raw, i, lookup, out, depth);
    }
}

/// Expand the reference at the `$` at `i`; returns the offset after it.
fn expand_reference(
    raw: &str,
    i: usize,
    lookup: &dyn Fn(&str) -> Option<Option<String>>,
    out: &mut Expanded,
    depth: usize,
) -> usize {
    let b = raw.as_bytes();
    let name_char = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    if b.get(i + 1) == Some(&b'{') {
        let name_start = i + 2;
        let mut j = name_start;
        while j < b.len() && name_char(b[j]) {
            j += 1;
        }
        let Some(close) = matching_close(b, i + 1) else {
            out.text.push_str(&raw[i..]);
            return b.len();
        };
        let name = &raw[name_start..j];
        let rest = &raw[j..close];
        let value = lookup(name).flatten();
        let (op, word) = split_operator(rest);
        match (op, &value) {
            (":-", v) if v.as_deref().is_none_or(str::is_empty) => {
                expand_into(word, lookup, out, depth + 1);
            }
            ("-", None) => expand_into(word, lookup, out, depth + 1),
            (":+", Some(v)) if !v.is_empty() => expand_into(word, lookup, out, depth + 1),
            ("+", Some(_)) => expand_into(word, lookup, out, depth + 1),
            (":+" | "+", _) => {}
            (_, Some(v)) => out.text.push_str(v),
            (_, None) => out.unresolved.push(name.to_owned()),
        }
        return close + 1;
    }
    let mut j = i + 1;
    while j < b.len() && name_char(b[j]) {
        j += 1;
    }
    if j == i + 1 {
        out.text.push('$');
        return i + 1;
    }
    let name = &raw[i + 1..j];
    match lookup(name).flatten() {
        Some(v) => out.text.push_str(&v),
        None => out.unresolved.push(name.to_owned()),
    }
    j
}

/// The operator at the start of `${NAME<rest>}` and the word after it.
fn split_operator(rest: &str) -> (&str, &str) {
    for op in [":-", ":+", ":?", "-", "+", "?"] {
        if let Some(word) = rest.strip_prefix(op) {
            return (op, word);
        }
    }
    ("", "")
}

/// The `}` matching the `{` at `open`.
fn matching_close(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn lookup(name: &str) -> Option<Option<String>> {
        match name {
            "TAG" => Some(Some("3.20".into())),
            "EMPTY" => Some(None),
            _ => None,
        }
    }

    #[test]
    fn expands_defaults_and_alternatives() {
        assert_eq!(expand("alpine:${TAG}", &lookup).text, "alpine:3.20");
        assert_eq!(expand("a:${NOPE:-1.0}", &lookup).text, "a:1.0");
        assert_eq!(expand("a:${TAG:+x}", &lookup).text, "a:x");
        assert_eq!(expand("a:${EMPTY:-${TAG}}", &lookup).text, "a:3.20");
        let e = expand("$BASE", &lookup);
        assert_eq!(
            (e.text.as_str(), e.unresolved),
            ("", vec!["BASE".to_owned()])
        );
    }

    #[test]
    fn arg_defaults_refer_to_earlier_args() {
        let src = "ARG V=3.20\nARG IMG=alpine:${V}\nARG B=$NOPE\nARG C\nARG D=${C}-x\n\
                   FROM $IMG\nARG IMG\nARG E=${IMG}-slim\nARG F=$E.$D\nRUN x\n";
        let df = parse(src);
        let m = Model::new(src, &df);
        let defaults: Vec<Option<&str>> =
            m.global_args.iter().map(|a| a.default.as_deref()).collect();
        assert_eq!(
            defaults,
            [Some("3.20"), Some("alpine:3.20"), None, None, None]
        );
        let Base::Image(img) = &m.stages[0].base else {
            panic!("external base expected")
        };
        assert_eq!(img.resolved.raw, "alpine:3.20");
        let args = m.args_at(9);
        assert_eq!(args["E"].as_deref(), Some("alpine:3.20-slim"));
        // D has no known value, so F has none either.
        assert_eq!(args["F"], None);
        assert_eq!(m.expand_at(9, "${E}").text, "alpine:3.20-slim");
    }

    #[test]
    fn stages_bases_and_inheritance() {
        let src = "ARG TAG=3.20\nFROM alpine:${TAG} AS Base\nUSER app\nVOLUME /data/\nFROM base AS final\nRUN x\nFROM scratch\n";
        let df = parse(src);
        let m = Model::new(src, &df);
        assert_eq!(m.global_args[0].default.as_deref(), Some("3.20"));
        assert_eq!(m.stages.len(), 3);
        let Base::Image(img) = &m.stages[0].base else {
            panic!("external base expected")
        };
        assert_eq!(img.resolved.tag.as_ref().unwrap().text, "3.20");
        assert_eq!(img.resolved.span.slice(src), "alpine:${TAG}");
        assert_eq!(m.stages[1].base, Base::Stage(0));
        assert_eq!(m.stages[2].base, Base::Scratch);
        // USER and VOLUME carry over into the stage built FROM base.
        assert_eq!(m.user_at(5).unwrap().value, "app");
        assert_eq!(m.stages[1].volumes[0].path, "/data");
        assert!(m.stages[1].volumes[0].inherited);
        assert!(m.is_in_final_image(2));
        assert!(!m.is_in_final_image(0));
    }

    #[test]
    fn env_is_inherited_expanded_and_wins_over_arg() {
        let src = "FROM a AS base\nARG V=1\nENV APP=/opt/app V=2\nFROM base AS final\nENV BIN=$APP/bin\nRUN x\nCOPY --from=BASE /a /b\nCOPY --from=final /a /b\nCOPY --from=0 /a /b\nCOPY --from=nginx:1 /a /b\n";
        let df = parse(src);
        let m = Model::new(src, &df);
        let env = m.env_at(5);
        assert_eq!(
            env,
            vec![
                ("APP".to_owned(), "/opt/app".to_owned()),
                ("V".to_owned(), "2".to_owned()),
                ("BIN".to_owned(), "/opt/app/bin".to_owned()),
            ]
        );
        assert_eq!(m.expand_at(2, "$V").text, "1");
        assert_eq!(m.source_named(6, "BASE"), CopySource::Stage(0));
        assert_eq!(m.source_named(7, "final"), CopySource::CurrentStage);
        assert_eq!(m.source_named(8, "0"), CopySource::Stage(0));
        assert_eq!(
            m.source_named(9, "nginx:1"),
            CopySource::Image("nginx:1".into())
        );
    }

    #[test]
    fn workdir_resolves_relative_paths() {
        let src = "FROM a\nWORKDIR /app\nWORKDIR src/../lib\nRUN x\n";
        let df = parse(src);
        let m = Model::new(src, &df);
        assert_eq!(m.workdir_at(3).as_deref(), Some("/app/lib"));
    }

    #[test]
    fn mounts_are_parsed() {
        let src =
            "FROM a\nRUN --mount=type=cache,target=/var/cache/apt/ --mount=type=secret,id=npm x\n";
        let df = parse(src);
        let ms = mounts(&df.instructions[1]);
        assert_eq!(ms[0].kind, MountKind::Cache);
        assert_eq!(ms[0].target.as_deref(), Some("/var/cache/apt"));
        assert_eq!(ms[1].kind, MountKind::Secret);
        assert_eq!(ms[1].id.as_deref(), Some("npm"));
    }

    #[test]
    fn a_mount_from_value_has_a_span_when_written_as_it_reads() {
        let src = "FROM a\nRUN --mount=type=bind,from=Build,target=/x --mount=\"from=b\" --mount=from x\n";
        let df = parse(src);
        let ms = mounts(&df.instructions[1]);
        let spans: Vec<Option<&str>> = ms
            .iter()
            .map(|m| m.from_span.map(|s| s.slice(src)))
            .collect();
        assert_eq!(spans, [Some("Build"), None, None]);
    }
}
