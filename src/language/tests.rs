//! The lexicon on its own: stemming, compounds, accents, filler, negation, amounts, typos.

use super::*;

fn grammar(locale: &str) -> Grammar {
    let set = |words: &[&str]| words.iter().map(|w| w.to_string()).collect();
    let phrases = |words: &[&str]| -> Vec<Vec<String>> {
        words
            .iter()
            .map(|p| p.split(' ').map(str::to_string).collect())
            .collect()
    };
    match locale {
        "de" => Grammar {
            stop_words: Some(set(&["für", "die", "der", "zum", "ich", "eine"])),
            ignore: vec!["suche".into(), "bitte".into()],
            negation_before: set(&["nicht", "kein", "keine", "ohne"]),
            negation_after: set(&["nicht"]),
            breaks: set(&["sondern", "aber"]),
            amounts: AmountWords {
                at_most: phrases(&["bis", "unter"]),
                at_least: phrases(&["ab"]),
                around: phrases(&["etwa"]),
                at_most_after: phrases(&["maximal"]),
                at_least_after: phrases(&["aufwärts"]),
                between: phrases(&["zwischen"]),
                joiners: vec!["und".into(), "bis".into()],
                currency: vec!["€".into(), "euro".into()],
            },
            compounds: true,
            similar: phrases(&["so wie", "ähnlich wie"]),
            ordinals: vec![(vec!["erste".into()], 1), (vec!["letzte".into()], 0)],
        },
        _ => Grammar {
            stop_words: Some(set(&["a", "for", "the", "with", "to", "i"])),
            ignore: vec!["need".into(), "im".into(), "ill".into(), "looking".into()],
            negation_before: set(&["not", "no", "without", "dont"]),
            negation_after: set(&["not"]),
            breaks: set(&["but"]),
            amounts: AmountWords {
                at_most: phrases(&["under", "up to"]),
                at_least: phrases(&["from"]),
                around: phrases(&["around"]),
                at_most_after: phrases(&["max", "tops"]),
                at_least_after: phrases(&["up", "or more"]),
                between: phrases(&["between"]),
                joiners: vec!["and".into(), "to".into()],
                currency: vec!["$".into(), "dollars".into()],
            },
            compounds: false,
            similar: phrases(&["more like", "similar to"]),
            ordinals: vec![
                (vec!["first".into()], 1),
                (vec!["second".into()], 2),
                (vec!["last".into()], 0),
            ],
        },
    }
}

fn build(locale: &str, phrases: &[(usize, &str)]) -> (Lexicon, Locale) {
    let code = locale;
    let locale = Locale::parse(code).expect("locale");
    let mut lexicon = Lexicon::default();
    let phrases: Vec<Phrase> = phrases
        .iter()
        .map(|(t, p)| Phrase {
            target: *t,
            text: p.to_string(),
            weight: 1.0,
        })
        .collect();
    lexicon.add_locale(
        &locale,
        &phrases,
        &["Jacke".into(), "Jacken".into(), "jacket".into()],
        &grammar(code),
        &["cm".into()],
    );
    (lexicon, locale)
}

fn targets(found: &Found) -> Vec<usize> {
    found
        .matches
        .iter()
        .flat_map(|m| m.targets.clone())
        .collect()
}

fn negated(found: &Found) -> Vec<usize> {
    found
        .matches
        .iter()
        .filter(|m| m.negated)
        .flat_map(|m| m.targets.clone())
        .collect()
}

#[test]
fn german_compounds_split_against_the_lexicon() {
    let (lexicon, de) = build(
        "de",
        &[
            (0, "Regen"),
            (1, "Winter"),
            (2, "Wanderung"),
            (3, "wandern"),
        ],
    );
    let found = lexicon.find(&de, "Regenjacke für die Winterwanderung");
    assert_eq!(targets(&found), [0, 1, 2]);
    assert!(found.rest.is_empty(), "{:?}", found.rest);
}

#[test]
fn english_words_are_never_split_into_parts() {
    // Regression: "weekend" was split into "week" + "end" and answered another question.
    let (lexicon, en) = build("en", &[(0, "week"), (1, "end")]);
    let found = lexicon.find(&en, "for the weekend");
    assert!(targets(&found).is_empty(), "{found:?}");
}

#[test]
fn accents_case_and_word_forms_do_not_matter() {
    let (lexicon, de) = build("de", &[(0, "Kälte"), (1, "wasserdicht")]);
    assert_eq!(targets(&lexicon.find(&de, "KAELTE")), [0]);
    assert_eq!(targets(&lexicon.find(&de, "gegen kälte")), [0]);
    assert_eq!(targets(&lexicon.find(&de, "Kalte")), [0]);
    assert_eq!(targets(&lexicon.find(&de, "WASSERDICHTE")), [1]);
    assert_eq!(targets(&lexicon.find(&de, "ka\u{0308}lte")), [0]);
    let (lexicon, en) = lexicon_en();
    assert_eq!(targets(&lexicon.find(&en, "Hiking when it RAINS")), [0, 1]);
}

