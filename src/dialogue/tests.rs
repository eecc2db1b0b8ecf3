//! Transcripts of conversations with the shipped jacket advisor, step by step.

use super::*;
use crate::ids::Locale;
use crate::shop::{Paths, Shop};

pub(super) struct Transcript {
    shop: Shop,
    pub(super) outcome: Outcome,
}

impl Transcript {
    pub(super) fn jackets() -> Self {
        Self::with("jackets", "en")
    }

    pub(super) fn with(advisor: &str, locale: &str) -> Self {
        let (shop, problems) = Shop::load(&Paths::default());
        let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
        let advisor = shop.advisor(advisor).expect("advisor").clone();
        let locale = Locale::parse(locale).expect("locale");
        let outcome = start(&advisor, &shop.catalog, locale, None).expect("start");
        Self { shop, outcome }
    }

    pub(super) fn advisor(&self) -> &crate::questions::Advisor {
        self.shop
            .advisor(self.outcome.state.advisor.as_str())
            .expect("advisor")
    }

    pub(super) fn catalog(&self) -> &crate::catalog::Catalog {
        &self.shop.catalog
    }

    /// The question on offer and each option's live count.
    fn asks(&self) -> (String, Vec<(String, usize)>) {
        let ask = self
            .outcome
            .evaluation
            .next
            .as_ref()
            .expect("a question is asked");
        let question = &self.advisor().questions[ask.question];
        let options = ask
            .options
            .iter()
            .map(|o| (question.options[o.option].id.to_string(), o.count))
            .collect();
        (question.id.to_string(), options)
    }

    pub(super) fn text(&mut self, text: &str) -> Result<(), StepError> {
        self.say(Input::Text(text.into()))
    }

    pub(super) fn act(&mut self, action: Action) -> Result<(), StepError> {
        self.say(Input::Action(action))
    }

    /// The answers in force, as (question, options).
    pub(super) fn answers(&self) -> Vec<(String, Vec<String>)> {
        let advisor = self.advisor();
        self.outcome
            .evaluation
            .answered
            .iter()
            .map(|(q, options)| {
                let question = &advisor.questions[*q];
                (
                    question.id.to_string(),
                    options
                        .iter()
                        .map(|o| question.options[*o].id.to_string())
                        .collect(),
                )
            })
            .collect()
    }

    /// Answers whatever is asked with the first option on offer until the shortlist.
    fn finish_with_first_options(&mut self) {
        while let Some(ask) = self.outcome.evaluation.next.clone() {
            let question = self.advisor().questions[ask.question].id.to_string();
            let option = self.advisor().questions[ask.question].options[ask.options[0].option]
                .id
                .to_string();
            self.answer(&question, &[&option]).expect("accepted");
        }
    }

    fn say(&mut self, input: Input) -> Result<(), StepError> {
        let advisor = self.advisor().clone();
        self.outcome = step(&advisor, &self.shop.catalog, &self.outcome.state, input)?;
        Ok(())
    }

    fn answer(&mut self, question: &str, values: &[&str]) -> Result<(), StepError> {
        self.say(Input::Answer {
            question: question.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        })
    }

    fn shortlist(&self) -> Vec<(String, Vec<String>)> {
        let advisor = self.advisor();
        self.outcome
            .evaluation
            .shortlist
            .iter()
            .map(|r| {
                let product = self.shop.catalog.product(r.ordinal).expect("product");
                let reasons = r
                    .reasons
                    .iter()
                    .map(|(q, o)| advisor.questions[*q].options[*o].id.to_string())
                    .collect();
                (product.id().to_string(), reasons)
            })
            .collect()
    }
}

#[test]
fn the_first_question_is_about_the_use_and_splits_the_jackets_best() {
    let chat = Transcript::jackets();
    let (question, options) = chat.asks();
    // Usage questions come first (`role: usage`); of those, what it should protect from splits
    // the 23 jackets best. The budget, which would split them better still, comes last.
    assert_eq!(question, "protection");
    let real = &options[..options.len() - 1];
    assert!(real.iter().all(|(_, count)| *count > 0 && *count < 23));
}

