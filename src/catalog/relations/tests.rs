//! "Goes well with" on a small shop: 19 orders in which a bottle is in 18 (a bestseller), pants
//! go with the hoodie in 5, shorts in 2, a bag once (and in one more order).

use std::fmt::Write;
use std::path::Path;

use crate::catalog::config::check_source;
use crate::catalog::{Catalog, PairingBasis, RelationKind};
use crate::diagnostics::{Diagnostics, Severity};

const CONFIG: &str = "products: p.jsonl
currency: EUR
id: id
title: name
price: price
group: group
facets:
  - name: category
listed:
  field: status
  values: [live]
relations:
  lists:
    - field: cross
      kind: cross_sell
    - field: better
      kind: up_sell
  orders: orders.csv
  min_orders: 2
  diversify: category
  show: 3
";

const PRODUCTS: &str = r#"{"id":"hoodie","name":"Hoodie","price":50,"category":"tops","group":"H","status":"live","cross":["cap","hidden","hoodie-red","hoodie","nope"],"better":["jacket"]}
{"id":"hoodie-red","name":"Hoodie red","price":50,"category":"tops","group":"H","status":"live"}
{"id":"bottle","name":"Bottle","price":5,"category":"gear","status":"live"}
{"id":"pants","name":"Pants","price":40,"category":"bottoms","status":"live"}
{"id":"shorts","name":"Shorts","price":30,"category":"bottoms","status":"live"}
{"id":"bag","name":"Bag","price":30,"category":"gear","status":"live"}
{"id":"cap","name":"Cap","price":15,"category":"accessories","status":"live"}
{"id":"jacket","name":"Jacket","price":90,"category":"tops","status":"live"}
{"id":"hidden","name":"Hidden","price":9,"category":"gear","status":"bundle only"}
"#;

/// Order `o{i}` for i in 1..=20: see the module comment.
fn orders() -> String {
    let mut text = String::from("order_id,product_id\n");
    for i in 1..=20 {
        let mut items = Vec::new();
        if i <= 8 {
            items.push("hoodie");
        }
        if i <= 18 {
            items.push("bottle");
        }
        if i <= 5 {
            items.extend(["pants", "hoodie-red", "hidden"]);
        }
        if [6, 7, 9].contains(&i) {
            items.push("shorts");
        }
        if [8, 19].contains(&i) {
            items.push("bag");
        }
        for item in items {
            writeln!(text, "o{i},{item}").expect("write to a string");
        }
    }
    text
}

fn shop(config: &str, orders: &str) -> Result<Catalog, Diagnostics> {
    Catalog::from_sources_with_orders(
        Path::new("shop"),
        config,
        PRODUCTS.as_bytes(),
        orders.as_bytes(),
    )
}

fn ids(catalog: &Catalog, anchor: &str, avoid: &[&str], n: usize) -> Vec<String> {
    let anchor = catalog
        .products()
        .find(|p| p.id() == anchor)
        .expect("anchor");
    let avoid: Vec<u32> = avoid
        .iter()
        .filter_map(|id| catalog.products().find(|p| p.id() == *id))
        .map(|p| p.ordinal)
        .collect();
    catalog
        .goes_well_with(anchor.ordinal, &|o| avoid.contains(&o), n)
        .iter()
        .map(|p| {
            catalog
                .product(p.ordinal)
                .expect("product")
                .id()
                .to_string()
        })
        .collect()
}

#[test]
fn lift_beats_raw_counts_so_a_bestseller_does_not_dominate() {
    let catalog = shop(CONFIG, &orders()).expect("loads");
    // The bottle is in all 8 hoodie orders (more than anything else), but in 90 % of all.
    let bought: Vec<String> = ids(&catalog, "hoodie", &["cap"], 10);
    assert_eq!(bought, ["pants", "bottle", "shorts"]);
    let no_diversity = CONFIG.replace("  diversify: category\n", "");
    let catalog = shop(&no_diversity, &orders()).expect("loads");
    assert_eq!(
        ids(&catalog, "hoodie", &["cap"], 10),
        ["pants", "shorts", "bottle"]
    );
}

