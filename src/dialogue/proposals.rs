//! What is proposed beside a reply, decided here so that `render` and every channel only present
//! it: the next step (another advisor for a need the shop does not carry, or the advisor's step
//! after a shortlist, `next.rs`) and the products that go well with each recommended one.

use super::{Notice, Outcome};
use crate::catalog::{Catalog, Pairing};
use crate::questions::{Advisor, Suggestion};

use super::next::{NextStepChoice, next_step};

/// The id prefix of the step that offers another advisor for a need the shop does not carry
/// (`not_carried.<id>`), reported back like any next step.
pub const NOT_CARRIED_STEP: &str = "not_carried.";

/// What a reply proposes beside its question or shortlist.
#[derive(Debug, Clone, Default)]
pub struct Proposals {
    pub next_step: Option<Proposal>,
    /// Per recommended product meeting every wish (not close alternatives), in shortlist order:
    /// the products shown with it.
    pub companions: Vec<Companions>,
}

/// The next step a reply proposes.
#[derive(Debug, Clone)]
pub enum Proposal {
    /// Another advisor, for a need the shop does not carry (index into `advisor.not_carried`).
    OtherAdvisor { need: usize },
    /// One of the advisor's `next_steps` after a shortlist.
    Step(NextStepChoice),
}

impl Proposal {
    /// The id clients report back when the customer accepts or declines it.
    pub fn id(&self, advisor: &Advisor) -> String {
        match self {
            Proposal::OtherAdvisor { need } => advisor
                .not_carried
                .get(*need)
                .map(|need| format!("{NOT_CARRIED_STEP}{}", need.id))
                .unwrap_or_default(),
            Proposal::Step(choice) => advisor
                .next_steps
                .get(choice.step)
                .map(|step| step.id.clone())
                .unwrap_or_default(),
        }
    }
}

/// The products shown beside one recommended product.
#[derive(Debug, Clone)]
pub struct Companions {
    /// The recommended product's ordinal.
    pub anchor: u32,
    pub pairings: Vec<Pairing>,
}

impl Proposals {
    /// The companions of the product `anchor`, if it has any.
    pub fn companions_of(&self, anchor: u32) -> &[Pairing] {
        self.companions
            .iter()
            .find(|c| c.anchor == anchor)
            .map_or(&[], |c| c.pairings.as_slice())
    }
}

/// Decides what `outcome`'s reply proposes.
pub(super) fn propose(advisor: &Advisor, catalog: &Catalog, outcome: &Outcome) -> Proposals {
    Proposals {
        next_step: proposed_step(advisor, catalog, outcome),
        companions: companions(catalog, outcome),
    }
}

/// Another advisor a need not carried suggests, else the advisor's next step.
fn proposed_step(advisor: &Advisor, catalog: &Catalog, outcome: &Outcome) -> Option<Proposal> {
    for notice in &outcome.notices {
        if let Notice::NotCarried { need } = notice
            && let Some(not_carried) = advisor.not_carried.get(*need)
            && let Some(Suggestion::Advisor(_)) = &not_carried.suggest
        {
            return Some(Proposal::OtherAdvisor { need: *need });
        }
    }
    next_step(advisor, catalog, &outcome.state, &outcome.evaluation).map(Proposal::Step)
}

/// "Goes well with" for every shortlisted product meeting every wish: the catalogue's pairings,
/// never a product already shown or a variant of one, nor one the customer already put in the
/// cart or bought in this conversation (as the client reported it): companions, not more of the
/// same.
fn companions(catalog: &Catalog, outcome: &Outcome) -> Vec<Companions> {
    let n = catalog.goes_well_with_count();
    if n == 0 {
        return Vec::new();
    }
    let owned = outcome
        .state
        .feedback
        .carted
        .iter()
        .filter_map(|id| catalog.ordinal(id));
    let shown: Vec<u32> = outcome
        .evaluation
        .shortlist
        .iter()
        .map(|r| r.ordinal)
        .chain(owned)
        .collect();
    let groups: Vec<u32> = shown
        .iter()
        .filter_map(|o| catalog.product(*o)?.group())
        .collect();
    let avoid = |ordinal: u32| {
        shown.contains(&ordinal)
            || catalog
                .product(ordinal)
                .and_then(|p| p.group())
                .is_some_and(|g| groups.contains(&g))
    };
    outcome
        .evaluation
        .shortlist
        .iter()
        .filter(|r| r.misses.is_empty())
        .map(|r| Companions {
            anchor: r.ordinal,
            pairings: catalog.goes_well_with(r.ordinal, &avoid, n),
        })
        .filter(|c| !c.pairings.is_empty())
        .collect()
}
