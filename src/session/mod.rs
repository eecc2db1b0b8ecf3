//! Where conversation state lives between requests, behind a small interface so a durable or
//! shared store can replace the in-memory one.
//!
//! Stores keep states opaque: they never look inside beyond the turn number used to refuse
//! stale writes.

mod memory;

use async_trait::async_trait;

pub use memory::MemoryStore;

use crate::dialogue::State;
use crate::ids::ConversationId;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// No such conversation (never existed, expired or deleted).
    #[error("conversation not found")]
    NotFound,
    /// Another turn was saved since this state was loaded.
    #[error("the conversation changed meanwhile (now at turn {current})")]
    Conflict { current: u32 },
    /// The store holds as many conversations as it is allowed to.
    #[error("too many open conversations")]
    Full,
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new conversation.
    async fn create(&self, id: &ConversationId, state: &State) -> Result<(), StoreError>;
    /// The conversation's state, refreshing its expiry.
    async fn load(&self, id: &ConversationId) -> Result<State, StoreError>;
    /// Replaces the state if the stored one is still at `expected_turn`.
    async fn save(
        &self,
        id: &ConversationId,
        state: &State,
        expected_turn: u32,
    ) -> Result<(), StoreError>;
    /// Forgets the conversation; `false` if there was none.
    async fn delete(&self, id: &ConversationId) -> Result<bool, StoreError>;
    /// Forgets expired conversations and says how many.
    async fn sweep(&self) -> usize;
}
