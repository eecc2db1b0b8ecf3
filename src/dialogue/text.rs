//! Free text at any point of a conversation, understood the way a shop assistant would:
//! - a need the shop does not carry is said honestly, and nothing changes;
//! - after a shortlist, a comparative ("cheaper", "nicht so teuer") applies the critique;
//!   before one, it leans the ranking that way;
//! - the options named answer their questions (or change earlier answers); a negated one
//!   ("not for running") is avoided; two options of a single-choice question named with the
//!   same weight are asked back ("Trail or running?") instead of guessing;
//! - an amount ("under $80", "zwischen 50 und 100 €") becomes a range on the price (or on the
//!   number its unit names), answering the question that asks for it (`amounts.rs`); a number
//!   never becomes a text search;
//! - the words left over that the catalogue knows rank products, never remove them.
//!
//! If nothing can be used, the state is unchanged and the reply says so.

use super::actions::act;
use super::step::{InputError, MAX_TEXT_CHARS, StepError, finish, record, set_answer};
use super::{Action, Clarifying, Evaluation, Event, Notice, Outcome, State, Understanding, choose};
use crate::catalog::Catalog;
use crate::language::Found;
use crate::questions::{Advisor, Kind, Target};

/// A single-choice option wins over another named in the same text only with this many times
/// its weight; otherwise the customer is asked which.
const CLEAR_WIN: f64 = 2.0;
/// At most this many options are offered back in a clarifying question.
const MAX_CLARIFY: usize = 3;

/// Whether the text asks for a person: it contains one of the advisor's handoff phrases.
pub(super) fn asks_for_person(advisor: &Advisor, locale: &crate::ids::Locale, text: &str) -> bool {
    let found = advisor.words.lexicon.find(locale, text);
    found
        .matches
        .iter()
        .filter(|m| !m.negated)
        .flat_map(|m| m.targets.iter())
        .any(|t| advisor.words.targets.get(*t) == Some(&Target::Handoff))
}

