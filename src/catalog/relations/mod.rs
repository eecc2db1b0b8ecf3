//! "Goes well with": per product, the products that go together with it, from the shop's own
//! lists (cross-sells, related products) and from the orders file, each with the reason it is
//! shown. Computed once at load into a sorted candidate list per product, so serving is a lookup
//! plus a short greedy pick that keeps the picks apart on the `diversify` facet.
//!
//! Co-purchases count by lift, not by raw counts: a bestseller in most baskets is bought with
//! everything, its lift is about 1 and it does not dominate. It never recommends the product
//! itself, another variant of its group, or an unlisted product.

mod lists;
mod orders;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub(super) use lists::ListCollector;
pub use orders::HEADER as ORDERS_HEADER;

use super::config::{CatalogConfig, RelationKind};
use super::store::Products;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What a shop's listing with weight 1 scores: as much as a pair bought together with a lift of
/// e (2.7) seen in 5 orders.
pub const LISTED_BASE: f64 = 0.5;
/// Co-purchase scores are shrunk by n/(n + SHRINK): a pair seen in few orders counts less.
const SHRINK: f64 = 5.0;
/// Candidates kept per product.
const CANDIDATES: usize = 50;

/// A product recommended beside another, with its score and why it is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pairing {
    pub ordinal: u32,
    pub score: f64,
    /// The stronger of the reasons, when both the orders and the shop's lists pair them.
    pub basis: PairingBasis,
}

/// Why a product is shown beside another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PairingBasis {
    /// Bought together in `orders` orders, `lift` times as often as by chance.
    BoughtTogether { orders: u32, lift: f64 },
    /// The shop lists it with the product (`cross_sell` or `related`).
    Listed { kind: RelationKind },
}

/// Where the orders come from.
pub(super) enum OrdersSource<'a> {
    /// The file the config names, if any.
    File,
    /// This text instead (an in-memory catalogue).
    Text(&'a [u8]),
}

/// The candidates of every product, sorted by score then product id.
#[derive(Debug, Default)]
pub(super) struct Relations {
    /// Product `o`'s candidates are `pairings[starts[o]..starts[o + 1]]`.
    starts: Vec<u32>,
    pairings: Vec<Pairing>,
    pub(super) show: usize,
    diversify: Option<usize>,
}

/// One pair's evidence while it is being summed.
#[derive(Debug, Default)]
struct Evidence {
    bought: Option<(u32, f64, f64)>,
    listed: Option<(RelationKind, f64)>,
}

impl Evidence {
    fn pairing(&self, ordinal: u32) -> Option<Pairing> {
        let bought = self.bought.map_or(0.0, |(_, _, score)| score);
        let listed = self.listed.map_or(0.0, |(_, score)| score);
        let basis = match (self.bought, self.listed) {
            (Some((orders, lift, _)), _) if bought >= listed => {
                PairingBasis::BoughtTogether { orders, lift }
            }
            (_, Some((kind, _))) => PairingBasis::Listed { kind },
            _ => return None,
        };
        Some(Pairing {
            ordinal,
            score: bought + listed,
            basis,
        })
    }
}

