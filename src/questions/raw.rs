//! The question file as written: serde structs with positions, before any cross-check.
//!
//! The same structs describe the file's JSON Schema (`schemas/questions.schema.json`, written by
//! `advisor schema`): their doc comments are what editors see in their IDE, so they speak to
//! editors. `Spanned<T>` is described as plain `T`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Address, Combine, Direction, Kind, Order, Role};
use crate::yaml::Spanned;

/// Texts per locale, e.g. `{en: Find your jacket, de: Finde deine Jacke}`.
type Texts = BTreeMap<String, String>;
/// Facet names to values, e.g. `{climate: [Rainy, Windy]}`.
type FacetValues = BTreeMap<String, Vec<String>>;
/// Words customers type, per locale: `{en: [rain, waterproof, {text: grip, weight: 0.5}]}`.
type Synonyms = BTreeMap<String, Vec<RawSynonym>>;

/// A word or phrase customers type. Plain text counts 1; `{text, weight}` counts `weight`
/// against another option of the same question found in the same sentence.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Synonym")]
pub(super) enum RawSynonym {
    Plain(String),
    Weighted {
        /// The word or phrase.
        text: String,
        /// How much it counts, above 0 and at most 10 (default 1).
        weight: f64,
    },
}

/// An advisor: a guided conversation that recommends products from the catalogue
/// (`docs/questions.md`; a guide in `questions/README.md`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Advisor question file")]
#[schemars(rename = "Advisor")]
pub(crate) struct RawAdvisor {
    /// The advisor's name as shops show it, one text per locale.
    #[schemars(with = "Texts")]
    pub(super) title: Spanned<BTreeMap<String, String>>,
    /// The languages of this advisor, e.g. `[en, de]`; the first is the default.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub(super) locales: Spanned<Vec<Spanned<String>>>,
    /// What the advisor recommends, per locale, singular and plural:
    /// `en: {one: jacket, other: jackets}`.
    #[schemars(with = "BTreeMap<String, RawNoun>")]
    pub(super) noun: Spanned<BTreeMap<String, RawNoun>>,
    /// Which products the advisor may recommend at all: facet name to allowed values.
    /// Default: every listed product.
    #[serde(default)]
    #[schemars(with = "Option<FacetValues>")]
    pub(super) scope: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    /// When to stop asking and recommend.
    #[serde(default)]
    pub(super) stop: RawStop,
    /// How the recommendation looks.
    #[serde(default)]
    pub(super) shortlist: RawShortlist,
    /// `best` (default): the question that narrows the candidates most; `fixed`: file order.
    #[serde(default)]
    pub(super) order: Order,
    /// `informal` (default) or `formal`: how the templates address customers where the
    /// language distinguishes (German "du" or "Sie"). Write this file's own texts the same way.
    #[serde(default)]
    pub(super) address: Address,
    /// Refinements offered below the shortlist, such as "Cheaper" or "Warmer".
    #[serde(default)]
    pub(super) critiques: Vec<RawCritique>,
    /// The questions, at least one.
    #[schemars(with = "Vec<RawQuestion>", length(min = 1))]
    pub(super) questions: Spanned<Vec<RawQuestion>>,
    /// How a customer reaches a person ("talk to someone"): the contact shown and the words
    /// customers type to ask for one. Without it, the advisor offers no handoff.
    #[serde(default)]
    #[schemars(with = "Option<RawHandoff>")]
    pub(super) handoff: Option<Spanned<RawHandoff>>,
    /// How the customer's situation, as the client sends it (season, weather, temperature,
    /// when it is needed, cart value, country, device), shapes the questions and the ranking.
    #[serde(default)]
    pub(super) context: Vec<super::context::RawContextRule>,
    /// What the advisor proposes after the shortlist: matching products, a link, a person or
    /// another advisor; the one that applies and scores best is shown.
    #[serde(default)]
    pub(super) next_steps: Vec<super::raw_next::RawNextStep>,
    /// Needs the shop does not carry ("kids' jackets"): when a customer types one, the advisor
    /// says so honestly and offers the suggestion, and shows nothing as a match.
    #[serde(default)]
    pub(super) not_carried: Vec<RawNotCarried>,
    /// Words to ignore in this advisor's free text, per locale, beside the language file's.
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, Vec<String>>>")]
    pub(super) ignore: Option<Spanned<BTreeMap<String, Vec<String>>>>,
    /// Makes this file version `b` of another advisor in an A/B test: a share of that
    /// advisor's new conversations get this file instead. Not listed as an advisor of its own.
    #[serde(default)]
    pub(super) experiment: Option<super::experiment::RawExperiment>,
}

