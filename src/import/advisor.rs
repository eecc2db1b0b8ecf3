//! The starter question file (`--advisor NAME`): one single-choice question per useful facet
//! with its most common values among listed products and "doesn't matter", and a price question
//! with bands that each hold products. Written in one language, clean under `advisor check`,
//! for editors to refine (texts, synonyms, `prefer`, critiques).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::catalog_file::quote;
use super::fold::Product;
use super::item::snake_case;
use super::plan::{Attribute, Plan};
use super::texts::Texts;

/// Facets asked about first, in this order; the others follow by name.
const FIRST: [&str; 16] = [
    "product_type_1",
    "category_1",
    "product_type_2",
    "category_2",
    "product_type_3",
    "category_3",
    "gender",
    "age_group",
    "color",
    "size",
    "brand",
    "material",
    "pattern",
    "condition",
    "product_type",
    "tags",
];

const MAX_QUESTIONS: usize = 8;
const MAX_OPTIONS: usize = 8;

/// The question file, or why there is nothing to ask.
pub fn render(
    products: &[Product],
    plan: &Plan,
    texts: Texts,
    currency: &str,
    source: &str,
) -> Result<String, String> {
    let listed: Vec<&Product> = products.iter().filter(|p| p.available).collect();
    if listed.len() < 2 {
        return Err("fewer than two products are listed".into());
    }
    let mut questions = String::new();
    let mut asked: Vec<&str> = Vec::new();
    for attribute in ordered(plan) {
        if asked.len() == MAX_QUESTIONS {
            break;
        }
        if facet_question(&mut questions, attribute, &listed, texts) {
            asked.push(&attribute.facet);
        }
    }
    let budget = budget_question(&mut questions, &listed, texts, currency);
    if asked.is_empty() && !budget {
        return Err("no facet or price tells the listed products apart".into());
    }
    let code = texts.code();
    let (one, other) = texts.noun();
    let diversity = ["brand", "material", "pattern", "color"]
        .into_iter()
        .find(|f| asked.contains(f))
        .map_or("[price]".to_string(), |f| format!("[{f}, price]"));
    let mut out = String::new();
    let _ = write!(
        out,
        "# Starter advisor written by `advisor import` from {source}.\n\
         # Refine it: question texts and labels customers understand, synonyms for free text,\n\
         # `prefer` where a wish is soft, critiques. Format: questions/README.md; check it with\n\
         # `advisor check` and measure it with `advisor simulate`.\n\
         title:\n  {code}: {title}\n\
         locales: [{code}]\n\
         # The noun fills the templates' sentences (\"among our 23 products\"); pick the shop's word.\n\
         noun:\n  {code}: {{one: {one}, other: {other}}}\n\
         stop:\n  max_candidates: 5\n\
         shortlist:\n  size: 5\n  diversity:\n    fields: {diversity}\n    weight: 0.3\n\
         critiques:\n  - id: cheaper\n    label: {{{code}: {cheaper}}}\n    number: price\n    direction: lower\n\n\
         questions:\n{questions}",
        title = quote(texts.title()),
        one = quote(one),
        other = quote(other),
        cheaper = quote(texts.cheaper()),
    );
    Ok(out)
}

/// The facets in the order they are offered as questions.
fn ordered(plan: &Plan) -> Vec<&Attribute> {
    let has = |name: &str| plan.facets().any(|a| a.name == name);
    let mut facets: Vec<&Attribute> = plan
        .facets()
        .filter(|a| !internal(&a.name))
        .filter(|a| !has(&format!("{}_1", a.name)))
        .collect();
    facets.sort_by_key(|a| {
        let rank = FIRST
            .iter()
            .position(|f| *f == a.name)
            .unwrap_or(FIRST.len());
        (rank, a.name.clone())
    });
    facets
}

/// Facets for the shop's own bookkeeping, never asked about.
fn internal(name: &str) -> bool {
    name.starts_with("custom_label_")
        || matches!(
            name,
            "google_product_category" | "size_type" | "size_system"
        )
}

/// Writes a question about the facet's most common values; false when it would not split.
fn facet_question(out: &mut String, facet: &Attribute, listed: &[&Product], texts: Texts) -> bool {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for product in listed {
        for value in product.attributes.get(&facet.name).into_iter().flatten() {
            *counts.entry(value).or_default() += 1;
        }
    }
    let least = if listed.len() >= 20 { 2 } else { 1 };
    let mut values: Vec<(&str, usize)> = counts
        .into_iter()
        .filter(|(_, count)| *count >= least && *count < listed.len())
        .collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    values.truncate(MAX_OPTIONS);
    if values.len() < 2 {
        return false;
    }
    let short = |value: &str| -> String {
        texts
            .value(&facet.name, value)
            .map(str::to_string)
            .or_else(|| value.rsplit(" > ").next().map(str::to_string))
            .unwrap_or_else(|| value.to_string())
    };
    let shorts: Vec<String> = values.iter().map(|(v, _)| short(v)).collect();
    let code = texts.code();
    let _ = write!(
        out,
        "  - id: {id}\n    text: {{{code}: {text}}}\n    options:\n",
        id = facet.facet,
        text = quote(&texts.question(&facet.name)),
    );
    let mut ids = Vec::new();
    for ((value, count), label) in values.iter().zip(&shorts) {
        let label = if shorts.iter().filter(|s| *s == label).count() > 1 {
            value.to_string()
        } else {
            label.clone()
        };
        let id = option_id(&label, &mut ids);
        let products = if *count == 1 { "product" } else { "products" };
        let _ = write!(
            out,
            "      - id: {id}\n        label: {{{code}: {}}}\n        filter: {{{}: [{}]}}   # {count} {products}\n",
            quote(&label),
            facet.facet,
            quote(value),
        );
    }
    no_preference(out, texts);
    true
}

