//! The `advisor import` command line: its arguments, the report on stdout and the exit code
//! (0 when something was imported, even with skipped rows).

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Format, ImportError, Options};

/// Turn a Google Merchant Center feed, a Shopify product CSV or a mapped CSV / JSON Lines file
/// into `catalog/` (and a starter advisor).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The feed or export to read.
    pub input: PathBuf,
    /// Input format (default: guessed from the file).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Column mapping (YAML) for `csv` and `jsonl`; see docs/catalogue.md, "Importing a product feed".
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Currency of the catalogue, e.g. EUR (default: the one the prices name).
    #[arg(long)]
    pub currency: Option<String>,
    /// Language of the product texts and of the starter advisor: en, de, fr, es, it, nl, pt.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Also write a starter question file `questions/NAME.yaml`.
    #[arg(long, value_name = "NAME")]
    pub advisor: Option<String>,
    /// Folder to write `catalog/` (and `questions/`) into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

/// Runs the import and prints what it did.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = Options {
        input: args.input,
        format: args.format,
        mapping: args.mapping,
        currency: args.currency,
        language: args.language,
        advisor: args.advisor,
        out: args.out,
        force: args.force,
        progress: true,
    };
    match super::run(&options) {
        Ok(summary) => {
            print_out(&format!("{summary}\n{}\n", next_steps(&options)));
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::NothingImported(summary)) => {
            print_out(&summary.to_string());
            anyhow::bail!(
                "nothing was imported: every one of {} row(s) was skipped",
                summary.rows_read
            )
        }
        Err(error) => Err(error.into()),
    }
}

/// What to do with the files: a folder the advisor can check and serve as it is.
fn next_steps(options: &Options) -> String {
    let out = options.out.display();
    let questions = match &options.advisor {
        Some(name) => format!("refine {out}/questions/{name}.yaml (questions/README.md), "),
        None => format!(
            "write {out}/questions/<advisor>.yaml (or import again with --advisor NAME --force), "
        ),
    };
    let chat = options.advisor.as_deref().unwrap_or("<advisor>");
    format!(
        "next: {questions}then, from the folder with the shop's `templates/` (which needs a \
         `templates/{language}/` folder):\n  \
         export ADVISOR__PATHS__CATALOG={out}/catalog ADVISOR__PATHS__QUESTIONS={out}/questions\n  \
         advisor check && advisor chat {chat}    # then `advisor serve`",
        language = options.language
    )
}

/// Prints the report; a closed pipe (`advisor import … | head`) is not worth a panic.
fn print_out(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
}
