//! Checks for an advisor's `handoff:` section: the contact of the people who take over a
//! conversation (a link, a phone number, an e-mail address, opening hours per locale) and the
//! phrases customers type to ask for one.

use std::collections::BTreeMap;

use super::Handoff;
use super::checker::Checker;
use super::raw::{RawHandoff, RawSynonym};
use crate::ids::Locale;
use crate::yaml::Spanned;

/// How often a customer gets stuck (dead ends, or "Not this one") before a person is offered.
const DEFAULT_OFFER_AFTER: u32 = 2;
/// Link schemes a widget can open safely.
const SCHEMES: [&str; 3] = ["https://", "mailto:", "tel:"];

impl Checker<'_> {
    /// The checked contact and the handoff phrases per locale (empty without a section).
    pub(super) fn handoff(
        &mut self,
        raw: Option<&Spanned<RawHandoff>>,
    ) -> (Option<Handoff>, BTreeMap<Locale, Vec<String>>) {
        let Some(raw) = raw else {
            return (None, BTreeMap::new());
        };
        let section = &raw.value;
        if section.url.is_none() && section.phone.is_none() && section.email.is_none() {
            self.error(
                raw,
                "the handoff has no contact".into(),
                Some("give at least one of `url`, `phone`, `email`"),
            );
        }
        let url = section.url.as_ref().map(|url| {
            let lower = url.value.to_ascii_lowercase();
            let scheme_ok = SCHEMES
                .iter()
                .any(|s| lower.starts_with(s) && lower.len() > s.len());
            if !scheme_ok || url.value.chars().any(char::is_whitespace) {
                self.error(
                    url,
                    format!("`{}` is not a contact link a widget may open", url.value),
                    Some("write a full link starting with `https://`, `mailto:` or `tel:`"),
                );
            }
            url.value.clone()
        });
        let phone = section.phone.as_ref().map(|phone| {
            let digits = phone.value.chars().filter(char::is_ascii_digit).count();
            let allowed = |c: char| c.is_ascii_digit() || " +-/().".contains(c);
            if digits < 3 || !phone.value.chars().all(allowed) {
                self.error(
                    phone,
                    format!("`{}` is not a phone number", phone.value),
                    Some("digits with `+`, spaces, `-`, `/`, `(`, `)`, e.g. `+1 555 0100`"),
                );
            }
            phone.value.trim().to_string()
        });
        let email = section.email.as_ref().map(|email| {
            let plausible = email.value.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty() && domain.contains('.') && !domain.contains('@')
            });
            if !plausible || email.value.chars().any(char::is_whitespace) {
                self.error(
                    email,
                    format!("`{}` is not an e-mail address", email.value),
                    Some("e.g. `help@shop.example` (without `mailto:`)"),
                );
            }
            email.value.clone()
        });
        let hours = section
            .hours
            .as_ref()
            .map(|hours| self.text(hours, "the opening-hours text"));
        let offer_after = section
            .offer_after
            .as_ref()
            .map_or(DEFAULT_OFFER_AFTER, |o| {
                if o.value == 0 {
                    self.error(o, "`offer_after` must be at least 1".into(), None);
                }
                o.value.max(1)
            });
        let phrases = self.handoff_phrases(raw, section.phrases.as_ref());
        let handoff = Handoff {
            url,
            phone,
            email,
            hours,
            offer_after,
        };
        (Some(handoff), phrases)
    }

    fn handoff_phrases(
        &mut self,
        section: &Spanned<RawHandoff>,
        raw: Option<&Spanned<BTreeMap<String, Vec<String>>>>,
    ) -> BTreeMap<Locale, Vec<String>> {
        let plain = raw.map(|r| {
            let value = r
                .value
                .iter()
                .map(|(code, words)| {
                    let words = words.iter().cloned().map(RawSynonym::Plain).collect();
                    (code.clone(), words)
                })
                .collect();
            Spanned::new(value, r.referenced, r.defined)
        });
        let phrases: BTreeMap<Locale, Vec<String>> = self
            .synonyms(plain.as_ref())
            .into_iter()
            .map(|(locale, words)| (locale, words.into_iter().map(|w| w.text).collect()))
            .collect();
        let missing: Vec<&str> = self
            .locales
            .iter()
            .filter(|l| phrases.get(*l).is_none_or(Vec::is_empty))
            .map(Locale::as_str)
            .collect();
        if !missing.is_empty() {
            let at = raw.map_or(section.referenced, |r| r.referenced);
            let at = Spanned::new((), at, at);
            self.warning(
                &at,
                format!(
                    "no handoff `phrases` in {}: customers typing in it cannot ask for a person",
                    missing.join(", ")
                ),
            );
        }
        phrases
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::catalog::Catalog;

    /// (line, message) of every problem of a two-locale advisor with this `handoff:` section.
    fn problems(handoff: &str) -> Vec<(u64, String)> {
        let catalog = Catalog::load(Path::new("catalog")).expect("the shipped catalogue loads");
        let text = format!(
            "title: {{en: Jackets, de: Jacken}}\nlocales: [en, de]\nnoun: {{en: {{one: jacket, other: jackets}}, de: {{one: Jacke, other: Jacken}}}}\nscope: {{category: [Men/Tops/Jackets, Women/Tops/Jackets]}}\nquestions:\n  - id: who\n    text: {{en: Who?, de: Wer?}}\n    options:\n      - {{id: women, label: {{en: Women, de: Frauen}}, filter: {{gender: [Women]}}}}\n      - {{id: men, label: {{en: Men, de: Männer}}, filter: {{gender: [Men]}}}}\nhandoff:\n{handoff}"
        );
        let found = match crate::questions::check_source(Path::new("t.yaml"), &text, &catalog) {
            Ok((_, warnings)) => warnings,
            Err(problems) => problems,
        };
        found
            .iter()
            .map(|d| (d.line.unwrap_or(0), d.message.clone()))
            .collect()
    }

    const PHRASES: &str = "  phrases: {en: [talk to someone], de: [Mitarbeiter]}\n";

    #[test]
    fn a_complete_contact_is_clean() {
        let found = problems(&format!(
            "  url: https://shop.example/contact\n  phone: \"+49 (30) 1234-5\"\n  email: help@shop.example\n  hours: {{en: 9 to 5, de: 9 bis 17 Uhr}}\n{PHRASES}  offer_after: 3\n"
        ));
        assert_eq!(found, []);
    }

    #[test]
    fn each_bad_contact_field_is_reported_at_its_line() {
        let found = problems(&format!(
            "  url: http://shop.example/contact\n  phone: call us\n  email: help.shop.example\n  hours: {{en: 9 to 5}}\n{PHRASES}  offer_after: 0\n"
        ));
        let messages: Vec<(u64, &str)> = found.iter().map(|(l, m)| (*l, m.as_str())).collect();
        assert_eq!(
            messages,
            [
                (
                    12,
                    "`http://shop.example/contact` is not a contact link a widget may open"
                ),
                (13, "`call us` is not a phone number"),
                (14, "`help.shop.example` is not an e-mail address"),
                (15, "the opening-hours text has no translation for `de`"),
                (17, "`offer_after` must be at least 1"),
            ]
        );
    }

    #[test]
    fn a_contact_without_a_way_to_reach_anyone_and_missing_phrases_are_reported() {
        let found = problems("  phrases: {en: [human]}\n");
        let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the handoff has no contact",
                "no handoff `phrases` in de: customers typing in it cannot ask for a person",
            ]
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let found = problems("  url: https://shop.example\n  fax: \"123\"\n");
        assert!(found[0].1.contains("unknown field `fax`"), "{found:?}");
    }
}
