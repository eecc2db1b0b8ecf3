//! Google Merchant Center feeds as XML: RSS 2.0 (`<item>`) or Atom (`<entry>`) with Google's
//! attributes in the `g:` namespace (`xmlns:g="http://base.google.com/ns/1.0"`, whatever the
//! prefix is called); RSS `title`, `link`, `description` and `id` may come without a prefix, as
//! may Atom's `title`, `summary` and `<link href>`.
//!
//! Each item is cut out of the document and parsed on its own, so one broken item is reported
//! with its line and skipped while the others are imported.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::google;
use super::item::Parsed;
use super::progress::Progress;

/// Google's namespace for product attributes.
const GOOGLE_NS: &str = "http://base.google.com/ns/1.0";

/// Reads every item; `Err` when the text is not an RSS or Atom document.
pub fn parse(text: &str, progress: &Progress) -> Result<Parsed, String> {
    let (root, prefix) = root(text)?;
    let tag = match root.as_str() {
        "rss" | "channel" => "item",
        "feed" => "entry",
        other => {
            return Err(format!(
                "the root element is <{other}>, not <rss> or <feed>"
            ));
        }
    };
    let mut parsed = Parsed::default();
    let mut lines = LineCounter::default();
    let mut at = 0;
    while let Some(start) = find_tag(text, at, tag, false) {
        parsed.rows_read += 1;
        let line = lines.line_of(text, start);
        if parsed.rows_read.is_multiple_of(256) {
            progress.set(start as u64);
        }
        let next_start = find_tag(text, start + 1, tag, false);
        let end = find_tag(text, start + 1, tag, true)
            .filter(|end| next_start.is_none_or(|next| *end < next))
            .and_then(|end| text[end..].find('>').map(|gt| end + gt + 1));
        let Some(end) = end else {
            parsed
                .problems
                .skip(line, format!("this <{tag}> is not closed"));
            match next_start {
                Some(next) => at = next,
                None => break,
            }
            continue;
        };
        at = end;
        match super::xml_item::fields(&text[start..end], &prefix) {
            Ok(fields) => {
                if let Some(item) = google::item(line, &fields, &mut parsed.problems) {
                    parsed.items.push(item);
                }
            }
            Err(error) => parsed.problems.skip(
                line,
                format!("this <{tag}> is not well-formed XML: {error}"),
            ),
        }
    }
    if parsed.rows_read == 0 {
        return Err(format!("it has no <{tag}> elements"));
    }
    Ok(parsed)
}

/// The root element's local name and the prefix bound to Google's namespace (default `g`).
fn root(text: &str) -> Result<(String, String), String> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(start) | Event::Empty(start)) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let prefix = start
                    .attributes()
                    .flatten()
                    .find(|a| a.value.as_ref() == GOOGLE_NS.as_bytes())
                    .and_then(|a| {
                        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                        key.strip_prefix("xmlns:").map(str::to_string)
                    })
                    .unwrap_or_else(|| "g".to_string());
                return Ok((name, prefix));
            }
            Ok(Event::Eof) => return Err("it has no XML elements".into()),
            Ok(_) => {}
            Err(error) => return Err(format!("it is not XML: {error}")),
        }
    }
}

/// The start (`<item`) or end (`</item`) tag at or after `from`, outside comments and CDATA.
fn find_tag(text: &str, from: usize, tag: &str, end: bool) -> Option<usize> {
    let open = if end { "</" } else { "<" };
    let mut at = from;
    while let Some(found) = text[at..].find('<') {
        let here = at + found;
        let rest = &text[here..];
        if rest.starts_with("<![CDATA[") {
            at = here + rest.find("]]>")? + 3;
        } else if rest.starts_with("<!--") {
            at = here + rest.find("-->")? + 3;
        } else if rest
            .strip_prefix(open)
            .and_then(|r| r.strip_prefix(tag))
            .is_some_and(|r| r.starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace()))
        {
            return Some(here);
        } else {
            at = here + 1;
        }
    }
    None
}

/// Line numbers of byte offsets asked for in increasing order, counted once.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u64,
}

impl LineCounter {
    fn line_of(&mut self, text: &str, offset: usize) -> u64 {
        let newlines = text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line += newlines as u64;
        self.offset = offset;
        self.line + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
<channel>
<title>Shop</title>
<item>
  <g:id>A-1</g:id>
  <title>Trail &amp; Road Shoe</title>
  <link>https://shop.example/p/a</link>
  <g:price>80.00 EUR</g:price>
  <g:shipping><g:country>DE</g:country><g:price>4.95 EUR</g:price></g:shipping>
  <description><![CDATA[<p>Grippy <b>sole</b></p>]]></description>
  <g:product_detail>
    <g:section_name>General</g:section_name>
    <g:attribute_name>Drop</g:attribute_name>
    <g:attribute_value>8 mm</g:attribute_value>
  </g:product_detail>
</item>
<item>
  <g:id>A-2</g:id>
  <g:title>Broken</g:titel>
  <g:price>1.00 EUR</g:price>
</item>
<item>
  <g:id>A-3</g:id>
  <g:title>Unclosed</g:title>
<item>
  <g:id>A-4</g:id>
  <g:title>Last</g:title>
  <g:price>5,00 EUR</g:price>
</item>
</channel>
</rss>
"#;

    #[test]
    fn reads_rss_items_and_skips_broken_ones_by_line() {
        let parsed = parse(RSS, &Progress::hidden()).expect("a feed");
        assert_eq!(parsed.rows_read, 4);
        let ids: Vec<&str> = parsed.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["A-1", "A-4"]);
        let first = &parsed.items[0];
        assert_eq!(first.title, "Trail & Road Shoe");
        assert_eq!(
            first.price.amount, 80.0,
            "the shipping price is not the price"
        );
        assert_eq!(first.description.as_deref(), Some("Grippy sole"));
        assert_eq!(first.link.as_deref(), Some("https://shop.example/p/a"));
        assert_eq!(first.attributes["drop"], ["8 mm"]);
        assert_eq!(first.line, 5);
        let lines: Vec<_> = parsed.problems.list.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(18), Some(23)]);
    }

    #[test]
    fn reads_atom_entries_with_link_href_and_another_prefix() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:gg="http://base.google.com/ns/1.0">
<entry>
  <id>tag:shop.example,2024:1</id>
  <gg:id>B-1</gg:id>
  <title>Mug</title>
  <summary>Holds &lt;b&gt;tea&lt;/b&gt;</summary>
  <link rel="alternate" href="https://shop.example/p/b1"/>
  <gg:price>9.50 USD</gg:price>
  <gg:availability>out of stock</gg:availability>
</entry>
</feed>"#;
        let parsed = parse(atom, &Progress::hidden()).expect("a feed");
        let item = &parsed.items[0];
        assert_eq!((item.id.as_str(), item.title.as_str()), ("B-1", "Mug"));
        assert_eq!(item.description.as_deref(), Some("Holds tea"));
        assert_eq!(item.link.as_deref(), Some("https://shop.example/p/b1"));
        assert_eq!(
            item.availability,
            crate::import::item::Availability::OutOfStock
        );
    }

    #[test]
    fn other_documents_are_not_feeds() {
        assert!(parse("<html><body/></html>", &Progress::hidden()).is_err());
        assert!(parse("<rss><channel/></rss>", &Progress::hidden()).is_err());
        assert!(parse("not xml at all", &Progress::hidden()).is_err());
    }
}
