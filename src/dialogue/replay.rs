//! Replaying a conversation's event log into the wishes in force: hard constraints with their
//! sources (answers, free-text wishes, critiques), fixed conditions (scope, exclusions) and soft
//! preferences.

use super::evaluate::{Constraint, Source};
use super::{Event, State, choose};
use crate::catalog::{Catalog, Condition, IndexError, NumberRef};
use crate::questions::{Advisor, Combine, CritiqueKind, Direction, Effect};
use crate::ranking::Preference;

/// Weight of a preference set by a critique: stronger than any single answer.
const CRITIQUE_WEIGHT: f64 = 10.0;
/// Weight of free-text words the catalogue knows: like one answer's preference.
const WISH_WEIGHT: f64 = 1.0;
/// Weight against products with negated words or a negated preference.
const AVOID_WEIGHT: f64 = -2.0;
/// Weight of a comparative before any shortlist ("something cheaper").
const LEAN_WEIGHT: f64 = 2.0;

/// The wishes of a state, replayed from its events.
pub(super) struct Wishes {
    pub(super) answered: Vec<(usize, Vec<usize>)>,
    pub(super) constraints: Vec<Constraint>,
    /// Conditions that are never dropped: the scope and excluded products.
    pub(super) fixed: Vec<Condition>,
    pub(super) preferences: Vec<Preference>,
    pub(super) stale: Vec<usize>,
    pub(super) similar_to: Option<u32>,
    /// Negated options (question, option): not offered again.
    pub(super) avoided: Vec<(usize, usize)>,
    /// A critique, exclusion or "similar" was given: no more questions.
    pub(super) refining: bool,
}

impl Wishes {
    /// Every hard condition, optionally without some constraints.
    pub(super) fn condition(&self, without: &[usize]) -> Condition {
        Condition::All(
            self.fixed
                .iter()
                .cloned()
                .chain(
                    self.constraints
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !without.contains(i))
                        .map(|(_, c)| c.condition.clone()),
                )
                .collect(),
        )
    }
}

/// The condition of a numeric critique with its bound.
pub(super) fn critique_range(number: NumberRef, direction: Direction, bound: f64) -> Condition {
    match direction {
        Direction::Lower => Condition::Range {
            number,
            min: None,
            max: Some(bound),
        },
        Direction::Higher => Condition::Range {
            number,
            min: Some(bound.next_up()),
            max: None,
        },
    }
}

