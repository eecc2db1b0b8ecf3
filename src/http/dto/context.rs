//! The customer's situation as a client sends it with a start or a turn, checked into the
//! dialogue's `Context`. Nothing here is looked up by the server; country and device are used
//! for the advisor's context rules when sent and never stored.

use serde::Deserialize;
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::dialogue::Context;
use crate::http::openapi::string_set;
use crate::questions::{DEVICES, SEASONS};

/// The customer's situation, as far as the client knows and wants to share it. Every field is
/// optional; a later turn's fields replace earlier ones.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"weather": "sunny", "temperature_c": 28, "when": "today"}))]
pub struct ContextDto {
    #[serde(default)]
    #[schema(value_type = Option<Season>)]
    pub season: Option<String>,
    /// The local forecast in one word, e.g. `sunny`, `cloudy`, `rain`, `snow`, `wind`:
    /// 1 to 32 lower-case letters, `_` or `-`.
    #[serde(default)]
    pub weather: Option<String>,
    /// The local temperature in degrees Celsius, -90 to 60.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    #[serde(default)]
    #[schema(value_type = Option<When>)]
    pub when: Option<String>,
    /// The value of the customer's cart in the shop's currency.
    #[serde(default)]
    pub cart_value: Option<f64>,
    /// ISO 3166-1 alpha-2 (e.g. `DE`): used for the advisor's rules when sent, never stored.
    #[serde(default)]
    pub country: Option<String>,
    /// Used when sent, never stored.
    #[serde(default)]
    #[schema(value_type = Option<Device>)]
    pub device: Option<String>,
}

/// What a client may say about when the product is needed.
const WHEN: [&str; 3] = ["today", "this_week", "later"];

/// Another word for autumn that `season` takes.
const FALL: &str = "fall";

/// The description of `context.season`: `SEASONS` and `fall`.
pub struct Season;

impl PartialSchema for Season {
    fn schema() -> RefOr<Schema> {
        string_set(
            "The season where the customer is (`fall` is `autumn`).",
            SEASONS.into_iter().chain([FALL]),
        )
    }
}

impl ToSchema for Season {}

/// The description of `context.when`: `WHEN`.
pub struct When;

impl PartialSchema for When {
    fn schema() -> RefOr<Schema> {
        string_set("When the customer needs the product.", WHEN)
    }
}

impl ToSchema for When {}

/// The description of `context.device`: `DEVICES`.
pub struct Device;

impl PartialSchema for Device {
    fn schema() -> RefOr<Schema> {
        string_set("The customer's device.", DEVICES)
    }
}

impl ToSchema for Device {}

impl ContextDto {
    /// The checked context, or what is wrong with it.
    pub fn checked(self) -> Result<Context, String> {
        let one_of = |value: Option<String>, allowed: &[&str], field: &str| {
            value
                .map(|v| {
                    let v = v.trim().to_ascii_lowercase();
                    let v = if field == "season" && v == FALL {
                        "autumn".to_string()
                    } else {
                        v
                    };
                    if allowed.contains(&v.as_str()) {
                        Ok(v)
                    } else {
                        Err(format!(
                            "`context.{field}` must be one of {}",
                            allowed.join(", ")
                        ))
                    }
                })
                .transpose()
        };
        let weather = self
            .weather
            .map(|w| {
                let w = w.trim().to_ascii_lowercase();
                let word = (1..=32).contains(&w.len())
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-');
                if word {
                    Ok(w)
                } else {
                    Err("`context.weather` must be one word of 1 to 32 letters".to_string())
                }
            })
            .transpose()?;
        let temperature_c = self
            .temperature_c
            .map(|t| {
                if t.is_finite() && (-90.0..=60.0).contains(&t) {
                    Ok(t)
                } else {
                    Err("`context.temperature_c` must be between -90 and 60".to_string())
                }
            })
            .transpose()?;
        let cart_value = self
            .cart_value
            .map(|v| {
                if v.is_finite() && (0.0..1e9).contains(&v) {
                    Ok(v)
                } else {
                    Err("`context.cart_value` must be a non-negative amount".to_string())
                }
            })
            .transpose()?;
        let country = self
            .country
            .map(|c| {
                let c = c.trim().to_ascii_uppercase();
                if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                    Ok(c)
                } else {
                    Err("`context.country` must be a two-letter ISO 3166-1 code".to_string())
                }
            })
            .transpose()?;
        Ok(Context {
            season: one_of(self.season, &SEASONS, "season")?,
            weather,
            temperature_c,
            when: one_of(self.when, &WHEN, "when")?,
            cart_value,
            country,
            device: one_of(self.device, &DEVICES, "device")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forecast_is_checked_and_normalised() {
        let context = ContextDto {
            season: Some("Fall".into()),
            weather: Some("Sunny".into()),
            temperature_c: Some(28.0),
            country: Some("de".into()),
            ..Default::default()
        }
        .checked()
        .expect("valid");
        assert_eq!(context.season.as_deref(), Some("autumn"));
        assert_eq!(context.weather.as_deref(), Some("sunny"));
        assert_eq!(context.country.as_deref(), Some("DE"));
    }

    #[test]
    fn nonsense_is_refused_with_the_field_named() {
        let bad = |dto: ContextDto| dto.checked().expect_err("refused");
        assert!(
            bad(ContextDto {
                temperature_c: Some(f64::NAN),
                ..Default::default()
            })
            .contains("temperature_c")
        );
        assert!(
            bad(ContextDto {
                season: Some("monsoon".into()),
                ..Default::default()
            })
            .contains("season")
        );
        assert!(
            bad(ContextDto {
                weather: Some("<script>".into()),
                ..Default::default()
            })
            .contains("weather")
        );
        assert!(
            bad(ContextDto {
                country: Some("Germany".into()),
                ..Default::default()
            })
            .contains("country")
        );
        assert!(
            bad(ContextDto {
                device: Some("fridge".into()),
                ..Default::default()
            })
            .contains("device")
        );
    }
}