/// The contact of the people who take over a conversation. At least one of `url`, `phone`,
/// `email`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Handoff")]
pub(super) struct RawHandoff {
    /// A contact page or chat: `https://…` (or a `mailto:` / `tel:` link).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) url: Option<Spanned<String>>,
    /// The phone number as customers should dial it, e.g. `+1 555 0100`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) phone: Option<Spanned<String>>,
    /// The e-mail address, e.g. `help@shop.example`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) email: Option<Spanned<String>>,
    /// When someone answers, one text per locale, e.g. `{en: "Mon–Fri 9:00–17:00"}`.
    #[serde(default)]
    #[schemars(with = "Option<Texts>")]
    pub(super) hours: Option<Spanned<BTreeMap<String, String>>>,
    /// What customers type to ask for a person, per locale:
    /// `{en: [talk to someone, human], de: [Mitarbeiter]}`.
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, Vec<String>>>")]
    pub(super) phrases: Option<Spanned<BTreeMap<String, Vec<String>>>>,
    /// Offer the handoff after this many dead ends, or this many "Not this one", in a
    /// conversation (default 2, at least 1).
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub(super) offer_after: Option<Spanned<u32>>,
}

/// A need the shop does not carry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NotCarried")]
pub(super) struct RawNotCarried {
    /// A short name, unique among them: lower-case letters, digits, `_`, `-`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub(super) id: Spanned<String>,
    /// What customers type for it, per locale: `{en: [kids, children]}`.
    #[schemars(with = "Synonyms")]
    pub(super) synonyms: Spanned<BTreeMap<String, Vec<RawSynonym>>>,
    /// What the customer is told, per locale: `{en: "We don't sell children's jackets."}`.
    #[schemars(with = "Texts")]
    pub(super) message: Spanned<BTreeMap<String, String>>,
    /// What to offer instead: `{advisor: sportswear}` or `{handoff: true}`.
    #[serde(default)]
    #[schemars(with = "Option<RawSuggestion>")]
    pub(super) suggest: Option<Spanned<RawSuggestion>>,
}

/// What to offer instead of a need the shop does not carry: exactly one of the two.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Suggestion")]
pub(super) struct RawSuggestion {
    /// Another advisor of the shop, by its file name without `.yaml`.
    #[serde(default)]
    pub(super) advisor: Option<String>,
    /// `true`: a person (the advisor's `handoff` contact).
    #[serde(default)]
    pub(super) handoff: bool,
}

/// A refinement button below the shortlist, relative to the first product shown. Exactly one
/// of `number` (with `direction`), `filter` or `prefer`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Critique")]
pub(super) struct RawCritique {
    /// A short name, unique among the critiques: lower-case letters, digits, `_`, `-`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub(super) id: Spanned<String>,
    /// The button text per locale, e.g. `{en: Cheaper, de: Günstiger}`.
    #[schemars(with = "Texts")]
    pub(super) label: Spanned<BTreeMap<String, String>>,
    /// What customers type for it after a shortlist, per locale:
    /// `{en: [less expensive, more affordable]}` (the label counts too).
    #[serde(default)]
    #[schemars(with = "Option<Synonyms>")]
    pub(super) synonyms: Option<Spanned<BTreeMap<String, Vec<RawSynonym>>>>,
    /// A number to compare on: `price` or a name under `numbers:` in `catalog/catalog.yaml`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) number: Option<Spanned<String>>,
    /// With `number`: `lower` (e.g. cheaper) or `higher` (e.g. better rated).
    #[serde(default)]
    #[schemars(with = "Option<Direction>")]
    pub(super) direction: Option<Spanned<Direction>>,
    /// Hard condition on facets: only matching products stay.
    #[serde(default)]
    #[schemars(with = "Option<FacetValues>")]
    pub(super) filter: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    /// Soft wish on facets: matching products move up strongly.
    #[serde(default)]
    #[schemars(with = "Option<FacetValues>")]
    pub(super) prefer: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
}

/// Variety in the shortlist.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Diversity")]
pub(super) struct RawDiversity {
    /// Facets and numbers (such as `price`) on which products are compared.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub(super) fields: Vec<Spanned<String>>,
    /// How much variety counts against relevance, 0 to 1 (default 0.5).
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0.0, max = 1.0))]
    pub(super) weight: Option<Spanned<f64>>,
}

/// Singular and plural of the noun.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Noun")]
pub(super) struct RawNoun {
    /// Singular: `jacket`.
    pub(super) one: String,
    /// Plural: `jackets`.
    pub(super) other: String,
}

/// When to stop asking and recommend.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Stop")]
pub(super) struct RawStop {
    /// Recommend as soon as this many products or fewer are left (default 5, at least 1).
    #[serde(default)]
    #[schemars(with = "Option<usize>", range(min = 1))]
    pub(super) max_candidates: Option<Spanned<usize>>,
    /// Recommend after this many answers, even if more questions could narrow things down.
    #[serde(default)]
    pub(super) max_questions: Option<usize>,
}

