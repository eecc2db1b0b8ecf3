//! The recorder against a real folder: files per day and instance, flush on close, retention,
//! and `record` never waiting.

use std::path::{Path, PathBuf};

use std::fs;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use super::files::{day_of, file_name};
use super::log::*;
use super::unix_now as now;
use super::*;
use crate::analytics::{EventKind, Feedback, read};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advisor-analytics-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn settings(dir: &Path) -> AnalyticsSettings {
    AnalyticsSettings {
        dir: Some(dir.to_path_buf()),
        instance: "web-1".into(),
        ..AnalyticsSettings::default()
    }
}

fn viewed(at: u64) -> Event {
    Event {
        at,
        conversation: "0123456789abcdef".into(),
        advisor: "jackets".into(),
        variant: None,
        version: "v1".into(),
        kind: EventKind::Feedback {
            action: Feedback::ProductViewed,
            product: Some("jacket-17".into()),
            step: None,
        },
    }
}

#[test]
fn events_land_in_one_file_per_day_and_are_on_disk_after_close() {
    let dir = temp_dir("days");
    let recorder = Recorder::open(&settings(&dir)).expect("opens");
    let today = now();
    let yesterday = today - 86_400;
    recorder.record(viewed(yesterday));
    recorder.record(viewed(today));
    recorder.record(viewed(today + 1));
    recorder.close();
    recorder.close();
    assert!(dir.join(file_name(day_of(today), "web-1")).is_file());
    assert!(dir.join(file_name(day_of(yesterday), "web-1")).is_file());
    let (events, stats) = read(&dir, None).expect("reads");
    assert_eq!(stats.files, 2);
    assert_eq!(
        events,
        vec![viewed(yesterday), viewed(today), viewed(today + 1)]
    );
    assert_eq!(recorder.dropped(), 0);
    recorder.record(viewed(today));
    assert_eq!(recorder.dropped(), 1, "closed: dropped and counted");
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn events_are_flushed_within_about_a_second_without_close() {
    let dir = temp_dir("flush");
    let recorder = Recorder::open(&settings(&dir)).expect("opens");
    recorder.record(viewed(now()));
    let deadline = Instant::now() + Duration::from_secs(5);
    while read(&dir, None).expect("reads").0.is_empty() {
        assert!(Instant::now() < deadline, "not flushed after 5 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    recorder.close();
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn opening_deletes_files_past_retention_of_every_instance() {
    let dir = temp_dir("retention");
    fs::create_dir_all(&dir).expect("dir");
    let today = day_of(now());
    let old = dir.join(file_name(today - 91, "web-2"));
    let kept = dir.join(file_name(today - 90, "web-2"));
    let other = dir.join("notes.txt");
    for path in [&old, &kept, &other] {
        fs::write(path, "").expect("write");
    }
    let recorder = Recorder::open(&settings(&dir)).expect("opens");
    assert!(!old.exists(), "91 days old: deleted");
    assert!(kept.exists(), "90 days old: kept");
    assert!(other.exists(), "not an event file: left alone");
    recorder.close();
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn record_never_waits_when_the_writer_is_behind() {
    // A writer that never reads: the channel fills and further events are dropped at once.
    let (sender, _receiver) = sync_channel(2);
    let recorder = Recorder::with(sender, None, Default::default());
    let started = Instant::now();
    for second in 0..10 {
        recorder.clone().record(viewed(second));
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(recorder.dropped(), 8);
}

#[test]
fn a_disabled_recorder_writes_nothing_and_is_shareable() {
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<Recorder>();
    let dir = temp_dir("disabled");
    let off = AnalyticsSettings {
        enabled: false,
        ..settings(&dir)
    };
    let recorder = Recorder::open(&off).expect("opens");
    recorder.record(viewed(now()));
    recorder.close();
    assert!(!dir.exists());
}

#[test]
fn two_writers_of_one_name_in_one_folder_never_share_a_file() {
    // Regression: two instances sharing a folder both wrote `events-…-local.jsonl`, and lines
    // interleaved into invalid JSON.
    let dir = temp_dir("two-writers");
    let first = Recorder::open(&settings(&dir)).expect("opens");
    let second = Recorder::open(&settings(&dir)).expect("opens");
    let today = now();
    for n in 0..2_000 {
        first.record(viewed(today + n % 7));
        second.record(viewed(today + n % 5));
    }
    first.close();
    second.close();
    let (events, stats) = read(&dir, None).expect("reads");
    assert_eq!(stats.malformed, 0, "{stats:?}");
    assert_eq!(events.len(), 4_000);
    assert_eq!(stats.files, 2, "one file each");
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn malformed_lines_are_counted_and_their_files_named() {
    let dir = temp_dir("malformed");
    fs::create_dir_all(&dir).expect("dir");
    let name = file_name(day_of(now()), "web-9");
    fs::write(dir.join(&name), "{\"broken\": turnturn}\nnot json\n").expect("write");
    let (_, stats) = read(&dir, None).expect("reads");
    assert_eq!(stats.malformed, 2);
    assert_eq!(stats.malformed_in, vec![(name, 2)]);
    fs::remove_dir_all(&dir).ok();
}
