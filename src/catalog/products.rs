//! Reading the product file (JSON Lines, one product per line) into the product model, with a
//! diagnostic naming the line for every record that cannot be used. Nothing is skipped silently.

use serde_json::Value;

use super::config::{CatalogConfig, ConfigPositions, FieldPath};
use super::store::{Products, Row};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ids::ProductId;

/// Reads every line; returns the products or every problem found. Each product is handed to
/// `index` with its texts as it is read, so the texts are never all held in memory.
pub fn load(
    config: &CatalogConfig,
    positions: &ConfigPositions,
    add_to_index: impl FnMut(u32, &Row<'_>, Vec<String>) -> Result<(), String>,
) -> Result<Products, Diagnostics> {
    // Line by line: a large file is never held in memory as a whole.
    let reader = std::io::BufReader::with_capacity(
        1 << 20,
        std::fs::File::open(&config.data_file).map_err(|e| unreadable(config, e))?,
    );
    read(config, positions, reader, add_to_index)
}

/// Reads the products from `reader` (the content of the config's product file), as [`load`]
/// does from the file.
pub fn read(
    config: &CatalogConfig,
    positions: &ConfigPositions,
    mut reader: impl std::io::BufRead,
    mut add_to_index: impl FnMut(u32, &Row<'_>, Vec<String>) -> Result<(), String>,
) -> Result<Products, Diagnostics> {
    let file = config.data_file.as_path();
    let mut problems = Diagnostics::default();
    let unreadable = |error: std::io::Error| unreadable(config, error);
    let mut raw_line = String::new();
    let mut index = 0usize;
    let mut products = Products::new(
        config.numbers.len(),
        config.facets.len(),
        &config.id,
        config.image_url.as_ref(),
        config.product_url.as_ref(),
    );
    let mut seen_paths: Vec<bool> = vec![false; positions.fields.len()];
    loop {
        raw_line.clear();
        if std::io::BufRead::read_line(&mut reader, &mut raw_line).map_err(unreadable)? == 0 {
            break;
        }
        index += 1;
        let line = index as u64;
        let raw_line = raw_line.trim_end_matches(['\n', '\r']);
        if raw_line.trim().is_empty() {
            continue;
        }
        let record: Value = match serde_json::from_str(raw_line) {
            Ok(record @ Value::Object(_)) => record,
            Ok(_) => {
                problems.push(
                    Diagnostic::error(file, "this line is not a JSON object")
                        .at_line(line)
                        .hint("each line holds one product as `{\"id\": …, …}`"),
                );
                continue;
            }
            Err(error) => {
                problems.push(
                    Diagnostic::error(file, "this line is not valid JSON")
                        .at(line, error.column() as u64)
                        .detail(error.to_string())
                        .hint("each line holds one complete JSON object; no line breaks inside a product"),
                );
                continue;
            }
        };
        for (seen, (path, _, _)) in seen_paths.iter_mut().zip(&positions.fields) {
            *seen |= path.get(&record).is_some_and(|v| !v.is_null());
        }
        match read_product(config, &record, line) {
            Ok((row, texts)) => {
                let ordinal = products.len() as u32;
                if let Err(error) = add_to_index(ordinal, &row, texts) {
                    problems.push(Diagnostic::error(
                        file,
                        format!("cannot index the products: {error}"),
                    ));
                    break;
                }
                products.push(row);
            }
            Err(messages) => {
                for (message, hint) in messages {
                    problems.push(Diagnostic::error(file, message).at_line(line).hint(hint));
                }
            }
        }
    }
    for (id, first_line, line) in products.finish() {
        problems.push(
            Diagnostic::error(file, "a product id is used twice")
                .at_line(line)
                .detail(format!("`{id}` was first used on line {first_line}"))
                .hint("ids must be unique"),
        );
    }
    if products.is_empty() && !problems.has_errors() {
        problems.push(Diagnostic::error(
            file,
            "the product file holds no products",
        ));
    }
    if !products.is_empty() {
        for (seen, (path, line, column)) in seen_paths.iter().zip(&positions.fields) {
            if !seen {
                problems.push(
                    Diagnostic::error(
                        &config.file,
                        format!("no product has a value for the field `{}`", path.display()),
                    )
                    .at(*line, *column)
                    .hint("check the field name against the product file"),
                );
            }
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(products)
    }
}

fn unreadable(config: &CatalogConfig, error: std::io::Error) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(Diagnostic::error(
        &config.data_file,
        format!("cannot read the product file: {error}"),
    ));
    all
}

type Problems = Vec<(String, String)>;

fn read_product<'a>(
    config: &CatalogConfig,
    record: &'a Value,
    line: u64,
) -> Result<(Row<'a>, Vec<String>), Problems> {
    let mut problems: Problems = Vec::new();
    let id = match config.id.get(record).and_then(scalar_text) {
        Some(raw) => ProductId::parse(&raw),
        None => None,
    };
    if id.is_none() {
        problems.push((
            format!("the product has no usable id in `{}`", config.id.display()),
            "every product needs a non-empty text or number id".into(),
        ));
    }
    let title = config
        .title
        .get(record)
        .and_then(scalar_text)
        .filter(|t| !t.trim().is_empty());
    if title.is_none() {
        problems.push((
            format!("the product has no title in `{}`", config.title.display()),
            "every product needs a non-empty title".into(),
        ));
    }
    let price = number(&config.price, record, &mut problems);
    let numbers = config
        .numbers
        .iter()
        .map(|n| number(&n.path, record, &mut problems))
        .collect();
    let facets = config
        .facets
        .iter()
        .map(|facet| facet_values(&facet.path, facet.multi, record, &mut problems))
        .collect();
    let texts = config
        .texts
        .iter()
        .map(|t| match t.path.get(record) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join("\n"),
            Some(value) => scalar_text(value).unwrap_or_default(),
            None => String::new(),
        })
        .collect();
    let listed = config.listed.as_ref().is_none_or(|rule| {
        rule.path
            .get(record)
            .and_then(scalar_text)
            .is_some_and(|value| rule.values.contains(&value))
    });
    match (id, title) {
        (Some(id), Some(title)) if problems.is_empty() => Ok((
            Row {
                id,
                group: config
                    .group
                    .as_ref()
                    .and_then(|g| g.get(record))
                    .and_then(scalar_text)
                    .filter(|g| !g.trim().is_empty()),
                title,
                price,
                numbers,
                facets,
                listed,
                record,
                line,
            },
            texts,
        )),
        _ => Err(problems),
    }
}

