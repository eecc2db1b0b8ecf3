//! The `next_steps:` section as written: the one step the advisor proposes after the shortlist
//! (matching products, a link, a person, another advisor), when it applies, what makes it more
//! relevant and how much the shop wants it. Like `raw.rs`, these structs describe the file's JSON
//! Schema, so their doc comments speak to editors; the checks are in `next.rs`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::yaml::Spanned;

/// Texts per locale.
type Texts = BTreeMap<String, String>;
/// Names (facets or questions) to values (facet values or option ids).
type Values = BTreeMap<String, Vec<String>>;
/// The same, with positions.
type SpannedValues = Spanned<BTreeMap<String, Vec<Spanned<String>>>>;

/// What accepting a next step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NextKind {
    /// Shows products from the catalogue (`filter`, `follow`, `show`, `sort_by`).
    Products,
    /// Opens a page of the shop (`url`).
    Link,
    /// Offers a person (the advisor's `handoff:` contact).
    Handoff,
    /// Starts another advisor (`advisor`).
    Advisor,
}

/// One next step proposed after the shortlist. Of the steps whose `when` holds, the one with the
/// highest `priority` plus the `weight` of each matching `relevance` is proposed; ties go to the
/// step written first. A step the customer accepted or declined is not proposed again.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NextStep")]
pub(super) struct RawNextStep {
    /// A short name, unique among the next steps: lower-case letters, digits, `_`, `-`. Clients
    /// report it back when the customer accepts or declines the step.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub(super) id: Spanned<String>,
    /// How much the shop wants this step: a whole number from 0 to 100 (default 1); higher wins.
    #[serde(default)]
    #[schemars(with = "Option<i64>", range(min = 0, max = 100))]
    pub(super) priority: Option<Spanned<i64>>,
    /// When the step may be proposed; every condition listed must hold. Default: always.
    #[serde(default)]
    pub(super) when: RawWhen,
    /// Answers that make the step more relevant: each entry that matches adds its `weight`.
    #[serde(default)]
    pub(super) relevance: Vec<RawRelevance>,
    /// The proposal, one text per locale: "Staying dry all the way down? See matching pants."
    #[schemars(with = "Texts")]
    pub(super) text: Spanned<BTreeMap<String, String>>,
    /// Why the customer sees it, completing "Suggested …" per locale: "because you want to stay
    /// dry". Default: the answers that made the step eligible or relevant
    /// (`templates/<locale>/next_step.hbs`).
    #[serde(default)]
    #[schemars(with = "Option<Texts>")]
    pub(super) why: Option<Spanned<BTreeMap<String, String>>>,
    /// `products`, `link`, `handoff` or `advisor`.
    #[schemars(with = "NextKind")]
    pub(super) kind: Spanned<NextKind>,
    /// With `kind: products`: which listed products to show, facet name to values.
    #[serde(default)]
    #[schemars(with = "Option<Values>")]
    pub(super) filter: Option<SpannedValues>,
    /// With `kind: products`: questions whose answers narrow the products too, e.g. `[who]` for
    /// women's pants after a women's jacket (their filters and ranges apply).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) follow: Vec<Spanned<String>>,
    /// With `kind: products`: how many to show, 1 to 20 (default 3).
    #[serde(default)]
    #[schemars(with = "Option<usize>", range(min = 1, max = 20))]
    pub(super) show: Option<Spanned<usize>>,
    /// With `kind: products`: show the highest values of this number first (`price` or a name
    /// under `numbers:` in `catalog/catalog.yaml`, e.g. `rating`). Default: by product id.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) sort_by: Option<Spanned<String>>,
    /// With `kind: link`: the page, `https://…`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) url: Option<Spanned<String>>,
    /// With `kind: advisor`: the advisor to start, the name of its file without `.yaml`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) advisor: Option<Spanned<String>>,
}

/// When a next step may be proposed: every condition listed must hold.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NextStepWhen")]
pub(super) struct RawWhen {
    /// Question id to option ids: one of these options was chosen, for every question listed.
    #[serde(default)]
    #[schemars(with = "Option<Values>")]
    pub(super) answers: Option<SpannedValues>,
    /// Facet name to values: the first product of the shortlist has one of them, for every facet.
    #[serde(default)]
    #[schemars(with = "Option<Values>")]
    pub(super) shortlist: Option<SpannedValues>,
    /// The first product of the shortlist costs at least this.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0.0))]
    pub(super) min_price: Option<Spanned<f64>>,
    /// The client reported a cart worth at least this (its context's `cart_value`).
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0.0))]
    pub(super) cart_value_min: Option<Spanned<f64>>,
    /// Ids of context rules (the advisor's `context:` section) that must all be in effect.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) context: Vec<Spanned<String>>,
}

/// More weight for a next step when the customer gave these answers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NextStepRelevance")]
pub(super) struct RawRelevance {
    /// Question id to option ids: one of these options was chosen, for every question listed.
    #[schemars(with = "Values")]
    pub(super) answers: SpannedValues,
    /// Added to the step's priority when the answers match: above 0, at most 100 (default 1).
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0.0, max = 100.0))]
    pub(super) weight: Option<Spanned<f64>>,
}
