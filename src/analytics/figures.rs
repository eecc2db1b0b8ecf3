//! From conversations to figures: the funnel, drop-off, answers, questions to a shortlist,
//! engagement, next steps and the wishes not carried of one set of conversations (an advisor or
//! one of its variants). Words and dead ends are kept only from `min_conversations` on.

use std::collections::{BTreeMap, BTreeSet};

use super::AnalyticsSettings;
use super::report::{
    AnswerCounts, Count, DropOff, Engagement, Figures, Funnel, NextStep, NoMatch, QuestionUse,
    Summary,
};
use super::stats::{mean, median, rate};
use super::tally::Conversation;

/// The figures of a set of conversations.
pub(super) fn figures(
    conversations: &[&Conversation<'_>],
    now: u64,
    settings: &AnalyticsSettings,
) -> Figures {
    let abandon_after = u64::from(settings.abandon_after_minutes) * 60;
    let count = |keep: &dyn Fn(&Conversation<'_>) -> bool| -> u64 {
        conversations.iter().filter(|c| keep(c)).count() as u64
    };
    let started = conversations.len() as u64;
    let completed = count(&|c| c.completed());
    let abandoned: Vec<&Conversation<'_>> = conversations
        .iter()
        .copied()
        .filter(|c| c.abandoned(now, abandon_after))
        .collect();
    let handed_off = count(&|c| c.handed_off);
    let active = count(&|c| !c.completed() && !c.handed_off) - abandoned.len() as u64;
    let shortlists: Vec<u32> = conversations.iter().filter_map(|c| c.shortlist).collect();
    let done = |keep: &dyn Fn(&Conversation<'_>) -> bool| count(&|c| c.completed() && keep(c));
    let (clicked, carted, purchased) = (
        done(&|c| c.viewed),
        done(&|c| c.carted),
        done(&|c| c.purchased),
    );
    Figures {
        funnel: Funnel {
            started,
            completed,
            abandoned: abandoned.len() as u64,
            active,
            handed_off,
            completion_rate: rate(completed, started),
        },
        questions: questions(conversations),
        drop_off: drop_off(conversations, &abandoned),
        answers: answers(conversations),
        questions_to_shortlist: Summary {
            conversations: shortlists.len() as u64,
            mean: mean(&shortlists),
            median: median(&shortlists),
        },
        engagement: Engagement {
            clicked,
            added_to_cart: carted,
            purchased,
            click_rate: rate(clicked, completed),
            add_to_cart_rate: rate(carted, completed),
            purchase_rate: rate(purchased, completed),
        },
        next_steps: next_steps(conversations),
        no_match: NoMatch {
            dead_ends: at_least(conversations, settings, |c| &c.dead_ends),
            words: at_least(conversations, settings, |c| &c.words),
        },
    }
}

/// Per question asked: answered, skipped, narrowing and completion, in order of the most asked.
fn questions(conversations: &[&Conversation<'_>]) -> Vec<QuestionUse> {
    #[derive(Default)]
    struct Tally {
        asked: u64,
        answered: u64,
        skipped: u64,
        completed: u64,
        kept: Vec<f64>,
    }
    let mut by_question: BTreeMap<&str, Tally> = BTreeMap::new();
    for conversation in conversations {
        for question in &conversation.asked {
            let tally = by_question.entry(question).or_default();
            tally.asked += 1;
            tally.completed += u64::from(conversation.completed());
        }
        let answered: BTreeSet<&str> = conversation.answers.iter().map(|(q, _)| *q).collect();
        for question in answered {
            by_question.entry(question).or_default().answered += 1;
        }
        for question in &conversation.skipped {
            by_question.entry(question).or_default().skipped += 1;
        }
        for (question, share) in &conversation.kept {
            by_question.entry(question).or_default().kept.push(*share);
        }
    }
    let mut rows: Vec<QuestionUse> = by_question
        .into_iter()
        .map(|(question, tally)| QuestionUse {
            question: question.to_string(),
            asked: tally.asked,
            answered: tally.answered,
            skipped: tally.skipped,
            answer_rate: rate(tally.answered.min(tally.asked), tally.asked),
            kept: median(&tally.kept),
            completion_rate: rate(tally.completed, tally.asked),
        })
        .collect();
    rows.sort_by(|a, b| b.asked.cmp(&a.asked).then(a.question.cmp(&b.question)));
    rows
}

fn drop_off(all: &[&Conversation<'_>], abandoned: &[&Conversation<'_>]) -> Vec<DropOff> {
    let mut asked: BTreeMap<Option<&str>, u64> = BTreeMap::new();
    for question in all.iter().flat_map(|c| &c.asked) {
        *asked.entry(Some(*question)).or_default() += 1;
    }
    let mut left: BTreeMap<Option<&str>, u64> = BTreeMap::new();
    for conversation in abandoned {
        *left.entry(conversation.on_offer).or_default() += 1;
    }
    let mut rows: Vec<DropOff> = left
        .into_iter()
        .map(|(question, abandoned)| {
            let asked = asked.get(&question).copied().unwrap_or(0);
            DropOff {
                question: question.map(str::to_string),
                asked,
                abandoned,
                share: question.and_then(|_| rate(abandoned, asked)),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.abandoned
            .cmp(&a.abandoned)
            .then(a.question.cmp(&b.question))
    });
    rows
}

fn answers(conversations: &[&Conversation<'_>]) -> Vec<AnswerCounts> {
    let mut by_question: BTreeMap<&str, (BTreeSet<usize>, BTreeMap<&str, u64>)> = BTreeMap::new();
    for (index, conversation) in conversations.iter().enumerate() {
        for (question, option) in &conversation.answers {
            let (answered, options) = by_question.entry(question).or_default();
            answered.insert(index);
            *options.entry(option).or_default() += 1;
        }
    }
    let mut rows: Vec<AnswerCounts> = by_question
        .into_iter()
        .map(|(question, (answered, options))| AnswerCounts {
            question: question.to_string(),
            conversations: answered.len() as u64,
            options: sorted_counts(options.into_iter().map(|(o, n)| (o.to_string(), n))),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.conversations
            .cmp(&a.conversations)
            .then(a.question.cmp(&b.question))
    });
    rows
}

fn next_steps(conversations: &[&Conversation<'_>]) -> Vec<NextStep> {
    let mut steps: BTreeMap<&str, [u64; 3]> = BTreeMap::new();
    for conversation in conversations {
        for (column, set) in [
            &conversation.proposed,
            &conversation.accepted,
            &conversation.rejected,
        ]
        .into_iter()
        .enumerate()
        {
            for step in set {
                steps.entry(step).or_default()[column] += 1;
            }
        }
    }
    steps
        .into_iter()
        .map(|(step, [proposed, accepted, rejected])| NextStep {
            step: step.to_string(),
            proposed,
            accepted,
            rejected,
            accepted_rate: rate(accepted, proposed),
            rejected_rate: rate(rejected, proposed),
        })
        .collect()
}

/// Items with the count of distinct conversations having them, only those at or above the
/// `min_conversations` threshold (k-anonymity).
fn at_least<'c>(
    conversations: &[&'c Conversation<'_>],
    settings: &AnalyticsSettings,
    items: impl Fn(&'c Conversation<'_>) -> &'c BTreeSet<String>,
) -> Vec<Count> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for conversation in conversations {
        for item in items(conversation) {
            *counts.entry(item).or_default() += 1;
        }
    }
    let threshold = u64::from(settings.min_conversations.max(1));
    sorted_counts(
        counts
            .into_iter()
            .filter(|(_, n)| *n >= threshold)
            .map(|(item, n)| (item.to_string(), n)),
    )
}

/// Counts, most first, ties by name.
pub(super) fn sorted_counts(counts: impl Iterator<Item = (String, u64)>) -> Vec<Count> {
    let mut rows: Vec<Count> = counts
        .map(|(value, conversations)| Count {
            value,
            conversations,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.conversations
            .cmp(&a.conversations)
            .then(a.value.cmp(&b.value))
    });
    rows
}
