//! How the customer's own words map to what an advisor understands: a per-locale lexicon of
//! phrases (option labels, synonyms, critiques, needs the shop does not carry), matched after the
//! same analysis on both sides: Unicode normalisation, words kept whole (`words.rs`), stop words,
//! splitting compound words against the lexicon's own words where the language compounds
//! ("Regenjacke" → "regen" + "jacke"), folding accents and stemming; a word one typo away from a
//! lexicon word counts as it. Amounts ("under 1,200 $") are read first (`amount.rs`) and never
//! become words to search; a negation ("not", "ohne") marks the phrase it reaches.
//!
//! It knows no shop and no question file format: callers hand it phrases with targets and the
//! locale's [`Grammar`] (read from the language files by `questions`).

mod amount;
mod words;

use std::collections::{BTreeMap, HashSet};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    SplitCompoundWords, Stemmer, StopWordFilter, TextAnalyzer,
};

pub use amount::{Amount, AmountWords, Bound, Unit, parse_number};
pub use words::{Word, WordKind, is_invisible, normalise, split};

use crate::ids::Locale;

/// Words too short to be a part of a compound word.
const MIN_COMPOUND_PART: usize = 3;
/// Words shorter than this are never searched for: fragments, not wishes.
const MIN_WISH_CHARS: usize = 3;
/// Words at least this long may be matched with one typo (twice as long: two).
const MIN_FUZZY_CHARS: usize = 5;
/// Prefix of a negation's token, which no analysed word has.
const NEGATION_MARK: char = '¬';
/// How many words after a negation it still reaches ("not really for running").
const NEGATION_REACH: usize = 4;

/// How one language is read: its stop, filler, negation and amount words (from the locale's
/// language file), all normalised with [`normalise`].
#[derive(Debug, Clone, Default)]
pub struct Grammar {
    /// Dropped on both sides before matching; `None`: tantivy's list for the language.
    pub stop_words: Option<HashSet<String>>,
    /// Filler and politeness words: never a wish, never quoted back.
    pub ignore: Vec<String>,
    /// Negate what follows ("not", "without", "kein").
    pub negation_before: HashSet<String>,
    /// Negate what precedes when nothing follows ("Kapuze brauche ich nicht").
    pub negation_after: HashSet<String>,
    /// Words that end a negation's reach like punctuation ("but", "sondern").
    pub breaks: HashSet<String>,
    pub amounts: AmountWords,
    /// Whether words are split into known parts ("Regenjacke").
    pub compounds: bool,
    /// Words asking for products like a shown one ("more like", "so wie").
    pub similar: Vec<Vec<String>>,
    /// Words naming a shown product by its place: ("first", 1), ("zweite", 2); 0 is the last.
    pub ordinals: Vec<(Vec<String>, usize)>,
}

impl Grammar {
    /// The grammar of a locale without a language file: tantivy's stop words, compounds where
    /// the language builds them, nothing else.
    pub fn fallback(locale: &Locale) -> Self {
        Grammar {
            compounds: matches!(
                locale.as_str(),
                "de" | "nl" | "sv" | "da" | "no" | "nb" | "fi"
            ),
            ..Grammar::default()
        }
    }
}

/// A phrase of the lexicon: a caller's target, the text and how much it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub target: usize,
    pub text: String,
    pub weight: f64,
}

/// One phrase found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Every target of the phrase.
    pub targets: Vec<usize>,
    /// How many tokens it spans (longer phrases are more specific).
    pub tokens: usize,
    pub weight: f64,
    /// A negation reaches it ("not for running").
    pub negated: bool,
}

/// What a text was understood as.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    /// Matched phrases in text order.
    pub matches: Vec<Match>,
    /// Amounts, in text order.
    pub amounts: Vec<Amount>,
    /// Words that matched no phrase, as the customer wrote them: no filler, no fragment, no number.
    pub rest: Vec<String>,
    /// Such words a negation reaches ("without a hood").
    pub avoided: Vec<String>,
    /// "More like the first one": the place of the product meant (1 the first, 0 the last).
    pub similar_to: Option<usize>,
}

/// Phrases per locale, each pointing at a caller's target (e.g. an option).
#[derive(Clone, Default)]
pub struct Lexicon {
    locales: BTreeMap<Locale, LocaleLexicon>,
}

#[derive(Clone)]
struct LocaleLexicon {
    analyzer: TextAnalyzer,
    grammar: Grammar,
    /// Unit words of the catalogue's numbers, normalised.
    units: Vec<String>,
    /// Analysed phrases, longest first, each with every target that uses it and its weight.
    phrases: Vec<(Vec<String>, Vec<usize>, f64)>,
    /// Every token of a phrase.
    known: HashSet<String>,
    /// The words of the amount cues ("more", "than", "over"): never a wish on their own.
    cue_words: HashSet<String>,
    /// Phrase words long enough for typo matching, normalised, with their tokens.
    vocabulary: Vec<(String, Vec<String>)>,
    /// Analysed words that carry no wish (the advisor's nouns, filler words).
    ignore: HashSet<String>,
    /// The language's filler words as written (normalised): dropped like stop words, so a
    /// filler word never matches a phrase by its stem ("schau" is not "Schauer").
    filler: HashSet<String>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.locales.iter().map(|(l, x)| (l, x.phrases.len())))
            .finish()
    }
}

