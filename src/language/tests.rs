//! The lexicon on its own: stemming, compounds, accents, filler words.

use super::*;

fn lexicon(locale: &str, phrases: &[(usize, &str)]) -> (Lexicon, Locale) {
    let locale = Locale::parse(locale).expect("locale");
    let mut lexicon = Lexicon::default();
    let phrases: Vec<(usize, String)> = phrases.iter().map(|(t, p)| (*t, p.to_string())).collect();
    lexicon.add_locale(
        &locale,
        &phrases,
        &["Jacke".into(), "Jacken".into(), "jacket".into()],
    );
    (lexicon, locale)
}

fn targets(found: &Found) -> Vec<usize> {
    found.matches.iter().flat_map(|(t, _)| t.clone()).collect()
}

#[test]
fn german_compounds_split_against_the_lexicon() {
    let (lexicon, de) = lexicon(
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
fn accents_case_and_word_forms_do_not_matter() {
    let (lexicon, de) = lexicon("de", &[(0, "Kälte"), (1, "wasserdicht")]);
    assert_eq!(targets(&lexicon.find(&de, "KAELTE")), [0]);
    assert_eq!(targets(&lexicon.find(&de, "gegen kälte")), [0]);
    assert_eq!(targets(&lexicon.find(&de, "Kalte")), [0]);
    assert_eq!(targets(&lexicon.find(&de, "WASSERDICHTE")), [1]);
    let (lexicon, en) = lexicon_en();
    assert_eq!(targets(&lexicon.find(&en, "Hiking when it RAINS")), [0, 1]);
}

fn lexicon_en() -> (Lexicon, Locale) {
    lexicon("en", &[(0, "hike"), (1, "rain"), (2, "year round")])
}

#[test]
fn phrases_match_as_a_whole_and_the_rest_is_kept() {
    let (lexicon, en) = lexicon_en();
    let found = lexicon.find(&en, "I need a jacket for year round use with a hood");
    assert_eq!(targets(&found), [2]);
    assert_eq!(found.rest, ["use", "hood"]);
}
