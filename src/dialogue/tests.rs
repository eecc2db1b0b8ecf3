//! Transcripts of conversations with the shipped jacket advisor, step by step.

use super::*;
use crate::ids::Locale;
use crate::shop::{Paths, Shop};

struct Transcript {
    shop: Shop,
    outcome: Outcome,
}

impl Transcript {
    fn jackets() -> Self {
        let (shop, problems) = Shop::load(&Paths::default());
        let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
        let advisor = shop.advisor("jackets").expect("jackets advisor").clone();
        let locale = Locale::parse("en").expect("locale");
        let outcome = start(&advisor, &shop.catalog, locale, None).expect("start");
        Self { shop, outcome }
    }

    fn advisor(&self) -> &crate::questions::Advisor {
        self.shop.advisor("jackets").expect("jackets advisor")
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
                (product.id.to_string(), reasons)
            })
            .collect()
    }
}

fn pairs(items: &[(&str, usize)]) -> Vec<(String, usize)> {
    items.iter().map(|(id, n)| (id.to_string(), *n)).collect()
}

#[test]
fn a_woman_hiking_in_the_wind_gets_three_explained_jackets() {
    let mut chat = Transcript::jackets();
    assert_eq!(
        chat.asks(),
        (
            "who".into(),
            pairs(&[("women", 12), ("men", 11), ("any", 23)])
        )
    );

    chat.answer("who", &["women"]).expect("accepted");
    assert_eq!(chat.outcome.evaluation.candidates.len(), 12);
    assert_eq!(chat.asks().0, "where");

    chat.answer("where", &["trail"]).expect("accepted");
    assert_eq!(
        chat.asks(),
        (
            "protection".into(),
            pairs(&[("rain", 2), ("wind", 6), ("cold", 4), ("light", 3)])
        )
    );

    chat.answer("protection", &["wind"]).expect("accepted");
    assert_eq!(chat.asks().0, "season");
    chat.answer("season", &["winter"]).expect("accepted");
    chat.answer("budget", &["any"]).expect("accepted");

    assert!(chat.outcome.evaluation.is_complete());
    let shortlist = chat.shortlist();
    assert_eq!(shortlist.len(), 3);
    // Winter jackets first (they meet the soft wish), then by product id.
    assert_eq!(shortlist[0].1, ["women", "trail", "wind", "winter"]);
    assert!(shortlist.windows(2).all(|w| w[0].1.len() >= w[1].1.len()));
}

#[test]
fn rain_and_cold_together_is_explained_and_changes_nothing() {
    let mut chat = Transcript::jackets();
    chat.answer("who", &["women"]).expect("accepted");
    chat.answer("where", &["trail"]).expect("accepted");
    let before = chat.outcome.state.clone();
    chat.answer("protection", &["rain", "cold"])
        .expect("not an error");
    assert!(matches!(chat.outcome.notice, Some(Notice::NoMatch { .. })));
    assert_eq!(chat.outcome.state, before);
    assert_eq!(chat.asks().0, "protection");
}

#[test]
fn a_refused_answer_leaves_the_state_as_it_was() {
    let mut chat = Transcript::jackets();
    let before = chat.outcome.state.clone();
    let refused = chat.answer("budget", &["any"]);
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::QuestionNotAsked { .. }))
    ));
    let refused = chat.answer("who", &["aliens"]);
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::OptionNotOffered { .. }))
    ));
    assert_eq!(chat.outcome.state, before);
}

#[test]
fn back_and_restart_move_through_the_answer_log() {
    let mut chat = Transcript::jackets();
    chat.answer("who", &["men"]).expect("accepted");
    chat.answer("where", &["running"]).expect("accepted");
    chat.say(Input::Action(Action::Back)).expect("back");
    assert_eq!(chat.asks().0, "where");
    assert_eq!(chat.outcome.state.answers.len(), 1);
    assert_eq!(chat.outcome.state.turn, 3);
    chat.say(Input::Action(Action::Restart)).expect("restart");
    assert_eq!(chat.asks().0, "who");
    assert!(chat.outcome.state.answers.is_empty());
    let refused = chat.say(Input::Action(Action::Back));
    assert!(matches!(
        refused,
        Err(StepError::Rejected(InputError::ActionNotAvailable(_)))
    ));
}

#[test]
fn the_same_answers_always_give_the_same_shortlist() {
    let run = || {
        let mut chat = Transcript::jackets();
        chat.answer("who", &["any"]).expect("accepted");
        chat.answer("where", &["everyday"]).expect("accepted");
        while let Some(ask) = chat.outcome.evaluation.next.clone() {
            let question = chat.advisor().questions[ask.question].id.to_string();
            let option = chat.advisor().questions[ask.question].options[ask.options[0].option]
                .id
                .to_string();
            chat.answer(&question, &[&option]).expect("accepted");
        }
        chat.shortlist()
    };
    assert_eq!(run(), run());
}
