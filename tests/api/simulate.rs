//! The figures the shipped advisors must keep: simulated customers find their product.

use advisor::simulate::{self, Options};

use crate::helpers::shop;

fn options(noise: f64, text: bool, locale: Option<&str>) -> Options {
    Options {
        noise,
        seed: 1,
        text,
        locale: locale.map(|l| advisor::ids::Locale::parse(l).expect("locale")),
        target: None,
    }
}

fn success_at(report: &simulate::Report, depth: usize) -> f64 {
    report
        .success
        .iter()
        .find(|(k, _)| *k == depth)
        .map(|(_, share)| *share)
        .expect("depth measured")
}

#[test]
fn every_shipped_advisor_finds_the_product_in_few_questions() {
    let shop = shop();
    for advisor in &shop.advisors {
        let report =
            simulate::simulate(advisor, &shop.catalog, &options(0.0, false, None)).expect("runs");
        assert!(report.targets > 0);
        assert!(
            success_at(&report, 5) >= 0.95,
            "{}: success@5 {:.3}, never shortlisted {:?}",
            advisor.id,
            success_at(&report, 5),
            report.missed
        );
        // Usage questions come first, as a shop assistant asks (`role: usage`), even where the
        // price would narrow more: about one question more than asking by information alone.
        assert!(
            report.average_questions <= 5.0,
            "{}: {:.2} questions on average",
            advisor.id,
            report.average_questions
        );
        assert_eq!(report.dead_ends, 0, "{}", advisor.id);
        assert_eq!(report.stuck, 0, "{}", advisor.id);
    }
}

#[test]
fn free_text_answers_find_the_same_products_in_both_languages() {
    let shop = shop();
    for advisor in &shop.advisors {
        let clicks =
            simulate::simulate(advisor, &shop.catalog, &options(0.0, false, None)).expect("runs");
        for locale in ["en", "de"] {
            let text =
                simulate::simulate(advisor, &shop.catalog, &options(0.0, true, Some(locale)))
                    .expect("runs");
            assert_eq!(text.not_understood, 0, "{}/{locale}", advisor.id);
            assert!(
                success_at(&text, 5) >= success_at(&clicks, 5) - 0.05,
                "{}/{locale}: {:.3} by text against {:.3} by clicks",
                advisor.id,
                success_at(&text, 5),
                success_at(&clicks, 5)
            );
        }
    }
}

#[test]
fn wrong_answers_are_survived_without_getting_stuck() {
    let shop = shop();
    for advisor in &shop.advisors {
        let report =
            simulate::simulate(advisor, &shop.catalog, &options(0.1, false, None)).expect("runs");
        assert_eq!(report.stuck, 0, "{}", advisor.id);
        // Below the noise-free figure, but far from random.
        assert!(success_at(&report, 5) >= 0.6, "{}", advisor.id);
    }
}

#[test]
fn shoppers_typed_messages_are_understood_in_both_languages() {
    let shop = shop();
    for locale in ["en", "de"] {
        let file = std::path::PathBuf::from(format!("tests/utterances/{locale}.yaml"));
        let report = simulate::utterances::measure(&file, &shop.advisors, &shop.catalog)
            .expect("the corpus reads");
        assert!(
            report.messages >= 150,
            "{locale}: {} messages",
            report.messages
        );
        assert!(
            report.accuracy() >= 0.95,
            "{locale}: {:.3} of the messages understood exactly\n{}",
            report.accuracy(),
            simulate::utterances::render(&report, true)
        );
        assert_eq!(
            report.numbers_searched, 0,
            "{locale}: a number became a text search"
        );
        assert_eq!(
            report.filler_dead_ends, 0,
            "{locale}: filler led to a dead end"
        );
        for fact in &report.facts {
            assert!(
                fact.precision() >= 0.85 && fact.recall() >= 0.85,
                "{locale}: {} precision {:.2} recall {:.2}",
                fact.kind,
                fact.precision(),
                fact.recall()
            );
        }
    }
}