/// Writes a price question whose bands each hold listed products; false when prices are too
/// alike for two bands.
fn budget_question(out: &mut String, listed: &[&Product], texts: Texts, currency: &str) -> bool {
    let mut prices: Vec<f64> = listed.iter().map(|p| p.price).collect();
    prices.sort_by(f64::total_cmp);
    let bands = if prices.len() >= 40 { 4 } else { 3 };
    let mut cuts: Vec<f64> = (1..bands)
        .map(|k| round_nicely(prices[prices.len() * k / bands]))
        .collect();
    cuts.dedup();
    // Every band must hold a product: [0, c1), [c1, c2), …, [cn, ∞).
    let holds = |min: f64, max: f64| prices.iter().any(|p| *p >= min && *p < max);
    let mut kept: Vec<f64> = Vec::new();
    for cut in cuts {
        let from = kept.last().copied().unwrap_or(0.0);
        if holds(from, cut) && holds(cut, f64::INFINITY) {
            kept.push(cut);
        }
    }
    if kept.is_empty() {
        return false;
    }
    let code = texts.code();
    let _ = write!(
        out,
        "  - id: budget\n    text: {{{code}: {}}}\n    options:\n",
        quote(texts.budget())
    );
    let mut from: Option<f64> = None;
    for to in kept.iter().copied().map(Some).chain([None]) {
        let (id, range) = match (from, to) {
            (None, Some(to)) => (format!("under_{}", slug_number(to)), format!("max: {to}")),
            (Some(from), Some(to)) => (
                format!("from_{}_to_{}", slug_number(from), slug_number(to)),
                format!("min: {from}, max: {to}"),
            ),
            (Some(from), None) => (
                format!("over_{}", slug_number(from)),
                format!("min: {from}"),
            ),
            (None, None) => continue,
        };
        let _ = write!(
            out,
            "      - id: {id}\n        label: {{{code}: {}}}\n        range: {{field: price, {range}}}\n",
            quote(&texts.band(from, to, currency)),
        );
        from = to;
    }
    no_preference(out, texts);
    true
}

fn no_preference(out: &mut String, texts: Texts) {
    let _ = write!(
        out,
        "      - id: any\n        label: {{{}: {}}}\n        no_preference: true\n",
        texts.code(),
        quote(texts.no_preference())
    );
}

/// A unique option id from a label (`any` is the no-preference option's).
fn option_id(label: &str, taken: &mut Vec<String>) -> String {
    let mut base: String = snake_case(label).chars().take(56).collect();
    if base.is_empty() || base == "any" {
        base = format!("value_{}", taken.len() + 1);
    }
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

/// 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten, whichever is nearest.
fn round_nicely(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return value.max(0.0);
    }
    // Dividing by a power of ten keeps 0.6 from printing as 0.6000000000000001.
    let exponent = value.log10().floor() as i32;
    let scale = |step: f64| {
        if exponent < 0 {
            step / 10f64.powi(-exponent)
        } else {
            step * 10f64.powi(exponent)
        }
    };
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(scale)
        .min_by(|a, b| (a - value).abs().total_cmp(&(b - value).abs()))
        .unwrap_or(value)
}

fn slug_number(value: f64) -> String {
    format!("{value}").replace('.', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_cuts_are_round_numbers() {
        assert_eq!(round_nicely(37.0), 40.0);
        assert_eq!(round_nicely(23.4), 25.0);
        assert_eq!(round_nicely(0.75), 0.8);
        assert_eq!(round_nicely(0.61).to_string(), "0.6");
        assert_eq!(round_nicely(1180.0), 1000.0);
        assert_eq!(slug_number(2.5), "2_5");
    }

    #[test]
    fn option_ids_are_unique_slugs() {
        let mut taken = Vec::new();
        assert_eq!(option_id("Dark Blue", &mut taken), "dark_blue");
        assert_eq!(option_id("dark-blue", &mut taken), "dark_blue_2");
        assert_eq!(option_id("Any", &mut taken), "value_3");
        assert_eq!(option_id("日本", &mut taken), "value_4");
    }
}
