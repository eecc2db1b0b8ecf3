//! The product catalogue: its field config (`catalog/catalog.yaml`), the products read from the
//! product file, and the tantivy index that answers "which products meet these conditions".
//!
//! It knows nothing about questions or conversations, and no shop's field names: every field is
//! named by the config file.

pub mod config;
mod filter;
mod index;
mod products;
mod url;

use std::collections::BTreeMap;
use std::path::Path;

pub use config::{CatalogConfig, PRICE};
pub use filter::{Condition, NumberRef};
pub use index::IndexError;
pub use products::Product;

use crate::diagnostics::{Diagnostic, Diagnostics};
use index::SearchIndex;

/// A loaded, indexed catalogue. Read-only once built.
pub struct Catalog {
    config: CatalogConfig,
    products: products::Products,
    index: SearchIndex,
}

impl Catalog {
    /// Loads `catalog.yaml` from the folder, reads the products and builds the index.
    pub fn load(folder: &Path) -> Result<Self, Diagnostics> {
        let (config, positions) = config::load(&folder.join(config::CONFIG_FILE))?;
        let products = products::load(&config, &positions)?;
        let index = SearchIndex::build(&config, &products.items).map_err(|error| {
            let mut all = Diagnostics::default();
            all.push(Diagnostic::error(
                &config.data_file,
                format!("cannot index the products: {error}"),
            ));
            all
        })?;
        Ok(Self {
            config,
            products,
            index,
        })
    }

    pub fn config(&self) -> &CatalogConfig {
        &self.config
    }

    pub fn products(&self) -> &[Product] {
        &self.products.items
    }

    pub fn product(&self, ordinal: u32) -> Option<&Product> {
        self.products.items.get(ordinal as usize)
    }

    /// The facet's position in the config, by name.
    /// The ordinal of the product with this id.
    pub fn ordinal(&self, id: &crate::ids::ProductId) -> Option<u32> {
        self.products.by_id.get(id).copied()
    }

    pub fn facet(&self, name: &str) -> Option<usize> {
        self.config.facets.iter().position(|f| f.name == name)
    }

    /// The numeric value a range may look at, by name (`price` or a configured number).
    pub fn number(&self, name: &str) -> Option<NumberRef> {
        if name == PRICE {
            return Some(NumberRef::Price);
        }
        self.config
            .numbers
            .iter()
            .position(|n| n.name == name)
            .map(NumberRef::Number)
    }

    /// Every value of a facet with how many products have it.
    pub fn facet_values(&self, facet: usize) -> Option<&BTreeMap<String, usize>> {
        self.products.facet_values.get(facet)
    }

    /// Ordinals of the products meeting the condition, ascending.
    pub fn search(&self, condition: &Condition) -> Result<Vec<u32>, IndexError> {
        self.index.search(condition)
    }

    /// Free-text search over the title and text fields: the ordinals (ascending) of products
    /// mentioning any word of `text`, and which words the catalogue knows at all.
    pub fn search_text(&self, text: &str) -> Result<(Vec<u32>, Vec<String>), IndexError> {
        self.index.search_text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Catalog {
        Catalog::load(Path::new("catalog")).expect("the shipped catalogue loads")
    }

    #[test]
    fn loads_the_shipped_catalogue_with_its_unlisted_products() {
        let catalog = shipped();
        assert_eq!(catalog.products().len(), 199);
        let listed = catalog.search(&Condition::Listed).expect("search");
        assert_eq!(listed.len(), 187);
    }

    #[test]
    fn index_and_in_memory_matching_agree_on_every_facet_value() {
        let catalog = shipped();
        for (facet, _) in catalog.config().facets.iter().enumerate() {
            let values = catalog.facet_values(facet).expect("facet");
            for value in values.keys() {
                let condition = Condition::All(vec![
                    Condition::Listed,
                    Condition::Facet {
                        facet,
                        values: vec![value.clone()],
                    },
                ]);
                let from_index = catalog.search(&condition).expect("search");
                let in_memory: Vec<u32> = (0..catalog.products().len() as u32)
                    .filter(|o| catalog.product(*o).is_some_and(|p| condition.matches(p)))
                    .collect();
                assert_eq!(from_index, in_memory, "facet {facet} value {value}");
            }
        }
    }

    #[test]
    fn price_ranges_include_the_minimum_and_exclude_the_maximum() {
        let catalog = shipped();
        let range = Condition::Range {
            number: NumberRef::Price,
            min: Some(45.0),
            max: Some(50.0),
        };
        let found = catalog.search(&range).expect("search");
        assert!(!found.is_empty());
        for ordinal in found {
            let price = catalog
                .product(ordinal)
                .and_then(|p| p.price)
                .expect("price");
            assert!((45.0..50.0).contains(&price), "{price}");
        }
    }
}
