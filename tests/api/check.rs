//! `advisor check` on the shipped files and on broken copies of them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run_check(dir: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .arg("check")
        .current_dir(dir)
        .env_remove("ADVISOR__PATHS__CATALOG")
        .output()
        .expect("advisor runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn shipped_copy(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("advisor-check-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for folder in ["catalog", "questions", "templates"] {
        copy_dir(&root.join(folder), &dir.join(folder));
    }
    dir
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(from), "{from} not in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn the_shipped_files_are_clean() {
    let (ok, out) = run_check(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(ok, "{out}");
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
}

#[test]
fn every_problem_is_reported_at_once_with_file_line_and_hint() {
    let dir = shipped_copy("broken");
    let jackets = dir.join("questions/jackets.yaml");
    edit(
        &jackets,
        "filter: {climate: [Rainy]}",
        "filter: {climat: [Rainy]}",
    );
    edit(
        &jackets,
        "filter: {climate: [Windy]}",
        "filter: {climate: [Wndy]}",
    );
    edit(
        &jackets,
        "de: Für wen ist die Jacke?",
        "fr: Pour qui est la veste ?",
    );
    edit(
        &dir.join("templates/de/question.hbs"),
        "{{question}}",
        "{{questoin}}",
    );
    let (ok, out) = run_check(&dir);
    assert!(!ok, "broken files fail the check");
    assert!(
        out.contains("unknown facet `climat`") && out.contains("did you mean `climate`?"),
        "{out}"
    );
    assert!(
        out.contains("value `Wndy` is not in catalogue field `climate`")
            && out.contains("did you mean `Windy`?"),
        "{out}"
    );
    assert!(out.contains("no translation for `de`"), "{out}");
    assert!(out.contains("questions/jackets.yaml:"), "{out}");
    assert!(out.contains("templates/de/question.hbs"), "{out}");
    assert!(out.contains("questoin"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_catalogue_line_is_reported_with_its_number() {
    let dir = shipped_copy("catalogue");
    let products = dir.join("catalog/products.jsonl");
    let mut text = std::fs::read_to_string(&products).expect("read");
    text.push_str("{\"id\": \"X1\", \"name\": \"Broken\", \"price_min\": \"cheap\"}\n");
    std::fs::write(&products, text).expect("write");
    let (ok, out) = run_check(&dir);
    assert!(!ok);
    assert!(out.contains("products.jsonl:200"), "{out}");
    assert!(out.contains("`price_min` must be a number"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn json_output_lists_the_problems_for_ci() {
    let dir = shipped_copy("json");
    edit(
        &dir.join("questions/jackets.yaml"),
        "max_candidates: 5",
        "max_candidates: 0",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .args(["check", "--format", "json"])
        .current_dir(&dir)
        .output()
        .expect("advisor runs");
    assert!(!output.status.success());
    let problems: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let first = &problems[0];
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().is_some(), "{problems}");
    std::fs::remove_dir_all(&dir).ok();
}
