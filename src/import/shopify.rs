//! Shopify's product CSV export: one row per variant, grouped by `Handle`; the product's columns
//! (title, body, vendor, options' names …) only on the group's first row; rows with only a
//! `Handle` and an `Image Src` add images. Each variant row becomes an [`Item`] whose group is
//! the handle, so folding makes one product per handle.

use std::collections::BTreeMap;
use std::io::Read;

use super::html;
use super::item::{Item, Parsed, snake_case};
use super::price;
use super::progress::Progress;
use super::table::Table;

/// Reads every row; `Err` when the input is not a Shopify product CSV.
pub fn parse(input: impl Read, progress: &Progress) -> Result<Parsed, String> {
    let table = Table::open(input, b',')?;
    let columns = Columns::new(&table.header);
    if columns.handle.is_none() || columns.title.is_none() {
        return Err("the header has no `Handle` and `Title` columns".into());
    }
    let mut parsed = Parsed::default();
    let mut handles: BTreeMap<String, Handle> = BTreeMap::new();
    table.for_each_row(&mut parsed, progress, |line, cells, parsed| {
        row(&columns, line, &cells, &mut handles, parsed);
    });
    for (name, handle) in handles {
        finish(name, handle, &mut parsed);
    }
    Ok(parsed)
}

/// Adds one row to its handle: product columns, an image, a variant (or a skipped row).
fn row(
    columns: &Columns,
    line: u64,
    cells: &[String],
    handles: &mut BTreeMap<String, Handle>,
    parsed: &mut Parsed,
) {
    let cell = |column: Option<usize>| column.map_or("", |c| cells[c].trim());
    let handle_name = cell(columns.handle);
    if handle_name.is_empty() {
        parsed.problems.skip(line, "the row has no `Handle`");
        return;
    }
    let handle = handles
        .entry(handle_name.to_string())
        .or_insert_with(|| Handle {
            first_line: line,
            ..Handle::default()
        });
    handle.rows += 1;
    if handle.product.is_none() && !cell(columns.title).is_empty() {
        handle.product = Some(product(columns, cells, line));
    }
    let image = cell(columns.image);
    if !image.is_empty() {
        let position = cell(columns.image_position).parse().unwrap_or(u32::MAX);
        handle.images.push((position, image.to_string()));
    }
    let is_variant = [columns.price, columns.sku, columns.option_values[0]]
        .iter()
        .any(|c| !cell(*c).is_empty());
    if !is_variant {
        return;
    }
    let raw_price = cell(columns.price);
    let Some(amount) = price::parse(raw_price) else {
        let message = if raw_price.is_empty() {
            format!("variant of `{handle_name}` has no `Variant Price`")
        } else {
            format!("variant of `{handle_name}`: `{raw_price}` is not a price")
        };
        parsed.problems.skip(line, message);
        return;
    };
    let compare_at = price::parse(cell(columns.compare_at)).map(|m| m.amount);
    let mut variant = Item {
        line,
        sku: Some(cell(columns.sku).to_string()).filter(|s| !s.is_empty()),
        gtin: Some(cell(columns.barcode).to_string()).filter(|s| !s.is_empty()),
        image: Some(cell(columns.variant_image).to_string()).filter(|s| !s.is_empty()),
        regular_price: compare_at.filter(|c| *c > amount.amount),
        price: amount,
        ..Item::default()
    };
    if let Some(grams) = cell(columns.grams).parse::<f64>().ok().filter(|g| *g > 0.0) {
        variant.numbers.insert("weight_grams".into(), grams);
    }
    let options = columns.option_values.map(|c| cell(c).to_string());
    handle.variants.push((variant, options));
}

