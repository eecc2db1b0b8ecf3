//! Variants into products: rows of one group (Google `item_group_id`, Shopify handle, the
//! mapping's `group`) become one product with the group's shared fields, the union of their
//! attributes, the lowest price (and the highest) and a `variants` list.
//!
//! Pure: items in, products out, sorted by id so the same feed always gives the same file.

use std::collections::{BTreeMap, BTreeSet};

use super::item::{Availability, Item, Problems};
use crate::ids::ProductId;

/// One product of the catalogue, made of one or more feed rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: String,
    /// The group the rows shared, when they had one.
    pub group: Option<String>,
    /// Line of the product's first row.
    pub line: u64,
    pub title: String,
    pub description: Option<String>,
    pub link: Option<String>,
    pub image: Option<String>,
    pub more_images: Vec<String>,
    /// The lowest price of any variant.
    pub price: f64,
    pub price_max: f64,
    /// The cheapest variant's price before its sale, when it is on sale.
    pub regular_price: Option<f64>,
    pub on_sale: bool,
    /// The best availability of any variant.
    pub availability: Availability,
    /// Some variant is listed by the shop and available.
    pub available: bool,
    /// Every variant's values, sorted and without duplicates.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// The lowest value of any variant.
    pub numbers: BTreeMap<String, f64>,
    /// Each row of a group of two or more, in feed order.
    pub variants: Vec<Variant>,
}

/// One row of a folded product.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub id: String,
    pub sku: Option<String>,
    pub gtin: Option<String>,
    pub price: f64,
    pub regular_price: Option<f64>,
    pub availability: Availability,
    /// Colour, size and every attribute that differs between the variants.
    pub attributes: BTreeMap<String, Vec<String>>,
}

/// The products, sorted by id, and how many rows were folded into another row's product.
/// A row whose id repeats within its group, or whose product id the advisor could not use, is
/// reported and left out.
pub fn fold(items: Vec<Item>, problems: &mut Problems) -> (Vec<Product>, usize) {
    let mut groups: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for item in items {
        let key = item.group.clone().unwrap_or_else(|| item.id.clone());
        if ProductId::parse(&key).is_none() {
            problems.skip(
                item.line,
                format!("{key:?} is not a usable id: it holds control characters"),
            );
            continue;
        }
        let group = groups.entry(key).or_default();
        if let Some(first) = group.iter().find(|other| other.id == item.id) {
            problems.skip(
                item.line,
                format!(
                    "id `{}` is used twice (first on line {}); ids must be unique",
                    item.id, first.line
                ),
            );
            continue;
        }
        group.push(item);
    }
    let mut folded = 0;
    let products = groups
        .into_iter()
        .map(|(id, rows)| {
            folded += rows.len() - 1;
            product(id, rows)
        })
        .collect();
    (products, folded)
}

fn product(id: String, rows: Vec<Item>) -> Product {
    let first = |get: fn(&Item) -> Option<&String>| rows.iter().find_map(get).cloned();
    let image = first(|i| i.image.as_ref());
    let mut more_images: Vec<String> = Vec::new();
    for url in rows
        .iter()
        .flat_map(|i| i.image.iter().chain(&i.more_images))
    {
        if Some(url) != image.as_ref() && !more_images.contains(url) {
            more_images.push(url.clone());
        }
    }
    let cheapest = rows
        .iter()
        .min_by(|a, b| a.price.amount.total_cmp(&b.price.amount));
    let mut attributes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut numbers: BTreeMap<String, f64> = BTreeMap::new();
    for row in &rows {
        for (name, values) in &row.attributes {
            attributes
                .entry(name.clone())
                .or_default()
                .extend(values.iter().cloned());
        }
        for (name, value) in &row.numbers {
            let lowest = numbers.entry(name.clone()).or_insert(*value);
            *lowest = lowest.min(*value);
        }
    }
    let variants = if rows.len() > 1 {
        variants(&rows)
    } else {
        Vec::new()
    };
    Product {
        group: rows.iter().find_map(|i| i.group.clone()),
        line: rows.first().map_or(0, |i| i.line),
        title: shared_title(&rows),
        description: first(|i| i.description.as_ref().filter(|d| !d.is_empty())),
        link: first(|i| i.link.as_ref()),
        image,
        more_images,
        price: cheapest.map_or(0.0, |i| i.price.amount),
        price_max: rows.iter().map(|i| i.price.amount).fold(0.0, f64::max),
        regular_price: cheapest.and_then(|i| i.regular_price),
        on_sale: rows.iter().any(|i| i.regular_price.is_some()),
        availability: rows
            .iter()
            .map(|i| i.availability)
            .min()
            .unwrap_or_default(),
        available: rows
            .iter()
            .any(|i| !i.unlisted && i.availability.is_available()),
        attributes: attributes
            .into_iter()
            .map(|(name, values)| (name, values.into_iter().collect()))
            .collect(),
        numbers,
        variants,
        id,
    }
}

