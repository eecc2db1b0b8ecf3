//! `advisor import-orders` on a Shopify orders export (`tests/fixtures/orders/`): variant SKUs
//! map to their Luma products, unknown SKUs are dropped with their line, the file refuses to be
//! overwritten without `--force`, and the shipped catalogue with the result as its orders file
//! shows the products bought together.

use std::path::Path;
use std::process::Command;

use advisor::catalog::{Catalog, PairingBasis};
use advisor::ids::ProductId;

use crate::helpers::copy_dir;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn import_orders(out: &Path, extra: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .current_dir(root())
        .env("ADVISOR__PATHS__CATALOG", root().join("catalog"))
        .arg("import-orders")
        .arg("--input")
        .arg(root().join("tests/fixtures/orders/shopify_orders.csv"))
        .arg("--out")
        .arg(out)
        .args(["--variant-sku-path", "variants.sku"])
        .args(extra)
        .output()
        .expect("advisor runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_shopify_export_becomes_the_orders_file_of_goes_well_with() {
    let dir = std::env::temp_dir().join(format!("advisor-orders-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("catalog"), &dir.join("catalog"));
    let out = dir.join("catalog/orders.csv");

    let (ok, stdout, stderr) = import_orders(&out, &[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("4 order(s), 9 line(s), 6 product(s)"),
        "{stdout}"
    );
    assert!(stdout.contains("2 line(s) dropped"), "{stdout}");
    assert!(
        stdout.contains("`GIFT-CARD`: line 7 (2 line(s))"),
        "{stdout}"
    );
    let written = std::fs::read_to_string(&out).expect("orders file");
    assert_eq!(
        written,
        "order_id,product_id\n#1001,24-UG06\n#1001,MH01\n#1001,MP01\n#1002,MH01\n#1002,MP01\n\
         #1003,24-MB01\n#1003,WJ01\n#1004,24-UG06\n#1004,24-WG081-gray\n"
    );

    let (ok, _, stderr) = import_orders(&out, &[]);
    assert!(!ok && stderr.contains("--force"), "{stderr}");
    let (ok, _, stderr) = import_orders(&out, &["--force"]);
    assert!(ok, "{stderr}");

    let config = dir.join("catalog/catalog.yaml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{text}  orders: orders.csv\n")).expect("write config");
    let catalog = Catalog::load(&dir.join("catalog")).unwrap_or_else(|p| panic!("{}", p.render()));
    assert!(
        catalog.warnings().is_empty(),
        "{}",
        catalog.warnings().render()
    );
    let ordinal = |id: &str| {
        catalog
            .ordinal(&ProductId::parse(id).expect("id"))
            .expect("known")
    };
    let pants = catalog
        .goes_well_with(ordinal("MH01"), &|_| false, 50)
        .into_iter()
        .find(|p| p.ordinal == ordinal("MP01"))
        .expect("the pants go with the hoodie");
    assert!(
        matches!(pants.basis, PairingBasis::BoughtTogether { orders: 2, .. }),
        "{pants:?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[actix_web::test]
async fn shortlisted_products_show_what_goes_well_with_them_and_why() {
    let app = crate::helpers::TestApp::spawn().await;
    let mut reply = app.start("jackets", "en").await;
    for _ in 0..10 {
        if reply["input"].is_null() {
            break;
        }
        reply = app.answer_first(&reply).await;
    }
    let cards = crate::helpers::products(&reply);
    assert!(!cards.is_empty(), "{reply}");
    let shortlisted: Vec<&str> = cards.iter().filter_map(|c| c["id"].as_str()).collect();
    for card in &cards {
        let paired = card["goes_well_with"].as_array().expect("goes_well_with");
        assert!(!paired.is_empty() && paired.len() <= 3, "{card}");
        let title = card["title"].as_str().expect("title");
        for item in paired {
            let id = item["id"].as_str().expect("id");
            assert!(!shortlisted.contains(&id), "{id} is on the shortlist");
            let why = item["why"].as_str().expect("why");
            assert!(why.ends_with(title), "{why}");
            assert!(item["price"]["amount"].is_number(), "{item}");
        }
    }
}
