//! The reference for the search phase: the states conversations pass through, each asked of
//! tantivy alone (the candidates' filters, the top products by price and the value counts of
//! every facet the advisor asks about), timed per turn.

use std::time::Instant;

use rand::SeedableRng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand_chacha::ChaCha8Rng;

use crate::catalog::{Condition, RawWork};
use crate::dialogue::{self, Input};
use crate::shop::Shop;

/// Conversations walked to collect the states.
const CONVERSATIONS: usize = 100;
/// Each state's raw work is timed this many times (the median counts).
const REPEATS: usize = 1;

/// Raw tantivy time per turn.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub turns: usize,
    /// Mean and median microseconds per turn.
    pub mean_us: f64,
    pub p50_us: f64,
}

/// Walks conversations in-process, answering like the load generator (an option drawn in
/// proportion to its count), and times the raw tantivy work of every state reached.
pub fn measure(shop: &Shop, seed: u64) -> anyhow::Result<Raw> {
    let Some(advisor) = shop.advisors.first() else {
        anyhow::bail!("no advisor to measure");
    };
    let catalog = &shop.catalog;
    let mut facets: Vec<usize> = advisor
        .questions
        .iter()
        .flat_map(|q| &q.options)
        .filter_map(|o| o.effect.hard.as_ref())
        .flat_map(facets_of)
        .collect();
    facets.sort_unstable();
    facets.dedup();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut conditions: Vec<Condition> = Vec::new();
    for _ in 0..CONVERSATIONS {
        let locale = advisor.default_locale().clone();
        let mut outcome = dialogue::start(advisor, catalog, locale, None)?;
        loop {
            conditions.push(dialogue::candidate_condition(
                advisor,
                catalog,
                &outcome.state,
            )?);
            let Some(ask) = &outcome.evaluation.next else {
                break;
            };
            let weights: Vec<usize> = ask.options.iter().map(|o| o.count.max(1)).collect();
            let Ok(pick) = WeightedIndex::new(&weights) else {
                break;
            };
            let offered = ask.options[pick.sample(&mut rng)];
            let question = &advisor.questions[ask.question];
            let input = Input::Answer {
                question: question.id.to_string(),
                values: vec![question.options[offered.option].id.to_string()],
            };
            outcome = dialogue::step(advisor, catalog, &outcome.state, input)?;
        }
    }
    let mut times = Vec::with_capacity(conditions.len());
    for condition in &conditions {
        let mut runs = [0.0f64; REPEATS];
        for run in &mut runs {
            let started = Instant::now();
            let work: RawWork = catalog.raw_work(condition, &facets, advisor.shortlist_size)?;
            std::hint::black_box(&work);
            *run = started.elapsed().as_secs_f64() * 1e6;
        }
        runs.sort_by(f64::total_cmp);
        times.push(runs[REPEATS / 2]);
    }
    let turns = times.len();
    let mean_us = times.iter().sum::<f64>() / turns.max(1) as f64;
    times.sort_by(f64::total_cmp);
    Ok(Raw {
        turns,
        mean_us,
        p50_us: times.get(turns / 2).copied().unwrap_or_default(),
    })
}

fn facets_of(condition: &Condition) -> Vec<usize> {
    match condition {
        Condition::Facet { facet, .. } => vec![*facet],
        Condition::All(inner) | Condition::Any(inner) => inner.iter().flat_map(facets_of).collect(),
        Condition::Not(inner) => facets_of(inner),
        _ => Vec::new(),
    }
}
