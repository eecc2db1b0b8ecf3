//! Amounts in free text as wishes: each becomes a range on the number it names (the price for a
//! currency, a catalogue number for its unit), answering the question that asks for that number;
//! contradicting amounts and a budget below every product in scope are said, not hidden.

use super::replay::scope_values;
use super::step::record;
use super::{AmountRange, Evaluation, Event, Notice, State, Understanding};
use crate::catalog::{Catalog, Condition, NumberRef, PRICE};
use crate::language::{Amount, Bound, Found, Unit};
use crate::questions::Advisor;

/// Turns the text's amounts into ranges on the numbers they name, each answering the question
/// that asks for that number; says when they contradict or fall below every product.
pub(super) fn read(
    advisor: &Advisor,
    catalog: &Catalog,
    found: &Found,
    current: &Evaluation,
    next: &mut State,
    understood: &mut Understanding,
    notices: &mut Vec<Notice>,
) {
    let asked_number = current
        .next
        .as_ref()
        .and_then(|ask| range_number(advisor, catalog, ask.question));
    let mut ranges: Vec<AmountRange> = Vec::new();
    for amount in &found.amounts {
        let Some(number) = number_of(catalog, amount, asked_number.as_ref()) else {
            continue;
        };
        match ranges.iter_mut().find(|r| r.number == number) {
            Some(range) => {
                range.min = higher(range.min, amount.min);
                range.max = lower(range.max, amount.max);
            }
            None => ranges.push(AmountRange {
                number,
                min: amount.min,
                max: amount.max,
            }),
        }
    }
    for range in ranges {
        if range.min.zip(range.max).is_some_and(|(min, max)| min > max) {
            notices.push(Notice::AmountConflict);
            continue;
        }
        let Some(number_ref) = catalog.number(&range.number) else {
            continue;
        };
        let question = advisor
            .questions
            .iter()
            .enumerate()
            .find(|(index, _)| {
                range_number(advisor, catalog, *index).as_deref() == Some(range.number.as_str())
            })
            .map(|(_, question)| question.id.clone());
        // An amount replaces an earlier one on the same number and the question's answer,
        // also one the same text named ("my budget is $45": the amount, not "Budget").
        if let Some(id) = &question {
            understood
                .answers
                .retain(|(q, _)| advisor.questions[*q].id != *id);
        }
        next.events.retain(|entry| match &entry.event {
            Event::Amount { number, .. } => *number != range.number,
            Event::Answer { question: q, .. } | Event::Skip { question: q } => {
                Some(q) != question.as_ref()
            }
            _ => true,
        });
        if let Some(cheapest) = lowest(catalog, &advisor.scope, number_ref)
            && range.max.is_some_and(|max| max < cheapest)
        {
            notices.push(Notice::BelowCheapest {
                number: range.number.clone(),
                cheapest,
            });
        }
        record(
            next,
            Event::Amount {
                number: range.number.clone(),
                min: range.min,
                max: range.max,
                question,
            },
        );
        understood.amounts.push(range);
    }
}

/// The number an amount is about: the price for a currency, the number whose unit it names,
/// the price for a bounded plain number ("up to 3,000"), and a bare plain number ("80") only
/// when the question on offer asks for a number.
fn number_of(catalog: &Catalog, amount: &Amount, asked: Option<&String>) -> Option<String> {
    match &amount.unit {
        Unit::Currency => Some(PRICE.to_string()),
        Unit::Word(unit) => catalog
            .config()
            .numbers
            .iter()
            .find(|n| {
                n.units
                    .iter()
                    .any(|u| crate::language::normalise(u) == *unit)
            })
            .map(|n| n.name.clone()),
        Unit::None if amount.bound != Bound::Bare => {
            Some(asked.cloned().unwrap_or_else(|| PRICE.to_string()))
        }
        Unit::None => asked.cloned(),
    }
}

/// The number a question's options set ranges on, if it is such a question.
fn range_number(advisor: &Advisor, catalog: &Catalog, question: usize) -> Option<String> {
    advisor.questions[question]
        .options
        .iter()
        .find_map(|option| match &option.effect.hard {
            Some(Condition::All(parts)) => parts.iter().find_map(|part| match part {
                Condition::Range { number, .. } => Some(*number),
                _ => None,
            }),
            _ => None,
        })
        .map(|number| match number {
            NumberRef::Price => PRICE.to_string(),
            NumberRef::Number(index) => catalog
                .config()
                .numbers
                .get(index)
                .map_or_else(String::new, |n| n.name.clone()),
        })
        .filter(|name| !name.is_empty())
}

/// The lowest value of a number among the products in scope.
fn lowest(catalog: &Catalog, scope: &Condition, number: NumberRef) -> Option<f64> {
    scope_values(catalog, scope, number)
        .into_iter()
        .min_by(f64::total_cmp)
}

fn higher(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn lower(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
