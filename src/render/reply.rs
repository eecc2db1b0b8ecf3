//! Composing a reply (messages, the question on offer, actions) from a dialogue outcome.

use super::{
    ActionLabelView, GreetingView, NoMatchView, NothingFoundView, QuestionView, RenderError,
    Renderer, RestartedView, ShortlistView, TemplateName, WentBackView,
};
use crate::catalog::Catalog;
use crate::dialogue::{Action, Notice, Outcome};
use crate::ids::{Locale, OptionId, ProductId, QuestionId};
use crate::questions::{Advisor, Kind};

/// Everything a client needs to show the conversation's current step.
#[derive(Debug, Clone)]
pub struct Reply {
    pub turn: u32,
    pub completed: bool,
    pub locale: Locale,
    pub candidate_count: usize,
    pub messages: Vec<Message>,
    pub input: Option<InputView>,
    pub actions: Vec<ActionView>,
    /// The answers that apply, as (question, options).
    pub answers: Vec<(QuestionId, Vec<OptionId>)>,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// HTML-escaped text from a template.
    Text(String),
    Products(Vec<ProductCard>),
}

#[derive(Debug, Clone)]
pub struct ProductCard {
    pub id: ProductId,
    pub title: String,
    pub price: Option<f64>,
    pub currency: String,
    pub image_url: Option<String>,
    pub url: Option<String>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct InputView {
    pub question_id: QuestionId,
    pub kind: Kind,
    pub options: Vec<OptionView>,
}

#[derive(Debug, Clone)]
pub struct OptionView {
    pub value: OptionId,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone)]
pub struct ActionView {
    pub action: Action,
    pub label: String,
}

/// Renders an outcome in the conversation's locale.
pub fn compose(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Renderer,
    outcome: &Outcome,
) -> Result<Reply, RenderError> {
    let state = &outcome.state;
    let evaluation = &outcome.evaluation;
    let locale = &state.locale;
    let total = evaluation.candidates.len();
    let noun = |count: usize| advisor.noun.for_count(locale, count).to_string();
    let mut messages = Vec::new();
    match &outcome.notice {
        Some(Notice::NoMatch { question, options }) => {
            let question = &advisor.questions[*question];
            let view = NoMatchView {
                question: question.text.get(locale).to_string(),
                choices: options
                    .iter()
                    .map(|o| question.options[*o].label.get(locale).to_string())
                    .collect(),
                noun: noun(0),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::NoMatch,
                &view,
            )?));
        }
        Some(Notice::WentBack { question }) => {
            let view = WentBackView {
                question: advisor.questions[*question].text.get(locale).to_string(),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::WentBack,
                &view,
            )?));
        }
        Some(Notice::Restarted) => {
            let view = RestartedView {
                advisor_title: advisor.title.get(locale).to_string(),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::Restarted,
                &view,
            )?));
        }
        None if state.answers.is_empty() => {
            let view = GreetingView {
                advisor_title: advisor.title.get(locale).to_string(),
                customer_name: state.customer_name.clone(),
                candidate_count: total,
                noun: noun(total),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::Greeting,
                &view,
            )?));
        }
        None => {}
    }
    let input = match &evaluation.next {
        Some(ask) => {
            let question = &advisor.questions[ask.question];
            let view = QuestionView {
                question: question.text.get(locale).to_string(),
                kind: match question.kind {
                    Kind::Single => "single",
                    Kind::Multiple => "multiple",
                },
                candidate_count: total,
                noun: noun(total),
                answered_count: evaluation.answered.len(),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::Question,
                &view,
            )?));
            Some(InputView {
                question_id: question.id.clone(),
                kind: question.kind,
                options: ask
                    .options
                    .iter()
                    .map(|offered| {
                        let option = &question.options[offered.option];
                        OptionView {
                            value: option.id.clone(),
                            label: option.label.get(locale).to_string(),
                            count: offered.count,
                        }
                    })
                    .collect(),
            })
        }
        None if evaluation.shortlist.is_empty() => {
            let view = NothingFoundView { noun: noun(0) };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::NothingFound,
                &view,
            )?));
            None
        }
        None => {
            let view = ShortlistView {
                customer_name: state.customer_name.clone(),
                count: evaluation.shortlist.len(),
                candidate_count: total,
                noun: noun(evaluation.shortlist.len()),
                answers: evaluation
                    .answered
                    .iter()
                    .filter(|(q, options)| {
                        options
                            .iter()
                            .any(|o| !advisor.questions[*q].options[*o].effect.is_no_preference())
                    })
                    .map(|(q, options)| {
                        let question = &advisor.questions[*q];
                        options
                            .iter()
                            .map(|o| question.options[*o].label.get(locale))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .collect(),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::Shortlist,
                &view,
            )?));
            let cards = evaluation
                .shortlist
                .iter()
                .filter_map(|recommendation| {
                    let product = catalog.product(recommendation.ordinal)?;
                    Some(ProductCard {
                        id: product.id.clone(),
                        title: product.title.clone(),
                        price: product.price,
                        currency: catalog.config().currency.clone(),
                        image_url: product.image_url.clone(),
                        url: product.url.clone(),
                        reasons: recommendation
                            .reasons
                            .iter()
                            .map(|(q, o)| {
                                advisor.questions[*q].options[*o]
                                    .reason
                                    .get(locale)
                                    .to_string()
                            })
                            .collect(),
                    })
                })
                .collect();
            messages.push(Message::Products(cards));
            None
        }
    };
    let actions = state
        .actions()
        .into_iter()
        .map(|action| {
            let name = match action {
                Action::Back => TemplateName::ActionBack,
                Action::Restart => TemplateName::ActionRestart,
            };
            Ok(ActionView {
                action,
                label: renderer.render(locale, name, &ActionLabelView {})?,
            })
        })
        .collect::<Result<_, RenderError>>()?;
    Ok(Reply {
        turn: state.turn,
        completed: evaluation.is_complete(),
        locale: locale.clone(),
        candidate_count: total,
        messages,
        input,
        actions,
        answers: evaluation
            .answered
            .iter()
            .map(|(q, options)| {
                let question = &advisor.questions[*q];
                (
                    question.id.clone(),
                    options
                        .iter()
                        .map(|o| question.options[*o].id.clone())
                        .collect(),
                )
            })
            .collect(),
    })
}
