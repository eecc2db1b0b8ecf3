//! Any CSV or JSON Lines file, read through a [`Mapping`]: the mapped columns become an
//! [`Item`]; in JSON Lines a column may be a dotted path (`brand.name`) and a list is several
//! values.

use std::io::{BufRead, Read};

use serde_json::Value;

use super::html;
use super::item::{Availability, Item, Parsed, Problems};
use super::mapping::{Column, Mapping};
use super::price;
use super::progress::Progress;
use super::table::Table;
use crate::diagnostics::Diagnostics;

/// Why a generic input cannot be read at all.
pub enum Unreadable {
    /// Not a CSV file with a header.
    Input(String),
    /// The mapping names columns the header does not have.
    Mapping(Diagnostics),
}

/// Reads a CSV file with a header row.
pub fn parse_csv(
    input: impl Read,
    mapping: &Mapping,
    progress: &Progress,
) -> Result<Parsed, Unreadable> {
    let table = Table::open(input, mapping.delimiter).map_err(Unreadable::Input)?;
    mapping
        .check_header(&table.header)
        .map_err(Unreadable::Mapping)?;
    let header = table.header.clone();
    let mut parsed = Parsed::default();
    table.for_each_row(&mut parsed, progress, |line, cells, parsed| {
        let get = |column: &Column| -> Vec<String> {
            header
                .iter()
                .position(|h| *h == column.name)
                .map(|at| cells[at].trim().to_string())
                .filter(|value| !value.is_empty())
                .into_iter()
                .collect()
        };
        if let Some(item) = item(line, &get, mapping, &mut parsed.problems) {
            parsed.items.push(item);
        }
    });
    Ok(parsed)
}

/// Reads JSON Lines: one object per line, blank lines ignored.
pub fn parse_jsonl(
    input: impl BufRead,
    mapping: &Mapping,
    progress: &Progress,
) -> Result<Parsed, Unreadable> {
    let mut parsed = Parsed::default();
    let mut bytes = 0u64;
    for (index, text) in input.lines().enumerate() {
        let text = text.map_err(|e| Unreadable::Input(e.to_string()))?;
        let line = index as u64 + 1;
        bytes += text.len() as u64 + 1;
        if text.trim().is_empty() {
            continue;
        }
        parsed.rows_read += 1;
        if parsed.rows_read.is_multiple_of(1024) {
            progress.set(bytes);
        }
        let record: Value = match serde_json::from_str(&text) {
            Ok(record @ Value::Object(_)) => record,
            Ok(_) => {
                parsed.problems.skip(line, "the line is not a JSON object");
                continue;
            }
            Err(error) => {
                parsed
                    .problems
                    .skip(line, format!("the line is not valid JSON: {error}"));
                continue;
            }
        };
        let get = |column: &Column| -> Vec<String> {
            let value = column
                .name
                .split('.')
                .try_fold(&record, |value, key| value.get(key));
            match value {
                Some(Value::Array(items)) => items.iter().filter_map(text_of).collect(),
                Some(value) => text_of(value).into_iter().collect(),
                None => Vec::new(),
            }
        };
        if let Some(item) = item(line, &get, mapping, &mut parsed.problems) {
            parsed.items.push(item);
        }
    }
    Ok(parsed)
}

fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// The item for one row, or `None` after reporting why it is skipped.
fn item(
    line: u64,
    get: &dyn Fn(&Column) -> Vec<String>,
    mapping: &Mapping,
    problems: &mut Problems,
) -> Option<Item> {
    let first = |column: &Column| get(column).into_iter().next();
    let optional = |column: &Option<Column>| column.as_ref().and_then(first);
    let Some(id) = first(&mapping.id) else {
        problems.skip(line, format!("the row has no id in `{}`", mapping.id.name));
        return None;
    };
    let Some(title) = first(&mapping.title) else {
        problems.skip(
            line,
            format!("`{id}` has no title in `{}`", mapping.title.name),
        );
        return None;
    };
    let raw_price = first(&mapping.price).unwrap_or_default();
    let Some(mut price) = price::parse(&raw_price) else {
        let what = if raw_price.is_empty() {
            format!("no price in `{}`", mapping.price.name)
        } else {
            format!("`{raw_price}` is not a price")
        };
        problems.skip(line, format!("`{id}`: {what}"));
        return None;
    };
    if let Some(code) = optional(&mapping.currency) {
        if !price::is_currency_code(&code) {
            problems.skip(line, format!("`{id}`: `{code}` is not a currency code"));
            return None;
        }
        price.currency = Some(code.to_ascii_uppercase());
    }
    let mut item = Item {
        line,
        group: optional(&mapping.group),
        title,
        description: optional(&mapping.description).map(|d| html::strip(&d)),
        link: optional(&mapping.link),
        image: optional(&mapping.image),
        price,
        ..Item::default()
    };
    if let Some(raw) = optional(&mapping.availability) {
        item.availability = Availability::parse(&raw).unwrap_or_else(|| {
            problems.note(
                Some(line),
                format!("`{id}`: unknown availability `{raw}`; taken as in stock"),
            );
            Availability::Unknown
        });
    }
    if let Some((column, values)) = &mapping.listed {
        item.unlisted = !first(column).is_some_and(|v| values.contains(&v));
    }
    for facet in &mapping.facets {
        for value in get(&facet.column) {
            match &facet.separator {
                Some(separator) => item.add(&facet.name, value.split(separator.as_str())),
                None => item.add(&facet.name, [value]),
            }
        }
    }
    for number in &mapping.numbers {
        let Some(raw) = first(&number.column) else {
            continue;
        };
        match parse_number(&raw) {
            Some(value) => {
                item.numbers.insert(number.name.clone(), value);
            }
            None => problems.note(
                Some(line),
                format!(
                    "`{id}`: `{raw}` in `{}` is not a number; left out",
                    number.column.name
                ),
            ),
        }
    }
    item.id = id;
    Some(item)
}

/// `4.5`, `4,5`, `-10`: a decimal comma is accepted when there is no point.
fn parse_number(raw: &str) -> Option<f64> {
    let raw = raw.trim();
    let normal = if raw.contains('.') {
        raw.to_string()
    } else {
        raw.replace(',', ".")
    };
    normal.parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> Mapping {
        let dir = std::env::temp_dir().join(format!("advisor-generic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(format!("m{}.yaml", text.len()));
        std::fs::write(&file, text).expect("write");
        let mapping = Mapping::load(&file).unwrap_or_else(|p| panic!("{}", p.render()));
        std::fs::remove_file(&file).ok();
        mapping
    }

    #[test]
    fn csv_rows_become_items_through_the_mapping() {
        let mapping = mapping(
            "delimiter: \";\"\nid: sku\ntitle: name\nprice: price\nlisted: {column: state, values: [on]}\nfacets:\n  - {column: tags, separator: \"|\"}\nnumbers:\n  - column: rating\n",
        );
        let csv = "sku;name;price;state;tags;rating\nA;Apple;1,50;on;red|sweet;4,5\nB;Bean;2.00;off;;x\nC;;1.00;on;;\n";
        let parsed = parse_csv(csv.as_bytes(), &mapping, &Progress::hidden())
            .unwrap_or_else(|_| panic!("readable"));
        assert_eq!(parsed.rows_read, 3);
        let apple = &parsed.items[0];
        assert_eq!(apple.price.amount, 1.5);
        assert_eq!(apple.attributes["tags"], ["red", "sweet"]);
        assert_eq!(apple.numbers["rating"], 4.5);
        assert!(!apple.unlisted && parsed.items[1].unlisted);
        let problems: Vec<_> = parsed
            .problems
            .list
            .iter()
            .map(|p| (p.line, p.skipped))
            .collect();
        assert_eq!(problems, [(Some(3), false), (Some(4), true)]);
    }

    #[test]
    fn json_lines_read_dotted_paths_and_lists() {
        let mapping = mapping(
            "id: sku\ntitle: name\nprice: offer.price\ncurrency: offer.currency\nfacets:\n  - {column: cats, name: category}\n",
        );
        let jsonl = "{\"sku\": 7, \"name\": \"Kite\", \"offer\": {\"price\": 30, \"currency\": \"usd\"}, \"cats\": [\"Toys\", \"Outdoor\"]}\n\n{oops\n";
        let parsed = parse_jsonl(jsonl.as_bytes(), &mapping, &Progress::hidden())
            .unwrap_or_else(|_| panic!("readable"));
        assert_eq!(parsed.rows_read, 2, "the blank line is no row");
        let kite = &parsed.items[0];
        assert_eq!(kite.id, "7");
        assert_eq!(kite.price.currency.as_deref(), Some("USD"));
        assert_eq!(kite.attributes["category"], ["Toys", "Outdoor"]);
        assert_eq!(parsed.problems.list[0].line, Some(3));
    }
}
