//! Free text at any point of a conversation: the words are mapped to options of any question
//! (labels and synonyms, see `language`), those questions are answered (or their answers
//! changed), and the words left over that the catalogue knows become a text search over the
//! candidates. If nothing can be used, the state is unchanged and the reply says so.

use super::step::{InputError, MAX_TEXT_CHARS, StepError, finish, record, set_answer};
use super::{Evaluation, Event, Notice, Outcome, State, choose};
use crate::catalog::Catalog;
use crate::questions::{Advisor, Kind};

/// Whether the text asks for a person: it contains one of the advisor's handoff phrases,
/// analysed like option synonyms (case, stemming, compounds, accents).
pub(super) fn asks_for_person(advisor: &Advisor, locale: &crate::ids::Locale, text: &str) -> bool {
    let found = advisor.words.lexicon.find(locale, text);
    found
        .matches
        .iter()
        .any(|(targets, _)| targets.contains(&crate::questions::Words::HANDOFF))
}

pub(super) fn understand(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    current: Evaluation,
    text: &str,
) -> Result<Outcome, StepError> {
    let text = text.trim();
    let length = text.chars().count();
    if length == 0 || length > MAX_TEXT_CHARS || text.chars().any(char::is_control) {
        return Err(InputError::TextLength.into());
    }
    let found = advisor.words.lexicon.find(&state.locale, text);
    // Per question (editor order), the matched options; the longest phrase first.
    let mut per_question: Vec<Vec<(usize, usize)>> = vec![Vec::new(); advisor.questions.len()];
    let asked = current.next.as_ref().map(|ask| ask.question);
    for (targets, span) in &found.matches {
        let options: Vec<(usize, usize)> = targets
            .iter()
            .filter_map(|t| advisor.words.options.get(*t).copied())
            .collect();
        // A phrase several questions use ("doesn't matter") answers the one on offer.
        // Unclear otherwise: it is not used.
        let on_offer = options.iter().any(|(q, _)| Some(*q) == asked);
        if !on_offer && options.iter().any(|(q, _)| *q != options[0].0) {
            continue;
        }
        for (q, o) in options {
            if !on_offer || Some(q) == asked {
                per_question[q].push((o, *span));
            }
        }
    }
    let mut next = state.clone();
    next.turn += 1;
    let mut answered = current.answered.clone();
    let mut understood = Vec::new();
    for (index, matched) in per_question.iter_mut().enumerate() {
        if matched.is_empty() {
            continue;
        }
        answered.retain(|(q, _)| *q != index);
        if choose::ask_if_contradicted(advisor, index, &answered) {
            continue;
        }
        let question = &advisor.questions[index];
        matched.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut options: Vec<usize> = Vec::new();
        for (option, _) in matched.iter() {
            if !options.contains(option) {
                options.push(*option);
            }
        }
        let real: Vec<usize> = options
            .iter()
            .copied()
            .filter(|o| !question.options[*o].effect.is_no_preference())
            .collect();
        if !real.is_empty() {
            options = real;
        }
        if question.kind == Kind::Single {
            options.truncate(1);
        }
        set_answer(
            &mut next,
            &question.id,
            options
                .iter()
                .map(|o| question.options[*o].id.clone())
                .collect(),
        );
        answered.push((index, options.clone()));
        understood.push((index, options));
    }
    let mut wish = None;
    let mut ignored = Vec::new();
    if !found.rest.is_empty() {
        let rest = found.rest.join(" ");
        let (_, known) = catalog.search_text(&rest)?;
        ignored = found
            .rest
            .iter()
            .filter(|w| !known.contains(w))
            .cloned()
            .collect();
        if !known.is_empty() {
            let text = known.join(" ");
            record(&mut next, Event::Wish { text: text.clone() });
            wish = Some(text);
        }
    }
    if understood.is_empty() && wish.is_none() {
        return Ok(Outcome {
            state: state.clone(),
            evaluation: current,
            notices: vec![Notice::NotUnderstood],
        });
    }
    let notice = Notice::Understood {
        answers: understood,
        wish,
        ignored,
    };
    finish(advisor, catalog, next, vec![notice])
}
