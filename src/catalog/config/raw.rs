//! The catalogue config as written: serde structs with positions, before any check. The same
//! structs describe its JSON Schema (`schemas/catalog.schema.json`, written by `advisor schema`);
//! their doc comments are what editors see in their IDE. `Spanned<T>` is described as plain `T`.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::yaml::Spanned;

/// The catalogue config file (`catalog/catalog.yaml`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Catalogue config")]
#[schemars(rename = "CatalogConfig")]
pub(crate) struct RawConfig {
    /// The product file, JSON Lines (one product per line), relative to this file.
    #[schemars(with = "String")]
    pub(super) products: Spanned<String>,
    /// Stemming and stop words for the text fields: en, de, fr, es, it, nl or pt (default en).
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = "^(en|de|fr|es|it|nl|pt)$"))]
    pub(super) language: Option<Spanned<String>>,
    /// ISO 4217 code of every price, e.g. `EUR`.
    #[schemars(with = "String", regex(pattern = "^[A-Z]{3}$"))]
    pub(super) currency: Spanned<String>,
    /// The record field with the product id (dotted paths reach into objects: `brand.name`).
    #[schemars(with = "String")]
    pub(super) id: Spanned<String>,
    /// The record field with the product's name.
    #[schemars(with = "String")]
    pub(super) title: Spanned<String>,
    /// Searchable free-text fields (descriptions), used for what customers type.
    #[serde(default)]
    pub(super) text: Vec<RawText>,
    /// The record field with the price, a number.
    #[schemars(with = "String")]
    pub(super) price: Spanned<String>,
    /// Numeric fields question files can use in ranges and critiques (ratings, weights).
    #[serde(default)]
    pub(super) numbers: Vec<RawNumber>,
    /// Enumerated attributes question files filter and count on (colour, material, gender).
    #[serde(default)]
    pub(super) facets: Vec<RawFacet>,
    /// Only products whose field holds one of these values are recommended.
    #[serde(default)]
    pub(super) listed: Option<RawListed>,
    /// Products with the same value here are variants of one product (e.g. `item_group_id`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) group: Option<Spanned<String>>,
    /// Image URL with `{field}` placeholders filled from the product, e.g. `"{image_link}"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) image_url: Option<Spanned<String>>,
    /// Product page URL with `{field}` placeholders, e.g. `"https://shop.example/p/{id}"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) product_url: Option<Spanned<String>>,
    /// "Goes well with": products the shop lists together and, optionally, bought together.
    #[serde(default)]
    pub(super) relations: Option<RawRelations>,
}

/// A searchable text field.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TextField")]
pub(super) struct RawText {
    /// The record field.
    #[schemars(with = "String")]
    pub(super) field: Spanned<String>,
    /// Language of this field when it differs from the catalogue's.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = "^(en|de|fr|es|it|nl|pt)$"))]
    pub(super) language: Option<Spanned<String>>,
    /// `true`: words customers type that occur in this field remove the products without them
    /// (a brand or model field). Default `false`: such words only rank products first.
    #[serde(default)]
    pub(super) filter: bool,
}

/// A numeric field.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NumberField")]
pub(super) struct RawNumber {
    /// The name question files use, e.g. `rating`.
    #[schemars(with = "String")]
    pub(super) name: Spanned<String>,
    /// The record field, when it differs from `name`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) field: Option<Spanned<String>>,
    /// Words customers write after an amount of this number, e.g. `[cm, centimetres]`:
    /// "under 58 cm" in free text becomes a range on it.
    #[serde(default)]
    pub(super) units: Vec<String>,
}

/// An enumerated attribute.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FacetField")]
pub(super) struct RawFacet {
    /// The name question files use, e.g. `climate`.
    #[schemars(with = "String")]
    pub(super) name: Spanned<String>,
    /// The record field, when it differs from `name`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) field: Option<Spanned<String>>,
    /// `true` when a product may have several values (a JSON array).
    #[serde(default)]
    pub(super) multi: bool,
}

/// Which products are recommended.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ListedRule")]
pub(super) struct RawListed {
    /// The record field.
    #[schemars(with = "String")]
    pub(super) field: Spanned<String>,
    /// The values that make a product listed, e.g. `[in_stock]`.
    pub(super) values: Vec<String>,
}

/// Where "goes well with" recommendations come from.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Relations")]
pub(super) struct RawRelations {
    /// Product fields holding lists of product ids (cross-sells, related products, up-sells).
    #[serde(default)]
    pub(super) lists: Vec<RawRelationList>,
    /// Orders file (CSV `order_id,product_id`, one line per item), relative to this file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) orders: Option<Spanned<String>>,
    /// Pairs bought together in fewer orders than this are ignored (default 2).
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub(super) min_orders: Option<Spanned<u32>>,
    /// A facet name: the products shown for one product differ on it where possible.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) diversify: Option<Spanned<String>>,
    /// At most this many products shown per product (default 3).
    #[serde(default)]
    #[schemars(with = "Option<usize>", range(min = 1, max = 20))]
    pub(super) show: Option<Spanned<usize>>,
}

/// A product field holding a list of product ids.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RelationList")]
pub(super) struct RawRelationList {
    /// The record field, e.g. `crosssell_skus`.
    #[schemars(with = "String")]
    pub(super) field: Spanned<String>,
    /// What the list means: `cross_sell` and `related` are shown as "goes well with";
    /// `up_sell` (an upgrade, not a companion) is checked but not shown.
    pub(super) kind: super::RelationKind,
    /// How much a listing counts, above 0 and at most 10 (default 1).
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0, max = 10))]
    pub(super) weight: Option<Spanned<f64>>,
}