/// Replays the event log into the wishes in force.
pub(super) fn replay(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
) -> Result<Wishes, IndexError> {
    let mut wishes = Wishes {
        answered: Vec::new(),
        constraints: Vec::new(),
        fixed: vec![advisor.scope.clone()],
        preferences: Vec::new(),
        stale: Vec::new(),
        similar_to: None,
        avoided: Vec::new(),
        refining: false,
    };
    let mut suspended: Vec<usize> = Vec::new();
    for (position, entry) in state.events.iter().enumerate() {
        match &entry.event {
            Event::Answer { question, values } => {
                let Some((index, question)) = advisor.question(question) else {
                    continue;
                };
                if wishes.answered.iter().any(|(q, _)| *q == index) {
                    continue;
                }
                // While an answer is being changed, it and the answers that depend on it do not
                // count: the options are offered over what the other answers leave.
                let depends = question
                    .ask_if
                    .as_ref()
                    .is_some_and(|rule| suspended.contains(&rule.question));
                if state.changing.as_ref() == Some(&question.id) || depends {
                    suspended.push(index);
                    continue;
                }
                if choose::ask_if_contradicted(advisor, index, &wishes.answered) {
                    wishes.stale.push(position);
                    continue;
                }
                let options: Vec<usize> = values
                    .iter()
                    .filter_map(|value| question.option(value).map(|(i, _)| i))
                    .collect();
                add_answer(advisor, catalog, &mut wishes, index, options);
            }
            Event::Skip { question } => {
                if state.changing.as_ref() == Some(question) {
                    if let Some((index, _)) = advisor.question(question) {
                        suspended.push(index);
                    }
                    continue;
                }
                if let Some((index, _)) = advisor.question(question)
                    && !wishes.answered.iter().any(|(q, _)| *q == index)
                {
                    if !choose::ask_if_contradicted(advisor, index, &wishes.answered) {
                        wishes.answered.push((index, Vec::new()));
                    } else {
                        wishes.stale.push(position);
                    }
                }
            }
            Event::Wish { text } | Event::AvoidWords { text } => {
                let (ordinals, known) = catalog.search_text(text)?;
                if !known.is_empty() {
                    let weight = match &entry.event {
                        Event::Wish { .. } => WISH_WEIGHT,
                        _ => AVOID_WEIGHT,
                    };
                    let condition = Condition::Ordinals(ordinals);
                    wishes.preferences.push(Preference {
                        products: catalog.select(&condition),
                        condition,
                        weight,
                    });
                }
            }
            Event::Require { text } => {
                let (ordinals, known) = catalog.search_filtering_text(text)?;
                if !known.is_empty() {
                    wishes.constraints.push(Constraint {
                        source: Source::Require {
                            turn: entry.turn,
                            text: text.clone(),
                        },
                        condition: Condition::Ordinals(ordinals),
                    });
                }
            }
            Event::Amount {
                number,
                min,
                max,
                question,
            } => {
                let Some(number_ref) = catalog.number(number) else {
                    continue;
                };
                let index = question
                    .as_ref()
                    .and_then(|q| advisor.question(q))
                    .map(|(index, _)| index);
                if let Some(index) = index {
                    if wishes.answered.iter().any(|(q, _)| *q == index) {
                        continue;
                    }
                    if state.changing.as_ref() == question.as_ref() {
                        suspended.push(index);
                        continue;
                    }
                    wishes.answered.push((index, Vec::new()));
                }
                wishes.constraints.push(Constraint {
                    source: Source::Amount {
                        turn: entry.turn,
                        question: index,
                        number: number.clone(),
                        min: *min,
                        max: *max,
                    },
                    condition: Condition::Range {
                        number: number_ref,
                        min: *min,
                        max: max.map(f64::next_up),
                    },
                });
            }
            Event::Avoid { question, option } => {
                let Some((index, found)) = advisor.question(question) else {
                    continue;
                };
                let Some((option_index, option)) = found.option(option) else {
                    continue;
                };
                // Pushed down, never removed: products often serve several uses at once.
                if let Some(condition) = option.effect.condition() {
                    wishes.preferences.push(Preference {
                        products: catalog.select(&condition),
                        condition,
                        weight: AVOID_WEIGHT,
                    });
                }
                wishes.avoided.push((index, option_index));
            }
            Event::Lean { critique } => {
                let Some((_, found)) = advisor.critique(critique.as_str()) else {
                    continue;
                };
                let condition = match &found.kind {
                    CritiqueKind::Number { number, direction } => {
                        let Some(middle) = median(catalog, &advisor.scope, *number) else {
                            continue;
                        };
                        critique_range(*number, *direction, middle)
                    }
                    CritiqueKind::Effect(effect) => match effect.condition() {
                        Some(condition) => condition,
                        None => continue,
                    },
                };
                wishes.preferences.push(Preference {
                    products: catalog.select(&condition),
                    condition,
                    weight: LEAN_WEIGHT,
                });
            }
            Event::Critique { critique, bound } => {
                let Some((index, found)) = advisor.critique(critique.as_str()) else {
                    continue;
                };
                wishes.refining = true;
                let source = Source::Critique {
                    turn: entry.turn,
                    critique: index,
                };
                match (&found.kind, bound) {
                    (CritiqueKind::Number { number, direction }, Some(bound)) => {
                        wishes.constraints.push(Constraint {
                            source,
                            condition: critique_range(*number, *direction, *bound),
                        });
                    }
                    (CritiqueKind::Number { .. }, None) => {}
                    (CritiqueKind::Effect(effect), _) => {
                        if let Some(hard) = &effect.hard {
                            wishes.constraints.push(Constraint {
                                source,
                                condition: hard.clone(),
                            });
                        }
                        if let Some((condition, _)) = &effect.soft {
                            wishes.preferences.push(Preference {
                                condition: condition.clone(),
                                weight: CRITIQUE_WEIGHT,
                                products: catalog.select(condition),
                            });
                        }
                    }
                }
            }
            Event::Exclude { product } => {
                wishes.refining = true;
                if let Some(ordinal) = catalog.ordinal(product) {
                    wishes
                        .fixed
                        .push(Condition::Not(Box::new(Condition::Ordinals(vec![ordinal]))));
                }
            }
            Event::Similar { product } => {
                wishes.refining = true;
                wishes.similar_to = catalog.ordinal(product);
            }
        }
    }
    for rule in &advisor.context {
        if state.context.rules.contains(&rule.id) {
            for (condition, weight) in &rule.preferences {
                wishes.preferences.push(Preference {
                    condition: condition.clone(),
                    weight: *weight,
                    products: catalog.select(condition),
                });
            }
        }
    }
    Ok(wishes)
}

