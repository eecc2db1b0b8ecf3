//! The product catalogue: its field config (`catalog/catalog.yaml`), the products read from the
//! product file, and the tantivy index that answers "which products meet these conditions".
//!
//! It knows nothing about questions or conversations, and no shop's field names: every field is
//! named by the config file.

pub mod config;
mod filter;
mod index;
mod products;
mod relations;
mod sets;
mod store;
mod url;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use roaring::RoaringBitmap;

pub use config::{CatalogConfig, PRICE, RelationKind};
pub use filter::{Condition, NumberRef};
pub use index::{IndexError, RawWork};
pub use relations::{LISTED_BASE, ORDERS_HEADER, Pairing, PairingBasis};
pub use store::{Product, Products};

use crate::diagnostics::{Diagnostic, Diagnostics};
use index::SearchIndex;

/// A loaded, indexed catalogue. Read-only once built, apart from its cache of product sets.
pub struct Catalog {
    config: CatalogConfig,
    products: Products,
    index: SearchIndex,
    sets: sets::SetCache,
    relations: relations::Relations,
    /// Problems that do not stop loading (unknown ids in relation lists and orders).
    warnings: Diagnostics,
}

impl Catalog {
    /// Loads `catalog.yaml` from the folder, reads the products and builds the index as it goes.
    pub fn load(folder: &Path) -> Result<Self, Diagnostics> {
        let (config, positions) = config::load(&folder.join(config::CONFIG_FILE))?;
        Self::build(
            config,
            positions,
            |config, positions, add| products::load(config, positions, add),
            relations::OrdersSource::File,
        )
    }

    /// Loads a catalogue from the texts of its config file (as if it were `catalog.yaml` in
    /// `folder`) and of its product file, as [`Catalog::load`] does from the files.
    pub fn from_sources(folder: &Path, config: &str, products: &[u8]) -> Result<Self, Diagnostics> {
        Self::from_texts(folder, config, products, relations::OrdersSource::File)
    }

    /// As [`Catalog::from_sources`], with `orders` as the content of the orders file (the
    /// config's `relations.orders`, or `orders.csv` in `folder` for diagnostics).
    pub fn from_sources_with_orders(
        folder: &Path,
        config: &str,
        products: &[u8],
        orders: &[u8],
    ) -> Result<Self, Diagnostics> {
        Self::from_texts(
            folder,
            config,
            products,
            relations::OrdersSource::Text(orders),
        )
    }

    fn from_texts(
        folder: &Path,
        config: &str,
        products: &[u8],
        orders: relations::OrdersSource<'_>,
    ) -> Result<Self, Diagnostics> {
        let file = folder.join(config::CONFIG_FILE);
        let (config, positions) = config::check_source(&file, config, |_| true)?;
        Self::build(
            config,
            positions,
            |config, positions, add| products::read(config, positions, products, add),
            orders,
        )
    }

    /// Reads the products with `read` and indexes them as they come, then ranks the products
    /// that go well with each (relation lists read as the products come, and the orders).
    fn build(
        config: CatalogConfig,
        positions: config::ConfigPositions,
        read: impl FnOnce(
            &CatalogConfig,
            &config::ConfigPositions,
            &mut dyn FnMut(u32, &store::Row<'_>, Vec<String>) -> Result<(), String>,
        ) -> Result<Products, Diagnostics>,
        orders: relations::OrdersSource<'_>,
    ) -> Result<Self, Diagnostics> {
        let index_error = |error: IndexError| {
            let mut all = Diagnostics::default();
            all.push(Diagnostic::error(
                &config.data_file,
                format!("cannot index the products: {error}"),
            ));
            all
        };
        let mut builder = SearchIndex::builder(&config).map_err(index_error)?;
        let mut warnings = Diagnostics::default();
        let mut lists = relations::ListCollector::default();
        let products = read(&config, &positions, &mut |ordinal, row, texts| {
            lists.read(&config, ordinal, row.line, row.record, &mut warnings);
            builder
                .add(ordinal, row, texts)
                .map_err(|error| error.to_string())
        })?;
        let index = builder.finish().map_err(index_error)?;
        let relations =
            relations::Relations::build(&config, &products, lists, orders, &mut warnings);
        if warnings.has_errors() {
            return Err(warnings);
        }
        Ok(Self {
            sets: sets::SetCache::new(products.len() as u32),
            config,
            products,
            index,
            relations,
            warnings,
        })
    }

    /// Problems found while loading that do not stop it (warnings only): ids in relation lists
    /// and in the orders file that are not in the catalogue. `Shop::load` reports them.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Up to `n` products that go well with the product `anchor`, best first, kept apart on the
    /// configured `diversify` facet where possible, each with why it is shown. `avoid` drops
    /// products the caller already shows or the customer already has (shortlist, cart,
    /// purchases). Never the product itself, a variant of its group or an unlisted product;
    /// empty without a `relations:` section. Ties break by product id.
    pub fn goes_well_with(
        &self,
        anchor: u32,
        avoid: &dyn Fn(u32) -> bool,
        n: usize,
    ) -> Vec<Pairing> {
        self.relations.pick(&self.products, anchor, avoid, n)
    }

    /// How many products to show beside a product: `relations.show` (0 without relations).
    pub fn goes_well_with_count(&self) -> usize {
        self.relations.show
    }

    pub fn config(&self) -> &CatalogConfig {
        &self.config
    }

    /// How many products the catalogue holds (listed or not).
    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Every product, in file order.
    pub fn products(&self) -> impl Iterator<Item = Product<'_>> {
        (0..self.products.len() as u32).filter_map(|o| self.products.get(o))
    }

