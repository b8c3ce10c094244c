//! Variables in scope at an instruction (ENV of the stage chain, ARG of the stage), answered
//! in logarithmic time: an index of where each name is set, and ENV/ARG values expanded
//! once, in file order. Walking the stage for every question made a 100,000-instruction
//! file take minutes.

use std::cell::RefCell;
use std::collections::HashMap;

use super::{expand, expand_known, Model};
use crate::syntax::InstructionKind;

/// Where each variable is set, and the values expanded so far.
#[derive(Debug, Default)]
pub(super) struct Scopes {
    /// Name → `(instruction, pair)` of every ENV pair setting it, in file order.
    env_defs: HashMap<String, Vec<(usize, usize)>>,
    /// Name → `(instruction, declaration)` of every ARG declared inside a stage, in order.
    arg_defs: HashMap<String, Vec<(usize, usize)>>,
    /// Instructions that are ENV or stage ARG, in file order.
    setters: Vec<usize>,
    /// The expanded values, per setter instruction (one per pair or declaration).
    values: RefCell<Values>,
}

#[derive(Debug, Default)]
struct Values {
    /// How many of `setters` have their values computed.
    done: usize,
    env: HashMap<usize, Vec<String>>,
    args: HashMap<usize, Vec<Option<String>>>,
}

impl Scopes {
    /// Index the ENV pairs and stage ARGs of `model`'s file.
    pub(super) fn index(model: &Model<'_>) -> Scopes {
        let mut scopes = Scopes::default();
        for (i, inst) in model.dockerfile.instructions.iter().enumerate() {
            match &inst.kind {
                InstructionKind::Env(pairs) => {
                    for (p, pair) in pairs.iter().enumerate() {
                        let defs = scopes.env_defs.entry(pair.key.value.clone()).or_default();
                        defs.push((i, p));
                    }
                    scopes.setters.push(i);
                }
                InstructionKind::Arg(decls) if model.context(i).stage.is_some() => {
                    for (d, decl) in decls.iter().enumerate() {
                        let defs = scopes.arg_defs.entry(decl.name.value.clone()).or_default();
                        defs.push((i, d));
                    }
                    scopes.setters.push(i);
                }
                _ => {}
            }
        }
        scopes
    }
}

/// The value of the last of `own` (an instruction's pairs so far) named `name`.
fn latest<'v, V>(own: &'v [(&str, V)], name: &str) -> Option<&'v V> {
    own.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// The last definition in `defs` (sorted by instruction) at an instruction in `range`.
fn last_in(defs: &[(usize, usize)], range: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let before = defs.partition_point(|&(i, _)| i < range.end);
    let &(i, p) = defs[..before].last()?;
    (i >= range.start).then_some((i, p))
}

impl Model<'_> {
    /// The value ENV gives `name` at instruction `index` (set by an earlier instruction of
    /// the stage, or of a stage it is built on), expanded as it was when set.
    #[must_use]
    pub fn env_var_at(&self, index: usize, name: &str) -> Option<String> {
        let defs = self.scopes.env_defs.get(name)?;
        let mut stage = self.context(index).stage?;
        let mut end = index.min(self.stages[stage].body.end);
        for _ in 0..self.stages.len() {
            let body = &self.stages[stage].body;
            if let Some((i, p)) = last_in(defs, body.start..end) {
                return Some(self.setter_env(i)[p].clone());
            }
            stage = self.stages[stage].parent()?;
            end = self.stages[stage].body.end;
        }
        None
    }

    /// The ARG `name` at instruction `index`: `Some(default)` when declared in the stage
    /// before it (or, outside every stage, as a global ARG), `None` when not declared.
    #[must_use]
    pub fn arg_at(&self, index: usize, name: &str) -> Option<Option<String>> {
        let Some(stage) = self.context(index).stage else {
            return self.global_arg(name).map(|a| a.default.clone());
        };
        let body = &self.stages[stage].body;
        let defs = self.scopes.arg_defs.get(name)?;
        let (i, d) = last_in(defs, body.start..index.min(body.end))?;
        Some(self.setter_args(i)[d].clone())
    }

    /// A variable at instruction `index` as BuildKit expands it: ENV wins over ARG.
    #[must_use]
    pub fn lookup_at(&self, index: usize, name: &str) -> Option<Option<String>> {
        self.env_var_at(index, name)
            .map(Some)
            .or_else(|| self.arg_at(index, name))
    }

    /// The ENV and stage ARG instructions in `range`, in order.
    pub(super) fn setters_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = usize> + '_ {
        let setters = &self.scopes.setters;
        let from = setters.partition_point(|&i| i < range.start);
        let to = setters.partition_point(|&i| i < range.end);
        setters[from..to.max(from)].iter().copied()
    }

    /// The expanded values of the ENV pairs of instruction `i`.
    fn setter_env(&self, i: usize) -> Vec<String> {
        self.compute_setters_through(i);
        self.scopes
            .values
            .borrow()
            .env
            .get(&i)
            .cloned()
            .unwrap_or_default()
    }

    /// The values of the ARG declarations of instruction `i`.
    fn setter_args(&self, i: usize) -> Vec<Option<String>> {
        self.compute_setters_through(i);
        self.scopes
            .values
            .borrow()
            .args
            .get(&i)
            .cloned()
            .unwrap_or_default()
    }

    /// Expand every setter up to instruction `last`, in file order, so each one's lookups
    /// only meet values already computed (no recursion, each value computed once).
    fn compute_setters_through(&self, last: usize) {
        loop {
            let next = {
                let values = self.scopes.values.borrow();
                match self.scopes.setters.get(values.done) {
                    Some(&i) if i <= last => i,
                    _ => return,
                }
            };
            match &self.dockerfile.instructions[next].kind {
                InstructionKind::Env(pairs) => {
                    // A pair sees the pairs before it in the same ENV.
                    let mut own: Vec<(&str, String)> = Vec::new();
                    for pair in pairs {
                        let lookup = |name: &str| {
                            latest(&own, name)
                                .map(|v| Some(v.clone()))
                                .or_else(|| self.lookup_at(next, name))
                        };
                        let value = expand(&pair.value.raw, &lookup).text;
                        own.push((pair.key.value.as_str(), value));
                    }
                    let mut values = self.scopes.values.borrow_mut();
                    values
                        .env
                        .insert(next, own.into_iter().map(|(_, v)| v).collect());
                    values.done += 1;
                }
                InstructionKind::Arg(decls) => {
                    let mut own: Vec<(&str, Option<String>)> = Vec::new();
                    for decl in decls {
                        let value = match &decl.default {
                            // A default is expanded with the ARGs before it only.
                            Some(w) => expand_known(&w.raw, &|name| {
                                latest(&own, name)
                                    .cloned()
                                    .or_else(|| self.arg_at(next, name))
                            }),
                            None => self
                                .global_arg(&decl.name.value)
                                .and_then(|g| g.default.clone()),
                        };
                        own.push((decl.name.value.as_str(), value));
                    }
                    let mut values = self.scopes.values.borrow_mut();
                    values
                        .args
                        .insert(next, own.into_iter().map(|(_, v)| v).collect());
                    values.done += 1;
                }
                _ => self.scopes.values.borrow_mut().done += 1,
            }
        }
    }
}
