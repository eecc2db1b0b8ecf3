//! The language files `questions/language/<locale>.yaml`: how a locale's free text is read (stop
//! words, filler words to ignore, negations, amount cues and currency words). A new locale is a
//! new file, not code; a locale without one is read with tantivy's stop words only.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ids::Locale;
use crate::language::{AmountWords, Grammar, WordKind, split};
use crate::yaml::{self, Spanned};

/// The folder of the language files, inside the question folder.
pub const LANGUAGE_FOLDER: &str = "language";

/// The grammar of every locale with a language file.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    grammars: BTreeMap<Locale, Grammar>,
}

impl Languages {
    /// Reads every language file under `questions` (the question folder). A missing folder is
    /// no problem: every locale then uses its fallback.
    pub fn load(questions: &Path) -> (Languages, Diagnostics) {
        let mut problems = Diagnostics::default();
        let mut languages = Languages::default();
        for file in files(questions) {
            match std::fs::read_to_string(&file) {
                Ok(text) => {
                    if let Some((locale, grammar)) = check(&file, &text, &mut problems) {
                        languages.grammars.insert(locale, grammar);
                    }
                }
                Err(error) => problems.push(Diagnostic::error(
                    &file,
                    format!("cannot read the language file: {error}"),
                )),
            }
        }
        (languages, problems)
    }

    /// The grammar of a locale: its file's, or the fallback.
    pub fn grammar(&self, locale: &Locale) -> Grammar {
        self.grammars
            .get(locale)
            .cloned()
            .unwrap_or_else(|| Grammar::fallback(locale))
    }
}

/// The language files of a question folder, in name order.
pub fn files(questions: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(questions.join(LANGUAGE_FOLDER))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// How customers' free text in one language is read (`docs/questions.md`, "The language
/// files"). Every word is compared in lower case without apostrophes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Language file")]
pub(crate) struct RawLanguage {
    /// Split words into known parts ("Regenjacke" → "Regen" + "Jacke"). Default: false.
    #[serde(default)]
    compound_words: bool,
    /// Words dropped on both sides before matching ("for a woman" matches "woman").
    #[schemars(with = "Vec<String>")]
    stop_words: Vec<Spanned<String>>,
    /// Filler and politeness words: never a wish, never quoted back as unusable.
    #[schemars(with = "Vec<String>")]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    negation: RawNegation,
    #[serde(default)]
    amounts: RawAmounts,
    /// Words asking for products like a shown one, before its place: "more like the first one".
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    similar: Vec<Spanned<String>>,
    /// Words naming a shown product by its place, with the place (0 is the last):
    /// `{first: 1, second: 2, last: 0}`.
    #[serde(default)]
    ordinals: BTreeMap<String, usize>,
}

/// Words that turn a wish around: "not for running", "ohne Kapuze".
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawNegation {
    /// Negate what follows within a few words of the same clause.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    before: Vec<Spanned<String>>,
    /// Negate what precedes when nothing understood follows in the clause.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    after: Vec<Spanned<String>>,
    /// Words that end a negation's reach like a comma ("but", "sondern").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    breaks: Vec<Spanned<String>>,
}

/// Words around numbers that make them amounts.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAmounts {
    /// Before a number: the most the customer wants ("under", "up to", "bis").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    at_most: Vec<Spanned<String>>,
    /// Before a number: the least ("from", "over", "ab").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    at_least: Vec<Spanned<String>>,
    /// Before a number: 20 % either side ("around", "etwa").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    around: Vec<Spanned<String>>,
    /// After a number: the most ("20 euros max").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    at_most_after: Vec<Spanned<String>>,
    /// After a number: the least ("from $24.50 up", "70 or more").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    at_least_after: Vec<Spanned<String>>,
    /// Before a range ("between").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    between: Vec<Spanned<String>>,
    /// Between the two numbers of a range ("and", "to", "-").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    joiners: Vec<Spanned<String>>,
    /// Currency words and signs, before or after a number; each means the price.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    currency: Vec<Spanned<String>>,
}

