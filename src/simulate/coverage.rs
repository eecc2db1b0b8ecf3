//! Coverage, for `advisor check`: which listed products in an advisor's scope a customer can be
//! recommended at all. A product is covered when the truthful customer who wants exactly it (the
//! simulated customer of `advisor simulate` without wrong answers: it taps the options the
//! product meets, "no preference" where it meets none, a skip where there is none, and the first
//! repair at a dead end) gets it, or a variant of its group, onto the shortlist.
//!
//! The conversation of such a customer depends only on which options the product meets, so one
//! conversation is run per distinct answer pattern and its shortlist judged for every product
//! with that pattern. Above [`SAMPLE`] products in scope a deterministic sample is checked and
//! the share extrapolated. The conversations drive `dialogue::step` like the API; startup does
//! not run them: coverage is a warning, not validity.

use std::collections::{HashMap, HashSet};

use crate::catalog::{Catalog, Product};
use crate::diagnostics::{Diagnostic, Diagnostics, thousands};
use crate::dialogue::{self, StepError};
use crate::ids::Locale;
use crate::questions::{Advisor, title_position as title_line};
use crate::simulate as customer;

/// At most this many products in scope are checked; above, an even sample of them.
pub const SAMPLE: usize = 2000;
/// Product ids named in the warning.
const NAMED: usize = 10;
/// A conversation longer than this many inputs is stuck (as in `advisor simulate`).
const MAX_INPUTS: usize = 40;

/// How many of an advisor's products can be recommended.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Listed products in the advisor's scope.
    pub in_scope: usize,
    /// Products checked: all of them, or a sample of [`SAMPLE`].
    pub checked: usize,
    /// Ids of the checked products never shortlisted, in file order.
    pub missed: Vec<String>,
}

impl Coverage {
    pub fn is_sample(&self) -> bool {
        self.checked < self.in_scope
    }
}

/// Measures the coverage of one advisor (in its default locale).
pub fn coverage(advisor: &Advisor, catalog: &Catalog) -> Result<Coverage, StepError> {
    let scope = catalog.select(&advisor.scope);
    let in_scope = scope.len() as usize;
    let targets: Vec<u32> = if in_scope > SAMPLE {
        let all: Vec<u32> = scope.iter().collect();
        (0..SAMPLE).map(|i| all[i * in_scope / SAMPLE]).collect()
    } else {
        scope.iter().collect()
    };
    let mut missed = Vec::new();
    for (pattern, members) in by_pattern(advisor, catalog, &targets) {
        let Some(first) = catalog.product(pattern) else {
            continue;
        };
        let shortlist = truthful_shortlist(advisor, catalog, &first)?;
        let groups: HashSet<u32> = shortlist
            .iter()
            .filter_map(|o| catalog.product(*o).and_then(|p| p.group()))
            .collect();
        for product in members.iter().filter_map(|o| catalog.product(*o)) {
            let shown = shortlist.contains(&product.ordinal)
                || product.group().is_some_and(|g| groups.contains(&g));
            if !shown {
                missed.push((product.ordinal, product.id().to_string()));
            }
        }
    }
    missed.sort();
    Ok(Coverage {
        in_scope,
        checked: targets.len(),
        missed: missed.into_iter().map(|(_, id)| id).collect(),
    })
}

/// One warning per advisor with products that cannot be recommended, at its `title`.
pub fn check_coverage(advisors: &[Advisor], catalog: &Catalog) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for advisor in advisors {
        let diagnostic = match coverage(advisor, catalog) {
            Ok(found) if found.missed.is_empty() => continue,
            Ok(found) => Diagnostic::warning(&advisor.file, message(advisor, &found))
                .hint(hint(advisor, &found)),
            Err(error) => Diagnostic::warning(
                &advisor.file,
                format!(
                    "`{}`: the coverage could not be measured: {error}",
                    advisor.id
                ),
            ),
        };
        problems.push(match title_line(advisor) {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        });
    }
    problems
}

