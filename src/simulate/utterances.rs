//! `advisor simulate --utterances FILE`: shopper messages as customers type them, each with the
//! facts it must yield (answers, amounts, a critique, avoided options and words, a question to
//! ask back, a need the shop does not carry). Each message is typed into a fresh conversation
//! (after the answers it gives as clicked, and after a shortlist where it says so) through the
//! same `dialogue::step` as the API; the facts the reply reports are compared with the expected
//! ones. Reports per-fact precision and recall, whole-sentence accuracy, and the two failures
//! that must never happen: a number sent to a text search, and a dead end after a text that
//! asked for no answer and no amount (filler, words to rank by). The format is `tests/utterances/README.md`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::dialogue::{
    self, Action, Entry, Event, Input, Notice, Outcome, StepError, Understanding,
};
use crate::ids::{Locale, OptionId, QuestionId};
use crate::questions::Advisor;

/// How many inputs the way to a shortlist may take before the message counts as unusable.
const MAX_INPUTS: usize = 40;

/// One shopper message of a corpus file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Utterance {
    pub advisor: String,
    pub text: String,
    /// The conversation's locale (default: the file's name, e.g. `de.yaml`, else the advisor's).
    #[serde(default)]
    pub locale: Option<String>,
    /// Answers clicked before the message.
    #[serde(default)]
    pub given: BTreeMap<String, Vec<String>>,
    /// The customer sees a shortlist when typing (the remaining questions skipped).
    #[serde(default)]
    pub shortlist: bool,
    pub expect: Expect,
}

/// The facts a message must yield; anything else found is a false positive.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default)]
    pub answers: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub amount: Option<ExpectedAmount>,
    #[serde(default)]
    pub critique: Option<String>,
    #[serde(default)]
    pub avoid: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub avoid_words: Vec<String>,
    #[serde(default)]
    pub clarify: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub not_carried: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedAmount {
    pub field: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

/// Precision and recall of one kind of fact.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FactScore {
    pub kind: String,
    pub expected: usize,
    pub found: usize,
    pub correct: usize,
}

impl FactScore {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.found)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.expected)
    }
}

/// One message whose facts differ from the expected ones.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub advisor: String,
    pub text: String,
    pub missing: Vec<String>,
    pub unexpected: Vec<String>,
}

/// The measurements over a corpus.
#[derive(Debug, Clone, Serialize)]
pub struct UtteranceReport {
    pub file: String,
    pub messages: usize,
    /// Messages whose facts are exactly the expected ones.
    pub exact: usize,
    pub facts: Vec<FactScore>,
    /// Texts whose digits were searched for in the product texts (must be 0).
    pub numbers_searched: usize,
    /// Texts that asked for no answer and no amount, yet led to a dead end (must be 0).
    pub filler_dead_ends: usize,
    pub misses: Vec<Miss>,
}

impl UtteranceReport {
    pub fn accuracy(&self) -> f64 {
        ratio(self.exact, self.messages)
    }
}

/// Why a corpus could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Parse(String),
    #[error("message {index} (\"{text}\"): {problem}")]
    Message {
        index: usize,
        text: String,
        problem: String,
    },
    #[error(transparent)]
    Step(#[from] StepError),
}

/// Reads a corpus file.
pub fn read(file: &Path) -> Result<Vec<Utterance>, CorpusError> {
    let text = std::fs::read_to_string(file).map_err(|source| CorpusError::Read {
        file: file.display().to_string(),
        source,
    })?;
    crate::yaml::parse(file, &text).map_err(|problem| {
        CorpusError::Parse(format!(
            "{}:{}: {}",
            file.display(),
            problem.line.unwrap_or(0),
            problem.message
        ))
    })
}

