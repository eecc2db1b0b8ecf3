//! How a simulated customer types an answer (`simulate --text`): any of the option's words (its
//! label or one of its synonyms, picked at random, not always the first), inside an everyday
//! sentence frame with filler words, and for a price band an amount in one of the ways people
//! write it ("up to $85", "between 50 and 70 dollars", "bis 1.200 €", "around 60"). So the
//! figures measure the understanding of typed text, not a lookup of the file's own words.
//!
//! The frames are a measuring tool's data for English and German; other locales type the bare
//! words. Deterministic for a seeded generator.

use rand::Rng;
use rand::rngs::StdRng;

use crate::catalog::{Condition, NumberRef, Product};
use crate::ids::Locale;
use crate::questions::{Advisor, Target};

/// Share of price answers typed as an amount rather than the band's words.
const AMOUNT_SHARE: f64 = 0.7;

/// The sentence a customer who wants `product` types for the options `chosen` of question
/// `index`. Only words true of the product: a customer who wants loose pants does not type
/// "leggings", though it is a word for pants.
pub fn sentence(
    advisor: &Advisor,
    index: usize,
    chosen: &[usize],
    locale: &Locale,
    product: &Product<'_>,
    rng: &mut StdRng,
) -> String {
    let question = &advisor.questions[index];
    let english = locale.as_str() == "en";
    let german = locale.as_str() == "de";
    let parts: Vec<String> = chosen
        .iter()
        .map(|o| {
            let option = &question.options[*o];
            if let Some((min, max)) = price_band(option.effect.hard.as_ref())
                && (english || german)
                && rng.random_bool(AMOUNT_SHARE)
                && let Some(price) = product.price()
            {
                return amount(min, max, price, german, rng);
            }
            let mut words: Vec<String> = vec![option.label.get(locale).to_string()];
            words.extend(
                option
                    .synonyms
                    .get(locale)
                    .into_iter()
                    .flatten()
                    .map(|s| s.text.clone()),
            );
            let truthful: Vec<&String> = words
                .iter()
                .filter(|word| true_of(advisor, locale, word, product))
                .collect();
            match truthful.as_slice() {
                [] => words[0].clone(),
                some => some[rng.random_range(0..some.len())].clone(),
            }
        })
        .collect();
    let joined = parts.join(if german { " und " } else { " and " });
    let frames: &[&str] = if english {
        &[
            "{}",
            "I'm looking for something {}",
            "{} please",
            "hi, I'd like {}",
            "it should be {}, I think",
            "hmm, {}",
        ]
    } else if german {
        &[
            "{}",
            "ich suche was {}",
            "{} bitte",
            "hallo, am liebsten {}",
            "{}, denke ich",
            "hm, {}",
        ]
    } else {
        &["{}"]
    };
    frames[rng.random_range(0..frames.len())].replace("{}", &joined)
}

/// Whether every option a word stands for holds for the product.
fn true_of(advisor: &Advisor, locale: &Locale, word: &str, product: &Product<'_>) -> bool {
    let found = advisor.words.lexicon.find(locale, word);
    !found.matches.is_empty()
        && found.matches.iter().all(|m| {
            !m.negated
                && m.targets
                    .iter()
                    .all(|t| match advisor.words.targets.get(*t) {
                        Some(Target::Option { question, option }) => {
                            let effect = &advisor.questions[*question].options[*option].effect;
                            effect.is_no_preference() || effect.matches(product)
                        }
                        _ => false,
                    })
        })
}

/// The price band an option's filter sets, if any: (min, max), max exclusive.
fn price_band(hard: Option<&Condition>) -> Option<(Option<f64>, Option<f64>)> {
    let parts = match hard? {
        Condition::All(parts) => parts.as_slice(),
        other => std::slice::from_ref(other),
    };
    parts.iter().find_map(|part| match part {
        Condition::Range {
            number: NumberRef::Price,
            min,
            max,
        } => Some((*min, *max)),
        _ => None,
    })
}

/// An amount that includes `price` and stays inside the band, written as people write it.
fn amount(
    min: Option<f64>,
    max: Option<f64>,
    price: f64,
    german: bool,
    rng: &mut StdRng,
) -> String {
    let money = |value: f64, rng: &mut StdRng| money(value, german, rng);
    let up_to = (price / 5.0).floor() * 5.0 + 5.0;
    let up_to = max.map_or(up_to, |m| up_to.min(m.max(price)));
    match (rng.random_range(0..4), min, max) {
        (0, Some(min), Some(max)) if max - min > 1.0 => {
            let (low, high) = (money(min, rng), money(max, rng));
            if german {
                format!("zwischen {low} und {high}")
            } else {
                format!("between {low} and {high}")
            }
        }
        (1, Some(min), None) => {
            let low = money(min, rng);
            if german {
                format!("ab {low}")
            } else {
                format!("from {low}")
            }
        }
        (2, _, _)
            if min.is_none_or(|m| m <= price * 0.8) && max.is_none_or(|m| m > price * 1.2) =>
        {
            let about = money(price.round(), rng);
            if german {
                format!("etwa {about}")
            } else {
                format!("around {about}")
            }
        }
        _ if max.is_none() => {
            let low = money(min.unwrap_or(0.0).max(price.floor()), rng);
            if german {
                format!("mindestens {low}")
            } else {
                format!("at least {low}")
            }
        }
        _ => {
            let high = money(up_to, rng);
            let cue = if german {
                ["bis", "höchstens", "maximal"][rng.random_range(0..3)]
            } else {
                ["up to", "under", "no more than", "max"][rng.random_range(0..4)]
            };
            format!("{cue} {high}")
        }
    }
}

/// A sum as people write it: "$1,200", "1200 dollars", "1.200 €", "80 Euro".
fn money(value: f64, german: bool, rng: &mut StdRng) -> String {
    let whole = value.round().max(0.0) as u64;
    let grouped = |separator: char| crate::diagnostics::grouped(whole, separator);
    match (german, rng.random_range(0..3)) {
        (false, 0) => format!("${}", grouped(',')),
        (false, 1) => format!("{} dollars", grouped(',')),
        (false, _) => format!("{whole} bucks"),
        (true, 0) => format!("{} €", grouped('.')),
        (true, 1) => format!("{whole} Euro"),
        (true, _) => format!("{} Dollar", grouped('.')),
    }
}
