//! Which question to ask next: among those that may be asked now (not answered, `ask_if`
//! holding, splitting the live candidates or marked `always_ask`), the highest `priority`, then
//! the one expected to leave the fewest candidates, then editor order. Advisors with
//! `order: fixed` ask in editor order.
//!
//! The expected split models the customer as the products themselves: each candidate would pick
//! the option(s) it meets (or "no preference"), and the question's value is how far that answer
//! would narrow the candidates, averaged over all of them (expected information, in bits).

use std::collections::HashMap;

use super::evaluate::{Ask, OfferedOption};
use crate::catalog::Product;
use crate::questions::{Advisor, Combine, Kind, Order, Question};

/// Scores closer than this count as a tie (then editor order decides).
const TIE: f64 = 1e-9;

/// The next question, or `None` when it is time to recommend.
pub(super) fn next_question(
    advisor: &Advisor,
    products: &[&Product],
    answered: &[(usize, Vec<usize>)],
) -> Option<Ask> {
    let enough_asked = advisor
        .stop
        .max_questions
        .is_some_and(|max| answered.len() >= max);
    let stopped = products.len() <= advisor.stop.max_candidates || enough_asked;
    let mut best: Option<(i32, f64, Ask)> = None;
    for (index, question) in advisor.questions.iter().enumerate() {
        if answered.iter().any(|(q, _)| *q == index)
            || !(ask_if_holds(advisor, index, answered) || ask_if_implied(advisor, index, products))
        {
            continue;
        }
        if stopped && !question.always_ask {
            continue;
        }
        let ask = offer(advisor, index, products);
        let real_offered = ask
            .options
            .iter()
            .filter(|o| !question.options[o.option].effect.is_no_preference())
            .count();
        let splits = ask.options.iter().any(|offered| {
            !question.options[offered.option].effect.is_no_preference()
                && offered.count < products.len()
        });
        if real_offered == 0 || !(splits || question.always_ask) {
            continue;
        }
        if advisor.order == Order::Fixed {
            return Some(ask);
        }
        let gain = information(question, products);
        let better = match &best {
            None => true,
            Some((priority, score, _)) => {
                question.priority > *priority
                    || (question.priority == *priority && gain > *score + TIE)
            }
        };
        if better {
            best = Some((question.priority, gain, ask));
        }
    }
    best.map(|(_, _, ask)| ask)
}

/// A question with every option that leaves some candidates, and their counts.
pub(super) fn offer(advisor: &Advisor, index: usize, products: &[&Product]) -> Ask {
    let question = &advisor.questions[index];
    let total = products.len();
    let options = question
        .options
        .iter()
        .enumerate()
        .map(|(option, answer)| OfferedOption {
            option,
            count: if answer.effect.is_no_preference() {
                total
            } else {
                products.iter().filter(|p| answer.effect.matches(p)).count()
            },
        })
        .filter(|offered| offered.count > 0)
        .collect();
    Ask {
        question: index,
        options,
    }
}

/// The options a customer wanting `product` would choose: for a single choice the first option
/// it meets, for a multiple choice every option it meets; none means "no preference".
pub fn options_for(question: &Question, product: &Product) -> Vec<usize> {
    let mut meets = question
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| !o.effect.is_no_preference() && o.effect.matches(product))
        .map(|(i, _)| i);
    match question.kind {
        Kind::Single => meets.next().into_iter().collect(),
        Kind::Multiple => meets.collect(),
    }
}

/// Expected information of asking `question` over `products`, in bits: how far the answer is
/// expected to narrow the candidates (preferences count as no narrowing).
fn information(question: &Question, products: &[&Product]) -> f64 {
    let total = products.len();
    if total <= 1 {
        return 0.0;
    }
    let mut choices: HashMap<Vec<usize>, usize> = HashMap::new();
    for product in products {
        *choices.entry(options_for(question, product)).or_default() += 1;
    }
    let mut expected_log = 0.0;
    for (options, customers) in &choices {
        let left = if options.is_empty() {
            total
        } else {
            products
                .iter()
                .filter(|p| {
                    // Preferences reorder but do not narrow: only filters count here.
                    let mut meets = options.iter().map(|o| {
                        question.options[*o]
                            .effect
                            .hard
                            .as_ref()
                            .is_none_or(|c| c.matches(p))
                    });
                    match question.combine {
                        Combine::All => meets.all(|m| m),
                        Combine::Any => meets.any(|m| m),
                    }
                })
                .count()
                .max(1)
        };
        expected_log += (*customers as f64 / total as f64) * (left as f64).log2();
    }
    (total as f64).log2() - expected_log
}

/// An `ask_if` on a question that was never asked because every candidate already meets one of
/// its options (after "under $20", every candidate is fitness gear) holds too.
fn ask_if_implied(advisor: &Advisor, question: usize, products: &[&Product]) -> bool {
    let Some(rule) = &advisor.questions[question].ask_if else {
        return true;
    };
    let parent = &advisor.questions[rule.question];
    !products.is_empty()
        && products.iter().all(|p| {
            rule.options.iter().any(|o| {
                let effect = &parent.options[*o].effect;
                !effect.is_no_preference() && effect.matches(p)
            })
        })
}

/// Whether an answer to `question` no longer applies: the question its `ask_if` refers to was
/// answered with other options. (Unanswered, skipped or "no preference" does not contradict: the
/// question may have been asked because every candidate met the condition anyway.)
pub(super) fn ask_if_contradicted(
    advisor: &Advisor,
    question: usize,
    answered: &[(usize, Vec<usize>)],
) -> bool {
    let Some(rule) = &advisor.questions[question].ask_if else {
        return false;
    };
    let parent = &advisor.questions[rule.question];
    answered.iter().any(|(q, options)| {
        *q == rule.question
            && options
                .iter()
                .any(|o| !parent.options[*o].effect.is_no_preference())
            && !options.iter().any(|o| rule.options.contains(o))
    })
}

fn ask_if_holds(advisor: &Advisor, question: usize, answered: &[(usize, Vec<usize>)]) -> bool {
    let Some(rule) = &advisor.questions[question].ask_if else {
        return true;
    };
    answered
        .iter()
        .any(|(q, options)| *q == rule.question && options.iter().any(|o| rule.options.contains(o)))
}
