//! Amounts in a customer's words: "under 1,200 $", "1.200 €", "between 50 and 100", "around 80",
//! "ab 80 Euro", "58 cm". The cue words (at most, at least, around, between) and the currency
//! words come from the locale's language file; a number's unit from the catalogue. Both
//! thousands styles are read in every locale: a separator followed by exactly three digits
//! groups thousands, one followed by one or two digits is the decimal point.

use std::ops::Range;

use super::words::{Word, WordKind};

/// The cue and currency words of one locale, normalised like the customer's words.
#[derive(Debug, Clone, Default)]
pub struct AmountWords {
    pub at_most: Vec<Vec<String>>,
    pub at_least: Vec<Vec<String>>,
    pub around: Vec<Vec<String>>,
    /// After the number: "20 euros max".
    pub at_most_after: Vec<Vec<String>>,
    /// After the number: "from $24.50 up", "70 or more".
    pub at_least_after: Vec<Vec<String>>,
    /// Opens a range: "between" 50 "and" 100.
    pub between: Vec<Vec<String>>,
    /// Joins the two ends of a range: "and", "to", "bis", "-".
    pub joiners: Vec<String>,
    /// Currency words and signs: "$", "dollars", "euro".
    pub currency: Vec<String>,
}

/// What an amount is counted in.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// A currency word or sign: the price.
    Currency,
    /// One of the catalogue's unit words (normalised).
    Word(String),
    /// A plain number.
    None,
}

/// How the number was bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    AtMost,
    AtLeast,
    Around,
    Between,
    /// No cue: "60 dollars", or a plain number.
    Bare,
}

/// One amount found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Unit,
    pub bound: Bound,
    /// The words it was read from (indexes into the text's words).
    pub words: Range<usize>,
}

/// Share of the value "around" reaches on either side.
const AROUND: f64 = 0.2;
/// Larger numbers are not amounts anyone means.
const LARGEST: f64 = 1e12;

/// The amounts of a text, left to right. `units` are the catalogue's unit words (normalised).
pub fn find(words: &[Word], cues: &AmountWords, units: &[String]) -> Vec<Amount> {
    let mut found: Vec<Amount> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].kind != WordKind::Number {
            i += 1;
            continue;
        }
        let Some(value) = parse_number(&words[i].text) else {
            i += 1;
            continue;
        };
        let mut start = i;
        let mut end = i + 1;
        let mut unit = Unit::None;
        if start > 0 && is_currency(&words[start - 1], cues) {
            start -= 1;
            unit = Unit::Currency;
        }
        end = take_unit(words, end, cues, units, &mut unit);
        // A second number after a joiner makes a range: "50 to 80", "50-80 $", "zwischen 50 und 80".
        let mut upper = None;
        if let Some(joiner) = words.get(end)
            && (cues.joiners.contains(&joiner.norm) || joiner.text == "-")
        {
            let mut next = end + 1;
            let mut second_unit = Unit::None;
            if words.get(next).is_some_and(|w| is_currency(w, cues)) {
                second_unit = Unit::Currency;
                next += 1;
            }
            if let Some(second) = words
                .get(next)
                .filter(|w| w.kind == WordKind::Number)
                .and_then(|w| parse_number(&w.text))
            {
                upper = Some(second);
                end = take_unit(words, next + 1, cues, units, &mut second_unit);
                if unit == Unit::None {
                    unit = second_unit;
                }
            }
        }
        let before = &words[..start];
        let cue = [
            (Bound::AtMost, &cues.at_most),
            (Bound::AtLeast, &cues.at_least),
            (Bound::Around, &cues.around),
            (Bound::Between, &cues.between),
        ]
        .into_iter()
        .filter_map(|(bound, phrases)| ends_with(before, phrases).map(|n| (bound, n)))
        .max_by_key(|(_, n)| *n);
        if let Some((_, n)) = cue {
            start -= n;
        }
        // A cue after the number ("20 euros max", "70 and up") when there is none before.
        let after = [
            (Bound::AtMost, &cues.at_most_after),
            (Bound::AtLeast, &cues.at_least_after),
        ]
        .into_iter()
        .filter(|_| upper.is_none())
        .filter_map(|(bound, phrases)| starts_with(&words[end..], phrases).map(|n| (bound, n)))
        .max_by_key(|(_, n)| *n);
        let mut bound = match (cue.map(|(b, _)| b), upper) {
            (_, Some(_)) => Bound::Between,
            (Some(Bound::Between), None) => Bound::Bare,
            (Some(bound), None) => bound,
            (None, None) => Bound::Bare,
        };
        if let Some((after_bound, n)) = after
            && matches!(bound, Bound::Bare | Bound::AtLeast | Bound::AtMost)
        {
            // "from $24.50 up" keeps its "from"; a bare amount takes the cue after it.
            if bound == Bound::Bare {
                bound = after_bound;
            }
            end += n;
        }
        let (min, max) = match bound {
            Bound::AtMost => (None, Some(value)),
            Bound::AtLeast => (Some(value), None),
            Bound::Around => (Some(value * (1.0 - AROUND)), Some(value * (1.0 + AROUND))),
            Bound::Between => {
                let second = upper.unwrap_or(value);
                (Some(value.min(second)), Some(value.max(second)))
            }
            Bound::Bare => (None, Some(value)),
        };
        found.push(Amount {
            min,
            max,
            unit,
            bound,
            words: start..end,
        });
        i = end.max(i + 1);
    }
    found
}

