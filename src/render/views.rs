//! The typed view models the templates render. Their fields are the variables a template may
//! use; `templates/README.md` documents them. Each has a `sample` for the startup check.

use serde::Serialize;

/// `greeting.hbs`: the first message of a conversation.
#[derive(Debug, Serialize)]
pub struct GreetingView {
    pub advisor_title: String,
    /// `null` unless the client sent the customer's name.
    pub customer_name: Option<String>,
    pub candidate_count: usize,
    /// The advisor's noun for `candidate_count` ("jacket" or "jackets").
    pub noun: String,
}

/// `question.hbs`: the text introducing a question.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    pub question: String,
    pub kind: &'static str,
    pub candidate_count: usize,
    pub noun: String,
    /// How many answers were given so far.
    pub answered_count: usize,
}

/// `shortlist.hbs`: the text above the recommended products.
#[derive(Debug, Serialize)]
pub struct ShortlistView {
    pub customer_name: Option<String>,
    /// How many products are shown.
    pub count: usize,
    /// How many products fit all answers (may be more than shown).
    pub candidate_count: usize,
    pub noun: String,
    /// Labels of the answers given, e.g. ["For a woman", "Rain, Wind"].
    pub answers: Vec<String>,
}

/// `no_match.hbs`: the chosen options together leave nothing; the question is asked again.
#[derive(Debug, Serialize)]
pub struct NoMatchView {
    pub question: String,
    /// Labels of the options that were chosen together.
    pub choices: Vec<String>,
    pub noun: String,
}

/// `nothing_found.hbs`: no product fits the answers (e.g. after the catalogue changed).
#[derive(Debug, Serialize)]
pub struct NothingFoundView {
    pub noun: String,
}

/// `went_back.hbs`: the last answer was undone.
#[derive(Debug, Serialize)]
pub struct WentBackView {
    /// The question whose answer was undone.
    pub question: String,
}

/// `restarted.hbs`: every answer was forgotten.
#[derive(Debug, Serialize)]
pub struct RestartedView {
    pub advisor_title: String,
}

/// `action_back.hbs`, `action_restart.hbs`: button labels, no variables.
#[derive(Debug, Serialize)]
pub struct ActionLabelView {}

impl GreetingView {
    pub fn sample() -> Self {
        Self {
            advisor_title: "Find your jacket".into(),
            customer_name: Some("Anna".into()),
            candidate_count: 23,
            noun: "jackets".into(),
        }
    }
}

impl QuestionView {
    pub fn sample() -> Self {
        Self {
            question: "Who is it for?".into(),
            kind: "single",
            candidate_count: 23,
            noun: "jackets".into(),
            answered_count: 1,
        }
    }
}

impl ShortlistView {
    pub fn sample() -> Self {
        Self {
            customer_name: None,
            count: 3,
            candidate_count: 4,
            noun: "jackets".into(),
            answers: vec!["For a woman".into(), "Rain, Wind".into()],
        }
    }
}

impl NoMatchView {
    pub fn sample() -> Self {
        Self {
            question: "What should it protect you from?".into(),
            choices: vec!["Rain".into(), "Cold".into()],
            noun: "jackets".into(),
        }
    }
}

impl NothingFoundView {
    pub fn sample() -> Self {
        Self {
            noun: "jackets".into(),
        }
    }
}

impl WentBackView {
    pub fn sample() -> Self {
        Self {
            question: "Who is it for?".into(),
        }
    }
}

impl RestartedView {
    pub fn sample() -> Self {
        Self {
            advisor_title: "Find your jacket".into(),
        }
    }
}
