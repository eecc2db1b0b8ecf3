//! One import from start to end: check the options, read the input with the right reader,
//! settle the currency, fold variants, plan the catalogue, write the files and check them.

use std::collections::BTreeMap;
use std::io::BufReader;

use super::detect::{self, Input};
use super::fold::{self, Product};
use super::generic::{self, Unreadable};
use super::item::{Item, Parsed, Problems};
use super::mapping::Mapping;
use super::output::{Output, PRODUCTS};
use super::plan::{Plan, Verdict};
use super::progress::Progress;
use super::summary::Summary;
use super::texts::{LANGUAGES, Texts};
use super::{
    ImportError, Options, advisor, catalog_file, google_tsv, google_xml, price, record, shopify,
};
use crate::ids::AdvisorId;

/// Runs the import described by `options`.
pub fn run(options: &Options) -> Result<Summary, ImportError> {
    let texts = Texts::new(&options.language).ok_or_else(|| {
        ImportError::Usage(format!(
            "--language {} has no text analysis; use one of {}",
            options.language,
            LANGUAGES.join(", ")
        ))
    })?;
    let currency = match &options.currency {
        Some(code) if price::is_currency_code(code) => Some(code.to_ascii_uppercase()),
        Some(code) => {
            return Err(ImportError::Usage(format!(
                "--currency {code} is not an ISO 4217 code such as EUR"
            )));
        }
        None => None,
    };
    if let Some(name) = &options.advisor {
        AdvisorId::parse(name).map_err(|e| ImportError::Usage(format!("--advisor: {e}")))?;
    }
    let output = Output::new(&options.out, options.advisor.as_deref());
    output.check_free(options.force)?;
    let mapping = options
        .mapping
        .as_deref()
        .map(Mapping::load)
        .transpose()
        .map_err(ImportError::Mapping)?;
    let input = detect::input(&options.input, options.format, mapping.is_some())?;
    let progress = Progress::new(
        std::fs::metadata(&options.input).map_or(0, |m| m.len()),
        options.progress,
    );
    let parsed = read(options, input, mapping.as_ref(), &progress);
    progress.finish();
    let Parsed {
        mut items,
        rows_read,
        mut problems,
    } = parsed?;
    // Without a usable row there is no currency to settle; the summary says what went wrong.
    let currency = if items.is_empty() {
        String::new()
    } else {
        settle_currency(&mut items, currency, &mut problems)?
    };
    let (products, variants_folded) = fold::fold(items, &mut problems);
    // Rows skipped after reading (folding, currency) are reported in input order too.
    problems.list.sort_by_key(|problem| problem.line);
    let mut summary = Summary {
        input: options.input.clone(),
        format: input.describe().to_string(),
        rows_read,
        products: products.len(),
        listed: products.iter().filter(|p| p.available).count(),
        variants_folded,
        rows_skipped: problems.rows_skipped,
        problems: problems.list,
        ..Summary::default()
    };
    if products.is_empty() {
        return Err(ImportError::NothingImported(Box::new(summary)));
    }
    let plan = Plan::new(&products);
    let source = format!(
        "{} ({})",
        options
            .input
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        input.describe()
    );
    write(
        &output,
        &products,
        &plan,
        texts,
        &currency,
        &source,
        &mut summary,
    )?;
    let questions = output
        .questions
        .as_ref()
        .is_some_and(|file| summary.written.contains(file));
    output.check(&products, questions)?;
    Ok(summary)
}

fn read(
    options: &Options,
    input: Input,
    mapping: Option<&Mapping>,
    progress: &Progress,
) -> Result<Parsed, ImportError> {
    let path = &options.input;
    let unreadable = |source| ImportError::Read {
        path: path.clone(),
        source,
    };
    let not_a_feed = |reason: String| ImportError::NotAFeed {
        path: path.clone(),
        format: input.describe(),
        reason,
    };
    let file = || {
        std::fs::File::open(path)
            .map(BufReader::new)
            .map_err(unreadable)
    };
    let generic = |result: Result<Parsed, Unreadable>| {
        result.map_err(|error| match error {
            Unreadable::Input(reason) => not_a_feed(reason),
            Unreadable::Mapping(problems) => ImportError::Mapping(problems),
        })
    };
    match (input, mapping) {
        (Input::GoogleTsv, _) => google_tsv::parse(file()?, progress).map_err(not_a_feed),
        (Input::GoogleXml, _) => {
            let bytes = std::fs::read(path).map_err(unreadable)?;
            google_xml::parse(&String::from_utf8_lossy(&bytes), progress).map_err(not_a_feed)
        }
        (Input::Shopify, _) => shopify::parse(file()?, progress).map_err(not_a_feed),
        (Input::Csv, Some(mapping)) => generic(generic::parse_csv(file()?, mapping, progress)),
        (Input::Jsonl, Some(mapping)) => generic(generic::parse_jsonl(file()?, mapping, progress)),
        (Input::Csv, None) => Err(ImportError::MappingRequired("csv")),
        (Input::Jsonl, None) => Err(ImportError::MappingRequired("jsonl")),
    }
}

