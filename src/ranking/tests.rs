//! Variety and variant folding on a handful of made-up products.

use super::*;
use crate::catalog::Products;
use crate::questions::{Diversity, DiversityField};
use std::sync::Arc;

fn store(items: &[(&str, Option<&str>, &str, f64)]) -> Products {
    Products::for_tests(items)
}

fn all(store: &Products) -> Vec<Product<'_>> {
    (0..store.len() as u32)
        .filter_map(|o| store.get(o))
        .collect()
}

fn advisor(size: usize, diversity: Diversity) -> Advisor {
    let (shop, problems) = crate::shop::Shop::load(&crate::shop::Paths::default());
    let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
    let mut advisor = shop.advisor("jackets").expect("jackets").clone();
    advisor.shortlist_size = size;
    advisor.diversity = diversity;
    advisor
}

fn ids(recommendations: &[Recommendation], products: &[Product<'_>]) -> Vec<String> {
    recommendations
        .iter()
        .map(|r| products[r.ordinal as usize].id().to_string())
        .collect()
}

#[test]
fn variants_of_one_product_take_one_place() {
    let store = store(&[
        ("a-red", Some("a"), "shell", 50.0),
        ("a-blue", Some("a"), "shell", 50.0),
        ("b", None, "shell", 60.0),
    ]);
    let products = all(&store);
    let refs = products.clone();
    let ranked = rank(&advisor(3, Diversity::default()), &refs, &[], &[], None);
    assert_eq!(ids(&ranked, &products), ["a-blue", "b"]);
}

#[test]
fn the_shortlist_mixes_styles_when_relevance_allows() {
    let store = store(&[
        ("a", None, "shell", 50.0),
        ("b", None, "shell", 51.0),
        ("c", None, "shell", 52.0),
        ("d", None, "fleece", 53.0),
    ]);
    let products = all(&store);
    let refs = products.clone();
    let plain = rank(&advisor(2, Diversity::default()), &refs, &[], &[], None);
    assert_eq!(ids(&plain, &products), ["a", "b"]);
    let varied = Diversity {
        fields: vec![DiversityField::Facet(0)],
        weight: 0.5,
    };
    let ranked = rank(&advisor(2, varied.clone()), &refs, &[], &[], None);
    assert_eq!(ids(&ranked, &products), ["a", "d"]);
    // Deterministic.
    assert_eq!(ranked, rank(&advisor(2, varied), &refs, &[], &[], None));
}

#[test]
fn relevance_still_wins_over_variety() {
    let store = store(&[
        ("a", None, "shell", 50.0),
        ("b", None, "shell", 51.0),
        ("c", None, "fleece", 52.0),
    ]);
    let products = all(&store);
    let refs = products.clone();
    let shells = Preference {
        condition: Condition::Facet {
            facet: 0,
            values: vec!["shell".into()],
        },
        weight: 3.0,
        products: Arc::new(
            products
                .iter()
                .filter(|p| p.has(0, "shell"))
                .map(|p| p.ordinal)
                .collect(),
        ),
    };
    let varied = Diversity {
        fields: vec![DiversityField::Facet(0)],
        weight: 0.3,
    };
    let ranked = rank(&advisor(2, varied), &refs, &[shells], &[], None);
    assert_eq!(ids(&ranked, &products), ["a", "b"]);
}
