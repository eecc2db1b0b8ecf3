//! The editors' safety net: every answer path of every shipped advisor ends in a non-empty,
//! explained shortlist that renders in every locale.

use advisor::dialogue::{self, Input, Notice, Outcome};
use advisor::questions::{Advisor, Kind};
use advisor::render;
use advisor::shop::Shop;

use crate::helpers::shop;

#[test]
fn every_answer_path_of_every_advisor_ends_in_a_shortlist() {
    let shop = shop();
    for advisor in &shop.advisors {
        let locale = advisor.default_locale().clone();
        let start = dialogue::start(advisor, &shop.catalog, locale, None).expect("start");
        let mut paths = 0;
        walk(&shop, advisor, start, &mut paths);
        assert!(paths > 1, "{}: {paths} paths", advisor.id);
        println!(
            "{}: {paths} answer paths, all end in a shortlist",
            advisor.id
        );
    }
}

fn walk(shop: &Shop, advisor: &Advisor, outcome: Outcome, paths: &mut usize) {
    for locale in &advisor.locales {
        let mut localized = outcome.clone();
        localized.state.locale = locale.clone();
        render::compose(advisor, &shop.catalog, &shop.renderer, &localized)
            .expect("every reply renders");
    }
    let Some(ask) = outcome.evaluation.next.clone() else {
        *paths += 1;
        let shortlist = &outcome.evaluation.shortlist;
        assert!(
            !shortlist.is_empty(),
            "{}: empty shortlist after {:?}",
            advisor.id,
            outcome.state.events
        );
        assert!(shortlist.len() <= advisor.shortlist_size);
        for recommendation in shortlist {
            // Full matches are candidates; close alternatives say what they miss.
            assert_eq!(
                recommendation.misses.is_empty(),
                outcome
                    .evaluation
                    .candidates
                    .contains(recommendation.ordinal)
            );
        }
        if outcome.evaluation.is_dead_end() {
            assert!(
                !outcome.evaluation.repairs.is_empty(),
                "{}: a dead end without repairs after {:?}",
                advisor.id,
                outcome.state.events
            );
        }
        return;
    };
    let question = &advisor.questions[ask.question];
    let mut choices: Vec<Vec<usize>> = ask.options.iter().map(|o| vec![o.option]).collect();
    if question.kind == Kind::Multiple {
        for (i, a) in ask.options.iter().enumerate() {
            for b in &ask.options[i + 1..] {
                let both_real = [a, b]
                    .iter()
                    .all(|o| !question.options[o.option].effect.is_no_preference());
                if both_real {
                    choices.push(vec![a.option, b.option]);
                }
            }
        }
    }
    for choice in choices {
        let input = Input::Answer {
            question: question.id.to_string(),
            values: choice
                .iter()
                .map(|o| question.options[*o].id.to_string())
                .collect(),
        };
        let next = dialogue::step(advisor, &shop.catalog, &outcome.state, input)
            .expect("offered options are accepted");
        if next.evaluation.is_dead_end() {
            assert!(
                next.notices
                    .iter()
                    .any(|n| matches!(n, Notice::NoMatch { .. })),
                "only a combination of options can leave nothing"
            );
        }
        assert!(
            next.evaluation.candidates.len() <= outcome.evaluation.candidates.len(),
            "answers never add candidates"
        );
        walk(shop, advisor, next, paths);
    }
}
