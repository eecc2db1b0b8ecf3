//! One RSS `<item>` or Atom `<entry>`, cut out of the feed by `google_xml`, into its Google
//! attributes: the direct children (nested ones such as `<g:shipping><g:price>` are not the
//! price), `product_detail`'s parts, and Atom's `<link href>`. Google's prefixed attributes win
//! over unprefixed ones of the same name.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::google::{self, Fields};

/// The item's attributes, or why it is not well-formed XML.
pub fn fields(item: &str, google_prefix: &str) -> Result<Fields, String> {
    let mut reader = Reader::from_str(item);
    let mut state = ItemReader::default();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => state.start(&start, google_prefix),
            Event::Empty(start) if state.depth == 1 => link_href(&start, &mut state.plain),
            Event::Text(text) => state
                .text
                .push_str(&text.xml10_content().map_err(|e| e.to_string())?),
            Event::CData(text) => state
                .text
                .push_str(&text.decode().map_err(|e| e.to_string())?),
            Event::GeneralRef(reference) => state.text.push_str(&resolve(&reference)?),
            Event::End(end) => {
                let local = String::from_utf8_lossy(end.local_name().as_ref()).into_owned();
                state.end(&local);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(state.finish())
}

/// Where the reader is inside the item, and what it has read.
#[derive(Default)]
struct ItemReader {
    /// 1 inside the item, 2 inside one of its attributes, 3 inside a product detail's part.
    depth: usize,
    /// The attribute being read: whether it is Google's, and its name.
    current: Option<(bool, String)>,
    text: String,
    /// The product detail being read: name and value.
    detail: (String, String),
    google: Fields,
    plain: Fields,
}

impl ItemReader {
    fn in_detail(&self) -> bool {
        self.depth == 3 && matches!(&self.current, Some((_, name)) if name == "product_detail")
    }

    fn start(&mut self, start: &BytesStart<'_>, google_prefix: &str) {
        self.depth += 1;
        if self.depth == 2 {
            self.current = name_of(start, google_prefix);
            link_href(start, &mut self.plain);
            self.text.clear();
        } else if self.in_detail() {
            self.text.clear();
        }
    }

    fn end(&mut self, local_name: &str) {
        if self.in_detail() {
            match local_name {
                "attribute_name" => self.detail.0 = self.text.trim().to_string(),
                "attribute_value" => self.detail.1 = self.text.trim().to_string(),
                _ => {}
            }
        } else if self.depth == 2
            && let Some((is_google, name)) = self.current.take()
        {
            let target = if is_google {
                &mut self.google
            } else {
                &mut self.plain
            };
            match name.as_str() {
                "product_detail" => {
                    let (detail, value) = std::mem::take(&mut self.detail);
                    target.push_detail(&detail, &value);
                }
                // Kept as written: the HTML stripper decides about its line breaks.
                "description" => target.push(&name, &self.text),
                _ => {
                    let value = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    target.push(&name, &value);
                }
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn finish(self) -> Fields {
        let mut fields = self.google;
        for (name, values) in self.plain.values {
            fields.values.entry(name).or_insert(values);
        }
        if fields.details.is_empty() {
            fields.details = self.plain.details;
        }
        fields
    }
}

/// `&#176;` and the five XML entities; other entities stay as written for the HTML stripper.
fn resolve(reference: &BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = reference.decode().map_err(|e| e.to_string())?;
    Ok(match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(value) => value.to_string(),
        None => format!("&{name};"),
    })
}

/// Whether a child element is a Google attribute, and its attribute name. Atom's `summary` and
/// `content` stand for the description; other namespaces are ignored.
fn name_of(start: &BytesStart<'_>, google_prefix: &str) -> Option<(bool, String)> {
    let qname = start.name();
    let local = String::from_utf8_lossy(qname.local_name().as_ref()).into_owned();
    let local = google::attribute_name(&local);
    match qname.prefix() {
        Some(prefix) if prefix.as_ref() == google_prefix.as_bytes() => Some((true, local)),
        Some(_) => None,
        None => Some((
            false,
            match local.as_str() {
                "summary" | "content" => "description".to_string(),
                _ => local,
            },
        )),
    }
}

/// Atom's `<link href="…" rel="alternate"/>` as the product link.
fn link_href(start: &BytesStart<'_>, plain: &mut Fields) {
    if start.name().as_ref() != b"link" {
        return;
    }
    let attribute = |key: &[u8]| {
        start
            .attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
    };
    let alternate = attribute(b"rel").is_none_or(|rel| rel == "alternate");
    if let Some(href) = attribute(b"href").filter(|_| alternate) {
        plain.push("link", &href);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_prices_and_other_namespaces_are_not_attributes() {
        let item = r#"<item xmlns:c="urn:x"><g:id>A</g:id><g:price>5 EUR</g:price>
            <g:shipping><g:price>9 EUR</g:price></g:shipping><c:title>No</c:title>
            <title>Plain</title><g:title>Google</g:title></item>"#;
        let fields = fields(item, "g").expect("well-formed");
        assert_eq!(fields.values["price"], ["5 EUR"]);
        assert_eq!(fields.values["title"], ["Google"], "the g: title wins");
    }

    #[test]
    fn mismatched_tags_are_an_error() {
        assert!(fields("<item><g:id>A</g:idx></item>", "g").is_err());
    }
}
