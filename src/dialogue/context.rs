//! What the client tells about the customer's situation (season, weather, when, the cart's
//! value, country, device) and what the customer did with the recommendation (the feedback the
//! client reports). The server never looks any of it up, and country and device are used only
//! to match the advisor's context rules when they arrive: they are never stored.

use serde::{Deserialize, Serialize};

use crate::ids::ProductId;

/// The situation as the client describes it. Every field is optional; a later message's
/// fields replace earlier ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// `spring`, `summer`, `autumn` or `winter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    /// The forecast in a word, e.g. `sunny`, `cloudy`, `rain`, `snow`, `wind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weather: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature_c: Option<f64>,
    /// When the customer needs the product: `today`, `this_week`, `later`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// What the customer's cart is worth, in the catalogue's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_value: Option<f64>,
    /// ISO 3166-1 alpha-2, upper case. Matched when sent, never stored.
    #[serde(skip)]
    pub country: Option<String>,
    /// `mobile`, `tablet`, `desktop` or `app`. Matched when sent, never stored.
    #[serde(skip)]
    pub device: Option<String>,
}

impl Context {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// This context with the fields `newer` sends replaced.
    pub fn merged(&self, newer: &Context) -> Context {
        Context {
            season: newer.season.clone().or_else(|| self.season.clone()),
            weather: newer.weather.clone().or_else(|| self.weather.clone()),
            temperature_c: newer.temperature_c.or(self.temperature_c),
            when: newer.when.clone().or_else(|| self.when.clone()),
            cart_value: newer.cart_value.or(self.cart_value),
            country: newer.country.clone(),
            device: newer.device.clone(),
        }
    }
}

/// The context a conversation keeps: the stored fields and the ids of the advisor's context
/// rules in effect (a rule on country or device keeps the result it had when they were sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContextState {
    #[serde(default, skip_serializing_if = "Context::is_empty")]
    pub values: Context,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

impl ContextState {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.rules.is_empty()
    }
}

/// What the client reported the customer did after the recommendation, as far as the advice
/// needs it: next steps taken or declined are not proposed again, and products already in the
/// cart or bought are not recommended as companions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    /// Next-step ids the customer accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
    /// Next-step ids the customer declined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<String>,
    /// Products added to the cart or bought in this conversation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carted: Vec<ProductId>,
}

impl Feedback {
    /// How many ids of each kind a conversation remembers.
    pub const KEEP: usize = 32;

    pub fn is_empty(&self) -> bool {
        self.accepted.is_empty() && self.rejected.is_empty() && self.carted.is_empty()
    }

    /// Whether the customer already answered this next step.
    pub fn settled(&self, step: &str) -> bool {
        self.accepted
            .iter()
            .chain(&self.rejected)
            .any(|s| s == step)
    }
}
