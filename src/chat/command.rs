//! Reading one typed line: option numbers, the fixed commands, or text. Whether a text names an
//! action on offer (`cheaper 2`, `similar 1`) or is free text for the dialogue is decided later,
//! against the reply on screen; this module only looks at the line.

/// What a line says, before it is checked against the reply on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Nothing but blanks.
    Empty,
    /// Numbers as typed (1-based), separated by blanks or commas: options, or a repair.
    Numbers(Vec<usize>),
    Back,
    Restart,
    Skip,
    /// Ask for a person.
    Handoff,
    Quit,
    Help,
    /// List the answers in force, numbered for `change`.
    Answers,
    /// Ask the question of answer N again.
    Change(usize),
    /// Anything else: an action's name with an optional number, or free text.
    Text(String),
}

/// Reads one line. Commands are case-insensitive; numbers too large to be an option are kept
/// (as `usize::MAX`) so they are refused as out of range rather than sent as text.
pub fn parse(line: &str) -> Command {
    let line = line.trim();
    if line.is_empty() {
        return Command::Empty;
    }
    if let Some(numbers) = numbers(line) {
        return Command::Numbers(numbers);
    }
    match line.to_lowercase().as_str() {
        "b" | "back" => return Command::Back,
        "r" | "restart" => return Command::Restart,
        "s" | "skip" => return Command::Skip,
        "q" | "quit" | "exit" => return Command::Quit,
        "?" | "help" => return Command::Help,
        "h" | "handoff" => return Command::Handoff,
        "a" | "answers" => return Command::Answers,
        _ => {}
    }
    match name_and_number(line) {
        (name, Some(number)) if name == "c" || name == "change" => Command::Change(number),
        _ => Command::Text(line.to_string()),
    }
}

/// Splits `cheaper 2` into the lower-cased name and the trailing number; without a trailing
/// number the whole text is the name.
pub fn name_and_number(text: &str) -> (String, Option<usize>) {
    let text = text.trim();
    if let Some((name, last)) = text.rsplit_once(char::is_whitespace)
        && is_number(last)
        && !name.trim().is_empty()
    {
        return (name.trim().to_lowercase(), Some(to_number(last)));
    }
    (text.to_lowercase(), None)
}

fn numbers(line: &str) -> Option<Vec<usize>> {
    let tokens: Vec<&str> = line
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|token| !token.is_empty())
        .collect();
    (!tokens.is_empty() && tokens.iter().all(|token| is_number(token)))
        .then(|| tokens.iter().map(|token| to_number(token)).collect())
}

fn is_number(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

fn to_number(digits: &str) -> usize {
    digits.parse().unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_pick_options_separated_by_blanks_or_commas() {
        assert_eq!(parse("2"), Command::Numbers(vec![2]));
        assert_eq!(parse(" 1 3 "), Command::Numbers(vec![1, 3]));
        assert_eq!(parse("1,3"), Command::Numbers(vec![1, 3]));
        assert_eq!(parse("1, 3,,4"), Command::Numbers(vec![1, 3, 4]));
        assert_eq!(parse("0"), Command::Numbers(vec![0]));
    }

    #[test]
    fn a_huge_number_is_out_of_range_not_free_text() {
        assert_eq!(
            parse("99999999999999999999999"),
            Command::Numbers(vec![usize::MAX])
        );
    }

    #[test]
    fn short_and_long_commands_in_any_case() {
        for (line, command) in [
            ("b", Command::Back),
            ("BACK", Command::Back),
            ("r", Command::Restart),
            ("restart", Command::Restart),
            ("s", Command::Skip),
            ("Skip", Command::Skip),
            ("q", Command::Quit),
            ("quit", Command::Quit),
            ("?", Command::Help),
            ("help", Command::Help),
            ("h", Command::Handoff),
            ("Handoff", Command::Handoff),
            ("a", Command::Answers),
            ("c 2", Command::Change(2)),
            ("change 1", Command::Change(1)),
        ] {
            assert_eq!(parse(line), command, "{line}");
        }
    }

    #[test]
    fn blank_lines_are_empty() {
        assert_eq!(parse(""), Command::Empty);
        assert_eq!(parse("  \t "), Command::Empty);
    }

    #[test]
    fn everything_else_is_text_as_typed() {
        assert_eq!(
            parse("  a warm jacket for my wife "),
            Command::Text("a warm jacket for my wife".into())
        );
        assert_eq!(parse("1 jacket"), Command::Text("1 jacket".into()));
        assert_eq!(parse("cheaper 2"), Command::Text("cheaper 2".into()));
        assert_eq!(parse("change"), Command::Text("change".into()));
        assert_eq!(parse("backpack"), Command::Text("backpack".into()));
    }

    #[test]
    fn a_trailing_number_is_split_off_the_name() {
        assert_eq!(name_and_number("Cheaper 2"), ("cheaper".into(), Some(2)));
        assert_eq!(
            name_and_number("better rated  3"),
            ("better rated".into(), Some(3))
        );
        assert_eq!(name_and_number("Warmer"), ("warmer".into(), None));
        assert_eq!(name_and_number("42"), ("42".into(), None));
        assert_eq!(name_and_number("under 100"), ("under".into(), Some(100)));
    }
}
