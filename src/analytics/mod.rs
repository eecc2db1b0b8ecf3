//! Anonymous analytics: what customers do with each advisor, without knowing who they are.
//! The routes emit one `Event` per start, turn, shortlist and client feedback to a `Recorder`,
//! which appends JSON Lines files per day and instance off the request path; `report` reads
//! every file of the directory (several instances can share one) and builds the figures an
//! operator reads with `advisor report` or at `/admin/report`. It must never hold personal data:
//! no address, agent, name or raw free text; conversations are pseudonyms, free-text words are
//! filtered by `safe_words` and shown only when enough conversations used them.

pub mod cli;
mod event;
mod figures;
mod files;
mod html;
mod log;
#[cfg(test)]
mod log_tests;
mod report;
#[cfg(test)]
mod report_forms_tests;
#[cfg(test)]
mod report_tests;
mod stats;
mod stream;
mod svg;
mod tally;
mod text;

use std::path::PathBuf;

use sha2::{Digest, Sha256};

pub use crate::settings::AnalyticsSettings;
pub use event::{Answered, Event, EventKind, Feedback};
pub use files::{ReadStats, civil_from_days, days_from_civil, read};
pub use html::{CONTENT_SECURITY_POLICY, to_html};
pub use log::Recorder;
pub use report::{
    AdvisorReport, AnswerCounts, Arm, Count, Difference, DropOff, Engagement, Experiment, Figures,
    Funnel, NextStep, NoMatch, Report, Summary, VariantReport, build,
};
pub use stats::{Interval, newcombe, wilson};
pub use svg::escape;
pub use text::to_text;

/// What a report covers: events since a time, of one advisor or all.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Only conversations started in the last this many days.
    pub since_days: Option<u32>,
    /// Only this advisor.
    pub advisor: Option<String>,
}

/// Reading the event files failed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    /// The directory or a file in it could not be read.
    #[error("reading `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The Redis Stream could not be read.
    #[error("reading the redis stream `{key}`")]
    Redis {
        key: String,
        #[source]
        source: redis::RedisError,
    },
}

/// Reads the settings' directory and builds the report of `query` as of `now` (unix seconds).
pub fn produce(
    settings: &AnalyticsSettings,
    query: &Query,
    now: u64,
) -> Result<Report, AnalyticsError> {
    let since = query
        .since_days
        .map(|days| now.saturating_sub(u64::from(days) * 86_400));
    let (mut events, stats) = match (settings.store, &settings.redis) {
        (crate::settings::EventStore::Redis, Some(stream)) => stream::read(stream, since)?,
        _ => read(&settings.events_dir(), since)?,
    };
    if let Some(advisor) = &query.advisor {
        events.retain(|event| &event.advisor == advisor);
    }
    let mut report = build(&events, now, settings);
    report.since = since;
    report.files = stats;
    Ok(report)
}

/// Now, in unix seconds (UTC).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The pseudonym of a conversation in events: 16 hex digits of SHA-256 over a fixed prefix and
/// the id. Stable (so events of one conversation group together) and not the id (so an event
/// file cannot be used to resume or look up a conversation).
pub fn pseudonym(conversation_id: &str) -> String {
    let digest = Sha256::digest(format!("advisor-analytics\0{conversation_id}").as_bytes());
    crate::ids::lower_hex(&digest[..8])
}

/// The words of a free text that may be kept: at most 5, lower-cased, alphabetic, 2 to 24
/// letters. A word with a digit, `@`, `/`, `:` or `.` is dropped (e-mails, phone and order
/// numbers, URLs), as is any other non-letter.
pub fn safe_words(words: &[String]) -> Vec<String> {
    words
        .iter()
        .filter(|word| (2..=24).contains(&word.chars().count()))
        .filter(|word| word.chars().all(char::is_alphabetic))
        .map(|word| word.to_lowercase())
        .take(5)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|word| (*word).to_string()).collect()
    }

    #[test]
    fn a_pseudonym_is_stable_short_hex_and_not_the_id() {
        let id = "5f0c6a3e9b1d4c2a8e7f6d5c4b3a2918";
        let name = pseudonym(id);
        assert_eq!(name, pseudonym(id));
        assert_eq!(name.len(), 16);
        assert!(name.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!id.contains(&name));
        assert_ne!(name, pseudonym("5f0c6a3e9b1d4c2a8e7f6d5c4b3a2919"));
    }

    #[test]
    fn safe_words_drop_anything_that_could_name_or_reach_a_person() {
        let kept = safe_words(&words(&[
            "Goretex",
            "jane@example.com",
            "0171",
            "https://x.y",
            "order12345",
            "a",
            "www.shop.de",
            "Übergröße",
            "x:y",
            "a/b",
        ]));
        assert_eq!(kept, words(&["goretex", "übergröße"]));
    }

    #[test]
    fn safe_words_keep_at_most_five_words_of_at_most_24_letters() {
        let kept = safe_words(&words(&["one", "two", "three", "four", "five", "six"]));
        assert_eq!(kept.len(), 5);
        let long = "a".repeat(25);
        assert!(safe_words(&[long]).is_empty());
        assert_eq!(safe_words(&["b".repeat(24)]).len(), 1);
    }
}
