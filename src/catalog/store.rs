//! The products in memory, column by column: one string arena for ids and titles, one column per
//! number, and for every facet value the set of products that have it. A million products fit in
//! a little over a hundred megabytes, and "which products have this value" is a ready-made set.
//!
//! [`Product`] is a cheap view (store plus ordinal) with the accessors the rest of the advisor
//! needs; nothing else reads the columns.

use std::collections::{BTreeMap, HashMap};

use roaring::RoaringBitmap;

use super::config::FieldPath;
use super::url::UrlTemplate;
use crate::ids::ProductId;

/// Many strings in one allocation; string `i` is `text[ends[i-1]..ends[i]]`.
#[derive(Debug, Default)]
pub(super) struct Strings {
    text: String,
    ends: Vec<u32>,
}

impl Strings {
    pub(super) fn push(&mut self, value: &str) {
        self.text.push_str(value);
        self.ends.push(self.text.len() as u32);
    }

    pub(super) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        self.text.get(start..end)
    }

    fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// One facet's values: their names, their ids and the products having each.
#[derive(Debug, Default)]
pub(super) struct FacetColumn {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    sets: Vec<RoaringBitmap>,
}

impl FacetColumn {
    fn add(&mut self, value: &str, ordinal: u32) {
        let id = match self.ids.get(value) {
            Some(id) => *id,
            None => {
                let id = self.names.len() as u32;
                self.names.push(value.to_string());
                self.ids.insert(value.to_string(), id);
                self.sets.push(RoaringBitmap::new());
                id
            }
        };
        // Products arrive in ordinal order, so this always appends.
        let _ = self.sets[id as usize].try_push(ordinal);
    }

    /// The products having this value (`None` for a value no product has).
    pub(super) fn set(&self, value: &str) -> Option<&RoaringBitmap> {
        self.ids.get(value).map(|id| &self.sets[*id as usize])
    }
}

/// Where a URL template's placeholder takes its value from.
#[derive(Debug)]
enum Placeholder {
    Id,
    Column(Strings),
}

/// Every product of the catalogue, column by column.
#[derive(Debug, Default)]
pub struct Products {
    ids: Strings,
    titles: Strings,
    /// Ordinals sorted by id, for lookups by id.
    by_id: Vec<u32>,
    prices: Vec<f64>,
    numbers: Vec<Vec<f64>>,
    groups: Vec<u32>,
    group_names: HashMap<String, u32>,
    lines: Vec<u32>,
    pub(super) listed: RoaringBitmap,
    pub(super) facets: Vec<FacetColumn>,
    /// For each facet, each value with the number of products that have it.
    pub facet_values: Vec<BTreeMap<String, usize>>,
    image_url: Option<(UrlTemplate, Vec<Placeholder>)>,
    product_url: Option<(UrlTemplate, Vec<Placeholder>)>,
}

const NO_GROUP: u32 = u32::MAX;

/// One product read from the product file, before it goes into the columns.
pub(super) struct Row<'a> {
    pub id: ProductId,
    pub group: Option<String>,
    pub title: String,
    pub price: Option<f64>,
    pub numbers: Vec<Option<f64>>,
    pub facets: Vec<Vec<String>>,
    pub listed: bool,
    pub record: &'a serde_json::Value,
    pub line: u64,
}

