//! The question file as written: serde structs with positions, before any cross-check.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Combine, Direction, Kind, Order};
use crate::yaml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdvisor {
    pub(super) title: Spanned<BTreeMap<String, String>>,
    pub(super) locales: Spanned<Vec<Spanned<String>>>,
    pub(super) noun: Spanned<BTreeMap<String, RawNoun>>,
    #[serde(default)]
    pub(super) scope: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    #[serde(default)]
    pub(super) stop: RawStop,
    #[serde(default)]
    pub(super) shortlist: RawShortlist,
    #[serde(default)]
    pub(super) order: Order,
    #[serde(default)]
    pub(super) critiques: Vec<RawCritique>,
    pub(super) questions: Spanned<Vec<RawQuestion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCritique {
    pub(super) id: Spanned<String>,
    pub(super) label: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    pub(super) number: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) direction: Option<Spanned<Direction>>,
    #[serde(default)]
    pub(super) filter: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    #[serde(default)]
    pub(super) prefer: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiversity {
    pub(super) fields: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) weight: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNoun {
    pub(super) one: String,
    pub(super) other: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStop {
    #[serde(default)]
    pub(super) max_candidates: Option<Spanned<usize>>,
    #[serde(default)]
    pub(super) max_questions: Option<usize>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShortlist {
    #[serde(default)]
    pub(super) size: Option<Spanned<usize>>,
    #[serde(default)]
    pub(super) diversity: Option<Spanned<RawDiversity>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub(super) id: Spanned<String>,
    #[serde(default)]
    pub(super) kind: Kind,
    #[serde(default)]
    pub(super) combine: Combine,
    pub(super) text: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    pub(super) ask_if: Option<RawAskIf>,
    #[serde(default)]
    pub(super) priority: i32,
    #[serde(default)]
    pub(super) always_ask: bool,
    pub(super) options: Spanned<Vec<RawOption>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAskIf {
    pub(super) question: Spanned<String>,
    pub(super) any_of: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOption {
    pub(super) id: Spanned<String>,
    pub(super) label: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    pub(super) reason: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pub(super) filter: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    #[serde(default)]
    pub(super) prefer: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    #[serde(default)]
    pub(super) weight: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) range: Option<Spanned<RawRange>>,
    #[serde(default)]
    pub(super) no_preference: bool,
    #[serde(default)]
    pub(super) synonyms: Option<Spanned<BTreeMap<String, Vec<String>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRange {
    pub(super) field: String,
    #[serde(default)]
    pub(super) min: Option<f64>,
    #[serde(default)]
    pub(super) max: Option<f64>,
}
