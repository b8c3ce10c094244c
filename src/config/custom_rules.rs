//! `custom-rules:` in `.drydock.yaml`: reading, checking and compiling user-defined rules,
//! and following `include:` entries into other files (whose errors point into those files).

use std::fmt;
use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use super::{closest, located, ConfigError, ErrorContext, Names};
use crate::diagnostic::Severity;
use crate::rules::custom::{self, CommandMatcher, ImagePattern, Matcher};
use crate::rules::{self, CustomRule};
use crate::syntax::Keyword;

/// Compiled regexes larger than this are refused, so a pathological pattern is a
/// configuration error rather than a slow run.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// What an included file must be.
const INCLUDE_TOP_LEVEL: &str = "an included rules file must be a list of custom rules";

/// One entry of `custom-rules:`: a rule, or `include: FILE`.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a custom rule (a map with id, name, message, ...) or `include: FILE`"
)]
pub(super) struct RawEntry {
    include: Option<Spanned<String>>,
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    severity: Option<Spanned<String>>,
    message: Option<Spanned<String>>,
    help: Option<Spanned<String>>,
    instruction: Option<Spanned<Names>>,
    args: Option<Spanned<String>>,
    command: Option<Spanned<RawCommand>>,
    image: Option<Spanned<RawImage>>,
    key: Option<Spanned<String>>,
    required_label: Option<Spanned<Names>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a map with the keys name, args, require-flags, flag-value, or-env, forbid-flags"
)]
struct RawCommand {
    name: Option<Spanned<Names>>,
    args: Option<Spanned<Names>>,
    require_flags: Option<Spanned<Names>>,
    flag_value: Option<Spanned<String>>,
    or_env: Option<Spanned<Names>>,
    forbid_flags: Option<Spanned<Names>>,
}

/// `image:`: a glob, a list of globs, or `{regex: ...}`.
enum RawImage {
    Globs(Vec<String>),
    Regex(Spanned<String>),
}

impl<'de> Deserialize<'de> for RawImage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ImageVisitor)
    }
}

struct ImageVisitor;