impl Products {
    pub(super) fn new(
        numbers: usize,
        facets: usize,
        id_path: &FieldPath,
        image_url: Option<&UrlTemplate>,
        product_url: Option<&UrlTemplate>,
    ) -> Self {
        let template = |t: Option<&UrlTemplate>| {
            t.map(|t| {
                let places = t
                    .fields()
                    .map(|path| {
                        if path == id_path {
                            Placeholder::Id
                        } else {
                            Placeholder::Column(Strings::default())
                        }
                    })
                    .collect();
                (t.clone(), places)
            })
        };
        Self {
            numbers: vec![Vec::new(); numbers],
            facets: (0..facets).map(|_| FacetColumn::default()).collect(),
            image_url: template(image_url),
            product_url: template(product_url),
            ..Self::default()
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The ordinal of the product with this id.
    pub fn find(&self, id: &str) -> Option<u32> {
        self.by_id
            .binary_search_by(|o| self.ids.get(*o as usize).unwrap_or_default().cmp(id))
            .ok()
            .map(|i| self.by_id[i])
    }

    /// Appends a product; returns its ordinal. Ids must be unique (checked by the caller).
    pub(super) fn push(&mut self, row: Row<'_>) -> u32 {
        let ordinal = self.lines.len() as u32;
        self.ids.push(row.id.as_str());
        self.titles.push(&row.title);
        self.prices.push(row.price.unwrap_or(f64::NAN));
        for (column, value) in self.numbers.iter_mut().zip(&row.numbers) {
            column.push(value.unwrap_or(f64::NAN));
        }
        let group = row.group.map_or(NO_GROUP, |name| {
            let next = self.group_names.len() as u32;
            *self.group_names.entry(name).or_insert(next)
        });
        self.groups.push(group);
        self.lines.push(u32::try_from(row.line).unwrap_or(u32::MAX));
        if row.listed {
            let _ = self.listed.try_push(ordinal);
        }
        for (column, values) in self.facets.iter_mut().zip(&row.facets) {
            for value in values {
                column.add(value, ordinal);
            }
        }
        for (template, places) in [&mut self.image_url, &mut self.product_url]
            .into_iter()
            .flatten()
        {
            for (path, place) in template.fields().zip(places.iter_mut()) {
                if let Placeholder::Column(column) = place {
                    column.push(&UrlTemplate::text_of(path.get(row.record)).unwrap_or_default());
                }
            }
        }
        ordinal
    }

    /// Call once every product is in: sorts the id lookup, counts values and frees spare
    /// capacity. Returns every id used more than once as (id, first line, later line).
    pub(super) fn finish(&mut self) -> Vec<(String, u64, u64)> {
        let ids = &self.ids;
        let mut by_id: Vec<u32> = (0..self.lines.len() as u32).collect();
        by_id.sort_by(|a, b| {
            ids.get(*a as usize)
                .cmp(&ids.get(*b as usize))
                .then(a.cmp(b))
        });
        let mut duplicates = Vec::new();
        for pair in by_id.windows(2) {
            let (first, later) = (pair[0] as usize, pair[1] as usize);
            if ids.get(first) == ids.get(later) {
                duplicates.push((
                    ids.get(later).unwrap_or_default().to_string(),
                    u64::from(self.lines[first]),
                    u64::from(self.lines[later]),
                ));
            }
        }
        self.by_id = by_id;
        self.facet_values = self
            .facets
            .iter()
            .map(|f| {
                f.names
                    .iter()
                    .zip(&f.sets)
                    .map(|(name, set)| (name.clone(), set.len() as usize))
                    .collect()
            })
            .collect();
        self.ids.shrink();
        self.titles.shrink();
        for (_, places) in [&mut self.image_url, &mut self.product_url]
            .into_iter()
            .flatten()
        {
            for place in places {
                if let Placeholder::Column(column) = place {
                    column.shrink();
                }
            }
        }
        duplicates
    }

    /// Prices by ordinal (NaN where a product has none).
    pub(super) fn price_column(&self) -> &[f64] {
        &self.prices
    }

    /// A configured number by ordinal (NaN where a product has none).
    pub(super) fn number_column(&self, index: usize) -> &[f64] {
        self.numbers.get(index).map_or(&[], Vec::as_slice)
    }

    pub fn get(&self, ordinal: u32) -> Option<Product<'_>> {
        ((ordinal as usize) < self.len()).then_some(Product {
            store: self,
            ordinal,
        })
    }

    fn url(&self, which: &Option<(UrlTemplate, Vec<Placeholder>)>, ordinal: u32) -> Option<String> {
        let (template, places) = which.as_ref()?;
        let mut values = places.iter().map(|place| match place {
            Placeholder::Id => self.ids.get(ordinal as usize),
            Placeholder::Column(column) => column.get(ordinal as usize),
        });
        template.fill_with(|| values.next().flatten().filter(|v| !v.is_empty()))
    }
}

/// One product: a view into the columns.
#[derive(Debug, Clone, Copy)]
pub struct Product<'a> {
    store: &'a Products,
    pub ordinal: u32,
}

