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

/// `no_match.hbs`: the chosen options together leave nothing; repairs and close alternatives
/// follow.
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

/// `went_back.hbs`, `skipped.hbs`, `changing.hbs`, `not_understood.hbs`: a message about one
/// question (the one undone, skipped, being changed, or on offer); `null` when there is none.
#[derive(Debug, Serialize)]
pub struct QuestionRefView {
    pub question: Option<String>,
}

/// `understood.hbs`: what a free text was taken to mean.
#[derive(Debug, Serialize)]
pub struct UnderstoodView {
    /// The answers taken from the text, e.g. ["Rain", "For a woman"].
    pub answers: Vec<String>,
    /// Amounts as ranges, each rendered by `amount.hbs`, e.g. ["up to $80"].
    pub amounts: Vec<String>,
    /// Negated answers left out or ranked lower, e.g. ["Running"].
    pub avoided: Vec<String>,
    /// Negated words: products whose descriptions have them rank lower, or `null`.
    pub avoided_words: Option<String>,
    /// Critiques leaned towards before a shortlist, e.g. ["Cheaper"].
    pub leaning: Vec<String>,
    /// Words that rank products whose descriptions have them, or `null`.
    pub wish: Option<String>,
    /// Words products must have in a filtering text field (a brand), or `null`.
    pub required: Option<String>,
    /// Words that could not be used.
    pub ignored: Vec<String>,
}

/// `amount.hbs`: a range read from an amount. `min` and `max` are formatted numbers, `unit`
/// the currency sign or the number's unit word ("$", "cm"); at least one of `min`, `max`.
#[derive(Debug, Serialize)]
pub struct AmountView {
    pub min: Option<String>,
    pub max: Option<String>,
    pub unit: String,
    /// Whether the unit is a currency (signs go before or after the number by locale).
    pub currency: bool,
}

/// `clarify.hbs`: two options of one question were named; which is it?
#[derive(Debug, Serialize)]
pub struct ClarifyView {
    pub question: String,
    /// The option labels offered back, e.g. ["Hiking and outdoors", "Running"].
    pub options: Vec<String>,
}

/// `not_carried.hbs`: the shop does not carry what the customer asked for.
#[derive(Debug, Serialize)]
pub struct NotCarriedView {
    /// The editor's message for this need.
    pub message: String,
    /// Whether another advisor is suggested (the reply's next step opens it).
    pub other_advisor: bool,
    /// Whether a person is suggested (the handoff offer follows).
    pub handoff: bool,
}

/// `below_cheapest.hbs`: an amount is below every product in scope.
#[derive(Debug, Serialize)]
pub struct BelowCheapestView {
    /// The lowest value in scope, rendered by `amount.hbs`'s number format, e.g. "$45".
    pub cheapest: String,
    /// The advisor's noun, singular.
    pub noun: String,
}

/// `amount_conflict.hbs`: amounts that contradict each other were left out.
#[derive(Debug, Serialize)]
pub struct AmountConflictView {}

/// `dropped.hbs`: answers that no longer apply after a change.
#[derive(Debug, Serialize)]
pub struct DroppedView {
    /// The questions whose answers were dropped.
    pub questions: Vec<String>,
    /// How many (for plurals).
    pub count: usize,
}

/// `updated.hbs`: the advisor was updated since the conversation started, and some of what the
/// customer said no longer exists in the new version.
#[derive(Debug, Serialize)]
pub struct UpdatedView {
    /// The questions whose answers (or some of their options) were removed; they are asked
    /// again when they still apply.
    pub questions: Vec<String>,
    /// How many (for plurals).
    pub count: usize,
    /// How many other wishes (answers to questions that are gone, refinements, amounts) were
    /// removed.
    pub others: usize,
}

/// `dead_end.hbs`: nothing fits every wish; repairs and close alternatives follow.
#[derive(Debug, Serialize)]
pub struct DeadEndView {
    /// Every wish in force, e.g. ["Rain", "Cold", "Under $50"].
    pub wishes: Vec<String>,
    pub noun: String,
    /// How many repairs are offered as actions.
    pub repair_count: usize,
}