pub(super) fn understand(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    current: Evaluation,
    text: &str,
) -> Result<Outcome, StepError> {
    let length = text.chars().count();
    let visible = text
        .chars()
        .any(|c| !c.is_whitespace() && !c.is_control() && !crate::language::is_invisible(c));
    if !visible || length > MAX_TEXT_CHARS {
        return Err(InputError::TextLength.into());
    }
    let found = advisor.words.lexicon.find(&state.locale, text);
    let unchanged = |notice: Notice| Outcome {
        state: state.clone(),
        evaluation: current.clone(),
        notices: vec![notice],
        proposals: Default::default(),
        before: None,
    };
    let targets = |negated: bool| {
        found
            .matches
            .iter()
            .filter(move |m| m.negated == negated)
            .flat_map(|m| m.targets.iter().map(move |t| (m, *t)))
            .filter_map(|(m, t)| advisor.words.targets.get(t).map(|target| (m, *target)))
    };
    if let Some(need) = targets(false).find_map(|(_, t)| match t {
        Target::NotCarried(need) => Some(need),
        _ => None,
    }) {
        let mut outcome = unchanged(Notice::NotCarried { need });
        if advisor.not_carried[need].suggest == Some(crate::questions::Suggestion::Handoff) {
            outcome.notices.push(Notice::HandoffOffered);
        }
        return Ok(outcome);
    }
    let shortlisted = current.is_complete() && !current.shortlist.is_empty();
    // "More like the second one": products like that shortlisted one.
    if let Some(place) = found.similar_to
        && shortlisted
    {
        let index = if place == 0 {
            current.shortlist.len() - 1
        } else {
            place - 1
        };
        if let Some(product) = current
            .shortlist
            .get(index)
            .and_then(|r| catalog.product(r.ordinal))
        {
            let action = Action::Similar {
                product: product.id().to_string(),
            };
            return act(advisor, catalog, state, &current, action);
        }
    }
    // A comparative: the first critique named. A phrase that also names an option
    // ("warm" for both Cold and Warmer) is the option until there is a shortlist.
    let critique = targets(false).find_map(|(found, t)| match t {
        Target::Critique(c) => Some((c, names_an_option(advisor, found))),
        _ => None,
    });
    if let Some((critique, _)) = critique
        && shortlisted
        && current.critiques.iter().any(|c| c.critique == critique)
    {
        let action = Action::Critique {
            critique: advisor.critiques[critique].id.to_string(),
            product: None,
        };
        return act(advisor, catalog, state, &current, action);
    }

    let mut next = state.clone();
    next.turn += 1;
    next.clarifying = None;
    let mut understood = Understanding::default();
    if let Some((critique, _)) = critique.filter(|(_, option)| shortlisted || !option) {
        record(
            &mut next,
            Event::Lean {
                critique: advisor.critiques[critique].id.clone(),
            },
        );
        understood.leaning.push(critique);
    }
    answer_options(advisor, &found, &current, &mut next, &mut understood);
    let mut notices = Vec::new();
    super::amounts::read(
        advisor,
        catalog,
        &found,
        &current,
        &mut next,
        &mut understood,
        &mut notices,
    );
    let mut ignored = Vec::new();
    if !found.rest.is_empty() {
        let rest = found.rest.join(" ");
        let (_, known) = catalog.search_text(&rest)?;
        let (_, required) = catalog.search_filtering_text(&rest)?;
        ignored = found
            .rest
            .iter()
            .filter(|w| !known.contains(w))
            .cloned()
            .collect();
        if !required.is_empty() {
            let text = required.join(" ");
            record(&mut next, Event::Require { text: text.clone() });
            understood.required = Some(text);
        }
        let ranking: Vec<&String> = known.iter().filter(|w| !required.contains(w)).collect();
        if !ranking.is_empty() {
            let text = ranking
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            record(&mut next, Event::Wish { text: text.clone() });
            understood.wish = Some(text);
        }
    }
    if !found.avoided.is_empty() {
        let (_, known) = catalog.search_text(&found.avoided.join(" "))?;
        if !known.is_empty() {
            let text = known.join(" ");
            record(&mut next, Event::AvoidWords { text: text.clone() });
            understood.avoided_words = Some(text);
        }
    }
    if understood.is_empty() && next.clarifying.is_none() {
        return Ok(Outcome {
            state: state.clone(),
            evaluation: current,
            notices: if notices.is_empty() {
                vec![Notice::NotUnderstood]
            } else {
                notices
            },
            proposals: Default::default(),
            before: None,
        });
    }
    if !understood.is_empty() {
        understood.ignored = ignored;
        notices.insert(0, Notice::Understood(understood));
    }
    if let Some(clarifying) = &next.clarifying
        && let Some((question, found)) = advisor.question(&clarifying.question)
    {
        let options = clarifying
            .options
            .iter()
            .filter_map(|o| found.option(o).map(|(i, _)| i))
            .collect();
        notices.push(Notice::Clarify { question, options });
    }
    let outcome = finish(advisor, catalog, next, notices)?;
    Ok(outcome)
}

/// Whether a matched phrase also names an answer option.
fn names_an_option(advisor: &Advisor, found: &crate::language::Match) -> bool {
    found
        .targets
        .iter()
        .any(|t| matches!(advisor.words.targets.get(*t), Some(Target::Option { .. })))
}

/// One option named in the text: its weight and the length of the phrase that named it.
#[derive(Clone, Copy)]
struct Named {
    option: usize,
    weight: f64,
    tokens: usize,
    negated: bool,
}