fn lexicon_en() -> (Lexicon, Locale) {
    build(
        "en",
        &[
            (0, "hike"),
            (1, "rain"),
            (2, "year round"),
            (3, "running"),
            (4, "medium"),
            (5, "m"),
        ],
    )
}

#[test]
fn phrases_match_as_a_whole_and_the_rest_is_kept() {
    let (lexicon, en) = lexicon_en();
    let found = lexicon.find(&en, "I need a jacket for year round use with a hood");
    assert_eq!(targets(&found), [2]);
    assert_eq!(found.rest, ["use", "hood"]);
}

#[test]
fn contractions_and_fragments_never_become_answers_or_wishes() {
    // Regressions: "I'm" answered a size question with M; "I'll" became a search for "ll".
    let (lexicon, en) = lexicon_en();
    let found = lexicon.find(&en, "I'm sure I'll like it, it's for my wife's runs");
    assert!(!targets(&found).contains(&5), "{found:?}");
    assert!(
        found.rest.iter().all(|w| w.chars().count() >= 3),
        "{found:?}"
    );
    assert!(!found.rest.iter().any(|w| w == "ll" || w == "m" || w == "s"));
}

#[test]
fn negations_reach_the_next_phrase_in_their_clause() {
    let (lexicon, en) = lexicon_en();
    let found = lexicon.find(&en, "not for running, but for hiking");
    assert_eq!(negated(&found), [3]);
    assert_eq!(targets(&found), [3, 0]);
    let found = lexicon.find(&en, "a jacket without a hood");
    assert_eq!(found.avoided, ["hood"]);
    assert!(found.rest.is_empty());
    let (lexicon, de) = build("de", &[(0, "Laufen"), (1, "Kapuze"), (2, "wandern")]);
    assert_eq!(negated(&lexicon.find(&de, "nicht zum Laufen")), [0]);
    assert_eq!(negated(&lexicon.find(&de, "Laufen eher nicht")), [0]);
    assert_eq!(
        negated(&lexicon.find(&de, "nicht zum Laufen, sondern zum Wandern")),
        [0]
    );
    assert_eq!(negated(&lexicon.find(&de, "ohne Kapuze")), [1]);
}

#[test]
fn amounts_are_read_first_and_never_left_over() {
    let (lexicon, en) = lexicon_en();
    let found = lexicon.find(&en, "rain jacket up to 2,400 dollars");
    assert_eq!(targets(&found), [1]);
    assert_eq!(found.amounts.len(), 1);
    assert_eq!(found.amounts[0].max, Some(2400.0));
    assert!(found.rest.is_empty(), "{found:?}");
    let (lexicon, de) = build("de", &[(0, "Regen")]);
    let found = lexicon.find(&de, "Regenjacke bis 1.200 €");
    assert_eq!(found.amounts[0].max, Some(1200.0));
    assert_eq!(found.amounts[0].unit, Unit::Currency);
    let found = lexicon.find(&de, "unter 58 cm");
    assert_eq!(found.amounts[0].unit, Unit::Word("cm".into()));
}

#[test]
fn one_typo_in_a_longer_word_still_matches() {
    let (lexicon, en) = build("en", &[(0, "waterproof"), (1, "hiking")]);
    assert_eq!(targets(&lexicon.find(&en, "something waterprof")), [0]);
    assert_eq!(targets(&lexicon.find(&en, "hikking boots")), [1]);
    // Short words are not guessed.
    let (lexicon, en) = build("en", &[(0, "rain")]);
    assert!(targets(&lexicon.find(&en, "rein")).is_empty());
}

#[test]
fn any_unicode_is_read_without_panicking() {
    let (lexicon, en) = lexicon_en();
    for text in [
        "🙂🙂🙂",
        "\u{202E}rain\u{202C}",
        "\u{200B}\u{200B}",
        "مرحبا rain",
        &"a".repeat(500),
        "under 1e308 dollars",
        "-5 $",
        "$$$ 1,2,3,4 ..,,",
        "9".repeat(400).as_str(),
    ] {
        let _ = lexicon.find(&en, text);
    }
}

#[test]
fn more_like_a_shown_product_names_its_place() {
    let (lexicon, en) = build("en", &[(0, "rain")]);
    let found = lexicon.find(&en, "more like the second one please");
    assert_eq!(found.similar_to, Some(2));
    assert_eq!(found.rest, ["one", "please"], "the reference is no wish");
    assert_eq!(lexicon.find(&en, "similar to the last").similar_to, Some(0));
    assert_eq!(lexicon.find(&en, "the first rain jacket").similar_to, None);
    let (lexicon, de) = build("de", &[(0, "Regen")]);
    assert_eq!(lexicon.find(&de, "so wie die erste").similar_to, Some(1));
}