/// Types every message of `file` into its advisor and compares the facts.
pub fn measure(
    file: &Path,
    advisors: &[Advisor],
    catalog: &Catalog,
) -> Result<UtteranceReport, CorpusError> {
    let utterances = read(file)?;
    let file_locale = file
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| Locale::parse(s).ok());
    let mut report = UtteranceReport {
        file: file.display().to_string(),
        messages: utterances.len(),
        exact: 0,
        facts: Vec::new(),
        numbers_searched: 0,
        filler_dead_ends: 0,
        misses: Vec::new(),
    };
    let mut scores: BTreeMap<&'static str, FactScore> = BTreeMap::new();
    for (index, utterance) in utterances.iter().enumerate() {
        let problem = |problem: String| CorpusError::Message {
            index: index + 1,
            text: utterance.text.clone(),
            problem,
        };
        let advisor = advisors
            .iter()
            .find(|a| a.id.as_str() == utterance.advisor)
            .ok_or_else(|| problem(format!("no advisor `{}`", utterance.advisor)))?;
        let locale = match &utterance.locale {
            Some(code) => Locale::parse(code).map_err(|e| problem(e.to_string()))?,
            None => file_locale
                .clone()
                .filter(|l| advisor.supports(l))
                .unwrap_or_else(|| advisor.default_locale().clone()),
        };
        let before = prepare(advisor, catalog, utterance, locale).map_err(|e| match e {
            Prepared::Step(error) => CorpusError::Step(error),
            Prepared::Problem(text) => problem(text),
        })?;
        let after = match dialogue::step(
            advisor,
            catalog,
            &before.state,
            Input::Text(utterance.text.clone()),
        ) {
            Ok(outcome) => Ok(outcome),
            Err(StepError::Rejected(refused)) => Err(refused),
            Err(error) => return Err(error.into()),
        };
        let found = match &after {
            Ok(outcome) => facts(advisor, outcome),
            Err(_) => Vec::new(),
        };
        if let Ok(outcome) = &after {
            if searched_a_number(outcome) {
                report.numbers_searched += 1;
            }
            let asks_nothing_hard =
                utterance.expect.answers.is_empty() && utterance.expect.amount.is_none();
            if asks_nothing_hard
                && !before.evaluation.is_dead_end()
                && outcome.evaluation.is_dead_end()
            {
                report.filler_dead_ends += 1;
            }
        }
        let expected = expected_facts(&utterance.expect);
        let mut unmatched = found.clone();
        for (kind, fact) in &expected {
            let score = scores.entry(kind).or_insert_with(|| FactScore {
                kind: kind.to_string(),
                ..FactScore::default()
            });
            score.expected += 1;
            if let Some(at) = unmatched.iter().position(|(k, f)| k == kind && f == fact) {
                unmatched.swap_remove(at);
                score.correct += 1;
            }
        }
        for (kind, _) in &found {
            scores
                .entry(kind)
                .or_insert_with(|| FactScore {
                    kind: kind.to_string(),
                    ..FactScore::default()
                })
                .found += 1;
        }
        let missing: Vec<String> = expected
            .iter()
            .filter(|fact| !found.contains(fact))
            .map(|(kind, f)| format!("{kind} {f}"))
            .collect();
        let unexpected: Vec<String> = found
            .iter()
            .filter(|fact| !expected.contains(fact))
            .map(|(kind, f)| format!("{kind} {f}"))
            .collect();
        if missing.is_empty() && unexpected.is_empty() {
            report.exact += 1;
        } else {
            report.misses.push(Miss {
                advisor: utterance.advisor.clone(),
                text: utterance.text.clone(),
                missing,
                unexpected,
            });
        }
    }
    report.facts = scores.into_values().collect();
    Ok(report)
}

/// The report as a table, with the messages that missed.
pub fn render(report: &UtteranceReport, show_misses: bool) -> String {
    let mut out = format!(
        "{}: {} messages, {:.1} % exactly understood; numbers searched: {}; dead ends from filler: {}\n",
        report.file,
        report.messages,
        100.0 * report.accuracy(),
        report.numbers_searched,
        report.filler_dead_ends
    );
    out.push_str("  fact          expected  found  correct  precision  recall\n");
    for fact in &report.facts {
        out.push_str(&format!(
            "  {:<12} {:>9} {:>6} {:>8} {:>9.1} % {:>5.1} %\n",
            fact.kind,
            fact.expected,
            fact.found,
            fact.correct,
            100.0 * fact.precision(),
            100.0 * fact.recall()
        ));
    }
    if show_misses {
        for miss in &report.misses {
            out.push_str(&format!(
                "  ✗ [{}] {}\n      missing: {}\n      unexpected: {}\n",
                miss.advisor,
                miss.text,
                miss.missing.join(", "),
                miss.unexpected.join(", ")
            ));
        }
    }
    out
}

enum Prepared {
    Step(StepError),
    Problem(String),
}

impl From<StepError> for Prepared {
    fn from(error: StepError) -> Self {
        Prepared::Step(error)
    }
}

