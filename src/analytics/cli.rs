//! The `advisor report` command line: read the event folder of the settings and print the
//! report as text (default), JSON or a self-contained HTML page, to stdout or a file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::{AnalyticsSettings, Query, produce, to_html, to_text, unix_now};

/// Print what customers did with each advisor: funnel, drop-off, answers, clicks, A/B tests.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only conversations started in the last N days (default: every event kept).
    #[arg(long, value_name = "N")]
    pub since_days: Option<u32>,
    /// Only this advisor.
    #[arg(long, value_name = "ID")]
    pub advisor: Option<String>,
    /// `text` (tables), `json` or `html` (a page with charts).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Html,
}

/// Builds and writes the report; exit 0 also when there are no events yet.
pub fn run(settings: &AnalyticsSettings, args: Args) -> anyhow::Result<ExitCode> {
    let query = Query {
        since_days: args.since_days,
        advisor: args.advisor,
    };
    let dir = settings.events_dir();
    let report = produce(settings, &query, unix_now())
        .with_context(|| format!("reading the analytics events in `{}`", dir.display()))?;
    let output = match args.format {
        ReportFormat::Text if report.is_empty() => {
            format!("no events yet in `{}`\n", dir.display())
        }
        ReportFormat::Text => to_text(&report),
        ReportFormat::Json => {
            serde_json::to_string_pretty(&report).context("writing the report as JSON")? + "\n"
        }
        ReportFormat::Html => to_html(&report),
    };
    match args.out {
        Some(path) => std::fs::write(&path, output)
            .with_context(|| format!("writing the report to `{}`", path.display()))?,
        None => print!("{output}"),
    }
    // Regression: interleaved lines were skipped without a word.
    for (file, count) in &report.files.malformed_in {
        eprintln!("warning: {count} malformed line(s) skipped in {file}");
    }
    Ok(ExitCode::SUCCESS)
}
