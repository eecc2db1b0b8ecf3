//! The files an import writes (`catalog/catalog.yaml`, `catalog/products.jsonl`, optionally
//! `questions/NAME.yaml`), never over existing ones without `--force`, and the check that they
//! load in the advisor exactly as meant: no problem at all, every URL rebuilt as in the feed.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::ImportError;
use super::fold::Product;
use super::urls::without_version;
use crate::catalog::Catalog;
use crate::ids::ProductId;

/// Name of the product file inside `catalog/`.
pub const PRODUCTS: &str = "products.jsonl";

/// Where the files go.
pub struct Output {
    pub catalog: PathBuf,
    pub config: PathBuf,
    pub products: PathBuf,
    pub questions: Option<PathBuf>,
}

impl Output {
    pub fn new(out: &Path, advisor: Option<&str>) -> Self {
        let catalog = out.join("catalog");
        Self {
            config: catalog.join(crate::catalog::config::CONFIG_FILE),
            products: catalog.join(PRODUCTS),
            questions: advisor.map(|name| out.join("questions").join(format!("{name}.yaml"))),
            catalog,
        }
    }

    /// Every file this import would write.
    pub fn files(&self) -> Vec<&Path> {
        let mut files = vec![self.config.as_path(), self.products.as_path()];
        files.extend(self.questions.as_deref());
        files
    }

    /// Refuses when a file exists, unless `force`.
    pub fn check_free(&self, force: bool) -> Result<(), ImportError> {
        match self.files().into_iter().find(|f| f.exists()) {
            Some(existing) if !force => Err(ImportError::Exists(existing.to_path_buf())),
            _ => Ok(()),
        }
    }

    /// Writes one file (creating its folder) through `fill`.
    pub fn write(
        &self,
        file: &Path,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), ImportError> {
        let error = |source| ImportError::Write {
            path: file.to_path_buf(),
            source,
        };
        if let Some(folder) = file.parent() {
            std::fs::create_dir_all(folder).map_err(error)?;
        }
        let mut writer = BufWriter::new(std::fs::File::create(file).map_err(error)?);
        fill(&mut writer).map_err(error)?;
        writer.flush().map_err(error)
    }

    /// Loads the written files as `advisor check` would and compares every product's URLs with
    /// the feed's. Any problem, even a warning, is a bug in the importer.
    pub fn check(&self, products: &[Product], questions: bool) -> Result<(), ImportError> {
        let catalog = Catalog::load(&self.catalog)
            .map_err(|problems| ImportError::SelfCheck(problems.render()))?;
        for product in products {
            let found = ProductId::parse(&product.id)
                .and_then(|id| catalog.ordinal(&id))
                .and_then(|ordinal| catalog.product(ordinal));
            let Some(found) = found else {
                return Err(ImportError::SelfCheck(format!(
                    "product `{}` is missing",
                    product.id
                )));
            };
            let expect =
                |url: &Option<String>| url.as_deref().map(without_version).map(str::to_string);
            let pairs = [
                (
                    catalog.config().image_url.is_some(),
                    found.image_url(),
                    expect(&product.image),
                ),
                (
                    catalog.config().product_url.is_some(),
                    found.url(),
                    expect(&product.link),
                ),
            ];
            for (configured, built, feed) in pairs {
                if configured && built != feed {
                    return Err(ImportError::SelfCheck(format!(
                        "product `{}`: the URL template gives {built:?} instead of {feed:?}",
                        product.id
                    )));
                }
            }
        }
        if let Some(file) = self.questions.as_ref().filter(|_| questions) {
            match crate::questions::load_file(file, &catalog) {
                Ok((_, warnings)) if warnings.is_empty() => {}
                Ok((_, problems)) | Err(problems) => {
                    return Err(ImportError::SelfCheck(problems.render()));
                }
            }
        }
        Ok(())
    }
}