#[test]
fn every_pick_says_why() {
    let catalog = shop(CONFIG, &orders()).expect("loads");
    let hoodie = catalog
        .ordinal(&crate::ids::ProductId::parse("hoodie").expect("id"))
        .expect("hoodie");
    let picks = catalog.goes_well_with(hoodie, &|_| false, 2);
    assert_eq!(
        picks[0].basis,
        PairingBasis::Listed {
            kind: RelationKind::CrossSell
        }
    );
    match picks[1].basis {
        PairingBasis::BoughtTogether { orders, lift } => {
            assert_eq!(orders, 5);
            // 19 orders hold a known product (o20 is empty), 8 the hoodie, 5 the pants.
            assert!((lift - 5.0 * 19.0 / (8.0 * 5.0)).abs() < 1e-9, "{lift}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(catalog.goes_well_with_count(), 3);
}

#[test]
fn pairs_below_min_orders_are_ignored() {
    let catalog = shop(CONFIG, &orders()).expect("loads");
    assert!(!ids(&catalog, "hoodie", &[], 10).contains(&"bag".to_string()));
    let once = CONFIG.replace("min_orders: 2", "min_orders: 1");
    let catalog = shop(&once, &orders()).expect("loads");
    assert!(ids(&catalog, "hoodie", &[], 10).contains(&"bag".to_string()));
    let strict = CONFIG.replace("min_orders: 2", "min_orders: 3");
    let catalog = shop(&strict, &orders()).expect("loads");
    assert!(!ids(&catalog, "hoodie", &[], 10).contains(&"shorts".to_string()));
}

#[test]
fn picks_differ_on_the_diversify_facet_where_possible() {
    let catalog = shop(CONFIG, &orders()).expect("loads");
    // By score: cap, pants, shorts, bottle; shorts are bottoms like the pants.
    assert_eq!(ids(&catalog, "hoodie", &[], 3), ["cap", "pants", "bottle"]);
    // Only bottoms left: the second one is shown all the same.
    assert_eq!(
        ids(&catalog, "hoodie", &["cap", "bottle"], 3),
        ["pants", "shorts"]
    );
}

#[test]
fn avoided_products_are_not_shown() {
    let catalog = shop(CONFIG, &orders()).expect("loads");
    assert_eq!(
        ids(&catalog, "hoodie", &["cap", "pants"], 3),
        ["shorts", "bottle"]
    );
}

#[test]
fn never_the_product_itself_a_variant_an_unlisted_product_or_an_upgrade() {
    let catalog = shop(CONFIG, &orders()).expect("loads");
    let all = ids(&catalog, "hoodie", &[], 50);
    for never in ["hoodie", "hoodie-red", "hidden", "jacket"] {
        assert!(!all.contains(&never.to_string()), "{never} in {all:?}");
    }
    // Bought together both ways, but never towards the unlisted product or within the group.
    assert!(ids(&catalog, "pants", &[], 50).contains(&"hoodie".to_string()));
    assert!(!ids(&catalog, "pants", &[], 50).contains(&"hidden".to_string()));
}

#[test]
fn unknown_ids_are_warnings_with_their_line() {
    let orders = format!("{}o1,ghost\no2,ghost\no3,phantom\n", orders());
    let catalog = shop(CONFIG, &orders).expect("warnings do not stop loading");
    let warnings: Vec<_> = catalog.warnings().iter().collect();
    assert!(warnings.iter().all(|d| d.severity == Severity::Warning));
    let listed = warnings
        .iter()
        .find(|d| d.detail.as_deref().is_some_and(|d| d.contains("nope")))
        .expect("the unknown cross-sell");
    assert_eq!(listed.line, Some(1));
    assert!(listed.file.ends_with("p.jsonl"));
    let lines = orders.lines().count() as u64;
    let ghost = warnings
        .iter()
        .find(|d| d.detail.as_deref().is_some_and(|d| d.contains("ghost")))
        .expect("the unknown ordered product");
    assert_eq!(ghost.line, Some(lines - 2));
    assert!(
        ghost
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("2 line"))
    );
    assert!(ghost.file.ends_with("orders.csv"));
    assert_eq!(warnings.len(), 3, "{warnings:?}");
}

#[test]
fn a_malformed_orders_line_is_an_error_with_its_line() {
    let orders = "order_id,product_id\no1,pants\no1\no2,pants,extra\n,pants\n";
    let problems = shop(CONFIG, orders).err().expect("errors");
    let lines: Vec<Option<u64>> = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, [Some(3), Some(4), Some(5)]);
    let problems = shop(CONFIG, "order,product\no1,pants\n")
        .err()
        .expect("bad header");
    assert_eq!(problems.iter().next().and_then(|d| d.line), Some(1));
}

#[test]
fn without_relations_nothing_goes_with_anything() {
    let plain = CONFIG.split("relations:").next().expect("config");
    let catalog =
        Catalog::from_sources(Path::new("shop"), plain, PRODUCTS.as_bytes()).expect("loads");
    assert!(ids(&catalog, "hoodie", &[], 3).is_empty());
    assert_eq!(catalog.goes_well_with_count(), 0);
}

#[test]
fn the_config_is_checked_and_every_problem_collected() {
    let bad = CONFIG
        .replace("diversify: category", "diversify: categroy")
        .replace("kind: cross_sell", "kind: cross_sell\n      weight: -1")
        .replace("show: 3", "show: 0");
    let file = Path::new("shop/catalog.yaml");
    let problems = check_source(file, &bad, |p| !p.ends_with("orders.csv")).expect_err("errors");
    let found: Vec<(u64, &str)> = problems
        .iter()
        .map(|d| (d.line.unwrap_or(0), d.message.as_str()))
        .collect();
    assert_eq!(found.len(), 4, "{found:?}");
    let diversify = problems
        .iter()
        .find(|d| d.message.contains("categroy"))
        .expect("diversify");
    assert!(
        diversify
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `category`"))
    );
    assert!(
        problems
            .iter()
            .all(|d| d.line.is_some() && d.column.is_some() && d.hint.is_some())
    );
    let unknown = CONFIG.replace("show: 3", "shwo: 3");
    let problems = check_source(file, &unknown, |_| true).expect_err("unknown key");
    assert!(problems.iter().next().is_some_and(|d| d.line == Some(21)));
}
