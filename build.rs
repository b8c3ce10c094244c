//! Build-time conversions, so a run reads no YAML of its own: every rule file's front
//! matter and summary (`rules/DD*.md`) and the end-of-life database (`rules/data/eol.yaml`)
//! become static Rust tables (a product's cycles stay JSON text, parsed when first needed).

use std::path::{Path, PathBuf};

#[path = "src/rules/rule_file.rs"]
#[allow(dead_code, unreachable_pub)]
mod rule_file;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    compile_rule_files(&out);
    compile_eol(&out);
}

/// `rule_metas.rs`: `RULE_FILES`, every `rules/DD*.md` (sorted by file name) with its
/// front matter and summary as [`crate::rules::meta::CompiledMeta`].
fn compile_rule_files(out: &Path) {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/rule_file.rs");
    let mut files: Vec<String> = std::fs::read_dir("rules")
        .expect("read rules/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("DD") && n.ends_with(".md"))
        .collect();
    files.sort();
    let mut table = String::from(
        "/// Every `rules/DD*.md` by file stem (sorted), with its front matter and summary.\n\
         pub(crate) static RULE_FILES: &[(&str, CompiledMeta)] = &[\n",
    );
    for file in &files {
        let path = format!("rules/{file}");
        println!("cargo:rerun-if-changed={path}");
        let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let r = rule_file::parse(&doc).unwrap_or_else(|e| panic!("{path}: {e}"));
        let variant = |field: &str, value: &str| -> String {
            assert!(
                !value.is_empty() && value.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{path}: {field} `{value}` is not a known {field}"
            );
            value
                .split('-')
                .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
                .collect()
        };
        table.push_str(&format!(
            "    ({stem:?}, CompiledMeta {{ code: {code:?}, name: {name:?}, \
             category: Category::{category}, severity: Severity::{severity}, enabled: {enabled}, \
             fix: FixAvailability::{fix}, sources: &{sources:?}, summary: {summary:?}, \
             body_offset: {body_offset}, body_line: {body_line} }}),\n",
            stem = file.trim_end_matches(".md"),
            code = r.code,
            name = r.name,
            category = variant("category", &r.category),
            severity = variant("severity", &r.severity),
            enabled = r.enabled,
            fix = variant("fix", &r.fix),
            sources = r.sources,
            summary = r.summary,
            body_offset = r.body_offset,
            body_line = r.body_line,
        ));
    }
    table.push_str("];\n");
    std::fs::write(out.join("rule_metas.rs"), table).expect("write rule_metas.rs");
}

/// `eol_compiled.rs`: the end-of-life database as static tables for `src/eol/data.rs`
/// (`AS_OF`, `PRODUCTS` as JSON texts, `IMAGES`, `DISTRO_RULES`, `DEPRECATED`, and one
/// lazily compiled regex slot per pattern in `REGEXES`).
fn compile_eol(out: &Path) {
    let source = "rules/data/eol.yaml";
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("read rules/data/eol.yaml");
    let db: serde_json::Value =
        serde_saphyr::from_str(&text).expect("rules/data/eol.yaml is valid YAML");
    let mut gen = EolTables::default();
    let as_of = text_at(&db, &["meta", "as_of"]).expect("meta.as_of");
    let products = db["products"].as_object().expect("products is a map");
    let mut ids: Vec<&String> = products.keys().collect();
    ids.sort();
    let mut product_table = String::new();
    for id in &ids {
        let json = serde_json::to_string(&products[id.as_str()]).expect("JSON");
        assert!(
            !json.contains("\"##"),
            "a product's JSON holds the raw-string delimiter"
        );
        product_table.push_str(&format!(
            "    ({id:?}, ProductEntry::json(r##\"{json}\"##)),\n"
        ));
    }
    let mut images = String::new();
    for image in db["images"].as_array().expect("images is a list") {
        let product = text_at(image, &["product"]).expect("images[].product");
        assert!(
            products.contains_key(&product),
            "{source}: image rule for unknown product `{product}`"
        );
        let version: Vec<String> = strings(&image["version"])
            .iter()
            .map(|v| gen.pattern(v))
            .collect();
        let mut moving: Vec<(String, String)> = image["moving_tags"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect())
            .unwrap_or_default();
        moving.sort();
        let from_repo = match text_at(image, &["cycle_from_repo"]) {
            Some(p) => format!("Some({})", gen.pattern(&p)),
            None => "None".to_owned(),
        };
        images.push_str(&format!(
            "    ImageRule {{ repos: &{:?}, product: {product:?}, version: &[{}], \
             moving_tags: &{moving:?}, cycle_from_repo: {from_repo} }},\n",
            strings(&image["repos"]),
            version.join(", "),
        ));
    }
    let mut distros = String::new();
    let rules = db["tag_tokens"]["distro_rules"]
        .as_array()
        .expect("tag_tokens.distro_rules");
    for rule in rules {
        let product = text_at(rule, &["product"]).expect("distro_rules[].product");
        let matcher = if text_at(rule, &["token"]).is_some() {
            "TokenMatcher::Codename".to_owned()
        } else if let Some(token) = text_at(rule, &["token_regex"]) {
            let next = match text_at(rule, &["next_token_regex"]) {
                Some(p) => format!("Some({})", gen.pattern(&p)),
                None => "None".to_owned(),
            };
            format!(
                "TokenMatcher::Regex {{ token: {}, next: {next}, floating: {} }}",
                gen.pattern(&token),
                rule["floating"].as_bool().unwrap_or(false)
            )
        } else {
            continue;
        };
        distros.push_str(&format!(
            "    DistroRule {{ product: {product:?}, matcher: {matcher} }},\n"
        ));
    }
    let mut deprecated = String::new();
    for d in db["deprecated_repositories"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let field = |k: &str| text_at(d, &[k]).unwrap_or_else(|| panic!("deprecated {k}"));
        deprecated.push_str(&format!(
            "    DeprecatedRepository {{ repo: {:?}, since: {:?}, reason: {:?}, replacement: {:?} }},\n",
            field("repo"),
            text_at(d, &["since"]),
            field("reason"),
            field("replacement"),
        ));
    }
    let code = format!(
        "/// `meta.as_of`.\n\
         pub(crate) const AS_OF: &str = {as_of:?};\n\
         /// Each product (sorted by id) as its own JSON text.\n\
         static PRODUCTS: [(&str, ProductEntry); {np}] = [\n{product_table}];\n\
         /// One slot per pattern, filled when the pattern is first needed.\n\
         static REGEXES: [OnceLock<Regex>; {nr}] = [const {{ OnceLock::new() }}; {nr}];\n\
         static IMAGES: &[ImageRule] = &[\n{images}];\n\
         static DISTRO_RULES: &[DistroRule] = &[\n{distros}];\n\
         static DEPRECATED: &[DeprecatedRepository] = &[\n{deprecated}];\n",
        np = ids.len(),
        nr = gen.patterns,
    );
    std::fs::write(out.join("eol_compiled.rs"), code).expect("write eol_compiled.rs");
}

/// Counts the patterns of the generated tables.
#[derive(Default)]
struct EolTables {
    patterns: usize,
}

impl EolTables {
    /// A `Pattern::filtered(..)` expression for regex `source`, with its own `REGEXES` slot.
    fn pattern(&mut self, source: &str) -> String {
        let (first_bytes, prefix) = match_filter(source);
        let slot = self.patterns;
        self.patterns += 1;
        format!("Pattern::filtered({source:?}, {first_bytes:#x}, {prefix:?}, &REGEXES[{slot}])")
    }
}

/// What every match of `source` starts with, from its literal prefixes: the set of ASCII
/// first bytes (bit `b`) and the text common to all. Only for regexes anchored at the
/// start (`^`): elsewhere a match may begin anywhere, and then `(u128::MAX, "")`, no filter.
/// Parsed as the binary builds them (`unicode(false)`).
fn match_filter(source: &str) -> (u128, String) {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::Look;
    let none = (u128::MAX, String::new());
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .build()
        .parse(source)
        .unwrap_or_else(|e| panic!("rules/data/eol.yaml: bad regex `{source}`: {e}"));
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return none;
    }
    // Classes up to all of ASCII, so `[a-z]+` still gives its first bytes.
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_class(128)
        .extract(&hir);
    let Some(literals) = seq.literals() else {
        return none;
    };
    let literals: Vec<&[u8]> = literals.iter().map(|l| l.as_bytes()).collect();
    if literals.is_empty() || literals.iter().any(|l| l.is_empty() || !l.is_ascii()) {
        return none;
    }
    let first = literals.iter().fold(0u128, |set, l| set | 1 << l[0]);
    let mut common = literals[0].len();
    for l in &literals[1..] {
        common = common.min(
            l.iter()
                .zip(literals[0])
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    let prefix = String::from_utf8(literals[0][..common].to_vec()).expect("ASCII");
    (first, prefix)
}

/// The string at `path` under `v` (numbers and booleans as written), if any.
fn text_at(v: &serde_json::Value, path: &[&str]) -> Option<String> {
    let mut v = v;
    for key in path {
        v = v.get(key)?;
    }
    (!v.is_null()).then(|| scalar(v))
}

/// A YAML scalar as text.
fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => v.to_string(),
        other => panic!("rules/data/eol.yaml: expected a scalar, found {other}"),
    }
}

/// A list of scalars.
fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("rules/data/eol.yaml: expected a list, found {v}"))
        .iter()
        .map(scalar)
        .collect()
}
