//! Which question to ask next: among those that may be asked now (not answered, `ask_if`
//! holding, splitting the live candidates or marked `always_ask`), the highest `priority`, then
//! a `role: usage` question that narrows (what for, where, against what, as a shop assistant
//! asks first), then the one expected to leave the fewest candidates, then editor order. Advisors with
//! `order: fixed` ask in editor order.
//!
//! The expected split models the customer as the products themselves: each candidate would pick
//! the option(s) it meets (or "no preference"), and the question's value is how far that answer
//! would narrow the candidates, averaged over all of them (expected information, in bits).
//!
//! Everything is counted with product sets (see `catalog::Catalog::select`): a count is one
//! intersection, whatever the number of candidates.

use roaring::RoaringBitmap;

use super::evaluate::{Ask, OfferedOption};
use crate::catalog::{Catalog, Condition, Product};
use crate::questions::{Advisor, Combine, Kind, Order, Question};

/// Scores closer than this count as a tie (then editor order decides).
const TIE: f64 = 1e-9;

/// The next question, or `None` when it is time to recommend.
pub(super) fn next_question(
    advisor: &Advisor,
    catalog: &Catalog,
    candidates: &RoaringBitmap,
    answered: &[(usize, Vec<usize>)],
) -> Option<Ask> {
    let total = candidates.len() as usize;
    let enough_asked = advisor
        .stop
        .max_questions
        .is_some_and(|max| answered.len() >= max);
    let stopped = total <= advisor.stop.max_candidates || enough_asked;
    let mut best: Option<((i32, i32), f64, Ask)> = None;
    for (index, question) in advisor.questions.iter().enumerate() {
        if answered.iter().any(|(q, _)| *q == index)
            || !(ask_if_holds(advisor, index, answered)
                || ask_if_implied(advisor, catalog, index, candidates))
        {
            continue;
        }
        if stopped && !question.always_ask {
            continue;
        }
        let ask = offer(advisor, catalog, index, candidates);
        let real_offered = ask
            .options
            .iter()
            .filter(|o| !question.options[o.option].effect.is_no_preference())
            .count();
        let splits = ask.options.iter().any(|offered| {
            !question.options[offered.option].effect.is_no_preference() && offered.count < total
        });
        if real_offered == 0 || !(splits || question.always_ask) {
            continue;
        }
        if advisor.order == Order::Fixed {
            return Some(ask);
        }
        let gain = information(question, catalog, candidates);
        // Higher priority first, then a usage question that narrows the candidates (one that
        // only prefers waits like any other: it would add a question that removes nothing).
        let usage_first = question.role.rank() == 0 && gain > TIE;
        let rank = (question.priority, i32::from(usage_first));
        let better = match &best {
            None => true,
            Some((best_rank, score, _)) => {
                rank > *best_rank || (rank == *best_rank && gain > *score + TIE)
            }
        };
        if better {
            best = Some((rank, gain, ask));
        }
    }
    best.map(|(_, _, ask)| ask)
}

/// A question with every option that leaves some candidates, and their counts.
pub(super) fn offer(
    advisor: &Advisor,
    catalog: &Catalog,
    index: usize,
    candidates: &RoaringBitmap,
) -> Ask {
    let question = &advisor.questions[index];
    let total = candidates.len() as usize;
    let options = question
        .options
        .iter()
        .enumerate()
        .map(|(option, answer)| OfferedOption {
            option,
            count: match answer.effect.condition() {
                None => total,
                Some(condition) => {
                    candidates.intersection_len(&catalog.select(&condition)) as usize
                }
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
pub fn options_for(question: &Question, product: &Product<'_>) -> Vec<usize> {
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

/// Expected information of asking `question` over the candidates, in bits: how far the answer
/// is expected to narrow them (preferences count as no narrowing).
fn information(question: &Question, catalog: &Catalog, candidates: &RoaringBitmap) -> f64 {
    let total = candidates.len() as usize;
    if total <= 1 {
        return 0.0;
    }
    if question.kind == Kind::Single {
        return single_information(question, catalog, candidates);
    }
    // The candidates split by the options they would pick: every option they meet.
    let mut groups: Vec<(Vec<usize>, RoaringBitmap)> = vec![(Vec::new(), candidates.clone())];
    for (index, option) in question.options.iter().enumerate() {
        let Some(condition) = option.effect.condition() else {
            continue;
        };
        let meets = catalog.select(&condition);
        let mut next = Vec::with_capacity(groups.len() * 2);
        for (options, group) in groups {
            if question.kind == Kind::Single && !options.is_empty() {
                next.push((options, group));
                continue;
            }
            let inside = &group & &*meets;
            if inside.is_empty() {
                next.push((options, group));
                continue;
            }
            let outside = group - &inside;
            let mut with = options.clone();
            with.push(index);
            next.push((with, inside));
            if !outside.is_empty() {
                next.push((options, outside));
            }
        }
        groups = next;
    }
    let mut expected_log = 0.0;
    for (options, customers) in &groups {
        let left = if options.is_empty() {
            total
        } else {
            // Preferences reorder but do not narrow: only filters count here.
            let hard: Vec<Condition> = options
                .iter()
                .filter_map(|o| question.options[*o].effect.hard.clone())
                .collect();
            if hard.len() < options.len() && question.combine == Combine::Any || hard.is_empty() {
                total
            } else {
                let condition = match question.combine {
                    Combine::All => Condition::All(hard),
                    Combine::Any => Condition::Any(hard),
                };
                (candidates.intersection_len(&catalog.select(&condition)) as usize).max(1)
            }
        };
        expected_log += (customers.len() as f64 / total as f64) * (left as f64).log2();
    }
    (total as f64).log2() - expected_log
}

/// [`information`] for a single choice, where each candidate picks the first option it meets:
/// counts only, no sets built but the shrinking rest.
fn single_information(question: &Question, catalog: &Catalog, candidates: &RoaringBitmap) -> f64 {
    let total = candidates.len() as f64;
    let mut rest = candidates.clone();
    let mut expected_log = 0.0;
    for option in &question.options {
        let Some(condition) = option.effect.condition() else {
            continue;
        };
        let meets = catalog.select(&condition);
        let customers = rest.intersection_len(&meets) as f64;
        if customers == 0.0 {
            continue;
        }
        rest -= &*meets;
        // Preferences reorder but do not narrow: only filters count here.
        let left = match &option.effect.hard {
            None => total,
            Some(hard) => (candidates.intersection_len(&catalog.select(hard)) as f64).max(1.0),
        };
        expected_log += customers / total * left.log2();
    }
    expected_log += rest.len() as f64 / total * total.log2();
    total.log2() - expected_log
}

/// An `ask_if` on a question that was never asked because every candidate already meets one of
/// its options (after "under $20", every candidate is fitness gear) holds too.
fn ask_if_implied(
    advisor: &Advisor,
    catalog: &Catalog,
    question: usize,
    candidates: &RoaringBitmap,
) -> bool {
    let Some(rule) = &advisor.questions[question].ask_if else {
        return true;
    };
    let parent = &advisor.questions[rule.question];
    let conditions: Vec<Condition> = rule
        .options
        .iter()
        .filter_map(|o| parent.options[*o].effect.condition())
        .collect();
    !candidates.is_empty() && candidates.is_subset(&catalog.select(&Condition::Any(conditions)))
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
