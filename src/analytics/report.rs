//! The report: per advisor (and per A/B variant) the funnel, drop-off per question, answers,
//! questions to a shortlist, clicks and carts, next steps, the wishes the shop cannot meet, and
//! the A/B comparison with its intervals. `build` is pure (events and a clock in, figures out);
//! `Report` serializes as the JSON form, `text.rs` and `html.rs` render the others.

use std::collections::BTreeMap;

use serde::Serialize;

use super::figures::figures;
use super::stats::{Interval, newcombe, wilson};
use super::tally::{Conversation, conversations};
use super::{AnalyticsSettings, Event, ReadStats};

/// Everything the report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Unix second the report was built at.
    pub generated_at: u64,
    /// Only conversations started at or after this unix second, when limited.
    pub since: Option<u64>,
    /// What reading the files found.
    pub files: ReadStats,
    /// Words and dead ends are shown from this many conversations on.
    pub min_conversations: u32,
    /// Idle minutes after which a conversation without an ending is abandoned.
    pub abandon_after_minutes: u32,
    pub advisors: Vec<AdvisorReport>,
}

impl Report {
    /// No conversation started in the events read.
    pub fn is_empty(&self) -> bool {
        self.advisors.is_empty()
    }
}

/// One advisor: all its conversations, then each A/B variant.
#[derive(Debug, Clone, Serialize)]
pub struct AdvisorReport {
    pub advisor: String,
    /// Versions of the advisor file the conversations started on.
    pub versions: Vec<String>,
    pub figures: Figures,
    /// Per variant, when the advisor runs an A/B test.
    pub variants: Vec<VariantReport>,
    /// The comparison of the first two variants (normally `a` and `b`).
    pub experiment: Option<Experiment>,
}

/// One A/B variant of an advisor.
#[derive(Debug, Clone, Serialize)]
pub struct VariantReport {
    pub variant: String,
    pub versions: Vec<String>,
    pub figures: Figures,
}

/// The figures of a set of conversations.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub funnel: Funnel,
    /// What each question does: answered, skipped, how much it narrows.
    pub questions: Vec<QuestionUse>,
    /// Where abandoned conversations stopped, most first.
    pub drop_off: Vec<DropOff>,
    /// Per question, the conversations choosing each option.
    pub answers: Vec<AnswerCounts>,
    pub questions_to_shortlist: Summary,
    pub engagement: Engagement,
    pub next_steps: Vec<NextStep>,
    pub no_match: NoMatch,
}

/// How conversations ended.
#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    pub started: u64,
    /// Reached a shortlist.
    pub completed: u64,
    /// Neither a shortlist nor a handoff, idle longer than `abandon_after_minutes`.
    pub abandoned: u64,
    /// Neither a shortlist nor a handoff, recently active.
    pub active: u64,
    /// Handed to a person (with or without a shortlist).
    pub handed_off: u64,
    pub completion_rate: Option<f64>,
}

/// How customers use one question, and how much it narrows: a question most customers skip or
/// that keeps nearly every candidate does not help them choose.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionUse {
    pub question: String,
    /// Conversations that were asked it.
    pub asked: u64,
    /// Conversations that answered it (by a button or in their own words).
    pub answered: u64,
    /// Conversations that skipped it.
    pub skipped: u64,
    /// `answered / asked`.
    pub answer_rate: Option<f64>,
    /// The median share of candidates an answer to it kept (1 = it narrowed nothing), over the
    /// answers that answered this question alone.
    pub kept: Option<f64>,
    /// Conversations asked it that went on to a shortlist, as a share of those asked it.
    pub completion_rate: Option<f64>,
}

/// Abandoned conversations whose last question on offer was this one.
#[derive(Debug, Clone, Serialize)]
pub struct DropOff {
    /// `None`: nothing was on offer (after a dead end).
    pub question: Option<String>,
    /// Conversations that were asked it.
    pub asked: u64,
    pub abandoned: u64,
    /// `abandoned / asked`.
    pub share: Option<f64>,
}

/// The answers to one question.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerCounts {
    pub question: String,
    /// Conversations that answered it.
    pub conversations: u64,
    pub options: Vec<Count>,
}

/// A value and the number of distinct conversations having it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub value: String,
    pub conversations: u64,
}

/// Questions answered up to the first shortlist.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Conversations with a shortlist.
    pub conversations: u64,
    pub mean: Option<f64>,
    pub median: Option<f64>,
}

/// What completed conversations did with the shortlist; rates are per completed conversation.
#[derive(Debug, Clone, Serialize)]
pub struct Engagement {
    /// Viewed or clicked a product.
    pub clicked: u64,
    pub added_to_cart: u64,
    pub purchased: u64,
    pub click_rate: Option<f64>,
    pub add_to_cart_rate: Option<f64>,
    pub purchase_rate: Option<f64>,
}

