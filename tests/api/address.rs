//! Formal and informal address ("Sie" or "du"), set per advisor: the templates follow it, and
//! `advisor check` points at German texts of a formal advisor that still say "du".

use std::process::{Command, Stdio};

use crate::helpers::shipped_copy;

/// The shipped files with `address: formal` in the jackets advisor.
fn formal_jackets() -> std::path::PathBuf {
    let dir = shipped_copy("address");
    let file = dir.join("questions/jackets.yaml");
    let text = std::fs::read_to_string(&file).expect("jackets.yaml");
    let text = text.replacen("\nlocales:", "\naddress: formal\nlocales:", 1);
    std::fs::write(&file, text).expect("written");
    dir
}

/// Runs the binary in `dir` with these arguments and no input; (exit code, stdout).
fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .args(args)
        .current_dir(dir)
        .env_remove("ADVISOR__PATHS__CATALOG")
        .env_remove("ADVISOR__PATHS__QUESTIONS")
        .env_remove("ADVISOR__PATHS__TEMPLATES")
        .stdin(Stdio::null())
        .output()
        .expect("advisor runs");
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code(), out)
}

#[test]
fn a_formal_advisor_says_sie_and_check_points_at_its_du_texts() {
    let dir = formal_jackets();
    let (code, greeting) = run(&dir, &["chat", "jackets", "--locale", "de"]);
    assert_eq!(code, Some(0), "{greeting}");
    assert!(greeting.contains("Guten Tag!"), "{greeting}");
    assert!(greeting.contains("finde ich mit Ihnen"), "{greeting}");
    let (_, informal) = run(&dir, &["chat", "sportswear", "--locale", "de"]);
    assert!(informal.contains("finde ich mit dir"), "{informal}");

    let (code, report) = run(&dir, &["check"]);
    assert_eq!(code, Some(0), "warnings only: {report}");
    assert!(
        report.contains("this advisor says `address: formal`, but this German text says `deine`"),
        "{report}"
    );
    assert!(report.contains("jackets.yaml:"), "{report}");
    let (code, _) = run(&dir, &["check", "--deny-warnings"]);
    assert_eq!(code, Some(1));
    std::fs::remove_dir_all(dir).ok();
}
