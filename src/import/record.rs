//! Products as JSON Lines: one object per product with a fixed key order (the importer's own
//! fields first, then the attributes and numbers by name, then the variants), so the same feed
//! always gives byte-identical files.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::fold::{Product, Variant};
use super::plan::{Plan, field_name};
use super::urls::UrlPlan;

/// Writes every product as one line.
pub fn write(
    out: &mut (impl Write + ?Sized),
    products: &[Product],
    plan: &Plan,
) -> std::io::Result<()> {
    let multi: BTreeMap<&str, (&str, bool)> = plan
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), (a.field.as_str(), a.multi)))
        .collect();
    for (index, product) in products.iter().enumerate() {
        let record = Record {
            id: &product.id,
            title: &product.title,
            description: product.description.as_deref(),
            link: product.link.as_deref(),
            link_path: part(&plan.link, index),
            image_link: product.image.as_deref(),
            image_path: part(&plan.image, index),
            additional_image_links: &product.more_images,
            price: product.price,
            price_max: product.price_max,
            regular_price: product.regular_price,
            on_sale: product.on_sale,
            available: product.available,
            availability: product.availability.as_str(),
            item_group_id: product.group.as_deref(),
            attributes: product
                .attributes
                .iter()
                .map(|(name, values)| {
                    let (field, multi) = multi.get(name.as_str()).copied().unwrap_or((name, true));
                    (field, Values::new(values, multi))
                })
                .collect(),
            numbers: product
                .numbers
                .iter()
                .map(|(name, value)| (name.as_str(), *value))
                .collect(),
            variants: product.variants.iter().map(VariantRecord::new).collect(),
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The product's value of a URL template's placeholder.
fn part(urls: &Result<UrlPlan, String>, index: usize) -> Option<&str> {
    urls.as_ref()
        .ok()
        .and_then(|p| p.parts.get(index))
        .and_then(Option::as_deref)
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_path: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    additional_image_links: &'a [String],
    price: f64,
    price_max: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    regular_price: Option<f64>,
    on_sale: bool,
    available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_group_id: Option<&'a str>,
    #[serde(flatten)]
    attributes: BTreeMap<&'a str, Values<'a>>,
    #[serde(flatten)]
    numbers: BTreeMap<&'a str, f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    variants: Vec<VariantRecord<'a>>,
}

/// An attribute's values: a text for single-valued attributes, else a list.
#[derive(Serialize)]
#[serde(untagged)]
enum Values<'a> {
    One(&'a str),
    Many(&'a [String]),
}

impl<'a> Values<'a> {
    fn new(values: &'a [String], multi: bool) -> Self {
        match values {
            [one] if !multi => Self::One(one),
            _ => Self::Many(values),
        }
    }
}

#[derive(Serialize)]
struct VariantRecord<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gtin: Option<&'a str>,
    price: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    regular_price: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability: Option<&'static str>,
    #[serde(flatten)]
    attributes: BTreeMap<String, Values<'a>>,
}

impl<'a> VariantRecord<'a> {
    fn new(variant: &'a Variant) -> Self {
        Self {
            id: &variant.id,
            sku: variant.sku.as_deref().filter(|sku| *sku != variant.id),
            gtin: variant.gtin.as_deref(),
            price: variant.price,
            regular_price: variant.regular_price,
            availability: variant.availability.as_str(),
            attributes: variant
                .attributes
                .iter()
                .map(|(name, values)| {
                    let key = match name.as_str() {
                        "color" | "size" => name.clone(),
                        other => field_name(other),
                    };
                    (key, Values::new(values, false))
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::fold::fold;
    use crate::import::item::{Item, Problems};
    use crate::import::price::Money;

    #[test]
    fn keys_come_in_a_fixed_order_and_lists_where_values_vary() {
        let item = |id: &str, color: &str, price: f64| {
            let mut item = Item {
                id: id.into(),
                group: Some("G".into()),
                title: "Tee".into(),
                price: Money {
                    amount: price,
                    currency: None,
                },
                ..Item::default()
            };
            item.add("color", [color]);
            item.add("brand", ["Acme"]);
            item
        };
        let (products, _) = fold(
            vec![item("G-2", "Red", 12.0), item("G-1", "Blue", 10.0)],
            &mut Problems::default(),
        );
        let plan = Plan::new(&products);
        let mut out = Vec::new();
        write(&mut out, &products, &plan).expect("written");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "{\"id\":\"G\",\"title\":\"Tee\",\"price\":10.0,\"price_max\":12.0,\"on_sale\":false,\
             \"available\":true,\"item_group_id\":\"G\",\"brand\":\"Acme\",\"colors\":[\"Blue\",\"Red\"],\
             \"variants\":[{\"id\":\"G-2\",\"price\":12.0,\"color\":\"Red\"},{\"id\":\"G-1\",\"price\":10.0,\"color\":\"Blue\"}]}\n"
        );
    }
}
