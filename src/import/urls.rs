//! Image and product URL templates for `catalog.yaml`. The advisor builds URLs from a template
//! that starts with `https://` (or `http://`, `/`) and percent-encodes every `{field}` it fills
//! in, so a whole URL cannot sit in one placeholder. The template keeps what all URLs share
//! (`https://cdn.example/images/`) and each product keeps the rest, decoded, in a field of its own.
//!
//! When that cannot rebuild every URL exactly (mixed schemes, query strings) there is no
//! template, and the reason goes into `catalog.yaml` as a comment.

/// A template and, per product, the value of its one placeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlPlan {
    /// `https://cdn.example/images/{image_path}`
    pub template: String,
    /// The product field the placeholder reads (`image_path`).
    pub field: &'static str,
    /// Per product (in the order given), the placeholder's value when it has a URL.
    pub parts: Vec<Option<String>>,
}

/// Shopify's cache-busting query (`?v=1700000000`): the image is the same without it.
const VERSION_QUERY: &str = "?v=";

/// A template that rebuilds every URL given, or why there is none.
pub fn plan(urls: &[Option<&str>], field: &'static str) -> Result<UrlPlan, String> {
    let cleaned: Vec<Option<&str>> = urls.iter().map(|u| u.map(without_version)).collect();
    let present: Vec<&str> = cleaned.iter().flatten().copied().collect();
    let Some(shortest) = present.iter().map(|u| u.len()).min() else {
        return Err("no product has one".into());
    };
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| present.iter().all(|u| u.starts_with(s)))
        .ok_or("the URLs do not all start with the same `https://` or `http://`")?;
    if let Some(url) = present.iter().find(|u| u.contains(['?', '#'])) {
        return Err(format!(
            "some URLs have a query or fragment (`{url}`), which a template cannot rebuild"
        ));
    }
    let first = present[0].as_bytes();
    let mut common = first.len().min(shortest.saturating_sub(1));
    for url in &present[1..] {
        common = common.min(
            url.as_bytes()
                .iter()
                .zip(first)
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while !present[0].is_char_boundary(common) {
        common -= 1;
    }
    let prefix_len = present[0][..common]
        .rfind('/')
        .map_or(scheme.len(), |at| (at + 1).max(scheme.len()));
    let prefix = &present[0][..prefix_len];
    let mut parts = Vec::with_capacity(cleaned.len());
    for url in &cleaned {
        let Some(url) = url else {
            parts.push(None);
            continue;
        };
        let rest = &url[prefix_len..];
        let decoded = percent_decode(rest)
            .filter(|d| !d.is_empty() && encode(d).eq_ignore_ascii_case(rest))
            .ok_or_else(|| format!("`{url}` has characters a template would write differently"))?;
        parts.push(Some(decoded));
    }
    Ok(UrlPlan {
        template: format!("{prefix}{{{field}}}"),
        field,
        parts,
    })
}

/// The URL the advisor will show for this feed URL (without Shopify's version query).
pub fn without_version(url: &str) -> &str {
    match url.rfind(VERSION_QUERY) {
        Some(at)
            if url[at + VERSION_QUERY.len()..]
                .bytes()
                .all(|b| b.is_ascii_digit()) =>
        {
            &url[..at]
        }
        _ => url,
    }
}

/// How the advisor encodes a placeholder's value (see `catalog/url.rs`): everything but
/// unreserved characters and `/`.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = raw.get(at + 1..at + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_shared_start_in_the_template_and_the_rest_in_the_product() {
        let urls = [
            Some("https://cdn.example/img/tees/red%20tee.jpg"),
            None,
            Some("https://cdn.example/img/bags/b.png?v=1700000000"),
        ];
        let plan = plan(&urls, "image_path").expect("a template");
        assert_eq!(plan.template, "https://cdn.example/img/{image_path}");
        assert_eq!(
            plan.parts,
            [
                Some("tees/red tee.jpg".into()),
                None,
                Some("bags/b.png".into())
            ]
        );
    }

    #[test]
    fn one_url_keeps_its_last_segment_as_the_value() {
        let plan = plan(&[Some("https://shop.example/p/tee/")], "link_path").expect("template");
        assert_eq!(plan.template, "https://shop.example/p/{link_path}");
        assert_eq!(plan.parts, [Some("tee/".into())]);
    }

    #[test]
    fn refuses_what_a_template_cannot_rebuild() {
        let query = [
            Some("https://shop.example/p?id=1"),
            Some("https://shop.example/p?id=2"),
        ];
        assert!(plan(&query, "link_path").is_err());
        let schemes = [Some("https://a.example/1"), Some("http://a.example/2")];
        assert!(plan(&schemes, "link_path").is_err());
        let plus = [Some("https://a.example/x+y"), Some("https://a.example/z")];
        assert!(plan(&plus, "link_path").is_err());
        assert!(plan(&[None], "link_path").is_err());
    }
}
