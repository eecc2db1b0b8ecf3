//! The report as plain text, what `advisor report` prints: a few lines per advisor and aligned
//! tables. Also the small formatters (`percent`, `decimal`, `date`) the HTML page shares.

use std::fmt::Write;

use super::files::{civil_from_days, day_of};
use super::report::{Count, Experiment, Figures, Report};
use super::stats::Interval;

/// The report as aligned plain-text tables.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", heading(report));
    if report.is_empty() {
        let _ = writeln!(out, "no events yet");
        return out;
    }
    for advisor in &report.advisors {
        let versions = advisor.versions.join(", ");
        let _ = writeln!(out, "\n== {} (versions: {versions}) ==", advisor.advisor);
        figures(&mut out, &advisor.figures, report.min_conversations);
        for variant in &advisor.variants {
            let _ = writeln!(
                out,
                "\n-- {} variant {} --",
                advisor.advisor, variant.variant
            );
            figures(&mut out, &variant.figures, report.min_conversations);
        }
        if let Some(experiment) = &advisor.experiment {
            ab(&mut out, experiment);
        }
    }
    out
}

/// The first line: when, since when, what was read.
pub(super) fn heading(report: &Report) -> String {
    let since = report.since.map_or_else(
        || "all events".to_string(),
        |since| format!("since {}", date(since)),
    );
    format!(
        "Advisor report, {}, {since}: {} file(s), {} line(s), {} malformed",
        date(report.generated_at),
        report.files.files,
        report.files.lines,
        report.files.malformed
    )
}

/// A share as a percentage with one decimal, `–` when there is none.
pub(super) fn percent(share: Option<f64>) -> String {
    share.map_or_else(
        || "–".to_string(),
        |share| format!("{:.1} %", share * 100.0),
    )
}

/// A number with one decimal, `–` when there is none.
pub(super) fn decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), |value| format!("{value:.1}"))
}

/// An interval of shares as `12.0 % [5.1 %, 20.3 %]`.
pub(super) fn interval(interval: Option<&Interval>) -> String {
    interval.map_or_else(
        || "–".to_string(),
        |i| {
            format!(
                "{:.1} % [{:.1} %, {:.1} %]",
                i.estimate * 100.0,
                i.low * 100.0,
                i.high * 100.0
            )
        },
    )
}

/// A unix second as `YYYY-MM-DD` (UTC).
pub(super) fn date(at: u64) -> String {
    let (year, month, day) = civil_from_days(day_of(at));
    format!("{year:04}-{month:02}-{day:02}")
}

fn figures(out: &mut String, figures: &Figures, min_conversations: u32) {
    let funnel = &figures.funnel;
    let _ = writeln!(
        out,
        "Conversations: {} started, {} completed ({}), {} abandoned, {} active, {} handed off",
        funnel.started,
        funnel.completed,
        percent(funnel.completion_rate),
        funnel.abandoned,
        funnel.active,
        funnel.handed_off
    );
    let summary = &figures.questions_to_shortlist;
    let _ = writeln!(
        out,
        "Questions to a shortlist: mean {}, median {}",
        decimal(summary.mean),
        decimal(summary.median)
    );
    let engagement = &figures.engagement;
    let _ = writeln!(
        out,
        "Of completed: {} clicked ({}), {} added to cart ({}), {} purchased ({})",
        engagement.clicked,
        percent(engagement.click_rate),
        engagement.added_to_cart,
        percent(engagement.add_to_cart_rate),
        engagement.purchased,
        percent(engagement.purchase_rate)
    );
    section(
        out,
        "Questions",
        &QUESTION_HEADERS,
        1,
        question_rows(figures),
    );
    section(
        out,
        "Drop-off",
        &["question", "asked", "abandoned", "share"],
        1,
        drop_off_rows(figures),
    );
    let rows = figures.answers.iter().flat_map(|question| {
        question.options.iter().map(|option| {
            let share = super::stats::rate(option.conversations, question.conversations);
            vec![
                question.question.clone(),
                option.value.clone(),
                option.conversations.to_string(),
                percent(share),
            ]
        })
    });
    section(
        out,
        "Answers",
        &["question", "option", "conversations", "share"],
        2,
        rows.collect(),
    );
    section(
        out,
        "Next steps",
        &["step", "proposed", "accepted", "rejected"],
        1,
        next_step_rows(figures),
    );
    let title = format!("Dead ends (from {min_conversations} conversations)");
    section(
        out,
        &title,
        &["wishes", "conversations"],
        1,
        counts(&figures.no_match.dead_ends),
    );
    let title = format!("Words that matched nothing (from {min_conversations} conversations)");
    section(
        out,
        &title,
        &["word", "conversations"],
        1,
        counts(&figures.no_match.words),
    );
}

