//! Texts written by editors in several languages.

use std::collections::BTreeMap;

use crate::ids::Locale;

/// One text per locale. Loading guarantees every advisor locale is present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text(pub BTreeMap<Locale, String>);

impl Text {
    /// The text in `locale`, or in any locale if it is missing (never the case after checks).
    pub fn get(&self, locale: &Locale) -> &str {
        self.0
            .get(locale)
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }
}

/// A noun in singular and plural per locale ("jacket" / "jackets").
#[derive(Debug, Clone, Default)]
pub struct Noun {
    pub one: Text,
    pub other: Text,
}

impl Noun {
    pub fn for_count(&self, locale: &Locale, count: usize) -> &str {
        if count == 1 {
            self.one.get(locale)
        } else {
            self.other.get(locale)
        }
    }
}