/// The catalogue's one currency: `--currency`, else the one most prices name. Rows priced in
/// another currency are reported and left out.
fn settle_currency(
    items: &mut Vec<Item>,
    given: Option<String>,
    problems: &mut Problems,
) -> Result<String, ImportError> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items.iter() {
        if let Some(code) = &item.price.currency {
            *counts.entry(code).or_default() += 1;
        }
    }
    let currency = match given {
        Some(code) => code,
        None => counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(code, _)| code.to_string())
            .ok_or(ImportError::NoCurrency)?,
    };
    items.retain(|item| match &item.price.currency {
        Some(code) if *code != currency => {
            problems.skip(
                item.line,
                format!(
                    "`{}` is priced in {code}, the catalogue in {currency} (mixed currencies; --currency chooses)",
                    item.id
                ),
            );
            false
        }
        _ => true,
    });
    Ok(currency)
}

fn write(
    output: &Output,
    products: &[Product],
    plan: &Plan,
    texts: Texts,
    currency: &str,
    source: &str,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    output.write(&output.products, |out| record::write(out, products, plan))?;
    summary.written.push(output.products.clone());
    let header = catalog_file::Header {
        source,
        language: texts.code(),
        currency,
        products: PRODUCTS,
    };
    let config = catalog_file::render(&header, plan);
    output.write(&output.config, |out| out.write_all(config.as_bytes()))?;
    summary.written.push(output.config.clone());
    for attribute in &plan.attributes {
        match plan.verdict(attribute) {
            Verdict::Facet => {}
            Verdict::OneValue(value) => summary.notes.push(format!(
                "`{}` is no facet: it has one value only (`{value}`)",
                attribute.facet
            )),
            Verdict::TooMany(n) => summary.notes.push(format!(
                "`{}` is no facet: {n} values are too many to ask about",
                attribute.facet
            )),
            Verdict::NameTaken => summary.notes.push(format!(
                "`{}` is no facet: a number has its name",
                attribute.facet
            )),
        }
    }
    for (what, plan) in [("image_url", &plan.image), ("product_url", &plan.link)] {
        if let Err(why) = plan {
            summary.notes.push(format!("no `{what}`: {why}"));
        }
    }
    if let Some(file) = &output.questions {
        match advisor::render(products, plan, texts, currency, source) {
            Ok(text) => {
                output.write(file, |out| out.write_all(text.as_bytes()))?;
                summary.written.push(file.clone());
            }
            Err(why) => summary
                .notes
                .push(format!("{} not written: {why}", file.display())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::price::Money;

    fn priced(line: u64, currency: Option<&str>) -> Item {
        Item {
            line,
            id: format!("P{line}"),
            price: Money {
                amount: 1.0,
                currency: currency.map(str::to_string),
            },
            ..Item::default()
        }
    }

    #[test]
    fn the_most_common_currency_wins_and_others_are_skipped() {
        let mut items = vec![
            priced(2, Some("EUR")),
            priced(3, Some("USD")),
            priced(4, Some("EUR")),
            priced(5, None),
        ];
        let mut problems = Problems::default();
        let currency = settle_currency(&mut items, None, &mut problems).expect("a currency");
        assert_eq!(currency, "EUR");
        assert_eq!(items.len(), 3);
        assert_eq!(problems.list[0].line, Some(3));
        assert!(problems.list[0].message.contains("mixed currencies"));
    }

    #[test]
    fn prices_without_a_currency_need_one_given() {
        let mut problems = Problems::default();
        let given = settle_currency(
            &mut vec![priced(2, None)],
            Some("CHF".into()),
            &mut problems,
        );
        assert_eq!(given.ok().as_deref(), Some("CHF"));
        let missing = settle_currency(&mut vec![priced(2, None)], None, &mut problems);
        assert!(matches!(missing, Err(ImportError::NoCurrency)));
    }
}
