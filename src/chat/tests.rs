//! The chat loop on the shipped jacket advisor, fed from a string like piped stdin.

use std::sync::OnceLock;

use super::*;
use crate::shop::Paths;

fn shop() -> &'static Shop {
    static SHOP: OnceLock<Shop> = OnceLock::new();
    SHOP.get_or_init(|| {
        let (shop, problems) = Shop::load(&Paths::default());
        shop.unwrap_or_else(|| panic!("{}", problems.render()))
    })
}

const PIPED: Terminal = Terminal {
    interactive: false,
    json: false,
};

fn chat(locale: &str, lines: &str, terminal: Terminal) -> String {
    let shop = shop();
    let advisor = shop.advisor("jackets").expect("the jacket advisor");
    let locale = Locale::parse(locale).expect("locale");
    let mut out = Vec::new();
    converse(
        shop,
        advisor,
        locale,
        lines.as_bytes(),
        &mut out,
        terminal,
        &Default::default(),
    )
    .expect("chat");
    String::from_utf8(out).expect("UTF-8")
}

/// The lines after the last echo of `input`.
fn after<'t>(transcript: &'t str, input: &str) -> &'t str {
    let echo = format!("> {input}\n");
    let at = transcript.rfind(&echo).expect("input echoed");
    &transcript[at + echo.len()..]
}

/// The numbered options in a piece of transcript: `  1) Rain (7)`.
fn options(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| {
            line.strip_prefix("  ")
                .and_then(|l| l.split_once(") "))
                .is_some_and(|(n, rest)| n.parse::<usize>().is_ok() && rest.ends_with(')'))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_first_reply_greets_and_numbers_the_options_with_counts() {
    let out = chat("en", "", PIPED);
    assert!(
        out.contains("Hi! I will help you find the right one"),
        "{out}"
    );
    let offered = options(&out);
    assert!(offered.len() >= 2, "{out}");
    assert!(offered[0].starts_with("  1) "), "{out}");
    assert!(out.contains("[s] Skip this question"), "{out}");
    assert!(out.contains("Type ? for the commands"), "{out}");
    assert!(!out.contains("&#"), "entities are decoded: {out}");
}

#[test]
fn an_out_of_range_number_is_refused_and_the_question_shown_again() {
    let first = options(&chat("en", "", PIPED));
    let beyond = first.len() + 1;
    let out = chat("en", &format!("{beyond}\n"), PIPED);
    let rest = after(&out, &beyond.to_string());
    let message = format!(
        "There is no number {beyond}: pick from 1 to {}.",
        first.len()
    );
    assert!(rest.starts_with(&message), "{rest}");
    assert_eq!(options(rest), first, "the same question again");
}

#[test]
fn commands_not_on_offer_say_so_instead_of_stepping() {
    let out = chat("en", "b\nsimilar 1\n", PIPED);
    assert!(
        after(&out, "b").starts_with("`back` is not on offer now."),
        "{out}"
    );
    assert!(
        after(&out, "similar 1").starts_with("`similar` is not on offer now."),
        "{out}"
    );
}

#[test]
fn an_answer_the_dialogue_refuses_changes_nothing() {
    let out = chat("en", "1 1\n", PIPED);
    let rest = after(&out, "1 1");
    assert!(rest.starts_with("Not accepted: "), "{rest}");
    assert_eq!(options(rest), options(&chat("en", "", PIPED)));
}

#[test]
fn german_conversations_frame_the_options_in_german() {
    let out = chat("de", "?\n", PIPED);
    assert!(out.contains("Hallo!"), "{out}");
    assert!(out.contains("[s] Frage überspringen"), "{out}");
    assert!(after(&out, "?").contains("Antwort N ändern"), "{out}");
}

#[test]
fn at_a_terminal_there_is_a_prompt_and_no_echo() {
    let out = chat(
        "en",
        "1\n",
        Terminal {
            interactive: true,
            json: false,
        },
    );
    assert!(out.contains("> \n"), "{out}");
    assert!(!out.contains("> 1"), "{out}");
    assert!(out.contains("[b] Back"), "the answer was taken: {out}");
}

#[test]
fn json_mode_prints_the_api_reply_documents() {
    let out = chat(
        "en",
        "99\n1\n",
        Terminal {
            interactive: false,
            json: true,
        },
    );
    let documents: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&out)
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("a stream of JSON documents");
    assert!(documents[0]["input"]["question_id"].is_string(), "{out}");
    assert_eq!(documents[0]["turn"], 0);
    assert!(documents[1]["message"].is_string(), "the intro: {out}");
    assert_eq!(documents[3]["turn"], 1);
    assert!(
        documents[2]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("There is no number 99")),
        "{out}"
    );
}
#[test]
fn the_advisor_is_chosen_by_number_or_id() {
    let shop = shop();
    let choose = |lines: &str| {
        let mut out = Vec::new();
        let chosen = choose_advisor(shop, lines.as_bytes(), &mut out, PIPED, &texts::EN)
            .expect("choose")
            .map(|a| a.id.to_string());
        (chosen, String::from_utf8(out).expect("UTF-8"))
    };
    let position = shop
        .advisors
        .iter()
        .position(|a| a.id.as_str() == "jackets")
        .expect("jackets");
    let (chosen, out) = choose(&format!("{}\n", position + 1));
    assert_eq!(chosen.as_deref(), Some("jackets"), "{out}");
    assert!(out.contains(") jackets: Find your jacket"), "{out}");
    let (chosen, out) = choose("nope\njackets\n");
    assert_eq!(chosen.as_deref(), Some("jackets"));
    assert!(out.contains("There is no advisor `nope`."), "{out}");
    assert_eq!(choose("").0, None);
    assert_eq!(choose("q\njackets\n").0, None);
}

#[test]
fn editors_try_context_rules_in_the_terminal() {
    let shop = shop();
    let advisor = shop.advisor("jackets").expect("the jacket advisor");
    let locale = Locale::parse("de").expect("locale");
    let context = crate::dialogue::Context {
        when: Some("today".into()),
        temperature_c: Some(2.0),
        ..Default::default()
    };
    let mut out = Vec::new();
    converse(
        shop,
        advisor,
        locale,
        "q\n".as_bytes(),
        &mut out,
        PIPED,
        &context,
    )
    .expect("chat");
    let transcript = String::from_utf8(out).expect("UTF-8");
    assert!(transcript.contains("es ist kalt"), "{transcript}");
    assert!(transcript.contains("„Im Winter“"), "{transcript}");
}