/// A next step proposed with shortlists; rates are per conversation it was proposed to.
#[derive(Debug, Clone, Serialize)]
pub struct NextStep {
    pub step: String,
    pub proposed: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub accepted_rate: Option<f64>,
    pub rejected_rate: Option<f64>,
}

/// What customers wanted that the shop does not carry, from `min_conversations` on.
#[derive(Debug, Clone, Serialize)]
pub struct NoMatch {
    /// Combinations of `question=option` wishes that left nothing.
    pub dead_ends: Vec<Count>,
    /// Free-text words that matched nothing.
    pub words: Vec<Count>,
}

/// The A/B comparison: each variant's rates per started conversation, and `b − a`.
#[derive(Debug, Clone, Serialize)]
pub struct Experiment {
    pub arms: Vec<Arm>,
    /// The variant subtracted (normally `a`).
    pub baseline: String,
    /// The variant compared with it (normally `b`).
    pub challenger: String,
    pub completion: Option<Difference>,
    pub add_to_cart: Option<Difference>,
}

/// One variant in the experiment.
#[derive(Debug, Clone, Serialize)]
pub struct Arm {
    pub variant: String,
    pub started: u64,
    pub completed: u64,
    pub added_to_cart: u64,
    /// Completed per started, with the 95 % Wilson interval.
    pub completion: Option<Interval>,
    /// Added to cart per started, with the 95 % Wilson interval.
    pub add_to_cart: Option<Interval>,
}

/// `challenger − baseline` with Newcombe's 95 % interval and what it means in words.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub difference: Interval,
    pub verdict: String,
}

/// The report of these events as of `now` (unix seconds).
pub fn build(events: &[Event], now: u64, settings: &AnalyticsSettings) -> Report {
    let found = conversations(events);
    let mut by_advisor: BTreeMap<&str, Vec<&Conversation<'_>>> = BTreeMap::new();
    for conversation in found.values() {
        by_advisor
            .entry(conversation.advisor)
            .or_default()
            .push(conversation);
    }
    let advisors = by_advisor
        .into_iter()
        .map(|(advisor, all)| {
            let mut by_variant: BTreeMap<&str, Vec<&Conversation<'_>>> = BTreeMap::new();
            for conversation in &all {
                if let Some(variant) = conversation.variant {
                    by_variant.entry(variant).or_default().push(conversation);
                }
            }
            AdvisorReport {
                advisor: advisor.to_string(),
                versions: versions(&all),
                figures: figures(&all, now, settings),
                experiment: experiment(&by_variant),
                variants: by_variant
                    .iter()
                    .map(|(variant, group)| VariantReport {
                        variant: (*variant).to_string(),
                        versions: versions(group),
                        figures: figures(group, now, settings),
                    })
                    .collect(),
            }
        })
        .collect();
    Report {
        generated_at: now,
        since: None,
        files: ReadStats::default(),
        min_conversations: settings.min_conversations,
        abandon_after_minutes: settings.abandon_after_minutes,
        advisors,
    }
}

fn versions(conversations: &[&Conversation<'_>]) -> Vec<String> {
    let mut versions: Vec<String> = conversations
        .iter()
        .map(|c| c.version.to_string())
        .collect();
    versions.sort();
    versions.dedup();
    versions
}

fn experiment(by_variant: &BTreeMap<&str, Vec<&Conversation<'_>>>) -> Option<Experiment> {
    if by_variant.len() < 2 {
        return None;
    }
    let arms: Vec<Arm> = by_variant
        .iter()
        .map(|(variant, group)| {
            let started = group.len() as u64;
            let completed = group.iter().filter(|c| c.completed()).count() as u64;
            let carted = group.iter().filter(|c| c.added_to_cart()).count() as u64;
            Arm {
                variant: (*variant).to_string(),
                started,
                completed,
                added_to_cart: carted,
                completion: wilson(completed, started),
                add_to_cart: wilson(carted, started),
            }
        })
        .collect();
    let (a, b) = (&arms[0], &arms[1]);
    let compare = |of: fn(&Arm) -> u64, verb: &str| {
        newcombe((of(a), a.started), (of(b), b.started)).map(|difference| Difference {
            verdict: verdict(&difference, &a.variant, &b.variant, verb),
            difference,
        })
    };
    Some(Experiment {
        completion: compare(|arm| arm.completed, "completes"),
        add_to_cart: compare(|arm| arm.added_to_cart, "adds to cart"),
        baseline: a.variant.clone(),
        challenger: b.variant.clone(),
        arms,
    })
}

fn verdict(difference: &Interval, a: &str, b: &str, verb: &str) -> String {
    let winner = if difference.low > 0.0 {
        b
    } else if difference.high < 0.0 {
        a
    } else {
        return "no clear difference yet".to_string();
    };
    format!("{winner} {verb} more often (95 % CI of the difference excludes 0)")
}
