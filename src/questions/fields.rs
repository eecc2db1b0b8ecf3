//! The field-level checks of a question file: facet filters and their values, ranges,
//! translations and ids, each reported at the place it was written.

use std::collections::BTreeMap;

use super::checker::Checker;
use super::raw::{RawNoun, RawRange};
use super::{Noun, Text};
use crate::catalog::Condition;
use crate::diagnostics::{closest, known_list};
use crate::ids::Locale;
use crate::yaml::{Spanned, error_at, warning_at};

impl Checker<'_> {
    pub(super) fn facet_conditions(
        &mut self,
        raw: &Spanned<BTreeMap<String, Vec<Spanned<String>>>>,
    ) -> Vec<Condition> {
        let mut conditions = Vec::new();
        for (name, values) in &raw.value {
            let Some(facet) = self.catalog.facet(name) else {
                let mut hint = format!(
                    "facets of this catalogue: {}",
                    known_list(self.catalog.config().facets.iter().map(|f| f.name.as_str()))
                );
                if let Some(near) = closest(
                    name,
                    self.catalog.config().facets.iter().map(|f| f.name.as_str()),
                ) {
                    hint = format!("did you mean `{near}`? {hint}");
                }
                if self.catalog.number(name).is_some() {
                    hint = format!(
                        "`{name}` is a number: use `range: {{field: {name}, min: …, max: …}}`"
                    );
                }
                self.error(raw, format!("unknown facet `{name}`"), Some(&hint));
                continue;
            };
            if values.is_empty() {
                self.error(raw, format!("`{name}` lists no values"), None);
                continue;
            }
            let known = self
                .catalog
                .facet_values(facet)
                .cloned()
                .unwrap_or_default();
            for value in values {
                if !known.contains_key(&value.value) {
                    let mut hint = format!(
                        "known values: {}",
                        known_list(known.keys().map(String::as_str))
                    );
                    if let Some(near) = closest(&value.value, known.keys().map(String::as_str)) {
                        hint = format!("did you mean `{near}`? {hint}");
                    }
                    self.error(
                        value,
                        format!("value `{}` is not in catalogue field `{name}`", value.value),
                        Some(&hint),
                    );
                }
            }
            conditions.push(Condition::Facet {
                facet,
                values: values.iter().map(|v| v.value.clone()).collect(),
            });
        }
        conditions
    }

    pub(super) fn range(&mut self, raw: &Spanned<RawRange>) -> Option<Condition> {
        let range = &raw.value;
        let Some(number) = self.catalog.number(&range.field) else {
            let names: Vec<&str> = std::iter::once(crate::catalog::PRICE)
                .chain(
                    self.catalog
                        .config()
                        .numbers
                        .iter()
                        .map(|n| n.name.as_str()),
                )
                .collect();
            let hint = format!(
                "numbers of this catalogue: {}",
                known_list(names.iter().copied())
            );
            self.error(
                raw,
                format!("unknown number `{}`", range.field),
                Some(&hint),
            );
            return None;
        };
        match (range.min, range.max) {
            (None, None) => self.error(raw, "a range needs `min`, `max` or both".into(), None),
            (Some(min), Some(max)) if min >= max => self.error(
                raw,
                format!("`min` ({min}) must be below `max` ({max})"),
                Some("`min` is included, `max` is excluded"),
            ),
            _ => {}
        }
        Some(Condition::Range {
            number,
            min: range.min,
            max: range.max,
        })
    }

    pub(super) fn text(&mut self, raw: &Spanned<BTreeMap<String, String>>, what: &str) -> Text {
        let mut text = BTreeMap::new();
        for (code, value) in &raw.value {
            match Locale::parse(code) {
                Ok(locale) if self.locales.contains(&locale) => {
                    if value.trim().is_empty() {
                        self.error(raw, format!("{what} is empty in `{code}`"), None);
                    }
                    text.insert(locale, value.clone());
                }
                _ => self.warning(
                    raw,
                    format!("{what} has a text in `{code}`, which is not in `locales`"),
                ),
            }
        }
        let missing: Vec<&str> = self
            .locales
            .iter()
            .filter(|l| !text.contains_key(*l))
            .map(Locale::as_str)
            .collect();
        if !missing.is_empty() {
            let hint = format!(
                "write it in every locale of the advisor: {}",
                known_list(self.locales.iter().map(Locale::as_str))
            );
            self.error(
                raw,
                format!("{what} has no translation for {}", known_list(missing)),
                Some(&hint),
            );
        }
        Text(text)
    }

    pub(super) fn noun(&mut self, raw: &Spanned<BTreeMap<String, RawNoun>>) -> Noun {
        let one = raw
            .value
            .iter()
            .map(|(k, v)| (k.clone(), v.one.clone()))
            .collect();
        let other = raw
            .value
            .iter()
            .map(|(k, v)| (k.clone(), v.other.clone()))
            .collect();
        let spanned = |value| Spanned::new(value, raw.referenced, raw.defined);
        Noun {
            one: self.text(&spanned(one), "the noun"),
            other: self.text(&spanned(other), "the plural noun"),
        }
    }

    pub(super) fn slug<T, E: std::fmt::Display>(
        &mut self,
        raw: &Spanned<String>,
        parse: fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(&raw.value) {
            Ok(id) => Some(id),
            Err(error) => {
                self.error(
                    raw,
                    error.to_string(),
                    Some("ids are sent by clients; keep them short, lower-case slugs"),
                );
                None
            }
        }
    }

    /// The index of the question `raw` names among `questions`, or an error at `raw` with the
    /// questions there are (and the closest one).
    pub(super) fn question_index(
        &mut self,
        raw: &Spanned<String>,
        questions: &[super::Question],
    ) -> Option<usize> {
        let found = questions.iter().position(|q| q.id.as_str() == raw.value);
        if found.is_none() {
            let names = || questions.iter().map(|q| q.id.as_str());
            let mut hint = format!("questions of this advisor: {}", known_list(names()));
            if let Some(near) = closest(&raw.value, names()) {
                hint = format!("did you mean `{near}`? {hint}");
            }
            self.error(raw, format!("no question `{}`", raw.value), Some(&hint));
        }
        found
    }

    /// The index of the option `value` names in `question`, or an error at `value` with the
    /// options there are (and the closest one).
    pub(super) fn option_index(
        &mut self,
        question: &super::Question,
        value: &Spanned<String>,
    ) -> Option<usize> {
        let found = question
            .options
            .iter()
            .position(|o| o.id.as_str() == value.value);
        if found.is_none() {
            let ids = || question.options.iter().map(|o| o.id.as_str());
            let mut hint = format!("options of `{}`: {}", question.id, known_list(ids()));
            if let Some(near) = closest(&value.value, ids()) {
                hint = format!("did you mean `{near}`? {hint}");
            }
            self.error(
                value,
                format!("question `{}` has no option `{}`", question.id, value.value),
                Some(&hint),
            );
        }
        found
    }

    pub(super) fn error<T>(&mut self, at: &Spanned<T>, message: String, hint: Option<&str>) {
        let mut diagnostic = error_at(self.file, at, message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.hint(hint);
        }
        self.problems.push(diagnostic);
    }

    pub(super) fn warning<T>(&mut self, at: &Spanned<T>, message: String) {
        self.problems.push(warning_at(self.file, at, message));
    }
}