#[test]
fn editors_can_force_the_order_of_the_questions() {
    let mut chat = Transcript::jackets();
    let mut advisor = chat.advisor().clone();
    advisor.order = crate::questions::Order::Fixed;
    chat.outcome = start(
        &advisor,
        &chat.shop.catalog,
        Locale::parse("en").expect("locale"),
        None,
    )
    .expect("start");
    let ask = chat.outcome.evaluation.next.as_ref().expect("asks");
    assert_eq!(advisor.questions[ask.question].id.as_str(), "who");
}

#[test]
fn a_conversation_ends_in_an_explained_shortlist_of_full_matches() {
    let mut chat = Transcript::jackets();
    chat.answer("protection", &["wind"]).expect("accepted");
    chat.finish_with_first_options();
    let evaluation = &chat.outcome.evaluation;
    assert!(evaluation.is_complete() && !evaluation.is_dead_end());
    let full: Vec<_> = evaluation
        .shortlist
        .iter()
        .filter(|r| r.misses.is_empty())
        .collect();
    assert!(!full.is_empty());
    for recommendation in &full {
        assert!(
            recommendation
                .reasons
                .iter()
                .any(|(q, _)| chat.advisor().questions[*q].id.as_str() == "protection"),
            "every full match meets the wind wish"
        );
    }
    // Close alternatives, if any, come after the full matches and say what they miss.
    let first_alternative = evaluation
        .shortlist
        .iter()
        .position(|r| !r.misses.is_empty());
    if let Some(first) = first_alternative {
        assert!(
            evaluation.shortlist[first..]
                .iter()
                .all(|r| !r.misses.is_empty())
        );
    }
}

#[test]
fn rain_and_cold_together_is_a_dead_end_with_one_tap_repairs() {
    let mut chat = Transcript::jackets();
    let (question, options) = chat.asks();
    assert_eq!(question, "protection");
    assert!(options.iter().any(|(o, _)| o == "rain"));
    chat.answer("protection", &["rain", "cold"])
        .expect("accepted");
    let evaluation = chat.outcome.evaluation.clone();
    assert!(evaluation.is_dead_end());
    assert!(
        chat.outcome
            .notices
            .iter()
            .any(|n| matches!(n, Notice::NoMatch { .. }))
    );
    assert!(!evaluation.repairs.is_empty(), "repairs are offered");
    assert!(evaluation.repairs.iter().all(|r| r.count > 0));
    assert!(
        !evaluation.shortlist.is_empty(),
        "close alternatives are shown"
    );
    assert!(evaluation.shortlist.iter().all(|r| !r.misses.is_empty()));
    // Taking the first repair brings exactly the promised number of jackets back.
    let repair = &evaluation.repairs[0];
    let drop: Vec<String> = repair
        .drop
        .iter()
        .map(|i| evaluation.constraints[*i].source.key(chat.advisor()))
        .collect();
    chat.act(Action::Relax { drop }).expect("relaxed");
    assert!(!chat.outcome.evaluation.is_dead_end());
    assert_eq!(chat.outcome.evaluation.candidate_count(), repair.count);
}

#[test]
fn changing_an_answer_drops_the_answers_that_no_longer_apply() {
    let mut chat = Transcript::with("sportswear", "en");
    chat.answer("kind", &["pants"]).expect("accepted");
    while chat.asks().0 != "fit" {
        let (question, options) = chat.asks();
        let no_preference = &options.last().expect("options").0;
        chat.answer(&question, &[no_preference]).expect("accepted");
    }
    chat.answer("fit", &["tight"]).expect("accepted");
    chat.act(Action::Change {
        question: "kind".into(),
    })
    .expect("change");
    assert_eq!(chat.asks().0, "kind");
    chat.answer("kind", &["tee"]).expect("accepted");
    assert!(
        chat.outcome
            .notices
            .iter()
            .any(|n| matches!(n, Notice::Dropped { questions } if !questions.is_empty()))
    );
    let answers = chat.answers();
    assert!(answers.iter().all(|(q, _)| q != "fit"));
    assert!(answers.contains(&("kind".into(), vec!["tee".into()])));
    assert_eq!(answers[0].0, "kind", "the changed answer keeps its place");
}

#[test]
fn a_question_can_be_skipped() {
    let mut chat = Transcript::jackets();
    let (question, _) = chat.asks();
    chat.act(Action::Skip).expect("skipped");
    assert_ne!(chat.asks().0, question);
    assert!(chat.answers().contains(&(question, Vec::new())));
}

