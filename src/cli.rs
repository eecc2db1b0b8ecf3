//! The command line: `serve`, `check` and `simulate`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::settings::Settings;
use crate::shop::Shop;

#[derive(Debug, Parser)]
#[command(
    name = "advisor",
    version,
    about = "Guided product advisor: conversational HTTP API over a tantivy-indexed catalogue"
)]
pub struct Cli {
    /// Settings file (TOML); `ADVISOR__SECTION__KEY` environment variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the conversation API (default 127.0.0.1:8080).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080 or 127.0.0.1:0 for any free port.
        #[arg(long)]
        addr: Option<SocketAddr>,
    },
    /// Load and cross-check every editor file and print all problems.
    Check {
        /// Print the problems as JSON (for CI) instead of text.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Measure advisors with simulated customers: success@1/3/5, questions asked, dead ends.
    Simulate {
        /// Only this advisor (default: all).
        #[arg(long)]
        advisor: Option<String>,
        /// Share of wrong answers, 0 to 1.
        #[arg(long, default_value_t = 0.0)]
        noise: f64,
        /// Seed for the wrong answers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Answer in free text built from option synonyms instead of clicking.
        #[arg(long)]
        text: bool,
        /// Instead of simulated customers: type the shopper messages of this corpus file
        /// (tests/utterances/README.md) and report how well their facts are understood.
        #[arg(long, value_name = "FILE")]
        utterances: Option<PathBuf>,
        /// With --utterances: list every message whose facts differ.
        #[arg(long)]
        misses: bool,
        /// Conversation locale (default: each advisor's first).
        #[arg(long)]
        locale: Option<String>,
        /// Only this product as the target, with the conversation written out.
        #[arg(long, value_name = "PRODUCT_ID")]
        target: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Try an advisor in the terminal with the local editor files.
    Chat {
        /// The advisor's id (default: list them and ask).
        advisor: Option<String>,
        /// Conversation locale (default: the advisor's first).
        #[arg(long)]
        locale: Option<String>,
        /// Print each reply as the API's JSON.
        #[arg(long)]
        json: bool,
        /// The customer's situation, as a client sends it: JSON such as
        /// '{"when": "today", "weather": "sunny", "temperature_c": 28}'.
        #[arg(long, value_name = "JSON")]
        context: Option<String>,
    },
    /// Turn a Google Merchant Center feed, a Shopify product CSV or a mapped CSV / JSON Lines
    /// file into a catalogue (and a starter advisor).
    Import(crate::import::cli::Args),
    /// Turn a shop's order export into the catalogue's orders file (`order_id,product_id`) for
    /// "goes well with".
    ImportOrders(crate::import::orders::Args),
    /// Write a synthetic shop (catalogue, config and an advisor) of any size, for `bench`.
    GenCatalog {
        /// How many products.
        #[arg(long, default_value_t = 100_000)]
        products: usize,
        /// Seed: the same count and seed give the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write `catalog/` and `questions/` into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write the JSON Schemas of question files and the catalogue config (for editors' IDEs).
    Schema {
        /// Folder to write them into.
        #[arg(long, value_name = "DIR", default_value = crate::schema::DIR)]
        out: PathBuf,
    },
    /// Measure turns against a bare echo and raw tantivy on a synthetic shop; prints the ratios.
    Bench {
        /// Products in the synthetic shop.
        #[arg(long, default_value_t = 100_000)]
        products: usize,
        /// Seed of the synthetic shop and of the simulated customers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Alternating rounds; the report shows the median.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Measured seconds per run.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Connections of the concurrent runs.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Where generated shops are kept between benches.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Also run the concurrent turns on this conversation store and report its throughput
        /// cost against memory (`durable`: a fresh database file; `redis`: the configured
        /// `sessions.redis_url`).
        #[arg(long, value_enum, default_value = "memory")]
        store: crate::settings::StoreKind,
    },
    /// Load a running advisor on this machine with whole conversations (as many customers at
    /// once) and report throughput, latency and failed requests; exits 1 if any request failed.
    Load(crate::bench::remote::RemoteOptions),
    /// Print what customers did with each advisor from the analytics events: funnel, drop-off
    /// per question, answers, clicks and carts, next steps, wishes not carried, A/B tests.
    Report(crate::analytics::cli::Args),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref()).context("reading the settings")?;
    match cli.command {
        Command::Check {
            format,
            deny_warnings,
        } => Ok(check(&settings, format, deny_warnings)),
        Command::Simulate {
            advisor,
            noise,
            seed,
            text,
            utterances,
            misses,
            locale,
            target,
            json,
        } => {
            if let Some(file) = utterances {
                return simulate_utterances(&settings, &file, json, misses);
            }
            let locale = locale
                .map(|l| crate::ids::Locale::parse(&l))
                .transpose()
                .context("reading --locale")?;
            if !(0.0..=1.0).contains(&noise) {
                anyhow::bail!("--noise must be between 0 and 1");
            }
            let options = crate::simulate::Options {
                noise,
                seed,
                text,
                locale,
                target,
            };
            simulate(&settings, advisor.as_deref(), &options, json)
        }
        Command::Chat {
            advisor,
            locale,
            json,
            context,
        } => crate::chat::run(
            &settings,
            &crate::chat::Options {
                advisor,
                locale,
                json,
                context,
            },
        ),
        Command::Import(args) => crate::import::cli::run(args),
        Command::ImportOrders(args) => crate::import::orders::run(args, &settings.paths.catalog),
        Command::GenCatalog {
            products,
            seed,
            out,
        } => {
            crate::synthetic::generate(&out, products, seed)
                .with_context(|| format!("writing the synthetic shop to {}", out.display()))?;
            println!(
                "{products} products written to {}; serve them with ADVISOR__PATHS__CATALOG={0}/catalog ADVISOR__PATHS__QUESTIONS={0}/questions",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { out } => {
            for file in crate::schema::write(&out)? {
                println!("{}", file.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            products,
            seed,
            rounds,
            seconds,
            connections,
            dir,
            store,
        } => {
            if !(seconds > 0.0 && seconds <= 600.0) {
                anyhow::bail!("--seconds must be between 0 and 600");
            }
            let options = crate::bench::Options {
                products,
                seed,
                rounds,
                seconds,
                connections,
                dir: dir.unwrap_or_else(crate::bench::default_dir),
                store,
            };
            let summary = crate::bench::run(&options, &settings)?;
            println!("{summary}");
            Ok(if summary.all_met() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Report(args) => crate::analytics::cli::run(&settings.analytics, args),
        Command::Load(options) => {
            let report = crate::bench::remote::run(&options)?;
            print!("{report}");
            Ok(if report.clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Serve { addr } => {
            if let Some(addr) = addr {
                settings.server.addr = addr.to_string();
            }
            crate::telemetry::init(&settings.log);
            let (shop, problems) = load_shop(&settings)?;
            for group in problems.grouped() {
                let problem = &group.first;
                tracing::warn!(file = %problem.file.display(), line = problem.line, lines = group.count, "{}", problem.message);
            }
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            runtime.block_on(crate::http::serve(shop, settings))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(settings: &Settings, format: Format, deny_warnings: bool) -> ExitCode {
    let (shop, mut problems) = Shop::load(&settings.paths);
    // Coverage simulates customers, so only the check runs it, not startup or a reload.
    if let Some(shop) = &shop {
        problems.extend(crate::simulate::check_coverage(
            &shop.advisors,
            &shop.catalog,
        ));
        problems.sort();
    }
    let report = match format {
        Format::Json => {
            serde_json::to_string_pretty(&problems.grouped()).unwrap_or_else(|_| "[]".into()) + "\n"
        }
        Format::Text => {
            let summary = match &shop {
                Some(shop) => format!(
                    "{} products, {} advisors ({})",
                    shop.catalog.len(),
                    shop.advisors.len(),
                    shop.advisors
                        .iter()
                        .map(|a| a.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => "the editor files cannot be served".to_string(),
            };
            // Per kind of file; without a catalogue the rest cannot be checked.
            let paths = &settings.paths;
            let catalogue = problems.within(&paths.catalog);
            let mut by_kind = format!("  catalogue: {}\n", catalogue.summary());
            for (kind, folder) in [
                ("questions", &paths.questions),
                ("templates", &paths.templates),
            ] {
                let found = if catalogue.has_errors() {
                    "not checked until the catalogue loads".to_string()
                } else {
                    problems.within(folder).summary()
                };
                by_kind.push_str(&format!("  {kind}: {found}\n"));
            }
            if problems.is_empty() {
                by_kind.clear();
            }
            format!(
                "{}{by_kind}{summary}: {}\n",
                problems.render(),
                problems.summary()
            )
        }
    };
    // A closed pipe (`advisor check | head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), report.as_bytes());
    if problems.has_errors() || (deny_warnings && problems.warning_count() > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn load_shop(settings: &Settings) -> anyhow::Result<(Shop, crate::diagnostics::Diagnostics)> {
    crate::shop::load_for_tool(&settings.paths)
}

fn simulate_utterances(
    settings: &Settings,
    file: &Path,
    json: bool,
    misses: bool,
) -> anyhow::Result<ExitCode> {
    let (shop, _) = load_shop(settings)?;
    let report = crate::simulate::utterances::measure(file, &shop.advisors, &shop.catalog)
        .with_context(|| format!("measuring {}", file.display()))?;
    let out = if json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        crate::simulate::utterances::render(&report, misses)
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn simulate(
    settings: &Settings,
    only: Option<&str>,
    options: &crate::simulate::Options,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let (shop, _) = load_shop(settings)?;
    let advisors: Vec<_> = shop
        .advisors
        .iter()
        .filter(|a| only.is_none_or(|id| a.id.as_str() == id))
        .collect();
    if advisors.is_empty() {
        anyhow::bail!("no advisor `{}`", only.unwrap_or_default());
    }
    let mut reports = Vec::new();
    for advisor in advisors {
        if let Some(locale) = &options.locale
            && !advisor.supports(locale)
        {
            anyhow::bail!("advisor `{}` does not speak `{locale}`", advisor.id);
        }
        reports.push(
            crate::simulate::simulate(advisor, &shop.catalog, options)
                .with_context(|| format!("simulating `{}`", advisor.id))?,
        );
    }
    let out = if json {
        serde_json::to_string_pretty(&reports)? + "\n"
    } else {
        crate::simulate::render_table(&reports)
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    Ok(ExitCode::SUCCESS)
}
