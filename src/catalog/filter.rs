//! Conditions on products, in the catalogue's own terms (facet and number indexes, not names).
//! The same condition is answered by the search index (to find candidates) and by
//! [`Condition::matches`] (to count options and score preferences over known candidates).

use super::store::Product;

/// Which numeric value a range looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// Whether one product meets the condition (for a few products; sets are faster for many).
    pub fn matches(&self, product: &Product<'_>) -> bool {
        match self {
            Condition::All(inner) => inner.iter().all(|c| c.matches(product)),
            Condition::Any(inner) => inner.iter().any(|c| c.matches(product)),
            Condition::Facet { facet, values } => values.iter().any(|v| product.has(*facet, v)),
            Condition::Range { number, min, max } => {
                let value = match number {
                    NumberRef::Price => product.price(),
                    NumberRef::Number(index) => product.number(*index),
                };
                value.is_some_and(|v| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v < m))
            }
            Condition::Listed => product.listed(),
            Condition::Not(inner) => !inner.matches(product),
            Condition::Ordinals(ordinals) => ordinals.binary_search(&product.ordinal).is_ok(),
        }
    }
}

// Ranges never hold NaN (the question files are validated), so equality is an equivalence and
// conditions can key the cache of product sets.
impl Eq for Condition {}

impl std::hash::Hash for Condition {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Condition::All(inner) | Condition::Any(inner) => inner.hash(state),
            Condition::Facet { facet, values } => {
                facet.hash(state);
                values.hash(state);
            }
            Condition::Range { number, min, max } => {
                number.hash(state);
                min.map(f64::to_bits).hash(state);
                max.map(f64::to_bits).hash(state);
            }
            Condition::Listed => {}
            Condition::Not(inner) => inner.hash(state),
            Condition::Ordinals(ordinals) => ordinals.hash(state),
        }
    }
}