impl<'a> Product<'a> {
    fn at(&self) -> usize {
        self.ordinal as usize
    }

    pub fn id(&self) -> &'a str {
        self.store.ids.get(self.at()).unwrap_or_default()
    }

    /// The id as a typed value.
    pub fn product_id(&self) -> ProductId {
        ProductId::checked(self.id())
    }

    pub fn title(&self) -> &'a str {
        self.store.titles.get(self.at()).unwrap_or_default()
    }

    pub fn price(&self) -> Option<f64> {
        self.store
            .prices
            .get(self.at())
            .copied()
            .filter(|p| !p.is_nan())
    }

    /// The value of the configured number field `index`.
    pub fn number(&self, index: usize) -> Option<f64> {
        self.store
            .numbers
            .get(index)
            .and_then(|column| column.get(self.at()))
            .copied()
            .filter(|v| !v.is_nan())
    }

    /// Variant group: products sharing it are variants of one product.
    pub fn group(&self) -> Option<u32> {
        self.store
            .groups
            .get(self.at())
            .copied()
            .filter(|g| *g != NO_GROUP)
    }

    /// Whether the product is sold on its own and may be recommended.
    pub fn listed(&self) -> bool {
        self.store.listed.contains(self.ordinal)
    }

    /// 1-based line in the product file.
    pub fn line(&self) -> u64 {
        self.store
            .lines
            .get(self.at())
            .copied()
            .map_or(0, u64::from)
    }

    /// How many facets the catalogue has.
    pub fn facet_count(&self) -> usize {
        self.store.facets.len()
    }

    pub fn has(&self, facet: usize, value: &str) -> bool {
        self.store
            .facets
            .get(facet)
            .and_then(|f| f.set(value))
            .is_some_and(|set| set.contains(self.ordinal))
    }

    /// The product's values of a facet (in the order values were first seen).
    pub fn values(&self, facet: usize) -> impl Iterator<Item = &'a str> + 'a {
        let ordinal = self.ordinal;
        self.store.facets.get(facet).into_iter().flat_map(move |f| {
            f.names
                .iter()
                .zip(&f.sets)
                .filter(move |(_, set)| set.contains(ordinal))
                .map(|(name, _)| name.as_str())
        })
    }

    pub fn image_url(&self) -> Option<String> {
        self.store.url(&self.store.image_url, self.ordinal)
    }

    pub fn url(&self) -> Option<String> {
        self.store.url(&self.store.product_url, self.ordinal)
    }
}

#[cfg(test)]
impl Products {
    /// Made-up products for tests elsewhere, with one facet: (id, variant group, facet value,
    /// price), in ordinal order.
    pub fn for_tests(items: &[(&str, Option<&str>, &str, f64)]) -> Self {
        let id_path = FieldPath::parse("id").expect("a path");
        let mut products = Self::new(0, 1, &id_path, None, None);
        let record = serde_json::Value::Null;
        for (line, (id, group, value, price)) in items.iter().enumerate() {
            products.push(Row {
                id: ProductId::parse(id).expect("id"),
                group: group.map(str::to_string),
                title: id.to_string(),
                price: Some(*price),
                numbers: Vec::new(),
                facets: vec![vec![value.to_string()]],
                listed: true,
                record: &record,
                line: line as u64 + 1,
            });
        }
        products.finish();
        products
    }
}
