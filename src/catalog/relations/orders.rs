//! The optional orders file: CSV with the header `order_id,product_id`, one line per item
//! (`advisor import-orders` writes it from a shop's export). It becomes, per pair of products,
//! the number of orders holding both. A malformed line is an error with its line; a product id
//! the catalogue does not know is a warning, one per id with its first line and how many lines.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::super::store::Products;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The columns the orders file must have, in this order.
pub const HEADER: [&str; 2] = ["order_id", "product_id"];

/// How often products were bought, alone and together.
#[derive(Debug, Default)]
pub(super) struct Baskets {
    /// Orders with at least one known product.
    pub orders: u32,
    /// Per product ordinal, the orders holding it.
    pub counts: HashMap<u32, u32>,
    /// Per pair of ordinals (smaller first), the orders holding both.
    pub pairs: HashMap<(u32, u32), u32>,
}

/// Reads the orders from `reader` (the content of `file`, named in diagnostics).
pub(super) fn read(
    file: &Path,
    reader: impl Read,
    products: &Products,
    problems: &mut Diagnostics,
) -> Baskets {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    match csv.headers() {
        Ok(header) if header.iter().map(str::trim).eq(HEADER) => {}
        Ok(header) => {
            problems.push(
                Diagnostic::error(file, "the orders file does not start with its header")
                    .at_line(1)
                    .detail(format!("found `{}`", header.iter().collect::<Vec<_>>().join(",")))
                    .hint("the first line is `order_id,product_id`; `advisor import-orders` writes such a file"),
            );
            return Baskets::default();
        }
        Err(error) => {
            problems.push(unreadable(file, &error));
            return Baskets::default();
        }
    }
    let mut orders: HashMap<String, u32> = HashMap::new();
    let mut baskets: Vec<Vec<u32>> = Vec::new();
    // Unknown id → (first line, lines).
    let mut unknown: HashMap<String, (u64, u32)> = HashMap::new();
    for record in csv.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(unreadable(file, &error));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let (order, product) = match (record.get(0), record.get(1), record.len()) {
            (Some(order), Some(product), 2)
                if !order.trim().is_empty() && !product.trim().is_empty() =>
            {
                (order.trim(), product.trim())
            }
            _ => {
                problems.push(
                    Diagnostic::error(file, "this line is not `order_id,product_id`")
                        .at_line(line)
                        .detail(format!("{} field(s)", record.len()))
                        .hint("each line holds one order id and one product id, both non-empty"),
                );
                continue;
            }
        };
        let Some(ordinal) = products.find(product) else {
            unknown
                .entry(product.to_string())
                .and_modify(|(_, lines)| *lines += 1)
                .or_insert((line, 1));
            continue;
        };
        let next = baskets.len() as u32;
        let basket = *orders.entry(order.to_string()).or_insert(next);
        if basket == next {
            baskets.push(Vec::new());
        }
        baskets[basket as usize].push(ordinal);
    }
    let mut unknown: Vec<(String, (u64, u32))> = unknown.into_iter().collect();
    unknown.sort_by_key(|(_, (line, _))| *line);
    for (id, (line, lines)) in unknown {
        problems.push(
            Diagnostic::warning(file, "a product id in the orders is not in the catalogue")
                .at_line(line)
                .detail(format!("`{id}` on {lines} line(s)"))
                .hint("these lines are ignored; a product no longer sold is fine, a typo is not"),
        );
    }
    count(baskets)
}

/// Counts orders per product and per pair.
fn count(baskets: Vec<Vec<u32>>) -> Baskets {
    let mut result = Baskets::default();
    for mut basket in baskets {
        basket.sort_unstable();
        basket.dedup();
        result.orders += 1;
        for (i, a) in basket.iter().enumerate() {
            *result.counts.entry(*a).or_default() += 1;
            for b in &basket[i + 1..] {
                *result.pairs.entry((*a, *b)).or_default() += 1;
            }
        }
    }
    result
}

fn unreadable(file: &Path, error: &csv::Error) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::error(file, "cannot read the orders file").detail(error.to_string());
    if let Some(position) = error.position() {
        diagnostic = diagnostic.at_line(position.line());
    }
    diagnostic.hint("the orders file is UTF-8 CSV with the header `order_id,product_id`")
}
