//! `advisor import`: turns the files shops already have (a Google Merchant Center feed, a Shopify
//! product CSV, or any CSV / JSON Lines file with a column mapping) into a catalogue the advisor
//! accepts as it is: `catalog/products.jsonl`, a commented starter `catalog/catalog.yaml` and,
//! on request, a starter question file.
//!
//! Parsers turn rows into `Item`s and report bad rows with their line; `fold` makes one
//! product of the variants of a group; `plan` decides the fields and facets; the writers put out
//! the files. It reads and writes files but never serves, and never touches the editor files of
//! the running shop unless told to write there (`--out`, `--force`).

mod advisor;
mod catalog_file;
pub mod cli;
mod detect;
mod fold;
mod generic;
mod google;
mod google_tsv;
mod google_xml;
mod html;
mod item;
mod mapping;
pub mod orders;
mod output;
mod plan;
mod price;
mod progress;
mod record;
mod run;
mod shopify;
mod summary;
mod table;
mod texts;
mod urls;
mod xml_item;

pub use detect::Format;
pub use item::Problem;
pub use run::run;
pub use summary::Summary;

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

/// What to import and where to.
#[derive(Debug, Clone)]
pub struct Options {
    /// The feed or export.
    pub input: PathBuf,
    /// Guessed from the file when `None`.
    pub format: Option<Format>,
    /// Column mapping for generic CSV and JSON Lines.
    pub mapping: Option<PathBuf>,
    /// The catalogue's currency when the prices do not name one (or to choose among several).
    pub currency: Option<String>,
    /// Language of the texts (stemming) and of the starter question file.
    pub language: String,
    /// Also write a starter question file `questions/NAME.yaml`.
    pub advisor: Option<String>,
    /// Folder to write `catalog/` (and `questions/`) into.
    pub out: PathBuf,
    /// Overwrite existing files.
    pub force: bool,
    /// Show a progress bar on stderr when it is a terminal.
    pub progress: bool,
}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input cannot be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output file cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The input is not a feed of the (given or guessed) format at all.
    #[error("{} is not a {format}: {reason}", path.display())]
    NotAFeed {
        path: PathBuf,
        format: &'static str,
        reason: String,
    },
    /// No `--format` and the file does not say what it is.
    #[error(
        "cannot tell the format of {}; pass --format google, shopify, csv or jsonl",
        .0.display()
    )]
    UnknownFormat(PathBuf),
    /// Generic CSV and JSON Lines need a mapping file.
    #[error(
        "--format {0} needs --mapping FILE (see docs/catalogue.md, \"Importing a product feed\")"
    )]
    MappingRequired(&'static str),
    /// The mapping file has problems (each with its line).
    #[error("the mapping file has problems:\n{}", .0.render())]
    Mapping(Diagnostics),
    /// A command-line value is not usable.
    #[error("{0}")]
    Usage(String),
    /// The prices name no currency and `--currency` was not given.
    #[error("the prices carry no currency; pass --currency (e.g. --currency EUR)")]
    NoCurrency,
    /// An output file exists and `--force` was not given.
    #[error("{} already exists; pass --force to overwrite it", .0.display())]
    Exists(PathBuf),
    /// Every row was skipped; the summary lists why.
    #[error("nothing was imported: {} row(s) read, none usable", .0.rows_read)]
    NothingImported(Box<Summary>),
    /// The written files do not load cleanly: a bug in the importer.
    #[error("the written files do not pass the advisor's own check (please report this):\n{0}")]
    SelfCheck(String),
}
