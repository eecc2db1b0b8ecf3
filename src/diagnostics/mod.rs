//! Problems found in editor files (catalogue config, catalogue data, question files, templates),
//! collected rather than thrown, so `advisor check` and startup can report all of them at once.
//!
//! Problems with the same file, severity, message and hint are shown once, with the count and
//! the lines of the others (a product file with 3,000 lines of the same mistake prints one entry);
//! a per-occurrence value such as a product id goes into the `detail`, which does not split groups.
//!
//! This module only describes and prints problems; it never decides whether to stop.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use names::{closest, known_list};
pub use render::{grouped, thousands};

mod names;
mod render;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file cannot be used as it is; startup stops.
    Error,
    /// The file works but probably not as the editor meant.
    Warning,
}

/// One problem in one editor file.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path of the file, as given to the loader (relative to where the advisor runs).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    pub message: String,
    pub hint: Option<String>,
    /// What this occurrence is about (a product id, the parser's words); does not split groups.
    pub detail: Option<Box<Detail>>,
}

/// The per-occurrence part of a problem, behind one thin pointer: diagnostics are returned as
/// errors (`yaml::parse`) and should stay small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Detail(String);

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for Detail {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Diagnostic {
    pub fn error(file: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            detail: None,
        }
    }

    pub fn warning(file: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    #[must_use]
    pub fn at(mut self, line: u64, column: u64) -> Self {
        self.line = (line > 0).then_some(line);
        self.column = (column > 0).then_some(column);
        self
    }

    #[must_use]
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = (line > 0).then_some(line);
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(Box::new(Detail(detail.into())));
        self
    }
}

/// Problems alike (same file, severity, message and hint) shown as one: the first occurrence,
/// how many there are, and their lines.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    #[serde(flatten)]
    pub first: Diagnostic,
    /// How many problems are alike, the first included.
    pub count: usize,
    /// The lines of the problems alike in report order, the first included (at most
    /// [`Group::MAX_LINES`]).
    pub lines: Vec<u64>,
}

impl Group {
    /// Lines kept per group, for the JSON report.
    pub const MAX_LINES: usize = 1000;
    /// Lines of the other problems named in the text report.
    const SHOWN_LINES: usize = 10;
}

