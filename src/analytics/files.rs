//! The event files on disk: `events-YYYY-MM-DD-{instance}.jsonl`, one per UTC day and instance,
//! so several instances can write into one shared directory without ever sharing a file.
//! Naming, the calendar arithmetic behind it, retention and reading every file back. Reading
//! skips malformed lines (counted) and a missing directory is simply no events.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{AnalyticsError, Event};

const SECONDS_PER_DAY: u64 = 86_400;

/// What reading found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadStats {
    /// Event files read.
    pub files: usize,
    /// Lines read.
    pub lines: usize,
    /// Lines that were not an event (skipped).
    pub malformed: usize,
    /// The files with malformed lines, by name, with how many each has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub malformed_in: Vec<(String, usize)>,
}

/// Every event in `dir` at or after `since` (unix seconds), oldest first.
pub fn read(dir: &Path, since: Option<u64>) -> Result<(Vec<Event>, ReadStats), AnalyticsError> {
    let mut stats = ReadStats::default();
    let mut events = Vec::new();
    let first_day = since.map_or(i64::MIN, day_of);
    for (day, path) in event_files(dir)? {
        if day < first_day {
            continue;
        }
        let file = fs::File::open(&path).map_err(|source| failed(&path, source))?;
        stats.files += 1;
        let malformed_before = stats.malformed;
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|source| failed(&path, source))?;
            if line.trim().is_empty() {
                continue;
            }
            stats.lines += 1;
            match serde_json::from_str::<Event>(&line) {
                Ok(event) if since.is_none_or(|since| event.at >= since) => events.push(event),
                Ok(_) => {}
                Err(_) => stats.malformed += 1,
            }
        }
        if stats.malformed > malformed_before {
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            stats
                .malformed_in
                .push((name, stats.malformed - malformed_before));
        }
    }
    events.sort_by_key(|event| event.at);
    Ok((events, stats))
}

/// The year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

/// Days since 1970-01-01 of a date (the inverse of `civil_from_days`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The UTC day (days since 1970-01-01) of a unix second.
pub(super) fn day_of(at: u64) -> i64 {
    i64::try_from(at / SECONDS_PER_DAY).unwrap_or(i64::MAX)
}

/// The file of one day's events of one instance.
pub(super) fn file_name(day: i64, instance: &str) -> String {
    let (year, month, day) = civil_from_days(day);
    format!("events-{year:04}-{month:02}-{day:02}-{instance}.jsonl")
}

/// The instance name for file names: the setting, else `HOSTNAME` (or `local`) and the process
/// id, with every character outside `[A-Za-z0-9_-]` replaced by `_`.
pub(super) fn instance_name(configured: &str) -> String {
    // Unconfigured: the host and this process, so two instances sharing a folder (on one host
    // or several) never write one file. Regression: both wrote `…-local.jsonl`, interleaved.
    let name = if configured.is_empty() {
        let host = std::env::var("HOSTNAME")
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "local".to_string());
        format!("{host}-{}", std::process::id())
    } else {
        configured.to_string()
    };
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Deletes the event files (of any instance) of days before `today - retention_days`; returns
/// how many it deleted.
pub(super) fn sweep(dir: &Path, today: i64, retention_days: u32) -> Result<usize, AnalyticsError> {
    let mut deleted = 0;
    for (day, path) in event_files(dir)? {
        if day < today - i64::from(retention_days) {
            fs::remove_file(&path).map_err(|source| failed(&path, source))?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// The event files in `dir` with their day, sorted by name; none when `dir` does not exist.
fn event_files(dir: &Path) -> Result<Vec<(i64, PathBuf)>, AnalyticsError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(failed(dir, source)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|source| failed(dir, source))?.path();
        let day = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(day_in_name);
        if let Some(day) = day {
            files.push((day, path));
        }
    }
    files.sort();
    Ok(files)
}

/// The day of a file named `events-YYYY-MM-DD-{instance}.jsonl`.
fn day_in_name(name: &str) -> Option<i64> {
    let rest = name.strip_prefix("events-")?;
    let instance = rest.get(10..)?.strip_prefix('-')?.strip_suffix(".jsonl")?;
    if instance.is_empty() {
        return None;
    }
    let date = rest.get(..10)?;
    let mut parts = date.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Some(days_from_civil(year, month, day))
}

fn failed(path: &Path, source: std::io::Error) -> AnalyticsError {
    AnalyticsError::Read {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates_and_back() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_675), (2023, 11, 14));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for days in [-800_000, -1, 0, 59, 60, 11_016, 19_675, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }

    #[test]
    fn file_names_carry_the_day_and_a_safe_instance() {
        assert_eq!(
            file_name(day_of(1_700_000_000), &instance_name("web-1")),
            "events-2023-11-14-web-1.jsonl"
        );
        assert_eq!(instance_name("pod/7.eu west"), "pod_7_eu_west");
        assert_eq!(day_in_name("events-2023-11-14-web-1.jsonl"), Some(19_675));
        assert_eq!(day_in_name("events-2023-11-14.jsonl"), None);
        assert_eq!(day_in_name("notes.txt"), None);
    }

    #[test]
    fn a_missing_directory_reads_as_no_events() {
        let (events, stats) = read(Path::new("no/such/analytics/dir"), None).expect("empty");
        assert!(events.is_empty());
        assert_eq!(stats, ReadStats::default());
    }
}
