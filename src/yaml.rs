//! Reading editor YAML files with positions, so every problem can name its line and column.
//!
//! Only parsing lives here; what the content means is checked by the module that owns the file.

use std::path::Path;

use serde::de::DeserializeOwned;
pub use serde_saphyr::Spanned;

use crate::diagnostics::Diagnostic;

/// Parses `text` (the content of `file`) into `T`, or describes the first structural problem.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(text).map_err(|error| {
        let mut diagnostic = Diagnostic::error(file, plain_message(&error.to_string()));
        if let Some(location) = error.location() {
            diagnostic = diagnostic.at(location.line(), location.column());
        }
        let hint = if diagnostic.message.starts_with("the key") {
            "a key may appear once in the same place: merge the two or remove one"
        } else if diagnostic.message.contains("unknown field") {
            "check the spelling; the fields this place accepts are listed above"
        } else if diagnostic.message.contains("missing field") {
            "add the field; docs/questions.md or docs/catalogue.md lists what is required"
        } else {
            "check indentation and quoting around this line"
        };
        diagnostic.hint(hint)
    })
}

/// A diagnostic pointing at the place where `value` was written.
pub fn error_at<T>(file: &Path, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
    let location = value.referenced;
    Diagnostic::error(file, message).at(location.line(), location.column())
}

/// A warning pointing at the place where `value` was written.
pub fn warning_at<T>(file: &Path, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
    let location = value.referenced;
    Diagnostic::warning(file, message).at(location.line(), location.column())
}

/// The parser's message without its own location suffix and snippet, which we print ourselves.
fn plain_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered).trim();
    let without_at = match first.rfind(" at line ") {
        Some(index) => &first[..index],
        None => first,
    };
    let message = without_at.trim_start_matches("error: ");
    let message = match message
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((position, rest)) if position.contains("column") => rest,
        _ => message,
    };
    let message = message.trim_end_matches(':');
    // The parser's advice is for programmers ("set DuplicateKeyPolicy in Options").
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest).trim();
        return format!("the key `{key}` is written twice");
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code, reason = "only parsed")]
    struct Doc {
        title: String,
    }

    #[test]
    fn a_duplicate_key_is_said_in_editors_words() {
        // Regression: the message said "set DuplicateKeyPolicy in Options if acceptable".
        let problem =
            parse::<Doc>(Path::new("a.yaml"), "title: a\ntitle: b\n").expect_err("a duplicate key");
        assert_eq!(problem.message, "the key `title` is written twice");
        assert_eq!(problem.line, Some(2));
        assert!(problem.hint.as_deref().is_some_and(|h| h.contains("once")));
    }
}
