//! Arbitrary bytes as a question file, checked against the shipped catalogue as startup does
//! (`questions::check_source`, what `questions::load_file` runs after reading the file). A file
//! the checker accepts must also start conversations and answer them to a shortlist without a
//! panic: a bad file stops startup, it never becomes a 500.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use advisor::catalog::Catalog;
use advisor::dialogue::{Input, StepError, start, step};
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog");
        Catalog::load(&folder).unwrap_or_else(|problems| panic!("{}", problems.render()))
    })
}

fuzz_target!(|data: &[u8]| {
    // Startup reads the file as UTF-8; anything else is one "cannot read" diagnostic.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = catalog();
    let file = Path::new("questions/fuzzed.yaml");
    let advisor = match advisor::questions::check_source(file, text, catalog) {
        Ok((advisor, mut warnings)) => {
            warnings.sort();
            let _ = warnings.render();
            advisor
        }
        Err(mut problems) => {
            assert!(problems.has_errors(), "refused without an error");
            problems.sort();
            let _ = problems.render();
            return;
        }
    };
    for locale in &advisor.locales {
        let mut outcome = start(&advisor, catalog, locale.clone(), None)
            .unwrap_or_else(|error| panic!("index error at start: {error}"));
        // Answer the first option on offer until the shortlist (a few more turns than questions).
        for _ in 0..advisor.questions.len() + 2 {
            let Some(ask) = &outcome.evaluation.next else {
                break;
            };
            let question = &advisor.questions[ask.question];
            let Some(offered) = ask.options.first() else {
                break;
            };
            let input = Input::Answer {
                question: question.id.to_string(),
                values: vec![question.options[offered.option].id.to_string()],
            };
            outcome = match step(&advisor, catalog, &outcome.state, input) {
                Ok(next) => next,
                Err(StepError::Index(error)) => panic!("index error: {error}"),
                Err(StepError::Rejected(error)) => panic!("an offered option refused: {error:?}"),
            };
        }
    }
});
