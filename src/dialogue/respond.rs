//! The dialogue's entry points for every channel (the API, the Rasa channel, `advisor chat`):
//! open a conversation, respond to an input, show where a conversation stands. Each applies the
//! client's context when one is sent and decides what the reply proposes beside its question or
//! shortlist (`proposals.rs`), so a channel only presents the outcome.

use super::proposals::propose;
use super::situation::apply_context;
use super::step::{start, step};
use super::{Context, Input, Notice, Outcome, State, StepError, evaluate};
use crate::catalog::{Catalog, IndexError};
use crate::ids::Locale;
use crate::questions::Advisor;

/// Starts a conversation; a context sent with the start is applied before the first reply.
pub fn open(
    advisor: &Advisor,
    catalog: &Catalog,
    locale: Locale,
    customer_name: Option<String>,
    context: Option<&Context>,
) -> Result<Outcome, IndexError> {
    let mut outcome = start(advisor, catalog, locale, customer_name)?;
    if let Some(context) = context {
        let (state, notices) = apply_context(advisor, &outcome.state, context);
        outcome.evaluation = evaluate(advisor, catalog, &state)?;
        outcome.state = state;
        outcome.notices = notices;
    }
    outcome.proposals = propose(advisor, catalog, &outcome);
    Ok(outcome)
}

/// Applies one input; a context sent with it is applied first (its notices come first).
pub fn respond(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    input: Input,
    context: Option<&Context>,
) -> Result<Outcome, StepError> {
    let mut outcome = match context {
        None => step(advisor, catalog, state, input)?,
        Some(context) => {
            let (situated, mut notices) = apply_context(advisor, state, context);
            let mut stepped = step(advisor, catalog, &situated, input)?;
            notices.append(&mut stepped.notices);
            stepped.notices = notices;
            stepped
        }
    };
    outcome.proposals = propose(advisor, catalog, &outcome);
    Ok(outcome)
}

/// Where a stored conversation stands, with what its last reply said (`State::said`) after
/// the `notices` given: its last reply again.
pub fn current(
    advisor: &Advisor,
    catalog: &Catalog,
    state: State,
    mut notices: Vec<Notice>,
) -> Result<Outcome, IndexError> {
    let evaluation = evaluate(advisor, catalog, &state)?;
    notices.extend(state.said.iter().cloned());
    let mut outcome = Outcome {
        state,
        evaluation,
        notices,
        proposals: Default::default(),
        before: None,
    };
    outcome.proposals = propose(advisor, catalog, &outcome);
    Ok(outcome)
}
