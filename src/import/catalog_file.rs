//! The starter `catalog.yaml`: every part explained in a comment, the facets that tell products
//! apart, and the ones left out commented out with the reason, so an editor sees what the feed
//! holds and decides.

use std::fmt::Write;

use super::plan::{Plan, Verdict};

/// What the config needs to know besides the plan.
pub struct Header<'a> {
    /// The input file and its format, for the opening comment.
    pub source: &'a str,
    pub language: &'a str,
    pub currency: &'a str,
    /// The name of the product file next to the config.
    pub products: &'a str,
}

/// The text of `catalog.yaml`.
pub fn render(header: &Header<'_>, plan: &Plan) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "# Catalogue config written by `advisor import` from {source}.\n\
         # A starting point: rename or drop facets customers do not care about, then run `advisor\n\
         # check`. The format is described in docs/catalogue.md, section \"The catalogue\"; question files\n\
         # refer to the facets and numbers below by `name`.\n\n\
         products: {products}          # one product per line, relative to this file\n\
         language: {language}                      # stemming and stop words of the text fields\n\
         currency: {currency}                     # every price in the product file is in this currency\n\n\
         id: id                            # the variants' group (item_group_id, handle), else the row's id\n\
         title: title\n\
         price: price                      # the cheapest variant's price (its sale price when on sale)\n",
        source = header.source,
        products = header.products,
        language = header.language,
        currency = header.currency,
    );
    if plan.description {
        out.push_str(
            "\n# Searchable texts: words customers type are looked up here and in the title.\n\
             text:\n  - field: description\n",
        );
    }
    out.push_str(
        "\n# Numbers for ranges and critiques in question files (`price` is always there).\n\
         numbers:\n  - name: price_max                 # the dearest variant's price\n",
    );
    for number in &plan.numbers {
        let _ = writeln!(out, "  - name: {number}");
    }
    facets(&mut out, plan);
    out.push_str(
        "\n# Only these products are recommended: the shop sells them (Shopify status, the mapping's\n\
         # `listed`) and some variant is in stock, on preorder or on backorder.\n\
         listed:\n  field: available\n  values: [\"true\"]\n",
    );
    if plan.group {
        out.push_str(
            "\n# Variants were folded into one product each; products sharing a group would be shown\n\
             # once, should the product file ever hold several of one group.\n\
             group: item_group_id\n",
        );
    }
    out.push_str("\n# Card links: `{field}` placeholders are filled from each product and percent-encoded.\n");
    url(&mut out, "image_url", "image_link", &plan.image);
    url(&mut out, "product_url", "link", &plan.link);
    out
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn facets(out: &mut String, plan: &Plan) {
    out.push_str(
        "\n# Attributes to filter and count on. `multi: true`: a product may have several values\n\
         # (its variants' colours and sizes, several categories). Values are counted per product.\n\
         facets:\n",
    );
    let mut left_out = Vec::new();
    for attribute in &plan.attributes {
        match plan.verdict(attribute) {
            Verdict::Facet => {
                let _ = writeln!(
                    out,
                    "  - name: {:<28}# {} values",
                    attribute.facet,
                    attribute.values.len()
                );
                if attribute.field != attribute.facet {
                    let _ = writeln!(out, "    field: {}", attribute.field);
                }
                if attribute.multi {
                    out.push_str("    multi: true\n");
                }
            }
            Verdict::NameTaken => left_out.push((attribute, "its name is taken".to_string())),
            Verdict::OneValue(value) => {
                left_out.push((attribute, format!("one value only: {}", quote(&value))));
            }
            Verdict::TooMany(count) => {
                left_out.push((attribute, format!("{count} values: too many to ask about")))
            }
        }
    }
    if plan.sale {
        out.push_str("  - name: on_sale                     # \"true\" or \"false\"\n");
    }
    if left_out.is_empty() {
        return;
    }
    out.push_str("  # Left out; uncomment to use:\n");
    for (attribute, why) in left_out {
        let field = if attribute.field == attribute.facet {
            String::new()
        } else {
            format!(", field: {}", attribute.field)
        };
        let multi = if attribute.multi { ", multi: true" } else { "" };
        let _ = writeln!(
            out,
            "  # - {{name: {}{field}{multi}}}   # {why}",
            attribute.facet
        );
    }
}

fn url(out: &mut String, key: &str, source: &str, plan: &Result<super::urls::UrlPlan, String>) {
    match plan {
        Ok(plan) => {
            let _ = writeln!(
                out,
                "{key}: {}   # `{}` holds the rest of each product's `{source}`",
                quote(&plan.template),
                plan.field
            );
        }
        Err(why) if key == "product_url" && why.starts_with("no product") => {
            let _ = writeln!(
                out,
                "# {key}: \"https://YOUR-SHOP.example/products/{{id}}\"   # the input has no product links: write the shop's pattern (Shopify: /products/<handle>)"
            );
        }
        Err(why) => {
            let _ = writeln!(out, "# {key}: not set: {why}");
        }
    }
}
