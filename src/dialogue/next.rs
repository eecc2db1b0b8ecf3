//! The next best action after the shortlist: of the advisor's `next_steps`, the one that applies
//! to this conversation (its `when` holds, the customer has not accepted or declined it yet, a
//! products step has something to show) and scores best (the shop's priority plus the weights of
//! the relevance answers given); ties go to the step written first.
//!
//! Pure, like the rest of the dialogue. The choice keeps the answers and context that made the
//! step eligible or relevant, so the customer can be told why they see it from what they said
//! and nothing else.

use crate::catalog::{Catalog, Condition};
use crate::ids::ProductId;
use crate::questions::{Advisor, AskIf, Kind, NextAction, NextStep};
use crate::ranking::number_of;

use super::{Evaluation, State};

/// The step proposed, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct NextStepChoice {
    /// Index into `advisor.next_steps`.
    pub step: usize,
    /// For a products step: the products to show (ordinals), in order.
    pub products: Vec<u32>,
    /// The customer's answers that made the step eligible or relevant, as (question index,
    /// option indexes), in the order they were answered.
    pub because: Vec<(usize, Vec<usize>)>,
    /// The cart value the client reported, when the step asked for a minimum.
    pub cart_value: Option<f64>,
    /// Priority plus the matching relevance weights.
    pub score: f64,
}

/// The next step to propose, or `None` when there is no shortlist or no step applies.
pub fn next_step(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    evaluation: &Evaluation,
) -> Option<NextStepChoice> {
    if !evaluation.is_complete() || evaluation.is_dead_end() || state.handoff.handed_off {
        return None;
    }
    let mut best: Option<NextStepChoice> = None;
    for (index, step) in advisor.next_steps.iter().enumerate() {
        if state.feedback.settled(&step.id) {
            continue;
        }
        let Some(choice) = consider(advisor, catalog, state, evaluation, index, step) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| choice.score > b.score) {
            best = Some(choice);
        }
    }
    best
}

fn consider(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    evaluation: &Evaluation,
    index: usize,
    step: &NextStep,
) -> Option<NextStepChoice> {
    let when = &step.when;
    let mut because = Vec::new();
    for wanted in &when.answers {
        because.push(matched(evaluation, wanted)?);
    }
    let first = evaluation
        .shortlist
        .first()
        .and_then(|r| catalog.product(r.ordinal))?;
    if when.shortlist.as_ref().is_some_and(|c| !c.matches(&first)) {
        return None;
    }
    if let Some(min) = when.min_price
        && first.price().is_none_or(|price| price < min)
    {
        return None;
    }
    let cart_value = match when.cart_value_min {
        Some(min) => Some(state.context.values.cart_value.filter(|v| *v >= min)?),
        None => None,
    };
    if !when
        .context
        .iter()
        .all(|id| state.context.rules.contains(id))
    {
        return None;
    }
    let mut score = step.priority;
    for relevance in &step.relevance {
        let found: Option<Vec<_>> = relevance
            .answers
            .iter()
            .map(|wanted| matched(evaluation, wanted))
            .collect();
        if let Some(found) = found {
            score += relevance.weight;
            because.extend(found);
        }
    }
    let products = match &step.action {
        NextAction::Products {
            filter,
            follow,
            show,
            sort_by,
        } => {
            let products = products(
                advisor, catalog, state, evaluation, filter, follow, *show, *sort_by,
            );
            if products.is_empty() {
                return None;
            }
            products
        }
        NextAction::Handoff if advisor.handoff.is_none() => return None,
        _ => Vec::new(),
    };
    Some(NextStepChoice {
        step: index,
        products,
        because: in_answer_order(evaluation, because),
        cart_value,
        score,
    })
}

/// The chosen options of `wanted.question` among `wanted.options`, if any.
fn matched(evaluation: &Evaluation, wanted: &AskIf) -> Option<(usize, Vec<usize>)> {
    let (_, chosen) = evaluation
        .answered
        .iter()
        .find(|(q, _)| *q == wanted.question)?;
    let options: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|o| wanted.options.contains(o))
        .collect();
    (!options.is_empty()).then_some((wanted.question, options))
}

