//! Simulated customers: for every listed product in an advisor's scope as the hidden target, a
//! customer answers each question as the target's attributes dictate (the option it meets, "no
//! preference" or a skip where none does), optionally with a rate of wrong answers and in free
//! text: everyday sentences around any of the option's words, and amounts for price bands
//! (`typing.rs`). Measures how often the target reaches the shortlist and how
//! many questions that takes. It drives the same `dialogue::step` as the HTTP API.
//!
//! Deterministic: the random wrong answers come from a seeded generator.

mod coverage;
mod customer;
mod report;
mod typing;
pub mod utterances;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

pub use coverage::{Coverage, check_coverage, coverage};
pub use customer::{click, offered, or_no_preference, relax_first, truthful};
pub use report::render_table;

use crate::catalog::{Catalog, Product};
use crate::dialogue::{self, Input, Outcome, StepError};
use crate::ids::Locale;
use crate::questions::Advisor;

/// Ranks measured: success@k for each k.
pub const DEPTHS: [usize; 3] = [1, 3, 5];
/// A conversation longer than this many inputs counts as stuck.
const MAX_INPUTS: usize = 40;

/// How the simulated customers behave.
#[derive(Debug, Clone)]
pub struct Options {
    /// Share of answers that are a random other option (0 to 1).
    pub noise: f64,
    pub seed: u64,
    /// Answer in free text (a sentence around any of the option's words, amounts for price
    /// bands) instead of clicking.
    pub text: bool,
    /// Locale of the conversation; the advisor's default when `None`.
    pub locale: Option<Locale>,
    /// Only this target, with the conversation written out.
    pub target: Option<String>,
}

/// The measurements of one advisor.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub advisor: String,
    pub locale: String,
    pub noise: f64,
    pub text: bool,
    pub targets: usize,
    /// success@1, @3, @5: share of targets within the first k products of the shortlist
    /// (an advisor with a shorter shortlist cannot do better at 5 than at its size).
    pub success: Vec<(usize, f64)>,
    pub average_questions: f64,
    pub max_questions: usize,
    /// Conversations that reached a state with no product (they then took the first repair).
    pub dead_ends: usize,
    /// The targets of those conversations.
    pub dead_end_targets: Vec<String>,
    /// Conversations that did not end in a shortlist.
    pub stuck: usize,
    /// Free-text answers the advisor did not understand (then clicked instead).
    pub not_understood: usize,
    pub questions: Vec<QuestionReport>,
    /// Targets that did not reach the shortlist at all: products this advisor fails to find.
    pub missed: Vec<String>,
    /// The conversation with `Options::target`, one line per step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transcript: Vec<String>,
}

/// How one question performed.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionReport {
    pub id: String,
    /// Conversations that were asked this question.
    pub asked: usize,
    /// Average share of candidates left after answering (1.0 = no narrowing).
    pub average_left: f64,
}

/// Runs one simulated customer per target and aggregates.
pub fn simulate(
    advisor: &Advisor,
    catalog: &Catalog,
    options: &Options,
) -> Result<Report, StepError> {
    let locale = options
        .locale
        .clone()
        .unwrap_or_else(|| advisor.default_locale().clone());
    let targets = catalog.search(&advisor.scope)?;
    let mut rng = StdRng::seed_from_u64(options.seed);
    let mut hits = [0usize; DEPTHS.len()];
    let mut asked_total = 0;
    let mut max_questions = 0;
    let mut dead_ends = 0;
    let mut stuck = 0;
    let mut not_understood = 0;
    let mut per_question = vec![(0usize, 0.0f64); advisor.questions.len()];
    let mut missed = Vec::new();
    let mut dead_end_targets = Vec::new();
    let mut transcript = Vec::new();
    for target in &targets {
        let Some(product) = catalog.product(*target) else {
            continue;
        };
        if options.target.as_ref().is_some_and(|id| id != product.id()) {
            continue;
        }
        let run = converse(advisor, catalog, &locale, &product, options, &mut rng)?;
        transcript.extend(run.transcript.iter().cloned());
        asked_total += run.questions;
        max_questions = max_questions.max(run.questions);
        dead_ends += usize::from(run.dead_end);
        if run.dead_end {
            dead_end_targets.push(product.id().to_string());
        }
        not_understood += run.not_understood;
        for (q, left) in run.narrowing {
            per_question[q].0 += 1;
            per_question[q].1 += left;
        }
        match run.rank {
            Some(rank) => {
                for (hit, depth) in hits.iter_mut().zip(DEPTHS) {
                    *hit += usize::from(rank < depth);
                }
            }
            None => {
                stuck += usize::from(!run.completed);
                missed.push(product.id().to_string());
            }
        }
    }
    let measured = if options.target.is_some() {
        usize::from(!transcript.is_empty())
    } else {
        targets.len()
    };
    let n = measured.max(1) as f64;
    Ok(Report {
        advisor: advisor.id.to_string(),
        locale: locale.to_string(),
        noise: options.noise,
        text: options.text,
        targets: measured,
        success: DEPTHS
            .iter()
            .zip(hits)
            .map(|(depth, hit)| (*depth, hit as f64 / n))
            .collect(),
        average_questions: asked_total as f64 / n,
        max_questions,
        dead_ends,
        dead_end_targets,
        stuck,
        not_understood,
        questions: advisor
            .questions
            .iter()
            .zip(per_question)
            .map(|(question, (asked, left))| QuestionReport {
                id: question.id.to_string(),
                asked,
                average_left: if asked == 0 { 1.0 } else { left / asked as f64 },
            })
            .collect(),
        missed,
        transcript,
    })
}

