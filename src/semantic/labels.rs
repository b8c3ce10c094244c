//! LABELs: every pair with its key and value expanded through ARG/ENV, and the labels the
//! final image carries (inherited through `FROM <stage>` chains).

use super::Model;
use crate::syntax::{InstructionKind, KeyValue};

/// One `key=value` of a LABEL instruction.
#[derive(Debug, Clone)]
pub struct Label<'a> {
    /// Index of the LABEL instruction.
    pub instruction: usize,
    pub pair: &'a KeyValue,
    /// The key with variables expanded; `None` when a variable in it has no value.
    pub key: Option<String>,
    /// The value with variables expanded; `None` when a variable in it has no value
    /// (`$BUILD_DATE` from an `ARG BUILD_DATE` without default is filled in at build time).
    pub value: Option<String>,
}

impl Label<'_> {
    /// Whether the written value holds a variable reference.
    #[must_use]
    pub fn value_has_variables(&self) -> bool {
        self.pair.value.raw.contains('$')
    }
}

impl<'a> Model<'a> {
    /// Every LABEL pair of the file in order, ONBUILD triggers and instructions that cannot
    /// be judged ([`Model::is_unjudgeable`]) left out.
    #[must_use]
    pub fn labels(&self) -> Vec<Label<'a>> {
        let dockerfile: &'a crate::syntax::Dockerfile = self.dockerfile;
        let mut out = Vec::new();
        for (i, inst) in dockerfile.instructions.iter().enumerate() {
            let InstructionKind::Label(pairs) = &inst.kind else {
                continue;
            };
            if self.is_unjudgeable(i) {
                continue;
            }
            for pair in pairs {
                out.push(self.label(i, pair));
            }
        }
        out
    }

    fn label(&self, instruction: usize, pair: &'a KeyValue) -> Label<'a> {
        let resolved = |raw: &str| {
            let e = self.expand_at(instruction, raw);
            e.unresolved.is_empty().then_some(e.text)
        };
        Label {
            instruction,
            pair,
            key: resolved(&pair.key.raw),
            value: resolved(&pair.value.raw),
        }
    }

    /// The labels of the final image set in this file: the LABELs of the final stage and of
    /// the stages it is built `FROM`, a later LABEL of a key replacing an earlier one.
    /// `None` when that set cannot be known: a LABEL in the chain cannot be judged or has a
    /// key with an unresolved variable, so it might set any label.
    #[must_use]
    pub fn final_image_labels(&self) -> Option<Vec<Label<'a>>> {
        let last = self.final_stage()?;
        let mut chain: Vec<usize> = self
            .stage_chain(last.index)
            .iter()
            .map(|s| s.index)
            .collect();
        chain.reverse();
        let mut out: Vec<Label<'a>> = Vec::new();
        for s in chain {
            for i in self.stages[s].body.clone() {
                let InstructionKind::Label(pairs) = &self.dockerfile.instructions[i].kind else {
                    continue;
                };
                if self.is_unjudgeable(i) {
                    return None;
                }
                for pair in pairs {
                    let label = self.label(i, pair);
                    let key = label.key.clone()?;
                    out.retain(|l| l.key.as_deref() != Some(key.as_str()));
                    out.push(label);
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::Model;
    use crate::syntax::parse;

    #[test]
    fn labels_expand_and_inherit() {
        let src = "ARG V=1.0\nFROM a AS base\nARG V\nARG DATE\nLABEL version=$V created=$DATE keep=x\nFROM base AS final\nLABEL version=2.0\nFROM a AS other\nLABEL only=here\nFROM final\n";
        let df = parse(src);
        let m = Model::new(src, &df);
        let all = m.labels();
        assert_eq!(all.len(), 5);
        assert_eq!(all[0].value.as_deref(), Some("1.0"));
        assert_eq!(all[1].value, None);
        assert!(all[1].value_has_variables());
        let fin = m.final_image_labels().unwrap();
        let keys: Vec<_> = fin
            .iter()
            .map(|l| (l.key.as_deref().unwrap(), l.value.as_deref()))
            .collect();
        assert_eq!(
            keys,
            [
                ("created", None),
                ("keep", Some("x")),
                ("version", Some("2.0"))
            ]
        );
    }

    #[test]
    fn an_unresolved_key_makes_the_final_labels_unknown() {
        let src = "FROM a\nARG NS\nLABEL ${NS}.version=1\n";
        let df = parse(src);
        let m = Model::new(src, &df);
        assert!(m.final_image_labels().is_none());
        assert_eq!(m.labels()[0].key, None);
    }
}
