//! What an import did, for the person who ran it: counts, the first problems with their lines,
//! what was left out of the catalogue, the files written and what to do next.

use std::fmt;
use std::path::PathBuf;

use super::item::Problem;

/// How many problems the report lists before "and N more".
const SHOWN: usize = 20;

/// The outcome of one import.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub input: PathBuf,
    /// The format as a person would name it (`Google Merchant Center feed (TSV)`).
    pub format: String,
    pub rows_read: usize,
    pub products: usize,
    /// Products the advisor recommends (listed and available).
    pub listed: usize,
    /// Rows that became a variant of another row's product.
    pub variants_folded: usize,
    pub rows_skipped: usize,
    /// Every problem, in input order.
    pub problems: Vec<Problem>,
    /// Facets and other parts left out, with why.
    pub notes: Vec<String>,
    /// The files written, in the order written.
    pub written: Vec<PathBuf>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ({}): {} rows read, {} products written ({} listed), {} variants folded, {} rows skipped",
            self.input.display(),
            self.format,
            self.rows_read,
            self.products,
            self.listed,
            self.variants_folded,
            self.rows_skipped
        )?;
        if !self.problems.is_empty() {
            writeln!(f, "\nproblems:")?;
            for problem in self.problems.iter().take(SHOWN) {
                let place = problem
                    .line
                    .map_or_else(String::new, |line| format!("line {line}: "));
                let outcome = if problem.skipped { " (skipped)" } else { "" };
                writeln!(f, "  {place}{}{outcome}", problem.message)?;
            }
            if self.problems.len() > SHOWN {
                writeln!(f, "  … and {} more", self.problems.len() - SHOWN)?;
            }
        }
        if !self.notes.is_empty() {
            writeln!(f)?;
            for note in &self.notes {
                writeln!(f, "note: {note}")?;
            }
        }
        if !self.written.is_empty() {
            writeln!(f, "\nwritten:")?;
            for file in &self.written {
                writeln!(f, "  {}", file.display())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_first_twenty_problems_and_counts_the_rest() {
        let summary = Summary {
            input: "feed.tsv".into(),
            format: "Google Merchant Center feed (TSV)".into(),
            rows_read: 30,
            products: 5,
            listed: 4,
            variants_folded: 0,
            rows_skipped: 25,
            problems: (1..=25)
                .map(|line| Problem {
                    line: Some(line + 1),
                    message: "the item has no `id`".into(),
                    skipped: true,
                })
                .collect(),
            ..Summary::default()
        };
        let text = summary.to_string();
        assert!(text.starts_with("feed.tsv (Google Merchant Center feed (TSV)): 30 rows read, 5 products written (4 listed), 0 variants folded, 25 rows skipped"), "{text}");
        assert!(text.contains("  line 2: the item has no `id` (skipped)"));
        assert!(text.contains("  line 21: "));
        assert!(!text.contains("  line 22: "));
        assert!(text.contains("… and 5 more"));
    }
}
