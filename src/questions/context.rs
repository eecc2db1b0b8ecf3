//! An advisor's `context:` rules: what the situation the client describes (season, weather,
//! temperature, when the product is needed, the cart's value, country, device) does to the
//! conversation. A rule can prefer or push down products in the ranking, answer or skip a
//! question (and say so), each explained in the customer's language. The server never looks
//! the situation up; rules only react to what the client sends.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::checker::Checker;
use super::{Kind, Question, Text};
use crate::catalog::Condition;
use crate::diagnostics::known_list;
use crate::yaml::Spanned;

/// The seasons a client may send.
pub const SEASONS: [&str; 4] = ["spring", "summer", "autumn", "winter"];
/// The devices a client may send.
pub const DEVICES: [&str; 4] = ["mobile", "tablet", "desktop", "app"];

type Texts = BTreeMap<String, String>;
type FacetValues = BTreeMap<String, Vec<String>>;

/// A rule on the customer's situation as the client sends it (never looked up by the server).
/// It applies while every condition under `when` holds. At least one of `prefer`, `avoid`,
/// `answer`, `skip`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ContextRule")]
pub(crate) struct RawContextRule {
    /// A short name, unique among the rules: lower-case letters, digits, `_`, `-`. Analytics
    /// reports which rules were in effect by this id.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub(super) id: Spanned<String>,
    /// The situation the rule is for; every listed condition must hold.
    #[schemars(with = "RawWhen")]
    pub(super) when: Spanned<RawWhen>,
    /// Products meeting these facet values rank higher (by `weight`).
    #[serde(default)]
    #[schemars(with = "Option<FacetValues>")]
    pub(super) prefer: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    /// Products meeting these facet values rank lower (by `weight`), e.g. no rain jackets
    /// first in sunshine. They are not removed.
    #[serde(default)]
    #[schemars(with = "Option<FacetValues>")]
    pub(super) avoid: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    /// How strongly `prefer` and `avoid` move products (default 1; an answer's default is 1).
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0.0))]
    pub(super) weight: Option<Spanned<f64>>,
    /// Answer questions for the customer: question id to option ids, e.g.
    /// `{season: [mild]}`. Only questions not answered yet; the customer can change it.
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, Vec<String>>>")]
    pub(super) answer: Option<Spanned<BTreeMap<String, Vec<Spanned<String>>>>>,
    /// Do not ask these questions (ids).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) skip: Vec<Spanned<String>>,
    /// Shown on products that meet `prefer`, per locale: why the situation favours them.
    /// Required with `prefer`.
    #[serde(default)]
    #[schemars(with = "Option<Texts>")]
    pub(super) reason: Option<Spanned<Texts>>,
    /// Told to the customer when the rule answers or skips a question, per locale, e.g.
    /// `{en: "You're heading out today, so I went by today's weather."}`. Default: the
    /// `context_applied` template.
    #[serde(default)]
    #[schemars(with = "Option<Texts>")]
    pub(super) say: Option<Spanned<Texts>>,
}

/// The conditions of a context rule. Lists hold when the client's value is one of them.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ContextWhen")]
pub(crate) struct RawWhen {
    /// `spring`, `summer`, `autumn`, `winter`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) season: Vec<Spanned<String>>,
    /// The forecast words the client sends, e.g. `[sunny, clear]`, `[rain, showers]`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) weather: Vec<Spanned<String>>,
    /// When the customer needs the product: `today`, `this_week`, `later`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) when: Vec<Spanned<String>>,
    /// Countries (ISO 3166-1 alpha-2, e.g. `DE`). Used when sent, never stored.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) country: Vec<Spanned<String>>,
    /// `mobile`, `tablet`, `desktop`, `app`. Used when sent, never stored.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) device: Vec<Spanned<String>>,
    /// Degrees Celsius: `{min: 20}` (included), `{max: 5}` (excluded).
    #[serde(default)]
    #[schemars(with = "Option<RawBounds>")]
    pub(super) temperature_c: Option<Spanned<RawBounds>>,
    /// The cart's value in the catalogue's currency, e.g. `{min: 150}`.
    #[serde(default)]
    #[schemars(with = "Option<RawBounds>")]
    pub(super) cart_value: Option<Spanned<RawBounds>>,
}