#[test]
fn critiques_refine_the_shortlist() {
    let mut chat = Transcript::jackets();
    chat.finish_with_first_options();
    let evaluation = chat.outcome.evaluation.clone();
    let first = chat
        .shop
        .catalog
        .product(evaluation.shortlist[0].ordinal)
        .expect("product")
        .price();
    let cheaper = chat
        .advisor()
        .critique("cheaper")
        .map(|(i, _)| i)
        .expect("critique");
    if evaluation.critiques.iter().any(|c| c.critique == cheaper) {
        chat.act(Action::Critique {
            critique: "cheaper".into(),
            product: None,
        })
        .expect("critique");
        for r in &chat.outcome.evaluation.shortlist {
            let product = chat.shop.catalog.product(r.ordinal).expect("product");
            if r.misses.is_empty() {
                assert!(product.price() < first);
            }
        }
    }
    // "Not this one" never shows the product again.
    let shown = chat.outcome.evaluation.shortlist[0].ordinal;
    let id = chat
        .shop
        .catalog
        .product(shown)
        .expect("product")
        .id()
        .to_string();
    chat.act(Action::Exclude { product: id }).expect("excluded");
    assert!(
        chat.outcome
            .evaluation
            .shortlist
            .iter()
            .all(|r| r.ordinal != shown)
    );
}

#[test]
fn a_refused_answer_leaves_the_state_as_it_was() {
    let mut chat = Transcript::jackets();
    let before = chat.outcome.state.clone();
    let refused = chat.answer("season", &["winter"]);
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::QuestionNotAsked { .. }))
    ));
    let refused = chat.answer("protection", &["aliens"]);
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::OptionNotOffered { .. }))
    ));
    let refused = chat.act(Action::Relax {
        drop: vec!["who.women".into()],
    });
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::NotRelaxable(_)))
    ));
    assert_eq!(chat.outcome.state, before);
}

#[test]
fn back_undoes_any_input_and_restart_forgets_everything() {
    let mut chat = Transcript::jackets();
    let (first, options) = chat.asks();
    let no_preference = &options.last().expect("options").0;
    chat.answer(&first, &[no_preference]).expect("accepted");
    let after_one = chat.outcome.state.events.clone();
    let (second, options) = chat.asks();
    chat.answer(&second, &[&options[0].0]).expect("accepted");
    chat.act(Action::Back).expect("back");
    assert_eq!(chat.asks().0, second);
    assert_eq!(chat.outcome.state.events, after_one);
    chat.act(Action::Restart).expect("restart");
    assert_eq!(chat.asks().0, first);
    assert!(chat.outcome.state.events.is_empty());
    let refused = chat.act(Action::Back);
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::ActionNotAvailable(_)))
    ));
}

#[test]
fn the_same_answers_always_give_the_same_shortlist() {
    let run = || {
        let mut chat = Transcript::jackets();
        chat.finish_with_first_options();
        chat.shortlist()
    };
    assert_eq!(run(), run());
}

#[test]
fn a_state_stored_by_the_previous_release_loads_and_keeps_its_reply_until_the_next_input() {
    let stored = r#"{"advisor":"jackets","advisor_version":"v","locale":"en","customer_name":null,
        "turn":2,"events":[],"delivered":{"ids":["m-1"],"last_reply":"{\"turn\":2}"}}"#;
    let mut state: State = serde_json::from_str(stored).expect("loads");
    assert_eq!(state.delivered.kept_reply_to("m-1"), Some("{\"turn\":2}"));
    assert!(state.said.is_empty());
    state.delivered.record("m-2".into(), "d".into());
    assert_eq!(state.delivered.kept_reply_to("m-2"), None);
    let written = serde_json::to_string(&state).expect("writes");
    assert!(!written.contains("last_reply"), "{written}");
}

#[test]
fn what_a_reply_said_survives_a_json_round_trip() {
    let mut transcript = Transcript::jackets();
    transcript
        .text("for a man, under 80 dollars, not for running")
        .expect("understood");
    let said = transcript.outcome.notices.clone();
    assert!(!said.is_empty());
    let json = serde_json::to_string(&said).expect("writes");
    let back: Vec<Notice> = serde_json::from_str(&json).expect("reads");
    assert_eq!(back, said);
}
