//! One row of a feed as the parsers hand it on: a product or one variant of it, already cleaned
//! (HTML stripped, price parsed), plus the problems found while reading rows.
//!
//! Parsers fill these; they never decide how variants fold or what goes into the catalogue.

use std::collections::BTreeMap;

use super::price::Money;

/// One feed row (Google item, Shopify variant row, mapped CSV/JSON Lines record).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    /// Where the row starts in the input (1-based), for problems found later.
    pub line: u64,
    /// The row's own id (Google `id`, Shopify SKU or handle with position).
    pub id: String,
    /// Rows with the same group are variants of one product (`item_group_id`, Shopify handle).
    pub group: Option<String>,
    /// Stock keeping unit, when the feed has one apart from the id.
    pub sku: Option<String>,
    pub gtin: Option<String>,
    pub title: String,
    /// Plain text, HTML already stripped.
    pub description: Option<String>,
    pub link: Option<String>,
    pub image: Option<String>,
    pub more_images: Vec<String>,
    /// What the customer pays now (the sale price when there is one).
    pub price: Money,
    /// The price before a sale, when the row is on sale.
    pub regular_price: Option<f64>,
    pub availability: Availability,
    /// The shop does not sell it now (a Shopify draft or unpublished product), whatever the stock.
    pub unlisted: bool,
    /// Attribute name (snake_case, e.g. `color`, `brand`) to its values, in feed order.
    pub attributes: BTreeMap<String, Vec<String>>,
    pub numbers: BTreeMap<String, f64>,
}

impl Item {
    /// Adds non-empty, trimmed values to an attribute, keeping the first occurrence of each.
    pub fn add(&mut self, name: &str, values: impl IntoIterator<Item = impl AsRef<str>>) {
        for value in values {
            let value = value.as_ref().trim();
            if value.is_empty() {
                continue;
            }
            let list = self.attributes.entry(name.to_string()).or_default();
            if !list.iter().any(|v| v == value) {
                list.push(value.to_string());
            }
        }
    }

    /// Category paths like `Home > Garden > Tools` as the full paths under `name` plus one
    /// attribute per level (`name_1`, `name_2`, …) holding the path down to that level, so
    /// `Garden` under `Home` differs from one under `Toys`.
    pub fn add_paths<'a>(&mut self, name: &str, paths: impl Iterator<Item = &'a str>) {
        for value in paths {
            let parts: Vec<&str> = value
                .split('>')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if parts.is_empty() {
                continue;
            }
            self.add(name, [parts.join(" > ")]);
            for level in 1..=LEVELS.min(parts.len()) {
                self.add(&format!("{name}_{level}"), [parts[..level].join(" > ")]);
            }
        }
    }
}

/// Whether a row can be bought, best first. Unknown counts as available: a feed without the
/// column should not hide every product.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Availability {
    InStock,
    Preorder,
    Backorder,
    #[default]
    Unknown,
    OutOfStock,
}

impl Availability {
    /// Reads Google's values (`in_stock`, `in stock`, `out of stock`, …) and common yes/no forms.
    pub fn parse(raw: &str) -> Option<Self> {
        let normal = raw.trim().to_lowercase().replace([' ', '-'], "_");
        Some(match normal.as_str() {
            "" => Self::Unknown,
            "in_stock" | "instock" | "available" | "yes" | "true" | "1" | "active" => Self::InStock,
            "preorder" | "pre_order" => Self::Preorder,
            "backorder" | "back_order" | "available_for_order" => Self::Backorder,
            "out_of_stock" | "outofstock" | "sold_out" | "discontinued" | "no" | "false" | "0" => {
                Self::OutOfStock
            }
            _ => return None,
        })
    }

    /// The customer can buy it (now or on order).
    pub fn is_available(self) -> bool {
        self != Self::OutOfStock
    }

    /// The value written to the product file; nothing when the feed did not say.
    pub fn as_str(self) -> Option<&'static str> {
        match self {
            Self::InStock => Some("in_stock"),
            Self::Preorder => Some("preorder"),
            Self::Backorder => Some("backorder"),
            Self::OutOfStock => Some("out_of_stock"),
            Self::Unknown => None,
        }
    }
}

/// Something wrong with one row or with the input as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row's (or XML item's) first line, when the problem belongs to one.
    pub line: Option<u64>,
    pub message: String,
    /// Whether the row was left out because of it.
    pub skipped: bool,
}

/// The problems of one import, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    pub list: Vec<Problem>,
    /// Rows left out (a row with several problems counts once).
    pub rows_skipped: usize,
}

impl Problems {
    /// A row that is left out.
    pub fn skip(&mut self, line: u64, message: impl Into<String>) {
        self.rows_skipped += 1;
        self.list.push(Problem {
            line: Some(line),
            message: message.into(),
            skipped: true,
        });
    }

    /// A row that is imported anyway, with something left out or guessed.
    pub fn note(&mut self, line: Option<u64>, message: impl Into<String>) {
        self.list.push(Problem {
            line,
            message: message.into(),
            skipped: false,
        });
    }
}

/// What a parser read: the usable rows, how many rows it saw, and what was wrong.
#[derive(Debug, Default)]
pub struct Parsed {
    pub items: Vec<Item>,
    pub rows_read: usize,
    pub problems: Problems,
}

/// `Colour Family` → `colour_family`: names that are safe as facet names, option ids and record
/// keys (a-z, 0-9 and `_`, at most 64 characters; empty when nothing is left).
pub fn snake_case(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(plain) = fold_letter(c) {
            out.push_str(plain);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').chars().take(64).collect()
}

/// Deepest category level that becomes an attribute of its own.
const LEVELS: usize = 3;

/// The plain letters of common accented Latin letters, so `Größe` becomes `grosse`.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'œ' => "oe",
        'ß' => "ss",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_google_availability_with_spaces_and_underscores() {
        assert_eq!(Availability::parse("in stock"), Some(Availability::InStock));
        assert_eq!(Availability::parse("in_stock"), Some(Availability::InStock));
        assert_eq!(
            Availability::parse("Out of Stock"),
            Some(Availability::OutOfStock)
        );
        assert_eq!(
            Availability::parse("preorder"),
            Some(Availability::Preorder)
        );
        assert_eq!(
            Availability::parse("backorder"),
            Some(Availability::Backorder)
        );
        assert_eq!(Availability::parse("maybe"), None);
        assert!(Availability::Unknown.is_available());
        assert!(!Availability::OutOfStock.is_available());
    }

    #[test]
    fn names_become_snake_case_slugs() {
        assert_eq!(snake_case("Colour Family"), "colour_family");
        assert_eq!(snake_case("  Größe / EU "), "grosse_eu");
        assert_eq!(snake_case("3D"), "3d");
        assert_eq!(snake_case("日本"), "");
        assert_eq!(snake_case("Material"), "material");
    }

    #[test]
    fn attributes_keep_the_first_occurrence_of_each_value() {
        let mut item = Item::default();
        item.add("color", ["Red", " Blue ", "Red", ""]);
        assert_eq!(item.attributes["color"], vec!["Red", "Blue"]);
    }
}
