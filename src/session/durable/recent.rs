//! The states this process saved last, so a load of an active conversation skips reading and
//! decoding its JSON. Only this process writes the database file (redb locks it), so an entry is
//! exactly what is on disk: it is put in after the write that stored it was committed, and a
//! conversation's turn only grows, so a late update never replaces a newer state.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::dialogue::State;

/// At most this many conversations are remembered; beyond it, an arbitrary one is forgotten.
const CAPACITY: usize = 8192;

#[derive(Default)]
pub(super) struct Recent {
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    state: State,
    /// Unix second after which the conversation is expired.
    expires: u64,
}

impl Recent {
    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // Every change is one insert or remove: a panic cannot leave an entry half written.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The remembered state if it does not expire before `fresh_since` (else the store reads
    /// the file and refreshes the expiry).
    pub(super) fn get(&self, id: &str, fresh_since: u64, now: u64) -> Option<State> {
        let entries = self.entries();
        let entry = entries.get(id)?;
        (entry.expires >= fresh_since && entry.expires > now).then(|| entry.state.clone())
    }

    /// Remembers a committed state, unless a later turn is remembered already.
    pub(super) fn put(&self, id: &str, state: &State, expires: u64) {
        let mut entries = self.entries();
        if entries.get(id).is_some_and(|e| e.state.turn > state.turn) {
            return;
        }
        if entries.len() >= CAPACITY && !entries.contains_key(id) {
            let victim = entries.keys().next().cloned();
            if let Some(victim) = victim {
                entries.remove(&victim);
            }
        }
        let state = state.clone();
        entries.insert(id.to_string(), Entry { state, expires });
    }

    pub(super) fn forget(&self, id: &str) {
        self.entries().remove(id);
    }

    /// Forgets every conversation expired at `now`.
    pub(super) fn forget_expired(&self, now: u64) {
        self.entries().retain(|_, entry| entry.expires > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::sample_state as state;

    #[test]
    fn a_later_turn_is_never_replaced_by_an_earlier_one() {
        let recent = Recent::default();
        recent.put("c", &state(2), 100);
        recent.put("c", &state(1), 100);
        assert_eq!(recent.get("c", 50, 10).map(|s| s.turn), Some(2));
        recent.put("c", &state(3), 100);
        assert_eq!(recent.get("c", 50, 10).map(|s| s.turn), Some(3));
    }

    #[test]
    fn stale_or_expired_entries_are_not_answered() {
        let recent = Recent::default();
        recent.put("c", &state(1), 100);
        assert!(recent.get("c", 101, 10).is_none(), "due for a refresh");
        assert!(recent.get("c", 50, 100).is_none(), "expired");
        recent.forget_expired(100);
        assert!(recent.get("c", 0, 0).is_none());
        recent.put("d", &state(1), 100);
        recent.forget("d");
        assert!(recent.get("d", 0, 0).is_none());
    }
}
