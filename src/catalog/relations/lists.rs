//! The shop's own product lists (cross-sells, related products, up-sells), read from each
//! record while the products are loaded and resolved to ordinals once they all are. An id that
//! is not in the catalogue is a warning with the product's line: the rest still works.

use serde_json::Value;

use super::super::config::{CatalogConfig, RelationKind};
use super::super::store::Products;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The ids every product lists, as read.
#[derive(Debug, Default)]
pub(in crate::catalog) struct ListCollector {
    links: Vec<RawLink>,
}

#[derive(Debug)]
struct RawLink {
    from: u32,
    line: u64,
    list: u16,
    target: Box<str>,
}

/// A resolved listing: `from` lists `to` in the list at `list` of the config.
#[derive(Debug, Clone, Copy)]
pub(super) struct Link {
    pub from: u32,
    pub to: u32,
    pub list: usize,
}

impl ListCollector {
    /// Reads the configured list fields of one product record (a list of ids, or one id).
    pub(in crate::catalog) fn read(
        &mut self,
        config: &CatalogConfig,
        ordinal: u32,
        line: u64,
        record: &Value,
        problems: &mut Diagnostics,
    ) {
        let Some(relations) = &config.relations else {
            return;
        };
        for (list, relation) in relations.lists.iter().enumerate() {
            let items: &[Value] = match relation.path.get(record) {
                None | Some(Value::Null) => continue,
                Some(Value::Array(items)) => items,
                Some(value) => std::slice::from_ref(value),
            };
            for item in items {
                let target = match item {
                    Value::String(s) if !s.trim().is_empty() => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Null => continue,
                    _ => {
                        problems.push(
                            Diagnostic::warning(
                                &config.data_file,
                                format!(
                                    "`{}` holds something other than product ids",
                                    relation.path.display()
                                ),
                            )
                            .at_line(line)
                            .hint("a relation field is a list of product ids, e.g. [\"MH01\", \"MH02\"]"),
                        );
                        continue;
                    }
                };
                self.links.push(RawLink {
                    from: ordinal,
                    line,
                    list: list as u16,
                    target: target.into_boxed_str(),
                });
            }
        }
    }

    /// The listings between known products; every unknown id is a warning with its line.
    pub(super) fn resolve(
        self,
        config: &CatalogConfig,
        products: &Products,
        problems: &mut Diagnostics,
    ) -> Vec<Link> {
        let kinds: Vec<RelationKind> = config
            .relations
            .iter()
            .flat_map(|r| r.lists.iter().map(|l| l.kind))
            .collect();
        let mut links = Vec::with_capacity(self.links.len());
        for raw in self.links {
            match products.find(&raw.target) {
                Some(to) => links.push(Link {
                    from: raw.from,
                    to,
                    list: usize::from(raw.list),
                }),
                None => {
                    let field = config
                        .relations
                        .as_ref()
                        .and_then(|r| r.lists.get(usize::from(raw.list)))
                        .map(|l| l.path.display())
                        .unwrap_or_default();
                    problems.push(
                        Diagnostic::warning(
                            &config.data_file,
                            format!(
                                "a {} product id is not in the catalogue",
                                kinds
                                    .get(usize::from(raw.list))
                                    .map_or("listed", |k| k.as_str())
                            ),
                        )
                        .at_line(raw.line)
                        .detail(format!("`{}` in `{field}`", raw.target))
                        .hint("the listing is ignored; check the id or remove it from the product"),
                    );
                }
            }
        }
        links
    }
}
