//! Cross-checking a parsed question file against the catalogue, collecting every problem with
//! its position, and building the [`Advisor`] when there is none.

use std::path::Path;

use super::raw::{RawAdvisor, RawAskIf, RawOption, RawQuestion};
use super::words::{WordSources, words};
use super::{Advisor, AnswerOption, AskIf, Combine, Effect, Kind, Question, StopRule};
use crate::catalog::{Catalog, Condition};
use crate::diagnostics::{Diagnostic, Diagnostics, known_list};
use crate::ids::{AdvisorId, Locale, OptionId, QuestionId};

const MAX_SHORTLIST: usize = 20;

pub(super) struct Checker<'a> {
    pub(super) file: &'a Path,
    pub(super) catalog: &'a Catalog,
    pub(super) problems: Diagnostics,
    pub(super) locales: Vec<Locale>,
    /// How each locale's free text is read.
    pub(super) languages: &'a super::Languages,
}

impl Checker<'_> {
    pub(super) fn advisor(&mut self, raw: RawAdvisor, version: String) -> Option<Advisor> {
        for spanned in &raw.locales.value {
            match Locale::parse(&spanned.value) {
                Ok(locale) if !self.locales.contains(&locale) => self.locales.push(locale),
                Ok(_) => self.error(
                    spanned,
                    format!("locale `{}` is listed twice", spanned.value),
                    None,
                ),
                Err(error) => self.error(
                    spanned,
                    error.to_string(),
                    Some("use language codes such as `en`, `de`"),
                ),
            }
        }
        if self.locales.is_empty() {
            self.error(
                &raw.locales,
                "an advisor needs at least one locale".into(),
                Some("e.g. `locales: [en, de]`"),
            );
            return None;
        }
        let title = self.text(&raw.title, "the title");
        let noun = self.noun(&raw.noun);
        let mut scope = vec![Condition::Listed];
        if let Some(raw_scope) = &raw.scope {
            scope.extend(self.facet_conditions(raw_scope));
        }
        let scope = Condition::All(scope);
        let in_scope = self
            .catalog
            .search(&scope)
            .map(|found| found.len())
            .unwrap_or(0);
        if in_scope == 0 && !self.problems.has_errors() {
            let at = raw
                .scope
                .as_ref()
                .map_or(raw.title.referenced, |s| s.referenced);
            self.problems.push(
                Diagnostic::error(self.file, "the scope matches no listed product")
                    .at(at.line(), at.column())
                    .hint("check the facet values of `scope` against the catalogue"),
            );
        }
        let stop = StopRule {
            max_candidates: raw.stop.max_candidates.as_ref().map_or(5, |m| m.value),
            max_questions: raw.stop.max_questions,
        };
        if let Some(max) = raw.stop.max_candidates.as_ref().filter(|m| m.value == 0) {
            self.error(max, "`max_candidates` must be at least 1".into(), None);
        }
        let shortlist_size = raw.shortlist.size.as_ref().map_or(5, |s| s.value);
        if let Some(size) = raw
            .shortlist
            .size
            .as_ref()
            .filter(|s| s.value == 0 || s.value > MAX_SHORTLIST)
        {
            self.error(
                size,
                format!("`size` must be between 1 and {MAX_SHORTLIST}"),
                None,
            );
        }
        let mut questions: Vec<Question> = Vec::new();
        if raw.questions.value.is_empty() {
            self.error(
                &raw.questions,
                "an advisor needs at least one question".into(),
                None,
            );
        }
        for raw_question in &raw.questions.value {
            if let Some(question) = self.question(raw_question, &questions) {
                questions.push(question);
            }
        }
        let diversity = raw
            .shortlist
            .diversity
            .as_ref()
            .map(|d| self.diversity(d))
            .unwrap_or_default();
        let critiques = self.critiques(&raw.critiques);
        let context = self.context_rules(&raw.context, &questions);
        if in_scope > 0 && !self.problems.has_errors() {
            self.reach(&raw.questions.value, &questions, &scope);
        }
        let (handoff, handoff_phrases) = self.handoff(raw.handoff.as_ref());
        let next_steps = self.next_steps(&raw.next_steps, &questions, handoff.is_some(), &context);
        let not_carried = self.not_carried(&raw.not_carried, handoff.is_some());
        let ignore = self.ignore(raw.ignore.as_ref());
        let units: Vec<String> = self
            .catalog
            .config()
            .numbers
            .iter()
            .flat_map(|n| n.units.iter().cloned())
            .collect();
        let (words, unusable) = words(
            &self.locales,
            &questions,
            &WordSources {
                critiques: &critiques,
                not_carried: &not_carried,
                noun: &noun,
                handoff: &handoff_phrases,
                ignore: &ignore,
                languages: self.languages,
                units: &units,
            },
        );
        for (locale, phrase) in unusable {
            self.problems.push(
                Diagnostic::warning(
                    self.file,
                    format!("the {locale} phrase `{phrase}` can never match typed text"),
                )
                .hint(format!(
                    "every word of it is a stop or filler word of questions/language/{locale}.yaml; add a word that says what it means"
                )),
            );
        }
        Some(Advisor {
            id: AdvisorId::parse("pending").ok()?,
            version,
            file: self.file.to_path_buf(),
            title,
            locales: self.locales.clone(),
            noun,
            scope,
            stop,
            shortlist_size,
            diversity,
            order: raw.order,
            address: raw.address,
            critiques,
            questions,
            words,
            handoff,
            context,
            next_steps,
            not_carried,
            experiment: raw
                .experiment
                .as_ref()
                .map(super::experiment::Experiment::from_raw),
            evaluations: Default::default(),
        })
    }

    fn question(&mut self, raw: &RawQuestion, earlier: &[Question]) -> Option<Question> {
        let id = self.slug(&raw.id, QuestionId::parse)?;
        if earlier.iter().any(|q| q.id == id) {
            self.error(
                &raw.id,
                format!("question id `{id}` is used twice"),
                Some("question ids must be unique in a file"),
            );
        }
        let text = self.text(&raw.text, "the question text");
        let ask_if = raw.ask_if.as_ref().and_then(|a| self.ask_if(a, earlier));
        if raw.options.value.len() < 2 {
            self.error(
                &raw.options,
                "a question needs at least two options".into(),
                None,
            );
        }
        let mut options: Vec<AnswerOption> = Vec::new();
        for raw_option in &raw.options.value {
            if let Some(option) = self.option(raw_option) {
                if options.iter().any(|o| o.id == option.id) {
                    self.error(
                        &raw_option.id,
                        format!("option id `{}` is used twice in this question", option.id),
                        None,
                    );
                }
                options.push(option);
            }
        }
        if raw.kind == Kind::Single && raw.combine == Combine::Any {
            self.warning(
                &raw.id,
                "`combine` only matters for `kind: multiple`".into(),
            );
        }
        Some(Question {
            id,
            kind: raw.kind,
            combine: raw.combine,
            text,
            ask_if,
            priority: raw.priority,
            role: raw.role,
            always_ask: raw.always_ask,
            options,
        })
    }

    fn ask_if(&mut self, raw: &RawAskIf, earlier: &[Question]) -> Option<AskIf> {
        let Some(index) = earlier
            .iter()
            .position(|q| q.id.as_str() == raw.question.value)
        else {
            let hint = format!(
                "`ask_if` can refer to questions above this one: {}",
                known_list(earlier.iter().map(|q| q.id.as_str()))
            );
            self.error(
                &raw.question,
                format!("no earlier question `{}`", raw.question.value),
                Some(&hint),
            );
            return None;
        };
        let question = &earlier[index];
        let options = raw
            .any_of
            .iter()
            .filter_map(|value| self.option_index(question, value))
            .collect();
        Some(AskIf {
            question: index,
            options,
        })
    }

    /// The advisor's own words to ignore, per locale of the advisor.
    fn ignore(
        &mut self,
        raw: Option<&crate::yaml::Spanned<std::collections::BTreeMap<String, Vec<String>>>>,
    ) -> std::collections::BTreeMap<Locale, Vec<String>> {
        let mut ignore = std::collections::BTreeMap::new();
        for (code, words) in raw.map(|r| &r.value).into_iter().flatten() {
            match Locale::parse(code) {
                Ok(locale) if self.locales.contains(&locale) => {
                    ignore.insert(locale, words.clone());
                }
                _ => {
                    if let Some(raw) = raw {
                        self.warning(
                            raw,
                            format!("`ignore` in `{code}`, which is not in `locales`"),
                        );
                    }
                }
            }
        }
        ignore
    }

    fn option(&mut self, raw: &RawOption) -> Option<AnswerOption> {
        let id = self.slug(&raw.id, OptionId::parse)?;
        let label = self.text(&raw.label, "the option label");
        let reason = match &raw.reason {
            Some(reason) => self.text(reason, "the reason"),
            None => label.clone(),
        };
        let synonyms = self.synonyms(raw.synonyms.as_ref());
        let mut hard = Vec::new();
        if let Some(filter) = &raw.filter {
            hard.extend(self.facet_conditions(filter));
        }
        if let Some(range) = &raw.range {
            hard.extend(self.range(range));
        }
        let soft = raw.prefer.as_ref().map(|prefer| {
            let weight = raw.weight.as_ref().map_or(1.0, |w| w.value);
            if let Some(w) = raw
                .weight
                .as_ref()
                .filter(|w| !(w.value > 0.0 && w.value <= 100.0))
            {
                self.error(w, "`weight` must be above 0 and at most 100".into(), None);
            }
            (Condition::All(self.facet_conditions(prefer)), weight)
        });
        if raw.weight.is_some() && raw.prefer.is_none() {
            self.warning(
                &raw.id,
                "`weight` only matters together with `prefer`".into(),
            );
        }
        let has_effect = raw.filter.is_some() || raw.range.is_some() || raw.prefer.is_some();
        if raw.no_preference && has_effect {
            self.error(&raw.id, format!("option `{id}` is `no_preference` but also filters or prefers"), Some("a no-preference option leaves the candidates as they are; remove `filter`, `range` and `prefer`"));
        } else if !raw.no_preference && !has_effect {
            self.error(
                &raw.id,
                format!("option `{id}` does nothing"),
                Some("give it `filter`, `range` or `prefer`, or mark it `no_preference: true`"),
            );
        }
        let effect = Effect {
            hard: (!hard.is_empty()).then_some(Condition::All(hard)),
            soft,
        };
        Some(AnswerOption {
            id,
            label,
            reason,
            synonyms,
            effect,
        })
    }
}