/// `relaxed.hbs`: wishes were dropped to bring products back.
#[derive(Debug, Serialize)]
pub struct RelaxedView {
    pub wishes: Vec<String>,
    pub candidate_count: usize,
    pub noun: String,
}

/// `critiqued.hbs`: a critique was applied.
#[derive(Debug, Serialize)]
pub struct CritiquedView {
    /// The critique's label ("Cheaper").
    pub critique: String,
}

/// `excluded.hbs`, `similar_to.hbs`: a product-level refinement.
#[derive(Debug, Serialize)]
pub struct ProductRefView {
    /// The product's title.
    pub product: String,
}

/// `goes_well_with.hbs`: why a product is shown beside a recommended one.
#[derive(Debug, Serialize)]
pub struct GoesWellWithView {
    /// The recommended product's title (the one this goes with).
    pub product: String,
    /// The title of the product shown beside it.
    pub title: String,
    /// `bought_together` (from the orders), or the shop's list: `cross_sell` or `related`.
    pub basis: &'static str,
    /// For `bought_together`: in how many orders (0 otherwise).
    pub orders: u32,
}

/// `alternatives.hbs`: the text above close alternatives that miss some wishes.
#[derive(Debug, Serialize)]
pub struct AlternativesView {
    pub count: usize,
    pub noun: String,
}

/// `action_relax.hbs`: the label of a repair ("Without Rain: 4 jackets").
#[derive(Debug, Serialize)]
pub struct RelaxActionView {
    /// The wishes the repair drops.
    pub wishes: Vec<String>,
    /// How many products fit without them.
    pub count: usize,
    pub noun: String,
}

/// `action_critique.hbs`: the label of a critique ("Cheaper (4)").
#[derive(Debug, Serialize)]
pub struct CritiqueActionView {
    pub critique: String,
    pub count: usize,
    pub noun: String,
}

/// `restarted.hbs`: every answer was forgotten.
#[derive(Debug, Serialize)]
pub struct RestartedView {
    pub advisor_title: String,
}

/// `handed_off.hbs`: the conversation is handed to a person; how the customer will be helped.
/// Contact fields the advisor does not have are `null`.
#[derive(Debug, Serialize)]
pub struct HandedOffView {
    pub advisor_title: String,
    pub customer_name: Option<String>,
    /// A `https:`, `mailto:` or `tel:` link.
    pub url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Opening hours in the conversation's locale.
    pub hours: Option<String>,
}

/// `handoff_offer.hbs`: the customer got stuck repeatedly; a person is offered.
#[derive(Debug, Serialize)]
pub struct HandoffOfferView {
    pub customer_name: Option<String>,
}

/// `action_back.hbs`, `action_restart.hbs`, `action_skip.hbs`, `action_similar.hbs`,
/// `action_exclude.hbs`, `action_handoff.hbs`: button labels, no variables.
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

/// `context_applied.hbs`: a context rule answered or skipped questions for the customer.
#[derive(Debug, Serialize)]
pub struct ContextAppliedView {
    /// The rule's own `say` text in the conversation's language, if it has one.
    pub said: Option<String>,
    /// The questions answered for the customer, each with the answer taken.
    pub answers: Vec<ContextAnswerView>,
    /// The texts of the questions skipped.
    pub skipped: Vec<String>,
    /// What the client sent, for the wording: `weather` (e.g. `sunny`), `temperature_c`,
    /// `season`, `when` (e.g. `today`); each `null` when not sent.
    pub weather: Option<String>,
    pub temperature_c: Option<f64>,
    pub season: Option<String>,
    pub when: Option<String>,
}

/// One question a context rule answered.
#[derive(Debug, Serialize)]
pub struct ContextAnswerView {
    pub question: String,
    pub answer: String,
}

impl ContextAppliedView {
    pub fn sample() -> Self {
        Self {
            said: Some("You're heading out today, so I went by today's weather.".into()),
            answers: vec![ContextAnswerView {
                question: "When will you wear it most?".into(),
                answer: "Mild days and summer evenings".into(),
            }],
            skipped: vec!["Where will you mostly wear it?".into()],
            weather: Some("sunny".into()),
            temperature_c: Some(28.0),
            season: Some("summer".into()),
            when: Some("today".into()),
        }
    }
}

