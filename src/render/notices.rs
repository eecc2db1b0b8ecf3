//! The messages that tell the customer what their last input did: went back, understood a free
//! text, dropped answers that no longer apply, relaxed wishes, applied a critique, …

use super::{
    AmountConflictView, AmountView, BelowCheapestView, ClarifyView, ContextAnswerView,
    ContextAppliedView, CritiquedView, DroppedView, NoMatchView, NotCarriedView, ProductRefView,
    QuestionRefView, RelaxedView, RenderError, RestartedView, TemplateName, UnderstoodView,
    UpdatedView, Voice,
};
use crate::catalog::Catalog;
use crate::dialogue::{Notice, Outcome, Source};
use crate::ids::Locale;
use crate::questions::{Advisor, Suggestion};

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
            Notice::Understood(understood) => {
                let view = UnderstoodView {
                    answers: understood
                        .answers
                        .iter()
                        .map(|(q, options)| answer_label(advisor, locale, *q, options))
                        .collect(),
                    amounts: understood
                        .amounts
                        .iter()
                        .map(|a| amount_text(catalog, renderer, locale, &a.number, a.min, a.max))
                        .collect::<Result<_, _>>()?,
                    avoided: understood
                        .avoided
                        .iter()
                        .map(|(q, o)| answer_label(advisor, locale, *q, &[*o]))
                        .collect(),
                    avoided_words: understood.avoided_words.clone(),
                    leaning: understood
                        .leaning
                        .iter()
                        .map(|c| advisor.critiques[*c].label.get(locale).to_string())
                        .collect(),
                    wish: understood.wish.clone(),
                    required: understood.required.clone(),
                    ignored: understood.ignored.clone(),
                };
                renderer.render(locale, TemplateName::Understood, &view)?
            }
            Notice::Clarify { question, options } => {
                let view = ClarifyView {
                    question: question_text(*question),
                    options: options
                        .iter()
                        .map(|o| answer_label(advisor, locale, *question, &[*o]))
                        .collect(),
                };
                renderer.render(locale, TemplateName::Clarify, &view)?
            }
            Notice::NotCarried { need } => {
                let need = &advisor.not_carried[*need];
                let view = NotCarriedView {
                    message: need.message.get(locale).to_string(),
                    other_advisor: matches!(need.suggest, Some(Suggestion::Advisor(_))),
                    handoff: need.suggest == Some(Suggestion::Handoff),
                };
                renderer.render(locale, TemplateName::NotCarried, &view)?
            }
            Notice::BelowCheapest { number, cheapest } => {
                let view = BelowCheapestView {
                    cheapest: value_text(catalog, locale, number, *cheapest),
                    noun: advisor.noun.for_count(locale, 1).to_string(),
                };
                renderer.render(locale, TemplateName::BelowCheapest, &view)?
            }
            Notice::Updated { questions, others } => {
                let view = UpdatedView {
                    questions: questions.iter().map(|q| question_text(*q)).collect(),
                    count: questions.len(),
                    others: *others,
                };
                renderer.render(locale, TemplateName::Updated, &view)?
            }
            Notice::AmountConflict => {
                renderer.render(locale, TemplateName::AmountConflict, &AmountConflictView {})?
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
                        .map(|s| describe(advisor, catalog, renderer, locale, s))
                        .collect::<Result<_, _>>()?,
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

/// How a wish reads to the customer: the option labels, the amount, the critique.
pub(super) fn describe(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Voice<'_>,
    locale: &Locale,
    source: &Source,
) -> Result<String, RenderError> {
    Ok(match source {
        Source::Answer {
            question, options, ..
        } => answer_label(advisor, locale, *question, options),
        Source::Amount {
            number, min, max, ..
        } => amount_text(catalog, renderer, locale, number, *min, *max)?,
        Source::Require { text, .. } => format!("“{text}”"),

        Source::Critique { critique, .. } => {
            advisor.critiques[*critique].label.get(locale).to_string()
        }
    })
}

/// A range read from an amount, in the customer's words (`amount.hbs`): "up to $80".
pub(super) fn amount_text(
    catalog: &Catalog,
    renderer: &Voice<'_>,
    locale: &Locale,
    number: &str,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<String, RenderError> {
    let (unit, currency) = unit_of(catalog, number);
    let view = AmountView {
        min: min.map(|v| plain_number(locale, v)),
        max: max.map(|v| plain_number(locale, v)),
        unit,
        currency,
    };
    renderer.render(locale, TemplateName::Amount, &view)
}

/// One value of a number with its unit: "$45" in English, "45 $" in other locales.
fn value_text(catalog: &Catalog, locale: &Locale, number: &str, value: f64) -> String {
    let (unit, currency) = unit_of(catalog, number);
    let plain = plain_number(locale, value);
    if currency && locale.as_str() == "en" {
        format!("{unit}{plain}")
    } else {
        format!("{plain} {unit}").trim().to_string()
    }
}

/// The sign of the shop's currency for the price, else the number's first unit word.
fn unit_of(catalog: &Catalog, number: &str) -> (String, bool) {
    if number == crate::catalog::PRICE {
        let code = &catalog.config().currency;
        let sign = match code.as_str() {
            "USD" => "$",
            "EUR" => "€",
            "GBP" => "£",
            other => other,
        };
        return (sign.to_string(), true);
    }
    let unit = catalog
        .config()
        .numbers
        .iter()
        .find(|n| n.name == number)
        .and_then(|n| n.units.first().cloned())
        .unwrap_or_default();
    (unit, false)
}

/// A number as customers write it: no ".0", two decimals otherwise, thousands grouped; English
/// writes "2,400.50", the other locales "2.400,50".
fn plain_number(locale: &Locale, value: f64) -> String {
    let (group, decimal) = if locale.as_str() == "en" {
        (',', '.')
    } else {
        ('.', ',')
    };
    let cents = (value.abs() * 100.0).round() as u64;
    let (whole, fraction) = (cents / 100, cents % 100);
    let mut text = String::new();
    if value < 0.0 {
        text.push('-');
    }
    text.push_str(&crate::diagnostics::grouped(whole, group));
    if fraction > 0 {
        text.push(decimal);
        text.push_str(&format!("{fraction:02}"));
    }
    text
}
