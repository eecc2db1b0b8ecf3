//! The mapping file as written: serde structs with positions, before any check.

use serde::Deserialize;

use crate::yaml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMapping {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    pub(super) price: Spanned<String>,
    #[serde(default)]
    pub(super) description: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) currency: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) link: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) image: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) group: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) availability: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) listed: Option<Spanned<RawListed>>,
    #[serde(default)]
    pub(super) delimiter: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) facets: Vec<RawFacet>,
    #[serde(default)]
    pub(super) numbers: Vec<RawNumber>,
}

/// `listed:` the column and the values that list a product.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawListed {
    pub(super) column: Spanned<String>,
    pub(super) values: Vec<String>,
}

/// One entry of `facets:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFacet {
    pub(super) column: Spanned<String>,
    #[serde(default)]
    pub(super) name: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) separator: Option<String>,
}

/// One entry of `numbers:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNumber {
    pub(super) column: Spanned<String>,
    #[serde(default)]
    pub(super) name: Option<Spanned<String>>,
}
