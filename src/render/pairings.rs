//! "Goes well with" on the shortlist's cards: the companions the dialogue chose for each product
//! meeting every wish (`dialogue::Proposals`), with the sentence that says why
//! (`goes_well_with.hbs`).

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

/// Fills `goes_well_with` of every card with the companions the outcome proposes
/// (`dialogue::Proposals`).
pub(super) fn pair_up(
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
    cards: &mut [ProductCard],
) -> Result<(), RenderError> {
    let locale = &outcome.state.locale;
    for card in cards.iter_mut() {
        let Some(anchor) = catalog.ordinal(&card.id) else {
            continue;
        };
        for pairing in outcome.proposals.companions_of(anchor) {
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