struct Run {
    questions: usize,
    rank: Option<usize>,
    completed: bool,
    dead_end: bool,
    not_understood: usize,
    /// (question, share of candidates left after the answer)
    narrowing: Vec<(usize, f64)>,
    transcript: Vec<String>,
}

fn converse(
    advisor: &Advisor,
    catalog: &Catalog,
    locale: &Locale,
    product: &Product,
    options: &Options,
    rng: &mut StdRng,
) -> Result<Run, StepError> {
    let mut outcome: Outcome = dialogue::start(advisor, catalog, locale.clone(), None)?;
    let mut run = Run {
        questions: 0,
        rank: None,
        completed: false,
        dead_end: false,
        not_understood: 0,
        narrowing: Vec::new(),
        transcript: Vec::new(),
    };
    let tracing = options.target.is_some();
    if tracing {
        run.transcript
            .push(format!("target {} {}", product.id(), product.title()));
    }
    for _ in 0..MAX_INPUTS {
        let evaluation = &outcome.evaluation;
        if evaluation.is_dead_end() {
            run.dead_end = true;
            let Some(relax) = relax_first(advisor, evaluation) else {
                return Ok(run);
            };
            outcome = dialogue::step(advisor, catalog, &outcome.state, relax)?;
            continue;
        }
        let Some(ask) = evaluation.next.clone() else {
            run.completed = true;
            run.rank = evaluation.shortlist.iter().position(|r| {
                r.ordinal == product.ordinal
                    || catalog
                        .product(r.ordinal)
                        .is_some_and(|p| p.group().is_some() && p.group() == product.group())
            });
            if tracing {
                for (rank, r) in evaluation.shortlist.iter().enumerate() {
                    if let Some(p) = catalog.product(r.ordinal) {
                        run.transcript.push(format!(
                            "  {}. {} {} (score {})",
                            rank + 1,
                            p.id(),
                            p.title(),
                            r.score
                        ));
                    }
                }
            }
            return Ok(run);
        };
        let question = &advisor.questions[ask.question];
        let offered = offered(&ask);
        let mut chosen = truthful(question, &offered, product);
        if options.noise > 0.0 && rng.random_bool(options.noise.clamp(0.0, 1.0)) {
            let others: Vec<usize> = offered
                .iter()
                .copied()
                .filter(|o| !chosen.contains(o))
                .collect();
            if !others.is_empty() {
                chosen = vec![others[rng.random_range(0..others.len())]];
            }
        }
        let chosen = or_no_preference(question, &offered, chosen);
        let before = evaluation.candidates.len().max(1) as f64;
        let click = click(question, &chosen);
        if tracing {
            run.transcript.push(format!(
                "{} ({} left) -> {:?}",
                question.id,
                evaluation.candidates.len(),
                click
            ));
        }
        let mut next = None;
        if options.text && !chosen.is_empty() {
            let text = typing::sentence(advisor, ask.question, &chosen, locale, product, rng);
            let said = dialogue::step(advisor, catalog, &outcome.state, Input::Text(text))?;
            if said.state == outcome.state {
                run.not_understood += 1;
            } else {
                next = Some(said);
            }
        }
        outcome = match next {
            Some(said) => said,
            None => dialogue::step(advisor, catalog, &outcome.state, click)?,
        };
        run.questions += 1;
        let after = outcome.evaluation.candidates.len() as f64;
        run.narrowing.push((ask.question, after / before));
    }
    Ok(run)
}
