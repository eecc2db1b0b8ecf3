//! A/B tests: a question file can be the second version (`b`) of another advisor. New
//! conversations of that advisor are split between the two by their id, deterministically, so
//! every instance puts a conversation in the same group; the analytics report compares them.
//! This file checks the `experiment:` sections across all advisors and makes the split.

use schemars::JsonSchema;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::Advisor;
use crate::diagnostics::{Diagnostic, Diagnostics, known_list};
use crate::ids::AdvisorId;
use crate::yaml::Spanned;

/// This file is version `b` of another advisor, shown to a share of its new conversations.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Experiment")]
pub(crate) struct RawExperiment {
    /// The advisor this file is a second version of (its id: its file name without `.yaml`).
    #[schemars(with = "String")]
    pub(super) variant_of: Spanned<String>,
    /// Percent of that advisor's new conversations that get this version (1 to 99).
    #[schemars(with = "u32", range(min = 1, max = 99))]
    pub(super) share: Spanned<u32>,
}

/// A checked `experiment:` section (before the cross-check of all advisors).
#[derive(Debug, Clone)]
pub struct Experiment {
    /// The advisor this one is version `b` of.
    pub variant_of: String,
    /// Percent of new conversations that get version `b`.
    pub share: u32,
    /// Where `variant_of` is written, for diagnostics across files.
    pub line: u64,
    pub column: u64,
}

impl Experiment {
    pub(super) fn from_raw(raw: &RawExperiment) -> Self {
        Self {
            variant_of: raw.variant_of.value.trim().to_string(),
            share: raw.share.value,
            line: raw.variant_of.referenced.line(),
            column: raw.variant_of.referenced.column(),
        }
    }
}

/// The A/B group of a new conversation: `b` for `share` percent of ids, else `a`.
pub fn group(conversation_id: &str, share: u32) -> &'static str {
    let digest = Sha256::digest(format!("advisor-ab:{conversation_id}").as_bytes());
    let bucket = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 100;
    if bucket < share { "b" } else { "a" }
}

/// Checks the experiments across advisors: the advisor exists and is not a variant itself, it
/// has one variant at most, the variant speaks its languages, and the share is 1 to 99.
pub(super) fn check(advisors: &[Advisor], problems: &mut Diagnostics) {
    for advisor in advisors {
        let Some(experiment) = &advisor.experiment else {
            continue;
        };
        let mut problem = |message: String, hint: String| {
            problems.push(
                Diagnostic::error(&advisor.file, message)
                    .at(experiment.line, experiment.column)
                    .hint(hint),
            );
        };
        if !(1..=99).contains(&experiment.share) {
            problem(
                format!(
                    "`share` is {}, not a percent from 1 to 99",
                    experiment.share
                ),
                "e.g. `share: 50` splits new conversations evenly".into(),
            );
        }
        let base = advisors
            .iter()
            .find(|a| a.id.as_str() == experiment.variant_of);
        let Some(base) = base else {
            let known = known_list(
                advisors
                    .iter()
                    .filter(|a| a.experiment.is_none())
                    .map(|a| a.id.as_str()),
            );
            problem(
                format!("no advisor `{}` to be a version of", experiment.variant_of),
                format!("advisors: {known}"),
            );
            continue;
        };
        if base.id == advisor.id || base.experiment.is_some() {
            problem(
                format!("`{}` is itself a test version", experiment.variant_of),
                "name the advisor customers start, the one without `experiment:`".into(),
            );
        }
        let rivals = advisors
            .iter()
            .filter(|a| {
                a.experiment
                    .as_ref()
                    .is_some_and(|e| e.variant_of == experiment.variant_of)
            })
            .count();
        if rivals > 1 {
            problem(
                format!("`{}` has more than one test version", experiment.variant_of),
                "an A/B test compares two versions: keep one file with this `variant_of`".into(),
            );
        }
        let missing: Vec<&str> = base
            .locales
            .iter()
            .filter(|l| !advisor.locales.contains(l))
            .map(|l| l.as_str())
            .collect();
        if !missing.is_empty() {
            problem(
                format!(
                    "the test version lacks locales of `{}`: {}",
                    base.id,
                    missing.join(", ")
                ),
                "a conversation may be in any locale of the advisor: list them all".into(),
            );
        }
    }
}

/// The version `b` of `base` among `advisors`, with its share.
pub fn variant_of<'a>(advisors: &'a [Advisor], base: &AdvisorId) -> Option<(&'a Advisor, u32)> {
    advisors.iter().find_map(|a| {
        a.experiment
            .as_ref()
            .filter(|e| e.variant_of == base.as_str())
            .map(|e| (a, e.share))
    })
}

#[cfg(test)]
mod tests {
    use super::group;

    #[test]
    fn the_split_is_deterministic_and_close_to_the_share() {
        let ids: Vec<String> = (0..10_000).map(|i| format!("{i:032x}")).collect();
        let b = ids.iter().filter(|id| group(id, 30) == "b").count();
        assert!((2_800..=3_200).contains(&b), "{b} of 10000 in b");
        assert!(ids.iter().all(|id| group(id, 30) == group(id, 30)));
        assert!(
            ids.iter()
                .all(|id| group(id, 1) == "a" || group(id, 30) == "b")
        );
    }
}
