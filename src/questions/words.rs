//! The words customers type: option and critique synonyms (with their weights), the needs the
//! shop does not carry, and the lexicon of an advisor built from them, the handoff phrases and
//! the locale's language file (`language.rs`).

use std::collections::BTreeMap;

use super::checker::Checker;
use super::raw::{RawNotCarried, RawSynonym};
use super::{Critique, NotCarried, Noun, Question, Suggestion, Synonym, Target, Words};
use crate::ids::{AdvisorId, Locale, OptionId};
use crate::language::{Lexicon, Phrase};
use crate::yaml::Spanned;

impl Checker<'_> {
    pub(super) fn synonyms(
        &mut self,
        raw: Option<&Spanned<BTreeMap<String, Vec<RawSynonym>>>>,
    ) -> BTreeMap<Locale, Vec<Synonym>> {
        let mut synonyms = BTreeMap::new();
        let Some(raw) = raw else {
            return synonyms;
        };
        for (code, words) in &raw.value {
            match Locale::parse(code) {
                Ok(locale) if self.locales.contains(&locale) => {
                    let mut checked = Vec::new();
                    for word in words {
                        let synonym = match word {
                            RawSynonym::Plain(text) => Synonym {
                                text: text.clone(),
                                weight: 1.0,
                            },
                            RawSynonym::Weighted { text, weight } => Synonym {
                                text: text.clone(),
                                weight: *weight,
                            },
                        };
                        if synonym.text.trim().is_empty() {
                            self.error(raw, format!("an empty synonym in `{code}`"), None);
                        }
                        if !(synonym.weight > 0.0 && synonym.weight <= 10.0) {
                            self.error(
                                raw,
                                format!(
                                    "the synonym `{}` in `{code}` has weight {}",
                                    synonym.text, synonym.weight
                                ),
                                Some("a synonym's weight is above 0 and at most 10 (default 1)"),
                            );
                        }
                        checked.push(synonym);
                    }
                    synonyms.insert(locale, checked);
                }
                _ => self.warning(
                    raw,
                    format!("synonyms in `{code}`, which is not in `locales`"),
                ),
            }
        }
        synonyms
    }

    pub(super) fn not_carried(&mut self, raw: &[RawNotCarried], handoff: bool) -> Vec<NotCarried> {
        let mut needs: Vec<NotCarried> = Vec::new();
        for raw_need in raw {
            let Some(id) = self.slug(&raw_need.id, OptionId::parse) else {
                continue;
            };
            if needs.iter().any(|n| n.id == id) {
                self.error(
                    &raw_need.id,
                    format!("`not_carried` id `{id}` is used twice"),
                    None,
                );
            }
            let synonyms = self.synonyms(Some(&raw_need.synonyms));
            for locale in self.locales.clone() {
                if synonyms.get(&locale).is_none_or(Vec::is_empty) {
                    self.error(
                        &raw_need.synonyms,
                        format!("`not_carried` `{id}` has no words in `{locale}`"),
                        Some("list what customers type for it in every locale of the advisor"),
                    );
                }
            }
            let message = self.text(&raw_need.message, "the `not_carried` message");
            let suggest = raw_need.suggest.as_ref().and_then(|suggest| {
                match (&suggest.value.advisor, suggest.value.handoff) {
                    (Some(advisor), false) => match AdvisorId::parse(advisor) {
                        Ok(advisor) => Some(Suggestion::Advisor(advisor)),
                        Err(error) => {
                            self.error(suggest, error.to_string(), None);
                            None
                        }
                    },
                    (None, true) if handoff => Some(Suggestion::Handoff),
                    (None, true) => {
                        self.error(
                            suggest,
                            "`suggest: {handoff: true}` needs the advisor's `handoff` contact"
                                .into(),
                            Some("add a `handoff:` section or suggest another advisor"),
                        );
                        None
                    }
                    _ => {
                        self.error(
                            suggest,
                            "`suggest` needs exactly one of `advisor` and `handoff: true`".into(),
                            Some("e.g. `suggest: {advisor: sportswear}`"),
                        );
                        None
                    }
                }
            });
            needs.push(NotCarried {
                id,
                synonyms,
                message,
                suggest,
            });
        }
        needs
    }
}

/// What the lexicon is built from besides the questions.
pub(super) struct WordSources<'a> {
    pub(super) critiques: &'a [Critique],
    pub(super) not_carried: &'a [NotCarried],
    pub(super) noun: &'a Noun,
    pub(super) handoff: &'a BTreeMap<Locale, Vec<String>>,
    pub(super) ignore: &'a BTreeMap<Locale, Vec<String>>,
    pub(super) languages: &'a super::Languages,
    /// The catalogue's unit words ("cm", "kg").
    pub(super) units: &'a [String],
}

/// The lexicon of option labels and synonyms, critiques, needs not carried and phrases asking
/// for a person, in every locale; the advisor's nouns are ignored.
pub(super) fn words(
    locales: &[Locale],
    questions: &[Question],
    sources: &WordSources<'_>,
) -> (Words, Vec<(Locale, String)>) {
    let mut unusable = Vec::new();
    let mut targets = Vec::new();
    for (q, question) in questions.iter().enumerate() {
        for o in 0..question.options.len() {
            targets.push(Target::Option {
                question: q,
                option: o,
            });
        }
    }
    targets.extend((0..sources.critiques.len()).map(Target::Critique));
    targets.extend((0..sources.not_carried.len()).map(Target::NotCarried));
    targets.push(Target::Handoff);
    let mut lexicon = Lexicon::default();
    for locale in locales {
        let mut phrases = Vec::new();
        let mut labels = Vec::new();
        let mut add = |target: usize, text: &str, weight: f64| {
            phrases.push(Phrase {
                target,
                text: text.to_string(),
                weight,
            });
        };
        for (index, target) in targets.iter().enumerate() {
            let (label, synonyms) = match target {
                Target::Option { question, option } => {
                    let option = &questions[*question].options[*option];
                    (Some(option.label.get(locale)), &option.synonyms)
                }
                Target::Critique(c) => {
                    let critique = &sources.critiques[*c];
                    (Some(critique.label.get(locale)), &critique.synonyms)
                }
                Target::NotCarried(n) => (None, &sources.not_carried[*n].synonyms),
                Target::Handoff => {
                    for phrase in sources.handoff.get(locale).into_iter().flatten() {
                        add(index, phrase, 1.0);
                    }
                    continue;
                }
            };
            if let Some(label) = label {
                add(index, label, 1.0);
                labels.push(label.to_string());
            }
            for synonym in synonyms.get(locale).into_iter().flatten() {
                add(index, &synonym.text, synonym.weight);
            }
        }
        let mut ignore = vec![
            sources.noun.one.get(locale).to_string(),
            sources.noun.other.get(locale).to_string(),
        ];
        ignore.extend(sources.ignore.get(locale).into_iter().flatten().cloned());
        let grammar = sources.languages.grammar(locale);
        let never = lexicon.add_locale(locale, &phrases, &ignore, &grammar, sources.units);
        // A label is also a button; only typed words that cannot work are worth a warning.
        unusable.extend(
            never
                .into_iter()
                .filter(|phrase| {
                    !labels
                        .iter()
                        .any(|l| l.to_lowercase() == phrase.to_lowercase())
                })
                .map(|phrase| (locale.clone(), phrase)),
        );
    }
    (Words { lexicon, targets }, unusable)
}
