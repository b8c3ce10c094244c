//! JUnit XML: one `<testsuite>` per file, one failing `<testcase>` per finding (name = rule,
//! classname = path), a passing testcase for a clean file; no timestamps, so the output is
//! reproducible.

use super::{xml_escape, Positions, RunOutcome};

/// Render a run as JUnit XML.
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let total: usize = run.files.iter().map(|f| f.findings.len()).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"drydock\" tests=\"{}\" failures=\"{total}\" errors=\"{}\">\n",
        total + run.files.iter().filter(|f| f.findings.is_empty()).count() + run.errors.len(),
        run.errors.len()
    );
    for file in &run.files {
        let pos = Positions::new(&file.source);
        let path = xml_escape(&file.path);
        let n = file.findings.len();
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{n}\" errors=\"0\">\n",
            n.max(1)
        ));
        if n == 0 {
            out.push_str(&format!(
                "    <testcase name=\"drydock\" classname=\"{path}\" file=\"{path}\"/>\n"
            ));
        }
        for f in &file.findings {
            let start = pos.location(f.span).start;
            out.push_str(&format!(
                "    <testcase name=\"{} {}\" classname=\"{path}\" file=\"{path}\" line=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{path}:{}:{}: {}</failure>\n    </testcase>\n",
                f.code,
                f.name,
                start.line,
                xml_escape(&f.message),
                f.severity.as_str(),
                start.line,
                start.column,
                xml_escape(&f.help),
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    for e in &run.errors {
        let path = xml_escape(&e.path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"drydock\" classname=\"{path}\" file=\"{path}\">\n      <error message=\"{}\"/>\n    </testcase>\n  </testsuite>\n",
            xml_escape(&e.message)
        ));
    }
    out.push_str("</testsuites>\n");
    out
}
