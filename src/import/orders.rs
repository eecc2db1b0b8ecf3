//! `advisor import-orders`: turns a shop's order export (CSV with a header, e.g. Shopify's orders
//! export or Magento's / WooCommerce's, or JSON Lines with `order_id` and `items` /
//! `product_ids`) into the orders file the catalogue's `relations.orders` reads:
//! `order_id,product_id`, one line per product of an order, sorted, each product once per order.
//! Variant SKUs map to their product through `--variant-sku-path`; lines whose product the
//! catalogue does not know are dropped and reported with their lines. It only writes `--out`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;

use crate::catalog::ORDERS_HEADER;
use crate::catalog::config::{self, CatalogConfig};

/// Turn a shop's order export into the catalogue's orders file (`order_id,product_id`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The order export: CSV with a header, or JSON Lines.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Where to write the orders file.
    #[arg(long, value_name = "FILE", default_value = "catalog/orders.csv")]
    pub out: PathBuf,
    /// The column (or JSON key) with the order id (default: guessed, e.g. `Name`, `order_id`).
    #[arg(long, value_name = "NAME")]
    pub order_column: Option<String>,
    /// The column (or item key) with the product id or SKU (default: guessed, e.g. `Lineitem sku`).
    #[arg(long, value_name = "NAME")]
    pub product_column: Option<String>,
    /// Where product records list their variants' SKUs, e.g. `variants.sku`: those map to the
    /// product too.
    #[arg(long, value_name = "PATH")]
    pub variant_sku_path: Option<String>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Order id columns of common exports (Shopify, Magento, WooCommerce, ours), compared ignoring case.
const ORDER_COLUMNS: [&str; 7] = [
    "order_id",
    "Name",
    "increment_id",
    "Order Number",
    "order_number",
    "Order ID",
    "order",
];
/// Product columns of common exports, compared ignoring case.
const PRODUCT_COLUMNS: [&str; 6] = [
    "product_id",
    "Lineitem sku",
    "sku",
    "Product ID",
    "product_sku",
    "item_sku",
];
/// Item keys of a JSON Lines order's `items`.
const ITEM_KEYS: [&str; 2] = ["product_id", "sku"];

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub orders: usize,
    /// Lines written (one per product of an order).
    pub lines: usize,
    pub products: usize,
    /// Lines of the export dropped because the catalogue does not know their product.
    pub unknown_lines: usize,
    /// Each unknown product id or SKU with its first line and how many lines name it.
    pub unknown: Vec<(String, u64, usize)>,
}

/// Runs the import for the catalogue in `catalog` and prints the summary.
pub fn run(args: Args, catalog: &Path) -> anyhow::Result<ExitCode> {
    if args.out.exists() && !args.force {
        anyhow::bail!(
            "{} exists; pass --force to overwrite it",
            args.out.display()
        );
    }
    let known = known_ids(catalog, args.variant_sku_path.as_deref())?;
    let input = std::fs::File::open(&args.input)
        .with_context(|| format!("opening {}", args.input.display()))?;
    let (orders, summary) = read(std::io::BufReader::new(input), &args, &known)
        .with_context(|| format!("reading {}", args.input.display()))?;
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    write(&args.out, &orders).with_context(|| format!("writing {}", args.out.display()))?;
    println!("{}", report(&summary, &args.out));
    Ok(ExitCode::SUCCESS)
}

/// Every id and variant SKU of the catalogue, with the product id it stands for.
fn known_ids(
    catalog: &Path,
    variant_skus: Option<&str>,
) -> anyhow::Result<HashMap<String, String>> {
    let file = catalog.join(config::CONFIG_FILE);
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    // The orders file may not exist yet: this command writes it.
    let (config, _) = config::check_source(&file, &text, |_| true)
        .map_err(|problems| anyhow::anyhow!("{}", problems.render()))?;
    let products = std::fs::File::open(&config.data_file)
        .with_context(|| format!("reading {}", config.data_file.display()))?;
    products_ids(&config, std::io::BufReader::new(products), variant_skus)
}

fn products_ids(
    config: &CatalogConfig,
    products: impl BufRead,
    variant_skus: Option<&str>,
) -> anyhow::Result<HashMap<String, String>> {
    let variant_path: Vec<&str> = variant_skus.map_or(Vec::new(), |p| p.split('.').collect());
    let mut known = HashMap::new();
    for line in products.lines() {
        let line = line?;
        let Ok(record) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let Some(id) = config.id.get(&record).and_then(text) else {
            continue;
        };
        if !variant_path.is_empty() {
            for sku in at_path(&record, &variant_path) {
                known.entry(sku).or_insert_with(|| id.clone());
            }
        }
        known.insert(id.clone(), id);
    }
    Ok(known)
}

