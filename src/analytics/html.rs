//! The report as one self-contained HTML page for `/admin/report` and `advisor report --format
//! html`: no script, no external asset, one `<style>` element (the handler's
//! Content-Security-Policy allows inline styles only), inline SVG charts each followed by a table
//! of the same numbers. Every text from files or customers goes through `escape`.

use std::fmt::Write;

use super::report::{AdvisorReport, Count, Experiment, Figures, Report};
use super::stats::rate;
use super::svg::{bars, escape, intervals};
use super::text::{
    QUESTION_HEADERS, arm_rows, decimal, drop_off_question, drop_off_rows, heading, next_step_rows,
    percent, question_rows,
};

/// The Content-Security-Policy the page needs: inline styles, nothing else.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;\
padding:0 1rem;color:#222}h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #3b6ea8}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{padding:.2rem .7rem;text-align:right;\
border-bottom:1px solid #ddd}th:first-child,td:first-child{text-align:left}\
.note{color:#555}svg{max-width:100%;height:auto}";

/// The report as an HTML page.
pub fn to_html(report: &Report) -> String {
    let mut page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Advisor report</title><style>{STYLE}</style></head><body><main><h1>Advisor report</h1>\
<p class=\"note\">{}</p>",
        escape(&heading(report))
    );
    if report.is_empty() {
        page.push_str("<p>No events yet.</p>");
    }
    for advisor in &report.advisors {
        advisor_section(&mut page, advisor, report.min_conversations);
    }
    page.push_str("</main></body></html>\n");
    page
}

fn advisor_section(page: &mut String, advisor: &AdvisorReport, min_conversations: u32) {
    let name = escape(&advisor.advisor);
    let _ = write!(
        page,
        "<section><h2>{name}</h2><p class=\"note\">Versions: {}</p>",
        escape(&advisor.versions.join(", "))
    );
    figures(page, &advisor.advisor, &advisor.figures, min_conversations);
    for variant in &advisor.variants {
        let label = format!("{} variant {}", advisor.advisor, variant.variant);
        let _ = write!(page, "<h3>Variant {}</h3>", escape(&variant.variant));
        figures(page, &label, &variant.figures, min_conversations);
    }
    if let Some(experiment) = &advisor.experiment {
        ab(page, &advisor.advisor, experiment);
    }
    page.push_str("</section>");
}