fn number(path: &FieldPath, record: &Value, problems: &mut Problems) -> Option<f64> {
    match path.get(record) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64().filter(|f| f.is_finite()),
        Some(other) => {
            problems.push((
                format!(
                    "`{}` must be a number, found {}",
                    path.display(),
                    kind(other)
                ),
                "write numbers without quotes or currency, e.g. 49.90".into(),
            ));
            None
        }
    }
}

fn facet_values(
    path: &FieldPath,
    multi: bool,
    record: &Value,
    problems: &mut Problems,
) -> Vec<String> {
    let mut values = match path.get(record) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if multi => {
            let mut values = Vec::new();
            for item in items {
                match scalar_text(item) {
                    Some(text) => values.push(text),
                    None if item.is_null() => {}
                    None => problems.push((
                        format!("`{}` holds {}, expected texts", path.display(), kind(item)),
                        "a multi-valued facet is a list of texts, numbers or booleans".into(),
                    )),
                }
            }
            values
        }
        Some(Value::Array(_)) => {
            problems.push((
                format!(
                    "`{}` is a list but the facet is single-valued",
                    path.display()
                ),
                "set `multi: true` for this facet in catalog.yaml".into(),
            ));
            Vec::new()
        }
        Some(value) => match scalar_text(value) {
            Some(text) => vec![text],
            None => {
                problems.push((
                    format!("`{}` must be a text, found {}", path.display(), kind(value)),
                    "facet values are texts, numbers or booleans".into(),
                ));
                Vec::new()
            }
        },
    };
    values.retain(|v| !v.trim().is_empty());
    values.sort();
    values.dedup();
    values
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Checks the loader against a small file written on the spot.
#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).expect("write test file");
    }

    #[test]
    fn reports_every_bad_line_with_its_number() {
        let dir = std::env::temp_dir().join(format!("advisor-products-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        write(
            &dir,
            "catalog.yaml",
            "products: p.jsonl\ncurrency: EUR\nid: id\ntitle: name\nprice: price\nfacets:\n  - name: color\n    multi: true\n",
        );
        write(
            &dir,
            "p.jsonl",
            "{\"id\":\"a\",\"name\":\"A\",\"price\":1,\"color\":[\"red\"]}\n{broken\n{\"id\":\"b\",\"name\":\"B\",\"price\":\"9 EUR\"}\n{\"id\":\"a\",\"name\":\"A again\",\"price\":2}\n",
        );
        let (config, positions) =
            super::super::config::load(&dir.join("catalog.yaml")).expect("config");
        let problems = load(&config, &positions, |_, _, _| Ok(())).expect_err("bad lines");
        let lines: Vec<Option<u64>> = problems.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(4)]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
