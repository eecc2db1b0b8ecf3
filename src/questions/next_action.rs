//! Checks for what a next step does (`kind:` and the keys that go with it): the products it
//! shows, the link it opens, the person or the other advisor it offers. Each key that does not
//! belong to the step's kind is reported where it is written.

use super::Question;
use super::checker::Checker;
use super::next::{NextAction, NextKind};
use super::raw_next::RawNextStep;
use crate::catalog::Condition;
use crate::diagnostics::known_list;
use crate::ids::AdvisorId;
use crate::yaml::Spanned;

const DEFAULT_SHOW: usize = 3;
const MAX_SHOW: usize = 20;

impl Checker<'_> {
    /// The checked action of a step, or `None` when it cannot be built.
    pub(super) fn next_action(
        &mut self,
        raw: &RawNextStep,
        questions: &[Question],
        has_handoff: bool,
    ) -> Option<NextAction> {
        let kind = raw.kind.value;
        self.only_with(kind, NextKind::Products, raw.filter.as_ref(), "filter");
        self.only_with(kind, NextKind::Products, raw.show.as_ref(), "show");
        self.only_with(kind, NextKind::Products, raw.sort_by.as_ref(), "sort_by");
        self.only_with(kind, NextKind::Products, raw.follow.first(), "follow");
        self.only_with(kind, NextKind::Link, raw.url.as_ref(), "url");
        self.only_with(kind, NextKind::Advisor, raw.advisor.as_ref(), "advisor");
        match kind {
            NextKind::Products => self.products_action(raw, questions),
            NextKind::Link => {
                let Some(url) = &raw.url else {
                    self.error(
                        &raw.kind,
                        "a `link` step needs a `url`".into(),
                        Some("e.g. `url: https://shop.example/size-guide`"),
                    );
                    return None;
                };
                let lower = url.value.to_ascii_lowercase();
                if !lower.starts_with("https://")
                    || lower.len() <= "https://".len()
                    || url.value.chars().any(char::is_whitespace)
                {
                    self.error(
                        url,
                        format!("`{}` is not a link a widget may open", url.value),
                        Some("write a full link starting with `https://`"),
                    );
                }
                Some(NextAction::Link {
                    url: url.value.clone(),
                })
            }
            NextKind::Handoff => {
                if !has_handoff {
                    self.error(
                        &raw.kind,
                        "a `handoff` step needs the advisor's `handoff:` contact".into(),
                        Some("add a `handoff:` section (docs/questions.md, section \"A person\"), or choose another kind"),
                    );
                }
                Some(NextAction::Handoff)
            }
            NextKind::Advisor => {
                let Some(name) = &raw.advisor else {
                    self.error(
                        &raw.kind,
                        "an `advisor` step needs `advisor`".into(),
                        Some("the advisor's file name without `.yaml`, e.g. `advisor: sportswear`"),
                    );
                    return None;
                };
                let advisor = self.slug(name, AdvisorId::parse)?;
                // Advisors are checked one file at a time: the other advisor's file must sit
                // next to this one (it is checked on its own).
                let sibling = self
                    .file
                    .with_file_name(format!("{}.yaml", advisor.as_str()));
                if self.file.with_extension("") == sibling.with_extension("") {
                    self.error(name, "a step cannot start its own advisor".into(), None);
                } else if !sibling.is_file() {
                    self.error(
                        name,
                        format!("no advisor `{advisor}` next to this file"),
                        Some("name an advisor of the `questions/` folder, e.g. `sportswear`"),
                    );
                }
                Some(NextAction::Advisor { advisor })
            }
        }
    }

    fn products_action(&mut self, raw: &RawNextStep, questions: &[Question]) -> Option<NextAction> {
        let Some(raw_filter) = &raw.filter else {
            self.error(
                &raw.kind,
                "a `products` step needs a `filter`".into(),
                Some("e.g. `filter: {garment: [Bottom]}`"),
            );
            return None;
        };
        let errors_before = self.problems.error_count();
        let filter = Condition::All(self.facet_conditions(raw_filter));
        if self.problems.error_count() == errors_before
            && self
                .catalog
                .select(&Condition::All(vec![Condition::Listed, filter.clone()]))
                .is_empty()
        {
            self.error(
                raw_filter,
                "the filter matches no listed product".into(),
                Some("check the facet values against the catalogue"),
            );
        }
        let mut follow = Vec::new();
        for name in &raw.follow {
            match questions.iter().position(|q| q.id.as_str() == name.value) {
                Some(index) => follow.push(index),
                None => {
                    let hint = format!(
                        "questions of this advisor: {}",
                        known_list(questions.iter().map(|q| q.id.as_str()))
                    );
                    self.error(name, format!("no question `{}`", name.value), Some(&hint));
                }
            }
        }
        let show = raw.show.as_ref().map_or(DEFAULT_SHOW, |s| {
            if s.value == 0 || s.value > MAX_SHOW {
                self.error(s, format!("`show` must be between 1 and {MAX_SHOW}"), None);
            }
            s.value
        });
        let sort_by = raw.sort_by.as_ref().and_then(|name| {
            let number = self.catalog.number(&name.value);
            if number.is_none() {
                let names: Vec<&str> = std::iter::once(crate::catalog::PRICE)
                    .chain(
                        self.catalog
                            .config()
                            .numbers
                            .iter()
                            .map(|n| n.name.as_str()),
                    )
                    .collect();
                let hint = format!("numbers of this catalogue: {}", known_list(names));
                self.error(
                    name,
                    format!("unknown number `{}`", name.value),
                    Some(&hint),
                );
            }
            number
        });
        Some(NextAction::Products {
            filter,
            follow,
            show,
            sort_by,
        })
    }

    /// Reports `key` when it is written on a step of another kind than `owner`.
    fn only_with<T>(
        &mut self,
        kind: NextKind,
        owner: NextKind,
        value: Option<&Spanned<T>>,
        key: &str,
    ) {
        if let Some(value) = value.filter(|_| kind != owner) {
            let owner = match owner {
                NextKind::Products => "products",
                NextKind::Link => "link",
                NextKind::Handoff => "handoff",
                NextKind::Advisor => "advisor",
            };
            self.error(
                value,
                format!("`{key}` only goes with `kind: {owner}`"),
                Some("remove it, or change the step's `kind`"),
            );
        }
    }
}
