//! Handing a conversation to a person, on the shipped jacket advisor: the phrases in both
//! languages, what a handed-off conversation accepts, and the offer after repeated trouble.

use super::*;
use crate::ids::Locale;
use crate::shop::{Paths, Shop};

struct Chat {
    shop: Shop,
    outcome: Outcome,
}

impl Chat {
    fn new(locale: &str) -> Self {
        let (shop, problems) = Shop::load(&Paths::default());
        let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
        let advisor = shop.advisor("jackets").expect("jackets");
        let locale = Locale::parse(locale).expect("locale");
        let outcome = start(advisor, &shop.catalog, locale, None).expect("start");
        Self { shop, outcome }
    }

    fn say(&mut self, input: Input) -> Result<(), StepError> {
        let advisor = self.shop.advisor("jackets").expect("jackets");
        self.outcome = step(advisor, &self.shop.catalog, &self.outcome.state, input)?;
        Ok(())
    }

    fn answer(&mut self, question: &str, values: &[&str]) -> Result<(), StepError> {
        self.say(Input::Answer {
            question: question.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        })
    }

    fn offered(&self) -> bool {
        self.outcome.notices.contains(&Notice::HandoffOffered)
    }
}

#[test]
fn customers_ask_for_a_person_in_their_own_words() {
    for (locale, text) in [
        ("en", "I want to talk to someone"),
        ("en", "Can I SPEAK TO A HUMAN please?"),
        ("de", "Ich möchte mit einem Mitarbeiter sprechen"),
        ("de", "Kann ich mit einem Menschen sprechen?"),
        ("de", "eine Mitarbeiterin bitte"),
    ] {
        let mut chat = Chat::new(locale);
        chat.answer("protection", &["wind"]).expect("accepted");
        let events = chat.outcome.state.events.clone();
        chat.say(Input::Text(text.into())).expect("handed off");
        assert!(chat.outcome.state.handoff.handed_off, "{text}");
        assert_eq!(chat.outcome.notices, [Notice::HandedOff], "{text}");
        assert_eq!(chat.outcome.state.events, events, "{text}: no answer taken");
    }
}

#[test]
fn a_handed_off_conversation_takes_only_back_restart_and_handoff() {
    let mut chat = Chat::new("en");
    chat.answer("protection", &["wind"]).expect("accepted");
    let before = chat.outcome.state.clone();
    chat.say(Input::Action(Action::Handoff))
        .expect("handed off");
    let handed_off = chat.outcome.state.clone();
    assert_eq!(handed_off.turn, before.turn + 1);
    let refused = chat.answer("where", &["trail"]);
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::HandedOff))
    ));
    let refused = chat.say(Input::Text("a warm jacket".into()));
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::HandedOff))
    ));
    assert_eq!(chat.outcome.state, handed_off, "refusals change nothing");
    // Asking again changes nothing: nothing to store, nothing to send again.
    chat.say(Input::Action(Action::Handoff)).expect("again");
    assert_eq!(chat.outcome.state, handed_off);
    chat.say(Input::Action(Action::Back)).expect("back");
    assert!(!chat.outcome.state.handoff.handed_off);
    assert_eq!(chat.outcome.state.events, before.events);
    chat.say(Input::Action(Action::Handoff))
        .expect("handed off");
    chat.say(Input::Action(Action::Restart)).expect("restart");
    assert!(!chat.outcome.state.handoff.handed_off);
    assert!(chat.outcome.state.events.is_empty());
}

#[test]
fn the_second_dead_end_offers_a_person() {
    let mut chat = Chat::new("en");
    chat.answer("protection", &["rain", "cold"])
        .expect("dead end");
    assert!(chat.outcome.evaluation.is_dead_end() && !chat.offered());
    chat.say(Input::Action(Action::Back)).expect("back");
    chat.answer("protection", &["rain", "cold"])
        .expect("dead end");
    assert!(chat.offered(), "{:?}", chat.outcome.notices);
    assert_eq!(chat.outcome.state.handoff.dead_ends, 2);
}

#[test]
fn the_second_exclusion_offers_a_person() {
    let mut chat = Chat::new("en");
    while let Some(ask) = chat.outcome.evaluation.next.clone() {
        let advisor = chat.shop.advisor("jackets").expect("jackets");
        let question = &advisor.questions[ask.question];
        let option = question.options[ask.options[0].option].id.to_string();
        let question = question.id.to_string();
        chat.answer(&question, &[&option]).expect("accepted");
    }
    for round in 1..=2 {
        let first = chat.outcome.evaluation.shortlist[0].ordinal;
        let id = chat.shop.catalog.product(first).expect("product").id();
        chat.say(Input::Action(Action::Exclude { product: id.into() }))
            .expect("excluded");
        assert_eq!(chat.offered(), round == 2, "round {round}");
    }
}

#[test]
fn the_transcript_lists_what_the_customer_said_in_order() {
    let mut chat = Chat::new("en");
    chat.answer("protection", &["wind"]).expect("accepted");
    chat.say(Input::Action(Action::Skip)).expect("skipped");
    chat.say(Input::Text("for a woman, with a hood, up to $80".into()))
        .expect("understood");
    let advisor = chat.shop.advisor("jackets").expect("jackets");
    let lines = crate::handoff::transcript(advisor, &chat.shop.catalog, &chat.outcome.state);
    let said: Vec<(u32, &str, Option<&str>)> = lines
        .iter()
        .map(|l| (l.turn, l.kind, l.said.as_deref()))
        .collect();
    assert_eq!(
        said,
        [
            (1, "answer", Some("Wind")),
            (2, "skip", None),
            (3, "answer", Some("For a woman")),
            (3, "amount", Some("price up to 80")),
            (3, "text", Some("hood")),
        ]
    );
    assert_eq!(
        lines[0].question.as_deref(),
        Some("What should it protect you from? Pick all that apply.")
    );
    assert_eq!(
        lines[3].question.as_deref(),
        Some("How much would you like to spend?")
    );
}
