//! No dead ends: when the wishes leave nothing, find the smallest sets of wishes to drop (one
//! wish if any single one will do, else pairs, else all of them), each with how many products it
//! brings back, and
//! the close alternatives: products that miss as few wishes as possible, with what they miss.

use std::collections::HashSet;
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
    let variant_group = |ordinal: u32| catalog.product(ordinal).and_then(|p| p.group());
    // A variant of a product already shown (a candidate, or an alternative picked before) is
    // not an alternative to it: a shortlist shows one product of a variant group.
    let mut shown_groups: HashSet<u32> = have.iter().filter_map(variant_group).collect();
    let mut ranked: Vec<Recommendation> = Vec::new();
    let deepest = groups.iter().map(Vec::len).max().unwrap_or(0);
    for depth in 0..deepest {
        for group in &groups {
            if let Some(recommendation) = group.get(depth)
                && !ranked.iter().any(|r| r.ordinal == recommendation.ordinal)
                && variant_group(recommendation.ordinal).is_none_or(|g| shown_groups.insert(g))
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::catalog::Catalog;
    use crate::dialogue::{Input, start, step};
    use crate::ids::Locale;

    /// Two variants of one jacket (red and blue) and another blue jacket.
    const CONFIG: &str = "products: p.jsonl\ncurrency: EUR\nid: id\ntitle: name\nprice: price\n\
        group: group\nfacets:\n  - name: color\n";
    const PRODUCTS: &str = "{\"id\":\"j-red\",\"name\":\"Jacket red\",\"price\":10,\"color\":\"red\",\"group\":\"j\"}\n\
        {\"id\":\"j-blue\",\"name\":\"Jacket blue\",\"price\":10,\"color\":\"blue\",\"group\":\"j\"}\n\
        {\"id\":\"k-blue\",\"name\":\"Coat blue\",\"price\":20,\"color\":\"blue\"}\n";
    const ADVISOR: &str = "title: {en: Colours}\nlocales: [en]\nnoun:\n  en: {one: jacket, other: jackets}\n\
        stop:\n  max_candidates: 1\nshortlist:\n  size: 3\nquestions:\n\
        \x20 - id: color\n    text: {en: Which colour?}\n    options:\n\
        \x20     - id: red\n        label: {en: Red}\n        filter: {color: [red]}\n\
        \x20     - id: blue\n        label: {en: Blue}\n        filter: {color: [blue]}\n";

    /// Regression: a close alternative could be another variant of a product already on the
    /// shortlist (the blue jacket after the red one), showing one product twice.
    #[test]
    fn alternatives_skip_variants_of_a_shortlisted_product() {
        let catalog = Catalog::from_sources(Path::new("catalog"), CONFIG, PRODUCTS.as_bytes())
            .unwrap_or_else(|problems| panic!("{}", problems.render()));
        let (advisor, _) =
            crate::questions::check_source(Path::new("questions/colours.yaml"), ADVISOR, &catalog)
                .unwrap_or_else(|problems| panic!("{}", problems.render()));
        let locale = Locale::parse("en").expect("locale");
        let first = start(&advisor, &catalog, locale, None).expect("start");
        let red = Input::Answer {
            question: "color".into(),
            values: vec!["red".into()],
        };
        let outcome = step(&advisor, &catalog, &first.state, red).expect("red");
        let shown: Vec<&str> = outcome
            .evaluation
            .shortlist
            .iter()
            .filter_map(|card| catalog.product(card.ordinal).map(|p| p.id()))
            .collect();
        assert_eq!(shown, ["j-red", "k-blue"]);
    }
}
