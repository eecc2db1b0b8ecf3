//! The conversation loop: read a line, turn it into a dialogue input against the reply on
//! screen, step, compose and print the next reply. A refused input prints why and changes
//! nothing, exactly like a refused turn in the API.

use std::io::{self, BufRead, Write};

use super::ChatError;
use super::command::{Command, name_and_number, parse};
use super::print::{Screen, products};
use super::texts::{Texts, fill};
use crate::dialogue::{self, Action, Input, StepError};
use crate::ids::Locale;
use crate::questions::Advisor;
use crate::render::{self, Reply};
use crate::shop::Shop;

/// How the terminal is used.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// A person types at a terminal: prompt with `> `; otherwise echo each input line.
    pub interactive: bool,
    /// Print each reply as the API's JSON.
    pub json: bool,
}

/// Runs one conversation with `advisor` in `locale` until `q` or the end of the input.
pub fn converse(
    shop: &Shop,
    advisor: &Advisor,
    locale: Locale,
    mut input: impl BufRead,
    output: impl Write,
    terminal: Terminal,
    context: &dialogue::Context,
) -> Result<(), ChatError> {
    let texts = super::texts::texts(&locale);
    let mut screen = Screen::new(output, texts, terminal.interactive);
    if terminal.json {
        screen = screen.json(advisor);
    }
    let sent = (!context.is_empty()).then_some(context);
    let mut outcome = dialogue::open(advisor, &shop.catalog, locale, None, sent)?;
    let mut reply = render::compose(advisor, &shop.catalog, &shop.renderer, &outcome)?;
    screen.reply(&reply)?;
    screen.say(texts.intro)?;
    loop {
        screen.prompt()?;
        let Some(line) = read_line(&mut input)? else {
            screen.end()?;
            break;
        };
        screen.echo(&line)?;
        match resolve(parse(&line), &reply, advisor, texts) {
            Next::Nothing => {}
            Next::Quit => break,
            Next::Help => screen.say(texts.help)?,
            Next::Answers => screen.answers(&reply)?,
            Next::Refuse(reason) => {
                screen.say(&reason)?;
                screen.again(&reply)?;
            }
            Next::Send(input) => {
                match dialogue::respond(advisor, &shop.catalog, &outcome.state, input, None) {
                    Ok(next) => {
                        outcome = next;
                        reply = render::compose(advisor, &shop.catalog, &shop.renderer, &outcome)?;
                        screen.reply(&reply)?;
                    }
                    Err(StepError::Rejected(refusal)) => {
                        screen.say(&fill(texts.refused, &[&refusal]))?;
                        screen.again(&reply)?;
                    }
                    Err(StepError::Index(error)) => return Err(error.into()),
                }
            }
        }
    }
    Ok(())
}

/// Reads one line without its line break; `None` at the end of the input. Bytes that are not
/// UTF-8 are replaced rather than ending the conversation.
pub(super) fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    if input.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    let line = String::from_utf8_lossy(&bytes);
    Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
}

/// What a line asks for, checked against the reply on screen.
#[derive(Debug, PartialEq)]
enum Next {
    Nothing,
    Quit,
    Help,
    Answers,
    /// Said to the editor instead of stepping; the conversation is unchanged.
    Refuse(String),
    Send(Input),
}

fn resolve(command: Command, reply: &Reply, advisor: &Advisor, texts: &Texts) -> Next {
    let offered = |wanted: fn(&Action) -> bool, name: &str| {
        reply
            .actions
            .iter()
            .find(|view| wanted(&view.action))
            .map_or_else(
                || Next::Refuse(fill(texts.not_offered, &[&name])),
                |view| Next::Send(Input::Action(view.action.clone())),
            )
    };
    match command {
        Command::Empty => Next::Nothing,
        Command::Quit => Next::Quit,
        Command::Help => Next::Help,
        Command::Answers => Next::Answers,
        Command::Back => offered(|a| matches!(a, Action::Back), "back"),
        Command::Restart => offered(|a| matches!(a, Action::Restart), "restart"),
        Command::Skip => offered(|a| matches!(a, Action::Skip), "skip"),
        Command::Handoff => offered(|a| matches!(a, Action::Handoff), "handoff"),
        Command::Numbers(numbers) => pick(&numbers, reply, texts),
        Command::Change(number) => match number.checked_sub(1).and_then(|i| reply.answers.get(i)) {
            Some(answer) => Next::Send(Input::Action(Action::Change {
                question: answer.question_id.to_string(),
            })),
            None => Next::Refuse(fill(texts.no_such_answer, &[&number])),
        },
        Command::Text(text) => {
            named_action(&text, reply, advisor, texts).unwrap_or(Next::Send(Input::Text(text)))
        }
    }
}