/// Parses and checks one language file; `None` when it has errors (they are in `problems`).
pub(super) fn check(
    file: &Path,
    text: &str,
    problems: &mut Diagnostics,
) -> Option<(Locale, Grammar)> {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let locale = match Locale::parse(stem) {
        Ok(locale) => Some(locale),
        Err(error) => {
            problems.push(
                Diagnostic::error(file, error.to_string())
                    .hint("the file name is the locale, e.g. `en.yaml` or `de.yaml`"),
            );
            None
        }
    };
    let raw: RawLanguage = match yaml::parse(file, text) {
        Ok(raw) => raw,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    let errors_before = problems.error_count();
    let mut words = |list: &[Spanned<String>], what: &str| -> Vec<Vec<String>> {
        let mut phrases = Vec::new();
        for entry in list {
            let phrase: Vec<String> = split(&entry.value)
                .into_iter()
                .filter(|w| w.kind != WordKind::Number)
                .map(|w| w.norm)
                .collect();
            if phrase.is_empty() && entry.value.trim() != "-" {
                problems.push(
                    yaml::error_at(
                        file,
                        entry,
                        format!("`{}` in {what} has no word", entry.value),
                    )
                    .hint("write letters or a currency sign; numbers are read on their own"),
                );
            } else if phrase.is_empty() {
                phrases.push(vec!["-".to_string()]);
            } else {
                phrases.push(phrase);
            }
        }
        phrases
    };
    let single =
        |phrases: Vec<Vec<String>>| -> HashSet<String> { phrases.into_iter().flatten().collect() };
    let stop_words = single(words(&raw.stop_words, "`stop_words`"));
    let ignore: Vec<String> = raw.ignore.iter().map(|w| w.value.clone()).collect();
    words(&raw.ignore, "`ignore`");
    let negation_before = single(words(&raw.negation.before, "`negation.before`"));
    let negation_after = single(words(&raw.negation.after, "`negation.after`"));
    let breaks = single(words(&raw.negation.breaks, "`negation.breaks`"));
    let similar = words(&raw.similar, "`similar`");
    let amounts = AmountWords {
        at_most: words(&raw.amounts.at_most, "`amounts.at_most`"),
        at_least: words(&raw.amounts.at_least, "`amounts.at_least`"),
        around: words(&raw.amounts.around, "`amounts.around`"),
        at_most_after: words(&raw.amounts.at_most_after, "`amounts.at_most_after`"),
        at_least_after: words(&raw.amounts.at_least_after, "`amounts.at_least_after`"),
        between: words(&raw.amounts.between, "`amounts.between`"),
        joiners: single(words(&raw.amounts.joiners, "`amounts.joiners`"))
            .into_iter()
            .collect(),
        currency: single(words(&raw.amounts.currency, "`amounts.currency`"))
            .into_iter()
            .collect(),
    };
    for entry in raw.stop_words.iter() {
        let norm = crate::language::normalise(&entry.value);
        if negation_before.contains(&norm) || negation_after.contains(&norm) {
            problems.push(
                yaml::warning_at(
                    file,
                    entry,
                    format!("`{}` is a negation and a stop word", entry.value),
                )
                .hint("a negation is never dropped; remove it from `stop_words`"),
            );
        }
    }
    let ordinals: Vec<(Vec<String>, usize)> = raw
        .ordinals
        .iter()
        .map(|(word, place)| {
            let phrase: Vec<String> = split(word).into_iter().map(|w| w.norm).collect();
            (phrase, *place)
        })
        .filter(|(phrase, _)| !phrase.is_empty())
        .collect();
    let locale = locale?;
    (problems.error_count() == errors_before).then(|| {
        let grammar = Grammar {
            stop_words: Some(
                stop_words
                    .into_iter()
                    .filter(|w| !negation_before.contains(w) && !negation_after.contains(w))
                    .collect(),
            ),
            ignore,
            negation_before,
            negation_after,
            breaks,
            amounts,
            compounds: raw.compound_words,
            similar,
            ordinals,
        };
        (locale, grammar)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_language_files_load_without_problems() {
        let (languages, problems) = Languages::load(Path::new("questions"));
        assert!(problems.is_empty(), "{}", problems.render());
        let en = languages.grammar(&Locale::parse("en").expect("locale"));
        assert!(en.negation_before.contains("dont"));
        assert!(!en.compounds);
        let de = languages.grammar(&Locale::parse("de").expect("locale"));
        assert!(de.compounds && de.negation_before.contains("ohne"));
    }

    #[test]
    fn a_bad_language_file_names_its_line() {
        let mut problems = Diagnostics::default();
        let found = check(
            Path::new("questions/language/en.yaml"),
            "stop_words: []\nignore: [fine]\nnegation:\n  befor: [not]\n",
            &mut problems,
        );
        assert!(found.is_none());
        let rendered = problems.render();
        assert!(
            rendered.contains("befor") && rendered.contains(":4"),
            "{rendered}"
        );
        let mut problems = Diagnostics::default();
        assert!(
            check(
                Path::new("questions/language/EN!.yaml"),
                "{}",
                &mut problems
            )
            .is_none()
        );
        assert!(problems.has_errors());
    }
}