/// The values of a number over the products of `scope` that have one.
pub(super) fn scope_values(catalog: &Catalog, scope: &Condition, number: NumberRef) -> Vec<f64> {
    catalog
        .select(scope)
        .iter()
        .filter_map(|ordinal| catalog.product(ordinal))
        .filter_map(|product| crate::ranking::number_of(&product, number))
        .collect()
}

/// The middle value of a number over the products of `scope`: where "cheaper" leans to before
/// there is a product to compare with.
fn median(catalog: &Catalog, scope: &Condition, number: NumberRef) -> Option<f64> {
    let mut values = scope_values(catalog, scope, number);
    if values.is_empty() {
        return None;
    }
    let middle = values.len() / 2;
    values.select_nth_unstable_by(middle, f64::total_cmp);
    Some(values[middle])
}

fn add_answer(
    advisor: &Advisor,
    catalog: &Catalog,
    wishes: &mut Wishes,
    index: usize,
    options: Vec<usize>,
) {
    let question = &advisor.questions[index];
    let effects: Vec<(usize, &Effect)> = options
        .iter()
        .map(|o| (*o, &question.options[*o].effect))
        .collect();
    let whole = |options: &[usize]| Source::Answer {
        question: index,
        option: None,
        options: options.to_vec(),
    };
    match question.combine {
        Combine::All if options.len() > 1 => {
            for (option, effect) in &effects {
                if let Some(hard) = &effect.hard {
                    wishes.constraints.push(Constraint {
                        source: Source::Answer {
                            question: index,
                            option: Some(*option),
                            options: vec![*option],
                        },
                        condition: hard.clone(),
                    });
                }
            }
        }
        Combine::Any if options.len() > 1 => {
            if effects.iter().all(|(_, e)| e.hard.is_some()) {
                wishes.constraints.push(Constraint {
                    source: whole(&options),
                    condition: Condition::Any(
                        effects.iter().filter_map(|(_, e)| e.hard.clone()).collect(),
                    ),
                });
            }
        }
        _ => {
            for (_, effect) in &effects {
                if let Some(hard) = &effect.hard {
                    wishes.constraints.push(Constraint {
                        source: whole(&options),
                        condition: hard.clone(),
                    });
                }
            }
        }
    }
    for (_, effect) in &effects {
        if let Some((condition, weight)) = &effect.soft {
            wishes.preferences.push(Preference {
                condition: condition.clone(),
                weight: *weight,
                products: catalog.select(condition),
            });
        }
    }
    wishes.answered.push((index, options));
}
