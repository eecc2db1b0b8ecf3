//! "Goes well with" on the shortlist's cards: for each product meeting every wish (not for close
//! alternatives), the catalogue's pairings with the sentence that says why
//! (`goes_well_with.hbs`). Never a product already on the shortlist or a variant of one.

use super::reply::ProductCard;
use super::{GoesWellWithView, RenderError, TemplateName, Voice};
use crate::catalog::{Catalog, PairingBasis};
use crate::dialogue::Outcome;
use crate::ids::ProductId;

/// A product shown beside a recommended one.
#[derive(Debug, Clone)]
pub struct PairedCard {
    pub id: ProductId,
    pub title: String,
    pub price: Option<f64>,
    pub currency: String,
    pub image_url: Option<String>,
    pub url: Option<String>,
    /// Why it is shown, e.g. "Often bought together with Chaz Kangeroo Hoodie".
    pub why: String,
}

/// Fills `goes_well_with` of every card that misses no wish.
pub(super) fn pair_up(
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
    cards: &mut [ProductCard],
) -> Result<(), RenderError> {
    let n = catalog.goes_well_with_count();
    if n == 0 {
        return Ok(());
    }
    // What the customer already put in the cart or bought in this conversation (as the client
    // reported it) is not proposed again: companions, not more of the same.
    let owned = outcome
        .state
        .feedback
        .carted
        .iter()
        .filter_map(|id| catalog.ordinal(id));
    let shown: Vec<u32> = outcome
        .evaluation
        .shortlist
        .iter()
        .map(|r| r.ordinal)
        .chain(owned)
        .collect();
    let groups: Vec<u32> = shown
        .iter()
        .filter_map(|o| catalog.product(*o)?.group())
        .collect();
    let avoid = |ordinal: u32| {
        shown.contains(&ordinal)
            || catalog
                .product(ordinal)
                .and_then(|p| p.group())
                .is_some_and(|g| groups.contains(&g))
    };
    let locale = &outcome.state.locale;
    for card in cards.iter_mut().filter(|c| c.misses.is_empty()) {
        let Some(anchor) = catalog.ordinal(&card.id) else {
            continue;
        };
        for pairing in catalog.goes_well_with(anchor, &avoid, n) {
            let Some(product) = catalog.product(pairing.ordinal) else {
                continue;
            };
            let (basis, orders) = match pairing.basis {
                PairingBasis::BoughtTogether { orders, .. } => ("bought_together", orders),
                PairingBasis::Listed { kind } => (kind.as_str(), 0),
            };
            let view = GoesWellWithView {
                product: card.title.clone(),
                title: product.title().to_string(),
                basis,
                orders,
            };
            card.goes_well_with.push(PairedCard {
                id: product.product_id(),
                title: product.title().to_string(),
                price: product.price(),
                currency: catalog.config().currency.clone(),
                image_url: product.image_url(),
                url: product.url(),
                why: renderer.render(locale, TemplateName::GoesWellWith, &view)?,
            });
        }
    }
    Ok(())
}
