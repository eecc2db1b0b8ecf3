//! Turning a [`Reply`] into terminal text the way the widget would show it: the messages, the
//! question's options numbered with their counts, the actions with their commands, and the
//! shortlist with prices and reasons. With `--json`, the API's JSON instead.
//!
//! Nothing here decides anything: every customer-facing word comes from the reply (and so from
//! the templates and question files); the framing words come from [`Texts`].

use std::io::{self, Write};

use super::entities::decode_entities;
use super::texts::Texts;
use crate::dialogue::Action;
use crate::http::ReplyDto;
use crate::ids::ConversationId;
use crate::questions::{Advisor, Kind};
use crate::render::{ActionView, Message, ProductCard, Reply};

/// Where the conversation is written, and how.
pub struct Screen<'a, W> {
    out: W,
    texts: &'static Texts,
    /// A person types at a terminal: prompt, do not echo.
    interactive: bool,
    /// Print the API's JSON for each reply and nothing else that is not JSON.
    json: Option<(&'a Advisor, ConversationId)>,
}

/// The product cards of a reply in the order shown (shortlist, then close alternatives); `N` in
/// `similar N` is a position in this list, counted from 1.
pub fn products(reply: &Reply) -> impl Iterator<Item = &ProductCard> {
    reply.messages.iter().flat_map(|message| match message {
        Message::Products(cards) => cards.as_slice(),
        Message::Text(_) => &[],
    })
}

impl<'a, W: Write> Screen<'a, W> {
    pub fn new(out: W, texts: &'static Texts, interactive: bool) -> Self {
        Self {
            out,
            texts,
            interactive,
            json: None,
        }
    }

    /// Prints replies as the API's JSON (`ReplyDto`) and the tool's own messages as
    /// `{"message": …}`, so the output is a stream of JSON documents.
    pub fn json(mut self, advisor: &'a Advisor) -> Self {
        self.json = Some((advisor, ConversationId::generate()));
        self
    }

    /// The prompt before reading a line (only at a terminal).
    pub fn prompt(&mut self) -> io::Result<()> {
        if self.interactive {
            write!(self.out, "> ")?;
            self.out.flush()?;
        }
        Ok(())
    }

    /// At the end of the input: leave a person's terminal on a fresh line.
    pub fn end(&mut self) -> io::Result<()> {
        if self.interactive {
            writeln!(self.out)?;
        }
        self.out.flush()
    }

    /// Repeats piped input so a transcript reads like a conversation.
    pub fn echo(&mut self, line: &str) -> io::Result<()> {
        if self.interactive || self.json.is_some() {
            return Ok(());
        }
        writeln!(self.out, "> {line}")
    }

    /// A message of the tool itself.
    pub fn say(&mut self, text: &str) -> io::Result<()> {
        if self.json.is_some() {
            let message = serde_json::json!({ "message": text });
            return writeln!(self.out, "{message}");
        }
        writeln!(self.out, "{text}")
    }

    /// A whole reply: messages, products, the question's options and the actions.
    pub fn reply(&mut self, reply: &Reply) -> io::Result<()> {
        if let Some((advisor, id)) = &self.json {
            let dto = ReplyDto::new(id, advisor, reply.clone());
            // Serialized first, so a closed pipe is a plain IO error that ends the chat quietly.
            let text = serde_json::to_string_pretty(&dto).map_err(io::Error::other)?;
            return writeln!(self.out, "{text}");
        }
        writeln!(self.out)?;
        let mut number = 0;
        for message in &reply.messages {
            match message {
                Message::Text(text) => writeln!(self.out, "{}", decode_entities(text))?,
                Message::Products(cards) => {
                    for card in cards {
                        number += 1;
                        self.card(number, card)?;
                    }
                }
            }
        }
        self.next_step(reply)?;
        self.options(reply)?;
        self.actions(reply)
    }

    /// The next step after the shortlist: "Next: … (why …)", its products, link or advisor.
    fn next_step(&mut self, reply: &Reply) -> io::Result<()> {
        let Some(next) = &reply.next_step else {
            return Ok(());
        };
        writeln!(
            self.out,
            "{}: {} ({})",
            self.texts.next,
            next.text,
            decode_entities(&next.why)
        )?;
        for card in &next.products {
            match card.price {
                Some(price) => writeln!(
                    self.out,
                    "  · {}: {} {}",
                    card.title,
                    self.amount(price),
                    card.currency
                )?,
                None => writeln!(self.out, "  · {}", card.title)?,
            }
        }
        if let Some(target) = next.url.as_ref().or(next.advisor.as_ref()) {
            writeln!(self.out, "  → {target}")?;
        }
        Ok(())
    }

