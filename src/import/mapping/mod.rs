//! The mapping file for generic CSV and JSON Lines imports: which column is the id, title,
//! price …, which columns are facets (with an optional separator for several values in one
//! cell) and which are numbers. Read with positions, so every problem names its line.
//!
//! ```yaml
//! id: sku
//! title: name
//! price: price            # "15.00", "15,00 EUR", "EUR 15.00"
//! currency: currency      # optional: a column with the ISO code
//! facets:
//!   - column: colour
//!     name: color
//!     separator: "|"
//! numbers:
//!   - column: rating
//! ```

mod raw;

use std::path::{Path, PathBuf};

use super::item::snake_case;
use super::plan::RESERVED;
use crate::diagnostics::{Diagnostic, Diagnostics, closest, known_list};
use crate::ids::QuestionId;
use crate::yaml::{self, Spanned, error_at};
use raw::RawMapping;

/// A checked mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub file: PathBuf,
    pub id: Column,
    pub title: Column,
    pub price: Column,
    pub description: Option<Column>,
    pub currency: Option<Column>,
    pub link: Option<Column>,
    pub image: Option<Column>,
    pub group: Option<Column>,
    pub availability: Option<Column>,
    /// Listed when this column holds one of the values.
    pub listed: Option<(Column, Vec<String>)>,
    /// CSV only: the field separator (default `,`).
    pub delimiter: u8,
    pub facets: Vec<FacetColumn>,
    pub numbers: Vec<NumberColumn>,
}

/// A column name (a key, or a dotted path into JSON objects) and where the mapping names it.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    line: u64,
    column: u64,
}

#[derive(Debug, Clone)]
pub struct FacetColumn {
    pub column: Column,
    /// The facet's name in `catalog.yaml` and question files.
    pub name: String,
    /// Splits one cell into several values.
    pub separator: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NumberColumn {
    pub column: Column,
    pub name: String,
}

impl Mapping {
    /// Reads and checks the mapping file; `Err` holds every problem found.
    pub fn load(file: &Path) -> Result<Self, Diagnostics> {
        let one = |d: Diagnostic| {
            let mut all = Diagnostics::default();
            all.push(d);
            all
        };
        let text = std::fs::read_to_string(file).map_err(|error| {
            one(Diagnostic::error(
                file,
                format!("cannot read the mapping file: {error}"),
            ))
        })?;
        let raw: RawMapping = yaml::parse(file, &text).map_err(one)?;
        let mut problems = Diagnostics::default();
        let mut names: Vec<String> = Vec::new();
        let mut name_of = |column: &Spanned<String>,
                           given: Option<&Spanned<String>>,
                           problems: &mut Diagnostics| {
            let name =
                given.map_or_else(|| snake_case(&column.value), |g| g.value.trim().to_string());
            let at = given.unwrap_or(column);
            if QuestionId::parse(&name).is_err() {
                problems.push(
                    error_at(file, at, format!("`{name}` is not a valid name"))
                        .hint("names use a-z, 0-9, `_` and `-`; set `name:` for this column"),
                );
            } else if RESERVED.contains(&name.as_str()) {
                problems.push(
                    error_at(
                        file,
                        at,
                        format!("the name `{name}` is used by the importer"),
                    )
                    .hint(format!(
                        "choose another `name:`; reserved: {}",
                        known_list(RESERVED)
                    )),
                );
            } else if names.contains(&name) {
                problems.push(error_at(
                    file,
                    at,
                    format!("the name `{name}` is used twice"),
                ));
            }
            names.push(name.clone());
            name
        };
        let facets = raw
            .facets
            .iter()
            .map(|f| FacetColumn {
                name: name_of(&f.column, f.name.as_ref(), &mut problems),
                column: Column::from(&f.column),
                separator: f.separator.clone().filter(|s| !s.is_empty()),
            })
            .collect();
        let numbers = raw
            .numbers
            .iter()
            .map(|n| NumberColumn {
                name: name_of(&n.column, n.name.as_ref(), &mut problems),
                column: Column::from(&n.column),
            })
            .collect();
        let delimiter = match &raw.delimiter {
            None => b',',
            Some(d) => match d.value.as_bytes() {
                [byte] => *byte,
                _ if d.value == "\\t" => b'\t',
                _ => {
                    problems.push(
                        error_at(file, d, "the delimiter is one character")
                            .hint("e.g. `delimiter: \";\"` or `delimiter: \"\\t\"` for tabs"),
                    );
                    b','
                }
            },
        };
        if let (Some(availability), Some(_)) = (&raw.availability, &raw.listed) {
            problems.push(
                error_at(file, availability, "give `availability` or `listed`, not both")
                    .hint("`availability` reads in_stock/out_of_stock; `listed` names the values that list a product"),
            );
        }
        let optional = |c: &Option<Spanned<String>>| c.as_ref().map(Column::from);
        let mapping = Mapping {
            file: file.to_path_buf(),
            id: Column::from(&raw.id),
            title: Column::from(&raw.title),
            price: Column::from(&raw.price),
            description: optional(&raw.description),
            currency: optional(&raw.currency),
            link: optional(&raw.link),
            image: optional(&raw.image),
            group: optional(&raw.group),
            availability: optional(&raw.availability),
            listed: raw
                .listed
                .as_ref()
                .map(|l| (Column::from(&l.value.column), l.value.values.clone())),
            delimiter,
            facets,
            numbers,
        };
        if problems.has_errors() {
            Err(problems)
        } else {
            Ok(mapping)
        }
    }