impl Relations {
    /// Resolves the lists, reads the orders and ranks every product's candidates.
    pub(super) fn build(
        config: &CatalogConfig,
        products: &Products,
        lists: ListCollector,
        orders: OrdersSource<'_>,
        problems: &mut Diagnostics,
    ) -> Self {
        let Some(relations) = &config.relations else {
            return Self::default();
        };
        let mut evidence: HashMap<(u32, u32), Evidence> = HashMap::new();
        for link in lists.resolve(config, products, problems) {
            let list = &relations.lists[link.list];
            if !list.kind.pairs() {
                continue;
            }
            let entry = evidence.entry((link.from, link.to)).or_default();
            let score = list.weight * LISTED_BASE;
            entry.listed = Some(match entry.listed {
                Some((kind, sum)) => (kind, sum + score),
                None => (list.kind, score),
            });
        }
        let baskets = match (orders, &relations.orders) {
            (OrdersSource::Text(text), _) => Some(read_orders(config, text, products, problems)),
            (OrdersSource::File, Some(file)) => match std::fs::File::open(file) {
                Ok(reader) => Some(orders::read(
                    file,
                    std::io::BufReader::new(reader),
                    products,
                    problems,
                )),
                Err(error) => {
                    problems.push(
                        Diagnostic::error(file, format!("cannot read the orders file: {error}"))
                            .hint("`relations.orders` in catalog.yaml names it"),
                    );
                    None
                }
            },
            (OrdersSource::File, None) => None,
        };
        if let Some(baskets) = baskets {
            let total = f64::from(baskets.orders);
            for (&(a, b), &together) in &baskets.pairs {
                if together < relations.min_orders {
                    continue;
                }
                let (n_a, n_b) = (baskets.counts[&a], baskets.counts[&b]);
                let lift = f64::from(together) * total / (f64::from(n_a) * f64::from(n_b));
                if lift <= 1.0 {
                    continue;
                }
                let n = f64::from(together);
                let score = lift.ln() * n / (n + SHRINK);
                for key in [(a, b), (b, a)] {
                    evidence.entry(key).or_default().bought = Some((together, lift, score));
                }
            }
        }
        let mut all: Vec<(u32, Pairing)> = evidence
            .iter()
            .filter(|((from, to), _)| shown_beside(products, *from, *to))
            .filter_map(|((from, to), e)| Some((*from, e.pairing(*to)?)))
            .collect();
        all.sort_by(|(a_from, a), (b_from, b)| {
            a_from
                .cmp(b_from)
                .then(b.score.total_cmp(&a.score))
                .then_with(|| id(products, a.ordinal).cmp(id(products, b.ordinal)))
        });
        let mut starts = Vec::with_capacity(products.len() + 1);
        let mut pairings = Vec::new();
        let mut next = all.into_iter().peekable();
        for ordinal in 0..products.len() as u32 {
            starts.push(pairings.len() as u32);
            let mut kept = 0;
            while let Some((_, pairing)) = next.next_if(|(from, _)| *from == ordinal) {
                if kept < CANDIDATES {
                    pairings.push(pairing);
                    kept += 1;
                }
            }
        }
        starts.push(pairings.len() as u32);
        Self {
            starts,
            pairings,
            show: relations.show,
            diversify: relations.diversify,
        }
    }

    /// Up to `n` candidates of `anchor` not `avoid`ed, best first, differing on the
    /// `diversify` facet from those already picked where possible.
    pub(super) fn pick(
        &self,
        products: &Products,
        anchor: u32,
        avoid: &dyn Fn(u32) -> bool,
        n: usize,
    ) -> Vec<Pairing> {
        let (Some(start), Some(end)) = (
            self.starts.get(anchor as usize),
            self.starts.get(anchor as usize + 1),
        ) else {
            return Vec::new();
        };
        let mut left: Vec<Pairing> = self.pairings[*start as usize..*end as usize]
            .iter()
            .filter(|p| !avoid(p.ordinal))
            .copied()
            .collect();
        let mut picked: Vec<Pairing> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        while picked.len() < n && !left.is_empty() {
            let values = |p: &Pairing| -> Vec<&str> {
                match (self.diversify, products.get(p.ordinal)) {
                    (Some(facet), Some(product)) => product.values(facet).collect(),
                    _ => Vec::new(),
                }
            };
            // The list is sorted by score then id: the first that differs is the best of those.
            let chosen = left
                .iter()
                .position(|p| values(p).iter().all(|v| !seen.contains(v)))
                .unwrap_or(0);
            let pairing = left.remove(chosen);
            seen.extend(values(&pairing));
            picked.push(pairing);
        }
        picked
    }
}

fn read_orders(
    config: &CatalogConfig,
    text: &[u8],
    products: &Products,
    problems: &mut Diagnostics,
) -> orders::Baskets {
    let file = config
        .relations
        .as_ref()
        .and_then(|r| r.orders.clone())
        .unwrap_or_else(|| config.file.with_file_name("orders.csv"));
    orders::read(&file, text, products, problems)
}

/// Whether `to` may be shown beside `from`: listed, not itself, not a variant of it.
fn shown_beside(products: &Products, from: u32, to: u32) -> bool {
    let (Some(anchor), Some(other)) = (products.get(from), products.get(to)) else {
        return false;
    };
    from != to && other.listed() && (anchor.group().is_none() || anchor.group() != other.group())
}

fn id(products: &Products, ordinal: u32) -> &str {
    products.get(ordinal).map_or("", |p| p.id())
}
