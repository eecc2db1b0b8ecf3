//! Which questions can ever be asked and which options ever offered, worked out on product sets
//! before any conversation runs.
//!
//! For every question it computes the products that can be among the candidates when the
//! question is asked (its *reach*), from the scope and the `ask_if` chain, the way
//! `dialogue::choose` decides: a follow-up comes after one of the listed answers to its earlier
//! question was chosen (which needs that answer to be offered there), or when every candidate
//! already fits one of them. The reach is an over-estimate (it ignores the stop rule and the
//! other answers), so what it finds impossible is impossible: a question whose reach is empty is
//! never asked, an option that fits nothing in its question's reach is never offered, and one
//! that fits all of it never changes anything. It follows customers who tap: a typed answer may
//! come before its question (see `dialogue/text.rs`). Only warnings; nothing here stops a file.

use std::sync::Arc;

use roaring::RoaringBitmap;

use super::checker::Checker;
use super::raw::{RawOption, RawQuestion};
use super::{AskIf, Combine, Kind, Question};
use crate::catalog::Condition;
use crate::diagnostics::known_list;

impl Checker<'_> {
    /// Warns about questions never asked and options never offered or without effect.
    /// Expects a file without errors: `raw` and `questions` correspond one to one.
    pub(super) fn reach(&mut self, raw: &[RawQuestion], questions: &[Question], scope: &Condition) {
        let scope = self.catalog.select(scope);
        if scope.is_empty() || raw.len() != questions.len() {
            return;
        }
        let followed: Vec<(usize, usize)> = questions
            .iter()
            .filter_map(|q| q.ask_if.as_ref())
            .flat_map(|rule| rule.options.iter().map(|o| (rule.question, *o)))
            .collect();
        let mut reaches: Vec<RoaringBitmap> = Vec::with_capacity(questions.len());
        for (index, (question, raw_question)) in questions.iter().zip(raw).enumerate() {
            let reach = match &question.ask_if {
                None => (*scope).clone(),
                Some(rule) => self.follow_up_reach(rule, questions, &reaches, &scope),
            };
            if reach.is_empty() {
                if let (Some(rule), Some(raw_rule)) = (&question.ask_if, &raw_question.ask_if) {
                    let message = never_asked(question, rule, questions, &reaches);
                    let hint = "a follow-up is asked after one of the `any_of` answers, or when every candidate already fits one of them: list answers that fit products of the scope, or remove the question";
                    self.problems.push(
                        crate::yaml::warning_at(self.file, &raw_rule.question, message).hint(hint),
                    );
                }
            } else {
                for (o, raw_option) in raw_question.options.value.iter().enumerate() {
                    let used = followed.contains(&(index, o));
                    self.offered(question, o, raw_option, &reach, &scope, used);
                }
            }
            // A question none of whose options ever narrows is never asked either: its
            // follow-ups cannot come after its answers (the options say why).
            let splits = question.options.iter().any(|o| {
                o.effect.condition().is_some_and(|c| {
                    let fits = self.catalog.select(&c);
                    !fits.is_disjoint(&reach) && (question.always_ask || !reach.is_subset(&fits))
                })
            });
            reaches.push(if splits { reach } else { RoaringBitmap::new() });
        }
    }

    /// The products that can be candidates when a follow-up is asked: those meeting one of its
    /// answers, once that answer could be chosen (it is offered where the earlier question is
    /// asked), or fitting one of them (then the earlier question need not be asked at all).
    /// Not only the earlier question's reach: changing an answer before it to "no preference",
    /// or a repair dropping it, keeps the follow-up's answer and widens the candidates.
    fn follow_up_reach(
        &self,
        rule: &AskIf,
        questions: &[Question],
        reaches: &[RoaringBitmap],
        scope: &RoaringBitmap,
    ) -> RoaringBitmap {
        let parent = &questions[rule.question];
        let asked = &reaches[rule.question];
        // Ticked with other options, an answer of `combine: any` narrows to their union only.
        let alone = !(parent.kind == Kind::Multiple && parent.combine == Combine::Any);
        let mut reach = RoaringBitmap::new();
        for option in rule.options.iter().map(|o| &parent.options[*o]) {
            let chosen = match option.effect.condition() {
                // "No preference" is offered whenever the earlier question is asked.
                None => !asked.is_empty(),
                Some(condition) => {
                    let fits = self.catalog.select(&condition);
                    reach |= scope & &*fits;
                    !fits.is_disjoint(asked)
                }
            };
            if chosen {
                reach |= match option.effect.hard.as_ref().filter(|_| alone) {
                    Some(hard) => scope & &*self.catalog.select(hard),
                    None => scope.clone(),
                };
            }
        }
        reach
    }

    /// Warns when an option of a question that can be asked is never offered, or never changes
    /// anything because every product that can reach the question fits it.
    fn offered(
        &mut self,
        question: &Question,
        option: usize,
        raw: &RawOption,
        reach: &RoaringBitmap,
        scope: &Arc<RoaringBitmap>,
        followed: bool,
    ) {
        let answer = &question.options[option];
        let Some(condition) = answer.effect.condition() else {
            return;
        };
        let fits = self.catalog.select(&condition);
        let (id, asked) = (&answer.id, &question.id);
        let (message, hint) = if fits.is_disjoint(scope) {
            (
                format!(
                    "option `{id}` matches no product in this advisor's scope, so it is never offered"
                ),
                "check its values against the products of the `scope` (docs/questions.md, section \"Catalogue names and values\", shows how to list them), or remove the option",
            )
        } else if fits.is_disjoint(reach) {
            (
                format!(
                    "option `{id}` matches no product that can reach question `{asked}`, so it is never offered"
                ),
                "its products never get this far: they are left out by the question's `ask_if`; move the option to the question that fits them, or widen `ask_if`",
            )
        } else if reach.is_subset(&fits) && !followed {
            (
                format!(
                    "option `{id}` fits every product that can reach question `{asked}`, so it changes nothing"
                ),
                "a customer who picks it gets the same products in the same order as with no answer; narrow its values so it tells products apart, or make it the `no_preference` answer",
            )
        } else {
            return;
        };
        self.problems
            .push(crate::yaml::warning_at(self.file, &raw.id, message).hint(hint));
    }
}

