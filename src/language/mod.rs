//! How the customer's own words map to answer options: a per-locale lexicon of phrases (option
//! labels and synonyms from the question files), matched after the same analysis on both sides:
//! lower-casing, stop words, splitting compound words against the lexicon's own words
//! ("Regenjacke" → "regen" + "jacke"), folding accents and stemming.
//!
//! It knows no shop and no question file format: callers hand it phrases with targets. The only
//! language data here are a few filler words per language ("I need", "ich suche") that are not
//! wishes, next to the stop words tantivy ships.

use std::collections::{BTreeMap, HashSet};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    SplitCompoundWords, Stemmer, StopWordFilter, TextAnalyzer,
};

use crate::ids::Locale;

/// Words too short to be a part of a compound word.
const MIN_COMPOUND_PART: usize = 3;

/// What a text was understood as.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    /// Matched phrases in text order: every target of the phrase, and how many tokens it spans.
    pub matches: Vec<(Vec<usize>, usize)>,
    /// Words that matched no phrase and are not filler, as the customer wrote them.
    pub rest: Vec<String>,
}

/// Phrases per locale, each pointing at a caller's target (e.g. an option).
#[derive(Clone, Default)]
pub struct Lexicon {
    locales: BTreeMap<Locale, LocaleLexicon>,
}

#[derive(Clone)]
struct LocaleLexicon {
    analyzer: TextAnalyzer,
    /// Analysed phrases, longest first, each with every target that uses it.
    phrases: Vec<(Vec<String>, Vec<usize>)>,
    /// Analysed words that carry no wish (the advisor's nouns, filler words).
    ignore: HashSet<String>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.locales.iter().map(|(l, x)| (l, x.phrases.len())))
            .finish()
    }
}

impl Lexicon {
    /// Builds the lexicon of one locale from `(target, phrase)` pairs and words to ignore.
    pub fn add_locale(&mut self, locale: &Locale, phrases: &[(usize, String)], ignore: &[String]) {
        let mut dictionary: Vec<String> = phrases
            .iter()
            .map(|(_, p)| p.as_str())
            .chain(ignore.iter().map(String::as_str))
            .flat_map(|text| plain_words(text, locale))
            .filter(|w| w.chars().count() >= MIN_COMPOUND_PART)
            .collect();
        // Leftmost-first matching: longer words must come first ("wanderung" before "wander").
        dictionary.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        dictionary.dedup();
        let mut analyzer = analyzer(locale, &dictionary);
        let mut analysed: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
        for (target, phrase) in phrases {
            let tokens = tokens(&mut analyzer, phrase);
            if tokens.is_empty() {
                continue;
            }
            match analysed.iter_mut().find(|(t, _)| *t == tokens) {
                Some((_, targets)) if !targets.contains(target) => targets.push(*target),
                Some(_) => {}
                None => analysed.push((tokens, vec![*target])),
            }
        }
        // Longest first; stable, so equally long phrases keep the callers' order.
        analysed.sort_by_key(|(tokens, _)| std::cmp::Reverse(tokens.len()));
        let ignore = ignore
            .iter()
            .map(String::as_str)
            .chain(filler(locale.as_str()).iter().copied())
            .flat_map(|w| tokens(&mut analyzer, w))
            .collect();
        self.locales.insert(
            locale.clone(),
            LocaleLexicon {
                analyzer,
                phrases: analysed,
                ignore,
            },
        );
    }

