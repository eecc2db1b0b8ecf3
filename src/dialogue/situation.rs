//! Applying the situation the client sends to a conversation: which of the advisor's context
//! rules are in effect, and the questions newly applying rules answer or skip for the customer
//! (each said in a notice, and open to change like any answer). Pure, like the rest of the
//! dialogue.

use super::{Context, Entry, Event, Notice, State};
use crate::questions::{Advisor, ContextRule, Situation};

/// The state with `sent` merged into its context, the rules in effect decided again, and the
/// questions of newly applying rules answered or skipped; plus what to tell the customer.
pub fn apply_context(advisor: &Advisor, state: &State, sent: &Context) -> (State, Vec<Notice>) {
    let mut next = state.clone();
    if sent.is_empty() {
        return (next, Vec::new());
    }
    let merged = state.context.values.merged(sent);
    let before = &state.context.rules;
    let rules: Vec<String> = advisor
        .context
        .iter()
        .filter(|rule| {
            let unknown = (!rule.when.country.is_empty() && sent.country.is_none())
                || (!rule.when.device.is_empty() && sent.device.is_none());
            if unknown {
                before.contains(&rule.id)
            } else {
                holds(&rule.when, &merged)
            }
        })
        .map(|rule| rule.id.clone())
        .collect();
    let mut notices = Vec::new();
    for (index, rule) in advisor.context.iter().enumerate() {
        if !rules.contains(&rule.id) || before.contains(&rule.id) {
            continue;
        }
        let questions = settle(advisor, rule, &mut next);
        if !questions.is_empty() {
            notices.push(Notice::ContextApplied {
                rule: index,
                questions,
            });
        }
    }
    next.context.values = Context {
        country: None,
        device: None,
        ..merged
    };
    next.context.rules = rules;
    (next, notices)
}

/// Whether the situation holds for this context. A condition on a value the client did not
/// send does not hold.
pub fn holds(situation: &Situation, context: &Context) -> bool {
    let listed = |allowed: &[String], value: &Option<String>| {
        allowed.is_empty()
            || value
                .as_deref()
                .is_some_and(|v| allowed.iter().any(|a| a.eq_ignore_ascii_case(v.trim())))
    };
    let within = |band: &Option<(Option<f64>, Option<f64>)>, value: Option<f64>| match band {
        None => true,
        Some((min, max)) => {
            value.is_some_and(|v| min.is_none_or(|min| v >= min) && max.is_none_or(|max| v < max))
        }
    };
    listed(&situation.season, &context.season)
        && listed(&situation.weather, &context.weather)
        && listed(&situation.when, &context.when)
        && listed(&situation.country, &context.country)
        && listed(&situation.device, &context.device)
        && within(&situation.temperature_c, context.temperature_c)
        && within(&situation.cart_value, context.cart_value)
}

/// Answers and skips the rule's questions the customer has not answered; returns them.
fn settle(advisor: &Advisor, rule: &ContextRule, state: &mut State) -> Vec<usize> {
    let open = |state: &State, question: usize| {
        let id = &advisor.questions[question].id;
        state.changing.as_ref() != Some(id)
            && !state.events.iter().any(|entry| match &entry.event {
                Event::Answer { question, .. } | Event::Skip { question } => question == id,
                _ => false,
            })
    };
    let mut settled = Vec::new();
    for (question, options) in &rule.answers {
        if open(state, *question) {
            let asked = &advisor.questions[*question];
            let values = options
                .iter()
                .map(|o| asked.options[*o].id.clone())
                .collect();
            push(
                state,
                Event::Answer {
                    question: asked.id.clone(),
                    values,
                },
            );
            settled.push(*question);
        }
    }
    for question in &rule.skips {
        if open(state, *question) {
            push(
                state,
                Event::Skip {
                    question: advisor.questions[*question].id.clone(),
                },
            );
            settled.push(*question);
        }
    }
    settled
}

fn push(state: &mut State, event: Event) {
    state.events.push(Entry {
        turn: state.turn,
        event,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::{Paths, Shop};

    fn jackets() -> (Shop, State) {
        let (shop, problems) = Shop::load(&Paths::default());
        let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
        let advisor = shop.advisor("jackets").expect("advisor").clone();
        let locale = crate::ids::Locale::parse("en").expect("locale");
        let state = super::super::start(&advisor, &shop.catalog, locale, None)
            .expect("start")
            .state;
        (shop, state)
    }

    #[test]
    fn country_and_device_are_matched_but_never_kept_in_the_state() {
        let (shop, state) = jackets();
        let advisor = shop.advisor("jackets").expect("advisor");
        let sent = Context {
            weather: Some("sunny".into()),
            temperature_c: Some(25.0),
            country: Some("DE".into()),
            device: Some("mobile".into()),
            ..Context::default()
        };
        let (next, _) = apply_context(advisor, &state, &sent);
        assert_eq!(next.context.rules, vec!["sunny_warm".to_string()]);
        let stored = serde_json::to_string(&next).expect("state serializes");
        assert!(
            !stored.contains("DE") && !stored.contains("mobile"),
            "{stored}"
        );
        assert!(stored.contains("sunny"), "{stored}");
    }

    #[test]
    fn a_rule_answers_only_open_questions_once_and_a_later_context_can_end_it() {
        let (shop, state) = jackets();
        let advisor = shop.advisor("jackets").expect("advisor");
        let today = Context {
            when: Some("today".into()),
            temperature_c: Some(20.0),
            ..Context::default()
        };
        let (warm, notices) = apply_context(advisor, &state, &today);
        assert_eq!(notices.len(), 1);
        assert_eq!(warm.events.len(), 1);
        // Sent again, the rule is already in effect: nothing new is answered or said.
        let (again, notices) = apply_context(advisor, &warm, &today);
        assert!(notices.is_empty());
        assert_eq!(again.events, warm.events);
        // Colder now: a different rule applies, but the season was answered already.
        let colder = Context {
            temperature_c: Some(1.0),
            ..Context::default()
        };
        let (cold, notices) = apply_context(advisor, &again, &colder);
        assert!(cold.context.rules.contains(&"today_cold".to_string()));
        assert!(!cold.context.rules.contains(&"today_warm".to_string()));
        assert!(notices.is_empty());
        assert_eq!(cold.events, warm.events);
    }
}
