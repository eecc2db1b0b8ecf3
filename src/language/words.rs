//! A customer's text as words: Unicode NFC (text pasted from a Mac writes "ü" as "u" plus a
//! combining mark), any whitespace or control character as a space, invisible format characters
//! dropped. Contractions, possessives and hyphenated words stay whole ("I'm", "women's",
//! "e-bike"); numbers keep their separators ("1,200", "49,99"); currency symbols are words of
//! their own; punctuation ends a clause, which bounds how far a "not" reaches.

use unicode_normalization::UnicodeNormalization;

/// One word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// As typed (after NFC).
    pub text: String,
    /// Lower-case; a possessive "'s" dropped, other apostrophes removed ("don't" → "dont").
    pub norm: String,
    pub kind: WordKind,
    /// Words in one clause share it; punctuation starts the next.
    pub clause: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    Letters,
    /// Digits with their separators, as typed.
    Number,
    /// A currency sign or a dash between numbers.
    Symbol,
}

/// Splits a text into words.
pub fn split(text: &str) -> Vec<Word> {
    let chars: Vec<char> = text
        .nfc()
        .filter(|c| !is_invisible(*c))
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .map(|c| {
            if c == '’' || c == '‘' || c == 'ʼ' {
                '\''
            } else {
                c
            }
        })
        .collect();
    let mut words = Vec::new();
    let mut clause = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            i += 1;
            while i < chars.len() {
                let next_is_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
                if chars[i].is_ascii_digit()
                    || ((chars[i] == ',' || chars[i] == '.') && next_is_digit)
                {
                    i += 1;
                } else {
                    break;
                }
            }
            push(&mut words, &chars[start..i], WordKind::Number, clause);
        } else if c.is_alphanumeric() {
            let start = i;
            i += 1;
            while i < chars.len() {
                let joins = (chars[i] == '\'' || chars[i] == '-')
                    && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
                if chars[i].is_alphanumeric() || joins {
                    i += 1;
                } else {
                    break;
                }
            }
            push(&mut words, &chars[start..i], WordKind::Letters, clause);
        } else {
            if is_symbol(c) || (c == '-' && between_numbers(&words, &chars, i)) {
                push(&mut words, &chars[i..=i], WordKind::Symbol, clause);
            } else if is_clause_break(c) {
                clause += 1;
            }
            i += 1;
        }
    }
    words
}

/// The form words are compared in: lower-case, no possessive, no apostrophes.
pub fn normalise(word: &str) -> String {
    let lower: String = word
        .nfc()
        .collect::<String>()
        .to_lowercase()
        .replace('’', "'");
    let stem = lower
        .strip_suffix("'s")
        .filter(|s| !s.is_empty())
        .unwrap_or(&lower);
    stem.replace('\'', "")
}

fn push(words: &mut Vec<Word>, chars: &[char], kind: WordKind, clause: usize) {
    let text: String = chars.iter().collect();
    let norm = match kind {
        WordKind::Letters => normalise(&text),
        _ => text.clone(),
    };
    words.push(Word {
        text,
        norm,
        kind,
        clause,
    });
}

fn between_numbers(words: &[Word], chars: &[char], i: usize) -> bool {
    let after = chars[i + 1..]
        .iter()
        .find(|c| **c != ' ')
        .is_some_and(char::is_ascii_digit);
    let before = words.last().is_some_and(|w| {
        matches!(w.kind, WordKind::Number | WordKind::Symbol)
            && chars[..i]
                .iter()
                .rev()
                .find(|c| **c != ' ')
                .is_some_and(|c| c.is_ascii_digit() || is_symbol(*c))
    });
    before && after
}

fn is_symbol(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₣' | '₤')
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '"' | '“' | '”' | '„' | '…'
    )
}

/// Zero-width and other format characters: they carry no letter.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        split(text).into_iter().map(|w| w.norm).collect()
    }

    #[test]
    fn contractions_possessives_and_hyphens_stay_whole() {
        assert_eq!(
            norms("I'm after women's e-bikes"),
            ["im", "after", "women", "e-bikes"]
        );
        assert_eq!(norms("don’t I'll"), ["dont", "ill"]);
    }

    #[test]
    fn decomposed_umlauts_are_composed() {
        assert_eq!(norms("fu\u{0308}r Ma\u{0308}nner"), ["für", "männer"]);
    }

    #[test]
    fn numbers_keep_separators_and_signs_are_words() {
        let words = split("up to 1,200$ or €49,99, 50-80");
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "up", "to", "1,200", "$", "or", "€", "49,99", "50", "-", "80"
            ]
        );
        assert_eq!(words[7].clause, words[0].clause + 1);
    }

    #[test]
    fn whitespace_controls_and_invisible_characters_separate_nothing_more() {
        assert_eq!(norms("rain\n\twind\u{200B}y"), ["rain", "windy"]);
        assert!(split("\u{202E}🙂🙂").is_empty());
    }
}