/// Why a follow-up whose reach is empty is never asked.
fn never_asked(
    question: &Question,
    rule: &AskIf,
    questions: &[Question],
    reaches: &[RoaringBitmap],
) -> String {
    let parent = &questions[rule.question];
    let (indifferent, real): (Vec<usize>, Vec<usize>) = rule
        .options
        .iter()
        .partition(|o| parent.options[**o].effect.is_no_preference());
    let mut reasons = Vec::new();
    if rule.options.is_empty() {
        reasons.push("its `any_of` lists no answer".to_string());
    }
    if !real.is_empty() {
        let answers = if real.len() == 1 { "answer" } else { "answers" };
        reasons.push(format!(
            "no product in this advisor's scope fits the {answers} it follows, `{}`: {}",
            parent.id,
            known_list(real.iter().map(|o| parent.options[*o].id.as_str()))
        ));
    }
    if !indifferent.is_empty() && reaches[rule.question].is_empty() {
        reasons.push(format!(
            "`{}`, the question it depends on, is never asked",
            parent.id
        ));
    }
    format!(
        "question `{}` is never asked: {}",
        question.id,
        reasons.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::catalog::Catalog;
    use crate::diagnostics::Diagnostics;

    /// The warnings of a small jacket advisor with these questions, against the shipped catalogue.
    fn warnings(questions: &str) -> Vec<String> {
        let catalog = Catalog::load(Path::new("catalog")).expect("the shipped catalogue loads");
        let dir = std::env::temp_dir().join(format!("advisor-reach-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(format!("t{}.yaml", questions.len()));
        let text = format!(
            "title: {{en: Jackets}}\nlocales: [en]\nnoun: {{en: {{one: jacket, other: jackets}}}}\nscope: {{category: [Men/Tops/Jackets, Women/Tops/Jackets]}}\nquestions:\n{questions}"
        );
        std::fs::write(&file, text).expect("write");
        let found: Diagnostics = match crate::questions::load_file(&file, &catalog) {
            Ok((_, warnings)) => warnings,
            Err(problems) => panic!("{}", problems.render()),
        };
        std::fs::remove_file(&file).ok();
        found.iter().map(|d| d.message.clone()).collect()
    }

    const WHO: &str = "  - id: who\n    text: {en: Who?}\n    options:\n      - {id: women, label: {en: Women}, filter: {gender: [Women]}}\n      - {id: men, label: {en: Men}, filter: {gender: [Men]}}\n";

    #[test]
    fn a_follow_up_of_an_answer_never_offered_is_still_asked_when_every_candidate_fits_it() {
        // `cut` is only asked for women, so `mens_cut` is never offered there; but once every
        // candidate is a men's jacket (after "Men"), `details` follows anyway, as the dialogue
        // does for an `ask_if` every candidate already meets.
        let found = warnings(&format!(
            "{WHO}  - id: cut\n    ask_if: {{question: who, any_of: [women]}}\n    text: {{en: Cut?}}\n    options:\n      - {{id: mens_cut, label: {{en: Men's cut}}, filter: {{gender: [Men]}}}}\n      - {{id: rain, label: {{en: Rain}}, filter: {{climate: [Rainy]}}}}\n  - id: details\n    ask_if: {{question: cut, any_of: [mens_cut]}}\n    text: {{en: Details?}}\n    options:\n      - {{id: wind, label: {{en: Wind}}, filter: {{climate: [Windy]}}}}\n      - {{id: any, label: {{en: Any}}, no_preference: true}}\n"
        ));
        assert_eq!(
            found,
            vec![
                "option `mens_cut` matches no product that can reach question `cut`, so it is never offered"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_follow_up_keeps_its_answer_when_an_earlier_one_is_changed_to_no_preference() {
        // After "Women" and "No idea", changing "Women" to "Either" keeps "No idea": then
        // `extra` is asked over men's jackets too, and `mens` is offered.
        let found = warnings(&format!(
            "{}      - {{id: either, label: {{en: Either}}, no_preference: true}}\n  - id: warmth\n    ask_if: {{question: who, any_of: [women]}}\n    text: {{en: Warmth?}}\n    options:\n      - {{id: cosy, label: {{en: Cosy}}, prefer: {{climate: [Cold]}}}}\n      - {{id: no_idea, label: {{en: No idea}}, no_preference: true}}\n  - id: extra\n    ask_if: {{question: warmth, any_of: [no_idea]}}\n    text: {{en: Extra?}}\n    options:\n      - {{id: mens, label: {{en: Men's}}, filter: {{gender: [Men]}}}}\n      - {{id: rain, label: {{en: Rain}}, filter: {{climate: [Rainy]}}}}\n",
            WHO
        ));
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn a_follow_up_of_no_preference_is_never_asked_when_its_question_never_is() {
        let found = warnings(&format!(
            "{WHO}  - id: kids\n    ask_if: {{question: who, any_of: [men]}}\n    text: {{en: Kids?}}\n    options:\n      - {{id: kids, label: {{en: Kids}}, filter: {{category: [Gear/Bags]}}}}\n      - {{id: any, label: {{en: Any}}, no_preference: true}}\n  - id: size\n    ask_if: {{question: kids, any_of: [kids]}}\n    text: {{en: Size?}}\n    options:\n      - {{id: wind, label: {{en: Wind}}, filter: {{climate: [Windy]}}}}\n      - {{id: any, label: {{en: Any}}, no_preference: true}}\n  - id: after\n    ask_if: {{question: size, any_of: [any]}}\n    text: {{en: After?}}\n    options:\n      - {{id: rain, label: {{en: Rain}}, filter: {{climate: [Rainy]}}}}\n      - {{id: any, label: {{en: Any}}, no_preference: true}}\n"
        ));
        assert_eq!(
            found,
            vec![
                "option `kids` matches no product in this advisor's scope, so it is never offered".to_string(),
                "question `size` is never asked: no product in this advisor's scope fits the answer it follows, `kids`: `kids`".to_string(),
                "question `after` is never asked: `size`, the question it depends on, is never asked".to_string(),
            ]
        );
    }

    #[test]
    fn an_answer_that_follow_ups_depend_on_may_fit_every_product() {
        // `all` fits every jacket, which would change nothing, but `rain` follows it (when every
        // candidate fits `all`, which is always). `kind` itself never narrows, so it is never
        // asked, and `later`, which needs its "no preference", never comes.
        let found = warnings(&format!(
            "{WHO}  - id: kind\n    text: {{en: Kind?}}\n    options:\n      - {{id: all, label: {{en: All}}, filter: {{category: [Men/Tops/Jackets, Women/Tops/Jackets]}}}}\n      - {{id: everything, label: {{en: Everything}}, prefer: {{category: [Men/Tops/Jackets, Women/Tops/Jackets]}}}}\n      - {{id: none, label: {{en: None}}, no_preference: true}}\n  - id: later\n    ask_if: {{question: kind, any_of: [none]}}\n    text: {{en: Later?}}\n    options:\n      - {{id: rain, label: {{en: Rain}}, filter: {{climate: [Rainy]}}}}\n      - {{id: any, label: {{en: Any}}, no_preference: true}}\n  - id: rain\n    ask_if: {{question: kind, any_of: [all]}}\n    text: {{en: Rain?}}\n    options:\n      - {{id: rain, label: {{en: Rain}}, filter: {{climate: [Rainy]}}}}\n      - {{id: any, label: {{en: Any}}, no_preference: true}}\n"
        ));
        assert_eq!(
            found,
            vec![
                "option `everything` fits every product that can reach question `kind`, so it changes nothing"
                    .to_string(),
                "question `later` is never asked: `kind`, the question it depends on, is never asked"
                    .to_string(),
            ]
        );
    }
}
