//! Newtypes for the identifiers that travel between modules, so a question id is never mistaken
//! for an option id. Each has a `parse` that says what a valid value looks like.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an identifier was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdError {
    /// Editor ids are short lower-case slugs so they are safe in URLs and logs.
    #[error("`{0}` is not a valid id: use 1-64 characters from a-z, 0-9, `_` and `-`")]
    InvalidSlug(String),
    /// Conversation ids are 32 lower-case hex digits (128 random bits).
    #[error("`{0}` is not a conversation id")]
    InvalidConversationId(String),
    /// Locales are language tags such as `en` or `de`.
    #[error("`{0}` is not a language tag such as `en` or `de`")]
    InvalidLocale(String),
}

macro_rules! slug_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                if is_slug(raw) {
                    Ok(Self(raw.to_string()))
                } else {
                    Err(IdError::InvalidSlug(raw.to_string()))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// An advisor, named after its question file (`questions/jackets.yaml` → `jackets`).
    AdvisorId
);
slug_id!(
    /// A question inside one advisor.
    QuestionId
);
slug_id!(
    /// An answer option inside one question.
    OptionId
);

/// A product as the catalogue names it (any non-empty string without control characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProductId(String);

impl ProductId {
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = !raw.trim().is_empty() && !raw.chars().any(char::is_control);
        ok.then(|| Self(raw.to_string()))
    }

    /// An id the catalogue loader already checked with [`ProductId::parse`].
    pub(crate) fn checked(raw: &str) -> Self {
        Self(raw.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bytes as lower-case hex digits (digests, signatures).
pub fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// An unguessable conversation handle: 128 random bits as 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConversationId(String);

impl ConversationId {
    /// A fresh id from the operating system's random source.
    pub fn generate() -> Self {
        let bits: u128 = rand::random();
        Self(format!("{bits:032x}"))
    }

    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let ok = raw.len() == 32 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if ok {
            Ok(Self(raw.to_string()))
        } else {
            Err(IdError::InvalidConversationId(
                raw.chars().take(64).collect(),
            ))
        }
    }

    /// A short tag of the id for logs: the same conversation has the same tag, but the tag does
    /// not open it (the id is a bearer secret).
    pub fn tag(&self) -> String {
        use sha2::{Digest, Sha256};
        let hash = Sha256::digest(format!("advisor-log-tag:{}", self.0).as_bytes());
        lower_hex(&hash[..4])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConversationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A primary language subtag such as `en` or `de` (region subtags are dropped: `de-AT` → `de`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Locale(String);

impl Locale {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let primary = raw.trim().split(['-', '_']).next().unwrap_or_default();
        let ok =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
        if ok {
            Ok(Self(primary.to_ascii_lowercase()))
        } else {
            Err(IdError::InvalidLocale(raw.chars().take(35).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_slug(raw: &str) -> bool {
    (1..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_ids_are_128_bit_hex_and_round_trip() {
        let id = ConversationId::generate();
        assert_eq!(id.as_str().len(), 32);
        assert_eq!(ConversationId::parse(id.as_str()), Ok(id));
        assert!(ConversationId::parse("../etc/passwd").is_err());
    }

    #[test]
    fn locales_keep_the_primary_language() {
        assert_eq!(Locale::parse("de-AT").map(|l| l.0), Ok("de".to_string()));
        assert_eq!(Locale::parse("EN").map(|l| l.0), Ok("en".to_string()));
        assert!(Locale::parse("<script>").is_err());
    }

    #[test]
    fn slugs_refuse_spaces_and_capitals() {
        assert!(QuestionId::parse("weather").is_ok());
        assert!(QuestionId::parse("Weather").is_err());
        assert!(QuestionId::parse("").is_err());
    }
}