fn variants(rows: &[Item]) -> Vec<Variant> {
    let names: BTreeSet<&String> = rows.iter().flat_map(|i| i.attributes.keys()).collect();
    let varying: Vec<&String> = names
        .into_iter()
        .filter(|name| {
            let first = rows[0].attributes.get(*name);
            matches!(name.as_str(), "color" | "size")
                || rows.iter().any(|i| i.attributes.get(*name) != first)
        })
        .collect();
    rows.iter()
        .map(|row| Variant {
            id: row.id.clone(),
            sku: row.sku.clone(),
            gtin: row.gtin.clone(),
            price: row.price.amount,
            regular_price: row.regular_price,
            availability: row.availability,
            attributes: varying
                .iter()
                .filter_map(|name| Some(((*name).clone(), row.attributes.get(*name)?.clone())))
                .collect(),
        })
        .collect()
}

/// The title all rows share; else the words they all start with, cut at the last separator
/// when they end inside a part (`Tee - Red - S` and `Tee - Blue - M` give `Tee`, `Bike, size S`
/// and `Bike, size M` give `Bike`); else the first row's.
fn shared_title(rows: &[Item]) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    if rows.iter().all(|i| i.title == first.title) {
        return first.title.clone();
    }
    let mut common: Vec<&str> = first.title.split_whitespace().collect();
    for row in &rows[1..] {
        let words: Vec<&str> = row.title.split_whitespace().collect();
        let same = common
            .iter()
            .zip(&words)
            .take_while(|(a, b)| a == b)
            .count();
        common.truncate(same);
    }
    let ends_part = |word: &str| word.ends_with(|c: char| SEPARATORS.contains(c));
    if !common.last().is_some_and(|w| ends_part(w))
        && let Some(at) = common.iter().rposition(|w| ends_part(w))
    {
        common.truncate(at + 1);
    }
    let joined = common.join(" ");
    let trimmed = joined.trim_end_matches(|c: char| c.is_whitespace() || SEPARATORS.contains(c));
    if trimmed.chars().count() >= 3 {
        trimmed.to_string()
    } else {
        first.title.clone()
    }
}

/// Characters that separate the parts of a variant's title.
const SEPARATORS: &str = "-–—,/|:(";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::price::Money;

    fn row(line: u64, id: &str, group: Option<&str>, title: &str, price: f64) -> Item {
        Item {
            line,
            id: id.into(),
            group: group.map(str::to_string),
            title: title.into(),
            price: Money {
                amount: price,
                currency: Some("EUR".into()),
            },
            ..Item::default()
        }
    }

    #[test]
    fn folds_a_group_into_one_product_with_the_lowest_price_and_sorted_lists() {
        let mut red = row(2, "T-R-M", Some("T"), "Tee - Red - M", 25.0);
        red.add("color", ["Red"]);
        red.add("size", ["M"]);
        red.add("brand", ["Acme"]);
        red.availability = Availability::OutOfStock;
        let mut blue = row(3, "T-B-S", Some("T"), "Tee - Blue - S", 20.0);
        blue.add("color", ["Blue"]);
        blue.add("size", ["S"]);
        blue.add("brand", ["Acme"]);
        blue.availability = Availability::Backorder;
        blue.regular_price = Some(22.0);
        let single = row(4, "A", None, "Alone", 5.0);
        let mut problems = Problems::default();
        let (products, folded) = fold(vec![red, single, blue], &mut problems);
        assert_eq!(folded, 1);
        let ids: Vec<&str> = products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["A", "T"]);
        let tee = &products[1];
        assert_eq!(tee.title, "Tee");
        assert_eq!(
            (tee.price, tee.price_max, tee.regular_price),
            (20.0, 25.0, Some(22.0))
        );
        assert!(tee.on_sale);
        assert_eq!(tee.availability, Availability::Backorder);
        assert_eq!(tee.attributes["color"], ["Blue", "Red"]);
        assert_eq!(tee.attributes["size"], ["M", "S"]);
        assert_eq!(tee.variants.len(), 2);
        assert_eq!(tee.variants[0].id, "T-R-M");
        assert!(tee.variants[0].attributes.contains_key("color"));
        assert!(
            !tee.variants[0].attributes.contains_key("brand"),
            "brand does not vary"
        );
        assert!(products[0].variants.is_empty());
    }

    #[test]
    fn a_repeated_id_in_a_group_is_reported_and_skipped() {
        let mut problems = Problems::default();
        let rows = vec![
            row(2, "A", None, "A", 1.0),
            row(9, "A", None, "A again", 2.0),
        ];
        let (products, folded) = fold(rows, &mut problems);
        assert_eq!((products.len(), folded), (1, 0));
        assert_eq!(problems.list[0].line, Some(9));
        assert!(problems.list[0].message.contains("first on line 2"));
    }

    #[test]
    fn variant_titles_give_the_part_they_share() {
        let title = |titles: &[&str]| {
            let rows: Vec<Item> = titles.iter().map(|t| row(1, t, None, t, 1.0)).collect();
            shared_title(&rows)
        };
        assert_eq!(
            title(&["Red tee", "Blue tee"]),
            "Red tee",
            "nothing shared: the first"
        );
        assert_eq!(title(&["Bike, size S", "Bike, size M"]), "Bike");
        assert_eq!(title(&["Tee - Red - S", "Tee - Red - M"]), "Tee - Red");
        assert_eq!(
            title(&["Merino Tee Black S", "Merino Tee Grey M"]),
            "Merino Tee"
        );
    }
}
