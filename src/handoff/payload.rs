//! What the webhook receives about a handed-off conversation: the advisor, the customer's
//! answers and the candidates in the customer's locale, and the transcript rebuilt from the
//! state's event log. Pure: built from the state and its evaluation, no IO.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::dialogue::{Evaluation, Event, State};
use crate::ids::ConversationId;
use crate::questions::Advisor;

/// How many products the payload names.
const TOP: usize = 5;

/// The webhook's JSON body.
#[derive(Debug, Serialize)]
pub struct Payload {
    /// Always `conversation.handed_off`.
    pub event: &'static str,
    pub conversation_id: String,
    /// The conversation's turn at the handoff; with the id, it names this handoff.
    pub turn: u32,
    pub advisor: AdvisorRef,
    pub locale: String,
    /// Only when the client sent a name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    pub answers: Vec<Answer>,
    pub candidates: Candidates,
    pub transcript: Vec<Line>,
}

#[derive(Debug, Serialize)]
pub struct AdvisorRef {
    pub id: String,
    pub title: String,
}

/// An answer in force; a skipped question has no values.
#[derive(Debug, Serialize)]
pub struct Answer {
    pub question_id: String,
    pub question: String,
    pub values: Vec<String>,
    pub labels: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Candidates {
    /// Products meeting every wish.
    pub count: usize,
    /// The shortlist, or while questions are open the first candidates in catalogue order.
    pub top: Vec<ProductRef>,
}

#[derive(Debug, Serialize)]
pub struct ProductRef {
    pub id: String,
    pub title: String,
    pub price: Option<f64>,
    pub currency: String,
    pub url: Option<String>,
}

/// One thing the customer said, in order.
#[derive(Debug, PartialEq, Serialize)]
pub struct Line {
    pub turn: u32,
    /// `answer`, `skip`, `text` (words searched in the product texts), `critique`, `exclude`,
    /// `similar`.
    pub kind: &'static str,
    /// The question asked, for `answer` and `skip`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The chosen labels, the typed words, the critique's label or the product's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
}

impl Payload {
    pub fn new(
        advisor: &Advisor,
        catalog: &Catalog,
        id: &ConversationId,
        state: &State,
        evaluation: &Evaluation,
    ) -> Self {
        let locale = &state.locale;
        Self {
            event: "conversation.handed_off",
            conversation_id: id.to_string(),
            turn: state.turn,
            advisor: AdvisorRef {
                id: advisor.id.to_string(),
                title: advisor.title.get(locale).to_string(),
            },
            locale: locale.to_string(),
            customer_name: state.customer_name.clone(),
            answers: answers(advisor, state, evaluation),
            candidates: candidates(catalog, evaluation),
            transcript: transcript(advisor, catalog, state),
        }
    }
}

fn answers(advisor: &Advisor, state: &State, evaluation: &Evaluation) -> Vec<Answer> {
    let locale = &state.locale;
    evaluation
        .answered
        .iter()
        .map(|(q, options)| {
            let question = &advisor.questions[*q];
            let option = |o: &usize| &question.options[*o];
            Answer {
                question_id: question.id.to_string(),
                question: question.text.get(locale).to_string(),
                values: options.iter().map(|o| option(o).id.to_string()).collect(),
                labels: options
                    .iter()
                    .map(|o| option(o).label.get(locale).to_string())
                    .collect(),
            }
        })
        .collect()
}

fn candidates(catalog: &Catalog, evaluation: &Evaluation) -> Candidates {
    let shortlisted: Vec<u32> = evaluation
        .shortlist
        .iter()
        .filter(|r| r.misses.is_empty())
        .map(|r| r.ordinal)
        .collect();
    let ordinals: Vec<u32> = if shortlisted.is_empty() {
        evaluation.candidates.iter().take(TOP).collect()
    } else {
        shortlisted.into_iter().take(TOP).collect()
    };
    let currency = &catalog.config().currency;
    Candidates {
        count: evaluation.candidate_count(),
        top: ordinals
            .into_iter()
            .filter_map(|ordinal| catalog.product(ordinal))
            .map(|product| ProductRef {
                id: product.id().to_string(),
                title: product.title().to_string(),
                price: product.price(),
                currency: currency.clone(),
                url: product.url(),
            })
            .collect(),
    }
}

/// What the customer said, in the order they said it: the event log sorted by turn (a changed
/// answer counts when it was changed). Free text appears as what it was understood as: the
/// answers it gave and the words searched for; the text itself is never stored.
pub fn transcript(advisor: &Advisor, catalog: &Catalog, state: &State) -> Vec<Line> {
    let locale = &state.locale;
    let mut entries: Vec<_> = state.events.iter().collect();
    entries.sort_by_key(|entry| entry.turn);
    let product = |id: &crate::ids::ProductId| {
        let title = catalog
            .ordinal(id)
            .and_then(|ordinal| catalog.product(ordinal))
            .map(|p| p.title().to_string());
        (title, Some(id.to_string()))
    };
    entries
        .into_iter()
        .map(|entry| {
            let (kind, question, said, product_id) = match &entry.event {
                Event::Answer { question, values } => {
                    let found = advisor.question(question).map(|(_, q)| q);
                    let labels: Vec<String> = values
                        .iter()
                        .map(|v| match found.and_then(|q| q.option(v)) {
                            Some((_, option)) => option.label.get(locale).to_string(),
                            None => v.to_string(),
                        })
                        .collect();
                    let text = found.map(|q| q.text.get(locale).to_string());
                    ("answer", text, Some(labels.join(", ")), None)
                }
                Event::Skip { question } => {
                    let text = advisor
                        .question(question)
                        .map(|(_, q)| q.text.get(locale).to_string());
                    ("skip", text, None, None)
                }
                Event::Wish { text } => ("text", None, Some(text.clone()), None),
                Event::AvoidWords { text } => ("avoid_text", None, Some(text.clone()), None),
                Event::Require { text } => ("require_text", None, Some(text.clone()), None),
                Event::Amount {
                    number,
                    min,
                    max,
                    question,
                } => {
                    let text = question
                        .as_ref()
                        .and_then(|q| advisor.question(q))
                        .map(|(_, q)| q.text.get(locale).to_string());
                    let range = match (min, max) {
                        (Some(min), Some(max)) => format!("{number} {min} to {max}"),
                        (Some(min), None) => format!("{number} from {min}"),
                        (None, Some(max)) => format!("{number} up to {max}"),
                        (None, None) => number.clone(),
                    };
                    ("amount", text, Some(range), None)
                }
                Event::Avoid { question, option } => {
                    let found = advisor.question(question).map(|(_, q)| q);
                    let label = found
                        .and_then(|q| q.option(option))
                        .map_or_else(|| option.to_string(), |(_, o)| o.label.get(locale).into());
                    let text = found.map(|q| q.text.get(locale).to_string());
                    ("avoid", text, Some(label), None)
                }
                Event::Lean { critique } => {
                    let label = advisor
                        .critique(critique.as_str())
                        .map_or_else(|| critique.to_string(), |(_, c)| c.label.get(locale).into());
                    ("lean", None, Some(label), None)
                }
                Event::Critique { critique, .. } => {
                    let label = advisor
                        .critique(critique.as_str())
                        .map_or_else(|| critique.to_string(), |(_, c)| c.label.get(locale).into());
                    ("critique", None, Some(label), None)
                }
                Event::Exclude { product: id } => {
                    let (title, id) = product(id);
                    ("exclude", None, title, id)
                }
                Event::Similar { product: id } => {
                    let (title, id) = product(id);
                    ("similar", None, title, id)
                }
            };
            Line {
                turn: entry.turn,
                kind,
                question,
                said,
                product_id,
            }
        })
        .collect()
}