fn ab(out: &mut String, experiment: &Experiment) {
    let headers = [
        "variant",
        "started",
        "completed",
        "completion (95 % CI)",
        "carts",
        "add-to-cart (95 % CI)",
    ];
    section(out, "A/B test", &headers, 1, arm_rows(experiment));
    for (what, difference) in [
        ("completion", &experiment.completion),
        ("add-to-cart", &experiment.add_to_cart),
    ] {
        if let Some(difference) = difference {
            let d = &difference.difference;
            let _ = writeln!(
                out,
                "{what} {} − {}: {:+.1} points [{:+.1}, {:+.1}]: {}",
                experiment.challenger,
                experiment.baseline,
                d.estimate * 100.0,
                d.low * 100.0,
                d.high * 100.0,
                difference.verdict
            );
        }
    }
}

/// The columns of `question_rows`.
pub(super) const QUESTION_HEADERS: [&str; 6] = [
    "question",
    "asked",
    "answered",
    "skipped",
    "candidates kept (median)",
    "went on to a shortlist",
];

/// Per question: asked, answered (share), skipped, the median share of candidates an answer kept
/// and the share of those asked that reached a shortlist.
pub(super) fn question_rows(figures: &Figures) -> Vec<Vec<String>> {
    figures
        .questions
        .iter()
        .map(|question| {
            vec![
                question.question.clone(),
                question.asked.to_string(),
                format!("{} ({})", question.answered, percent(question.answer_rate)),
                question.skipped.to_string(),
                percent(question.kept),
                percent(question.completion_rate),
            ]
        })
        .collect()
}

/// Per variant of an A/B test: started, completed, completion, carts, add-to-cart rate.
pub(super) fn arm_rows(experiment: &Experiment) -> Vec<Vec<String>> {
    experiment
        .arms
        .iter()
        .map(|arm| {
            vec![
                arm.variant.clone(),
                arm.started.to_string(),
                arm.completed.to_string(),
                interval(arm.completion.as_ref()),
                arm.added_to_cart.to_string(),
                interval(arm.add_to_cart.as_ref()),
            ]
        })
        .collect()
}

/// The name of a drop-off row's question.
pub(super) fn drop_off_question(question: Option<&str>) -> String {
    question.unwrap_or("(none, after a dead end)").to_string()
}

/// Per last question of abandoned conversations: asked, abandoned, share.
pub(super) fn drop_off_rows(figures: &Figures) -> Vec<Vec<String>> {
    figures
        .drop_off
        .iter()
        .map(|row| {
            vec![
                drop_off_question(row.question.as_deref()),
                row.asked.to_string(),
                row.abandoned.to_string(),
                percent(row.share),
            ]
        })
        .collect()
}

/// Per next step: proposed, accepted and rejected with their rates.
pub(super) fn next_step_rows(figures: &Figures) -> Vec<Vec<String>> {
    figures
        .next_steps
        .iter()
        .map(|step| {
            vec![
                step.step.clone(),
                step.proposed.to_string(),
                format!("{} ({})", step.accepted, percent(step.accepted_rate)),
                format!("{} ({})", step.rejected, percent(step.rejected_rate)),
            ]
        })
        .collect()
}

fn counts(counts: &[Count]) -> Vec<Vec<String>> {
    counts
        .iter()
        .map(|count| vec![count.value.clone(), count.conversations.to_string()])
        .collect()
}

/// A titled table (its first `left` columns are names), or nothing when there are no rows.
fn section(out: &mut String, title: &str, headers: &[&str], left: usize, rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    out.push_str(&table(headers, left, &rows));
}

/// Columns padded to their widest cell: the first `left` left-aligned (names), the others
/// right-aligned (numbers).
fn table(headers: &[&str], left: usize, rows: &[Vec<String>]) -> String {
    let header: Vec<String> = headers.iter().map(|header| (*header).to_string()).collect();
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, width))| {
                if column < left {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            })
            .collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
    out
}
