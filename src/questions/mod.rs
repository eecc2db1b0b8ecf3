//! Advisors: one question file per advisor (`questions/<id>.yaml`). This module is the question
//! model, its parsing with line/column positions, and the cross-checks against the catalogue
//! (facets, values, ranges) that turn a file into an [`Advisor`] the dialogue can trust.
//!
//! It runs no conversations: the coverage check of `advisor check`, which drives the dialogue
//! with simulated customers, lives in `simulate`.

mod address;
mod checker;
mod context;
mod experiment;
mod fields;
mod handoff;
mod language;
mod load;
mod next;
mod next_action;
#[cfg(test)]
mod next_tests;
mod raw;
mod raw_next;
mod reach;
mod refinements;
mod text;
mod words;

use std::path::PathBuf;

pub use context::{ContextRule, DEVICES, SEASONS, Situation};
pub use experiment::{Experiment, group as experiment_group, variant_of};
pub(crate) use language::RawLanguage;
pub use language::{LANGUAGE_FOLDER, Languages, files as language_files};
pub use load::{check_source, files, load_all, load_file, title_position};
pub use next::{Eligibility, NextAction, NextKind, NextStep, Relevance};
pub(crate) use raw::RawAdvisor;
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
    /// How the shortlist trades relevance for variety.
    pub diversity: Diversity,
    /// How the next question is chosen.
    pub order: Order,
    /// "Sie" or "du" in the templates' wording.
    pub address: Address,
    /// Refinements offered after the shortlist ("cheaper", "warmer").
    pub critiques: Vec<Critique>,
    pub questions: Vec<Question>,
    /// The option labels and synonyms, for understanding free text.
    pub words: Words,
    /// How customers reach a person; `None`: no handoff is offered.
    pub handoff: Option<Handoff>,
    /// Rules on the situation the client sends, in file order.
    pub context: Vec<ContextRule>,
    /// Set when this advisor is version `b` of another one in an A/B test.
    pub experiment: Option<Experiment>,
    /// What is proposed after the shortlist, in file order.
    pub next_steps: Vec<NextStep>,
    /// Needs the shop does not carry, in file order.
    pub not_carried: Vec<NotCarried>,
    /// Evaluations of states already seen (a copy of the advisor starts with none).
    pub evaluations: crate::dialogue::Evaluations,
}

/// Free-text understanding: the lexicon's targets are indexes into `targets`.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub lexicon: crate::language::Lexicon,
    pub targets: Vec<Target>,
}

/// What a phrase of the lexicon stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An option: (question index, option index).
    Option { question: usize, option: usize },
    /// A critique (index) after the shortlist, or the direction it leans to before one.
    Critique(usize),
    /// A need the shop does not carry (index into `Advisor::not_carried`).
    NotCarried(usize),
    /// Asks for a person ("talk to someone").
    Handoff,
}

/// The people who take over a conversation: the contact the customer is given, and when the
/// advisor offers it by itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Handoff {
    /// `https:`, `mailto:` or `tel:` link.
    pub url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Opening hours, one text per locale of the advisor.
    pub hours: Option<Text>,
    /// Offer the handoff after this many dead ends, or this many exclusions.
    pub offer_after: u32,
}

/// How the advisor addresses customers where a language distinguishes (German "Sie" or "du").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Address {
    /// "du": the templates' informal wording.
    #[default]
    Informal,
    /// "Sie": the templates' formal wording (`{{#if formal}}` in templates).
    Formal,
}

/// How the next question is chosen among those that may be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// The one that splits the live candidates best (after `priority`).
    #[default]
    Best,
    /// Editor order.
    Fixed,
}

/// Which way a numeric critique moves from the product it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A lower value, e.g. cheaper.
    Lower,
    /// A higher value, e.g. better rated.
    Higher,
}

/// A refinement after the shortlist.
#[derive(Debug, Clone)]
pub struct Critique {
    pub id: OptionId,
    pub label: Text,
    /// Words customers type for it ("less expensive"), per locale; the label counts too.
    pub synonyms: std::collections::BTreeMap<Locale, Vec<Synonym>>,
    pub kind: CritiqueKind,
}

