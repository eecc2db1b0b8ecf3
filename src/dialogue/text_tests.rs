//! Transcripts of free-text turns: several answers at once, German compounds, stemming, text
//! searches and text that cannot be used.

use super::Notice;
use super::tests::Transcript;

#[test]
fn free_text_answers_several_questions_and_splits_german_compounds() {
    let mut chat = Transcript::with("jackets", "de");
    chat.text("Ich suche eine Regenjacke für die Winterwanderung, für Damen")
        .expect("understood");
    let answers = chat.answers();
    assert!(answers.contains(&("protection".into(), vec!["rain".into()])));
    assert!(answers.contains(&("where".into(), vec!["trail".into()])));
    assert!(answers.contains(&("who".into(), vec!["women".into()])));
    assert!(answers.contains(&("season".into(), vec!["winter".into()])));
    assert!(matches!(
        chat.outcome.notices.first(),
        Some(Notice::Understood { .. })
    ));
}

#[test]
fn free_text_in_english_is_stemmed_and_case_insensitive() {
    let mut chat = Transcript::jackets();
    chat.text("Something WATERPROOF for RUNNING please")
        .expect("understood");
    let answers = chat.answers();
    assert!(answers.contains(&("protection".into(), vec!["rain".into()])));
    assert!(answers.contains(&("where".into(), vec!["running".into()])));
}

#[test]
fn words_that_match_no_option_search_the_product_texts() {
    let mut chat = Transcript::jackets();
    chat.text("hood").expect("understood");
    let Some(Notice::Understood { wish, answers, .. }) = chat.outcome.notices.first() else {
        panic!("understood: {:?}", chat.outcome.notices);
    };
    assert_eq!(wish.as_deref(), Some("hood"));
    assert!(answers.is_empty());
    assert!(chat.outcome.evaluation.candidate_count() < 23);
}

#[test]
fn nothing_understood_changes_nothing() {
    let mut chat = Transcript::jackets();
    let before = chat.outcome.state.clone();
    chat.text("xqzzy blorp").expect("not an error");
    assert_eq!(chat.outcome.notices, vec![Notice::NotUnderstood]);
    assert_eq!(chat.outcome.state, before);
    assert!(
        chat.outcome.evaluation.next.is_some(),
        "the options are offered again"
    );
}

#[test]
#[ignore = "a tool: prints how texts in DEBUG_TEXTS (lines of `advisor|locale|text`) are read"]
fn debug_texts() {
    let lines = std::env::var("DEBUG_TEXTS").unwrap_or_default();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.splitn(3, '|').collect();
        let chat = Transcript::with(parts[0], parts[1]);
        let locale = crate::ids::Locale::parse(parts[1]).expect("locale");
        let found = chat.advisor().words.lexicon.find(&locale, parts[2]);
        println!("{line}\n  {found:?}");
    }
}