/// One entry per question, merged, in the order the questions were answered.
fn in_answer_order(
    evaluation: &Evaluation,
    found: Vec<(usize, Vec<usize>)>,
) -> Vec<(usize, Vec<usize>)> {
    evaluation
        .answered
        .iter()
        .filter_map(|(question, chosen)| {
            let options: Vec<usize> = chosen
                .iter()
                .copied()
                .filter(|o| found.iter().any(|(q, os)| q == question && os.contains(o)))
                .collect();
            (!options.is_empty()).then_some((*question, options))
        })
        .collect()
}

/// Listed products meeting the step's filter and the followed answers' hard wishes, not on the
/// shortlist, not in the cart, one per product group; highest `sort_by` first, then by id.
#[allow(clippy::too_many_arguments)]
fn products(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    evaluation: &Evaluation,
    filter: &Condition,
    follow: &[usize],
    show: usize,
    sort_by: Option<crate::catalog::NumberRef>,
) -> Vec<u32> {
    let mut all = vec![Condition::Listed, filter.clone()];
    all.extend(
        follow
            .iter()
            .filter_map(|q| followed(advisor, evaluation, *q)),
    );
    let found = catalog.select(&Condition::All(all));
    let carted: Vec<&ProductId> = state.feedback.carted.iter().collect();
    // One pass keeping the best `show` products of distinct groups, instead of sorting every
    // match: a step's filter can match a good part of a large catalogue.
    let mut best: Vec<Pick<'_>> = Vec::with_capacity(show + 1);
    let candidates = found
        .iter()
        .filter(|o| evaluation.shortlist.iter().all(|r| r.ordinal != *o))
        .filter_map(|o| catalog.product(o))
        .filter(|p| !carted.iter().any(|c| c.as_str() == p.id()));
    for product in candidates {
        let pick = Pick {
            value: sort_by.and_then(|n| number_of(&product, n)),
            group: product.group(),
            product,
        };
        if best.len() == show && best.last().is_some_and(|last| !pick.before(last)) {
            continue;
        }
        if let Some(same) = pick
            .group
            .and_then(|g| best.iter().position(|b| b.group == Some(g)))
        {
            if !pick.before(&best[same]) {
                continue;
            }
            best.remove(same);
        }
        let at = best.partition_point(|b| b.before(&pick));
        best.insert(at, pick);
        best.truncate(show);
    }
    best.into_iter().map(|pick| pick.product.ordinal).collect()
}

/// A candidate of a products step with what orders it: highest `sort_by` first, then by id.
struct Pick<'a> {
    value: Option<f64>,
    group: Option<u32>,
    product: crate::catalog::Product<'a>,
}

impl Pick<'_> {
    /// Whether this one comes first (a product without the number comes after those with it).
    fn before(&self, other: &Pick<'_>) -> bool {
        let by_value = match (self.value, other.value) {
            (Some(a), Some(b)) => b.partial_cmp(&a).unwrap_or(std::cmp::Ordering::Equal),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_value
            .then_with(|| self.product.id().cmp(other.product.id()))
            .is_lt()
    }
}

/// The hard wishes of the answer to a followed question, as one condition.
fn followed(advisor: &Advisor, evaluation: &Evaluation, question: usize) -> Option<Condition> {
    let (_, chosen) = evaluation.answered.iter().find(|(q, _)| *q == question)?;
    let definition = &advisor.questions[question];
    let hard: Vec<Condition> = chosen
        .iter()
        .filter_map(|o| definition.options[*o].effect.hard.clone())
        .collect();
    if hard.is_empty() {
        return None;
    }
    let any =
        definition.kind == Kind::Single || definition.combine == crate::questions::Combine::Any;
    Some(if any {
        Condition::Any(hard)
    } else {
        Condition::All(hard)
    })
}
