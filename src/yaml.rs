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
        let hint = if diagnostic.message.contains("unknown field") {
            "check the spelling; the fields this place accepts are listed above"
        } else if diagnostic.message.contains("missing field") {
            "add the field; the README next to this file lists what is required"
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
    message.trim_end_matches(':').to_string()
}
