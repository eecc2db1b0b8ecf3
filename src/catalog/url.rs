//! Product and image URLs built from a template with `{field}` placeholders.

use super::config::FieldPath;

/// A URL with `{field}` placeholders filled from the product record.
#[derive(Debug, Clone)]
pub struct UrlTemplate {
    pub parts: Vec<UrlPart>,
}

#[derive(Debug, Clone)]
pub enum UrlPart {
    Literal(String),
    Field(FieldPath),
}

impl UrlTemplate {
    pub(super) fn parse(raw: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(UrlPart::Literal(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("`{{` without a closing `}}` in `{raw}`"))?;
            let name = &after[..close];
            let path = FieldPath::parse(name)
                .ok_or_else(|| format!("empty placeholder `{{}}` in `{raw}`"))?;
            parts.push(UrlPart::Field(path));
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("`}}` without an opening `{{` in `{raw}`"));
        }
        if !rest.is_empty() {
            parts.push(UrlPart::Literal(rest.to_string()));
        }
        let starts_safe = matches!(parts.first(), Some(UrlPart::Literal(l)) if l.starts_with("https://") || l.starts_with("http://") || l.starts_with('/'));
        if !starts_safe {
            return Err(format!(
                "`{raw}` must start with `https://`, `http://` or `/`"
            ));
        }
        Ok(Self { parts })
    }

    /// The URL for one product, or `None` when a placeholder's field is empty.
    pub fn fill(&self, record: &serde_json::Value) -> Option<String> {
        let mut values: Vec<String> = Vec::new();
        for path in self.fields() {
            values.push(Self::text_of(path.get(record))?);
        }
        let mut values = values.iter().map(String::as_str);
        self.fill_with(|| values.next())
    }

    /// The URL with each placeholder, in order, filled by `next` (`None` when one is missing).
    pub fn fill_with<'v>(&self, mut next: impl FnMut() -> Option<&'v str>) -> Option<String> {
        let mut url = String::new();
        for part in &self.parts {
            match part {
                UrlPart::Literal(text) => url.push_str(text),
                UrlPart::Field(_) => percent_encode_path(next()?, &mut url),
            }
        }
        Some(url)
    }

    /// The text a placeholder takes from a field: a non-empty text or a number.
    pub fn text_of(value: Option<&serde_json::Value>) -> Option<String> {
        match value? {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    pub fn fields(&self) -> impl Iterator<Item = &FieldPath> {
        self.parts.iter().filter_map(|part| match part {
            UrlPart::Field(path) => Some(path),
            UrlPart::Literal(_) => None,
        })
    }
}

/// Percent-encodes everything but unreserved characters and `/`, so a value cannot break out of
/// the URL it is placed in.
fn percent_encode_path(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_templates_fill_and_encode_fields() {
        let template = UrlTemplate::parse("https://shop.example/p/{id}?x").expect("valid");
        let record = serde_json::json!({"id": "a b/c"});
        assert_eq!(
            template.fill(&record).as_deref(),
            Some("https://shop.example/p/a%20b/c?x")
        );
        assert_eq!(template.fill(&serde_json::json!({})), None);
    }

    #[test]
    fn url_templates_refuse_script_urls_and_broken_braces() {
        assert!(UrlTemplate::parse("javascript:{id}").is_err());
        assert!(UrlTemplate::parse("https://x/{id").is_err());
    }
}
