//! `advisor chat` on the shipped files with piped stdin, the way an editor tries an advisor.
//! Inputs are chosen by reading the printed options, so the tests follow the question files.

use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: Option<i32>,
    out: String,
    err: String,
}

/// Runs `advisor chat ARGS` with these lines on stdin, then the end of the input.
fn chat(args: &[&str], lines: &[String]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .arg("chat")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ADVISOR__PATHS__CATALOG")
        .env_remove("ADVISOR__PATHS__QUESTIONS")
        .env_remove("ADVISOR__PATHS__TEMPLATES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("advisor runs");
    let input: String = lines.iter().map(|line| format!("{line}\n")).collect();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("input written");
    let output = child.wait_with_output().expect("advisor ends");
    Run {
        code: output.status.code(),
        out: String::from_utf8(output.stdout).expect("UTF-8"),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Like [`chat`], and the chat must end cleanly.
fn transcript(args: &[&str], lines: &[String]) -> String {
    let run = chat(args, lines);
    assert_eq!(run.code, Some(0), "{}\n{}", run.out, run.err);
    assert!(run.err.is_empty(), "{}", run.err);
    run.out
}

/// What was printed after the last echoed input (the whole output before any input).
fn last_reply(out: &str) -> &str {
    match out.rfind("\n> ") {
        Some(at) => out[at + 1..].split_once('\n').map_or("", |(_, rest)| rest),
        None => out,
    }
}

/// The numbered options with their counts: `  2) Rain (7)`.
fn options(reply: &str) -> Vec<(String, usize)> {
    reply
        .lines()
        .filter_map(|line| {
            let (number, rest) = line.strip_prefix("  ")?.split_once(") ")?;
            number.parse::<usize>().ok()?;
            let (label, count) = rest.strip_suffix(')')?.rsplit_once(" (")?;
            Some((label.to_string(), count.parse().ok()?))
        })
        .collect()
}

/// The product lines: `  1. Title: 42.00 USD`.
fn products(reply: &str) -> Vec<&str> {
    reply
        .lines()
        .filter(|line| {
            line.strip_prefix("  ")
                .and_then(|l| l.split_once(". "))
                .is_some_and(|(number, _)| number.parse::<usize>().is_ok())
        })
        .collect()
}

/// The title of a product line.
fn title(product: &str) -> &str {
    let (_, rest) = product.trim().split_once(". ").expect("numbered");
    rest.rsplit_once(": ").map_or(rest, |(title, _)| title)
}

/// The commands in brackets on the actions lines: `[cheaper] Cheaper (1)` → ("cheaper", "Cheaper").
fn commands(reply: &str) -> Vec<(String, String)> {
    reply
        .split('[')
        .skip(1)
        .filter_map(|part| {
            let (command, label) = part.split_once("] ")?;
            let label = label.split("  ").next()?.lines().next()?;
            let label = label.rsplit_once(" (").map_or(label, |(l, _)| l);
            Some((command.to_string(), label.to_string()))
        })
        .collect()
}

/// What an editor trying the advisor would type: the option that narrows least (so the
/// conversation goes on), or two of them for a multiple choice; the first repair in a dead end.
fn next_input(reply: &str) -> String {
    let counts: Vec<usize> = options(reply).into_iter().map(|(_, count)| count).collect();
    let most = counts.iter().copied().max().unwrap_or(0);
    let mut narrowing: Vec<(usize, usize)> = (1..)
        .zip(counts)
        .filter(|(_, count)| *count < most)
        .collect();
    narrowing.sort_by_key(|(number, count)| (std::cmp::Reverse(*count), *number));
    let take = if reply.contains("1,3") { 2 } else { 1 };
    let chosen: Vec<String> = narrowing
        .iter()
        .take(take)
        .map(|(n, _)| n.to_string())
        .collect();
    if chosen.is_empty() {
        "1".into()
    } else {
        chosen.join(",")
    }
}

/// Answers question after question until the reply is a shortlist; returns the inputs.
fn walk_to_shortlist(args: &[&str], repair_heading: &str) -> (Vec<String>, String) {
    let mut inputs = Vec::new();
    for _ in 0..12 {
        let out = transcript(args, &inputs);
        let reply = last_reply(&out);
        if options(reply).is_empty() && !reply.contains(repair_heading) {
            assert!(
                !products(reply).is_empty(),
                "neither question nor shortlist: {reply}"
            );
            return (inputs, out);
        }
        inputs.push(next_input(reply));
    }
    panic!("no shortlist after {inputs:?}");
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn assert_shortlist(out: &str, inputs: &[String], price: &str) {
    for input in inputs {
        assert!(
            out.contains(&format!("\n> {input}\n")),
            "`{input}` echoed: {out}"
        );
    }
    let first = options(out.split("\n> ").next().unwrap_or_default());
    assert!(
        first.len() >= 2,
        "numbered options with counts first: {out}"
    );
    let reply = last_reply(out);
    let shown = products(reply);
    assert!(!shown.is_empty(), "{reply}");
    for product in &shown {
        assert!(!title(product).is_empty(), "{product}");
        let (_, amount) = product.rsplit_once(": ").expect("a price");
        let (number, currency) = amount.split_once(' ').expect("amount and currency");
        assert!(number.contains(price) && !currency.is_empty(), "{product}");
    }
    assert!(
        reply.lines().any(|line| line.starts_with("     ✓ ")),
        "reasons under the products: {reply}"
    );
    let offered: Vec<String> = commands(reply).into_iter().map(|(c, _)| c).collect();
    assert!(
        offered.contains(&"b".into()) && offered.contains(&"r".into()),
        "{reply}"
    );
}

#[test]
fn an_english_conversation_reaches_a_shortlist_with_prices_and_reasons() {
    let (inputs, out) = walk_to_shortlist(&["jackets"], "drop these wishes");
    assert_shortlist(&out, &inputs, ".");
    assert!(inputs.len() >= 2, "several questions: {out}");
    assert!(out.contains("Type ? for the commands"), "{out}");
}

#[test]
fn a_german_conversation_reaches_a_shortlist_in_german() {
    let args = ["jackets", "--locale", "de"];
    let (inputs, out) = walk_to_shortlist(&args, "Wünsche wegzulassen");
    assert_shortlist(&out, &inputs, ",");
    assert!(out.contains("Hallo!"), "{out}");
    assert!(out.contains("[b] Zurück"), "{out}");
    // A critique can be asked for by its German label.
    let reply = last_reply(&out);
    let (_, label) = commands(reply)
        .into_iter()
        .find(|(command, _)| {
            !["b", "r", "s"].contains(&command.as_str()) && !command.contains(" N")
        })
        .expect("a critique on offer");
    let mut more = inputs.clone();
    more.push(label.to_lowercase());
    let after = transcript(&args, &more);
    let reply = last_reply(&after);
    assert!(
        !reply.starts_with("Nicht angenommen") && !reply.contains("nicht angeboten"),
        "{reply}"
    );
    assert!(
        reply.contains(&format!("{label}:")),
        "the critique's message: {reply}"
    );
}

#[test]
fn back_undoes_the_last_answer_and_restart_starts_over() {
    let (inputs, shortlist) = walk_to_shortlist(&["jackets"], "drop these wishes");
    let before_last = transcript(&["jackets"], &inputs[..inputs.len() - 1]);
    let mut back = inputs.clone();
    back.push("b".into());
    let out = transcript(&["jackets"], &back);
    let (now, before) = (last_reply(&out), last_reply(&before_last));
    assert_eq!(options(now), options(before), "{out}");
    assert_eq!(products(now), products(before), "{out}");
    assert_ne!(products(now), products(last_reply(&shortlist)), "{out}");

    let start = transcript(&["jackets"], &[]);
    let mut restart = inputs.clone();
    restart.push("r".into());
    let out = transcript(&["jackets"], &restart);
    let reply = last_reply(&out);
    assert_eq!(options(reply), options(&start), "{out}");
    assert!(!reply.contains("[b]"), "nothing left to undo: {reply}");
}

#[test]
fn an_out_of_range_number_gives_a_message_and_the_same_question() {
    let start = options(&transcript(&["jackets"], &[]));
    let beyond = (start.len() + 1).to_string();
    for input in [beyond.as_str(), "0"] {
        let out = transcript(&["jackets"], &lines(&[input]));
        let reply = last_reply(&out);
        let message = format!(
            "There is no number {input}: pick from 1 to {}.",
            start.len()
        );
        assert!(reply.starts_with(&message), "{reply}");
        assert_eq!(options(reply), start, "the same question again");
    }
}

#[test]
fn free_text_is_understood_as_an_answer() {
    let start = transcript(&["jackets"], &[]);
    let (label, _) = options(&start)
        .into_iter()
        .min_by_key(|(_, count)| *count)
        .expect("options");
    let out = transcript(&["jackets"], &lines(&[&label.to_lowercase(), "a"]));
    let answers = last_reply(&out);
    assert!(answers.contains(&format!("→ {label}")), "{out}");
}

#[test]
fn a_dead_end_offers_repairs_picked_by_number() {
    let text = "something for my wife against rain and cold";
    let out = transcript(&["jackets"], &lines(&[text, "1 2", "1"]));
    let dead_end = out.split(&format!("> {text}\n")).nth(1).expect("echoed");
    assert!(
        dead_end.contains("Type a number to drop these wishes:\n  1) "),
        "{out}"
    );
    assert!(
        out.contains("> 1 2\nPick one number."),
        "one repair at a time: {out}"
    );
    let reply = last_reply(&out);
    assert!(!reply.contains("drop these wishes"), "{reply}");
    assert!(!products(reply).is_empty(), "{reply}");
}

#[test]
fn a_product_can_be_excluded_by_its_number() {
    let (mut inputs, out) = walk_to_shortlist(&["jackets"], "drop these wishes");
    let first = title(products(last_reply(&out))[0]).to_string();
    inputs.push("exclude 1".into());
    let out = transcript(&["jackets"], &inputs);
    let reply = last_reply(&out);
    assert!(reply.contains(&first), "the message names it: {reply}");
    assert!(products(reply).iter().all(|p| title(p) != first), "{reply}");
}

#[test]
fn the_end_of_the_input_ends_the_chat_cleanly() {
    let run = chat(&["jackets"], &lines(&["1"]));
    assert_eq!(run.code, Some(0), "{}", run.err);
    assert!(run.err.is_empty(), "{}", run.err);
    assert!(run.out.ends_with('\n'), "{}", run.out);
    let quit = chat(&["jackets"], &lines(&["q", "1"]));
    assert_eq!(quit.code, Some(0));
    assert!(
        !quit.out.contains("> 1"),
        "nothing is read after q: {}",
        quit.out
    );
}

#[test]
fn without_an_advisor_the_editor_picks_one_from_the_list() {
    let out = transcript(&[], &lines(&["nope", "jackets"]));
    assert!(out.contains(") jackets: Find your jacket"), "{out}");
    assert!(out.contains("There is no advisor `nope`."), "{out}");
    assert!(out.contains("Hi! I will help you"), "{out}");
}

#[test]
fn an_unknown_advisor_or_locale_says_what_exists() {
    let run = chat(&["nope"], &[]);
    assert_ne!(run.code, Some(0));
    assert!(
        run.err.contains("no advisor `nope`") && run.err.contains("jackets"),
        "{}",
        run.err
    );
    let run = chat(&["jackets", "--locale", "fr"], &[]);
    assert_ne!(run.code, Some(0));
    assert!(
        run.err.contains("`fr`") && run.err.contains("en, de"),
        "{}",
        run.err
    );
}
