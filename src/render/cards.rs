//! Product cards: what each shortlisted product shows, with its reasons, what a close alternative
//! misses, and its own actions ("more like this", "not this one").

use super::notices::describe;
use super::reply::{ActionView, Message, ProductCard};
use super::{ActionLabelView, AlternativesView, RenderError, TemplateName, Voice};
use crate::catalog::Catalog;
use crate::dialogue::{Action, Outcome};
use crate::questions::Advisor;
use crate::ranking::Recommendation;

/// The "close alternatives" text and cards, if there are any.
pub(super) fn push_alternatives(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
    close: &[Recommendation],
    messages: &mut Vec<Message>,
) -> Result<(), RenderError> {
    if close.is_empty() {
        return Ok(());
    }
    let locale = &outcome.state.locale;
    let view = AlternativesView {
        count: close.len(),
        noun: advisor.noun.for_count(locale, close.len()).to_string(),
    };
    messages.push(Message::Text(renderer.render(
        locale,
        TemplateName::Alternatives,
        &view,
    )?));
    messages.push(Message::Products(cards(
        advisor, catalog, renderer, outcome, close,
    )?));
    Ok(())
}

pub(super) fn cards(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
    recommendations: &[Recommendation],
) -> Result<Vec<ProductCard>, RenderError> {
    let locale = &outcome.state.locale;
    let evaluation = &outcome.evaluation;
    let similar = renderer.render(locale, TemplateName::ActionSimilar, &ActionLabelView {})?;
    let exclude = renderer.render(locale, TemplateName::ActionExclude, &ActionLabelView {})?;
    let mut cards: Vec<ProductCard> = recommendations
        .iter()
        .filter_map(|recommendation| {
            let product = catalog.product(recommendation.ordinal)?;
            let misses = recommendation
                .misses
                .iter()
                .filter_map(|i| evaluation.constraints.get(*i))
                .map(|c| describe(advisor, catalog, renderer, locale, &c.source))
                .collect::<Result<Vec<_>, _>>();
            let misses = match misses {
                Ok(misses) => misses,
                Err(error) => return Some(Err(error)),
            };
            let id = product.id().to_string();
            let mut actions = vec![ActionView {
                action: Action::Exclude {
                    product: id.clone(),
                },
                label: exclude.clone(),
                count: None,
            }];
            if evaluation.similar_to != Some(product.ordinal) {
                actions.insert(
                    0,
                    ActionView {
                        action: Action::Similar { product: id },
                        label: similar.clone(),
                        count: None,
                    },
                );
            }
            Some(Ok(ProductCard {
                id: product.product_id(),
                title: product.title().to_string(),
                price: product.price(),
                currency: catalog.config().currency.clone(),
                image_url: product.image_url(),
                url: product.url(),
                reasons: recommendation
                    .reasons
                    .iter()
                    .map(|(q, o)| {
                        advisor.questions[*q].options[*o]
                            .reason
                            .get(locale)
                            .to_string()
                    })
                    .chain(context_reasons(advisor, outcome, &product))
                    .collect(),
                misses,
                actions: if evaluation.is_dead_end() {
                    Vec::new()
                } else {
                    actions
                },
                goes_well_with: Vec::new(),
            }))
        })
        .collect::<Result<_, _>>()?;
    super::pairings::pair_up(catalog, renderer, outcome, &mut cards)?;
    Ok(cards)
}

/// Why the customer's situation favours this product: the `reason` of every context rule in
/// effect whose `prefer` it meets.
fn context_reasons<'a>(
    advisor: &'a Advisor,
    outcome: &'a Outcome,
    product: &'a crate::catalog::Product<'_>,
) -> impl Iterator<Item = String> + 'a {
    let locale = &outcome.state.locale;
    advisor
        .context
        .iter()
        .filter(|rule| outcome.state.context.rules.contains(&rule.id))
        .filter(|rule| rule.favoured.as_ref().is_some_and(|c| c.matches(product)))
        .filter_map(|rule| rule.reason.as_ref().map(|r| r.get(locale).to_string()))
}