impl Lexicon {
    /// Builds the lexicon of one locale from its phrases, words to ignore (beside the
    /// grammar's), the grammar and the catalogue's unit words. Returns the phrases that can
    /// never match: every word of them is a stop or filler word.
    pub fn add_locale(
        &mut self,
        locale: &Locale,
        phrases: &[Phrase],
        ignore: &[String],
        grammar: &Grammar,
        units: &[String],
    ) -> Vec<String> {
        let mut unusable = Vec::new();
        let mut lexicon = LocaleLexicon {
            analyzer: basic(locale, grammar).build(),
            grammar: grammar.clone(),
            units: units.iter().map(|u| normalise(u)).collect(),
            phrases: Vec::new(),
            known: HashSet::new(),
            cue_words: [
                &grammar.amounts.at_most,
                &grammar.amounts.at_least,
                &grammar.amounts.around,
                &grammar.amounts.between,
            ]
            .into_iter()
            .flatten()
            .flatten()
            .cloned()
            .chain(grammar.amounts.joiners.iter().cloned())
            .chain(grammar.amounts.currency.iter().cloned())
            .collect(),
            vocabulary: Vec::new(),
            ignore: HashSet::new(),
            filler: grammar.ignore.iter().map(|w| normalise(w)).collect(),
        };
        if grammar.compounds {
            let mut dictionary: Vec<String> = phrases
                .iter()
                .map(|p| p.text.as_str())
                .chain(ignore.iter().map(String::as_str))
                .chain(grammar.ignore.iter().map(String::as_str))
                .flat_map(|text| lexicon.plain_words(text))
                .filter(|w| w.chars().count() >= MIN_COMPOUND_PART)
                .collect();
            // Leftmost-first matching: longer words must come first ("wanderung" before "wander").
            dictionary.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
            dictionary.dedup();
            lexicon.analyzer = analyzer(locale, grammar, &dictionary);
        } else {
            lexicon.analyzer = analyzer(locale, grammar, &[]);
        }
        let mut analyzer = lexicon.analyzer.clone();
        for phrase in phrases {
            let mut tokens = Vec::new();
            for word in split(&phrase.text) {
                let word_tokens = lexicon.word_tokens(&mut analyzer, &word);
                if word.norm.chars().count() >= MIN_FUZZY_CHARS
                    && !word_tokens.is_empty()
                    && !lexicon.vocabulary.iter().any(|(w, _)| *w == word.norm)
                {
                    lexicon
                        .vocabulary
                        .push((word.norm.clone(), word_tokens.clone()));
                }
                tokens.extend(word_tokens);
            }
            if tokens.iter().all(|t| t.starts_with(NEGATION_MARK)) {
                // Nothing but "no": every other word was a stop or filler word.
                unusable.push(phrase.text.clone());
                continue;
            }
            lexicon.known.extend(tokens.iter().cloned());
            match lexicon.phrases.iter_mut().find(|(t, _, _)| *t == tokens) {
                Some((_, targets, weight)) => {
                    if !targets.contains(&phrase.target) {
                        targets.push(phrase.target);
                    }
                    *weight = weight.max(phrase.weight);
                }
                None => lexicon
                    .phrases
                    .push((tokens, vec![phrase.target], phrase.weight)),
            }
        }
        // Longest first; stable, so equally long phrases keep the callers' order.
        lexicon
            .phrases
            .sort_by_key(|(tokens, _, _)| std::cmp::Reverse(tokens.len()));
        let ignored: Vec<String> = ignore
            .iter()
            .chain(grammar.ignore.iter())
            .flat_map(|w| split(w))
            .flat_map(|w| lexicon.word_tokens(&mut analyzer, &w))
            .collect();
        lexicon.ignore = ignored.into_iter().collect();
        self.locales.insert(locale.clone(), lexicon);
        unusable
    }

    /// Finds the amounts and phrases in `text` (longest first, not overlapping), what negations
    /// reach, and the words left over.
    pub fn find(&self, locale: &Locale, text: &str) -> Found {
        match self.locales.get(locale) {
            Some(lexicon) => lexicon.find(text),
            None => Found::default(),
        }
    }
}

