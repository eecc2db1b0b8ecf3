//! Everything the editors wrote, loaded and cross-checked together: the catalogue, the advisors
//! and the templates. Startup and `advisor check` both go through [`Shop::load`], so they can
//! never disagree about what is valid. `live.rs` keeps a served shop current while files
//! change; `watch.rs` notices the changes.

mod fingerprint;
mod live;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::diagnostics::Diagnostics;
use crate::ids::Locale;
use crate::questions::{self, Advisor};
use crate::render::Renderer;

pub use live::{
    LiveShop, Outcome as ReloadOutcome, Pinned, ReloadReport, ReloadSettings, Status, Trigger,
};
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
    /// A fingerprint of the catalogue's files alone (config, products, orders): versions whose
    /// catalogue files are the same share one loaded catalogue.
    pub catalog_version: String,
    pub catalog: Arc<Catalog>,
    pub advisors: Vec<Advisor>,
    pub renderer: Renderer,
}

impl Shop {
    /// Loads and checks every editor file. Returns the shop when there are no errors, and in
    /// every case all problems found (warnings included).
    pub fn load(paths: &Paths) -> (Option<Shop>, Diagnostics) {
        Self::load_after(paths, None)
    }

    /// Loads and checks every editor file like [`Shop::load`], taking the catalogue over from
    /// `previous` when its files are unchanged: a reload of question or template edits does not
    /// load (and keep in memory) the catalogue and its index a second time.
    pub fn load_after(paths: &Paths, previous: Option<&Shop>) -> (Option<Shop>, Diagnostics) {
        let mut problems = Diagnostics::default();
        let unchanged = previous.filter(|shop| {
            catalog_version_of(paths).as_deref() == Some(shop.catalog_version.as_str())
        });
        let catalog = match unchanged {
            Some(shop) => Arc::clone(&shop.catalog),
            None => match Catalog::load(&paths.catalog) {
                Ok(catalog) => Arc::new(catalog),
                Err(found) => {
                    problems.extend(found);
                    problems.sort();
                    return (None, problems);
                }
            },
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
                    catalog_version: catalog_files_version(catalog.config()),
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

/// The version the catalogue files under `paths` would load as (see [`version_of`]).
fn catalog_version_of(paths: &Paths) -> Option<String> {
    let file = paths.catalog.join(crate::catalog::config::CONFIG_FILE);
    let (config, _) = crate::catalog::config::load(&file).ok()?;
    Some(catalog_files_version(&config))
}

/// The fingerprint of the catalogue config, data and orders.
fn catalog_files_version(config: &crate::catalog::CatalogConfig) -> String {
    let mut fingerprint = fingerprint::Fingerprint::default();
    catalog_files(&mut fingerprint, config);
    fingerprint.finish()
}

fn catalog_files(
    fingerprint: &mut fingerprint::Fingerprint,
    config: &crate::catalog::CatalogConfig,
) {
    fingerprint.file("catalog", &config.file);
    fingerprint.file("products", &config.data_file);
    if let Some(orders) = config.relations.as_ref().and_then(|r| r.orders.as_ref()) {
        fingerprint.file("orders", orders);
    }
}

/// The fingerprint of the catalogue config, data and orders, the question and language files
/// and the templates.
fn files_version(paths: &Paths, config: &crate::catalog::CatalogConfig) -> String {
    let mut fingerprint = fingerprint::Fingerprint::default();
    catalog_files(&mut fingerprint, config);
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