/// A numeric band: `min` included, `max` excluded.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Bounds")]
pub(crate) struct RawBounds {
    #[serde(default)]
    pub(super) min: Option<f64>,
    #[serde(default)]
    pub(super) max: Option<f64>,
}

/// A checked context rule.
#[derive(Debug, Clone)]
pub struct ContextRule {
    pub id: String,
    pub when: Situation,
    /// Soft preferences: (condition, weight), negative for `avoid`.
    pub preferences: Vec<(Condition, f64)>,
    /// The condition products must meet to carry `reason`.
    pub favoured: Option<Condition>,
    /// Questions answered for the customer: (question index, option indexes).
    pub answers: Vec<(usize, Vec<usize>)>,
    /// Questions not asked (indexes).
    pub skips: Vec<usize>,
    pub reason: Option<Text>,
    pub say: Option<Text>,
}

/// The situation a rule is for. Empty lists and absent bands always hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Situation {
    pub season: Vec<String>,
    pub weather: Vec<String>,
    pub when: Vec<String>,
    pub country: Vec<String>,
    pub device: Vec<String>,
    pub temperature_c: Option<(Option<f64>, Option<f64>)>,
    pub cart_value: Option<(Option<f64>, Option<f64>)>,
}

impl Situation {
    /// Whether the rule tests something the client sends but the server never keeps.
    pub fn uses_transient(&self) -> bool {
        !self.country.is_empty() || !self.device.is_empty()
    }
}