/// Numbers answer the question on offer; in a dead end, one number picks a repair.
fn pick(numbers: &[usize], reply: &Reply, texts: &Texts) -> Next {
    let out_of_range =
        |number: usize, last: usize| Next::Refuse(fill(texts.out_of_range, &[&number, &last]));
    if let Some(input) = &reply.input {
        let mut values = Vec::new();
        for &number in numbers {
            match number.checked_sub(1).and_then(|i| input.options.get(i)) {
                Some(option) => values.push(option.value.to_string()),
                None => return out_of_range(number, input.options.len()),
            }
        }
        return Next::Send(Input::Answer {
            question: input.question_id.to_string(),
            values,
        });
    }
    let repairs: Vec<&Action> = reply
        .actions
        .iter()
        .map(|view| &view.action)
        .filter(|action| matches!(action, Action::Relax { .. }))
        .collect();
    match numbers {
        _ if repairs.is_empty() => Next::Refuse(texts.nothing_to_pick.to_string()),
        [number] => match number.checked_sub(1).and_then(|i| repairs.get(i)) {
            Some(repair) => Next::Send(Input::Action((*repair).clone())),
            None => out_of_range(*number, repairs.len()),
        },
        _ => Next::Refuse(texts.one_number.to_string()),
    }
}

/// `similar N`, `exclude N`, or a critique on offer by id or label (`cheaper`, `Günstiger 2`);
/// `None` when the text names no action, so it goes to the dialogue as free text.
fn named_action(text: &str, reply: &Reply, advisor: &Advisor, texts: &Texts) -> Option<Next> {
    let (name, number) = name_and_number(text);
    let locale = &reply.locale;
    let product = |number: usize| number.checked_sub(1).and_then(|i| products(reply).nth(i));
    if name == "similar" || name == "exclude" {
        let number = number.unwrap_or(1);
        let Some(card) = product(number) else {
            let shown = products(reply).count();
            if shown == 0 {
                return Some(Next::Refuse(fill(texts.not_offered, &[&name])));
            }
            return Some(Next::Refuse(fill(texts.out_of_range, &[&number, &shown])));
        };
        let action = card.actions.iter().map(|view| &view.action).find(|action| {
            matches!(
                (action, name.as_str()),
                (Action::Similar { .. }, "similar") | (Action::Exclude { .. }, "exclude")
            )
        });
        return Some(match action {
            Some(action) => Next::Send(Input::Action(action.clone())),
            None => Next::Refuse(fill(texts.not_offered, &[&name])),
        });
    }
    let critique = reply.actions.iter().find_map(|view| match &view.action {
        Action::Critique { critique, .. } => {
            let label = advisor
                .critique(critique)
                .map(|(_, c)| c.label.get(locale).to_lowercase());
            (*critique == name || label.as_deref() == Some(name.as_str())).then_some(critique)
        }
        _ => None,
    })?;
    let product = match number {
        None => None,
        Some(number) => match product(number) {
            Some(card) => Some(card.id.to_string()),
            None => {
                let shown = products(reply).count();
                return Some(Next::Refuse(fill(texts.out_of_range, &[&number, &shown])));
            }
        },
    };
    Some(Next::Send(Input::Action(Action::Critique {
        critique: critique.clone(),
        product,
    })))
}
