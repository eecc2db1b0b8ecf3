//! What refines a shortlist: the critiques offered below it ("Cheaper", "Warmer") and the
//! diversity fields that keep it varied.

use super::checker::Checker;
use super::raw::{RawCritique, RawDiversity};
use super::{Critique, CritiqueKind, Diversity, DiversityField, Effect};
use crate::catalog::Condition;
use crate::diagnostics::known_list;
use crate::ids::OptionId;
use crate::yaml::Spanned;

/// Diversity weight when the file names fields but no weight.
const DEFAULT_DIVERSITY: f64 = 0.5;

impl Checker<'_> {
    pub(super) fn critiques(&mut self, raw: &[RawCritique]) -> Vec<Critique> {
        let mut critiques: Vec<Critique> = Vec::new();
        for raw_critique in raw {
            let Some(id) = self.slug(&raw_critique.id, OptionId::parse) else {
                continue;
            };
            if critiques.iter().any(|c| c.id == id) {
                self.error(
                    &raw_critique.id,
                    format!("critique id `{id}` is used twice"),
                    None,
                );
            }
            let label = self.text(&raw_critique.label, "the critique label");
            let synonyms = self.synonyms(raw_critique.synonyms.as_ref());
            let kind = match (
                &raw_critique.number,
                &raw_critique.filter,
                &raw_critique.prefer,
            ) {
                (Some(number), None, None) => {
                    let Some(direction) = &raw_critique.direction else {
                        self.error(
                            number,
                            format!("critique `{id}` needs a `direction`"),
                            Some("`direction: lower` (e.g. cheaper) or `direction: higher`"),
                        );
                        continue;
                    };
                    let Some(number_ref) = self.number_ref(number) else {
                        continue;
                    };
                    CritiqueKind::Number {
                        number: number_ref,
                        direction: direction.value,
                    }
                }
                (None, Some(filter), None) => CritiqueKind::Effect(Effect {
                    hard: Some(Condition::All(self.facet_conditions(filter))),
                    soft: None,
                }),
                (None, None, Some(prefer)) => CritiqueKind::Effect(Effect {
                    hard: None,
                    soft: Some((Condition::All(self.facet_conditions(prefer)), 1.0)),
                }),
                _ => {
                    self.error(
                        &raw_critique.id,
                        format!(
                            "critique `{id}` needs exactly one of `number`, `filter`, `prefer`"
                        ),
                        Some("e.g. `number: price` with `direction: lower` for \"cheaper\""),
                    );
                    continue;
                }
            };
            if raw_critique.direction.is_some() && raw_critique.number.is_none() {
                self.warning(
                    &raw_critique.id,
                    "`direction` only matters together with `number`".into(),
                );
            }
            critiques.push(Critique {
                id,
                label,
                synonyms,
                kind,
            });
        }
        critiques
    }

    pub(super) fn diversity(&mut self, raw: &Spanned<RawDiversity>) -> Diversity {
        let mut fields = Vec::new();
        for field in &raw.value.fields {
            if let Some(facet) = self.catalog.facet(&field.value) {
                fields.push(DiversityField::Facet(facet));
            } else if let Some(number) = self.catalog.number(&field.value) {
                fields.push(DiversityField::Number(number));
            } else {
                let config = self.catalog.config();
                let names = config
                    .facets
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(std::iter::once(crate::catalog::PRICE))
                    .chain(config.numbers.iter().map(|n| n.name.as_str()));
                let hint = format!(
                    "facets and numbers of this catalogue: {}",
                    known_list(names)
                );
                self.error(
                    field,
                    format!("unknown field `{}`", field.value),
                    Some(&hint),
                );
            }
        }
        let weight = raw
            .value
            .weight
            .as_ref()
            .map_or(DEFAULT_DIVERSITY, |w| w.value);
        if let Some(w) = raw
            .value
            .weight
            .as_ref()
            .filter(|w| !(0.0..=1.0).contains(&w.value))
        {
            self.error(
                w,
                "the diversity `weight` must be between 0 and 1".into(),
                Some("0 ranks by relevance only, 0.5 weighs variety as much as relevance, 1 by variety only"),
            );
        }
        Diversity { fields, weight }
    }

    fn number_ref(&mut self, raw: &Spanned<String>) -> Option<crate::catalog::NumberRef> {
        let found = self.catalog.number(&raw.value);
        if found.is_none() {
            let names = std::iter::once(crate::catalog::PRICE).chain(
                self.catalog
                    .config()
                    .numbers
                    .iter()
                    .map(|n| n.name.as_str()),
            );
            let hint = format!("numbers of this catalogue: {}", known_list(names));
            self.error(raw, format!("unknown number `{}`", raw.value), Some(&hint));
        }
        found
    }
}