/// The texts at a dotted path, going through lists on the way.
fn at_path(value: &Value, path: &[&str]) -> Vec<String> {
    match (value, path.split_first()) {
        (Value::Array(items), _) => items.iter().flat_map(|i| at_path(i, path)).collect(),
        (_, None) => text(value).into_iter().collect(),
        (Value::Object(map), Some((key, rest))) => {
            map.get(*key).map_or(Vec::new(), |v| at_path(v, rest))
        }
        _ => Vec::new(),
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads the export: per order, its products (catalogue ids).
fn read(
    mut input: impl BufRead,
    args: &Args,
    known: &HashMap<String, String>,
) -> anyhow::Result<(BTreeMap<String, BTreeSet<String>>, Summary)> {
    let first = input
        .fill_buf()?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let mut rows: Vec<(u64, String, String)> = Vec::new();
    if first == Some(b'{') {
        read_json_lines(input, args, &mut rows)?;
    } else {
        read_csv(input, args, &mut rows)?;
    }
    let mut orders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut summary = Summary::default();
    let mut unknown: HashMap<String, usize> = HashMap::new();
    for (line, order, product) in rows {
        match known.get(&product) {
            Some(id) => {
                orders.entry(order).or_default().insert(id.clone());
            }
            None => {
                summary.unknown_lines += 1;
                match unknown.get(&product) {
                    Some(index) => summary.unknown[*index].2 += 1,
                    None => {
                        unknown.insert(product.clone(), summary.unknown.len());
                        summary.unknown.push((product, line, 1));
                    }
                }
            }
        }
    }
    summary.orders = orders.len();
    summary.lines = orders.values().map(BTreeSet::len).sum();
    summary.products = orders.values().flatten().collect::<BTreeSet<_>>().len();
    Ok((orders, summary))
}

fn read_csv(
    input: impl BufRead,
    args: &Args,
    rows: &mut Vec<(u64, String, String)>,
) -> anyhow::Result<()> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header: Vec<String> = csv
        .headers()?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let order = column(
        &header,
        args.order_column.as_deref(),
        &ORDER_COLUMNS,
        "order",
    )?;
    let product = column(
        &header,
        args.product_column.as_deref(),
        &PRODUCT_COLUMNS,
        "product",
    )?;
    for record in csv.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        let (Some(o), Some(p)) = (record.get(order), record.get(product)) else {
            continue;
        };
        if !o.trim().is_empty() && !p.trim().is_empty() {
            rows.push((line, o.trim().to_string(), p.trim().to_string()));
        }
    }
    Ok(())
}

/// The position of the named column, or of the first common one the header has.
fn column(
    header: &[String],
    named: Option<&str>,
    common: &[&str],
    what: &str,
) -> anyhow::Result<usize> {
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    match named {
        Some(name) => find(name).with_context(|| {
            format!(
                "the export has no column `{name}`; its columns: {}",
                header.join(", ")
            )
        }),
        None => common.iter().find_map(|name| find(name)).with_context(|| {
            format!(
                "no {what} column found among {}; name it with --{what}-column",
                header.join(", ")
            )
        }),
    }
}

fn read_json_lines(
    input: impl BufRead,
    args: &Args,
    rows: &mut Vec<(u64, String, String)>,
) -> anyhow::Result<()> {
    let order_key = args.order_column.as_deref().unwrap_or("order_id");
    for (index, line) in input.lines().enumerate() {
        let line = line?;
        let number = index as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = serde_json::from_str(&line)
            .with_context(|| format!("line {number} is not valid JSON"))?;
        let order = record
            .get(order_key)
            .and_then(text)
            .with_context(|| format!("line {number} has no `{order_key}`"))?;
        let items = record.get("items").and_then(Value::as_array);
        let ids = record.get("product_ids").and_then(Value::as_array);
        let products = items.into_iter().flatten().filter_map(|item| match item {
            Value::Object(map) => match args.product_column.as_deref() {
                Some(key) => map.get(key).and_then(text),
                None => ITEM_KEYS
                    .iter()
                    .find_map(|key| map.get(*key).and_then(text)),
            },
            other => text(other),
        });
        for product in products.chain(ids.into_iter().flatten().filter_map(text)) {
            rows.push((number, order.clone(), product));
        }
    }
    Ok(())
}

