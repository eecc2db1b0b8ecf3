//! `advisor import` on the feeds shops already have (fixtures in `tests/fixtures/import/`): the
//! products and their folded variants, the skipped rows with their lines, a catalogue and a
//! starter advisor that pass `advisor check` and serve a conversation, byte-identical output,
//! and a generated feed of 50,000 rows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use advisor::settings::Settings;
use advisor::shop::{Paths, Shop};
use serde_json::{Value, json};

use crate::helpers::{TestApp, copy_dir};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

/// A fresh, empty folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advisor-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn import(args: &[&str], out: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("advisor runs");
    Run {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn import_ok(args: &[&str], out: &Path) -> String {
    let run = import(args, out);
    assert!(run.ok, "import failed:\n{}\n{}", run.stdout, run.stderr);
    run.stdout
}

/// Every product written, by id.
fn products(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("catalog/products.jsonl"))
        .expect("product file")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

fn product<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no product {id}"))
}

fn ids(all: &[Value]) -> Vec<&str> {
    all.iter().filter_map(|p| p["id"].as_str()).collect()
}

/// `advisor check --deny-warnings` in the output folder, with the shipped templates next to it.
fn assert_checks_clean(out: &Path) {
    copy_dir(&root().join("templates"), &out.join("templates"));
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .args(["check", "--deny-warnings"])
        .current_dir(out)
        .env_remove("ADVISOR__PATHS__CATALOG")
        .env_remove("ADVISOR__PATHS__QUESTIONS")
        .env_remove("ADVISOR__PATHS__TEMPLATES")
        .output()
        .expect("advisor check runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("0 error(s), 0 warning(s)"), "{report}");
}

/// The `line N: …` lines of the report, in order.
fn problem_lines(stdout: &str) -> Vec<u64> {
    stdout
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("line ")?
                .split(':')
                .next()?
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn a_google_tsv_feed_becomes_a_clean_catalogue_with_folded_variants() {
    let out = temp_dir("tsv");
    let stdout = import_ok(&[&fixture("google.tsv"), "--advisor", "outdoor"], &out);
    assert!(
        stdout.contains(
            "14 rows read, 7 products written (6 listed), 3 variants folded, 4 rows skipped"
        ),
        "{stdout}"
    );
    assert_eq!(problem_lines(&stdout), [6, 10, 11, 15], "{stdout}");
    assert!(stdout.contains("`call us` is not a price"), "{stdout}");
    assert!(
        stdout.contains("the row has 3 columns, the header has 22"),
        "{stdout}"
    );

    let all = products(&out);
    assert_eq!(
        ids(&all),
        [
            "BAG-400", "BOT-300", "BOT-310", "CAP-500", "JKT-100", "SOC-600", "TEE-200"
        ]
    );
    let jacket = product(&all, "JKT-100");
    assert_eq!(jacket["title"], "Summit Rain Jacket");
    assert_eq!(jacket["colors"], json!(["Blue", "Red"]));
    assert_eq!(jacket["sizes"], json!(["L", "M"]));
    assert_eq!(
        (jacket["price"].as_f64(), jacket["price_max"].as_f64()),
        (Some(99.0), Some(129.0))
    );
    assert_eq!(jacket["regular_price"], 129.0);
    assert_eq!(
        jacket["description"],
        "Waterproof & breathable 3-layer shell.\n• Taped seams\n• Pit zips"
    );
    let variants = jacket["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 3);
    assert_eq!(variants[2]["id"], "JKT-100-BLU-M");
    assert_eq!(variants[2]["availability"], "out_of_stock");
    assert_eq!(
        (variants[2]["color"].as_str(), variants[2]["size"].as_str()),
        (Some("Blue"), Some("M"))
    );
    assert_eq!(product(&all, "TEE-200")["title"], "Merino Trail Tee");
    assert_eq!(product(&all, "BAG-400")["price"], 79.0, "a decimal comma");
    assert_eq!(
        product(&all, "SOC-600")["price"],
        15.0,
        "EUR before the amount"
    );
    assert_eq!(
        product(&all, "BOT-310")["available"],
        false,
        "out of stock, not listed"
    );
    assert_eq!(
        product(&all, "BOT-300")["description"],
        "Leather boot with a Vibram® sole.\nResoleable."
    );

    let config = std::fs::read_to_string(out.join("catalog/catalog.yaml")).expect("config");
    assert!(config.contains("currency: EUR"), "{config}");
    assert!(
        config.contains("image_url: \"https://cdn.trailhead.example/img/{image_path}\""),
        "{config}"
    );
    assert!(
        config.contains("# - {name: condition}"),
        "one value only: left out\n{config}"
    );
    assert_checks_clean(&out);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn google_rss_items_are_read_and_broken_ones_skipped_by_line() {
    let out = temp_dir("rss");
    let stdout = import_ok(
        &[
            &fixture("google_rss.xml"),
            "--advisor",
            "coffee",
            "--language",
            "de",
        ],
        &out,
    );
    assert!(
        stdout.contains(
            "10 rows read, 5 products written (5 listed), 2 variants folded, 3 rows skipped"
        ),
        "{stdout}"
    );
    assert_eq!(problem_lines(&stdout), [114, 119, 123], "{stdout}");
    assert!(stdout.contains("not well-formed XML"), "{stdout}");
    assert!(stdout.contains("this <item> is not closed"), "{stdout}");
    let all = products(&out);
    assert_eq!(ids(&all), ["BEANS-1", "BEANS-2", "GRN-1", "KET-1", "MUG"]);
    let grinder = product(&all, "GRN-1");
    assert_eq!(grinder["colors"], json!(["Black", "Silver"]));
    assert_eq!(
        grinder["price"], 74.0,
        "the sale price, not the shipping price"
    );
    assert_eq!(
        grinder["description"],
        "Steel burrs, 40 click settings.\n• Fold-away crank\n• Fits in an AeroPress"
    );
    assert_eq!(
        product(&all, "KET-1")["description"],
        "Temperature control from 40 to 100 °C."
    );
    assert_eq!(
        product(&all, "BEANS-1")["description"],
        "Notes of peach and jasmine."
    );
    assert_eq!(
        product(&all, "BEANS-1")["roast"],
        "Light",
        "a product detail"
    );
    assert_eq!(product(&all, "MUG")["colors"], json!(["Blue", "White"]));
    let config = std::fs::read_to_string(out.join("catalog/catalog.yaml")).expect("config");
    assert!(
        config.contains("# product_url: not set: some URLs have a query"),
        "{config}"
    );
    let questions = std::fs::read_to_string(out.join("questions/coffee.yaml")).expect("advisor");
    assert!(
        questions.contains("locales: [de]") && questions.contains("Wie viel möchtest du ausgeben?"),
        "{questions}"
    );
    assert_checks_clean(&out);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn google_atom_entries_are_read_and_a_second_currency_is_refused() {
    let out = temp_dir("atom");
    let stdout = import_ok(&[&fixture("google_atom.xml"), "--advisor", "bikes"], &out);
    assert!(
        stdout.contains(
            "6 rows read, 4 products written (4 listed), 0 variants folded, 2 rows skipped"
        ),
        "{stdout}"
    );
    assert_eq!(problem_lines(&stdout), [58, 64], "{stdout}");
    assert!(
        stdout.contains("`LGT-1` is priced in EUR, the catalogue in USD"),
        "{stdout}"
    );
    let all = products(&out);
    assert_eq!(ids(&all), ["CAS-1132", "CHN-11", "HLM-AERO", "HLM-TRAIL"]);
    let helmet = product(&all, "HLM-AERO");
    assert_eq!(helmet["title"], "Aero Road Helmet");
    assert_eq!(helmet["description"], "MIPS liner, 250 g.");
    assert_eq!(
        helmet["link"],
        "https://spokechain.example/parts/helmet-aero"
    );
    assert_eq!(product(&all, "CHN-11")["price"], 34.5);
    let config = std::fs::read_to_string(out.join("catalog/catalog.yaml")).expect("config");
    assert!(
        config.contains("currency: USD") && config.contains("- name: condition"),
        "{config}"
    );
    assert_checks_clean(&out);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_shopify_export_folds_handles_and_collects_image_rows() {
    let out = temp_dir("shopify");
    let no_currency = import(&[&fixture("shopify.csv")], &out);
    assert!(
        !no_currency.ok && no_currency.stderr.contains("--currency"),
        "{}",
        no_currency.stderr
    );
    let stdout = import_ok(
        &[
            &fixture("shopify.csv"),
            "--currency",
            "EUR",
            "--advisor",
            "gifts",
        ],
        &out,
    );
    assert!(
        stdout.contains(
            "16 rows read, 6 products written (4 listed), 5 variants folded, 3 rows skipped"
        ),
        "{stdout}"
    );
    assert_eq!(problem_lines(&stdout), [14, 15, 18], "{stdout}");
    let all = products(&out);
    let tote = product(&all, "canvas-tote");
    assert_eq!(
        tote["description"],
        "Heavy 12 oz canvas.\n• Inner pocket\n• Machine washable"
    );
    assert_eq!(tote["colors"], json!(["Black", "Natural"]));
    assert_eq!(tote["tags"], json!(["canvas", "everyday"]));
    assert_eq!(
        tote["additional_image_links"].as_array().map(Vec::len),
        Some(2),
        "the image-only row counts"
    );
    assert_eq!(
        tote["category_2"],
        "Apparel & Accessories > Handbags, Wallets & Cases"
    );
    let beanie = product(&all, "wool-beanie");
    assert_eq!(
        (beanie["colors"].clone(), beanie["sizes"].clone()),
        (json!(["Grey", "Navy"]), json!(["M", "S"]))
    );
    assert_eq!(
        (beanie["price"].as_f64(), beanie["on_sale"].as_bool()),
        (Some(29.0), Some(true))
    );
    assert_eq!(
        product(&all, "leather-wallet")["finish"],
        json!(["Black", "Cognac", "Oxblood"])
    );
    assert_eq!(product(&all, "linen-scarf")["available"], false, "a draft");
    assert_eq!(
        product(&all, "enamel-mug")["available"],
        false,
        "not published"
    );
    assert!(product(&all, "linen-scarf").get("variants").is_none());
    assert_checks_clean(&out);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_mapped_csv_reads_decimal_commas_and_separated_facets() {
    let out = temp_dir("csv");
    let mapping = fixture("teas.mapping.yaml");
    let stdout = import_ok(
        &[
            &fixture("teas.csv"),
            "--mapping",
            &mapping,
            "--currency",
            "EUR",
            "--advisor",
            "tea",
        ],
        &out,
    );
    assert!(
        stdout.contains(
            "10 rows read, 5 products written (5 listed), 2 variants folded, 3 rows skipped"
        ),
        "{stdout}"
    );
    assert_eq!(problem_lines(&stdout), [6, 7, 8, 10], "{stdout}");
    assert!(
        stdout.contains("`great` in `rating` is not a number; left out"),
        "{stdout}"
    );
    let all = products(&out);
    assert_eq!(ids(&all), ["ASSAM", "BLK-200", "HRB-1", "SENCHA", "WHT-1"]);
    let sencha = product(&all, "SENCHA");
    assert_eq!(
        (sencha["price"].as_f64(), sencha["price_max"].as_f64()),
        (Some(8.9), Some(15.9))
    );
    assert_eq!(sencha["tags"], json!(["japan", "organic"]));
    assert_eq!(sencha["tea_type"], "green");
    assert_eq!(sencha["rating"], 4.6);
    assert_eq!(sencha["description"], "Grassy, sweet finish.");
    assert_eq!(
        product(&all, "ASSAM")["available"],
        true,
        "one pack is in stock"
    );
    assert_eq!(
        product(&all, "HRB-1")["description"],
        "Cooling & caffeine free."
    );
    assert_checks_clean(&out);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn mapped_json_lines_read_paths_lists_and_a_listing_rule() {
    let out = temp_dir("jsonl");
    let mapping = fixture("bikes.mapping.yaml");
    let stdout = import_ok(
        &[
            &fixture("bikes.jsonl"),
            "--mapping",
            &mapping,
            "--advisor",
            "bikes",
        ],
        &out,
    );
    assert!(
        stdout.contains(
            "10 rows read, 5 products written (4 listed), 1 variants folded, 4 rows skipped"
        ),
        "{stdout}"
    );
    assert_eq!(problem_lines(&stdout), [6, 7, 8, 10, 11], "{stdout}");
    let all = products(&out);
    assert_eq!(
        ids(&all),
        ["CTY-1", "GRV-1", "MTB-TR-L", "RD-ALU", "RD-CRB-M"]
    );
    let allroad = product(&all, "RD-ALU");
    assert_eq!(allroad["title"], "Allroad Alu");
    assert_eq!(allroad["brand"], "Northway");
    assert_eq!(allroad["category"], json!(["Gravel", "Road"]));
    assert_eq!(allroad["weight_kg"], 9.8, "the lowest of the variants");
    assert_eq!(
        allroad["description"],
        "Endurance geometry & 40 mm tyre clearance."
    );
    assert_eq!(product(&all, "CTY-1")["available"], false, "archived");
    assert_eq!(
        product(&all, "CTY-1")["price"],
        649.0,
        "a price written as text"
    );
    let config = std::fs::read_to_string(out.join("catalog/catalog.yaml")).expect("config");
    assert!(
        config.contains("currency: GBP") && config.contains("- name: weight_kg"),
        "{config}"
    );
    assert_checks_clean(&out);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn the_same_feed_gives_byte_identical_files() {
    let (first, second) = (temp_dir("same-1"), temp_dir("same-2"));
    for out in [&first, &second] {
        import_ok(&[&fixture("google.tsv"), "--advisor", "outdoor"], out);
    }
    for file in [
        "catalog/catalog.yaml",
        "catalog/products.jsonl",
        "questions/outdoor.yaml",
    ] {
        let a = std::fs::read(first.join(file)).expect("first");
        let b = std::fs::read(second.join(file)).expect("second");
        assert!(a == b, "{file} differs between two imports");
    }
    std::fs::remove_dir_all(&first).ok();
    std::fs::remove_dir_all(&second).ok();
}

#[test]
fn existing_files_are_kept_unless_forced() {
    let out = temp_dir("force");
    import_ok(&[&fixture("google.tsv")], &out);
    std::fs::write(out.join("catalog/products.jsonl"), "edited by hand\n").expect("edit");
    let refused = import(&[&fixture("google.tsv")], &out);
    assert!(
        !refused.ok && refused.stderr.contains("--force"),
        "{}",
        refused.stderr
    );
    let kept = std::fs::read_to_string(out.join("catalog/products.jsonl")).expect("read");
    assert_eq!(kept, "edited by hand\n");
    import_ok(&[&fixture("google.tsv"), "--force"], &out);
    assert_eq!(products(&out).len(), 7);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_feed_without_a_usable_row_fails_and_writes_nothing() {
    let dir = temp_dir("nothing");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let feed = dir.join("feed.tsv");
    std::fs::write(&feed, "id\ttitle\tprice\nA\t\t1.00 EUR\nB\tBee\tfree\n").expect("write");
    let out = dir.join("out");
    let run = import(&[&feed.display().to_string()], &out);
    assert!(!run.ok);
    assert!(
        run.stdout.contains("line 2: item `A` has no `title`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("nothing was imported"),
        "{}",
        run.stderr
    );
    assert!(!out.join("catalog").exists());
    let unreadable = import(&[&dir.join("missing.tsv").display().to_string()], &out);
    assert!(
        !unreadable.ok && unreadable.stderr.contains("cannot read"),
        "{}",
        unreadable.stderr
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_mapping_naming_a_missing_column_is_reported_with_its_line() {
    let dir = temp_dir("mapping");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mapping = dir.join("mapping.yaml");
    std::fs::write(
        &mapping,
        "delimiter: \";\"\nid: sku\ntitle: name\nprice: price\nfacets:\n  - column: colur\n",
    )
    .expect("write");
    let run = import(
        &[
            &fixture("teas.csv"),
            "--mapping",
            &mapping.display().to_string(),
            "--currency",
            "EUR",
        ],
        &dir.join("out"),
    );
    assert!(!run.ok);
    assert!(
        run.stderr.contains("no column `colur` in the input"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("mapping.yaml:6"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `colour`?"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_starter_advisor_runs_a_conversation_over_http() {
    let out = temp_dir("serve");
    import_ok(&[&fixture("google.tsv"), "--advisor", "outdoor"], &out);
    let paths = Paths {
        catalog: out.join("catalog"),
        questions: out.join("questions"),
        templates: root().join("templates"),
    };
    let (shop, problems) = Shop::load(&paths);
    let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
    let mut settings = Settings::default();
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.workers = 1;
    settings.sessions.store = advisor::settings::StoreKind::Memory;
    let (server, addrs) = advisor::http::start(Arc::new(shop), &settings).expect("server binds");
    tokio::spawn(server);
    let app = TestApp {
        base: format!("http://{}", addrs[0]),
        client: reqwest::Client::new(),
    };
    let mut reply = app.start("outdoor", "en").await;
    assert_eq!(reply["candidate_count"], 6, "{reply}");
    for _ in 0..10 {
        if reply["state"] == "completed" {
            break;
        }
        let options = reply["input"]["options"].as_array().expect("a question");
        let first = options[0]["value"].clone();
        let question = reply["input"]["question_id"].clone();
        let (status, next) = app
            .turn(
                &reply,
                json!({"type": "answer", "question_id": question, "values": [first]}),
            )
            .await;
        assert_eq!(status, 200, "{next}");
        reply = next;
    }
    assert_eq!(reply["state"], "completed", "{reply}");
    let shortlist = reply["messages"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["type"] == "products"))
        .expect("a shortlist");
    let first = &shortlist["items"][0];
    assert!(
        first["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://trailhead.example/p/")),
        "{first}"
    );
    assert!(
        first["image_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://cdn.trailhead.example/img/")),
        "{first}"
    );
    std::fs::remove_dir_all(&out).ok();
}

/// A Google TSV feed of `groups` × 4 variants; every 500th row has no title and every 500th
/// (offset) an unreadable price. Returns the feed and the expected products, folded variants
/// and skipped rows.
fn generated_feed(groups: usize) -> (String, usize, usize, usize) {
    const COLORS: [&str; 5] = ["Black", "White", "Red", "Blue", "Green"];
    const SIZES: [&str; 4] = ["S", "M", "L", "XL"];
    let mut feed = String::from(
        "id\ttitle\tdescription\tlink\timage_link\tprice\tavailability\tbrand\tcolor\tsize\tgender\tproduct_type\titem_group_id\n",
    );
    let (mut products, mut good, mut bad) = (0, 0, 0);
    for group in 0..groups {
        let mut any_good = false;
        for variant in 0..4 {
            let row = group * 4 + variant;
            let title = if row % 500 == 499 {
                String::new()
            } else {
                format!("Shirt {group} - {}", SIZES[variant])
            };
            let price = if row % 500 == 249 {
                "n/a".to_string()
            } else {
                format!("{}.99 EUR", 10 + group % 90)
            };
            if title.is_empty() || price == "n/a" {
                bad += 1;
            } else {
                good += 1;
                any_good = true;
            }
            let _ = writeln!(
                feed,
                "S{group:05}-{variant}\t{title}\t<p>Cotton shirt &amp; more, model {group}</p>\thttps://shop.example/p/{group}-{variant}\thttps://cdn.shop.example/i/{group}.jpg\t{price}\t{}\tBrand {}\t{}\t{}\t{}\tApparel > Shirts > Style {}\tS{group:05}",
                if variant == 3 {
                    "out_of_stock"
                } else {
                    "in stock"
                },
                group % 20,
                COLORS[(group + variant) % 5],
                SIZES[variant],
                ["male", "female", "unisex"][group % 3],
                group % 12,
            );
        }
        products += usize::from(any_good);
    }
    (feed, products, good - products, bad)
}

#[test]
fn a_generated_feed_of_50000_rows_imports_fully() {
    let dir = temp_dir("large");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let (feed, products_expected, folded, skipped) = generated_feed(12_500);
    let file = dir.join("large.tsv");
    std::fs::write(&file, feed).expect("write feed");
    let out = dir.join("out");
    let started = std::time::Instant::now();
    let stdout = import_ok(&[&file.display().to_string(), "--advisor", "shirts"], &out);
    eprintln!(
        "imported 50,000 rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let expected = format!(
        "50000 rows read, {products_expected} products written ({products_expected} listed), {folded} variants folded, {skipped} rows skipped"
    );
    assert!(stdout.contains(&expected), "{expected}\n{stdout}");
    assert_eq!(
        problem_lines(&stdout).first(),
        Some(&251),
        "row 250 (line 251) has no price\n{stdout}"
    );
    assert!(
        stdout.contains(&format!("… and {} more", skipped - 20)),
        "{stdout}"
    );
    let all = products(&out);
    assert_eq!(all.len(), products_expected);
    let shirt = product(&all, "S00007");
    assert_eq!(shirt["sizes"], json!(["L", "M", "S", "XL"]));
    assert_eq!(shirt["colors"].as_array().map(Vec::len), Some(4));
    assert_eq!(shirt["variants"].as_array().map(Vec::len), Some(4));
    assert_eq!(shirt["description"], "Cotton shirt & more, model 7");
    let questions = std::fs::read_to_string(out.join("questions/shirts.yaml")).expect("advisor");
    assert!(
        questions.contains("id: budget") && questions.contains("id: gender"),
        "{questions}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