/// All problems found while loading the editor files.
#[derive(Debug, Default, Clone, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Orders problems by file and position so the report reads top to bottom.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
        });
    }

    /// Problems alike as one group each, in the order of their first occurrence.
    pub fn grouped(&self) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<(&Path, Severity, &str, Option<&str>), usize> = HashMap::new();
        for diagnostic in &self.0 {
            let key = (
                diagnostic.file.as_path(),
                diagnostic.severity,
                diagnostic.message.as_str(),
                diagnostic.hint.as_deref(),
            );
            let at = *index.entry(key).or_insert_with(|| {
                groups.push(Group {
                    first: diagnostic.clone(),
                    count: 0,
                    lines: Vec::new(),
                });
                groups.len() - 1
            });
            let group = &mut groups[at];
            group.count += 1;
            if let Some(line) = diagnostic.line
                && group.lines.len() < Group::MAX_LINES
            {
                group.lines.push(line);
            }
        }
        groups
    }

    /// Renders every problem like a compiler would, with the offending line of the file;
    /// problems alike are shown once with the lines of the others.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for group in self.grouped() {
            out.push_str(&group.to_string());
            out.push('\n');
        }
        out
    }

    /// "3 error(s) (3,012 lines), 1 warning(s)": problems counted as grouped, with the number of
    /// places when grouping joined some.
    pub fn summary(&self) -> String {
        let groups = self.grouped();
        let part = |severity: Severity, noun: &str| {
            let alike: Vec<&Group> = groups
                .iter()
                .filter(|g| g.first.severity == severity)
                .collect();
            let places: usize = alike.iter().map(|g| g.count).sum();
            if places > alike.len() {
                format!(
                    "{} {noun}(s) ({} lines)",
                    thousands(alike.len()),
                    thousands(places)
                )
            } else {
                format!("{} {noun}(s)", thousands(alike.len()))
            }
        };
        format!(
            "{}, {}",
            part(Severity::Error, "error"),
            part(Severity::Warning, "warning")
        )
    }

    /// The problems in files under `folder`.
    pub fn within(&self, folder: &Path) -> Diagnostics {
        Diagnostics(
            self.0
                .iter()
                .filter(|d| d.file.starts_with(folder))
                .cloned()
                .collect(),
        )
    }

    fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_errors_and_warnings_separately() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::warning(Path::new("a.yaml"), "w"));
        assert!(!all.has_errors());
        all.push(Diagnostic::error(Path::new("a.yaml"), "e").at(3, 1));
        assert_eq!((all.error_count(), all.warning_count()), (1, 1));
    }

    fn repeated(lines: impl IntoIterator<Item = u64>) -> Diagnostics {
        let mut all = Diagnostics::default();
        for line in lines {
            all.push(
                Diagnostic::error(Path::new("p.jsonl"), "`gender` is a list")
                    .at_line(line)
                    .hint("set `multi: true`")
                    .detail(format!("product `P{line}`")),
            );
        }
        all
    }

    #[test]
    fn problems_alike_are_grouped_with_their_count_and_lines() {
        let mut all = repeated((1..=3000).map(|i| i * 2));
        all.push(Diagnostic::error(Path::new("p.jsonl"), "`gender` is a list").at_line(7));
        all.push(Diagnostic::warning(Path::new("p.jsonl"), "`gender` is a list").at_line(9));
        all.push(Diagnostic::error(Path::new("q.jsonl"), "`gender` is a list").at_line(2));
        all.sort();
        let groups = all.grouped();
        // A different hint, severity or file is a problem of its own.
        assert_eq!(groups.len(), 4);
        let big = groups
            .iter()
            .find(|g| g.count == 3000)
            .expect("the repeated problem is one group");
        assert_eq!(big.lines.len(), Group::MAX_LINES);
        assert_eq!(&big.lines[..3], &[2, 4, 6]);
        assert_eq!(
            big.first.detail.as_deref().map(|d| &**d),
            Some("product `P2`")
        );
        assert_eq!(
            all.summary(),
            "3 error(s) (3,002 lines), 1 warning(s)",
            "problems are counted as grouped"
        );
    }

    #[test]
    fn a_group_shows_its_first_occurrence_and_the_next_ten_lines() {
        let text = repeated([12, 15, 19, 23, 31, 40, 52, 60, 61, 62, 70, 80]).render();
        assert_eq!(
            text.matches("error: `gender` is a list").count(),
            1,
            "{text}"
        );
        assert!(text.contains("--> p.jsonl:12"), "{text}");
        assert!(text.contains("= note: product `P12`"), "{text}");
        assert!(
            text.contains(
                "= and 11 more lines like this: 15, 19, 23, 31, 40, 52, 60, 61, 62, 70, …\n  = hint: set `multi: true`"
            ),
            "{text}"
        );
        let two = repeated([3, 5]).render();
        assert!(two.contains("= and 1 more line like this: 5\n"), "{two}");
        let one = repeated([3]).render();
        assert!(!one.contains("more"), "{one}");
    }

    #[test]
    fn the_json_of_a_group_is_the_first_problem_with_count_and_lines() {
        let groups = repeated([4, 8]).grouped();
        let json = serde_json::to_value(&groups).expect("JSON");
        assert_eq!(json[0]["line"], 4);
        assert_eq!(json[0]["count"], 2);
        assert_eq!(json[0]["lines"], serde_json::json!([4, 8]));
        assert_eq!(json[0]["message"], "`gender` is a list");
        assert_eq!(json[0]["detail"], "product `P4`");
    }

    #[test]
    fn large_numbers_get_thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(2999), "2,999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
