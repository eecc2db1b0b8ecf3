//! The messages that tell the customer what their last input did: went back, understood a free
//! text, dropped answers that no longer apply, relaxed wishes, applied a critique, …

use super::{
    ContextAnswerView, ContextAppliedView, CritiquedView, DroppedView, NoMatchView, ProductRefView,
    QuestionRefView, RelaxedView, RenderError, RestartedView, TemplateName, UnderstoodView, Voice,
};
use crate::catalog::Catalog;
use crate::dialogue::{Notice, Outcome, Source};
use crate::ids::Locale;
use crate::questions::Advisor;

/// One text message per notice, in order.
pub(super) fn render_notices(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
) -> Result<Vec<String>, RenderError> {
    let locale = &outcome.state.locale;
    let question_text = |q: usize| advisor.questions[q].text.get(locale).to_string();
    let title = |ordinal: u32| {
        catalog
            .product(ordinal)
            .map_or_else(String::new, |p| p.title().to_string())
    };
    let noun = |count: usize| advisor.noun.for_count(locale, count).to_string();
    let asked = outcome
        .evaluation
        .next
        .as_ref()
        .map(|ask| question_text(ask.question));
    let mut texts = Vec::new();
    for notice in &outcome.notices {
        let text = match notice {
            Notice::NoMatch { question, options } => {
                let question = &advisor.questions[*question];
                let view = NoMatchView {
                    question: question.text.get(locale).to_string(),
                    choices: options
                        .iter()
                        .map(|o| question.options[*o].label.get(locale).to_string())
                        .collect(),
                    noun: noun(0),
                };
                renderer.render(locale, TemplateName::NoMatch, &view)?
            }
            Notice::WentBack { question } => {
                let view = QuestionRefView {
                    question: question.map(question_text),
                };
                renderer.render(locale, TemplateName::WentBack, &view)?
            }
            Notice::Restarted => {
                let view = RestartedView {
                    advisor_title: advisor.title.get(locale).to_string(),
                };
                renderer.render(locale, TemplateName::Restarted, &view)?
            }
            Notice::Skipped { question } => {
                let view = QuestionRefView {
                    question: Some(question_text(*question)),
                };
                renderer.render(locale, TemplateName::Skipped, &view)?
            }
            Notice::Changing { question } => {
                let view = QuestionRefView {
                    question: Some(question_text(*question)),
                };
                renderer.render(locale, TemplateName::Changing, &view)?
            }
            Notice::Dropped { questions } => {
                let view = DroppedView {
                    questions: questions.iter().map(|q| question_text(*q)).collect(),
                    count: questions.len(),
                };
                renderer.render(locale, TemplateName::Dropped, &view)?
            }
            Notice::Understood {
                answers,
                wish,
                ignored,
            } => {
                let view = UnderstoodView {
                    answers: answers
                        .iter()
                        .map(|(q, options)| answer_label(advisor, locale, *q, options))
                        .collect(),
                    wish: wish.clone(),
                    ignored: ignored.clone(),
                };
                renderer.render(locale, TemplateName::Understood, &view)?
            }
            Notice::NotUnderstood => {
                let view = QuestionRefView {
                    question: asked.clone(),
                };
                renderer.render(locale, TemplateName::NotUnderstood, &view)?
            }
            Notice::Relaxed { sources } => {
                let count = outcome.evaluation.candidate_count();
                let view = RelaxedView {
                    wishes: sources
                        .iter()
                        .map(|s| describe(advisor, locale, s))
                        .collect(),
                    candidate_count: count,
                    noun: noun(count),
                };
                renderer.render(locale, TemplateName::Relaxed, &view)?
            }
            Notice::Critiqued { critique } => {
                let view = CritiquedView {
                    critique: advisor.critiques[*critique].label.get(locale).to_string(),
                };
                renderer.render(locale, TemplateName::Critiqued, &view)?
            }
            Notice::Excluded { product } => {
                let view = ProductRefView {
                    product: title(*product),
                };
                renderer.render(locale, TemplateName::Excluded, &view)?
            }
            Notice::SimilarTo { product } => {
                let view = ProductRefView {
                    product: title(*product),
                };
                renderer.render(locale, TemplateName::SimilarTo, &view)?
            }
            Notice::ContextApplied { rule, questions } => {
                let rule = &advisor.context[*rule];
                let context = &outcome.state.context.values;
                let (answered, skipped): (Vec<usize>, Vec<usize>) = questions
                    .iter()
                    .partition(|q| rule.answers.iter().any(|(a, _)| a == *q));
                let view = ContextAppliedView {
                    said: rule.say.as_ref().map(|say| say.get(locale).to_string()),
                    answers: answered
                        .iter()
                        .filter_map(|q| rule.answers.iter().find(|(a, _)| a == q))
                        .map(|(q, options)| ContextAnswerView {
                            question: question_text(*q),
                            answer: answer_label(advisor, locale, *q, options),
                        })
                        .collect(),
                    skipped: skipped.into_iter().map(question_text).collect(),
                    weather: context.weather.clone(),
                    temperature_c: context.temperature_c,
                    season: context.season.clone(),
                    when: context.when.clone(),
                };
                renderer.render(locale, TemplateName::ContextApplied, &view)?
            }
            // Said after the rest of the reply (`reply.rs`).
            Notice::HandedOff | Notice::HandoffOffered => continue,
        };
        texts.push(text);
    }
    Ok(texts)
}

/// The labels of an answer's options, joined ("Rain, Wind").
pub(super) fn answer_label(
    advisor: &Advisor,
    locale: &Locale,
    question: usize,
    options: &[usize],
) -> String {
    let question = &advisor.questions[question];
    options
        .iter()
        .map(|o| question.options[*o].label.get(locale))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a wish reads to the customer: the option labels, the quoted free text, the critique.
pub(super) fn describe(advisor: &Advisor, locale: &Locale, source: &Source) -> String {
    match source {
        Source::Answer {
            question, options, ..
        } => answer_label(advisor, locale, *question, options),
        Source::Wish { text, .. } => format!("“{text}”"),
        Source::Critique { critique, .. } => {
            advisor.critiques[*critique].label.get(locale).to_string()
        }
    }
}