/// The conversation the message is typed into: the given answers, then skipping to a
/// shortlist if asked for.
fn prepare(
    advisor: &Advisor,
    catalog: &Catalog,
    utterance: &Utterance,
    locale: Locale,
) -> Result<Outcome, Prepared> {
    let mut outcome = dialogue::start(advisor, catalog, locale, None)
        .map_err(|e| Prepared::Step(StepError::Index(e)))?;
    let mut state = outcome.state.clone();
    for (question, values) in &utterance.given {
        let (_, found) = QuestionId::parse(question)
            .ok()
            .and_then(|id| advisor.question(&id))
            .ok_or_else(|| Prepared::Problem(format!("`given`: no question `{question}`")))?;
        for value in values {
            let known = OptionId::parse(value).ok().and_then(|id| found.option(&id));
            if known.is_none() {
                return Err(Prepared::Problem(format!(
                    "`given`: question `{question}` has no option `{value}`"
                )));
            }
        }
        state.turn += 1;
        state.events.push(Entry {
            turn: state.turn,
            event: Event::Answer {
                question: found.id.clone(),
                values: values
                    .iter()
                    .filter_map(|v| OptionId::parse(v).ok())
                    .collect(),
            },
        });
    }
    if !utterance.given.is_empty() {
        outcome.evaluation = dialogue::evaluate(advisor, catalog, &state)
            .map_err(|e| Prepared::Step(StepError::Index(e)))?;
        outcome.state = state;
    }
    if utterance.shortlist {
        let mut inputs = 0;
        while let Some(ask) = outcome.evaluation.next.clone() {
            inputs += 1;
            if inputs > MAX_INPUTS {
                return Err(Prepared::Problem("no shortlist after skipping".into()));
            }
            let skipped = dialogue::step(
                advisor,
                catalog,
                &outcome.state,
                Input::Action(Action::Skip),
            );
            outcome = match skipped {
                Ok(next) => next,
                Err(StepError::Rejected(_)) => {
                    let question = &advisor.questions[ask.question];
                    let option = ask
                        .options
                        .first()
                        .ok_or_else(|| Prepared::Problem("nothing to answer".into()))?;
                    dialogue::step(
                        advisor,
                        catalog,
                        &outcome.state,
                        Input::Answer {
                            question: question.id.to_string(),
                            values: vec![question.options[option.option].id.to_string()],
                        },
                    )?
                }
                Err(error) => return Err(error.into()),
            };
        }
    }
    Ok(outcome)
}

/// The facts a reply reports, each with its kind.
fn facts(advisor: &Advisor, outcome: &Outcome) -> Vec<(&'static str, String)> {
    let option = |q: usize, o: usize| {
        let question = &advisor.questions[q];
        format!("{}={}", question.id, question.options[o].id)
    };
    let mut facts = Vec::new();
    for notice in &outcome.notices {
        match notice {
            Notice::Understood(understood) => {
                let Understanding {
                    answers,
                    amounts,
                    avoided,
                    avoided_words,
                    leaning,
                    ..
                } = understood;
                for (q, options) in answers {
                    facts.extend(options.iter().map(|o| ("answer", option(*q, *o))));
                }
                for amount in amounts {
                    facts.extend(amount_facts(&amount.number, amount.min, amount.max));
                }
                facts.extend(avoided.iter().map(|(q, o)| ("avoid", option(*q, *o))));
                if let Some(words) = avoided_words {
                    facts.extend(
                        words
                            .split_whitespace()
                            .map(|w| ("avoid_word", w.to_lowercase())),
                    );
                }
                facts.extend(
                    leaning
                        .iter()
                        .map(|c| ("critique", advisor.critiques[*c].id.to_string())),
                );
            }
            Notice::Critiqued { critique } => {
                facts.push(("critique", advisor.critiques[*critique].id.to_string()));
            }
            Notice::Clarify { question, options } => {
                facts.extend(options.iter().map(|o| ("clarify", option(*question, *o))));
            }
            Notice::NotCarried { need } => {
                facts.push(("not_carried", advisor.not_carried[*need].id.to_string()));
            }
            _ => {}
        }
    }
    facts
}

fn expected_facts(expect: &Expect) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    for (question, options) in &expect.answers {
        facts.extend(
            options
                .iter()
                .map(|o| ("answer", format!("{question}={o}"))),
        );
    }
    if let Some(amount) = &expect.amount {
        facts.extend(amount_facts(&amount.field, amount.min, amount.max));
    }
    facts.extend(expect.critique.iter().map(|c| ("critique", c.clone())));
    for (question, options) in &expect.avoid {
        facts.extend(options.iter().map(|o| ("avoid", format!("{question}={o}"))));
    }
    facts.extend(
        expect
            .avoid_words
            .iter()
            .map(|w| ("avoid_word", w.to_lowercase())),
    );
    for (question, options) in &expect.clarify {
        facts.extend(
            options
                .iter()
                .map(|o| ("clarify", format!("{question}={o}"))),
        );
    }
    facts.extend(
        expect
            .not_carried
            .iter()
            .map(|n| ("not_carried", n.clone())),
    );
    facts
}

fn amount_facts(number: &str, min: Option<f64>, max: Option<f64>) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    if let Some(min) = min {
        facts.push(("amount", format!("{number}>={}", round(min))));
    }
    if let Some(max) = max {
        facts.push(("amount", format!("{number}<={}", round(max))));
    }
    facts
}

fn round(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    format!("{rounded}")
}

/// Whether a text search in the outcome contains a digit.
fn searched_a_number(outcome: &Outcome) -> bool {
    outcome.notices.iter().any(|notice| {
        matches!(notice, Notice::Understood(understood)
            if understood.wish.as_ref().is_some_and(|w| w.chars().any(|c| c.is_ascii_digit())))
    })
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}
