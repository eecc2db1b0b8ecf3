//! A formal advisor's German texts should not say "du": the templates then say "Sie", and a
//! mix reads badly. A line-level warning, since the texts are the editor's to word.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// German words that address someone informally.
const INFORMAL: &[&str] = &[
    "du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "deines",
];

/// A warning for every German text line (`de: …`) of `text` with an informal word.
pub(super) fn informal_words(file: &Path, text: &str) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for (number, line) in (1..).zip(text.lines()) {
        let Some((_, german)) = line.split_once("de:") else {
            continue;
        };
        // A flow map continues with other locales after a comma: `{de: Für dich, en: …}`.
        let german = german.split(", en:").next().unwrap_or(german);
        let found = german
            .split(|c: char| !c.is_alphabetic())
            .find(|word| INFORMAL.contains(&word.to_lowercase().as_str()));
        if let Some(word) = found {
            problems.push(
                Diagnostic::warning(
                    file,
                    format!("this advisor says `address: formal`, but this German text says `{word}`"),
                )
                .at_line(number)
                .hint("word it with \"Sie\" (e.g. \"Für wen suchen Sie?\"), or set `address: informal`"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn informal_german_words_are_found_on_their_lines() {
        let text = "title: {en: Find your jacket, de: Finde deine Jacke}\n\
                    questions:\n  - text:\n      en: Who is it for?\n      de: Für wen suchen Sie?\n\
                    \x20     de: Wofür brauchst Du sie?\n";
        let problems = informal_words(Path::new("q.yaml"), text);
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(1), Some(6)], "{problems:?}");
        assert!(!problems.has_errors());
    }
}
