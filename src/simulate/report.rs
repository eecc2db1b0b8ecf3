//! The readable table of simulation reports.

use std::fmt::Write;

use super::Report;

/// One block per report: the headline figures, then one line per question.
pub fn render_table(reports: &[Report]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>7} {:>7} {:>7} {:>8} {:>6} {:>9} {:>6}",
        "advisor", "targets", "@1", "@3", "@5", "avg q", "max q", "dead ends", "stuck"
    );
    for report in reports {
        let success = |k: usize| {
            report
                .success
                .iter()
                .find(|(depth, _)| *depth == k)
                .map_or(0.0, |(_, share)| share * 100.0)
        };
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>6.1}% {:>6.1}% {:>6.1}% {:>8.2} {:>6} {:>9} {:>6}",
            report.advisor,
            report.targets,
            success(1),
            success(3),
            success(5),
            report.average_questions,
            report.max_questions,
            report.dead_ends,
            report.stuck,
        );
    }
    for report in reports {
        let mode = if report.text { "free text" } else { "clicks" };
        let _ = writeln!(
            out,
            "\n{} ({}, {}, {:.0}% wrong answers{})",
            report.advisor,
            report.locale,
            mode,
            report.noise * 100.0,
            if report.text {
                format!(", {} not understood", report.not_understood)
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            out,
            "  {:<16} {:>6} {:>12}",
            "question", "asked", "left after"
        );
        for question in &report.questions {
            let _ = writeln!(
                out,
                "  {:<16} {:>6} {:>11.0}%",
                question.id,
                question.asked,
                question.average_left * 100.0
            );
        }
        for line in &report.transcript {
            let _ = writeln!(out, "  {line}");
        }
        if !report.missed.is_empty() {
            let shown: Vec<&str> = report.missed.iter().take(12).map(String::as_str).collect();
            let more = report.missed.len().saturating_sub(shown.len());
            let _ = writeln!(
                out,
                "  never shortlisted: {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    out
}
