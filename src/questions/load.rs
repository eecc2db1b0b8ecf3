//! Parsing question files and checking them against the catalogue. Every problem is collected
//! with its line and column; a file with errors yields no advisor.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Advisor, AnswerOption, AskIf, Combine, Effect, Kind, Noun, Question, StopRule, Text};
use crate::catalog::{Catalog, Condition};
use crate::diagnostics::{Diagnostic, Diagnostics, closest, known_list};
use crate::ids::{AdvisorId, Locale, OptionId, QuestionId};
use crate::yaml::{self, Spanned, error_at, warning_at};

const MAX_SHORTLIST: usize = 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdvisor {
    title: Spanned<BTreeMap<String, String>>,
    locales: Spanned<Vec<Spanned<String>>>,
    noun: Spanned<BTreeMap<String, RawNoun>>,
    #[serde(default)]
    scope: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    #[serde(default)]
    stop: RawStop,
    #[serde(default)]
    shortlist: RawShortlist,
    questions: Spanned<Vec<RawQuestion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNoun {
    one: String,
    other: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStop {
    #[serde(default)]
    max_candidates: Option<Spanned<usize>>,
    #[serde(default)]
    max_questions: Option<usize>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawShortlist {
    #[serde(default)]
    size: Option<Spanned<usize>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    #[serde(default)]
    kind: Kind,
    #[serde(default)]
    combine: Combine,
    text: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    ask_if: Option<RawAskIf>,
    options: Spanned<Vec<RawOption>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAskIf {
    question: Spanned<String>,
    any_of: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    id: Spanned<String>,
    label: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    reason: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    filter: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    #[serde(default)]
    prefer: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    #[serde(default)]
    weight: Option<Spanned<f64>>,
    #[serde(default)]
    range: Option<Spanned<RawRange>>,
    #[serde(default)]
    no_preference: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    field: String,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
}

/// Loads every `*.yaml` file in the folder, in name order. Returns the good advisors and every
/// problem found in any file.
pub fn load_all(folder: &Path, catalog: &Catalog) -> (Vec<Advisor>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(folder) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect(),
        Err(error) => {
            problems.push(Diagnostic::error(
                folder,
                format!("cannot read the question folder: {error}"),
            ));
            return (Vec::new(), problems);
        }
    };
    files.sort();
    let mut advisors = Vec::new();
    for file in files {
        match load_file(&file, catalog) {
            Ok((advisor, warnings)) => {
                problems.extend(warnings);
                advisors.push(advisor);
            }
            Err(found) => problems.extend(found),
        }
    }
    if advisors.is_empty() && !problems.has_errors() {
        problems.push(
            Diagnostic::error(folder, "there is no question file")
                .hint("add `<advisor-id>.yaml`; questions/README.md explains the format"),
        );
    }
    (advisors, problems)
}

/// Loads one question file. `Ok` carries the advisor and its warnings; `Err` every problem.
pub fn load_file(file: &Path, catalog: &Catalog) -> Result<(Advisor, Diagnostics), Diagnostics> {
    let mut checker = Checker {
        file,
        catalog,
        problems: Diagnostics::default(),
        locales: Vec::new(),
    };
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let id = AdvisorId::parse(stem);
    if let Err(error) = &id {
        checker.problems.push(
            Diagnostic::error(file, error.to_string())
                .hint("the file name is the advisor id, e.g. `jackets.yaml`"),
        );
    }
    let bytes = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            checker.problems.push(Diagnostic::error(
                file,
                format!("cannot read the file: {error}"),
            ));
            return Err(checker.problems);
        }
    };
    let raw: RawAdvisor = match yaml::parse(file, &bytes) {
        Ok(raw) => raw,
        Err(problem) => {
            checker.problems.push(problem);
            return Err(checker.problems);
        }
    };
    let advisor = checker.advisor(raw, fingerprint(bytes.as_bytes()));
    match (id, advisor) {
        (Ok(id), Some(mut advisor)) if !checker.problems.has_errors() => {
            advisor.id = id;
            Ok((advisor, checker.problems))
        }
        _ => Err(checker.problems),
    }
}

struct Checker<'a> {
    file: &'a Path,
    catalog: &'a Catalog,
    problems: Diagnostics,
    locales: Vec<Locale>,
}

impl Checker<'_> {
    fn advisor(&mut self, raw: RawAdvisor, version: String) -> Option<Advisor> {
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
            if let Some(question) = self.question(raw_question, &questions, &scope, in_scope) {
                questions.push(question);
            }
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
            questions,
        })
    }

    fn question(
        &mut self,
        raw: &RawQuestion,
        earlier: &[Question],
        scope: &Condition,
        in_scope: usize,
    ) -> Option<Question> {
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
            if let Some(option) = self.option(raw_option, scope, in_scope) {
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
        let mut options = Vec::new();
        for value in &raw.any_of {
            match question
                .options
                .iter()
                .position(|o| o.id.as_str() == value.value)
            {
                Some(option) => options.push(option),
                None => {
                    let hint = format!(
                        "options of `{}`: {}",
                        question.id,
                        known_list(question.options.iter().map(|o| o.id.as_str()))
                    );
                    self.error(
                        value,
                        format!("question `{}` has no option `{}`", question.id, value.value),
                        Some(&hint),
                    );
                }
            }
        }
        Some(AskIf {
            question: index,
            options,
        })
    }

    fn option(
        &mut self,
        raw: &RawOption,
        scope: &Condition,
        in_scope: usize,
    ) -> Option<AnswerOption> {
        let id = self.slug(&raw.id, OptionId::parse)?;
        let label = self.text(&raw.label, "the option label");
        let reason = match &raw.reason {
            Some(reason) => self.text(reason, "the reason"),
            None => label.clone(),
        };
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
        if !effect.is_no_preference() && in_scope > 0 && !self.problems.has_errors() {
            let mut both = vec![scope.clone()];
            both.extend(effect.hard.clone());
            both.extend(effect.soft.clone().map(|(c, _)| c));
            if self
                .catalog
                .search(&Condition::All(both))
                .map(|f| f.is_empty())
                .unwrap_or(false)
            {
                self.warning(&raw.id, format!("option `{id}` matches no product in this advisor's scope, so it is never offered"));
            }
        }
        Some(AnswerOption {
            id,
            label,
            reason,
            effect,
        })
    }

    fn facet_conditions(
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

    fn range(&mut self, raw: &Spanned<RawRange>) -> Option<Condition> {
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

    fn text(&mut self, raw: &Spanned<BTreeMap<String, String>>, what: &str) -> Text {
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

    fn noun(&mut self, raw: &Spanned<BTreeMap<String, RawNoun>>) -> Noun {
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

    fn slug<T, E: std::fmt::Display>(
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

    fn error<T>(&mut self, at: &Spanned<T>, message: String, hint: Option<&str>) {
        let mut diagnostic = error_at(self.file, at, message);
        if let Some(hint) = hint {
            diagnostic = diagnostic.hint(hint);
        }
        self.problems.push(diagnostic);
    }

    fn warning<T>(&mut self, at: &Spanned<T>, message: String) {
        self.problems.push(warning_at(self.file, at, message));
    }
}

/// A stable fingerprint of a file (FNV-1a, 64 bits), the same on every machine and build.
fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}