    pub fn product(&self, ordinal: u32) -> Option<Product<'_>> {
        self.products.get(ordinal)
    }

    /// The ordinal of the product with this id.
    pub fn ordinal(&self, id: &crate::ids::ProductId) -> Option<u32> {
        self.products.find(id.as_str())
    }

    /// The facet's position in the config, by name.
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

    /// The products meeting the condition, from the per-value product sets (cached).
    pub fn select(&self, condition: &Condition) -> Arc<RoaringBitmap> {
        crate::perf::time(crate::perf::Phase::Search, || {
            self.sets.select(&self.products, condition)
        })
    }

    /// Ordinals of the products meeting the condition, ascending, straight from the tantivy
    /// index. The conversation uses [`Catalog::select`]; this is the reference it is tested and
    /// benchmarked against.
    pub fn search(&self, condition: &Condition) -> Result<Vec<u32>, IndexError> {
        self.index.search(condition)
    }

    /// What tantivy alone does for one turn: the candidates' count, the top `k` by price and
    /// the value counts of `facets`, without scoring.
    pub fn raw_work(
        &self,
        condition: &Condition,
        facets: &[usize],
        k: usize,
    ) -> Result<RawWork, IndexError> {
        self.index.raw_work(condition, facets, k)
    }

    /// Free-text search over the title and text fields: the ordinals (ascending) of products
    /// mentioning any word of `text`, and which words the catalogue knows at all.
    pub fn search_text(&self, text: &str) -> Result<(Vec<u32>, Vec<String>), IndexError> {
        crate::perf::time(crate::perf::Phase::Search, || self.index.search_text(text))
    }

    /// The products whose `filter: true` text fields contain any word of `text`, and the
    /// words found there (a typed brand or model that must hold).
    pub fn search_filtering_text(&self, text: &str) -> Result<(Vec<u32>, Vec<String>), IndexError> {
        crate::perf::time(crate::perf::Phase::Search, || {
            self.index.search_filtering_text(text)
        })
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
        assert_eq!(catalog.len(), 199);
        let listed = catalog.search(&Condition::Listed).expect("search");
        assert_eq!(listed.len(), 187);
        assert_eq!(catalog.select(&Condition::Listed).len(), 187);
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
                let in_memory: Vec<u32> = catalog
                    .products()
                    .filter(|p| condition.matches(p))
                    .map(|p| p.ordinal)
                    .collect();
                let from_sets: Vec<u32> = catalog.select(&condition).iter().collect();
                assert_eq!(from_index, in_memory, "facet {facet} value {value}");
                assert_eq!(from_index, from_sets, "facet {facet} value {value}");
            }
        }
    }

    #[test]
    fn product_sets_agree_with_tantivy_on_every_option_and_their_combinations() {
        let (shop, problems) = crate::shop::Shop::load(&crate::shop::Paths::default());
        let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
        let catalog = &shop.catalog;
        let mut conditions: Vec<Condition> = shop
            .advisors
            .iter()
            .flat_map(|a| {
                std::iter::once(a.scope.clone()).chain(a.questions.iter().flat_map(|q| {
                    q.options.iter().flat_map(|o| {
                        o.effect
                            .hard
                            .clone()
                            .into_iter()
                            .chain(o.effect.soft.clone().map(|(c, _)| c))
                    })
                }))
            })
            .collect();
        let single = conditions.clone();
        for (i, a) in single.iter().enumerate() {
            conditions.push(Condition::Not(Box::new(a.clone())));
            for b in single.iter().skip(i + 1).step_by(3) {
                conditions.push(Condition::All(vec![a.clone(), b.clone()]));
                conditions.push(Condition::Any(vec![
                    a.clone(),
                    Condition::Not(Box::new(b.clone())),
                ]));
            }
        }
        conditions.push(Condition::Ordinals(vec![0, 5, 17]));
        conditions.push(Condition::All(Vec::new()));
        conditions.push(Condition::Any(Vec::new()));
        assert!(conditions.len() > 1000, "{}", conditions.len());
        for condition in &conditions {
            let from_index = catalog.search(condition).expect("search");
            let from_sets: Vec<u32> = catalog.select(condition).iter().collect();
            assert_eq!(from_index, from_sets, "{condition:?}");
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
        let selected: Vec<u32> = catalog.select(&range).iter().collect();
        assert_eq!(found, selected);
        assert!(!found.is_empty());
        for ordinal in found {
            let price = catalog
                .product(ordinal)
                .and_then(|p| p.price())
                .expect("price");
            assert!((45.0..50.0).contains(&price), "{price}");
        }
    }
}
