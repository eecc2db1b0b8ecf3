//! Transcripts of free-text turns: several answers at once, German compounds, stemming, text
//! searches and text that cannot be used.

use super::tests::Transcript;
use super::{Action, Notice};

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
        Some(Notice::Understood(_))
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
fn words_that_match_no_option_rank_products_and_never_remove_them() {
    // Regression: left-over words ("keeps", "long", "frame") were a hard text search and
    // dead-ended conversations.
    let mut chat = Transcript::jackets();
    chat.text("hood").expect("understood");
    let Some(Notice::Understood(understood)) = chat.outcome.notices.first() else {
        panic!("understood: {:?}", chat.outcome.notices);
    };
    assert_eq!(understood.wish.as_deref(), Some("hood"));
    assert!(understood.answers.is_empty());
    assert_eq!(chat.outcome.evaluation.candidate_count(), 23);
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

fn understood(chat: &Transcript) -> &super::Understanding {
    chat.outcome
        .notices
        .iter()
        .find_map(|n| match n {
            Notice::Understood(understood) => Some(understood),
            _ => None,
        })
        .unwrap_or_else(|| panic!("understood: {:?}", chat.outcome.notices))
}

#[test]
fn an_amount_is_a_range_on_the_price_and_answers_the_budget_question() {
    // Regression: "up to 2,400 dollars" became the "up to $1,000" band and a search for "400".
    let mut chat = Transcript::jackets();
    chat.text("a rain jacket for up to 2,400 dollars please")
        .expect("understood");
    let understood = understood(&chat);
    assert_eq!(understood.amounts.len(), 1);
    let amount = &understood.amounts[0];
    assert_eq!((amount.min, amount.max), (None, Some(2400.0)));
    assert_eq!(understood.wish, None, "a number is never searched for");
    assert!(chat.answers().contains(&("budget".into(), Vec::new())));
    // The budget question is not asked any more.
    while let Some(ask) = chat.outcome.evaluation.next.clone() {
        assert_ne!(chat.advisor().questions[ask.question].id.as_str(), "budget");
        chat.act(Action::Skip).expect("skipped");
    }
}

#[test]
fn a_budget_below_every_product_is_said_plainly_and_shows_no_fits() {
    // Regression: "only 300 dollars" below every product showed a $769 product as a fit.
    let mut chat = Transcript::jackets();
    chat.text("I only have 10 dollars").expect("understood");
    assert!(
        chat.outcome
            .notices
            .iter()
            .any(|n| matches!(n, Notice::BelowCheapest { cheapest, .. } if *cheapest > 10.0)),
        "{:?}",
        chat.outcome.notices
    );
    let evaluation = &chat.outcome.evaluation;
    assert!(evaluation.is_dead_end());
    assert!(evaluation.shortlist.iter().all(|r| !r.misses.is_empty()));
}

#[test]
fn contradicting_amounts_are_left_out_and_change_nothing() {
    let mut chat = Transcript::jackets();
    let before = chat.outcome.state.clone();
    chat.text("under 50 and over 100 dollars")
        .expect("not an error");
    assert!(chat.outcome.notices.contains(&Notice::AmountConflict));
    assert_eq!(chat.outcome.state, before);
}

#[test]
fn a_comparative_after_a_shortlist_applies_the_critique() {
    // Regression: "less expensive" became "$70 or more"; "cheaper" was not understood.
    for (locale, text) in [
        ("en", "less expensive please"),
        ("en", "something cheaper?"),
        ("de", "nicht so teuer bitte"),
        ("de", "günstiger"),
    ] {
        let mut chat = Transcript::with("jackets", locale);
        chat.text("winter").expect("understood");
        while chat.outcome.evaluation.next.is_some() {
            chat.act(Action::Skip).expect("skipped");
        }
        chat.text(text).expect("understood");
        let cheaper = chat.advisor().critique("cheaper").map(|(i, _)| i);
        assert!(
            chat.outcome
                .notices
                .iter()
                .any(|n| matches!(n, Notice::Critiqued { critique } if Some(*critique) == cheaper)),
            "{text}: {:?}",
            chat.outcome.notices
        );
    }
}

#[test]
fn a_negated_option_is_avoided_and_not_offered_again() {
    let mut chat = Transcript::jackets();
    chat.text("not for running").expect("understood");
    let super::Understanding {
        avoided, answers, ..
    } = understood(&chat);
    assert!(answers.is_empty());
    let advisor = chat.advisor();
    let (where_, question) = advisor
        .question(&crate::ids::QuestionId::parse("where").expect("id"))
        .expect("where");
    let (running, _) = question
        .option(&crate::ids::OptionId::parse("running").expect("id"))
        .expect("running");
    assert_eq!(*avoided, [(where_, running)]);
    while let Some(ask) = chat.outcome.evaluation.next.clone() {
        if ask.question == where_ {
            assert!(ask.options.iter().all(|o| o.option != running));
            return;
        }
        chat.act(Action::Skip).expect("skipped");
    }
}

#[test]
fn two_options_of_a_single_choice_question_are_asked_back() {
    let mut chat = Transcript::jackets();
    chat.text("for hiking or running, not sure yet")
        .expect("understood");
    let Some(Notice::Clarify { question, options }) = chat
        .outcome
        .notices
        .iter()
        .find(|n| matches!(n, Notice::Clarify { .. }))
    else {
        panic!("{:?}", chat.outcome.notices);
    };
    assert_eq!(options.len(), 2);
    let ask = chat.outcome.evaluation.next.as_ref().expect("asked back");
    assert_eq!(ask.question, *question);
    assert_eq!(ask.options.len(), 2, "only the two named are offered");
    assert!(chat.answers().iter().all(|(q, _)| q != "where"));
    // A multiple-choice question takes both.
    let mut chat = Transcript::jackets();
    chat.text("against rain and wind").expect("understood");
    assert!(
        chat.answers()
            .contains(&("protection".into(), vec!["rain".into(), "wind".into()]))
    );
}

#[test]
fn a_need_the_shop_does_not_carry_is_said_honestly_and_changes_nothing() {
    let mut chat = Transcript::jackets();
    let before = chat.outcome.state.clone();
    chat.text("a winter jacket for my 6 year old")
        .expect("not an error");
    assert!(matches!(
        chat.outcome.notices.first(),
        Some(Notice::NotCarried { .. })
    ));
    assert_eq!(chat.outcome.state, before);
}

#[test]
fn fragments_filler_and_any_whitespace_are_read_safely() {
    // Regressions: "I'm" answered M, "I'll" became a search, a newline was refused.
    let mut chat = Transcript::with("sportswear", "en");
    chat.text("I'm\nhere, I'll\tlook around")
        .expect("not an error");
    assert_eq!(chat.outcome.notices, vec![Notice::NotUnderstood]);
    let mut chat = Transcript::with("jackets", "de");
    chat.text("fu\u{0308}r Ma\u{0308}nner").expect("understood");
    assert!(chat.answers().contains(&("who".into(), vec!["men".into()])));
    let super::Understanding { ignored, wish, .. } = understood(&chat);
    assert!(ignored.is_empty() && wish.is_none());
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

mod own_catalogue {
    //! Typed words on a catalogue of its own: a text field marked `filter: true` (the brand)
    //! and a number with units (the weight).

    use std::path::Path;

    use crate::catalog::Catalog;
    use crate::dialogue::{Input, Notice, start, step};
    use crate::ids::Locale;

    const CONFIG: &str = "products: p.jsonl\ncurrency: EUR\nid: id\ntitle: name\nprice: price\n\
        text:\n  - field: brand\n    filter: true\n  - field: description\n\
        numbers:\n  - name: weight\n    field: kg\n    units: [kg, kilo, kilos]\n\
        facets:\n  - name: use\n";
    const PRODUCTS: &str = "\
        {\"id\":\"t1\",\"name\":\"Trail One\",\"brand\":\"Vaude\",\"description\":\"with a porch\",\"price\":200,\"kg\":1.8,\"use\":\"trek\"}\n\
        {\"id\":\"t2\",\"name\":\"Trail Two\",\"brand\":\"Vaude\",\"description\":\"roomy\",\"price\":150,\"kg\":2.6,\"use\":\"trek\"}\n\
        {\"id\":\"t3\",\"name\":\"Camp Three\",\"brand\":\"Nordisk\",\"description\":\"with a porch\",\"price\":300,\"kg\":1.5,\"use\":\"camp\"}\n\
        {\"id\":\"t4\",\"name\":\"Camp Four\",\"brand\":\"Nordisk\",\"description\":\"family tent\",\"price\":120,\"kg\":4.0,\"use\":\"camp\"}\n";
    const ADVISOR: &str = "title: {en: Tents}\nlocales: [en]\nnoun:\n  en: {one: tent, other: tents}\n\
        stop:\n  max_candidates: 1\nquestions:\n\
        \x20 - id: use\n    role: usage\n    text: {en: What for?}\n    options:\n\
        \x20     - id: trek\n        label: {en: Trekking}\n        filter: {use: [trek]}\n\
        \x20     - id: camp\n        label: {en: Camping}\n        filter: {use: [camp]}\n";

    fn typed(text: &str) -> crate::dialogue::Outcome {
        let catalog = Catalog::from_sources(Path::new("catalog"), CONFIG, PRODUCTS.as_bytes())
            .unwrap_or_else(|problems| panic!("{}", problems.render()));
        let (advisor, _) =
            crate::questions::check_source(Path::new("questions/tents.yaml"), ADVISOR, &catalog)
                .unwrap_or_else(|problems| panic!("{}", problems.render()));
        let first =
            start(&advisor, &catalog, Locale::parse("en").expect("en"), None).expect("start");
        step(&advisor, &catalog, &first.state, Input::Text(text.into())).expect("step")
    }

    #[test]
    fn a_brand_in_a_filtering_field_must_hold_and_a_unit_names_its_number() {
        let outcome = typed("a Vaude tent under 2 kilos");
        let Some(Notice::Understood(crate::dialogue::Understanding {
            required, amounts, ..
        })) = outcome.notices.first()
        else {
            panic!("{:?}", outcome.notices);
        };
        assert_eq!(required.as_deref(), Some("Vaude"));
        assert_eq!(amounts[0].number, "weight");
        assert_eq!(amounts[0].max, Some(2.0));
        // Only the light Vaude tent is left.
        assert_eq!(outcome.evaluation.candidate_count(), 1);
    }

    #[test]
    fn words_in_other_text_fields_only_rank() {
        let outcome = typed("something with a porch");
        assert_eq!(outcome.evaluation.candidate_count(), 4);
    }
}

#[test]
fn more_like_a_shortlisted_product_shows_products_like_it() {
    for (locale, text) in [
        ("en", "more like the second one"),
        ("de", "so wie die zweite"),
    ] {
        let mut chat = Transcript::with("jackets", locale);
        while chat.outcome.evaluation.next.is_some() {
            chat.act(Action::Skip).expect("skipped");
        }
        let second = chat.outcome.evaluation.shortlist[1].ordinal;
        chat.text(text).expect("understood");
        assert_eq!(
            chat.outcome.notices,
            [Notice::SimilarTo { product: second }],
            "{text}"
        );
    }
}
