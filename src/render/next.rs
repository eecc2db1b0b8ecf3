//! The next step below the shortlist: its text from the question file, the "why am I seeing
//! this?" line from `next_step.hbs` (the file's `why`, or the customer's own answers and cart
//! value that made the step apply, nothing else), and what accepting it opens: product cards, a
//! link, a person (the ready-made handoff input) or another advisor.

use serde::Serialize;

use super::notices::answer_label;
use super::reply::ProductCard;
use super::{RenderError, TemplateName, Voice};
use crate::catalog::Catalog;
use crate::dialogue::{Action, NextStepChoice, Outcome, Proposal};
use crate::questions::{Advisor, NextAction, NextKind, Suggestion};

/// The step proposed after the shortlist.
#[derive(Debug, Clone)]
pub struct NextStepView {
    /// The step's id, which clients report back when the customer accepts or declines it.
    pub id: String,
    pub kind: NextKind,
    /// The proposal, as written in the question file (plain text).
    pub text: String,
    /// Why the customer sees it (`next_step.hbs`, HTML-escaped).
    pub why: String,
    /// `link`: the page to open.
    pub url: Option<String>,
    /// `products`: the products to show.
    pub products: Vec<ProductCard>,
    /// `advisor`: the advisor to start a conversation with.
    pub advisor: Option<String>,
    /// `handoff`: the input that accepts it.
    pub action: Option<Action>,
}

/// `next_step.hbs`: why the customer sees the next step.
#[derive(Debug, Serialize)]
pub struct NextStepWhyView {
    /// The file's `why` in the conversation's language, or `null`.
    pub reason: Option<String>,
    /// Labels of the answers that made the step apply, one text per question.
    pub answers: Vec<String>,
    /// The cart value the client reported, when the step asked for a minimum, or `null`.
    pub cart_value: Option<String>,
    pub currency: String,
}

impl NextStepWhyView {
    pub fn sample() -> Self {
        Self {
            reason: Some("because sizes differ".into()),
            answers: vec!["Rain, Wind".into(), "Hiking and outdoors".into()],
            cart_value: Some("150".into()),
            currency: "USD".into(),
        }
    }
}

/// The next step the outcome proposes (`dialogue::Proposals`), as the reply shows it.
pub(super) fn view(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
) -> Result<Option<NextStepView>, RenderError> {
    let locale = &outcome.state.locale;
    let choice = match &outcome.proposals.next_step {
        None => return Ok(None),
        Some(proposal @ Proposal::OtherAdvisor { need }) => {
            let Some(need) = advisor.not_carried.get(*need) else {
                return Ok(None);
            };
            let other = match &need.suggest {
                Some(Suggestion::Advisor(other)) => Some(other.to_string()),
                _ => None,
            };
            return Ok(Some(NextStepView {
                id: proposal.id(advisor),
                kind: NextKind::Advisor,
                text: need.message.get(locale).to_string(),
                why: String::new(),
                url: None,
                products: Vec::new(),
                advisor: other,
                action: None,
            }));
        }
        Some(Proposal::Step(choice)) => choice,
    };
    let step = &advisor.next_steps[choice.step];
    let why = NextStepWhyView {
        reason: step.why.as_ref().map(|w| w.get(locale).to_string()),
        answers: choice
            .because
            .iter()
            .map(|(q, options)| answer_label(advisor, locale, *q, options))
            .collect(),
        cart_value: choice.cart_value.map(amount),
        currency: catalog.config().currency.clone(),
    };
    let (url, advisor_id, action) = match &step.action {
        NextAction::Link { url } => (Some(url.clone()), None, None),
        NextAction::Advisor { advisor } => (None, Some(advisor.to_string()), None),
        NextAction::Handoff => (None, None, Some(Action::Handoff)),
        NextAction::Products { .. } => (None, None, None),
    };
    Ok(Some(NextStepView {
        id: step.id.clone(),
        kind: step.action.kind(),
        text: step.text.get(locale).to_string(),
        why: renderer.render(locale, TemplateName::NextStep, &why)?,
        url,
        products: cards(catalog, choice),
        advisor: advisor_id,
        action,
    }))
}

/// Plain cards (no reasons, no actions: these products are not the customer's shortlist).
fn cards(catalog: &Catalog, choice: &NextStepChoice) -> Vec<ProductCard> {
    choice
        .products
        .iter()
        .filter_map(|o| catalog.product(*o))
        .map(|product| ProductCard {
            id: product.product_id(),
            title: product.title().to_string(),
            price: product.price(),
            currency: catalog.config().currency.clone(),
            image_url: product.image_url(),
            url: product.url(),
            reasons: Vec::new(),
            misses: Vec::new(),
            actions: Vec::new(),
            goes_well_with: Vec::new(),
        })
        .collect()
}

/// An amount as people write it: no decimals when whole.
fn amount(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}