    /// Every column the mapping reads.
    pub fn columns(&self) -> Vec<&Column> {
        let mut all = vec![&self.id, &self.title, &self.price];
        all.extend(
            [
                &self.description,
                &self.currency,
                &self.link,
                &self.image,
                &self.group,
                &self.availability,
            ]
            .into_iter()
            .flatten(),
        );
        all.extend(self.listed.iter().map(|(c, _)| c));
        all.extend(self.facets.iter().map(|f| &f.column));
        all.extend(self.numbers.iter().map(|n| &n.column));
        all
    }

    /// Checks the columns against a CSV header: each must be there.
    pub fn check_header(&self, header: &[String]) -> Result<(), Diagnostics> {
        let mut problems = Diagnostics::default();
        for column in self.columns() {
            if !header.iter().any(|h| h == &column.name) {
                let mut hint = format!(
                    "the header has {}",
                    known_list(header.iter().map(String::as_str))
                );
                if let Some(near) = closest(&column.name, header.iter().map(String::as_str)) {
                    hint = format!("did you mean `{near}`? {hint}");
                }
                problems.push(
                    Diagnostic::error(
                        &self.file,
                        format!("no column `{}` in the input", column.name),
                    )
                    .at(column.line, column.column)
                    .hint(hint),
                );
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

impl From<&Spanned<String>> for Column {
    fn from(spanned: &Spanned<String>) -> Self {
        Self {
            name: spanned.value.trim().to_string(),
            line: spanned.referenced.line(),
            column: spanned.referenced.column(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Mapping, Diagnostics> {
        let dir = std::env::temp_dir().join(format!("advisor-mapping-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(format!("m{}.yaml", text.len()));
        std::fs::write(&file, text).expect("write");
        let result = Mapping::load(&file);
        std::fs::remove_file(&file).ok();
        result
    }

    #[test]
    fn reads_columns_facets_and_numbers_with_default_names() {
        let mapping = load(
            "id: sku\ntitle: name\nprice: price\ndelimiter: \";\"\nfacets:\n  - column: Colour Family\n    separator: \"|\"\n  - {column: brand, name: maker}\nnumbers:\n  - column: rating\n",
        )
        .expect("a good mapping");
        assert_eq!(mapping.delimiter, b';');
        let names: Vec<&str> = mapping.facets.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["colour_family", "maker"]);
        assert_eq!(mapping.facets[0].separator.as_deref(), Some("|"));
        assert_eq!(mapping.numbers[0].name, "rating");
        let header: Vec<String> = ["sku", "name", "price", "Colour Family", "brnd", "rating"]
            .map(String::from)
            .to_vec();
        let problems = mapping.check_header(&header).expect_err("brand is missing");
        let first = problems.iter().next().expect("one problem");
        assert_eq!(first.line, Some(8));
        assert!(
            first
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("did you mean `brnd`"))
        );
    }

    #[test]
    fn refuses_unknown_keys_reserved_and_repeated_names() {
        let unknown = load("id: a\ntitle: b\nprice: c\ncolour: d\n").expect_err("unknown key");
        assert_eq!(unknown.iter().next().and_then(|d| d.line), Some(4));
        let reserved = load("id: a\ntitle: b\nprice: c\nfacets:\n  - {column: x, name: price}\n  - {column: y, name: y}\nnumbers:\n  - {column: z, name: y}\n")
            .expect_err("bad names");
        let lines: Vec<_> = reserved.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(5), Some(8)]);
    }
}
