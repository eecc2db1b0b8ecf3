//! Conditions on products, in the catalogue's own terms (facet and number indexes, not names).
//! The same condition is answered by the search index (to find candidates) and by
//! [`Condition::matches`] (to count options and score preferences over known candidates).

use super::products::Product;

/// Which numeric value a range looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberRef {
    Price,
    /// Index into the catalogue's configured number fields.
    Number(usize),
}

/// A condition a product either meets or not.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every inner condition holds (an empty list always holds).
    All(Vec<Condition>),
    /// At least one inner condition holds (an empty list never holds).
    Any(Vec<Condition>),
    /// The facet has at least one of these values.
    Facet { facet: usize, values: Vec<String> },
    /// `min <= value < max`; a product without a value never matches.
    Range {
        number: NumberRef,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// The product is sold on its own.
    Listed,
    /// The inner condition does not hold.
    Not(Box<Condition>),
    /// The product is one of these (ordinals, ascending): the result of a text search.
    Ordinals(Vec<u32>),
}

impl Condition {
    pub fn matches(&self, product: &Product) -> bool {
        match self {
            Condition::All(inner) => inner.iter().all(|c| c.matches(product)),
            Condition::Any(inner) => inner.iter().any(|c| c.matches(product)),
            Condition::Facet { facet, values } => product
                .facets
                .get(*facet)
                .is_some_and(|have| have.iter().any(|v| values.contains(v))),
            Condition::Range { number, min, max } => {
                let value = match number {
                    NumberRef::Price => product.price,
                    NumberRef::Number(index) => product.numbers.get(*index).copied().flatten(),
                };
                value.is_some_and(|v| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v < m))
            }
            Condition::Listed => product.listed,
            Condition::Not(inner) => !inner.matches(product),
            Condition::Ordinals(ordinals) => ordinals.binary_search(&product.ordinal).is_ok(),
        }
    }
}
