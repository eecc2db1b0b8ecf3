//! Ranking the candidates into a shortlist: soft preferences add their weight, ties break by
//! product id, and every product carries the answers it meets as its reasons.
//!
//! Pure: the same candidates and answers always give the same shortlist.

use crate::catalog::{Condition, Product};
use crate::questions::Advisor;

/// A soft wish from an answer: products meeting the condition gain the weight.
#[derive(Debug, Clone)]
pub struct Preference {
    pub condition: Condition,
    pub weight: f64,
    /// (question index, option index) the wish came from.
    pub source: (usize, usize),
}

/// One shortlisted product with why it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub ordinal: u32,
    pub score: f64,
    /// The answers this product meets, as (question index, option index), in answer order.
    pub reasons: Vec<(usize, usize)>,
}

/// Ranks `products` (the candidates, in the same order as `ordinals`) and keeps the best
/// `advisor.shortlist_size`. `answers` are every chosen option, in answer order.
pub fn rank(
    advisor: &Advisor,
    ordinals: &[u32],
    products: &[&Product],
    preferences: &[Preference],
    answers: &[(usize, usize)],
) -> Vec<Recommendation> {
    let mut ranked: Vec<(Recommendation, &Product)> = ordinals
        .iter()
        .zip(products)
        .map(|(ordinal, product)| {
            let score = preferences
                .iter()
                .filter(|p| p.condition.matches(product))
                .map(|p| p.weight)
                .sum();
            let reasons = answers
                .iter()
                .filter(|(q, o)| {
                    let effect = &advisor.questions[*q].options[*o].effect;
                    !effect.is_no_preference() && effect.matches(product)
                })
                .copied()
                .collect();
            let recommendation = Recommendation {
                ordinal: *ordinal,
                score,
                reasons,
            };
            (recommendation, *product)
        })
        .collect();
    ranked.sort_by(|(a, pa), (b, pb)| b.score.total_cmp(&a.score).then_with(|| pa.id.cmp(&pb.id)));
    ranked
        .into_iter()
        .take(advisor.shortlist_size)
        .map(|(recommendation, _)| recommendation)
        .collect()
}
