//! The analytics event: one JSON line per turn, shortlist or client feedback. This is the
//! contract between the routes that emit events and the report that reads them, so field names
//! are stable and new fields are optional. An event carries no personal data: the conversation is
//! a pseudonym, free text only as filtered words (`safe_words`), never an address or agent.

use serde::{Deserialize, Serialize};

/// One anonymous event, as written to the JSON Lines files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unix seconds (UTC).
    pub at: u64,
    /// `pseudonym(conversation_id)`, never the id itself.
    pub conversation: String,
    /// The base advisor id (the A/B experiment's advisor).
    pub advisor: String,
    /// `a` or `b` when the advisor runs an A/B test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The advisor file's version.
    pub version: String,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened; `type` in the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A conversation started.
    Started {
        locale: String,
        /// The first question asked.
        #[serde(default)]
        question: Option<String>,
        /// Ids of the context rules in effect.
        #[serde(default)]
        context: Vec<String>,
    },
    /// An input was applied.
    Turn {
        turn: u32,
        /// `answer`, `text`, `back`, `restart`, `skip`, `change`, `relax`, `critique`,
        /// `similar`, `exclude` or `handoff`.
        input: String,
        /// The question on offer when the input came.
        #[serde(default)]
        question: Option<String>,
        /// What this input answered.
        #[serde(default)]
        answers: Vec<Answered>,
        /// Candidates before the input.
        before: u32,
        /// Candidates after the input.
        after: u32,
        /// `question`, `shortlist`, `dead_end` or `handed_off`.
        outcome: String,
        /// The question asked now, if any.
        #[serde(default)]
        next_question: Option<String>,
        /// Words of a free text that matched nothing, already passed through `safe_words`.
        #[serde(default)]
        unmatched: Vec<String>,
        /// `question=option` wishes that together left nothing (with `outcome = dead_end`).
        #[serde(default)]
        dead_end: Vec<String>,
    },
    /// A shortlist was shown.
    Shortlist {
        /// Questions answered so far.
        questions: u32,
        #[serde(default)]
        products: Vec<String>,
        /// The next step proposed with it, if any.
        #[serde(default)]
        next_step: Option<String>,
    },
    /// The client told what the customer did (`POST /v1/conversations/{id}/events`).
    Feedback {
        action: Feedback,
        #[serde(default)]
        product: Option<String>,
        /// The next step accepted or rejected.
        #[serde(default)]
        step: Option<String>,
    },
}

/// What one input answered: a question and the options chosen (free text included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answered {
    pub question: String,
    pub options: Vec<String>,
}

/// A customer action the client reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feedback {
    ProductViewed,
    ProductClicked,
    AddedToCart,
    Purchased,
    HandoffUsed,
    NextStepAccepted,
    NextStepRejected,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_is_one_flat_json_object_with_stable_names() {
        let event = Event {
            at: 1_700_000_000,
            conversation: "0123456789abcdef".into(),
            advisor: "jackets".into(),
            variant: None,
            version: "v1".into(),
            kind: EventKind::Turn {
                turn: 1,
                input: "answer".into(),
                question: Some("who".into()),
                answers: vec![Answered {
                    question: "who".into(),
                    options: vec!["women".into()],
                }],
                before: 120,
                after: 64,
                outcome: "question".into(),
                next_question: Some("where".into()),
                unmatched: vec![],
                dead_end: vec![],
            },
        };
        let line = serde_json::to_string(&event).expect("serializes");
        assert!(line.starts_with(r#"{"at":1700000000,"conversation":"0123456789abcdef","advisor":"jackets","version":"v1","type":"turn","turn":1,"#), "{line}");
        assert!(!line.contains("variant"), "{line}");
        let back: Event = serde_json::from_str(&line).expect("parses");
        assert_eq!(back, event);
    }

    #[test]
    fn feedback_and_optional_fields_parse_from_a_short_line() {
        let line = r#"{"at":5,"conversation":"c","advisor":"jackets","variant":"b","version":"v2","type":"feedback","action":"added_to_cart","product":"p1"}"#;
        let event: Event = serde_json::from_str(line).expect("parses");
        assert_eq!(event.variant.as_deref(), Some("b"));
        assert_eq!(
            event.kind,
            EventKind::Feedback {
                action: Feedback::AddedToCart,
                product: Some("p1".into()),
                step: None
            }
        );
    }
}
