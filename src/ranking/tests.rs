//! Variety and variant folding on a handful of made-up products.

use super::*;
use crate::ids::ProductId;
use crate::questions::{Diversity, DiversityField};

fn product(ordinal: u32, id: &str, group: Option<&str>, style: &str, price: f64) -> Product {
    Product {
        id: ProductId::parse(id).expect("id"),
        ordinal,
        group: group.map(str::to_string),
        title: id.to_string(),
        price: Some(price),
        numbers: Vec::new(),
        facets: vec![vec![style.to_string()]],
        texts: Vec::new(),
        listed: true,
        image_url: None,
        url: None,
        line: u64::from(ordinal) + 1,
    }
}

fn advisor(size: usize, diversity: Diversity) -> Advisor {
    let (shop, problems) = crate::shop::Shop::load(&crate::shop::Paths::default());
    let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
    let mut advisor = shop.advisor("jackets").expect("jackets").clone();
    advisor.shortlist_size = size;
    advisor.diversity = diversity;
    advisor
}

fn ids(recommendations: &[Recommendation], products: &[Product]) -> Vec<String> {
    recommendations
        .iter()
        .map(|r| products[r.ordinal as usize].id.to_string())
        .collect()
}

#[test]
fn variants_of_one_product_take_one_place() {
    let products = vec![
        product(0, "a-red", Some("a"), "shell", 50.0),
        product(1, "a-blue", Some("a"), "shell", 50.0),
        product(2, "b", None, "shell", 60.0),
    ];
    let refs: Vec<&Product> = products.iter().collect();
    let ranked = rank(&advisor(3, Diversity::default()), &refs, &[], &[], None);
    assert_eq!(ids(&ranked, &products), ["a-blue", "b"]);
}

#[test]
fn the_shortlist_mixes_styles_when_relevance_allows() {
    let products = vec![
        product(0, "a", None, "shell", 50.0),
        product(1, "b", None, "shell", 51.0),
        product(2, "c", None, "shell", 52.0),
        product(3, "d", None, "fleece", 53.0),
    ];
    let refs: Vec<&Product> = products.iter().collect();
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
    let products = vec![
        product(0, "a", None, "shell", 50.0),
        product(1, "b", None, "shell", 51.0),
        product(2, "c", None, "fleece", 52.0),
    ];
    let refs: Vec<&Product> = products.iter().collect();
    let shells = Preference {
        condition: Condition::Facet {
            facet: 0,
            values: vec!["shell".into()],
        },
        weight: 3.0,
    };
    let varied = Diversity {
        fields: vec![DiversityField::Facet(0)],
        weight: 0.3,
    };
    let ranked = rank(&advisor(2, varied), &refs, &[shells], &[], None);
    assert_eq!(ids(&ranked, &products), ["a", "b"]);
}
