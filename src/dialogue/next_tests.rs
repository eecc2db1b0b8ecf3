//! Transcripts of the next step after the shortlist, on the shipped advisors.

use super::{NextStepChoice, next_step};
use crate::dialogue::{Input, Outcome, start, step};
use crate::ids::{Locale, ProductId};
use crate::questions::Advisor;
use crate::shop::{Paths, Shop};

struct Chat {
    shop: Shop,
    advisor: Advisor,
    outcome: Outcome,
}

impl Chat {
    fn with(advisor: &str) -> Self {
        let (shop, problems) = Shop::load(&Paths::default());
        let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
        let advisor = shop.advisor(advisor).expect("advisor").clone();
        let locale = Locale::parse("en").expect("locale");
        let outcome = start(&advisor, &shop.catalog, locale, None).expect("start");
        Self {
            shop,
            advisor,
            outcome,
        }
    }

    fn answer(&mut self, question: &str, values: &[&str]) {
        let input = Input::Answer {
            question: question.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        self.outcome = step(
            &self.advisor,
            &self.shop.catalog,
            &self.outcome.state,
            input,
        )
        .unwrap_or_else(|e| panic!("{question} {values:?}: {e:?}"));
    }

    /// Answers what is asked with these wishes, else with the last option on offer ("no
    /// preference"), until the end.
    fn finish(&mut self, wishes: &[(&str, &[&str])]) {
        while let Some(ask) = self.outcome.evaluation.next.clone() {
            let question = &self.advisor.questions[ask.question];
            let id = question.id.to_string();
            match wishes.iter().find(|(q, _)| *q == id) {
                Some((_, values)) => self.answer(&id, values),
                None => {
                    let last = ask.options.last().expect("options").option;
                    let option = question.options[last].id.to_string();
                    self.answer(&id, &[&option]);
                }
            }
        }
    }

    fn choice(&self) -> Option<NextStepChoice> {
        next_step(
            &self.advisor,
            &self.shop.catalog,
            &self.outcome.state,
            &self.outcome.evaluation,
        )
    }

    /// The id of the step proposed now.
    fn proposed(&self) -> Option<String> {
        self.choice()
            .map(|c| self.advisor.next_steps[c.step].id.clone())
    }

    /// (question, options) of the answers the choice gives as its reasons.
    fn because(&self) -> Vec<(String, Vec<String>)> {
        let choice = self.choice().expect("a step");
        choice
            .because
            .iter()
            .map(|(q, options)| {
                let question = &self.advisor.questions[*q];
                let ids = options.iter().map(|o| question.options[*o].id.to_string());
                (question.id.to_string(), ids.collect())
            })
            .collect()
    }
}

const WOMAN_WIND_TRAIL: &[(&str, &[&str])] = &[
    ("who", &["women"]),
    ("protection", &["wind"]),
    ("where", &["trail"]),
];

#[test]
fn nothing_is_proposed_before_the_shortlist() {
    let chat = Chat::with("jackets");
    assert_eq!(chat.proposed(), None);
}

#[test]
fn a_womans_wind_jacket_for_the_trail_proposes_womens_weather_pants() {
    let mut chat = Chat::with("jackets");
    chat.finish(WOMAN_WIND_TRAIL);
    assert!(chat.outcome.evaluation.is_complete());
    assert_eq!(chat.proposed().as_deref(), Some("weather_pants"));
    let choice = chat.choice().expect("a step");
    assert!(!choice.products.is_empty());
    let gender = chat.shop.catalog.facet("gender").expect("facet");
    for ordinal in &choice.products {
        let product = chat.shop.catalog.product(*ordinal).expect("product");
        assert!(product.has(gender, "Women"), "{}", product.title());
        assert!(
            chat.outcome
                .evaluation
                .shortlist
                .iter()
                .all(|r| r.ordinal != *ordinal)
        );
    }
    // The best rated first, ties by id, one per product group: as a full sort would pick them
    // (the step keeps only the best few in one pass).
    let crate::questions::NextAction::Products {
        sort_by: Some(rating),
        ..
    } = chat.advisor.next_steps[choice.step].action
    else {
        panic!("a products step sorted by rating");
    };
    let key = |o: &u32| {
        let product = chat.shop.catalog.product(*o).expect("product");
        let value = crate::ranking::number_of(&product, rating).unwrap_or(-1.0);
        (
            std::cmp::Reverse((value * 1000.0) as i64),
            product.id().to_string(),
        )
    };
    let mut sorted = choice.products.clone();
    sorted.sort_by_key(key);
    assert_eq!(choice.products, sorted);
    let groups: Vec<_> = choice
        .products
        .iter()
        .filter_map(|o| chat.shop.catalog.product(*o)?.group())
        .collect();
    let mut distinct = groups.clone();
    distinct.dedup();
    assert_eq!(groups.len(), distinct.len());
    // Why: the customer's own answers that made it eligible and relevant, nothing else.
    assert_eq!(
        chat.because(),
        [
            ("protection".to_string(), vec!["wind".to_string()]),
            ("where".to_string(), vec!["trail".to_string()]),
        ]
    );
    assert_eq!(choice.score, 5.0);
}

#[test]
fn a_declined_step_is_not_proposed_again_and_the_next_best_one_is() {
    let mut chat = Chat::with("jackets");
    chat.finish(WOMAN_WIND_TRAIL);
    chat.outcome
        .state
        .feedback
        .rejected
        .push("weather_pants".into());
    let next = chat.proposed().expect("another step");
    assert_ne!(next, "weather_pants");
    chat.outcome.state.feedback.accepted.push(next.clone());
    let after = chat.proposed();
    assert!(after.as_deref() != Some(next.as_str()) && after.as_deref() != Some("weather_pants"));
}

#[test]
fn carted_products_are_not_proposed() {
    let mut chat = Chat::with("jackets");
    chat.finish(WOMAN_WIND_TRAIL);
    let first = chat.choice().expect("a step").products;
    let id = chat.shop.catalog.product(first[0]).expect("product").id();
    let carted = ProductId::parse(id).expect("id");
    chat.outcome.state.feedback.carted.push(carted);
    if let Some(choice) = chat.choice().filter(|c| !c.products.is_empty()) {
        assert!(!choice.products.contains(&first[0]));
    }
}

#[test]
fn a_premium_shortlist_proposes_a_person_and_a_full_cart_too() {
    let mut chat = Chat::with("jackets");
    chat.finish(&[("budget", &["over_70"])]);
    let first = chat.outcome.evaluation.shortlist[0].ordinal;
    let price = chat.shop.catalog.product(first).expect("product").price();
    assert!(price.is_some_and(|p| p >= 70.0), "{price:?}");
    assert_eq!(chat.proposed().as_deref(), Some("person_premium"));
    assert_eq!(
        chat.because(),
        [("budget".to_string(), vec!["over_70".to_string()])]
    );
    chat.outcome.state.context.values.cart_value = Some(200.0);
    assert_eq!(chat.proposed().as_deref(), Some("person_full_cart"));
    assert_eq!(chat.choice().expect("a step").cart_value, Some(200.0));
}

#[test]
fn without_answers_that_fit_the_size_guide_is_left() {
    let mut chat = Chat::with("jackets");
    chat.finish(&[("budget", &["under_50"])]);
    assert_eq!(chat.proposed().as_deref(), Some("size_guide"));
    assert!(chat.because().is_empty());
}

#[test]
fn a_handed_off_conversation_gets_no_next_step() {
    let mut chat = Chat::with("jackets");
    chat.finish(&[]);
    assert!(chat.proposed().is_some());
    chat.outcome.state.handoff.handed_off = true;
    assert_eq!(chat.proposed(), None);
}
