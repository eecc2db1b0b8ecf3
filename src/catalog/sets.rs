//! Conditions answered as product sets (roaring bitmaps of ordinals) from the per-value sets
//! built at load, with a cache: the same option, range or answer prefix is asked by many
//! customers, so its set is computed once per catalogue. A conversation's turn then costs a few
//! set intersections and counts, independent of how the conditions are spelt.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use roaring::RoaringBitmap;

use super::filter::{Condition, NumberRef};
use super::store::Products;

/// How much memory cached combinations (answer prefixes) may take before they start over.
const CACHE_BYTES: usize = 64 << 20;
/// How many single conditions (a facet's values, a range) are kept for good: an advisor's
/// options are a few dozen, so this only bounds odd ranges from critiques.
const LEAVES: usize = 4096;

pub(super) struct SetCache {
    all: Arc<RoaringBitmap>,
    cached: RwLock<Cache>,
}

#[derive(Default)]
struct Cache {
    /// Single conditions: what every conversation's options are made of.
    leaves: HashMap<Condition, Arc<RoaringBitmap>>,
    /// Combinations, dropped together when they outgrow their budget.
    sets: HashMap<Condition, Arc<RoaringBitmap>>,
    bytes: usize,
}

impl Cache {
    fn get(&self, condition: &Condition) -> Option<&Arc<RoaringBitmap>> {
        self.leaves
            .get(condition)
            .or_else(|| self.sets.get(condition))
    }
}

fn is_leaf(condition: &Condition) -> bool {
    matches!(
        condition,
        Condition::Facet { .. } | Condition::Range { .. } | Condition::Listed
    )
}

impl SetCache {
    pub(super) fn new(products: u32) -> Self {
        Self {
            all: Arc::new((0..products).collect()),
            cached: RwLock::new(Cache::default()),
        }
    }

    pub(super) fn select(&self, products: &Products, condition: &Condition) -> Arc<RoaringBitmap> {
        // Text-search results belong to one customer: not worth keeping.
        if has_ordinals(condition) {
            return Arc::new(self.compute(products, condition));
        }
        if let Some(found) = self
            .cached
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(condition)
        {
            return Arc::clone(found);
        }
        let set = Arc::new(self.compute(products, condition));
        let mut cache = self
            .cached
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if is_leaf(condition) && cache.leaves.len() < LEAVES {
            cache.leaves.insert(condition.clone(), Arc::clone(&set));
            return set;
        }
        let size = set.serialized_size() + std::mem::size_of::<Condition>();
        if cache.bytes + size > CACHE_BYTES {
            cache.sets.clear();
            cache.bytes = 0;
        }
        cache.bytes += size;
        cache.sets.insert(condition.clone(), Arc::clone(&set));
        set
    }

    fn compute(&self, products: &Products, condition: &Condition) -> RoaringBitmap {
        match condition {
            Condition::All(inner) => {
                let mut sets: Vec<Arc<RoaringBitmap>> =
                    inner.iter().map(|c| self.select(products, c)).collect();
                // Smallest first: every intersection is then cheap.
                sets.sort_by_key(|s| s.len());
                let mut found = match sets.first() {
                    Some(first) => (**first).clone(),
                    None => return (*self.all).clone(),
                };
                for set in &sets[1..] {
                    if found.is_empty() {
                        break;
                    }
                    found &= &**set;
                }
                found
            }
            Condition::Any(inner) => {
                let mut found = RoaringBitmap::new();
                for c in inner {
                    found |= &*self.select(products, c);
                }
                found
            }
            Condition::Facet { facet, values } => {
                let mut found = RoaringBitmap::new();
                if let Some(column) = products.facets.get(*facet) {
                    for value in values {
                        if let Some(set) = column.set(value) {
                            found |= set;
                        }
                    }
                }
                found
            }
            Condition::Range { number, min, max } => {
                let column = match number {
                    NumberRef::Price => products.price_column(),
                    NumberRef::Number(index) => products.number_column(*index),
                };
                let within =
                    |v: f64| !v.is_nan() && min.is_none_or(|m| v >= m) && max.is_none_or(|m| v < m);
                column
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| within(**v))
                    .map(|(o, _)| o as u32)
                    .collect()
            }
            Condition::Listed => products.listed.clone(),
            Condition::Not(inner) => &*self.all - &*self.select(products, inner),
            Condition::Ordinals(ordinals) => ordinals.iter().copied().collect(),
        }
    }
}

fn has_ordinals(condition: &Condition) -> bool {
    match condition {
        Condition::Ordinals(_) => true,
        Condition::All(inner) | Condition::Any(inner) => inner.iter().any(has_ordinals),
        Condition::Not(inner) => has_ordinals(inner),
        _ => false,
    }
}
