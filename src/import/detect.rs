//! Which reader an input needs: from `--format` when given, else from the file's first bytes
//! and its extension. Google feeds come as TSV or XML, told apart by their first character.

use std::io::Read;
use std::path::Path;

use super::ImportError;

/// The kinds of file `advisor import` reads (the `--format` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Google Merchant Center product data: TSV with a header row, or RSS/Atom XML.
    Google,
    /// Shopify's product CSV export.
    Shopify,
    /// Any CSV file, read through `--mapping`.
    Csv,
    /// Any JSON Lines file, read through `--mapping`.
    Jsonl,
}

/// The reader to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    GoogleTsv,
    GoogleXml,
    Shopify,
    Csv,
    Jsonl,
}

impl Input {
    /// The format as the report names it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::GoogleTsv => "Google Merchant Center feed, TSV",
            Self::GoogleXml => "Google Merchant Center feed, XML",
            Self::Shopify => "Shopify product CSV",
            Self::Csv => "CSV with a mapping",
            Self::Jsonl => "JSON Lines with a mapping",
        }
    }
}

/// The reader for this file.
pub fn input(path: &Path, format: Option<Format>, mapped: bool) -> Result<Input, ImportError> {
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)
        .and_then(|file| file.take(8192).read_to_end(&mut head))
        .map_err(|source| ImportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}');
    let first_char = text.trim_start().chars().next();
    let first_line = text.lines().next().unwrap_or_default().to_lowercase();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let require_mapping = |input: Input, name: &'static str| {
        if mapped {
            Ok(input)
        } else {
            Err(ImportError::MappingRequired(name))
        }
    };
    match format {
        Some(Format::Google) if first_char == Some('<') => Ok(Input::GoogleXml),
        Some(Format::Google) => Ok(Input::GoogleTsv),
        Some(Format::Shopify) => Ok(Input::Shopify),
        Some(Format::Csv) => require_mapping(Input::Csv, "csv"),
        Some(Format::Jsonl) => require_mapping(Input::Jsonl, "jsonl"),
        None if mapped => Ok(
            if first_char == Some('{') || matches!(extension.as_str(), "jsonl" | "ndjson") {
                Input::Jsonl
            } else {
                Input::Csv
            },
        ),
        None if first_char == Some('<') => Ok(Input::GoogleXml),
        None if first_line.contains("handle") && first_line.contains("variant") => {
            Ok(Input::Shopify)
        }
        None if first_line.contains('\t') => Ok(Input::GoogleTsv),
        None if first_char == Some('{') => Err(ImportError::MappingRequired("jsonl")),
        None if extension == "csv" => Err(ImportError::MappingRequired("csv")),
        None => Err(ImportError::UnknownFormat(path.to_path_buf())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(name: &str, text: &str, mapped: bool) -> Result<Input, ImportError> {
        let dir = std::env::temp_dir().join(format!("advisor-detect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(name);
        std::fs::write(&file, text).expect("write");
        let found = input(&file, None, mapped);
        std::fs::remove_file(&file).ok();
        found
    }

    #[test]
    fn tells_the_formats_apart_by_their_first_bytes() {
        let tsv = guess("feed.txt", "id\ttitle\tprice\n", false);
        assert_eq!(tsv.ok(), Some(Input::GoogleTsv));
        let xml = guess("feed", "\u{feff}<?xml version=\"1.0\"?><rss/>", false);
        assert_eq!(xml.ok(), Some(Input::GoogleXml));
        let shopify = guess("products_export.csv", "Handle,Title,Variant Price\n", false);
        assert_eq!(shopify.ok(), Some(Input::Shopify));
        let jsonl = guess("p.jsonl", "{\"sku\": 1}\n", true);
        assert_eq!(jsonl.ok(), Some(Input::Jsonl));
        let csv = guess("p.csv", "sku;name\n", true);
        assert_eq!(csv.ok(), Some(Input::Csv));
    }

    #[test]
    fn a_plain_csv_without_mapping_asks_for_one() {
        let found = guess("p.csv", "sku,name\n", false);
        assert!(matches!(found, Err(ImportError::MappingRequired("csv"))));
    }
}