impl<'de> Visitor<'de> for ImageVisitor {
    type Value = RawImage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a glob, a list of globs, or a map `{regex: ...}`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawImage, E> {
        Ok(RawImage::Globs(vec![v.to_owned()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawImage, A::Error> {
        let mut globs = Vec::new();
        while let Some(g) = seq.next_element::<String>()? {
            globs.push(g);
        }
        Ok(RawImage::Globs(globs))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawImage, A::Error> {
        let mut regex = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "regex" || regex.is_some() {
                return Err(de::Error::unknown_field(&key, &["regex"]));
            }
            regex = Some(map.next_value::<Spanned<String>>()?);
        }
        regex
            .map(RawImage::Regex)
            .ok_or_else(|| de::Error::missing_field("regex"))
    }
}

/// The rules loaded so far: checked for duplicates across files, and the include chain.
pub(super) struct Loader {
    rules: Vec<CustomRule>,
    /// The files being read, outermost first (canonical paths), to catch include cycles.
    stack: Vec<PathBuf>,
}

impl Loader {
    /// A loader for the configuration file at `path`.
    pub(super) fn new(path: &Path) -> Self {
        Loader {
            rules: Vec::new(),
            stack: vec![canonical(path)],
        }
    }

    /// Every rule, in file order (an include's rules where the include stands).
    pub(super) fn finish(self) -> Vec<CustomRule> {
        self.rules
    }

    /// Read the entries of one file (`cx` is that file).
    pub(super) fn entries(
        &mut self,
        cx: &ErrorContext<'_>,
        entries: Vec<Spanned<RawEntry>>,
    ) -> Result<(), ConfigError> {
        for entry in entries {
            let at = entry.referenced;
            match entry.value.include {
                Some(ref include) if entry.value.is_include_only() => {
                    let include = include.clone();
                    self.include(cx, &include)?;
                }
                Some(ref include) => {
                    return Err(cx.at(
                        include.referenced,
                        "`include` stands alone in its entry: a rule cannot also include a file"
                            .into(),
                        Some("write `- include: FILE` as its own list entry".into()),
                    ));
                }
                None => {
                    let rule = self.rule(cx, at, entry.value)?;
                    self.rules.push(rule);
                }
            }
        }
        Ok(())
    }

    /// Read the rules of the file `include` names (relative to the including file).
    fn include(
        &mut self,
        cx: &ErrorContext<'_>,
        include: &Spanned<String>,
    ) -> Result<(), ConfigError> {
        let base = cx.path.parent().unwrap_or(Path::new("."));
        let path = base.join(&include.value);
        let key = canonical(&path);
        if let Some(first) = self.stack.iter().position(|p| *p == key) {
            let chain: Vec<String> = self.stack[first..]
                .iter()
                .chain(std::iter::once(&key))
                .map(|p| format!("`{}`", file_name(p)))
                .collect();
            return Err(cx.at(
                include.referenced,
                format!("include cycle: {}", chain.join(" includes ")),
                Some("remove one of the includes".into()),
            ));
        }
        let text =
            std::fs::read(&path)
                .map_err(|e| crate::discover::describe(&e))
                .and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8".to_owned()))
                .map_err(|reason| {
                    cx.at(
                        include.referenced,
                        format!(
                            "cannot read the included file `{}`: {reason}",
                            include.value
                        ),
                        Some(format!(
                        "paths are relative to the directory of the file that includes them (`{}`)",
                        if base.as_os_str().is_empty() { Path::new(".") } else { base }.display()
                    )),
                    )
                })?;
        let inner = ErrorContext {
            path: &path,
            text: &text,
            top_level: INCLUDE_TOP_LEVEL,
        };
        let entries = match serde_saphyr::from_str::<Option<Vec<Spanned<RawEntry>>>>(&text) {
            Ok(entries) => entries.unwrap_or_default(),
            Err(e) => return Err(inner.yaml(&e)),
        };
        self.stack.push(key);
        let result = self.entries(&inner, entries);
        self.stack.pop();
        result
    }

    /// Check one rule entry starting at `at` and compile it.
    fn rule(
        &self,
        cx: &ErrorContext<'_>,
        at: Location,
        raw: RawEntry,
    ) -> Result<CustomRule, ConfigError> {
        let required = |field: &str| {
            cx.at(
                at,
                format!("this custom rule has no `{field}`"),
                Some("a custom rule needs `id`, `name` and `message`".into()),
            )
        };
        let id = raw.id.as_ref().ok_or_else(|| required("id"))?;
        let name = raw.name.as_ref().ok_or_else(|| required("name"))?;
        let message = raw.message.as_ref().ok_or_else(|| required("message"))?;
        self.check_id(cx, id)?;
        self.check_name(cx, name)?;
        if message.value.trim().is_empty() {
            return Err(cx.at(
                message.referenced,
                "`message` is empty".into(),
                Some("say what is wrong".into()),
            ));
        }
        let severity = match &raw.severity {
            None => Severity::Warning,
            Some(s) => Severity::parse(&s.value).ok_or_else(|| {
                cx.at(
                    s.referenced,
                    format!(
                        "`severity` must be one of error, warning, info, style, not `{}`",
                        s.value
                    ),
                    None,
                )
            })?,
        };
        let matcher = matcher(cx, at, &raw)?;
        Ok(CustomRule {
            code: custom::intern(&id.value),
            name: custom::intern(&name.value),
            severity,
            message: message.value.clone(),
            help: raw.help.map(|h| h.value).unwrap_or_default(),
            origin: format!("{}:{}", cx.path.display(), at.line()),
            matcher,
        })
    }

    /// `ACME001`: letters then digits, not a built-in code, not used twice.
    fn check_id(&self, cx: &ErrorContext<'_>, id: &Spanned<String>) -> Result<(), ConfigError> {
        let v = id.value.as_str();
        let err = |message: String, help: Option<String>| Err(cx.at(id.referenced, message, help));
        let letters = v.trim_end_matches(|c: char| c.is_ascii_digit());
        let well_formed = letters.len() < v.len()
            && letters.starts_with(|c: char| c.is_ascii_uppercase())
            && letters
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !well_formed {
            return err(
                format!(
                    "custom rule id `{v}` must be uppercase letters and digits, ending in digits"
                ),
                Some("for example `ACME001`".into()),
            );
        }
        if v.starts_with("DD") {
            return err(
                format!("custom rule id `{v}` starts with `DD`, which is reserved for drydock's own rules"),
                Some("use your own prefix, e.g. `ACME001`".into()),
            );
        }
        if let Some(i) = rules::find(v) {
            let m = &rules::metas()[i];
            return err(
                format!(
                    "custom rule id `{v}` already designates the built-in rule {} ({})",
                    m.code, m.name
                ),
                Some("choose another id".into()),
            );
        }
        if let Some(other) = self.rules.iter().find(|r| r.code.eq_ignore_ascii_case(v)) {
            return err(
                format!(
                    "custom rule id `{v}` is already used by the rule defined at {}",
                    other.origin
                ),
                Some("every custom rule needs its own id".into()),
            );
        }
        Ok(())
    }

    /// `oci-source-label`: kebab-case, not a built-in designator, not used twice.
    fn check_name(&self, cx: &ErrorContext<'_>, name: &Spanned<String>) -> Result<(), ConfigError> {
        let v = name.value.as_str();
        let err =
            |message: String, help: Option<String>| Err(cx.at(name.referenced, message, help));
        let kebab = v.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        }) && v.starts_with(|c: char| c.is_ascii_lowercase());
        if !kebab {
            return err(
                format!(
                    "custom rule name `{v}` must be kebab-case (lowercase words joined by `-`)"
                ),
                Some("for example `oci-source-label`".into()),
            );
        }
        if rules::is_designator(v) || v == custom::CATEGORY {
            return err(
                format!("custom rule name `{v}` already designates built-in rules"),
                Some("choose another name; `drydock rules` lists the built-in ones".into()),
            );
        }
        if let Some(other) = self.rules.iter().find(|r| r.name == v) {
            return err(
                format!(
                    "custom rule name `{v}` is already used by the rule defined at {}",
                    other.origin
                ),
                Some("every custom rule needs its own name".into()),
            );
        }
        Ok(())
    }
}

impl RawEntry {
    /// Whether `include` is the only key.
    fn is_include_only(&self) -> bool {
        self.id.is_none()
            && self.name.is_none()
            && self.severity.is_none()
            && self.message.is_none()
            && self.help.is_none()
            && self.instruction.is_none()
            && self.args.is_none()
            && self.command.is_none()
            && self.image.is_none()
            && self.key.is_none()
            && self.required_label.is_none()
    }
}

/// A matcher and the instruction kinds it can match (`None`: any).
struct Applies {
    field: &'static str,
    kinds: &'static [Keyword],
    described: &'static str,
    at: Location,
}

/// Compile the matchers of a rule and check that they can match together.
fn matcher(cx: &ErrorContext<'_>, at: Location, raw: &RawEntry) -> Result<Matcher, ConfigError> {
    let mut m = Matcher::default();
    if let Some(labels) = &raw.required_label {
        let others = [
            (
                "instruction",
                raw.instruction.as_ref().map(|s| s.referenced),
            ),
            ("args", raw.args.as_ref().map(|s| s.referenced)),
            ("command", raw.command.as_ref().map(|s| s.referenced)),
            ("image", raw.image.as_ref().map(|s| s.referenced)),
            ("key", raw.key.as_ref().map(|s| s.referenced)),
        ];
        if let Some((field, loc)) = others.iter().find_map(|(f, l)| l.map(|l| (f, l))) {
            return Err(cx.at(
                loc,
                format!(
                    "`required-label` judges the final image and cannot be combined with `{field}`"
                ),
                Some("write a separate rule".into()),
            ));
        }
        m.required_labels = words(cx, "required-label", labels)?;
        return Ok(m);
    }
    m.args = raw
        .args
        .as_ref()
        .map(|r| regex(cx, "args", r))
        .transpose()?;
    m.key = raw.key.as_ref().map(|r| regex(cx, "key", r)).transpose()?;
    m.command = raw.command.as_ref().map(|c| command(cx, c)).transpose()?;
    m.image = raw.image.as_ref().map(|i| image(cx, i)).transpose()?;
    let mut applies = Vec::new();
    if let Some(c) = &raw.command {
        applies.push(Applies {
            field: "command",
            kinds: &[Keyword::Run],
            described: "RUN",
            at: c.referenced,
        });
    }
    if let Some(k) = &raw.key {
        applies.push(Applies {
            field: "key",
            kinds: &[Keyword::Env, Keyword::Arg, Keyword::Label],
            described: "ENV, ARG and LABEL",
            at: k.referenced,
        });
    }
    if let Some(i) = &raw.image {
        applies.push(Applies {
            field: "image",
            kinds: &[Keyword::From],
            described: "FROM",
            at: i.referenced,
        });
    }
    if let [first, second, ..] = applies.as_slice() {
        return Err(cx.at(
            second.at,
            format!(
                "`{}` ({}) and `{}` ({}) never match the same instruction",
                first.field, first.described, second.field, second.described
            ),
            Some("write a separate rule for each".into()),
        ));
    }
    match &raw.instruction {
        Some(list) => {
            words(cx, "instruction", list)?;
            for word in &list.value.0 {
                let word = located(word.clone(), list.referenced);
                let kind = keyword(cx, &word)?;
                if let Some(a) = applies.first().filter(|a| !a.kinds.contains(&kind)) {
                    return Err(cx.at(
                        word.referenced,
                        format!(
                            "`{}` applies to {}, not {}",
                            a.field,
                            a.described,
                            kind.as_str()
                        ),
                        Some(format!(
                            "drop `{}` from `instruction`, or the `{}` matcher",
                            word.value, a.field
                        )),
                    ));
                }
                if !m.instructions.contains(&kind) {
                    m.instructions.push(kind);
                }
            }
        }
        None => {
            match applies.first() {
                Some(a) => m.instructions = a.kinds.to_vec(),
                None if m.args.is_none() => return Err(cx.at(
                    at,
                    "this custom rule matches nothing".into(),
                    Some(
                        "give `instruction`, `args`, `command`, `image`, `key` or `required-label`"
                            .into(),
                    ),
                )),
                None => {}
            }
        }
    }
    Ok(m)
}

/// An instruction name such as `run` (any case).
fn keyword(cx: &ErrorContext<'_>, word: &Spanned<String>) -> Result<Keyword, ConfigError> {
    let kind = Keyword::parse(&word.value);
    if kind != Keyword::Unknown {
        return Ok(kind);
    }
    let known: Vec<String> = Keyword::KNOWN
        .iter()
        .map(|k| k.as_str().to_ascii_lowercase())
        .collect();
    let message = match closest(&word.value, known.iter().map(String::as_str)) {
        Some(s) => format!(
            "unknown instruction `{}` in `instruction`; did you mean `{s}`?",
            word.value
        ),
        None => format!("unknown instruction `{}` in `instruction`", word.value),
    };
    Err(cx.at(
        word.referenced,
        message,
        Some(format!("one of {}", known.join(", "))),
    ))
}

/// The `command:` matcher.
fn command(
    cx: &ErrorContext<'_>,
    raw: &Spanned<RawCommand>,
) -> Result<CommandMatcher, ConfigError> {
    let c = &raw.value;
    let Some(name) = &c.name else {
        return Err(cx.at(
            raw.referenced,
            "`command` has no `name`".into(),
            Some("name the program, e.g. `name: pip` (or a list such as `[pip, pip3]`)".into()),
        ));
    };
    let flags = |field: &str, list: &Option<Spanned<Names>>| -> Result<Vec<String>, ConfigError> {
        let Some(list) = list else {
            return Ok(Vec::new());
        };
        for word in &list.value.0 {
            let word = located(word.clone(), list.referenced);
            if !word.value.starts_with('-') || word.value.len() < 2 || word.value.contains('=') {
                return Err(cx.at(
                    word.referenced,
                    format!(
                        "`{field}` lists flags such as `--index-url` or `-i`, not `{}`",
                        word.value
                    ),
                    None,
                ));
            }
        }
        words(cx, field, list)
    };
    let require_flags = flags("require-flags", &c.require_flags)?;
    for (field, value) in [
        ("flag-value", c.flag_value.as_ref().map(|v| v.referenced)),
        ("or-env", c.or_env.as_ref().map(|v| v.referenced)),
    ] {
        if let (Some(loc), true) = (value, require_flags.is_empty()) {
            return Err(cx.at(
                loc,
                format!("`{field}` qualifies `require-flags`, which this command matcher lacks"),
                None,
            ));
        }
    }
    let or_env = c
        .or_env
        .as_ref()
        .map(|l| words(cx, "or-env", l))
        .transpose()?
        .unwrap_or_default();
    Ok(CommandMatcher {
        names: words(cx, "name", name)?,
        args: c
            .args
            .as_ref()
            .map(|l| words(cx, "args", l))
            .transpose()?
            .unwrap_or_default(),
        require_flags,
        flag_value: c
            .flag_value
            .as_ref()
            .map(|r| regex(cx, "flag-value", r))
            .transpose()?,
        or_env,
        forbid_flags: flags("forbid-flags", &c.forbid_flags)?,
    })
}

/// The `image:` matcher.
fn image(cx: &ErrorContext<'_>, raw: &Spanned<RawImage>) -> Result<ImagePattern, ConfigError> {
    let globs = match &raw.value {
        RawImage::Regex(r) => return Ok(ImagePattern::Regex(regex(cx, "image", r)?)),
        RawImage::Globs(g) => g.clone(),
    };
    if globs.is_empty() || globs.iter().any(String::is_empty) {
        return Err(cx.at(
            raw.referenced,
            "`image` needs a non-empty glob".into(),
            None,
        ));
    }
    Ok(ImagePattern::Globs(globs))
}

/// The non-empty words of a list.
fn words(
    cx: &ErrorContext<'_>,
    field: &str,
    list: &Spanned<Names>,
) -> Result<Vec<String>, ConfigError> {
    let out: Vec<String> = list.value.0.iter().map(|w| w.value.clone()).collect();
    if out.is_empty() || out.iter().any(|w| w.trim().is_empty()) {
        return Err(cx.at(
            list.referenced,
            format!("`{field}` needs at least one non-empty value"),
            None,
        ));
    }
    Ok(out)
}

/// Compile a regex with a size limit; errors point at the pattern.
fn regex(
    cx: &ErrorContext<'_>,
    field: &str,
    pattern: &Spanned<String>,
) -> Result<Regex, ConfigError> {
    RegexBuilder::new(&pattern.value)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            let reason = match &e {
                regex::Error::CompiledTooBig(limit) => {
                    format!(
                        "it is too large once compiled (over the {} MiB limit); split it into several rules",
                        limit / (1024 * 1024)
                    )
                }
                other => other
                    .to_string()
                    .lines()
                    .rev()
                    .find_map(|l| l.strip_prefix("error: "))
                    .unwrap_or("it does not parse")
                    .to_owned(),
            };
            cx.at(
                pattern.referenced,
                format!("`{field}` is not a usable regex: {reason}"),
                Some(
                    "regexes use Rust's `regex` syntax: https://docs.rs/regex/latest/regex/#syntax"
                        .into(),
                ),
            )
        })
}