fn figures(page: &mut String, label: &str, figures: &Figures, min_conversations: u32) {
    let funnel = &figures.funnel;
    let steps = [
        ("started", funnel.started),
        ("completed", funnel.completed),
        ("abandoned", funnel.abandoned),
        ("active", funnel.active),
        ("handed off", funnel.handed_off),
    ];
    let rows: Vec<(String, f64, String)> = steps
        .iter()
        .map(|(name, n)| ((*name).to_string(), *n as f64, n.to_string()))
        .collect();
    page.push_str(&bars(&format!("Conversations of {label}"), &rows));
    let summary = &figures.questions_to_shortlist;
    let engagement = &figures.engagement;
    let cells = [
        ("Completion rate", percent(funnel.completion_rate)),
        (
            "Questions to a shortlist (mean / median)",
            format!("{} / {}", decimal(summary.mean), decimal(summary.median)),
        ),
        ("Click rate (of completed)", percent(engagement.click_rate)),
        (
            "Add-to-cart rate (of completed)",
            percent(engagement.add_to_cart_rate),
        ),
        (
            "Purchase rate (of completed)",
            percent(engagement.purchase_rate),
        ),
    ];
    let mut rows: Vec<Vec<String>> = steps
        .iter()
        .map(|(name, n)| vec![(*name).to_string(), n.to_string()])
        .collect();
    rows.extend(
        cells
            .into_iter()
            .map(|(name, value)| vec![name.to_string(), value]),
    );
    table(page, &["Conversations", ""], &rows);
    if !figures.questions.is_empty() {
        page.push_str(
            "<h4>What each question does</h4><p class=\"note\">A question that keeps nearly \
every candidate, or that many skip, does not help customers choose.</p>",
        );
        let chart: Vec<_> = figures
            .questions
            .iter()
            .filter_map(|q| {
                let kept = q.kept?;
                let removed = 1.0 - kept;
                Some((q.question.clone(), removed, percent(Some(removed))))
            })
            .collect();
        if !chart.is_empty() {
            page.push_str(&bars(
                &format!("Share of candidates an answer removes in {label} (median)"),
                &chart,
            ));
        }
        table(page, &QUESTION_HEADERS, &question_rows(figures));
    }
    if !figures.drop_off.is_empty() {
        let _ = write!(page, "<h4>Drop-off per question</h4>");
        let chart: Vec<_> = figures
            .drop_off
            .iter()
            .map(|row| {
                (
                    drop_off_question(row.question.as_deref()),
                    row.abandoned as f64,
                    format!("{} ({})", row.abandoned, percent(row.share)),
                )
            })
            .collect();
        page.push_str(&bars(
            &format!("Abandoned conversations of {label} by last question"),
            &chart,
        ));
        table(
            page,
            &["Question", "Asked", "Abandoned", "Share"],
            &drop_off_rows(figures),
        );
    }
    for question in &figures.answers {
        let _ = write!(page, "<h4>Answers to {}</h4>", escape(&question.question));
        let share = |n: u64| percent(rate(n, question.conversations));
        let chart: Vec<_> = question
            .options
            .iter()
            .map(|o| {
                (
                    o.value.clone(),
                    o.conversations as f64,
                    format!("{} ({})", o.conversations, share(o.conversations)),
                )
            })
            .collect();
        page.push_str(&bars(
            &format!("Answers to {} in {label}", question.question),
            &chart,
        ));
        let rows: Vec<_> = question
            .options
            .iter()
            .map(|o| {
                vec![
                    o.value.clone(),
                    o.conversations.to_string(),
                    share(o.conversations),
                ]
            })
            .collect();
        table(page, &["Option", "Conversations", "Share"], &rows);
    }
    if !figures.next_steps.is_empty() {
        page.push_str("<h4>Next steps</h4>");
        table(
            page,
            &["Step", "Proposed", "Accepted", "Rejected"],
            &next_step_rows(figures),
        );
    }
    let no_match = &figures.no_match;
    if !no_match.dead_ends.is_empty() || !no_match.words.is_empty() {
        let _ = write!(
            page,
            "<h4>What customers wanted and did not find</h4><p class=\"note\">Shown from {min_conversations} conversations on.</p>"
        );
        table(
            page,
            &["Wishes that left nothing", "Conversations"],
            &counts(&no_match.dead_ends),
        );
        table(
            page,
            &["Words that matched nothing", "Conversations"],
            &counts(&no_match.words),
        );
    }
}

fn ab(page: &mut String, advisor: &str, experiment: &Experiment) {
    page.push_str("<h3>A/B test</h3>");
    for (what, pick) in [("Completion", 0), ("Add-to-cart", 1)] {
        let rows: Vec<_> = experiment
            .arms
            .iter()
            .filter_map(|arm| {
                let rate = if pick == 0 {
                    arm.completion
                } else {
                    arm.add_to_cart
                };
                rate.map(|rate| (format!("variant {}", arm.variant), rate))
            })
            .collect();
        page.push_str(&intervals(
            &format!("{what} rate of {advisor} per variant with 95 % intervals"),
            &rows,
        ));
    }
    table(
        page,
        &[
            "Variant",
            "Started",
            "Completed",
            "Completion (95 % CI)",
            "Added to cart",
            "Add-to-cart (95 % CI)",
        ],
        &arm_rows(experiment),
    );
    for (what, difference) in [
        ("Completion", &experiment.completion),
        ("Add-to-cart", &experiment.add_to_cart),
    ] {
        if let Some(difference) = difference {
            let d = &difference.difference;
            let line = format!(
                "{what}, {} − {}: {:+.1} points (95 % CI {:+.1} to {:+.1}): {}.",
                experiment.challenger,
                experiment.baseline,
                d.estimate * 100.0,
                d.low * 100.0,
                d.high * 100.0,
                difference.verdict
            );
            let _ = write!(page, "<p>{}</p>", escape(&line));
        }
    }
}

fn counts(counts: &[Count]) -> Vec<Vec<String>> {
    counts
        .iter()
        .map(|c| vec![c.value.clone(), c.conversations.to_string()])
        .collect()
}

fn table(page: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        return;
    }
    page.push_str("<table><thead><tr>");
    for header in headers {
        let _ = write!(page, "<th scope=\"col\">{}</th>", escape(header));
    }
    page.push_str("</tr></thead><tbody>");
    for row in rows {
        page.push_str("<tr>");
        for cell in row {
            let _ = write!(page, "<td>{}</td>", escape(cell));
        }
        page.push_str("</tr>");
    }
    page.push_str("</tbody></table>");
}