/// Where each known column is in the header (names compared without case).
struct Columns {
    handle: Option<usize>,
    title: Option<usize>,
    body: Option<usize>,
    vendor: Option<usize>,
    category: Option<usize>,
    kind: Option<usize>,
    tags: Option<usize>,
    published: Option<usize>,
    status: Option<usize>,
    option_names: [Option<usize>; 3],
    option_values: [Option<usize>; 3],
    sku: Option<usize>,
    grams: Option<usize>,
    price: Option<usize>,
    compare_at: Option<usize>,
    barcode: Option<usize>,
    image: Option<usize>,
    image_position: Option<usize>,
    variant_image: Option<usize>,
    /// `Google Shopping / Gender` and its kind, by attribute name.
    google: Vec<(String, usize)>,
}

impl Columns {
    fn new(header: &[String]) -> Self {
        let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let option = |n: usize, part: &str| find(&format!("Option{n} {part}"));
        let google = header
            .iter()
            .enumerate()
            .filter_map(|(at, h)| {
                let rest = h.strip_prefix("Google Shopping / ")?;
                let name = snake_case(rest);
                let wanted = matches!(name.as_str(), "gender" | "age_group" | "condition")
                    || name.starts_with("custom_label_");
                wanted.then_some((name, at))
            })
            .collect();
        Self {
            handle: find("Handle"),
            title: find("Title"),
            body: find("Body (HTML)"),
            vendor: find("Vendor"),
            category: find("Product Category"),
            kind: find("Type"),
            tags: find("Tags"),
            published: find("Published"),
            status: find("Status"),
            option_names: [option(1, "Name"), option(2, "Name"), option(3, "Name")],
            option_values: [option(1, "Value"), option(2, "Value"), option(3, "Value")],
            sku: find("Variant SKU"),
            grams: find("Variant Grams"),
            price: find("Variant Price"),
            compare_at: find("Variant Compare At Price"),
            barcode: find("Variant Barcode"),
            image: find("Image Src"),
            image_position: find("Image Position"),
            variant_image: find("Variant Image"),
            google,
        }
    }
}

/// What a handle's first row says about the whole product.
#[derive(Default)]
struct ProductColumns {
    title: String,
    description: Option<String>,
    listed: bool,
    option_names: [String; 3],
    /// Attributes shared by every variant.
    attributes: Item,
}

/// The rows of one handle so far.
#[derive(Default)]
struct Handle {
    first_line: u64,
    rows: usize,
    product: Option<ProductColumns>,
    /// Image URLs with their `Image Position`.
    images: Vec<(u32, String)>,
    /// Each variant with its three option values.
    variants: Vec<(Item, [String; 3])>,
}

fn product(columns: &Columns, cells: &[String], line: u64) -> ProductColumns {
    let cell = |column: Option<usize>| column.map_or("", |c| cells[c].trim());
    let mut shared = Item {
        line,
        ..Item::default()
    };
    shared.add("brand", [cell(columns.vendor)]);
    shared.add("product_type", [cell(columns.kind)]);
    shared.add_paths("category", std::iter::once(cell(columns.category)));
    shared.add("tags", cell(columns.tags).split(','));
    for (name, at) in &columns.google {
        shared.add(name, [cells[*at].trim()]);
    }
    let status = cell(columns.status).to_ascii_lowercase();
    ProductColumns {
        title: cell(columns.title).to_string(),
        description: Some(html::strip(cell(columns.body))).filter(|d| !d.is_empty()),
        listed: (status.is_empty() || status == "active")
            && !cell(columns.published).eq_ignore_ascii_case("false"),
        option_names: columns.option_names.map(|c| cell(c).to_string()),
        attributes: shared,
    }
}

