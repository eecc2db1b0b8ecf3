//! `advisor chat`: a terminal preview of an advisor on the local editor files, so an editor can
//! try a conversation without a browser or curl.
//!
//! It drives the same pure `dialogue::start`/`step` and `render::compose` as the HTTP API does for
//! a turn, and prints each reply as plain text: messages, numbered options with their counts,
//! actions with short commands, the shortlist with prices and reasons. It must not decide
//! anything a customer would see differently from the widget: the conversation's words come
//! from the templates and question files; only the few framing strings in `texts.rs` are its own.

mod command;
mod conversation;
mod entities;

pub(crate) use entities::decode_entities;
mod print;
mod texts;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;

pub use conversation::{Terminal, converse};

use crate::catalog::IndexError;
use crate::ids::Locale;
use crate::questions::Advisor;
use crate::render::RenderError;
use crate::settings::Settings;
use crate::shop::Shop;

/// What `advisor chat` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The advisor's id; without it the advisors are listed and the editor picks one.
    pub advisor: Option<String>,
    /// The conversation's locale (default: the advisor's first).
    pub locale: Option<String>,
    /// Print each reply as the API's JSON.
    pub json: bool,
    /// The customer's situation as a client would send it (JSON, as the API's `context`).
    pub context: Option<String>,
}

/// Why a chat ended early.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// Reading the input or writing the conversation failed.
    #[error("terminal input or output")]
    Io(#[from] std::io::Error),
    /// The search index failed: a bug, not the editor's fault.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A template failed on a reply although it passed the startup check: a bug.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Loads the shop like `serve`, picks the advisor and locale, and talks on stdin and stdout.
pub fn run(settings: &Settings, options: &Options) -> anyhow::Result<ExitCode> {
    let requested = options
        .locale
        .as_deref()
        .map(Locale::parse)
        .transpose()
        .context("reading --locale")?;
    let context = match &options.context {
        None => crate::dialogue::Context::default(),
        Some(json) => serde_json::from_str::<crate::http::ContextDto>(json)
            .map_err(|error| anyhow::anyhow!("{error}"))
            .and_then(|dto| dto.checked().map_err(|error| anyhow::anyhow!("{error}")))
            .context(
                "reading --context (JSON like {\"weather\": \"sunny\", \"temperature_c\": 28})",
            )?,
    };
    let (shop, _) = crate::shop::load_for_tool(&settings.paths)?;
    let stdin = std::io::stdin();
    let terminal = Terminal {
        interactive: stdin.is_terminal(),
        json: options.json,
    };
    let mut input = stdin.lock();
    let mut output = std::io::stdout().lock();
    let advisor = match &options.advisor {
        Some(id) => shop.advisor(id).ok_or_else(|| {
            anyhow::anyhow!(
                "there is no advisor `{id}`; the advisors are: {}",
                advisor_ids(&shop)
            )
        })?,
        None => {
            let texts = requested.as_ref().map_or(&texts::EN, texts::texts);
            let chosen = choose_advisor(&shop, &mut input, &mut output, terminal, texts);
            match ended_quietly(chosen)? {
                Some(Some(advisor)) => advisor,
                _ => return Ok(ExitCode::SUCCESS),
            }
        }
    };
    let locale = match requested {
        None => advisor.default_locale().clone(),
        Some(locale) if advisor.supports(&locale) => locale,
        Some(locale) => anyhow::bail!(
            "advisor `{}` does not speak `{locale}`; it speaks: {}",
            advisor.id,
            advisor
                .locales
                .iter()
                .map(Locale::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    ended_quietly(converse(
        &shop,
        advisor,
        locale,
        &mut input,
        &mut output,
        terminal,
        &context,
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Lists the advisors and reads a number or an id until one fits; `None` at the end of the
/// input or on `q`.
pub fn choose_advisor<'s>(
    shop: &'s Shop,
    mut input: impl BufRead,
    mut output: impl Write,
    terminal: Terminal,
    texts: &texts::Texts,
) -> Result<Option<&'s Advisor>, ChatError> {
    for (index, advisor) in shop.advisors.iter().enumerate() {
        let title = advisor.title.get(advisor.default_locale());
        writeln!(output, "  {}) {}: {title}", index + 1, advisor.id)?;
    }
    writeln!(output, "{}", texts.choose_advisor)?;
    loop {
        if terminal.interactive {
            write!(output, "> ")?;
            output.flush()?;
        }
        let Some(line) = conversation::read_line(&mut input)? else {
            return Ok(None);
        };
        if !terminal.interactive {
            writeln!(output, "> {line}")?;
        }
        let line = line.trim();
        if matches!(command::parse(line), command::Command::Quit) {
            return Ok(None);
        }
        let by_number = line
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| shop.advisors.get(i));
        match by_number.or_else(|| shop.advisor(line)) {
            Some(advisor) => return Ok(Some(advisor)),
            None if line.is_empty() => {}
            None => writeln!(output, "{}", texts::fill(texts.no_such_advisor, &[&line]))?,
        }
    }
}

/// A closed output (`advisor chat | head`) ends the chat like the end of the input does.
fn ended_quietly<T>(result: Result<T, ChatError>) -> anyhow::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(ChatError::Io(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(None),
        Err(error) => Err(error).context("chatting"),
    }
}

fn advisor_ids(shop: &Shop) -> String {
    shop.advisors
        .iter()
        .map(|a| a.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
