//! Product descriptions from HTML to plain text: tags removed, entities decoded, whitespace
//! collapsed, paragraphs and line breaks kept as line breaks and list items as "• " lines.
//!
//! It is a tolerant stripper for shop descriptions, not an HTML parser: it never fails, and a
//! `<` that does not start a tag stays as it is.

/// The plain text of an HTML fragment. Plain text passes through with its line breaks; in HTML
/// only tags break lines, as a browser would show it.
pub fn strip(html: &str) -> String {
    let is_html = html.match_indices('<').any(|(at, _)| {
        html[at + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
    });
    let mut raw = String::with_capacity(html.len());
    let push_text = |raw: &mut String, text: &str| {
        if is_html {
            raw.extend(text.chars().map(|c| if c == '\n' { ' ' } else { c }));
        } else {
            raw.push_str(text);
        }
    };
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        push_text(&mut raw, &rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            let (text, used) = entity(rest);
            raw.push_str(text.as_deref().unwrap_or("&"));
            rest = &rest[used..];
        } else {
            rest = tag(rest, &mut raw);
        }
    }
    push_text(&mut raw, rest);
    tidy(&raw)
}

/// Handles the tag at the start of `rest` and returns what follows it.
fn tag<'a>(rest: &'a str, out: &mut String) -> &'a str {
    if let Some(comment) = rest.strip_prefix("<!--") {
        return comment.find("-->").map_or("", |end| &comment[end + 3..]);
    }
    let starts_tag = rest[1..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
    let Some(end) = starts_tag.then(|| tag_end(rest)).flatten() else {
        out.push('<');
        return &rest[1..];
    };
    let inside = &rest[1..end];
    let closing = inside.starts_with('/');
    let name: String = inside
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let after = &rest[end + 1..];
    match name.as_str() {
        "script" | "style" if !closing => {
            let close = format!("</{name}");
            return find_ignoring_case(after, &close)
                .and_then(|at| after[at..].find('>').map(|gt| &after[at + gt + 1..]))
                .unwrap_or("");
        }
        "li" if !closing => out.push_str("\n• "),
        "br" | "p" | "div" | "ul" | "ol" | "li" | "tr" | "table" | "section" | "article"
        | "header" | "footer" | "blockquote" | "hr" | "pre" | "dt" | "dd" | "h1" | "h2" | "h3"
        | "h4" | "h5" | "h6" => out.push('\n'),
        "td" | "th" => out.push(' '),
        _ => {}
    }
    after
}

/// The index of the `>` closing the tag at the start of `rest`, skipping quoted attributes.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (at, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(at),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

/// Decodes the entity at the start of `rest`: its text (if known) and the bytes it used.
fn entity(rest: &str) -> (Option<String>, usize) {
    let Some(end) = rest[1..].find(';').filter(|end| *end <= 10) else {
        return (None, 1);
    };
    let name = &rest[1..=end];
    let text = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        code.and_then(char::from_u32).map(String::from)
    } else {
        named(name).map(str::to_string)
    };
    match text {
        Some(text) => (Some(text), end + 2),
        None => (None, 1),
    }
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
        "shy" => "",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "bull" => "•",
        "middot" => "·",
        "euro" => "€",
        "pound" => "£",
        "cent" => "¢",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "times" => "×",
        "frac12" => "½",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "eacute" => "é",
        "egrave" => "è",
        "ecirc" => "ê",
        "Eacute" => "É",
        "agrave" => "à",
        "aacute" => "á",
        "acirc" => "â",
        "ccedil" => "ç",
        "ntilde" => "ñ",
        "oacute" => "ó",
        "iacute" => "í",
        "uacute" => "ú",
        _ => return None,
    })
}

/// Collapses whitespace inside lines and drops empty lines and empty list bullets.
fn tidy(raw: &str) -> String {
    raw.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty() && line != "•")
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paragraphs_and_list_items_as_lines() {
        let html =
            "<p>Light   and\n <b>warm</b>.</p><ul><li>Wool</li><li>Zip&nbsp;pockets</li></ul>";
        assert_eq!(strip(html), "Light and warm.\n• Wool\n• Zip pockets");
        assert_eq!(strip("One<br>Two<br/>Three"), "One\nTwo\nThree");
    }

    #[test]
    fn decodes_named_and_numeric_entities() {
        assert_eq!(
            strip("Fish &amp; Chips &#8211; 5&euro; &#x2713; &lt;tag&gt; &unknown; &"),
            "Fish & Chips – 5€ ✓ <tag> &unknown; &"
        );
    }

    #[test]
    fn drops_scripts_styles_and_comments_but_keeps_stray_brackets() {
        let html = "<style>p{color:red}</style><!-- note -->Size < 5 cm<SCRIPT>x()</script>, 3 <4";
        assert_eq!(strip(html), "Size < 5 cm, 3 <4");
    }

    #[test]
    fn attributes_with_brackets_do_not_end_the_tag() {
        assert_eq!(
            strip(r#"<a title="a > b" href='x'>Link</a> text"#),
            "Link text"
        );
    }

    #[test]
    fn plain_text_passes_through_with_whitespace_collapsed() {
        assert_eq!(
            strip("  Plain\ttext  \n\n second line"),
            "Plain text\nsecond line"
        );
        assert_eq!(strip(""), "");
    }
}
