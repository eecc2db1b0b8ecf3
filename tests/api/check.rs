//! `advisor check` on the shipped files and on broken copies of them.

use std::path::Path;
use std::process::Command;

use crate::helpers::shipped_copy;

fn run_check(dir: &Path) -> (bool, String) {
    let (code, out) = run_check_with(dir, &[]);
    (code == Some(0), out)
}

/// `advisor check` with more arguments: the exit code and what it printed.
fn run_check_with(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env_remove("ADVISOR__PATHS__CATALOG")
        .env_remove("ADVISOR__PATHS__QUESTIONS")
        .output()
        .expect("advisor runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The 1-based number of the first line of `file` that contains `text`.
fn line_of(file: &Path, text: &str) -> usize {
    let content = std::fs::read_to_string(file).expect("read");
    content
        .lines()
        .position(|line| line.contains(text))
        .map(|index| index + 1)
        .unwrap_or_else(|| panic!("{text} not in {}", file.display()))
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(from), "{from} not in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).expect("write");
}

/// The editors' safety net: the shipped files pass even the strictest check, coverage included
/// (every listed product in scope of every advisor can be recommended).
#[test]
fn the_shipped_files_are_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out) = run_check_with(root, &["--deny-warnings"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(": 0 error(s), 0 warning(s)"), "{out}");
    let (_, json) = run_check_with(root, &["--format", "json"]);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn every_problem_is_reported_at_once_with_file_line_and_hint() {
    let dir = shipped_copy("check-broken");
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
    let dir = shipped_copy("check-catalogue");
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
    let dir = shipped_copy("check-json");
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

#[test]
fn a_problem_on_every_product_line_is_printed_once_with_the_count_and_the_lines() {
    let dir = shipped_copy("check-grouped");
    edit(
        &dir.join("catalog/catalog.yaml"),
        "  - name: gender\n    multi: true\n",
        "  - name: gender\n",
    );
    let (code, out) = run_check_with(&dir, &[]);
    assert_eq!(code, Some(1), "{out}");
    let message = "error: `gender` is a list but the facet is single-valued";
    assert_eq!(out.matches(message).count(), 1, "{out}");
    assert!(out.contains("catalog/products.jsonl:1\n"), "{out}");
    assert!(
        out.contains("= and 198 more lines like this: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …"),
        "{out}"
    );
    assert!(
        out.contains("= hint: set `multi: true` for this facet in catalog.yaml"),
        "{out}"
    );
    assert!(
        out.contains("  catalogue: 1 error(s) (199 lines), 0 warning(s)\n  questions: not checked until the catalogue loads\n"),
        "{out}"
    );
    assert!(
        out.ends_with("the editor files cannot be served: 1 error(s) (199 lines), 0 warning(s)\n"),
        "{out}"
    );
    let (code, json) = run_check_with(&dir, &["--format", "json"]);
    assert_eq!(code, Some(1), "{json}");
    let problems: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    assert_eq!(problems.len(), 1, "one entry: {json}");
    assert_eq!(problems[0]["count"], 199);
    let lines: Vec<u64> = problems[0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(serde_json::Value::as_u64)
        .collect();
    assert_eq!(lines, (1..=199).collect::<Vec<u64>>());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn json_output_gives_each_group_its_count_and_all_its_lines() {
    let dir = shipped_copy("check-grouped-json");
    let products = dir.join("catalog/products.jsonl");
    let text = std::fs::read_to_string(&products).expect("read");
    let first_two: Vec<&str> = text.lines().take(2).collect();
    std::fs::write(
        &products,
        format!("{text}{}\n{}\n{{broken\n", first_two[0], first_two[1]),
    )
    .expect("write");
    let (code, json) = run_check_with(&dir, &["--format", "json"]);
    assert_eq!(code, Some(1), "{json}");
    let problems: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    assert_eq!(problems.len(), 2, "{json}");
    let twice = &problems[0];
    assert_eq!(twice["message"], "a product id is used twice");
    assert_eq!(twice["count"], 2);
    assert_eq!(twice["lines"], serde_json::json!([200, 201]));
    assert_eq!(twice["detail"], "`MH01` was first used on line 1");
    assert_eq!(twice["hint"], "ids must be unique");
    let broken = &problems[1];
    assert_eq!(broken["message"], "this line is not valid JSON");
    assert_eq!(
        (broken["line"].as_u64(), broken["count"].as_u64()),
        (Some(202), Some(1))
    );
    assert!(broken["detail"].as_str().is_some(), "{json}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_follow_up_whose_answers_fit_no_product_is_never_asked() {
    let dir = shipped_copy("check-never-asked");
    let sportswear = dir.join("questions/sportswear.yaml");
    // Jackets are outside this advisor's scope: "pants" now fits nothing, so "fit" never comes.
    edit(
        &sportswear,
        "filter: {category: [Men/Bottoms/Pants, Women/Bottoms/Pants]}",
        "filter: {category: [Men/Tops/Jackets]}",
    );
    let (code, out) = run_check_with(&dir, &[]);
    assert_eq!(code, Some(0), "warnings only: {out}");
    assert!(
        out.contains(
            "warning: question `fit` is never asked: no product in this advisor's scope fits the answer it follows, `kind`: `pants`"
        ),
        "{out}"
    );
    let at = line_of(&sportswear, "ask_if: {question: kind, any_of: [pants]}");
    assert!(
        out.contains(&format!("--> questions/sportswear.yaml:{at}:24\n")),
        "at the ask_if: {out}"
    );
    assert!(
        out.contains("ask_if: {question: kind, any_of: [pants]}"),
        "the snippet shows the ask_if: {out}"
    );
    assert!(
        out.contains("warning: option `pants` matches no product in this advisor's scope, so it is never offered"),
        "{out}"
    );
    // The options of a question never asked are not reported again.
    assert!(!out.contains("option `tight`"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn options_never_offered_or_without_effect_are_warned_about_once() {
    let dir = shipped_copy("check-never-offered");
    let sportswear = dir.join("questions/sportswear.yaml");
    // Tank tops exist in the scope, but never among the pants that reach "fit".
    edit(
        &sportswear,
        "filter: {style: [Workout Pants]}",
        "filter: {style: [Tank]}",
    );
    // Nothing in the scope is a bag: the existing message, and only that one.
    edit(
        &sportswear,
        "filter: {collar: [Crew]}",
        "filter: {category: [Gear/Bags]}",
    );
    let jackets = dir.join("questions/jackets.yaml");
    edit(
        &jackets,
        "filter: {gender: [Women]}",
        "filter: {category: [Men/Tops/Jackets, Women/Tops/Jackets]}",
    );
    let (code, out) = run_check_with(&dir, &[]);
    assert_eq!(code, Some(0), "warnings only: {out}");
    assert!(
        out.contains("warning: option `regular` matches no product that can reach question `fit`, so it is never offered"),
        "{out}"
    );
    assert!(
        out.contains("warning: option `crew` matches no product in this advisor's scope, so it is never offered"),
        "{out}"
    );
    assert_eq!(out.matches("option `crew`").count(), 1, "{out}");
    assert!(
        out.contains("warning: option `women` fits every product that can reach question `who`, so it changes nothing"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn duplicate_ids_are_errors_at_the_second_use() {
    let dir = shipped_copy("check-duplicates");
    let jackets = dir.join("questions/jackets.yaml");
    edit(&jackets, "  - id: season\n", "  - id: where\n");
    edit(&jackets, "      - id: men\n", "      - id: women\n");
    edit(&jackets, "  - id: lighter\n", "  - id: warmer\n");
    let (code, out) = run_check_with(&dir, &[]);
    assert_eq!(code, Some(1), "{out}");
    for message in [
        "error: question id `where` is used twice",
        "error: option id `women` is used twice in this question",
        "error: critique id `warmer` is used twice",
    ] {
        assert!(out.contains(message), "{message}: {out}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn coverage_names_the_products_a_narrowed_advisor_cannot_recommend() {
    let dir = shipped_copy("check-coverage");
    let jackets = dir.join("questions/jackets.yaml");
    // Stop at up to five jackets but show only one: the other four can never be recommended.
    edit(&jackets, "shortlist:\n  size: 5", "shortlist:\n  size: 1");
    let (code, out) = run_check_with(&dir, &[]);
    assert_eq!(code, Some(0), "coverage is a warning: {out}");
    let start = out
        .find("warning: `jackets`: ")
        .expect("a coverage warning for jackets");
    let warning = &out[start..];
    let heading = warning.lines().next().unwrap_or_default();
    assert!(
        heading.contains(" of 23 listed products in scope never reach the shortlist, even when every answer fits them: "),
        "{heading}"
    );
    let at = line_of(&jackets, "title:");
    assert!(
        warning.contains(&format!("--> questions/jackets.yaml:{at}:1\n")),
        "at the title: {warning}"
    );
    assert!(
        warning.contains("add a question or an option that tells them apart"),
        "{warning}"
    );
    assert!(
        warning.contains("`advisor simulate --advisor jackets --target "),
        "{warning}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn warnings_fail_the_check_only_with_deny_warnings() {
    let dir = shipped_copy("check-deny");
    // Gear alone is free of warnings: it passes even with --deny-warnings.
    std::fs::remove_file(dir.join("questions/jackets.yaml")).expect("remove");
    std::fs::remove_file(dir.join("questions/sportswear.yaml")).expect("remove");
    // Its next step into the sportswear advisor would now lead nowhere (an error of its own).
    let gear = dir.join("questions/gear.yaml");
    edit(
        &gear,
        "    kind: advisor\n    advisor: sportswear\n",
        "    kind: link\n    url: https://luma.example.com/sportswear\n",
    );
    let (code, out) = run_check_with(&dir, &["--deny-warnings"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.ends_with("1 advisors (gear): 0 error(s), 0 warning(s)\n"),
        "{out}"
    );
    edit(
        &gear,
        "        filter: {category: [Gear/Bags]}\n",
        "        filter: {category: [Gear/Bags]}\n        weight: 2\n",
    );
    let (code, out) = run_check_with(&dir, &[]);
    assert_eq!(code, Some(0), "a warning alone passes: {out}");
    assert!(out.ends_with(": 0 error(s), 1 warning(s)\n"), "{out}");
    let (code, out) = run_check_with(&dir, &["--deny-warnings"]);
    assert_eq!(code, Some(1), "{out}");
    // An error fails it either way.
    edit(&gear, "max_candidates: 3", "max_candidates: 0");
    assert_eq!(run_check_with(&dir, &[]).0, Some(1));
    assert_eq!(run_check_with(&dir, &["--deny-warnings"]).0, Some(1));
    std::fs::remove_dir_all(&dir).ok();
}
