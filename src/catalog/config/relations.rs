//! The `relations:` section of the catalogue config: which product fields list other products
//! (cross-sells, related products, up-sells), the optional orders file, and how many "goes well
//! with" products to show, diversified on which facet. Checked like the rest of the config; the
//! pairs themselves are computed in `catalog/relations.rs`.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::raw::RawRelations;
use super::{FacetField, FieldPath};
use crate::diagnostics::{Diagnostics, closest, known_list};
use crate::yaml::{Spanned, error_at};

/// The checked `relations:` section.
#[derive(Debug, Clone)]
pub struct RelationsConfig {
    /// Product fields holding lists of product ids, in config order.
    pub lists: Vec<RelationList>,
    /// The orders file (`order_id,product_id`), if any.
    pub orders: Option<PathBuf>,
    /// Pairs bought together in fewer orders are ignored.
    pub min_orders: u32,
    /// The facet (by position) the products shown for one product should differ on.
    pub diversify: Option<usize>,
    /// At most this many products shown per product.
    pub show: usize,
}

/// A product field holding a list of product ids.
#[derive(Debug, Clone)]
pub struct RelationList {
    pub path: FieldPath,
    pub kind: RelationKind,
    /// How much one listing counts (times [`crate::catalog::LISTED_BASE`]).
    pub weight: f64,
}

/// What a shop's product list means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Bought in addition ("goes well with").
    CrossSell,
    /// Related to this product ("goes well with", usually with a lower weight).
    Related,
    /// A better product instead of this one: an upgrade, not a companion. Its ids are checked,
    /// but it is not used for "goes well with".
    UpSell,
}

impl RelationKind {
    /// Whether the products in such a list go together with the product (an upgrade does not).
    pub fn pairs(self) -> bool {
        self != RelationKind::UpSell
    }

    /// The name as written in `catalog.yaml` and given to templates.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::CrossSell => "cross_sell",
            RelationKind::Related => "related",
            RelationKind::UpSell => "up_sell",
        }
    }
}

/// The defaults when the section leaves a key out.
const MIN_ORDERS: u32 = 2;
const SHOW: usize = 3;
const MAX_SHOW: usize = 20;
const MAX_WEIGHT: f64 = 10.0;

/// Checks the section. `path_of` turns a field into a path (and remembers where it was
/// written); `file_exists` answers whether the orders file exists.
pub(super) fn check(
    file: &Path,
    raw: &RawRelations,
    facets: &[FacetField],
    file_exists: &dyn Fn(&Path) -> bool,
    path_of: &mut dyn FnMut(&Spanned<String>, &mut Diagnostics) -> FieldPath,
    problems: &mut Diagnostics,
) -> RelationsConfig {
    let mut lists: Vec<RelationList> = Vec::new();
    for list in &raw.lists {
        let path = path_of(&list.field, problems);
        if lists.iter().any(|l| l.path == path) {
            problems.push(
                error_at(
                    file,
                    &list.field,
                    format!("the field `{}` is listed twice", list.field.value),
                )
                .hint("list each field once under `relations.lists`"),
            );
        }
        let weight = match &list.weight {
            None => 1.0,
            Some(weight) if weight.value > 0.0 && weight.value <= MAX_WEIGHT => weight.value,
            Some(weight) => {
                problems.push(
                    error_at(
                        file,
                        weight,
                        format!("the weight {} is out of range", weight.value),
                    )
                    .hint(format!(
                        "a weight is above 0 and at most {MAX_WEIGHT}, e.g. 1.0 for cross-sells and 0.6 for related products"
                    )),
                );
                1.0
            }
        };
        lists.push(RelationList {
            path,
            kind: list.kind,
            weight,
        });
    }
    let orders = raw.orders.as_ref().map(|orders| {
        let path = file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(&orders.value);
        if !file_exists(&path) {
            problems.push(
                error_at(
                    file,
                    orders,
                    format!("the orders file `{}` does not exist", path.display()),
                )
                .hint("`orders` is a path relative to the catalogue folder; `advisor import-orders` writes one"),
            );
        }
        path
    });
    let min_orders =
        match &raw.min_orders {
            None => MIN_ORDERS,
            Some(n) if n.value >= 1 => n.value,
            Some(n) => {
                problems.push(error_at(file, n, "`min_orders` must be at least 1").hint(
                    "pairs bought together in fewer orders are ignored; 2 or more is sensible",
                ));
                MIN_ORDERS
            }
        };
    let show = match &raw.show {
        None => SHOW,
        Some(n) if (1..=MAX_SHOW).contains(&n.value) => n.value,
        Some(n) => {
            problems.push(
                error_at(file, n, format!("`show` must be between 1 and {MAX_SHOW}"))
                    .hint("how many products are shown beside each recommended product"),
            );
            SHOW
        }
    };
    let diversify = raw.diversify.as_ref().and_then(|name| {
        let position = facets.iter().position(|f| f.name == name.value);
        if position.is_none() {
            let names = facets.iter().map(|f| f.name.as_str());
            let mut hint = format!("facets: {}", known_list(names.clone()));
            if let Some(near) = closest(&name.value, names) {
                hint = format!("did you mean `{near}`? {hint}");
            }
            problems.push(
                error_at(file, name, format!("there is no facet `{}`", name.value)).hint(hint),
            );
        }
        position
    });
    RelationsConfig {
        lists,
        orders,
        min_orders,
        diversify,
        show,
    }
}
