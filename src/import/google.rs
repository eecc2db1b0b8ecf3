//! Google Merchant Center attributes to an [`Item`], shared by the TSV and the XML reader: which
//! attributes are read, how repeated and comma-separated values split, what makes a row bad.
//!
//! The attribute names follow Google's product data specification; unknown attributes
//! (shipping, tax, …) are ignored.

use std::collections::BTreeMap;

use super::html;
use super::item::{Availability, Item, Problems, snake_case};
use super::price;

/// Single-valued attributes kept as facets under their own name.
const FACETS: [&str; 14] = [
    "brand",
    "condition",
    "gender",
    "age_group",
    "material",
    "pattern",
    "size_type",
    "size_system",
    "google_product_category",
    "custom_label_0",
    "custom_label_1",
    "custom_label_2",
    "custom_label_3",
    "custom_label_4",
];

/// Attributes that may hold several comma-separated values in one TSV cell.
pub(super) const REPEATED: [&str; 3] = ["additional_image_link", "product_type", "product_detail"];

/// One item's attributes by normalised name (`image_link`), values in feed order.
#[derive(Debug, Default)]
pub(super) struct Fields {
    pub values: BTreeMap<String, Vec<String>>,
    /// `product_detail`: attribute name and value (the section is not needed).
    pub details: Vec<(String, String)>,
}

impl Fields {
    /// Adds a non-empty value to an attribute.
    pub fn push(&mut self, name: &str, value: &str) {
        let value = value.trim();
        if !value.is_empty() {
            self.values
                .entry(name.to_string())
                .or_default()
                .push(value.to_string());
        }
    }

    /// Reads one `section:attribute:value` or `attribute:value` product detail.
    pub fn push_detail_text(&mut self, raw: &str) {
        let parts: Vec<&str> = raw.splitn(3, ':').map(str::trim).collect();
        match parts.as_slice() {
            [_, name, value] | [name, value] => self.push_detail(name, value),
            _ => {}
        }
    }

    pub fn push_detail(&mut self, name: &str, value: &str) {
        if !name.trim().is_empty() && !value.trim().is_empty() {
            self.details
                .push((name.trim().to_string(), value.trim().to_string()));
        }
    }

    fn first(&self, name: &str) -> Option<&str> {
        self.values.get(name)?.first().map(String::as_str)
    }

    fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.values
            .get(name)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// A header or element name as Google spells it: `g:Image Link` → `image_link`.
pub(super) fn attribute_name(raw: &str) -> String {
    let raw = raw.trim();
    let raw = raw
        .strip_prefix("g:")
        .or_else(|| raw.strip_prefix("G:"))
        .unwrap_or(raw);
    raw.trim().to_lowercase().replace([' ', '-'], "_")
}

/// The item, or `None` after reporting why the row is skipped.
pub(super) fn item(line: u64, fields: &Fields, problems: &mut Problems) -> Option<Item> {
    let Some(id) = fields.first("id").map(str::to_string) else {
        problems.skip(line, "the item has no `id`");
        return None;
    };
    let Some(title) = fields.first("title").map(str::to_string) else {
        problems.skip(line, format!("item `{id}` has no `title`"));
        return None;
    };
    let Some(raw_price) = fields.first("price") else {
        problems.skip(line, format!("item `{id}` has no `price`"));
        return None;
    };
    let Some(regular) = price::parse(raw_price) else {
        problems.skip(
            line,
            format!("item `{id}`: `{raw_price}` is not a price (write e.g. `15.00 EUR`)"),
        );
        return None;
    };
    let mut item = Item {
        line,
        group: fields.first("item_group_id").map(str::to_string),
        sku: fields.first("mpn").map(str::to_string),
        gtin: fields.first("gtin").map(str::to_string),
        title,
        description: fields.first("description").map(html::strip),
        link: fields.first("link").map(str::to_string),
        image: fields.first("image_link").map(str::to_string),
        more_images: fields
            .all("additional_image_link")
            .map(str::to_string)
            .collect(),
        price: regular.clone(),
        ..Item::default()
    };
    if let Some(raw_sale) = fields.first("sale_price") {
        match price::parse(raw_sale) {
            Some(sale) if sale.amount < regular.amount => {
                item.regular_price = Some(regular.amount);
                item.price.amount = sale.amount;
            }
            Some(_) => {}
            None => problems.note(
                Some(line),
                format!("item `{id}`: the sale price `{raw_sale}` is not a price; ignored"),
            ),
        }
    }
    if let Some(raw) = fields.first("availability") {
        item.availability = Availability::parse(raw).unwrap_or_else(|| {
            problems.note(
                Some(line),
                format!("item `{id}`: unknown availability `{raw}`; taken as in stock"),
            );
            Availability::Unknown
        });
    }
    for name in FACETS {
        item.add(name, fields.first(name));
    }
    item.add(
        "color",
        fields.first("color").into_iter().flat_map(|c| c.split('/')),
    );
    item.add("size", fields.first("size"));
    // Several product types may share one value, separated by commas (as in TSV).
    let product_types = fields.all("product_type").flat_map(|v| v.split(','));
    item.add_paths("product_type", product_types);
    for (name, value) in &fields.details {
        let key = snake_case(name);
        let key = match key.as_str() {
            "" => "detail".to_string(),
            known if is_known(known) => format!("detail_{known}"),
            _ => key,
        };
        item.add(&key, [value]);
    }
    item.id = id;
    Some(item)
}

/// Whether a product detail's name would clash with an attribute the importer sets itself.
fn is_known(key: &str) -> bool {
    FACETS.contains(&key)
        || key.starts_with("product_type")
        || super::plan::RESERVED.contains(&key)
        || matches!(key, "color" | "size")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        let mut fields = Fields::default();
        for (name, value) in pairs {
            fields.push(name, value);
        }
        fields
    }

    #[test]
    fn reads_prices_sale_prices_availability_and_attributes() {
        let mut problems = Problems::default();
        let mut f = fields(&[
            ("id", "TS-1"),
            ("title", "Tee"),
            ("price", "20.00 EUR"),
            ("sale_price", "15.00 EUR"),
            ("availability", "in stock"),
            ("color", "Black/White"),
            ("product_type", "Clothing > Tops > Tees, Sale > Tees"),
            ("description", "<p>Soft &amp; light</p>"),
        ]);
        f.push_detail_text("General:Fabric weight:180 g");
        let item = item(7, &f, &mut problems).expect("a good item");
        assert_eq!((item.price.amount, item.regular_price), (15.0, Some(20.0)));
        assert_eq!(item.price.currency.as_deref(), Some("EUR"));
        assert_eq!(item.availability, Availability::InStock);
        assert_eq!(item.attributes["color"], ["Black", "White"]);
        assert_eq!(
            item.attributes["product_type_2"],
            ["Clothing > Tops", "Sale > Tees"]
        );
        assert_eq!(item.attributes["fabric_weight"], ["180 g"]);
        assert_eq!(item.description.as_deref(), Some("Soft & light"));
        assert!(problems.list.is_empty());
    }

    #[test]
    fn skips_items_without_id_title_or_a_readable_price() {
        let mut problems = Problems::default();
        assert!(
            item(
                3,
                &fields(&[("title", "x"), ("price", "1 EUR")]),
                &mut problems
            )
            .is_none()
        );
        assert!(
            item(
                4,
                &fields(&[("id", "a"), ("price", "1 EUR")]),
                &mut problems
            )
            .is_none()
        );
        let bad = fields(&[("id", "b"), ("title", "B"), ("price", "cheap")]);
        assert!(item(5, &bad, &mut problems).is_none());
        let lines: Vec<_> = problems.list.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(5)]);
        assert_eq!(problems.rows_skipped, 3);
        assert!(problems.list[2].message.contains("`cheap` is not a price"));
    }

    #[test]
    fn header_names_lose_prefix_case_and_spaces() {
        assert_eq!(attribute_name("g:Image Link"), "image_link");
        assert_eq!(attribute_name("ID"), "id");
        assert_eq!(attribute_name("item_group_id"), "item_group_id");
    }
}
