//! What a customer who wants one product does at each turn: picks the offered options that fit
//! it (or "no preference", or skips), and in a dead end accepts the first repair. Shared by the
//! simulation and by the coverage check of `advisor check`, so both mean the same customer.

use crate::catalog::Product;
use crate::dialogue::{Action, Ask, Evaluation, Input, options_for};
use crate::questions::{Advisor, Question};

/// The first repair of a dead end as the input that applies it, if there is one.
pub fn relax_first(advisor: &Advisor, evaluation: &Evaluation) -> Option<Input> {
    let repair = evaluation.repairs.first()?;
    let drop = repair
        .drop
        .iter()
        .map(|i| evaluation.constraints[*i].source.key(advisor))
        .collect();
    Some(Input::Action(Action::Relax { drop }))
}

/// The indexes of the options on offer.
pub fn offered(ask: &Ask) -> Vec<usize> {
    ask.options.iter().map(|o| o.option).collect()
}

/// The offered options that fit the product.
pub fn truthful(question: &Question, offered: &[usize], product: &Product) -> Vec<usize> {
    options_for(question, product)
        .into_iter()
        .filter(|o| offered.contains(o))
        .collect()
}

/// "No preference" when nothing was chosen and it is on offer.
pub fn or_no_preference(question: &Question, offered: &[usize], chosen: Vec<usize>) -> Vec<usize> {
    if !chosen.is_empty() {
        return chosen;
    }
    offered
        .iter()
        .find(|o| question.options[**o].effect.is_no_preference())
        .map(|any| vec![*any])
        .unwrap_or_default()
}

/// The click for the chosen options: an answer, or a skip when nothing was chosen.
pub fn click(question: &Question, chosen: &[usize]) -> Input {
    if chosen.is_empty() {
        Input::Action(Action::Skip)
    } else {
        Input::Answer {
            question: question.id.to_string(),
            values: chosen
                .iter()
                .map(|o| question.options[*o].id.to_string())
                .collect(),
        }
    }
}