/// Turns a handle's variant rows into items with the product's shared columns.
fn finish(handle: String, mut group: Handle, parsed: &mut Parsed) {
    let Some(product) = group.product else {
        parsed.problems.skip(
            group.first_line,
            format!("`{handle}` has no `Title` (the product's columns belong on its first row)"),
        );
        parsed.problems.rows_skipped += group.rows.saturating_sub(1);
        return;
    };
    group.images.sort_by_key(|(position, _)| *position);
    let images: Vec<String> = group.images.into_iter().map(|(_, url)| url).collect();
    for (index, (mut variant, options)) in group.variants.into_iter().enumerate() {
        variant.id = variant
            .sku
            .clone()
            .unwrap_or_else(|| format!("{handle}-{}", index + 1));
        variant.group = Some(handle.clone());
        variant.title = product.title.clone();
        variant.description = product.description.clone();
        variant.unlisted = !product.listed;
        let main = variant.image.take().or_else(|| images.first().cloned());
        variant.more_images = images
            .iter()
            .filter(|u| Some(*u) != main.as_ref())
            .cloned()
            .collect();
        variant.image = main;
        for (name, value) in product.option_names.iter().zip(&options) {
            if name.is_empty() || (name == "Title" && value == "Default Title") {
                continue;
            }
            variant.add(&option_attribute(name), [value]);
        }
        for (name, values) in &product.attributes.attributes {
            variant.add(name, values);
        }
        parsed.items.push(variant);
    }
}

/// `Color`/`Colour` and `Size` are the colour and size facets; other options keep their name
/// (`option` when nothing of it is left in a-z and 0-9).
fn option_attribute(name: &str) -> String {
    match snake_case(name).as_str() {
        "color" | "colour" | "farbe" | "couleur" => "color".into(),
        "size" | "grosse" | "taille" => "size".into(),
        "" => "option".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Price,Variant Compare At Price,Image Src,Image Position,Status
tee,Basic Tee,<p>Soft <em>cotton</em></p>,Acme,Shirts,\"summer, basics\",true,Colour,Red,Size,M,TEE-R-M,20.00,25.00,https://cdn.example/tee.jpg,1,active
tee,,,,,,,,Red,,L,TEE-R-L,22.00,,,,
tee,,,,,,,,,,,,,,https://cdn.example/tee-2.jpg,2,
tee,,,,,,,,Blue,,M,TEE-B-M,abc,,,,
mug,Mug,,Acme,Kitchen,,false,Title,Default Title,,,MUG-1,9.00,,,,draft
,,,,,,,,,,,,,,,,
orphan,,,,,,,,Green,,S,ORPH-1,5.00,,,,
";

    #[test]
    fn variant_rows_share_the_first_rows_product_columns() {
        let parsed = parse(CSV.as_bytes(), &Progress::hidden()).expect("a Shopify CSV");
        assert_eq!(parsed.rows_read, 7);
        let ids: Vec<&str> = parsed.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["MUG-1", "TEE-R-M", "TEE-R-L"]);
        let tee_l = &parsed.items[2];
        assert_eq!(tee_l.title, "Basic Tee");
        assert_eq!(tee_l.group.as_deref(), Some("tee"));
        assert_eq!(tee_l.description.as_deref(), Some("Soft cotton"));
        assert_eq!(tee_l.attributes["color"], ["Red"]);
        assert_eq!(tee_l.attributes["size"], ["L"]);
        assert_eq!(tee_l.attributes["tags"], ["summer", "basics"]);
        assert_eq!(tee_l.image.as_deref(), Some("https://cdn.example/tee.jpg"));
        assert_eq!(tee_l.more_images, ["https://cdn.example/tee-2.jpg"]);
        assert_eq!(parsed.items[1].regular_price, Some(25.0));
        let mug = &parsed.items[0];
        assert!(mug.unlisted, "a draft is not listed");
        assert!(
            !mug.attributes.contains_key("title"),
            "Default Title is no option"
        );
        let lines: Vec<_> = parsed.problems.list.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(5), Some(7), Some(8)]);
        assert_eq!(parsed.problems.rows_skipped, 3);
    }

    #[test]
    fn other_csv_files_are_not_shopify_exports() {
        assert!(parse("id,name\n1,x\n".as_bytes(), &Progress::hidden()).is_err());
    }
}
