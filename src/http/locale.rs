//! Which locale a new conversation speaks: the body's, else the best of `Accept-Language` the
//! advisor supports, else the advisor's default.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

use super::error::ApiError;
use crate::ids::Locale;
use crate::questions::Advisor;

/// The body's locale if given (it must be supported), else the best of `Accept-Language`, else
/// the advisor's default.
pub(super) fn choose_locale(
    advisor: &Advisor,
    requested: Option<&str>,
    request: &HttpRequest,
) -> Result<Locale, ApiError> {
    let unsupported = |requested: &str| ApiError::UnsupportedLocale {
        requested: requested.chars().take(35).collect(),
        supported: advisor
            .locales
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    if let Some(requested) = requested {
        return Locale::parse(requested)
            .ok()
            .filter(|locale| advisor.supports(locale))
            .ok_or_else(|| unsupported(requested));
    }
    let header = request
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let mut ranked: Vec<(f32, Locale)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let locale = Locale::parse(pieces.next()?.trim()).ok()?;
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            Some((quality, locale))
        })
        .filter(|(_, locale)| advisor.supports(locale))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(ranked
        .into_iter()
        .next()
        .map_or_else(|| advisor.default_locale().clone(), |(_, locale)| locale))
}
