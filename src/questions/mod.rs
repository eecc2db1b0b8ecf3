//! Advisors: one question file per advisor (`questions/<id>.yaml`). This module is the question
//! model, its parsing with line/column positions, and the cross-checks against the catalogue
//! (facets, values, ranges) that turn a file into an [`Advisor`] the dialogue can trust.
//!
//! It does not run conversations; `dialogue` does.

mod checker;
mod fields;
mod load;
mod raw;
mod text;

use std::path::PathBuf;

pub use load::{load_all, load_file};
pub use text::{Noun, Text};

use crate::catalog::Condition;
use crate::ids::{AdvisorId, Locale, OptionId, QuestionId};

/// A checked advisor, ready for conversations.
#[derive(Debug, Clone)]
pub struct Advisor {
    pub id: AdvisorId,
    /// A fingerprint of the file's bytes: conversations remember which version they started on.
    pub version: String,
    pub file: PathBuf,
    pub title: Text,
    /// Supported locales; the first is the default.
    pub locales: Vec<Locale>,
    /// What the advisor recommends, in singular and plural ("jacket", "jackets").
    pub noun: Noun,
    /// Which products the advisor recommends at all (always includes "listed").
    pub scope: Condition,
    pub stop: StopRule,
    /// How many products the shortlist shows at most.
    pub shortlist_size: usize,
    pub questions: Vec<Question>,
}

/// When to stop asking and recommend.
#[derive(Debug, Clone, Copy)]
pub struct StopRule {
    /// Recommend as soon as at most this many candidates are left.
    pub max_candidates: usize,
    /// Recommend after this many answers, even if more questions could split the candidates.
    pub max_questions: Option<usize>,
}

/// Single or multiple choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Single,
    Multiple,
}

/// How the options chosen in a multiple-choice question combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// A product must meet every chosen option (rain *and* wind).
    #[default]
    All,
    /// A product must meet at least one chosen option (yoga *or* running).
    Any,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: QuestionId,
    pub kind: Kind,
    pub combine: Combine,
    pub text: Text,
    pub ask_if: Option<AskIf>,
    pub options: Vec<AnswerOption>,
}

/// Ask a question only when an earlier question was answered with one of these options.
#[derive(Debug, Clone)]
pub struct AskIf {
    /// Index of the earlier question.
    pub question: usize,
    /// Indexes of its options.
    pub options: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct AnswerOption {
    pub id: OptionId,
    pub label: Text,
    /// Why a product was chosen when it meets this option ("keeps the rain out").
    pub reason: Text,
    pub effect: Effect,
}

/// What choosing an option does to the candidates.
#[derive(Debug, Clone, Default)]
pub struct Effect {
    /// Products must meet this (filters and ranges).
    pub hard: Option<Condition>,
    /// Products meeting this rank higher by the weight.
    pub soft: Option<(Condition, f64)>,
}

impl Effect {
    pub fn is_no_preference(&self) -> bool {
        self.hard.is_none() && self.soft.is_none()
    }
}

impl Advisor {
    pub fn question(&self, id: &QuestionId) -> Option<(usize, &Question)> {
        self.questions.iter().enumerate().find(|(_, q)| &q.id == id)
    }

    pub fn default_locale(&self) -> &Locale {
        &self.locales[0]
    }

    pub fn supports(&self, locale: &Locale) -> bool {
        self.locales.contains(locale)
    }
}

impl Question {
    pub fn option(&self, id: &OptionId) -> Option<(usize, &AnswerOption)> {
        self.options.iter().enumerate().find(|(_, o)| &o.id == id)
    }
}

impl Effect {
    /// Whether a product meets the option: its filter and, for soft options, its preference.
    pub fn matches(&self, product: &crate::catalog::Product) -> bool {
        self.hard.as_ref().is_none_or(|c| c.matches(product))
            && self.soft.as_ref().is_none_or(|(c, _)| c.matches(product))
    }
}