/// How the recommendation looks.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Shortlist")]
pub(super) struct RawShortlist {
    /// How many products are shown at most, 1 to 20 (default 5).
    #[serde(default)]
    #[schemars(with = "Option<usize>", range(min = 1, max = 20))]
    pub(super) size: Option<Spanned<usize>>,
    /// Make the shortlist varied: `{fields: [style, material, price], weight: 0.3}`.
    #[serde(default)]
    #[schemars(with = "Option<RawDiversity>")]
    pub(super) diversity: Option<Spanned<RawDiversity>>,
}

/// A question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Question")]
pub(super) struct RawQuestion {
    /// A short name, unique in the file: lower-case letters, digits, `_`, `-`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub(super) id: Spanned<String>,
    /// `single` (default): one option; `multiple`: several.
    #[serde(default)]
    pub(super) kind: Kind,
    /// Only for `kind: multiple`: `all` (default) = every picked option must hold; `any` = one.
    #[serde(default)]
    pub(super) combine: Combine,
    /// The question, one text per locale.
    #[schemars(with = "Texts")]
    pub(super) text: Spanned<BTreeMap<String, String>>,
    /// Ask only after one of these answers to an earlier question.
    #[serde(default)]
    pub(super) ask_if: Option<RawAskIf>,
    /// With `order: best`, questions with a higher priority come first (default 0).
    #[serde(default)]
    pub(super) priority: i32,
    /// What the question is about: `usage` (what for, where, when, against what) is asked
    /// first, then `fit` (who, size, colour), `other` (default), `budget` last; `priority`
    /// goes before it.
    #[serde(default)]
    pub(super) role: Role,
    /// Ask even when the question does not narrow the candidates.
    #[serde(default)]
    pub(super) always_ask: bool,
    /// The possible answers, at least two.
    #[schemars(with = "Vec<RawOption>", length(min = 2))]
    pub(super) options: Spanned<Vec<RawOption>>,
}

/// `{question: kind, any_of: [pants]}`: ask after one of these answers to an earlier question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AskIf")]
pub(super) struct RawAskIf {
    /// The id of an earlier question.
    #[schemars(with = "String")]
    pub(super) question: Spanned<String>,
    /// Option ids of that question.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub(super) any_of: Vec<Spanned<String>>,
}

/// An answer. It needs an effect: `filter`, `range` or `prefer` (combinable), or
/// `no_preference: true` alone.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AnswerOption")]
pub(super) struct RawOption {
    /// A short name, unique within the question: lower-case letters, digits, `_`, `-`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub(super) id: Spanned<String>,
    /// The answer button's text, one text per locale.
    #[schemars(with = "Texts")]
    pub(super) label: Spanned<BTreeMap<String, String>>,
    /// Shown under every recommended product that meets this answer ("keeps the rain out").
    #[serde(default)]
    #[schemars(with = "Option<Texts>")]
    pub(super) reason: Option<Spanned<BTreeMap<String, String>>>,
    /// Hard condition on facets: products must have one of the values of every facet named.
    #[serde(default)]
    #[schemars(with = "Option<FacetValues>")]
    pub(super) filter: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    /// Soft wish on facets: matching products rank higher, the others stay.
    #[serde(default)]
    #[schemars(with = "Option<FacetValues>")]
    pub(super) prefer: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    /// How much a `prefer` counts, above 0 and at most 100 (default 1).
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0.0, max = 100.0))]
    pub(super) weight: Option<Spanned<f64>>,
    /// Hard condition on a number: `{field: price, min: 50, max: 70}`.
    #[serde(default)]
    #[schemars(with = "Option<RawRange>")]
    pub(super) range: Option<Spanned<RawRange>>,
    /// `true` for "Doesn't matter": the answer changes nothing.
    #[serde(default)]
    pub(super) no_preference: bool,
    /// Words customers type for this option, per locale: `{en: [rain, waterproof]}`; a
    /// weighted one as `{text: grip, weight: 0.5}`.
    #[serde(default)]
    #[schemars(with = "Option<Synonyms>")]
    pub(super) synonyms: Option<Spanned<BTreeMap<String, Vec<RawSynonym>>>>,
}

/// A hard range on a number.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Range")]
pub(super) struct RawRange {
    /// `price` or a name under `numbers:` in `catalog/catalog.yaml`.
    pub(super) field: String,
    /// Lowest value, inclusive.
    #[serde(default)]
    pub(super) min: Option<f64>,
    /// Highest value, exclusive.
    #[serde(default)]
    pub(super) max: Option<f64>,
}
