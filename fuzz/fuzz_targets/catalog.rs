//! Arbitrary bytes as a catalogue: the config (`catalog.yaml`) up to the first 0 byte, the JSON
//! Lines product file after it, loaded with `Catalog::from_sources`, which runs the same config
//! checks, product reader and index builder as `Catalog::load`. A catalogue that loads must
//! answer searches; one that does not must say why.

#![no_main]

use std::path::Path;

use advisor::catalog::{Catalog, Condition, NumberRef};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (config, products) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    // Startup reads the config as UTF-8; anything else is one "cannot read" diagnostic.
    let Ok(config) = std::str::from_utf8(config) else {
        return;
    };
    let catalog = match Catalog::from_sources(Path::new("catalog"), config, products) {
        Ok(catalog) => catalog,
        Err(mut problems) => {
            assert!(problems.has_errors(), "refused without an error");
            problems.sort();
            let _ = problems.render();
            return;
        }
    };
    let listed = catalog.select(&Condition::Listed);
    let searched = catalog.search(&Condition::Listed).expect("search listed");
    assert_eq!(listed.iter().collect::<Vec<_>>(), searched);
    for facet in 0..catalog.config().facets.len() {
        let values = catalog.facet_values(facet).expect("facet values");
        if let Some(value) = values.keys().next() {
            let condition = Condition::Facet {
                facet,
                values: vec![value.clone()],
            };
            let from_sets: Vec<u32> = catalog.select(&condition).iter().collect();
            assert_eq!(from_sets, catalog.search(&condition).expect("search facet"));
        }
    }
    let cheap = Condition::Range {
        number: NumberRef::Price,
        min: None,
        max: Some(50.0),
    };
    let from_sets: Vec<u32> = catalog.select(&cheap).iter().collect();
    assert_eq!(from_sets, catalog.search(&cheap).expect("search range"));
    for product in catalog.products().take(8) {
        let id = advisor::ids::ProductId::parse(product.id()).expect("a loaded id is valid");
        assert_eq!(catalog.ordinal(&id), Some(product.ordinal));
        let _ = product.price();
    }
    let _ = catalog.search_text("rain jacket");
});