impl QuestionRefView {
    pub fn sample() -> Self {
        Self {
            question: Some("Who is it for?".into()),
        }
    }
}

impl UnderstoodView {
    pub fn sample() -> Self {
        Self {
            answers: vec!["Rain".into(), "For a woman".into()],
            amounts: vec!["up to $80".into()],
            avoided: vec!["Running".into()],
            avoided_words: Some("zipper".into()),
            leaning: vec!["Cheaper".into()],
            wish: Some("hood".into()),
            required: Some("Luma".into()),
            ignored: vec!["blurp".into()],
        }
    }
}

impl AmountView {
    pub fn samples() -> [Self; 3] {
        let view = |min: Option<&str>, max: Option<&str>, unit: &str, currency: bool| Self {
            min: min.map(str::to_string),
            max: max.map(str::to_string),
            unit: unit.into(),
            currency,
        };
        [
            view(Some("50"), Some("100"), "$", true),
            view(Some("50"), None, "cm", false),
            view(None, Some("80"), "$", true),
        ]
    }
}

impl ClarifyView {
    pub fn sample() -> Self {
        Self {
            question: "Where will you mostly wear it?".into(),
            options: vec!["Hiking and outdoors".into(), "Running".into()],
        }
    }
}

impl NotCarriedView {
    pub fn samples() -> [Self; 2] {
        [
            Self {
                message: "We don't sell children's jackets.".into(),
                other_advisor: true,
                handoff: false,
            },
            Self {
                message: "We don't sell heated jackets.".into(),
                other_advisor: false,
                handoff: true,
            },
        ]
    }
}

impl BelowCheapestView {
    pub fn sample() -> Self {
        Self {
            cheapest: "$45".into(),
            noun: "jacket".into(),
        }
    }
}

impl DroppedView {
    pub fn sample() -> Self {
        Self {
            questions: vec!["How long should the sleeves be?".into()],
            count: 1,
        }
    }
}

impl UpdatedView {
    pub fn sample() -> Self {
        Self {
            questions: vec!["What's the weather like?".into()],
            count: 1,
            others: 1,
        }
    }
}

impl DeadEndView {
    pub fn sample() -> Self {
        Self {
            wishes: vec!["Rain".into(), "Cold".into()],
            noun: "jackets".into(),
            repair_count: 2,
        }
    }
}

impl RelaxedView {
    pub fn sample() -> Self {
        Self {
            wishes: vec!["Cold".into()],
            candidate_count: 4,
            noun: "jackets".into(),
        }
    }
}

impl CritiquedView {
    pub fn sample() -> Self {
        Self {
            critique: "Cheaper".into(),
        }
    }
}

impl ProductRefView {
    pub fn sample() -> Self {
        Self {
            product: "Olivia 1/4 Zip Light Jacket".into(),
        }
    }
}

impl GoesWellWithView {
    /// One sample per basis, so every branch of the template is checked.
    pub fn samples() -> [Self; 3] {
        ["bought_together", "cross_sell", "related"].map(|basis| Self {
            product: "Olivia 1/4 Zip Light Jacket".into(),
            title: "Fusion Backpack".into(),
            basis,
            orders: if basis == "bought_together" { 12 } else { 0 },
        })
    }
}

impl AlternativesView {
    pub fn sample() -> Self {
        Self {
            count: 2,
            noun: "jackets".into(),
        }
    }
}

impl RelaxActionView {
    pub fn sample() -> Self {
        Self {
            wishes: vec!["Rain".into()],
            count: 4,
            noun: "jackets".into(),
        }
    }
}

impl CritiqueActionView {
    pub fn sample() -> Self {
        Self {
            critique: "Cheaper".into(),
            count: 3,
            noun: "jackets".into(),
        }
    }
}

impl HandedOffView {
    pub fn sample() -> Self {
        Self {
            advisor_title: "Find your jacket".into(),
            customer_name: Some("Anna".into()),
            url: Some("https://shop.example/contact".into()),
            phone: Some("+1 555 0100".into()),
            email: Some("help@shop.example".into()),
            hours: Some("Mon–Fri 9:00–17:00".into()),
        }
    }
}

impl HandoffOfferView {
    pub fn sample() -> Self {
        Self {
            customer_name: Some("Anna".into()),
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
