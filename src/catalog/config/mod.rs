//! The catalogue config file (`catalog/catalog.yaml`): which record fields are the id, title,
//! texts, price, numbers and facets, which products are listed, and how URLs are built.
//!
//! This is the only place that knows a shop's field names, and it learns them from the file.

use std::path::{Path, PathBuf};

mod raw;
mod relations;

pub(crate) use raw::RawConfig;
pub use relations::{RelationKind, RelationList, RelationsConfig};

use super::url::UrlTemplate;
use crate::diagnostics::{Diagnostic, Diagnostics, known_list};
use crate::yaml::{self, Spanned, error_at};

/// Name of the config file inside the catalogue folder.
pub const CONFIG_FILE: &str = "catalog.yaml";

/// The reserved name under which question files refer to the price.
pub const PRICE: &str = "price";

/// The validated catalogue config.
#[derive(Debug, Clone)]
pub struct CatalogConfig {
    /// The config file itself, for diagnostics.
    pub file: PathBuf,
    /// The JSON Lines file with one product per line.
    pub data_file: PathBuf,
    pub language: TextLanguage,
    /// ISO 4217 code of every price in the catalogue.
    pub currency: String,
    pub id: FieldPath,
    pub title: FieldPath,
    pub texts: Vec<TextField>,
    pub price: FieldPath,
    pub numbers: Vec<NumberField>,
    pub facets: Vec<FacetField>,
    pub listed: Option<ListedRule>,
    /// Products with the same value here are variants of one product (e.g. `item_group_id`);
    /// a shortlist shows one of them.
    pub group: Option<FieldPath>,
    pub image_url: Option<UrlTemplate>,
    pub product_url: Option<UrlTemplate>,
    /// "Goes well with": the shop's product lists and the orders file, if configured.
    pub relations: Option<RelationsConfig>,
}

/// A dotted path into a product record (`brand.name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath(pub(super) Vec<String>);

impl FieldPath {
    pub(super) fn parse(raw: &str) -> Option<Self> {
        let parts: Vec<String> = raw.split('.').map(str::to_string).collect();
        parts
            .iter()
            .all(|p| !p.trim().is_empty())
            .then_some(Self(parts))
    }

    /// The value at this path, if the record has one.
    pub fn get<'a>(&self, record: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        self.0.iter().try_fold(record, |value, key| value.get(key))
    }

    pub fn display(&self) -> String {
        self.0.join(".")
    }
}

/// A searchable free-text field.
#[derive(Debug, Clone)]
pub struct TextField {
    pub name: String,
    pub path: FieldPath,
    pub language: TextLanguage,
    /// Typed words found in it filter the candidates instead of only ranking them.
    pub filter: bool,
}

/// A numeric field that question files can filter on with ranges.
#[derive(Debug, Clone)]
pub struct NumberField {
    pub name: String,
    pub path: FieldPath,
    /// Words customers write after an amount of it ("cm", "kg"): "under 9 kg" is a range on it.
    pub units: Vec<String>,
}

/// An enumerated attribute that question files filter and count on.
#[derive(Debug, Clone)]
pub struct FacetField {
    pub name: String,
    pub path: FieldPath,
    /// Whether a product may have several values (a JSON array).
    pub multi: bool,
}

/// Only products whose field holds one of these values are listed (recommended).
#[derive(Debug, Clone)]
pub struct ListedRule {
    pub path: FieldPath,
    pub values: Vec<String>,
}

/// Languages with a stemmer and stop words for text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLanguage {
    English,
    German,
    French,
    Spanish,
    Italian,
    Dutch,
    Portuguese,
}

impl TextLanguage {
    const CODES: [(&'static str, TextLanguage); 7] = [
        ("en", TextLanguage::English),
        ("de", TextLanguage::German),
        ("fr", TextLanguage::French),
        ("es", TextLanguage::Spanish),
        ("it", TextLanguage::Italian),
        ("nl", TextLanguage::Dutch),
        ("pt", TextLanguage::Portuguese),
    ];

    fn parse(code: &str) -> Option<Self> {
        Self::CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, language)| *language)
    }

    pub fn code(self) -> &'static str {
        Self::CODES
            .iter()
            .find(|(_, language)| *language == self)
            .map_or("en", |(code, _)| code)
    }
}

/// Where each configured field path was written, so record checks can point back at the config.
#[derive(Debug, Clone, Default)]
pub struct ConfigPositions {
    pub fields: Vec<(FieldPath, u64, u64)>,
}

/// Reads and checks the config file. Record-level checks happen in the product loader.
pub fn load(file: &Path) -> Result<(CatalogConfig, ConfigPositions), Diagnostics> {
    let text = std::fs::read_to_string(file).map_err(|error| {
        let mut all = Diagnostics::default();
        all.push(
            Diagnostic::error(file, format!("cannot read the catalogue config: {error}"))
                .hint("the catalogue folder must contain `catalog.yaml`; see docs/catalogue.md"),
        );
        all
    })?;
    check_source(file, &text, Path::is_file)
}