/// The targets grouped by the options they meet, each group keyed by its first product.
fn by_pattern(advisor: &Advisor, catalog: &Catalog, targets: &[u32]) -> Vec<(u32, Vec<u32>)> {
    let sets: Vec<_> = advisor
        .questions
        .iter()
        .flat_map(|q| q.options.iter())
        .filter_map(|o| o.effect.condition())
        .map(|c| catalog.select(&c))
        .collect();
    let mut groups: Vec<(u32, Vec<u32>)> = Vec::new();
    let mut by_key: HashMap<Vec<u64>, usize> = HashMap::new();
    for &target in targets {
        let mut key = vec![0u64; sets.len().div_ceil(64)];
        for (bit, set) in sets.iter().enumerate() {
            if set.contains(target) {
                key[bit / 64] |= 1 << (bit % 64);
            }
        }
        let at = *by_key.entry(key).or_insert_with(|| {
            groups.push((target, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(target);
    }
    groups
}

/// The shortlist the truthful customer for `product` ends with (empty when the conversation
/// never gets there).
fn truthful_shortlist(
    advisor: &Advisor,
    catalog: &Catalog,
    product: &Product<'_>,
) -> Result<Vec<u32>, StepError> {
    let locale: Locale = advisor.default_locale().clone();
    let mut outcome = dialogue::start(advisor, catalog, locale, None)?;
    for _ in 0..MAX_INPUTS {
        let evaluation = &outcome.evaluation;
        let input = if evaluation.is_dead_end() {
            let Some(relax) = customer::relax_first(advisor, evaluation) else {
                return Ok(Vec::new());
            };
            relax
        } else if let Some(ask) = &evaluation.next {
            let question = &advisor.questions[ask.question];
            let offered = customer::offered(ask);
            let truthful = customer::truthful(question, &offered, product);
            customer::click(
                question,
                &customer::or_no_preference(question, &offered, truthful),
            )
        } else {
            return Ok(evaluation.shortlist.iter().map(|r| r.ordinal).collect());
        };
        outcome = dialogue::step(advisor, catalog, &outcome.state, input)?;
    }
    Ok(Vec::new())
}

fn message(advisor: &Advisor, found: &Coverage) -> String {
    let mut ids: Vec<&str> = found
        .missed
        .iter()
        .take(NAMED)
        .map(String::as_str)
        .collect();
    if found.missed.len() > NAMED {
        ids.push("…");
    }
    let ids = ids.join(", ");
    let missed = found.missed.len();
    if found.is_sample() {
        let share = missed as f64 / found.checked.max(1) as f64;
        let estimate = (share * found.in_scope as f64).round() as usize;
        format!(
            "`{}`: {} of a sample of {} of the {} listed products in scope ({:.1}%, about {} in all) never reach the shortlist, even when every answer fits them: {ids}",
            advisor.id,
            thousands(missed),
            thousands(found.checked),
            thousands(found.in_scope),
            share * 100.0,
            thousands(estimate),
        )
    } else {
        format!(
            "`{}`: {} of {} listed products in scope never reach the shortlist, even when every answer fits them: {ids}",
            advisor.id,
            thousands(missed),
            thousands(found.in_scope),
        )
    }
}

fn hint(advisor: &Advisor, found: &Coverage) -> String {
    let first = found.missed.first().map_or("", String::as_str);
    format!(
        "a customer who wants one of them gets other products instead: add a question or an option that tells them apart, raise `shortlist.size` or `stop.max_candidates`, or narrow `scope`; `advisor simulate --advisor {} --target {first}` shows the conversation",
        advisor.id
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::{Paths, Shop};

    fn load(paths: &Paths) -> Shop {
        let (shop, problems) = Shop::load(paths);
        shop.unwrap_or_else(|| panic!("{}", problems.render()))
    }

    #[test]
    fn coverage_misses_exactly_what_the_simulated_customers_miss() {
        let shop = load(&Paths::default());
        let options = crate::simulate::Options {
            noise: 0.0,
            seed: 1,
            text: false,
            locale: None,
            target: None,
        };
        for advisor in &shop.advisors {
            let found = coverage(advisor, &shop.catalog).expect("coverage");
            let simulated =
                crate::simulate::simulate(advisor, &shop.catalog, &options).expect("simulate");
            assert_eq!(found.in_scope, simulated.targets, "{}", advisor.id);
            assert_eq!(found.checked, found.in_scope, "{}", advisor.id);
            assert_eq!(found.missed, simulated.missed, "{}", advisor.id);
        }
    }

    #[test]
    fn a_large_scope_is_checked_on_an_even_sample_and_said_so() {
        let dir = std::env::temp_dir().join(format!("advisor-coverage-{}", std::process::id()));
        crate::synthetic::generate(&dir, 3000, 1).expect("a synthetic shop");
        let paths = Paths {
            catalog: dir.join("catalog"),
            questions: dir.join("questions"),
            ..Paths::default()
        };
        let shop = load(&paths);
        let advisor = &shop.advisors[0];
        let found = coverage(advisor, &shop.catalog).expect("coverage");
        assert!(found.in_scope > SAMPLE, "{}", found.in_scope);
        assert_eq!(found.checked, SAMPLE);
        assert!(found.is_sample());
        assert_eq!(found, coverage(advisor, &shop.catalog).expect("again"));
        let problems = check_coverage(&shop.advisors, &shop.catalog);
        let warning = problems
            .iter()
            .next()
            .expect("the synthetic advisor misses some");
        assert!(
            warning.message.contains(&format!(
                "of a sample of 2,000 of the {} listed products in scope (",
                thousands(found.in_scope)
            )),
            "{}",
            warning.message
        );
        assert_eq!(warning.line, Some(2), "at the title");
        std::fs::remove_dir_all(&dir).ok();
    }
}
