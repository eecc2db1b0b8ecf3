//! Ranking candidates into a shortlist: soft preferences add their weight, variants of one
//! product are folded into one, and the shortlist balances relevance against variety over the
//! advisor's diversity fields (greedy maximal marginal relevance). Every product carries the
//! answers it meets as its reasons.
//!
//! Pure and deterministic: ties break by product id, so the same candidates and answers always
//! give the same shortlist.

use std::collections::HashSet;
use std::sync::Arc;

use roaring::RoaringBitmap;

use crate::catalog::{Condition, NumberRef, Product};
use crate::questions::{Advisor, DiversityField};

/// At most this many of the most relevant candidates compete for variety.
const DIVERSITY_POOL: usize = 60;
/// Weight of "like the product the customer pointed at" against the answers' preferences.
const SIMILARITY_WEIGHT: f64 = 20.0;

/// A soft wish: products meeting the condition gain the weight.
#[derive(Debug, Clone)]
pub struct Preference {
    pub condition: Condition,
    pub weight: f64,
    /// The products meeting the condition (from `Catalog::select`).
    pub products: Arc<RoaringBitmap>,
}

/// One shortlisted product with why it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub ordinal: u32,
    pub score: f64,
    /// The answers this product meets, as (question index, option index), in answer order.
    pub reasons: Vec<(usize, usize)>,
    /// For a close alternative: the constraints (indexes) it misses. Empty for a full match.
    pub misses: Vec<usize>,
}

/// Ranks `products` and keeps the best `advisor.shortlist_size`, one per variant group.
/// `answered` are the answers in force (question index, option indexes).
pub fn rank(
    advisor: &Advisor,
    products: &[Product<'_>],
    preferences: &[Preference],
    answered: &[(usize, Vec<usize>)],
    similar_to: Option<Product<'_>>,
) -> Vec<Recommendation> {
    let fields = similarity_fields(advisor, products);
    let reference = similar_to.map(|p| features(&fields, &p));
    let mut scored: Vec<(f64, Product<'_>)> = products
        .iter()
        .map(|product| {
            let mut score: f64 = preferences
                .iter()
                .filter(|p| p.products.contains(product.ordinal))
                .map(|p| p.weight)
                .sum::<f64>()
                // An empty sum is -0.0; keep scores readable.
                + 0.0;
            if let Some(reference) = &reference {
                score +=
                    SIMILARITY_WEIGHT * similarity(&fields, reference, &features(&fields, product));
            }
            (score, *product)
        })
        .collect();
    let order = |(a, pa): &(f64, Product<'_>), (b, pb): &(f64, Product<'_>)| {
        b.total_cmp(a).then_with(|| pa.id().cmp(pb.id()))
    };
    // Only the best few can make the shortlist: sort those, not every candidate.
    let keep = 4 * DIVERSITY_POOL.max(advisor.shortlist_size);
    if scored.len() > keep {
        scored.select_nth_unstable_by(keep, order);
        let (best, _) = scored.split_at(keep);
        let with_groups = best.iter().filter(|(_, p)| p.group().is_some()).count();
        // Folding variants could leave too few; then every candidate is sorted after all.
        if with_groups < keep - DIVERSITY_POOL.max(advisor.shortlist_size) {
            scored.truncate(keep);
        }
    }
    scored.sort_by(order);
    let mut groups = HashSet::new();
    scored.retain(|(_, p)| p.group().is_none_or(|g| groups.insert(g)));
    scored.truncate(DIVERSITY_POOL.max(advisor.shortlist_size));
    let picked = diversify(advisor, &fields, scored);
    picked
        .into_iter()
        .map(|(score, product)| Recommendation {
            ordinal: product.ordinal,
            score,
            reasons: reasons(advisor, answered, &product),
            misses: Vec::new(),
        })
        .collect()
}

/// The answers a product meets, in answer order.
pub fn reasons(
    advisor: &Advisor,
    answered: &[(usize, Vec<usize>)],
    product: &Product<'_>,
) -> Vec<(usize, usize)> {
    answered
        .iter()
        .flat_map(|(q, options)| options.iter().map(move |o| (*q, *o)))
        .filter(|(q, o)| {
            let effect = &advisor.questions[*q].options[*o].effect;
            !effect.is_no_preference() && effect.matches(product)
        })
        .collect()
}

/// Greedy selection: each pick maximises relevance (scaled to 0..1) minus `weight` times its
/// greatest similarity to the products already picked. `ranked` is sorted best first.
fn diversify<'a>(
    advisor: &Advisor,
    fields: &Fields,
    mut ranked: Vec<(f64, Product<'a>)>,
) -> Vec<(f64, Product<'a>)> {
    let weight = advisor.diversity.weight;
    if advisor.diversity.fields.is_empty() || weight <= 0.0 {
        ranked.truncate(advisor.shortlist_size);
        return ranked;
    }
    // Each product's values, read once rather than at every comparison.
    let mut ranked: Vec<(f64, Product<'a>, Features<'a>)> = ranked
        .into_iter()
        .map(|(score, product)| (score, product, features(fields, &product)))
        .collect();
    let top = ranked.first().map_or(0.0, |(s, _, _)| *s);
    let bottom = ranked.last().map_or(0.0, |(s, _, _)| *s);
    let spread = top - bottom;
    let mut picked: Vec<(f64, Product<'a>, Features<'a>)> = Vec::new();
    while picked.len() < advisor.shortlist_size && !ranked.is_empty() {
        let mut best = 0;
        let mut best_value = f64::NEG_INFINITY;
        for (index, (score, _, product)) in ranked.iter().enumerate() {
            let relevance = if spread > 0.0 {
                (score - bottom) / spread
            } else {
                1.0
            };
            let overlap = picked
                .iter()
                .map(|(_, _, other)| similarity(fields, other, product))
                .fold(0.0, f64::max);
            let value = (1.0 - weight) * relevance - weight * overlap;
            // Strictly greater: on a tie the earlier (higher score, lower id) product wins.
            if value > best_value + 1e-12 {
                best = index;
                best_value = value;
            }
        }
        picked.push(ranked.remove(best));
    }
    picked.into_iter().map(|(s, p, _)| (s, p)).collect()
}

/// A product's values on the similarity fields, in field order.
type Features<'a> = Vec<Feature<'a>>;

enum Feature<'a> {
    Values(Vec<&'a str>),
    Number(Option<f64>),
}

fn features<'a>(fields: &Fields, product: &Product<'a>) -> Features<'a> {
    fields
        .fields
        .iter()
        .map(|(field, _)| match field {
            DiversityField::Facet(facet) => Feature::Values(product.values(*facet).collect()),
            DiversityField::Number(number) => Feature::Number(number_of(product, *number)),
        })
        .collect()
}

