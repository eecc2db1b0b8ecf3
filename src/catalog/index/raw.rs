//! The reference work for `advisor bench`: what tantivy alone does for one turn (filters, the
//! top products by price, facet value counts), with collectors over fast fields and no scoring.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentReader};

use super::{IndexError, ORDINAL, SearchIndex};
use crate::catalog::filter::Condition;

/// The tantivy work one turn needs, done by tantivy alone: the benchmark's reference.
#[derive(Debug, Clone, PartialEq)]
pub struct RawWork {
    pub count: usize,
    /// Ordinals of the `k` cheapest candidates.
    pub top: Vec<u32>,
    /// Per requested facet, the number of candidates per value (by term ordinal).
    pub facet_counts: Vec<Vec<u32>>,
}

impl SearchIndex {
    /// Filters, top-k by price and facet value counts in one pass over the matching documents,
    /// with collectors over fast fields and no scoring.
    pub fn raw_work(
        &self,
        condition: &Condition,
        facets: &[usize],
        k: usize,
    ) -> Result<RawWork, IndexError> {
        let query = self.query(condition);
        let searcher = self.searcher()?;
        let names: Vec<String> = facets
            .iter()
            .filter_map(|f| self.facets.get(*f))
            .map(|field| searcher.schema().get_field_name(*field).to_string())
            .collect();
        let collector = RawCollector { facets: names, k };
        Ok(searcher.search(query.as_ref(), &collector)?)
    }
}

struct RawCollector {
    facets: Vec<String>,
    k: usize,
}

struct RawSegmentCollector {
    ordinal: tantivy::columnar::Column<u64>,
    price: Option<tantivy::columnar::Column<f64>>,
    facets: Vec<Option<tantivy::columnar::StrColumn>>,
    count: usize,
    top: Vec<(f64, u32)>,
    k: usize,
    facet_counts: Vec<Vec<u32>>,
}

impl Collector for RawCollector {
    type Fruit = RawWork;
    type Child = RawSegmentCollector;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let facets: Vec<Option<tantivy::columnar::StrColumn>> = self
            .facets
            .iter()
            .map(|name| fast.str(name))
            .collect::<tantivy::Result<_>>()?;
        let facet_counts = facets
            .iter()
            .map(|c| vec![0; c.as_ref().map_or(0, |c| c.num_terms())])
            .collect();
        Ok(RawSegmentCollector {
            ordinal: fast.u64(ORDINAL)?,
            price: fast.f64("price").ok(),
            facets,
            count: 0,
            top: Vec::with_capacity(self.k + 1),
            k: self.k,
            facet_counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<RawWork>) -> tantivy::Result<RawWork> {
        let mut merged = RawWork {
            count: 0,
            top: Vec::new(),
            facet_counts: Vec::new(),
        };
        for fruit in fruits {
            merged.count += fruit.count;
            merged.top.extend(fruit.top);
            // Term ordinals differ per segment; the counts are kept per segment, summed by length.
            merged.facet_counts.extend(fruit.facet_counts);
        }
        merged.top.truncate(self.k);
        Ok(merged)
    }
}

impl SegmentCollector for RawSegmentCollector {
    type Fruit = RawWork;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.count += 1;
        for (column, counts) in self.facets.iter().zip(&mut self.facet_counts) {
            if let Some(column) = column {
                for term in column.term_ords(doc) {
                    if let Some(count) = counts.get_mut(term as usize) {
                        *count += 1;
                    }
                }
            }
        }
        let price = self
            .price
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(f64::INFINITY);
        if self.top.len() < self.k || self.top.last().is_some_and(|(p, _)| price < *p) {
            let ordinal = self.ordinal.first(doc).unwrap_or_default() as u32;
            let at = self.top.partition_point(|(p, _)| *p <= price);
            self.top.insert(at, (price, ordinal));
            self.top.truncate(self.k);
        }
    }

    fn harvest(self) -> RawWork {
        RawWork {
            count: self.count,
            top: self.top.into_iter().map(|(_, o)| o).collect(),
            facet_counts: self.facet_counts,
        }
    }
}