impl Checker<'_> {
    /// The checked rules of the `context:` section (`questions` are the checked questions).
    pub(super) fn context_rules(
        &mut self,
        raw: &[RawContextRule],
        questions: &[Question],
    ) -> Vec<ContextRule> {
        let mut rules: Vec<ContextRule> = Vec::new();
        for rule in raw {
            if let Some(checked) = self.context_rule(rule, questions) {
                if rules.iter().any(|r| r.id == checked.id) {
                    self.error(
                        &rule.id,
                        format!("context rule `{}` is defined twice", checked.id),
                        Some("give every rule its own id"),
                    );
                    continue;
                }
                rules.push(checked);
            }
        }
        rules
    }

    fn context_rule(
        &mut self,
        raw: &RawContextRule,
        questions: &[Question],
    ) -> Option<ContextRule> {
        let id = self.slug(&raw.id, crate::ids::OptionId::parse)?.to_string();
        let when = self.situation(&raw.when);
        let weight = raw.weight.as_ref().map_or(1.0, |w| w.value);
        if let Some(w) = raw
            .weight
            .as_ref()
            .filter(|w| !(w.value.is_finite() && w.value > 0.0))
        {
            self.error(
                w,
                "`weight` must be above 0".into(),
                Some("e.g. `weight: 2`"),
            );
        }
        let mut preferences = Vec::new();
        let favoured = raw.prefer.as_ref().map(|prefer| {
            let condition = Condition::All(self.facet_conditions(prefer));
            preferences.push((condition.clone(), weight));
            condition
        });
        if let Some(avoid) = &raw.avoid {
            preferences.push((Condition::All(self.facet_conditions(avoid)), -weight));
        }
        let answers = raw
            .answer
            .as_ref()
            .map(|answer| self.context_answers(answer, questions))
            .unwrap_or_default();
        let skips: Vec<usize> = raw
            .skip
            .iter()
            .filter_map(|q| self.question_index(q, questions))
            .collect();
        if preferences.is_empty() && answers.is_empty() && raw.skip.is_empty() {
            self.error(
                &raw.id,
                format!("context rule `{id}` does nothing"),
                Some("give it at least one of `prefer`, `avoid`, `answer`, `skip`"),
            );
        }
        if let Some(both) = skips.iter().find(|q| answers.iter().any(|(a, _)| a == *q)) {
            self.error(
                &raw.id,
                format!(
                    "context rule `{id}` both answers and skips `{}`",
                    questions[*both].id
                ),
                Some("an answered question is not asked anyway: drop it from `skip`"),
            );
        }
        let reason = raw
            .reason
            .as_ref()
            .map(|r| self.text(r, "the rule's reason"));
        if favoured.is_some() && reason.is_none() {
            self.error(
                &raw.id,
                format!("context rule `{id}` prefers products but gives no `reason`"),
                Some("customers see why a product is shown: add `reason: {en: …}`"),
            );
        }
        let say = raw
            .say
            .as_ref()
            .map(|s| self.text(s, "the rule's `say` text"));
        Some(ContextRule {
            id,
            when,
            preferences,
            favoured,
            answers,
            skips,
            reason,
            say,
        })
    }

    fn situation(&mut self, raw: &Spanned<RawWhen>) -> Situation {
        let when = &raw.value;
        let mut fixed = |values: &[Spanned<String>], known: &[&str], what: &str| {
            values
                .iter()
                .filter_map(|v| {
                    let value = v.value.trim().to_ascii_lowercase();
                    if known.contains(&value.as_str()) {
                        Some(value)
                    } else {
                        let hint =
                            format!("clients send one of {}", known_list(known.iter().copied()));
                        self.error(v, format!("`{}` is not a {what}", v.value), Some(&hint));
                        None
                    }
                })
                .collect::<Vec<_>>()
        };
        let season = fixed(&when.season, &SEASONS, "season");
        let device = fixed(&when.device, &DEVICES, "device");
        let words = |values: &[Spanned<String>]| {
            values
                .iter()
                .map(|v| v.value.trim().to_lowercase())
                .collect::<Vec<_>>()
        };
        let country: Vec<String> = when
            .country
            .iter()
            .filter_map(|c| {
                let code = c.value.trim().to_ascii_uppercase();
                if code.len() == 2 && code.chars().all(|ch| ch.is_ascii_alphabetic()) {
                    Some(code)
                } else {
                    self.error(
                        c,
                        format!("`{}` is not a country code", c.value),
                        Some("two letters of ISO 3166-1, e.g. `DE`, `US`"),
                    );
                    None
                }
            })
            .collect();
        let situation = Situation {
            season,
            weather: words(&when.weather),
            when: words(&when.when),
            country,
            device,
            temperature_c: when.temperature_c.as_ref().map(|b| self.bounds(b)),
            cart_value: when.cart_value.as_ref().map(|b| self.bounds(b)),
        };
        if situation == Situation::default() {
            self.error(
                raw,
                "`when` has no condition".into(),
                Some("e.g. `when: {weather: [sunny], temperature_c: {min: 20}}`"),
            );
        }
        situation
    }

    fn bounds(&mut self, raw: &Spanned<RawBounds>) -> (Option<f64>, Option<f64>) {
        let (min, max) = (raw.value.min, raw.value.max);
        let finite = [min, max].iter().flatten().all(|v| v.is_finite());
        if !finite || (min.is_none() && max.is_none()) {
            self.error(raw, "give `min`, `max` or both as numbers".into(), None);
        } else if let (Some(min), Some(max)) = (min, max)
            && min >= max
        {
            self.error(
                raw,
                format!("`min` ({min}) must be below `max` ({max})"),
                Some("`min` is included, `max` is excluded"),
            );
        }
        (min, max)
    }

    fn context_answers(
        &mut self,
        raw: &Spanned<BTreeMap<String, Vec<Spanned<String>>>>,
        questions: &[Question],
    ) -> Vec<(usize, Vec<usize>)> {
        let mut answers = Vec::new();
        for (question_id, values) in &raw.value {
            let named = Spanned::new(question_id.clone(), raw.referenced, raw.defined);
            let Some(index) = self.question_index(&named, questions) else {
                continue;
            };
            let question = &questions[index];
            let options: Vec<usize> = values
                .iter()
                .filter_map(|value| self.option_index(question, value))
                .collect();
            if options.is_empty() {
                self.error(&named, format!("no option given for `{question_id}`"), None);
            } else if question.kind == Kind::Single && options.len() > 1 {
                self.error(
                    &named,
                    format!("question `{question_id}` takes exactly one option"),
                    None,
                );
            } else {
                answers.push((index, options));
            }
        }
        answers
    }
}