/// A path made comparable for cycle detection (as given when it cannot be resolved).
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The last component of `path`, for messages.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Config};
    use std::path::{Path, PathBuf};

    /// `custom-rules:` followed by `rules` (indented YAML list items).
    fn with_rules(rules: &str) -> String {
        format!("custom-rules:\n{rules}")
    }

    fn load(text: &str) -> Result<Config, super::ConfigError> {
        parse(Path::new("c.yaml"), text)
    }

    /// `path:line:column: message` of the error `text` gives.
    fn err(text: &str) -> String {
        load(text).unwrap_err().to_string()
    }

    /// A scratch directory for include tests.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "drydock-custom-rules-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const OK: &str =
        "  - id: ACME001\n    name: no-add\n    message: no ADD\n    instruction: add\n";

    #[test]
    fn a_valid_rule_is_compiled() {
        let c = load(&with_rules(OK)).unwrap();
        let r = &c.custom_rules[0];
        assert_eq!(
            (r.code, r.name, r.message.as_str()),
            ("ACME001", "no-add", "no ADD")
        );
        assert_eq!(r.severity, crate::diagnostic::Severity::Warning);
        assert_eq!(r.origin, "c.yaml:2");
        assert_eq!(r.matcher.instructions, [crate::syntax::Keyword::Add]);
    }

    #[test]
    fn bad_regexes_point_at_the_pattern() {
        let text =
            with_rules("  - id: ACME001\n    name: x\n    message: m\n    args: 'curl (-k'\n");
        let e = load(&text).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.yaml:5:11: `args` is not a usable regex: unclosed group"
        );
        assert_eq!(e.span.map(|s| s.slice(&e.text)), Some("'curl (-k'"));
        assert_eq!(
            err(&with_rules(
                "  - id: ACME001\n    name: x\n    message: m\n    key: '[a-'\n"
            )),
            "c.yaml:5:10: `key` is not a usable regex: unclosed character class"
        );
        assert_eq!(
            err(&with_rules(
                "  - id: ACME001\n    name: x\n    message: m\n    image: {regex: '(?P<'}\n"
            )),
            "c.yaml:5:20: `image` is not a usable regex: unclosed capture group name"
        );
    }

    #[test]
    fn huge_regexes_are_refused() {
        let e = err(&with_rules(
            "  - id: ACME001\n    name: x\n    message: m\n    args: '\\w{500}{500}'\n",
        ));
        assert!(
            e.starts_with(
                "c.yaml:5:11: `args` is not a usable regex: it is too large once compiled"
            ),
            "{e}"
        );
    }

    #[test]
    fn unknown_fields_suggest_the_closest() {
        assert_eq!(
            err(&with_rules("  - id: ACME001\n    name: x\n    mesage: m\n")),
            "c.yaml:4:5: unknown key `mesage`; did you mean `message`?"
        );
        assert_eq!(
            err(&with_rules("  - id: ACME001\n    name: x\n    message: m\n    command: {name: pip, requires-flags: [-i]}\n")),
            "c.yaml:5:26: unknown key `requires-flags`; did you mean `require-flags`?"
        );
    }

    #[test]
    fn missing_fields_point_at_the_rule() {
        assert_eq!(
            err(&with_rules(
                "  - name: x\n    message: m\n    instruction: add\n"
            )),
            "c.yaml:2:5: this custom rule has no `id`"
        );
        assert_eq!(
            err(&with_rules("  - id: ACME001\n    message: m\n")),
            "c.yaml:2:5: this custom rule has no `name`"
        );
        assert_eq!(
            err(&with_rules("  - id: ACME001\n    name: x\n")),
            "c.yaml:2:5: this custom rule has no `message`"
        );
        assert_eq!(
            err(&with_rules(
                "  - id: ACME001\n    name: x\n    message: m\n"
            )),
            "c.yaml:2:5: this custom rule matches nothing"
        );
    }

    #[test]
    fn ids_and_names_are_checked() {
        let rule = |id: &str, name: &str| {
            err(&with_rules(&format!(
                "  - id: {id}\n    name: {name}\n    message: m\n    instruction: add\n"
            )))
        };
        assert_eq!(
            rule("acme1", "x"),
            "c.yaml:2:9: custom rule id `acme1` must be uppercase letters and digits, ending in digits"
        );
        assert_eq!(
            rule("DD900", "x"),
            "c.yaml:2:9: custom rule id `DD900` starts with `DD`, which is reserved for drydock's own rules"
        );
        assert_eq!(
            rule("DL3007", "x"),
            "c.yaml:2:9: custom rule id `DL3007` already designates the built-in rule DD102 (base-image-latest)"
        );
        assert_eq!(
            rule("ACME001", "No_Add"),
            "c.yaml:3:11: custom rule name `No_Add` must be kebab-case (lowercase words joined by `-`)"
        );
        assert_eq!(
            rule("ACME001", "base-image-latest"),
            "c.yaml:3:11: custom rule name `base-image-latest` already designates built-in rules"
        );
        assert_eq!(
            rule("ACME001", "custom"),
            "c.yaml:3:11: custom rule name `custom` already designates built-in rules"
        );
    }

    #[test]
    fn duplicates_point_at_the_second_definition() {
        let second = "  - id: acme001\n    name: other\n    message: m\n    instruction: add\n";
        let text = with_rules(&format!("{OK}{second}"));
        assert_eq!(
            err(&text),
            "c.yaml:6:9: custom rule id `acme001` must be uppercase letters and digits, ending in digits"
        );
        let second = "  - id: ACME001\n    name: other\n    message: m\n    instruction: add\n";
        assert_eq!(
            err(&with_rules(&format!("{OK}{second}"))),
            "c.yaml:6:9: custom rule id `ACME001` is already used by the rule defined at c.yaml:2"
        );
        let second = "  - id: ACME002\n    name: no-add\n    message: m\n    instruction: add\n";
        assert_eq!(
            err(&with_rules(&format!("{OK}{second}"))),
            "c.yaml:7:11: custom rule name `no-add` is already used by the rule defined at c.yaml:2"
        );
    }

    #[test]
    fn matchers_must_fit_the_instruction() {
        let head = "  - id: ACME001\n    name: x\n    message: m\n";
        assert_eq!(
            err(&with_rules(&format!(
                "{head}    instruction: [env, run]\n    key: DEBUG\n"
            ))),
            "c.yaml:5:24: `key` applies to ENV, ARG and LABEL, not RUN"
        );
        assert_eq!(
            err(&with_rules(&format!(
                "{head}    instruction: from\n    command: {{name: pip}}\n"
            ))),
            "c.yaml:5:18: `command` applies to RUN, not FROM"
        );
        assert_eq!(
            err(&with_rules(&format!(
                "{head}    command: {{name: pip}}\n    image: 'docker.io/*'\n"
            ))),
            "c.yaml:6:12: `command` (RUN) and `image` (FROM) never match the same instruction"
        );
        assert_eq!(
            err(&with_rules(&format!("{head}    required-label: a\n    args: x\n"))),
            "c.yaml:6:11: `required-label` judges the final image and cannot be combined with `args`"
        );
        assert_eq!(
            err(&with_rules(&format!("{head}    instruction: rum\n"))),
            "c.yaml:5:18: unknown instruction `rum` in `instruction`; did you mean `run`?"
        );
        assert_eq!(
            err(&with_rules(&format!(
                "{head}    command: {{args: [install]}}\n"
            ))),
            "c.yaml:5:14: `command` has no `name`"
        );
        assert_eq!(
            err(&with_rules(&format!(
                "{head}    command: {{name: pip, flag-value: x}}\n"
            ))),
            "c.yaml:5:38: `flag-value` qualifies `require-flags`, which this command matcher lacks"
        );
        assert_eq!(
            err(&with_rules(&format!("{head}    command: {{name: pip, forbid-flags: [trusted-host]}}\n"))),
            "c.yaml:5:41: `forbid-flags` lists flags such as `--index-url` or `-i`, not `trusted-host`"
        );
        assert_eq!(
            err(&with_rules(&format!(
                "{head}    severity: fatal\n    instruction: add\n"
            ))),
            "c.yaml:5:15: `severity` must be one of error, warning, info, style, not `fatal`"
        );
    }

    #[test]
    fn wrong_types_name_the_key() {
        assert_eq!(
            err("custom-rules: [1]\n"),
            "c.yaml:1:16: `custom-rules` must be a list of custom rules (maps with id, name, message, ...) or `include: FILE` entries"
        );
        assert_eq!(
            err("custom-rules: [{id: ACME1, name: a, message: m, image: 5}]\n"),
            "c.yaml:1:49: `image` must be a glob, a list of globs, or a map `{regex: ...}`"
        );
        assert_eq!(
            err(&with_rules(
                "  - id: ACME1\n    name: a\n    message: m\n    image: 5\n"
            )),
            "c.yaml:5:5: `image` must be a glob, a list of globs, or a map `{regex: ...}`"
        );
        assert_eq!(
            err("custom-rules: [{id: ACME1, name: a, message: m, instruction: []}]\n"),
            "c.yaml:1:62: `instruction` needs at least one non-empty value"
        );
    }

    #[test]
    fn includes_are_read_relative_to_the_including_file() {
        let dir = scratch("include");
        std::fs::create_dir_all(dir.join("ci")).unwrap();
        std::fs::write(
            dir.join("ci/rules.yaml"),
            format!(
                "# shared\n{}",
                OK.replace("  - ", "- ").replace("\n    ", "\n  ")
            ),
        )
        .unwrap();
        let main = dir.join(".drydock.yaml");
        let text = "custom-rules:\n  - include: ci/rules.yaml\nselect: [ACME001, no-add, custom]\n";
        let c = parse(&main, text).unwrap();
        assert_eq!(c.custom_rules.len(), 1);
        assert_eq!(
            c.custom_rules[0].origin,
            format!("{}:2", dir.join("ci/rules.yaml").display())
        );
    }

    #[test]
    fn include_errors_point_into_the_included_file() {
        let dir = scratch("include-errors");
        std::fs::write(
            dir.join("rules.yaml"),
            "- id: ACME001\n  name: x\n  mesage: m\n",
        )
        .unwrap();
        let main = dir.join(".drydock.yaml");
        let e = parse(&main, "custom-rules:\n  - include: rules.yaml\n").unwrap_err();
        assert_eq!(e.path, dir.join("rules.yaml"));
        assert_eq!(e.line_column(), Some((3, 3)));
        assert_eq!(e.message, "unknown key `mesage`; did you mean `message`?");
        std::fs::write(dir.join("rules.yaml"), "id: ACME001\n").unwrap();
        let e = parse(&main, "custom-rules:\n  - include: rules.yaml\n").unwrap_err();
        assert_eq!(e.path, dir.join("rules.yaml"));
        assert_eq!(
            e.message,
            "an included rules file must be a list of custom rules"
        );
    }

    #[test]
    fn missing_includes_and_cycles_are_errors() {
        let dir = scratch("include-cycle");
        let main = dir.join(".drydock.yaml");
        let e = parse(&main, "custom-rules:\n  - include: nowhere.yaml\n").unwrap_err();
        assert_eq!(e.line_column(), Some((2, 14)));
        assert_eq!(
            e.message,
            "cannot read the included file `nowhere.yaml`: no such file or directory"
        );
        std::fs::write(dir.join("a.yaml"), "- include: b.yaml\n").unwrap();
        std::fs::write(dir.join("b.yaml"), "- include: a.yaml\n").unwrap();
        let e = parse(&main, "custom-rules:\n  - include: a.yaml\n").unwrap_err();
        assert_eq!(e.path, dir.join("b.yaml"));
        assert_eq!(e.line_column(), Some((1, 12)));
        assert_eq!(
            e.message,
            "include cycle: `a.yaml` includes `b.yaml` includes `a.yaml`"
        );
        let e = parse(
            &main,
            "custom-rules:\n  - include: a.yaml\n    id: ACME001\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}:2:14: `include` stands alone in its entry: a rule cannot also include a file",
                main.display()
            )
        );
    }

    #[test]
    fn select_ignore_and_severity_may_name_custom_rules() {
        let text = format!(
            "{}select: [custom, ACME001]\nignore: no-add\nseverity: {{acme001: error}}\n",
            with_rules(OK)
        );
        let c = load(&text).unwrap();
        assert_eq!(c.ignore, Some(vec!["no-add".to_owned()]));
        assert_eq!(
            err(&format!("{}select: [no-ad]\n", with_rules(OK))),
            "c.yaml:6:10: unknown rule `no-ad` in `select`"
        );
        let e = load(&format!("{}select: [no-ad]\n", with_rules(OK))).unwrap_err();
        assert!(e.help.unwrap().starts_with("did you mean `no-add`?"));
    }
}
