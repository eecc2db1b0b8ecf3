//! Google Merchant Center feeds as tab-separated text: a header row of attribute names (any
//! case, with or without `g:`), one item per row, repeated attributes comma-separated in one
//! cell, product details as `section:attribute:value`.

use std::io::Read;

use super::google::{self, Fields, REPEATED};
use super::item::Parsed;
use super::progress::Progress;
use super::table::Table;

/// Reads every row; `Err` when the input is not a Google TSV feed at all.
pub fn parse(input: impl Read, progress: &Progress) -> Result<Parsed, String> {
    let table = Table::open(input, b'\t')?;
    let names: Vec<String> = table
        .header
        .iter()
        .map(|name| google::attribute_name(name))
        .collect();
    if !names.iter().any(|n| n == "id") {
        return Err(format!(
            "the header has no `id` column (found {})",
            table.header.join(", ")
        ));
    }
    let mut parsed = Parsed::default();
    table.for_each_row(&mut parsed, progress, |line, cells, parsed| {
        let mut fields = Fields::default();
        for (name, cell) in names.iter().zip(&cells) {
            if name == "product_detail" {
                cell.split(',').for_each(|d| fields.push_detail_text(d));
            } else if REPEATED.contains(&name.as_str()) {
                cell.split(',').for_each(|value| fields.push(name, value));
            } else {
                fields.push(name, cell);
            }
        }
        if let Some(item) = google::item(line, &fields, &mut parsed.problems) {
            parsed.items.push(item);
        }
    });
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_items_and_reports_bad_rows_by_line() {
        let feed = "g:ID\tTitle\tPrice\tAvailability\tItem Group ID\tColor\tadditional_image_link\n\
                    A-1\tTee\t10.00 EUR\tin stock\tA\tRed\thttps://x.example/1.jpg,https://x.example/2.jpg\n\
                    A-2\t\t10.00 EUR\tin stock\tA\tBlue\t\n\
                    A-3\tTee\tcheap\tin stock\tA\tGreen\t\n\
                    A-4\tTee\t12.00 EUR\n";
        let parsed = parse(feed.as_bytes(), &Progress::hidden()).expect("a feed");
        assert_eq!(parsed.rows_read, 4);
        assert_eq!(parsed.items.len(), 1);
        let item = &parsed.items[0];
        assert_eq!(
            (item.id.as_str(), item.group.as_deref()),
            ("A-1", Some("A"))
        );
        assert_eq!(item.more_images.len(), 2);
        let lines: Vec<_> = parsed.problems.list.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(5)]);
        assert_eq!(parsed.problems.rows_skipped, 3);
    }

    #[test]
    fn a_file_without_an_id_column_is_not_a_feed() {
        let error = parse("name\tprice\nx\t1\n".as_bytes(), &Progress::hidden());
        assert!(error.is_err_and(|e| e.contains("no `id` column")));
    }
}
