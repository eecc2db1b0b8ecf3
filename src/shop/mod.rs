//! Everything the editors wrote, loaded and cross-checked together: the catalogue, the advisors
//! and the templates. Startup and `advisor check` both go through [`Shop::load`], so they can
//! never disagree about what is valid. `live.rs` keeps a served shop current while files
//! change; `watch.rs` notices the changes.

mod fingerprint;
mod live;
mod watch;

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::diagnostics::Diagnostics;
use crate::ids::Locale;
use crate::questions::{self, Advisor};
use crate::render::Renderer;

pub use live::{LiveShop, Outcome as ReloadOutcome, ReloadReport, ReloadSettings, Status, Trigger};
pub use watch::watch;

/// Where the editor files live.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Paths {
    pub catalog: PathBuf,
    pub questions: PathBuf,
    pub templates: PathBuf,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            catalog: "catalog".into(),
            questions: "questions".into(),
            templates: "templates".into(),
        }
    }
}

/// The loaded editor files, immutable while serving (a reload builds a new one).
pub struct Shop {
    /// A fingerprint of every file loaded: conversations stay on the version they started on.
    pub version: String,
    pub catalog: Catalog,
    pub advisors: Vec<Advisor>,
    pub renderer: Renderer,
}

impl Shop {
    /// Loads and checks every editor file. Returns the shop when there are no errors, and in
    /// every case all problems found (warnings included).
    pub fn load(paths: &Paths) -> (Option<Shop>, Diagnostics) {
        let mut problems = Diagnostics::default();
        let catalog = match Catalog::load(&paths.catalog) {
            Ok(catalog) => catalog,
            Err(found) => {
                problems.extend(found);
                problems.sort();
                return (None, problems);
            }
        };
        problems.extend(catalog.warnings().clone());
        let (advisors, found) = questions::load_all(&paths.questions, &catalog);
        problems.extend(found);
        // Every locale folder is checked too, so a broken advisor does not hide template problems.
        let mut locales: Vec<Locale> = advisors
            .iter()
            .flat_map(|a| a.locales.iter().cloned())
            .chain(locale_folders(&paths.templates))
            .collect();
        locales.sort();
        locales.dedup();
        let renderer = match Renderer::load(&paths.templates, &locales) {
            Ok(renderer) => Some(renderer),
            Err(found) => {
                problems.extend(found);
                None
            }
        };
        problems.sort();
        match renderer {
            Some(renderer) if !problems.has_errors() => (
                Some(Shop {
                    version: files_version(paths, catalog.config()),
                    catalog,
                    advisors,
                    renderer,
                }),
                problems,
            ),
            _ => (None, problems),
        }
    }

    pub fn advisor(&self, id: &str) -> Option<&Advisor> {
        self.advisors.iter().find(|a| a.id.as_str() == id)
    }

    /// The advisor customers start by this id: not an A/B test's version `b`, which is only
    /// reached through the advisor it is a version of.
    pub fn entry(&self, id: &str) -> Option<&Advisor> {
        self.advisor(id).filter(|a| a.experiment.is_none())
    }
}

/// The shop a command serves or tries, with its warnings; on errors they are printed and the
/// command stops, pointing to `advisor check`. Shared by every tool (serve, chat, simulate).
pub fn load_for_tool(paths: &Paths) -> anyhow::Result<(Shop, Diagnostics)> {
    let (shop, problems) = Shop::load(paths);
    let Some(shop) = shop else {
        eprint!("{}", problems.render());
        anyhow::bail!(
            "the editor files have {}; run `advisor check` for details",
            problems.summary()
        );
    };
    Ok((shop, problems))
}

/// The version the files under `paths` would load as, without loading them: a reload whose
/// files are unchanged is over after reading them once. `None` when the catalogue config cannot
/// be read (the full load reports why).
pub fn version_of(paths: &Paths) -> Option<String> {
    let file = paths.catalog.join(crate::catalog::config::CONFIG_FILE);
    let (config, _) = crate::catalog::config::load(&file).ok()?;
    Some(files_version(paths, &config))
}

/// The fingerprint of the catalogue config, data and orders, the question and language files
/// and the templates.
fn files_version(paths: &Paths, config: &crate::catalog::CatalogConfig) -> String {
    let mut fingerprint = fingerprint::Fingerprint::default();
    fingerprint.file("catalog", &config.file);
    fingerprint.file("products", &config.data_file);
    if let Some(orders) = config.relations.as_ref().and_then(|r| r.orders.as_ref()) {
        fingerprint.file("orders", orders);
    }
    let mut questions = questions::files(&paths.questions).unwrap_or_default();
    questions.extend(questions::language_files(&paths.questions));
    let templates = template_files(&paths.templates);
    for (folder, file) in questions
        .iter()
        .map(|f| (&paths.questions, f))
        .chain(templates.iter().map(|f| (&paths.templates, f)))
    {
        let name = file.strip_prefix(folder).unwrap_or(file);
        fingerprint.file(&name.to_string_lossy(), file);
    }
    fingerprint.finish()
}

/// Every `<locale>/*.hbs` under the template folder, in name order.
fn template_files(templates: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = locale_folders(templates)
        .iter()
        .flat_map(|locale| crate::render::template_files(&templates.join(locale.as_str())))
        .collect();
    files.sort();
    files
}

fn locale_folders(templates: &Path) -> Vec<Locale> {
    std::fs::read_dir(templates)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().and_then(|n| Locale::parse(n).ok()))
                .collect()
        })
        .unwrap_or_default()
}