    /// Finds the phrases in `text` (longest first, not overlapping) and the words left over.
    pub fn find(&self, locale: &Locale, text: &str) -> Found {
        let Some(lexicon) = self.locales.get(locale) else {
            return Found::default();
        };
        let mut analyzer = lexicon.analyzer.clone();
        // Each token remembers the word it came from.
        let mut stream: Vec<(String, usize)> = Vec::new();
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for (index, word) in words.iter().enumerate() {
            for token in tokens(&mut analyzer, word) {
                stream.push((token, index));
            }
        }
        let mut used = vec![false; stream.len()];
        let mut matches: Vec<(usize, Vec<usize>, usize)> = Vec::new();
        for (phrase, targets) in &lexicon.phrases {
            let n = phrase.len();
            if n > stream.len() {
                continue;
            }
            for start in 0..=stream.len() - n {
                let free = used[start..start + n].iter().all(|u| !u);
                if free
                    && stream[start..start + n]
                        .iter()
                        .map(|(t, _)| t)
                        .eq(phrase.iter())
                {
                    used[start..start + n].iter_mut().for_each(|u| *u = true);
                    matches.push((start, targets.clone(), n));
                }
            }
        }
        matches.sort_unstable();
        let mut rest_words: Vec<usize> = Vec::new();
        for ((token, word), used) in stream.iter().zip(&used) {
            if !used && !lexicon.ignore.contains(token) && !rest_words.contains(word) {
                rest_words.push(*word);
            }
        }
        Found {
            matches: matches.into_iter().map(|(_, t, n)| (t, n)).collect(),
            rest: rest_words.iter().map(|w| words[*w].to_string()).collect(),
        }
    }
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.text.clone());
    }
    tokens
}

/// Lower-cased words without stop words: the dictionary for compound splitting.
fn plain_words(text: &str, locale: &Locale) -> Vec<String> {
    let mut plain = basic(locale).build();
    tokens(&mut plain, text)
}

fn basic(locale: &Locale) -> tantivy::tokenizer::TextAnalyzerBuilder {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    match language(locale).and_then(StopWordFilter::new) {
        Some(stop_words) => builder.filter_dynamic(stop_words),
        None => builder,
    }
}

fn analyzer(locale: &Locale, dictionary: &[String]) -> TextAnalyzer {
    let mut builder = basic(locale);
    if let Ok(split) = SplitCompoundWords::from_dictionary(dictionary) {
        builder = builder.filter_dynamic(split);
    }
    builder = builder.filter_dynamic(AsciiFoldingFilter);
    if let Some(language) = language(locale) {
        builder = builder.filter_dynamic(Stemmer::new(language));
    }
    builder.build()
}

fn language(locale: &Locale) -> Option<Language> {
    Some(match locale.as_str() {
        "da" => Language::Danish,
        "de" => Language::German,
        "en" => Language::English,
        "es" => Language::Spanish,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "it" => Language::Italian,
        "nl" => Language::Dutch,
        "no" | "nb" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "sv" => Language::Swedish,
        _ => return None,
    })
}

/// Words customers use around their wishes that are not wishes themselves.
fn filler(locale: &str) -> &'static [&'static str] {
    match locale {
        "en" => &[
            "i",
            "im",
            "me",
            "my",
            "we",
            "you",
            "need",
            "want",
            "would",
            "like",
            "looking",
            "look",
            "search",
            "searching",
            "something",
            "some",
            "one",
            "please",
            "thanks",
            "hello",
            "hi",
            "good",
            "nice",
            "great",
            "new",
            "get",
            "buy",
            "should",
            "can",
            "could",
            "also",
            "very",
            "really",
            "maybe",
            "mostly",
            "mainly",
        ],
        "de" => &[
            "ich",
            "mir",
            "mich",
            "meine",
            "meinen",
            "wir",
            "brauche",
            "brauchen",
            "suche",
            "suchen",
            "möchte",
            "möchten",
            "hätte",
            "gern",
            "gerne",
            "etwas",
            "was",
            "bitte",
            "danke",
            "hallo",
            "gut",
            "gute",
            "guten",
            "neue",
            "neuen",
            "kaufen",
            "soll",
            "sollte",
            "kann",
            "auch",
            "sehr",
            "vielleicht",
            "eine",
            "einen",
            "meistens",
            "hauptsächlich",
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests;
