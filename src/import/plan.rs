//! What the written catalogue holds: for every attribute its record field, whether it is
//! multi-valued, its values with product counts and whether it makes a useful facet; which
//! numbers exist; and the URL templates.
//!
//! Decided once from all products, so every product writes a field the same way (a list when
//! any product has several values).

use std::collections::BTreeMap;

use super::fold::Product;
use super::urls::{self, UrlPlan};

/// Facets with more values than this are left out of `catalog.yaml` (commented out).
pub const MAX_FACET_VALUES: usize = 200;

/// Record fields the importer writes itself; attributes with these names are renamed.
pub const RESERVED: [&str; 20] = [
    "id",
    "sku",
    "gtin",
    "title",
    "description",
    "link",
    "link_path",
    "image_link",
    "image_path",
    "additional_image_links",
    "price",
    "price_max",
    "regular_price",
    "on_sale",
    "available",
    "availability",
    "item_group_id",
    "variants",
    "colors",
    "sizes",
];

/// The shape of the written catalogue.
#[derive(Debug)]
pub struct Plan {
    /// Every attribute any product has, by name.
    pub attributes: Vec<Attribute>,
    /// Numbers any product has, besides `price` and `price_max`.
    pub numbers: Vec<String>,
    pub description: bool,
    pub group: bool,
    /// Some products are on sale and some are not.
    pub sale: bool,
    pub image: Result<UrlPlan, String>,
    pub link: Result<UrlPlan, String>,
}

/// One attribute (`color`, `brand`, `product_type_1`, …) across the catalogue.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// The attribute's name.
    pub name: String,
    /// Its facet's name in `catalog.yaml` (the name, or the field for reserved names).
    pub facet: String,
    /// The product record's key (`colors` for `color`).
    pub field: String,
    pub multi: bool,
    /// Each value with the number of products having it.
    pub values: BTreeMap<String, usize>,
}

/// Whether an attribute becomes a facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Facet,
    /// There is only one value: it would not tell products apart.
    OneValue(String),
    /// Too many values to offer as answers (ids, free texts).
    TooMany(usize),
    /// A number (or the importer's `on_sale`) already has the name.
    NameTaken,
}

impl Attribute {
    pub fn verdict(&self) -> Verdict {
        match self.values.len() {
            1 => Verdict::OneValue(self.values.keys().next().cloned().unwrap_or_default()),
            n if n > MAX_FACET_VALUES => Verdict::TooMany(n),
            _ => Verdict::Facet,
        }
    }
}

impl Plan {
    pub fn new(products: &[Product]) -> Self {
        let mut attributes: BTreeMap<&str, Attribute> = BTreeMap::new();
        let mut numbers: Vec<String> = Vec::new();
        for product in products {
            for (name, values) in &product.attributes {
                let attribute = attributes.entry(name).or_insert_with(|| Attribute {
                    name: name.clone(),
                    facet: if RESERVED.contains(&name.as_str()) {
                        field_name(name)
                    } else {
                        name.clone()
                    },
                    field: field_name(name),
                    multi: matches!(name.as_str(), "color" | "size" | "tags"),
                    values: BTreeMap::new(),
                });
                attribute.multi |= values.len() > 1;
                for value in values {
                    *attribute.values.entry(value.clone()).or_default() += 1;
                }
            }
            for name in product.numbers.keys() {
                if !numbers.contains(name) {
                    numbers.push(name.clone());
                }
            }
        }
        numbers.sort();
        let urls_of = |get: fn(&Product) -> Option<&str>| -> Vec<Option<&str>> {
            products.iter().map(get).collect()
        };
        Plan {
            attributes: attributes.into_values().collect(),
            numbers,
            description: products.iter().any(|p| p.description.is_some()),
            group: products.iter().any(|p| p.group.is_some()),
            sale: products.iter().any(|p| p.on_sale) && products.iter().any(|p| !p.on_sale),
            image: urls::plan(&urls_of(|p| p.image.as_deref()), "image_path"),
            link: urls::plan(&urls_of(|p| p.link.as_deref()), "link_path"),
        }
    }

    /// Whether the attribute becomes a facet in this catalogue.
    pub fn verdict(&self, attribute: &Attribute) -> Verdict {
        let taken =
            self.numbers.contains(&attribute.facet) || (self.sale && attribute.facet == "on_sale");
        match attribute.verdict() {
            Verdict::Facet if taken => Verdict::NameTaken,
            verdict => verdict,
        }
    }

    /// The attributes that become facets.
    pub fn facets(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes
            .iter()
            .filter(|a| self.verdict(a) == Verdict::Facet)
    }
}

/// The record key of an attribute: colours and sizes are lists named in the plural, and names
/// the importer uses itself get an `attr_` prefix.
pub fn field_name(attribute: &str) -> String {
    match attribute {
        "color" => "colors".into(),
        "size" => "sizes".into(),
        name if RESERVED.contains(&name) => format!("attr_{name}"),
        name => name.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: &str, attributes: &[(&str, &[&str])]) -> Product {
        Product {
            id: id.into(),
            group: None,
            line: 1,
            title: id.into(),
            description: None,
            link: None,
            image: None,
            more_images: Vec::new(),
            price: 1.0,
            price_max: 1.0,
            regular_price: None,
            on_sale: false,
            availability: Default::default(),
            available: true,
            attributes: attributes
                .iter()
                .map(|(n, v)| (n.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
            numbers: Default::default(),
            variants: Vec::new(),
        }
    }

    #[test]
    fn facets_need_two_values_and_at_most_two_hundred() {
        let mut products = vec![
            product("a", &[("brand", &["Acme"]), ("gender", &["male"])]),
            product("b", &[("brand", &["Acme"]), ("gender", &["female"])]),
        ];
        for n in 0..=MAX_FACET_VALUES {
            products.push(product(&format!("x{n}"), &[("mpn", &[&format!("M{n}")])]));
        }
        let plan = Plan::new(&products);
        let verdict = |name: &str| {
            plan.attributes
                .iter()
                .find(|a| a.name == name)
                .map(Attribute::verdict)
        };
        assert_eq!(verdict("brand"), Some(Verdict::OneValue("Acme".into())));
        assert_eq!(verdict("gender"), Some(Verdict::Facet));
        assert_eq!(verdict("mpn"), Some(Verdict::TooMany(MAX_FACET_VALUES + 1)));
    }

    #[test]
    fn an_attribute_with_several_values_anywhere_is_a_list_everywhere() {
        let products = [
            product("a", &[("tags", &["x", "y"]), ("color", &["Red"])]),
            product("b", &[("tags", &["x"])]),
        ];
        let plan = Plan::new(&products);
        let tags = plan
            .attributes
            .iter()
            .find(|a| a.name == "tags")
            .expect("tags");
        assert!(tags.multi);
        let color = plan
            .attributes
            .iter()
            .find(|a| a.name == "color")
            .expect("color");
        assert!(color.multi && color.field == "colors");
        assert_eq!(field_name("price"), "attr_price");
    }
}