/// Reads a number written with either thousands style. `None` for what is no usable number.
pub fn parse_number(raw: &str) -> Option<f64> {
    let separators: Vec<(usize, char)> = raw
        .char_indices()
        .filter(|(_, c)| *c == ',' || *c == '.')
        .collect();
    let digits_after = |at: usize| {
        raw[at + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count()
    };
    let decimal = match separators.as_slice() {
        [] => None,
        [(at, _)] => (digits_after(*at) != 3).then_some(*at),
        several => {
            let (last_at, last) = several[several.len() - 1];
            let mixed = several.iter().any(|(_, c)| *c != last);
            (mixed && digits_after(last_at) != 3).then_some(last_at)
        }
    };
    let mut plain = String::with_capacity(raw.len());
    for (at, c) in raw.char_indices() {
        match c {
            '0'..='9' => plain.push(c),
            ',' | '.' if Some(at) == decimal => plain.push('.'),
            _ => {}
        }
    }
    let value: f64 = plain.parse().ok()?;
    (value.is_finite() && value <= LARGEST).then_some(value)
}

fn is_currency(word: &Word, cues: &AmountWords) -> bool {
    cues.currency.contains(&word.norm)
}

/// Moves past a currency or unit word after a number, noting the unit.
fn take_unit(
    words: &[Word],
    end: usize,
    cues: &AmountWords,
    units: &[String],
    unit: &mut Unit,
) -> usize {
    match words.get(end) {
        Some(word) if is_currency(word, cues) => {
            *unit = Unit::Currency;
            end + 1
        }
        Some(word) if word.kind == WordKind::Letters && units.contains(&word.norm) => {
            *unit = Unit::Word(word.norm.clone());
            end + 1
        }
        _ => end,
    }
}

/// How many words of the longest phrase `words` starts with, if any.
fn starts_with(words: &[Word], phrases: &[Vec<String>]) -> Option<usize> {
    phrases
        .iter()
        .filter(|phrase| {
            !phrase.is_empty()
                && phrase.len() <= words.len()
                && words.iter().zip(phrase.iter()).all(|(w, p)| w.norm == *p)
        })
        .map(Vec::len)
        .max()
}

/// How many words of the longest phrase `words` ends with, if any.
fn ends_with(words: &[Word], phrases: &[Vec<String>]) -> Option<usize> {
    phrases
        .iter()
        .filter(|phrase| {
            !phrase.is_empty()
                && phrase.len() <= words.len()
                && words[words.len() - phrase.len()..]
                    .iter()
                    .zip(phrase.iter())
                    .all(|(w, p)| w.norm == *p)
        })
        .map(Vec::len)
        .max()
}

#[cfg(test)]
mod tests {
    use super::super::words::split;
    use super::*;

    fn cues() -> AmountWords {
        let list = |items: &[&str]| -> Vec<Vec<String>> {
            items
                .iter()
                .map(|p| p.split(' ').map(str::to_string).collect())
                .collect()
        };
        AmountWords {
            at_most: list(&["under", "up to", "no more than", "bis", "höchstens"]),
            at_least: list(&["from", "over", "ab"]),
            around: list(&["around", "about"]),
            at_most_after: list(&["max", "tops"]),
            at_least_after: list(&["up", "or more"]),
            between: list(&["between", "zwischen"]),
            joiners: vec!["and".into(), "to".into(), "und".into(), "bis".into()],
            currency: vec!["$".into(), "dollars".into(), "€".into(), "euro".into()],
        }
    }

    fn one(text: &str) -> (Option<f64>, Option<f64>, Unit) {
        let found = find(&split(text), &cues(), &["cm".into()]);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (found[0].min, found[0].max, found[0].unit.clone())
    }

    #[test]
    fn both_thousands_styles_and_decimals_read_in_every_locale() {
        assert_eq!(parse_number("1,200"), Some(1200.0));
        assert_eq!(parse_number("1.200"), Some(1200.0));
        assert_eq!(parse_number("1.200,50"), Some(1200.5));
        assert_eq!(parse_number("1,200.50"), Some(1200.5));
        assert_eq!(parse_number("49,99"), Some(49.99));
        assert_eq!(parse_number("49.9"), Some(49.9));
        assert_eq!(parse_number("2,400,000"), Some(2_400_000.0));
        assert_eq!(parse_number(&"9".repeat(400)), None);
    }

    #[test]
    fn cues_bound_the_amount() {
        assert_eq!(
            one("up to 2,400 dollars"),
            (None, Some(2400.0), Unit::Currency)
        );
        assert_eq!(one("no more than $80"), (None, Some(80.0), Unit::Currency));
        assert_eq!(
            one("höchstens 1.000 €"),
            (None, Some(1000.0), Unit::Currency)
        );
        assert_eq!(one("from 80"), (Some(80.0), None, Unit::None));
        assert_eq!(one("ab 80 Euro"), (Some(80.0), None, Unit::Currency));
        assert_eq!(one("bis 80 Euro"), (None, Some(80.0), Unit::Currency));
        assert_eq!(one("only 300 dollars"), (None, Some(300.0), Unit::Currency));
        let (min, max, _) = one("around 100");
        assert_eq!(
            (min.map(f64::round), max.map(f64::round)),
            (Some(80.0), Some(120.0))
        );
        assert_eq!(
            one("under 58 cm"),
            (None, Some(58.0), Unit::Word("cm".into()))
        );
    }

    #[test]
    fn two_numbers_joined_make_a_range() {
        assert_eq!(
            one("between 1,000 and 2,500"),
            (Some(1000.0), Some(2500.0), Unit::None)
        );
        assert_eq!(
            one("zwischen 50 und 100 €"),
            (Some(50.0), Some(100.0), Unit::Currency)
        );
        assert_eq!(one("$50-80"), (Some(50.0), Some(80.0), Unit::Currency));
        assert_eq!(
            one("80 to 50 dollars"),
            (Some(50.0), Some(80.0), Unit::Currency)
        );
    }

    #[test]
    fn plain_numbers_are_found_but_carry_no_unit() {
        let found = find(&split("for my 8 year old, 2 kids"), &cues(), &[]);
        assert!(
            found
                .iter()
                .all(|a| a.unit == Unit::None && a.bound == Bound::Bare)
        );
    }
}