/// Answers the questions whose options the text names, avoids negated ones, and asks back
/// when a single-choice question got two equally weighted options.
fn answer_options(
    advisor: &Advisor,
    found: &Found,
    current: &Evaluation,
    next: &mut State,
    understood: &mut Understanding,
) {
    let asked = current.next.as_ref().map(|ask| ask.question);
    let mut per_question: Vec<Vec<Named>> = vec![Vec::new(); advisor.questions.len()];
    for found in &found.matches {
        let options: Vec<(usize, usize)> = found
            .targets
            .iter()
            .filter_map(|t| match advisor.words.targets.get(*t) {
                Some(Target::Option { question, option }) => Some((*question, *option)),
                _ => None,
            })
            .collect();
        // A phrase several questions use answers all of them ("Rucksack": a bag, carried on
        // the back), unless one of its options means "no preference" ("doesn't matter"): then
        // it answers the question on offer, or none.
        let on_offer = options.iter().any(|(q, _)| Some(*q) == asked);
        let several = options
            .iter()
            .any(|(q, _)| *q != options.first().map_or(*q, |o| o.0));
        let vague = several
            && options
                .iter()
                .any(|(q, o)| advisor.questions[*q].options[*o].effect.is_no_preference());
        if options.is_empty() || (vague && !on_offer) {
            continue;
        }
        for (q, o) in options {
            if !vague || Some(q) == asked {
                per_question[q].push(Named {
                    option: o,
                    weight: found.weight,
                    tokens: found.tokens,
                    negated: found.negated,
                });
            }
        }
    }
    let mut answered = current.answered.clone();
    for (index, named) in per_question.iter().enumerate() {
        if named.is_empty() {
            continue;
        }
        let question = &advisor.questions[index];
        let no_preference = |o: usize| question.options[o].effect.is_no_preference();
        // Per option: its total weight among the phrases naming it, then the longest phrase.
        let mut wanted: Vec<(usize, f64, usize)> = Vec::new();
        for n in named.iter().filter(|n| !n.negated) {
            match wanted.iter_mut().find(|(o, _, _)| *o == n.option) {
                Some((_, weight, tokens)) => {
                    *weight += n.weight;
                    *tokens = (*tokens).max(n.tokens);
                }
                None => wanted.push((n.option, n.weight, n.tokens)),
            }
        }
        if wanted.iter().any(|(o, _, _)| !no_preference(*o)) {
            wanted.retain(|(o, _, _)| !no_preference(*o));
        }
        wanted.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        let avoided: Vec<usize> = named
            .iter()
            .filter(|n| n.negated && !no_preference(n.option))
            .map(|n| n.option)
            .filter(|o| !wanted.iter().any(|(w, _, _)| w == o))
            .collect();
        answered.retain(|(q, _)| *q != index);
        if choose::ask_if_contradicted(advisor, index, &answered) {
            continue;
        }
        if !wanted.is_empty() {
            let options: Vec<usize> = match question.kind {
                Kind::Multiple => wanted.iter().map(|(o, _, _)| *o).collect(),
                Kind::Single if wanted.len() == 1 || wanted[0].1 >= CLEAR_WIN * wanted[1].1 => {
                    vec![wanted[0].0]
                }
                Kind::Single => {
                    let top = wanted[1].1 / CLEAR_WIN;
                    next.clarifying = Some(Clarifying {
                        question: question.id.clone(),
                        options: wanted
                            .iter()
                            .filter(|(_, weight, _)| *weight > top)
                            .take(MAX_CLARIFY)
                            .map(|(o, _, _)| question.options[*o].id.clone())
                            .collect(),
                    });
                    continue;
                }
            };
            set_answer(
                next,
                &question.id,
                options
                    .iter()
                    .map(|o| question.options[*o].id.clone())
                    .collect(),
            );
            answered.push((index, options.clone()));
            understood.answers.push((index, options));
        }
        for option in avoided {
            record(
                next,
                Event::Avoid {
                    question: question.id.clone(),
                    option: question.options[option].id.clone(),
                },
            );
            understood.avoided.push((index, option));
        }
    }
}