impl LocaleLexicon {
    fn find(&self, text: &str) -> Found {
        let mut words = split(text);
        let mut clause = 0;
        let mut previous = None;
        for word in &mut words {
            if previous != Some(word.clause) {
                clause += 1;
                previous = Some(word.clause);
            }
            if self.grammar.breaks.contains(&word.norm) {
                clause += 1;
            }
            word.clause = clause;
        }
        let mut amounts = amount::find(&words, &self.grammar.amounts, &self.units);
        // "I don't want to spend more than 60": a negated bound turns around.
        for found in &mut amounts {
            let start = found.words.start;
            let negated = words[..start]
                .iter()
                .rev()
                .take(NEGATION_REACH)
                .take_while(|w| w.clause == words[start].clause)
                .any(|w| self.grammar.negation_before.contains(&w.norm));
            if negated && matches!(found.bound, Bound::AtMost | Bound::AtLeast) {
                std::mem::swap(&mut found.min, &mut found.max);
                found.bound = match found.bound {
                    Bound::AtMost => Bound::AtLeast,
                    _ => Bound::AtMost,
                };
            }
        }
        let reference = self.reference(&words);
        let in_amount = |index: usize| {
            amounts.iter().any(|a| a.words.contains(&index))
                || reference.as_ref().is_some_and(|(r, _)| r.contains(&index))
        };
        // Every word analysed once: for the phrases, and again for what is left over.
        let mut analyzer = self.analyzer.clone();
        let analysed: Vec<Vec<String>> = words
            .iter()
            .map(|word| match word.kind {
                WordKind::Letters => self.word_tokens(&mut analyzer, word),
                _ => Vec::new(),
            })
            .collect();
        // Each token remembers the word it came from.
        let mut stream: Vec<(String, usize)> = Vec::new();
        for (index, word) in words.iter().enumerate() {
            if word.kind != WordKind::Letters || in_amount(index) {
                continue;
            }
            let mut tokens = analysed[index].clone();
            if !tokens.is_empty()
                && !tokens
                    .iter()
                    .all(|t| self.known.contains(t) || self.ignore.contains(t))
                && let Some(close) = self.close_word(&word.norm)
            {
                tokens = close;
            }
            stream.extend(tokens.into_iter().map(|t| (t, index)));
        }
        let mut used = vec![false; stream.len()];
        let mut matches: Vec<(usize, usize, Match)> = Vec::new();
        for (phrase, targets, weight) in &self.phrases {
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
                    let first = stream[start].1;
                    let last = stream[start + n - 1].1;
                    matches.push((
                        first,
                        last,
                        Match {
                            targets: targets.clone(),
                            tokens: n,
                            weight: *weight,
                            negated: false,
                        },
                    ));
                }
            }
        }
        matches.sort_by_key(|(first, _, _)| *first);
        let matched_word = |index: usize| {
            stream
                .iter()
                .zip(&used)
                .any(|((_, w), used)| *w == index && *used)
        };
        let markers: Vec<(usize, bool)> = words
            .iter()
            .enumerate()
            .filter(|(index, word)| !matched_word(*index) && word.kind == WordKind::Letters)
            .filter_map(|(index, word)| {
                let before = self.grammar.negation_before.contains(&word.norm);
                let after = self.grammar.negation_after.contains(&word.norm);
                (before || after).then_some((index, before))
            })
            .collect();
        let spans: Vec<(usize, usize)> = matches.iter().map(|(f, l, _)| (*f, *l)).collect();
        for (first, last, found) in &mut matches {
            found.negated = negated(&words, &markers, &spans, &self.grammar, *first, *last);
        }
        let mut rest = Vec::new();
        let mut avoided = Vec::new();
        for (index, word) in words.iter().enumerate() {
            if word.kind != WordKind::Letters
                || in_amount(index)
                || matched_word(index)
                || markers.iter().any(|(m, _)| *m == index)
                || self.grammar.breaks.contains(&word.norm)
                || word.norm.chars().count() < MIN_WISH_CHARS
                || word.norm.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let tokens = &analysed[index];
            // Filler, or a piece of a phrase that did not match as a whole ("too" of "too
            // expensive", "over" of "nothing over"): never a wish.
            if tokens.is_empty()
                || tokens
                    .iter()
                    .all(|t| self.ignore.contains(t) || self.known.contains(t))
                || self.cue_words.contains(&word.norm)
            {
                continue;
            }
            let target = if negated(&words, &markers, &spans, &self.grammar, index, index) {
                &mut avoided
            } else {
                &mut rest
            };
            if !target.contains(&word.text) {
                target.push(word.text.clone());
            }
        }
        Found {
            matches: matches.into_iter().map(|(_, _, m)| m).collect(),
            amounts,
            rest,
            avoided,
            similar_to: reference.map(|(_, place)| place),
        }
    }

    /// "More like the second one": a similar-cue followed closely by a place word, the words it
    /// spans and the place.
    fn reference(&self, words: &[Word]) -> Option<(std::ops::Range<usize>, usize)> {
        let matches_at = |at: usize, phrase: &[String]| {
            phrase.len() <= words.len() - at
                && words[at..at + phrase.len()]
                    .iter()
                    .zip(phrase)
                    .all(|(w, p)| w.norm == *p)
        };
        for start in 0..words.len() {
            let Some(cue) = self
                .grammar
                .similar
                .iter()
                .filter(|cue| !cue.is_empty() && matches_at(start, cue))
                .max_by_key(|cue| cue.len())
            else {
                continue;
            };
            let after = start + cue.len();
            for at in after..words.len().min(after + NEGATION_REACH) {
                if let Some((phrase, place)) = self
                    .grammar
                    .ordinals
                    .iter()
                    .find(|(phrase, _)| !phrase.is_empty() && matches_at(at, phrase))
                {
                    return Some((start..at + phrase.len(), *place));
                }
            }
        }
        None
    }

    /// The tokens of one word: negations as written, stop words none, others analysed.
    fn word_tokens(&self, analyzer: &mut TextAnalyzer, word: &Word) -> Vec<String> {
        let grammar = &self.grammar;
        if grammar.negation_before.contains(&word.norm)
            || grammar.negation_after.contains(&word.norm)
        {
            // Marked, so a negation never equals another word's stem ("nicht", "Nichte").
            return vec![format!("{NEGATION_MARK}{}", word.norm)];
        }
        if self.filler.contains(&word.norm)
            || grammar
                .stop_words
                .as_ref()
                .is_some_and(|stop| stop.contains(&word.norm))
        {
            return Vec::new();
        }
        tokens(analyzer, &word.norm)
    }

    /// Lower-cased words without stop words: the dictionary for compound splitting.
    fn plain_words(&self, text: &str) -> Vec<String> {
        split(text)
            .into_iter()
            .filter(|w| w.kind == WordKind::Letters)
            .filter(|w| {
                !self
                    .grammar
                    .stop_words
                    .as_ref()
                    .is_some_and(|stop| stop.contains(&w.norm))
            })
            .flat_map(|w| {
                w.norm
                    .split(|c: char| !c.is_alphanumeric())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// The tokens of the one lexicon word a typo away from `word`, if exactly one is that close.
    fn close_word(&self, word: &str) -> Option<Vec<String>> {
        let length = word.chars().count();
        if length < MIN_FUZZY_CHARS {
            return None;
        }
        let allowed = if length >= 2 * MIN_FUZZY_CHARS { 2 } else { 1 };
        let first = word.chars().next();
        let mut best: Option<(usize, &Vec<String>)> = None;
        let mut tie = false;
        for (known, tokens) in &self.vocabulary {
            if known.chars().next() != first {
                continue;
            }
            let distance = strsim::damerau_levenshtein(word, known);
            if distance == 0 || distance > allowed {
                continue;
            }
            match best {
                Some((d, t)) if d == distance && t != tokens => tie = true,
                Some((d, _)) if d <= distance => {}
                _ => {
                    best = Some((distance, tokens));
                    tie = false;
                }
            }
        }
        best.filter(|_| !tie).map(|(_, tokens)| tokens.clone())
    }
}

/// Whether a negation reaches the words `first..=last`: one before it in its clause, close
/// enough, or one after it with nothing else matched after the words in that clause.
fn negated(
    words: &[Word],
    markers: &[(usize, bool)],
    spans: &[(usize, usize)],
    grammar: &Grammar,
    first: usize,
    last: usize,
) -> bool {
    let clause = words[first].clause;
    let before = markers.iter().any(|(m, is_before)| {
        *is_before && *m < first && first - m <= NEGATION_REACH && words[*m].clause == clause
    });
    if before {
        return true;
    }
    markers.iter().any(|(m, _)| {
        grammar.negation_after.contains(&words[*m].norm)
            && *m > last
            && m - last <= NEGATION_REACH
            && words[*m].clause == words[last].clause
            && !spans
                .iter()
                .any(|(f, _)| *f > last && words[*f].clause == words[last].clause)
    })
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.text.clone());
    }
    tokens
}

fn basic(locale: &Locale, grammar: &Grammar) -> tantivy::tokenizer::TextAnalyzerBuilder {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    match grammar
        .stop_words
        .is_none()
        .then(|| language(locale).and_then(StopWordFilter::new))
        .flatten()
    {
        Some(stop_words) => builder.filter_dynamic(stop_words),
        None => builder,
    }
}

fn analyzer(locale: &Locale, grammar: &Grammar, dictionary: &[String]) -> TextAnalyzer {
    let mut builder = basic(locale, grammar);
    if !dictionary.is_empty()
        && let Ok(split) = SplitCompoundWords::from_dictionary(dictionary)
    {
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

#[cfg(test)]
mod tests;
