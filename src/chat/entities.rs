//! Template output is HTML-escaped (handlebars writes `&amp; &lt; &gt; &quot; &#x27; &#x3D;
//! &#x60;`); a terminal wants the characters back.

/// The text with character references replaced by their characters. Unknown or malformed
/// references are left as they are.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest
            .get(1..)
            .and_then(|tail| tail.find(';').filter(|end| *end <= 10))
            .and_then(|end| Some((entity(&rest[1..=end])?, end + 2)));
        match decoded {
            Some((character, length)) => {
                out.push(character);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entities_handlebars_writes_are_decoded() {
        assert_eq!(
            decode_entities(
                "Doesn&#x27;t &amp; won&#39;t &lt;b&gt; &quot;x&quot; a&#x3D;b &#x60;c&#x60;"
            ),
            "Doesn't & won't <b> \"x\" a=b `c`"
        );
    }

    #[test]
    fn text_without_entities_is_unchanged() {
        let text = "Für wen ist die Jacke? „Regen“ – 5 Jacken";
        assert_eq!(decode_entities(text), text);
    }

    #[test]
    fn unknown_or_broken_entities_are_left_alone() {
        assert_eq!(decode_entities("R&D"), "R&D");
        assert_eq!(decode_entities("a & b;"), "a & b;");
        assert_eq!(
            decode_entities("&bogus; &#xZZ; &#1114112;"),
            "&bogus; &#xZZ; &#1114112;"
        );
        assert_eq!(decode_entities("trailing &"), "trailing &");
        assert_eq!(decode_entities("&amp;amp;"), "&amp;");
    }

    #[test]
    fn decimal_and_hex_references() {
        assert_eq!(decode_entities("&#8364; &#x20AC; &#X20ac;"), "€ € €");
    }
}
