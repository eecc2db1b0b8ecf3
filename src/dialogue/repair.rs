//! No dead ends: when the wishes leave nothing, find the smallest sets of wishes to drop (one
//! wish if any single one will do, else pairs, else all of them), each with how many products it
//! brings back, and
//! the close alternatives: products that miss as few wishes as possible, with what they miss.

use std::sync::Arc;

use roaring::RoaringBitmap;

use super::evaluate::Repair;
use super::replay::Wishes;
use crate::catalog::{Catalog, IndexError, Product};
use crate::questions::Advisor;
use crate::ranking::{self, Recommendation};

/// At most this many repairs are offered.
const MAX_REPAIRS: usize = 4;

/// The repairs and the alternatives they bring back (best first).
pub(super) fn repairs(
    advisor: &Advisor,
    catalog: &Catalog,
    wishes: &Wishes,
) -> Result<(Vec<Repair>, Vec<Recommendation>), IndexError> {
    let count = wishes.constraints.len();
    let mut found: Vec<(Vec<usize>, Arc<RoaringBitmap>)> = Vec::new();
    for i in 0..count {
        let products = catalog.select(&wishes.condition(&[i]));
        if !products.is_empty() {
            found.push((vec![i], products));
        }
    }
    if found.is_empty() {
        for i in 0..count {
            for j in i + 1..count {
                let products = catalog.select(&wishes.condition(&[i, j]));
                if !products.is_empty() {
                    found.push((vec![i, j], products));
                }
            }
        }
    }
    if found.is_empty() && count > 2 {
        // No one or two wishes are to blame: offer to drop them all (the scope stays).
        let all: Vec<usize> = (0..count).collect();
        let products = catalog.select(&wishes.condition(&all));
        if !products.is_empty() {
            found.push((all, products));
        }
    }
    // Most products first; among equals, dropping the most recent wish first.
    found.sort_by(|(a, pa), (b, pb)| pb.len().cmp(&pa.len()).then_with(|| b.cmp(a)));
    let repairs = found
        .iter()
        .take(MAX_REPAIRS)
        .map(|(drop, products)| Repair {
            drop: drop.clone(),
            count: products.len() as usize,
        })
        .collect();
    let alternatives = rank_alternatives(advisor, catalog, wishes, &found, &RoaringBitmap::new());
    Ok((repairs, alternatives))
}

/// Products outside `have` that miss exactly one wish, ranked (for filling a short shortlist).
pub(super) fn alternatives(
    advisor: &Advisor,
    catalog: &Catalog,
    wishes: &Wishes,
    have: &RoaringBitmap,
) -> Result<Vec<Recommendation>, IndexError> {
    let mut found = Vec::new();
    for i in 0..wishes.constraints.len() {
        let products = catalog.select(&wishes.condition(&[i]));
        if products.len() > have.len() {
            found.push((vec![i], products));
        }
    }
    Ok(rank_alternatives(advisor, catalog, wishes, &found, have))
}

/// Close alternatives, taken in turn from each way of dropping wishes (the most specific drop
/// first), so that every wish that may have been wrong gets its best alternative shown before a
/// second one from the same drop. Each carries the wishes it misses.
fn rank_alternatives(
    advisor: &Advisor,
    catalog: &Catalog,
    wishes: &Wishes,
    found: &[(Vec<usize>, Arc<RoaringBitmap>)],
    have: &RoaringBitmap,
) -> Vec<Recommendation> {
    let similar = wishes.similar_to.and_then(|o| catalog.product(o));
    let mut groups: Vec<Vec<Recommendation>> = found
        .iter()
        .map(|(_, ordinals)| {
            let products: Vec<Product<'_>> = (&**ordinals - have)
                .iter()
                .filter_map(|o| catalog.product(o))
                .collect();
            ranking::rank(
                advisor,
                &products,
                &wishes.preferences,
                &wishes.answered,
                similar,
            )
        })
        .filter(|group| !group.is_empty())
        .collect();
    groups.sort_by_key(Vec::len);
    let mut ranked: Vec<Recommendation> = Vec::new();
    let deepest = groups.iter().map(Vec::len).max().unwrap_or(0);
    for depth in 0..deepest {
        for group in &groups {
            if let Some(recommendation) = group.get(depth)
                && !ranked.iter().any(|r| r.ordinal == recommendation.ordinal)
            {
                ranked.push(recommendation.clone());
            }
        }
        if ranked.len() >= advisor.shortlist_size {
            break;
        }
    }
    ranked.truncate(advisor.shortlist_size);
    for recommendation in &mut ranked {
        if let Some(product) = catalog.product(recommendation.ordinal) {
            recommendation.misses = wishes
                .constraints
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.condition.matches(&product))
                .map(|(i, _)| i)
                .collect();
        }
    }
    ranked
}