fn write(out: &Path, orders: &BTreeMap<String, BTreeSet<String>>) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_path(out)?;
    csv.write_record(ORDERS_HEADER)?;
    for (order, products) in orders {
        for product in products {
            csv.write_record([order, product])?;
        }
    }
    csv.flush()?;
    Ok(())
}

fn report(summary: &Summary, out: &Path) -> String {
    let mut text = format!(
        "{} order(s), {} line(s), {} product(s) written to {}",
        summary.orders,
        summary.lines,
        summary.products,
        out.display()
    );
    if summary.unknown_lines > 0 {
        text.push_str(&format!(
            "\n{} line(s) dropped: {} product id(s) or SKU(s) not in the catalogue",
            summary.unknown_lines,
            summary.unknown.len()
        ));
        for (id, line, lines) in summary.unknown.iter().take(10) {
            text.push_str(&format!("\n  `{id}`: line {line} ({lines} line(s))"));
        }
        if summary.unknown.len() > 10 {
            text.push_str(&format!("\n  … and {} more", summary.unknown.len() - 10));
        }
    }
    text.push_str(
        "\nnext: name the file in catalog.yaml, `relations: { orders: orders.csv }`, and run `advisor check`",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(order: Option<&str>, product: Option<&str>) -> Args {
        Args {
            input: PathBuf::from("orders.csv"),
            out: PathBuf::from("out.csv"),
            order_column: order.map(str::to_string),
            product_column: product.map(str::to_string),
            variant_sku_path: None,
            force: false,
        }
    }

    fn known() -> HashMap<String, String> {
        let (config, _) = config::check_source(
            Path::new("shop/catalog.yaml"),
            "products: p.jsonl\ncurrency: USD\nid: id\ntitle: name\nprice: price\n",
            |_| true,
        )
        .expect("config");
        let products = "{\"id\":\"MH01\",\"variants\":[{\"sku\":\"MH01-S-Black\"},{\"sku\":\"MH01-M-Black\"}]}\n{\"id\":\"24-MB01\"}\n";
        products_ids(&config, products.as_bytes(), Some("variants.sku")).expect("ids")
    }

    #[test]
    fn shopify_exports_map_variant_skus_and_deduplicate() {
        let export = "Name,Email,Lineitem quantity,Lineitem sku\n#1002,a@x,1,MH01-S-Black\n#1002,,1,MH01-M-Black\n#1002,,2,24-MB01\n#1001,b@x,1,NOPE-1\n#1001,,1,24-MB01\n";
        let (orders, summary) = read(export.as_bytes(), &args(None, None), &known()).expect("read");
        let written: Vec<(&str, Vec<&str>)> = orders
            .iter()
            .map(|(o, p)| (o.as_str(), p.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            written,
            [
                ("#1001", vec!["24-MB01"]),
                ("#1002", vec!["24-MB01", "MH01"])
            ]
        );
        assert_eq!(summary.orders, 2);
        assert_eq!(summary.lines, 3);
        assert_eq!(summary.products, 2);
        assert_eq!(summary.unknown, [("NOPE-1".to_string(), 5, 1)]);
    }

    #[test]
    fn magento_columns_are_found_and_named_columns_win() {
        let export = "increment_id,SKU,qty\n000001,MH01,1\n000001,24-MB01,1\n";
        let (orders, _) = read(export.as_bytes(), &args(None, None), &known()).expect("read");
        assert_eq!(orders["000001"].len(), 2);
        let error = read(export.as_bytes(), &args(Some("order"), None), &known())
            .expect_err("no such column");
        assert!(error.to_string().contains("no column `order`"), "{error}");
    }

    #[test]
    fn json_lines_with_items_or_product_ids() {
        let export = "{\"order_id\":\"A\",\"items\":[{\"sku\":\"MH01-S-Black\"},{\"product_id\":\"24-MB01\"}]}\n\n{\"order_id\":7,\"product_ids\":[\"MH01\",\"gone\"]}\n";
        let (orders, summary) = read(export.as_bytes(), &args(None, None), &known()).expect("read");
        assert_eq!(orders["A"].len(), 2);
        assert_eq!(orders["7"].len(), 1);
        assert_eq!(summary.unknown, [("gone".to_string(), 3, 1)]);
    }
}
