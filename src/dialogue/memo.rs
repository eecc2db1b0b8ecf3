//! Evaluations remembered by state. An evaluation is a pure function of the advisor, the
//! catalogue and the state's event log, and many customers pass through the same states (every
//! conversation starts in the same one, and each turn first re-evaluates the state the previous
//! turn ended in), so each is computed once. Bounded by memory; when full it starts over.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::State;
use super::evaluate::Evaluation;

/// Memory the remembered evaluations may take, roughly.
const BUDGET_BYTES: usize = 64 << 20;
/// What an evaluation costs beside its candidate set, roughly.
const ENTRY_BYTES: usize = 2048;

/// Remembered evaluations of one advisor. A clone starts empty, so a changed copy of an advisor
/// never sees evaluations of the original.
#[derive(Default)]
pub struct Evaluations {
    memo: RwLock<Memo>,
}

#[derive(Default)]
struct Memo {
    by_state: HashMap<String, Arc<Evaluation>>,
    bytes: usize,
}

impl Clone for Evaluations {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for Evaluations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Evaluations")
    }
}

impl Evaluations {
    /// What identifies a state for evaluation: its event log, the question being changed and
    /// the context rules in effect (they add preferences).
    pub(super) fn key(state: &State) -> String {
        serde_json::to_string(&(
            &state.events,
            &state.changing,
            &state.clarifying,
            &state.context.rules,
        ))
        .unwrap_or_default()
    }

    pub(super) fn get(&self, key: &str) -> Option<Arc<Evaluation>> {
        self.memo
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .by_state
            .get(key)
            .cloned()
    }

    pub(super) fn put(&self, key: String, evaluation: Arc<Evaluation>) {
        let size = ENTRY_BYTES + key.len() + evaluation.candidates.serialized_size();
        let mut memo = self
            .memo
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if memo.bytes + size > BUDGET_BYTES {
            *memo = Memo::default();
        }
        memo.bytes += size;
        memo.by_state.insert(key, evaluation);
    }
}