/// The fields similarity looks at, with the value range of each number among the products.
struct Fields {
    fields: Vec<(DiversityField, f64)>,
}

/// The diversity fields, or every facet when the advisor names none (for "more like this").
fn similarity_fields(advisor: &Advisor, products: &[Product<'_>]) -> Fields {
    let all_facets: Vec<DiversityField> = (0..products.first().map_or(0, |p| p.facet_count()))
        .map(DiversityField::Facet)
        .collect();
    let chosen = if advisor.diversity.fields.is_empty() {
        &all_facets
    } else {
        &advisor.diversity.fields
    };
    let fields = chosen
        .iter()
        .map(|field| {
            let spread = match field {
                DiversityField::Facet(_) => 0.0,
                DiversityField::Number(number) => {
                    let values = products.iter().filter_map(|p| number_of(p, *number));
                    let (low, high) =
                        values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
                    (high - low).max(0.0)
                }
            };
            (*field, spread)
        })
        .collect();
    Fields { fields }
}

/// How alike two products are over the fields, from 0 (nothing shared) to 1 (the same).
fn similarity(fields: &Fields, a: &Features<'_>, b: &Features<'_>) -> f64 {
    if fields.fields.is_empty() {
        return 0.0;
    }
    let total: f64 = fields
        .fields
        .iter()
        .zip(a.iter().zip(b))
        .map(|((_, spread), pair)| match pair {
            (Feature::Values(x), Feature::Values(y)) => {
                if x.is_empty() && y.is_empty() {
                    return 1.0;
                }
                let shared = x.iter().filter(|v| y.contains(v)).count();
                let union = x.len() + y.len() - shared;
                shared as f64 / union as f64
            }
            (Feature::Number(x), Feature::Number(y)) => match (x, y) {
                (Some(x), Some(y)) if *spread > 0.0 => 1.0 - ((x - y).abs() / spread).min(1.0),
                (Some(_), Some(_)) => 1.0,
                _ => 0.0,
            },
            _ => 0.0,
        })
        .sum();
    total / fields.fields.len() as f64
}

/// The value of a number field (or the price) of a product.
pub fn number_of(product: &Product<'_>, number: NumberRef) -> Option<f64> {
    match number {
        NumberRef::Price => product.price(),
        NumberRef::Number(index) => product.number(index),
    }
}

#[cfg(test)]
mod tests;
