//! Prices as feeds write them: `15.00 EUR`, `15,00 EUR`, `EUR 15.00`, `€15`, `1.234,50 EUR` or
//! a bare `15.00`, into an amount and an optional ISO 4217 currency code.
//!
//! Only parsing lives here; which currency a catalogue uses is decided by the importer.

/// An amount with the currency written next to it, if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Money {
    pub amount: f64,
    /// Upper-case ISO 4217 code (`EUR`), when the price said so.
    pub currency: Option<String>,
}

/// Reads a price; `None` when the text is not one (empty, negative, letters in the number).
pub fn parse(raw: &str) -> Option<Money> {
    let text = raw.trim();
    let (number, currency) = split_currency(text)?;
    let amount = parse_amount(number)?;
    Some(Money { amount, currency })
}

/// Whether a text is an ISO 4217-like code: three ASCII letters.
pub fn is_currency_code(raw: &str) -> bool {
    raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Separates the currency (a leading or trailing code or symbol) from the number.
fn split_currency(text: &str) -> Option<(&str, Option<String>)> {
    const SYMBOLS: [(&str, &str); 3] = [("€", "EUR"), ("$", "USD"), ("£", "GBP")];
    for (symbol, code) in SYMBOLS {
        if let Some(rest) = text
            .strip_prefix(symbol)
            .or_else(|| text.strip_suffix(symbol))
        {
            return Some((rest.trim(), Some(code.to_string())));
        }
    }
    let letters = |s: &str| s.chars().all(|c| c.is_ascii_alphabetic());
    if let Some((head, tail)) = text.split_once(char::is_whitespace) {
        let (head, tail) = (head.trim(), tail.trim());
        if is_currency_code(head) && !letters(tail) {
            return Some((tail, Some(head.to_ascii_uppercase())));
        }
    }
    if let Some((head, tail)) = text.rsplit_once(char::is_whitespace) {
        let (head, tail) = (head.trim(), tail.trim());
        if is_currency_code(tail) && !letters(head) {
            return Some((head, Some(tail.to_ascii_uppercase())));
        }
    }
    // `15.00EUR`: a code glued to the number.
    if text.len() > 3 && text.is_char_boundary(text.len() - 3) {
        let (head, tail) = text.split_at(text.len() - 3);
        if is_currency_code(tail) && head.ends_with(|c: char| c.is_ascii_digit()) {
            return Some((head, Some(tail.to_ascii_uppercase())));
        }
    }
    Some((text, None))
}

/// `1.234,56`, `1,234.56`, `15,00`, `15.00`, `1 234,5`: the last separator followed by one or
/// two digits is the decimal mark; a lone comma followed by three digits groups thousands.
fn parse_amount(raw: &str) -> Option<f64> {
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '\'')
        .collect();
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let last_separator = digits.rfind(['.', ',']);
    let plain = match last_separator {
        None => digits,
        Some(at) => {
            let (whole, fraction) = (&digits[..at], &digits[at + 1..]);
            let mark = &digits[at..=at];
            let lone = !whole.contains(['.', ',']);
            let is_decimal = if lone && fraction.len() == 3 && mark == "," {
                false
            } else {
                !whole.contains(mark) || whole.is_empty()
            };
            if is_decimal {
                format!("{}.{fraction}", whole.replace(['.', ','], ""))
            } else {
                digits.replace(['.', ','], "")
            }
        }
    };
    let amount: f64 = plain.parse().ok()?;
    (amount.is_finite() && amount >= 0.0).then_some(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: f64, currency: Option<&str>) -> Option<Money> {
        Some(Money {
            amount,
            currency: currency.map(str::to_string),
        })
    }

    #[test]
    fn reads_the_usual_feed_spellings() {
        assert_eq!(parse("15.00 EUR"), money(15.0, Some("EUR")));
        assert_eq!(parse("15,00 EUR"), money(15.0, Some("EUR")));
        assert_eq!(parse("EUR 15.00"), money(15.0, Some("EUR")));
        assert_eq!(parse("15.00"), money(15.0, None));
        assert_eq!(parse("  9.99 usd "), money(9.99, Some("USD")));
        assert_eq!(parse("12.5EUR"), money(12.5, Some("EUR")));
        assert_eq!(parse("€19,90"), money(19.9, Some("EUR")));
        assert_eq!(parse("$5"), money(5.0, Some("USD")));
    }

    #[test]
    fn tells_thousands_from_decimals() {
        assert_eq!(parse("1.234,56 EUR"), money(1234.56, Some("EUR")));
        assert_eq!(parse("1,234.56 USD"), money(1234.56, Some("USD")));
        assert_eq!(parse("1 234,50 EUR"), money(1234.5, Some("EUR")));
        assert_eq!(parse("1,299"), money(1299.0, None));
        assert_eq!(parse("1.299.000"), money(1_299_000.0, None));
        assert_eq!(parse("2.5"), money(2.5, None));
    }

    #[test]
    fn refuses_what_is_not_a_price() {
        for bad in [
            "",
            "free",
            "EUR",
            "-5.00 EUR",
            "12.00 EUR EUR",
            "ca. 12",
            "12 apples",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