/// Parses and checks the text of the config file `file`, as [`load`] does after reading it.
/// `product_file_exists` answers whether the product file (and the orders file) it names exists
/// (the file system for [`load`]; an in-memory catalogue says yes).
pub fn check_source(
    file: &Path,
    text: &str,
    product_file_exists: impl Fn(&Path) -> bool,
) -> Result<(CatalogConfig, ConfigPositions), Diagnostics> {
    let mut problems = Diagnostics::default();
    let raw: RawConfig = yaml::parse(file, text).map_err(|d| {
        let mut all = Diagnostics::default();
        all.push(d);
        all
    })?;
    let mut positions = ConfigPositions::default();
    let mut path_of = |spanned: &Spanned<String>, problems: &mut Diagnostics| -> FieldPath {
        field_path(file, spanned, problems, &mut positions)
    };

    let language = match &raw.language {
        None => TextLanguage::English,
        Some(code) => language_or_report(file, code, &mut problems),
    };
    let texts = raw
        .text
        .iter()
        .map(|t| TextField {
            name: t.field.value.replace('.', "_"),
            path: path_of(&t.field, &mut problems),
            language: t.language.as_ref().map_or(language, |code| {
                language_or_report(file, code, &mut problems)
            }),
            filter: t.filter,
        })
        .collect();

    let mut names: Vec<(String, u64)> = vec![(PRICE.to_string(), raw.price.referenced.line())];
    let mut check_name = |spanned: &Spanned<String>, problems: &mut Diagnostics| {
        let name = &spanned.value;
        if crate::ids::QuestionId::parse(name).is_err() {
            problems.push(
                error_at(file, spanned, format!("`{name}` is not a valid name"))
                    .hint("names use a-z, 0-9, `_` and `-` (question files refer to them)"),
            );
        } else if let Some((_, line)) = names.iter().find(|(n, _)| n == name) {
            problems.push(
                error_at(file, spanned, format!("the name `{name}` is used twice")).hint(format!(
                    "it is already used on line {line}; `price` is reserved for the price"
                )),
            );
        } else {
            names.push((name.clone(), spanned.referenced.line()));
        }
    };

    let numbers = raw
        .numbers
        .iter()
        .map(|n| {
            check_name(&n.name, &mut problems);
            NumberField {
                name: n.name.value.clone(),
                path: path_of(n.field.as_ref().unwrap_or(&n.name), &mut problems),
                units: n.units.clone(),
            }
        })
        .collect();
    let facets: Vec<FacetField> = raw
        .facets
        .iter()
        .map(|f| {
            check_name(&f.name, &mut problems);
            FacetField {
                name: f.name.value.clone(),
                path: path_of(f.field.as_ref().unwrap_or(&f.name), &mut problems),
                multi: f.multi,
            }
        })
        .collect();

    let currency = raw.currency.value.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        problems.push(
            error_at(
                file,
                &raw.currency,
                format!("`{}` is not a currency code", raw.currency.value),
            )
            .hint("use an ISO 4217 code such as `EUR` or `USD`"),
        );
    }

    let url =
        |spanned: &Option<Spanned<String>>, problems: &mut Diagnostics| {
            let spanned = spanned.as_ref()?;
            match UrlTemplate::parse(&spanned.value) {
                Ok(template) => Some((template, spanned.referenced)),
                Err(message) => {
                    problems.push(error_at(file, spanned, message).hint(
                        "write placeholders as `{field}`, e.g. `https://shop.example/p/{id}`",
                    ));
                    None
                }
            }
        };
    let image_url = url(&raw.image_url, &mut problems);
    let product_url = url(&raw.product_url, &mut problems);
    let relations = raw.relations.as_ref().map(|r| {
        relations::check(
            file,
            r,
            &facets,
            &product_file_exists,
            &mut path_of,
            &mut problems,
        )
    });

    let config = CatalogConfig {
        file: file.to_path_buf(),
        data_file: file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(&raw.products.value),
        language,
        currency,
        id: path_of(&raw.id, &mut problems),
        title: path_of(&raw.title, &mut problems),
        texts,
        price: path_of(&raw.price, &mut problems),
        numbers,
        facets,
        listed: raw.listed.as_ref().map(|l| ListedRule {
            path: path_of(&l.field, &mut problems),
            values: l.values.clone(),
        }),
        group: raw.group.as_ref().map(|g| path_of(g, &mut problems)),
        image_url: image_url.as_ref().map(|(t, _)| t.clone()),
        product_url: product_url.as_ref().map(|(t, _)| t.clone()),
        relations,
    };
    for (template, location) in image_url.iter().chain(product_url.iter()) {
        for path in template.fields() {
            positions
                .fields
                .push((path.clone(), location.line(), location.column()));
        }
    }
    if !product_file_exists(&config.data_file) {
        problems.push(
            error_at(
                file,
                &raw.products,
                format!(
                    "the product file `{}` does not exist",
                    config.data_file.display()
                ),
            )
            .hint("`products` is a path relative to the catalogue folder"),
        );
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok((config, positions))
    }
}

fn field_path(
    file: &Path,
    spanned: &Spanned<String>,
    problems: &mut Diagnostics,
    positions: &mut ConfigPositions,
) -> FieldPath {
    let path = FieldPath::parse(&spanned.value).unwrap_or_else(|| {
        problems.push(error_at(
            file,
            spanned,
            format!("`{}` is not a field path", spanned.value),
        ));
        FieldPath(vec![spanned.value.clone()])
    });
    positions.fields.push((
        path.clone(),
        spanned.referenced.line(),
        spanned.referenced.column(),
    ));
    path
}

fn language_or_report(
    file: &Path,
    code: &Spanned<String>,
    problems: &mut Diagnostics,
) -> TextLanguage {
    TextLanguage::parse(code.value.trim()).unwrap_or_else(|| {
        problems.push(
            error_at(
                file,
                code,
                format!("no text analysis for language `{}`", code.value),
            )
            .hint(format!(
                "supported languages: {}",
                known_list(TextLanguage::CODES.iter().map(|(c, _)| *c))
            )),
        );
        TextLanguage::English
    })
}