#[derive(Debug, Clone)]
pub enum CritiqueKind {
    /// Lower or higher than the product it refers to, on a number (or the price).
    Number {
        number: crate::catalog::NumberRef,
        direction: Direction,
    },
    /// A filter or a preference, like an option.
    Effect(Effect),
}

/// Variety in the shortlist: products similar on these fields to one already picked lose up to
/// `weight` of their relevance.
#[derive(Debug, Clone, Default)]
pub struct Diversity {
    pub fields: Vec<DiversityField>,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DiversityField {
    Facet(usize),
    Number(crate::catalog::NumberRef),
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
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Deserialize,
    serde::Serialize,
    Default,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Single,
    Multiple,
}

/// How the options chosen in a multiple-choice question combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Default, schemars::JsonSchema)]
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
    /// Questions with a higher priority are asked first; ties go to the earlier role, then the
    /// best split.
    pub priority: i32,
    /// What the question is about, for the order of asking.
    pub role: Role,
    /// Asked even when it does not split the candidates or the stop rule has fired.
    pub always_ask: bool,
    pub options: Vec<AnswerOption>,
}

/// What a question is about. A conversation opens with the use (what for, where, when, against
/// what), as a good shop assistant does; fit, budget and other attributes come after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// What for, where, when, against what.
    Usage,
    /// Who it is for, size, fit, colour.
    Fit,
    /// Any other attribute (material, style, features).
    #[default]
    Other,
    /// How much to spend.
    Budget,
}

impl Role {
    /// The order roles are asked in: usage first; after it, how much a question narrows
    /// decides among the others (putting the budget strictly last cost the shipped jacket and
    /// sportswear advisors 0.2 to 0.4 more questions on average and 3 to 9 points of
    /// success@3, measured with `advisor simulate`).
    pub fn rank(self) -> i32 {
        match self {
            Role::Usage => 0,
            Role::Fit | Role::Other | Role::Budget => 1,
        }
    }
}

/// A word or phrase customers type for an option or critique, and how much it counts against
/// another option of the same question (default 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Synonym {
    pub text: String,
    pub weight: f64,
}

/// A need the shop does not carry ("kids' jackets"): the customer is told so honestly and
/// offered the suggestion, and nothing is shown as a match.
#[derive(Debug, Clone)]
pub struct NotCarried {
    pub id: OptionId,
    pub synonyms: std::collections::BTreeMap<Locale, Vec<Synonym>>,
    pub message: Text,
    pub suggest: Option<Suggestion>,
}

/// What to offer instead of a need the shop does not carry.
#[derive(Debug, Clone, PartialEq)]
pub enum Suggestion {
    /// Another advisor of this shop (its id).
    Advisor(AdvisorId),
    /// A person (the advisor's handoff contact).
    Handoff,
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
    /// Words customers use for this option, per locale (the label counts too).
    pub synonyms: std::collections::BTreeMap<Locale, Vec<Synonym>>,
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
    /// The id customers start this advisor by: for an A/B test's version `b`, the advisor it
    /// is a version of.
    pub fn base_id(&self) -> &str {
        self.experiment
            .as_ref()
            .map_or(self.id.as_str(), |e| e.variant_of.as_str())
    }

    pub fn question(&self, id: &QuestionId) -> Option<(usize, &Question)> {
        self.questions.iter().enumerate().find(|(_, q)| &q.id == id)
    }

    pub fn default_locale(&self) -> &Locale {
        &self.locales[0]
    }

    pub fn supports(&self, locale: &Locale) -> bool {
        self.locales.contains(locale)
    }

    pub fn critique(&self, id: &str) -> Option<(usize, &Critique)> {
        self.critiques
            .iter()
            .enumerate()
            .find(|(_, c)| c.id.as_str() == id)
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

    /// The condition [`Effect::matches`] checks, for product sets; `None` for "no preference".
    pub fn condition(&self) -> Option<Condition> {
        match (&self.hard, &self.soft) {
            (None, None) => None,
            (Some(hard), None) => Some(hard.clone()),
            (None, Some((soft, _))) => Some(soft.clone()),
            (Some(hard), Some((soft, _))) => Some(Condition::All(vec![hard.clone(), soft.clone()])),
        }
    }
}