    /// After a refused input: the question and its options again (or the commands on offer).
    pub fn again(&mut self, reply: &Reply) -> io::Result<()> {
        if self.json.is_some() {
            return Ok(());
        }
        // With a question on offer, `render::compose` puts its text last.
        if reply.input.is_some()
            && let Some(Message::Text(question)) = reply.messages.last()
        {
            writeln!(self.out, "{}", decode_entities(question))?;
        }
        self.options(reply)?;
        self.actions(reply)
    }

    /// The answers in force, numbered for `change N`.
    pub fn answers(&mut self, reply: &Reply) -> io::Result<()> {
        if reply.answers.is_empty() {
            return self.say(self.texts.no_answers);
        }
        let mut text = self.texts.answers.to_string();
        for (index, answer) in reply.answers.iter().enumerate() {
            let labels = if answer.labels.is_empty() {
                "–".to_string()
            } else {
                answer.labels.join(", ")
            };
            text.push_str(&format!(
                "\n  {}) {} → {labels}",
                index + 1,
                answer.question
            ));
        }
        self.say(&text)
    }

    fn card(&mut self, number: usize, card: &ProductCard) -> io::Result<()> {
        match card.price {
            Some(price) => writeln!(
                self.out,
                "  {number}. {}: {} {}",
                card.title,
                self.amount(price),
                card.currency
            )?,
            None => writeln!(self.out, "  {number}. {}", card.title)?,
        }
        let mut why: Vec<String> = card.reasons.iter().map(|r| format!("✓ {r}")).collect();
        if !card.misses.is_empty() {
            why.push(format!(
                "✗ {}: {}",
                self.texts.misses,
                card.misses.join(", ")
            ));
        }
        if !why.is_empty() {
            writeln!(self.out, "     {}", why.join(" · "))?;
        }
        for paired in &card.goes_well_with {
            match paired.price {
                Some(price) => writeln!(
                    self.out,
                    "     + {}: {} {} ({})",
                    paired.title,
                    self.amount(price),
                    paired.currency,
                    paired.why
                )?,
                None => writeln!(self.out, "     + {} ({})", paired.title, paired.why)?,
            }
        }
        Ok(())
    }

    fn amount(&self, price: f64) -> String {
        let text = format!("{price:.2}");
        match self.texts.decimal {
            '.' => text,
            separator => text.replace('.', &separator.to_string()),
        }
    }

    fn options(&mut self, reply: &Reply) -> io::Result<()> {
        let Some(input) = &reply.input else {
            return Ok(());
        };
        for (index, option) in input.options.iter().enumerate() {
            writeln!(
                self.out,
                "  {}) {} ({})",
                index + 1,
                option.label,
                option.count
            )?;
        }
        if input.kind == Kind::Multiple {
            writeln!(self.out, "  {}", self.texts.pick_several)?;
        }
        Ok(())
    }

    fn actions(&mut self, reply: &Reply) -> io::Result<()> {
        let repairs: Vec<&ActionView> = reply
            .actions
            .iter()
            .filter(|a| matches!(a.action, Action::Relax { .. }))
            .collect();
        if !repairs.is_empty() {
            writeln!(self.out, "{}", self.texts.pick_repair)?;
            for (index, repair) in repairs.iter().enumerate() {
                writeln!(
                    self.out,
                    "  {}) {}",
                    index + 1,
                    decode_entities(&repair.label)
                )?;
            }
        }
        let commands: Vec<String> = reply
            .actions
            .iter()
            .filter_map(|view| Some(format!("[{}] {}", command(&view.action)?, label(view))))
            .collect();
        if !commands.is_empty() {
            writeln!(self.out, "  {}", commands.join("  "))?;
        }
        let mut per_product: Vec<String> = Vec::new();
        for view in products(reply).flat_map(|card| &card.actions) {
            let Some(name) = command(&view.action) else {
                continue;
            };
            let shown = format!("[{name} N] {}", label(view));
            if !per_product.contains(&shown) {
                per_product.push(shown);
            }
        }
        if !per_product.is_empty() {
            let heading = self.texts.product_commands;
            writeln!(self.out, "  {heading}: {}", per_product.join("  "))?;
        }
        Ok(())
    }
}

/// What to type for an action; repairs are picked by number and have none.
fn command(action: &Action) -> Option<String> {
    Some(match action {
        Action::Back => "b".into(),
        Action::Restart => "r".into(),
        Action::Skip => "s".into(),
        Action::Critique { critique, .. } => critique.clone(),
        Action::Similar { .. } => "similar".into(),
        Action::Exclude { .. } => "exclude".into(),
        Action::Change { .. } => "c".into(),
        Action::Handoff => "h".into(),
        Action::Relax { .. } => return None,
    })
}

fn label(view: &ActionView) -> String {
    decode_entities(&view.label)
}
