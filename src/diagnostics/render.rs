//! Printing problems like a compiler: heading, location, the offending line with a caret, hint,
//! and for a group the count and lines of the others.

use std::fmt;
use std::path::Path;

use super::{Diagnostic, Group, Severity};

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.first.heading(f)?;
        let others = self.count.saturating_sub(1);
        if others > 0 {
            let shown: Vec<String> = self
                .lines
                .iter()
                .skip(1)
                .take(Self::SHOWN_LINES)
                .map(|l| l.to_string())
                .collect();
            let noun = if others == 1 { "line" } else { "lines" };
            let more = if others > shown.len() { ", …" } else { "" };
            if shown.is_empty() {
                writeln!(f, "  = and {} more like this", thousands(others))?;
            } else {
                writeln!(
                    f,
                    "  = and {} more {noun} like this: {}{more}",
                    thousands(others),
                    shown.join(", ")
                )?;
            }
        }
        self.first.hint_line(f)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.heading(f)?;
        self.hint_line(f)
    }
}

impl Diagnostic {
    /// The message, the location, the line of the file with a caret, and the detail.
    fn heading(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let mut location = self.file.display().to_string();
        if let Some(line) = self.line {
            location.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                location.push_str(&format!(":{column}"));
            }
        }
        writeln!(f, "  --> {location}")?;
        if let Some(snippet) = self.line.and_then(|line| source_line(&self.file, line)) {
            let number = self.line.unwrap_or_default().to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {snippet}")?;
            if let Some(column) = self.column {
                let caret_pad = " ".repeat(column.saturating_sub(1) as usize);
                writeln!(f, "{pad} | {caret_pad}^")?;
            }
        }
        if let Some(detail) = &self.detail {
            writeln!(f, "  = note: {detail}")?;
        }
        Ok(())
    }

    fn hint_line(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.hint {
            Some(hint) => writeln!(f, "  = hint: {hint}"),
            None => Ok(()),
        }
    }
}

/// 3012 as "3,012".
pub fn thousands(n: usize) -> String {
    grouped(n as u64, ',')
}

/// A whole number with `separator` between groups of three digits ("1.200" with `.`).
pub fn grouped(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// The given 1-based line of a file, trimmed at the end and cut to a readable length.
fn source_line(file: &Path, line: u64) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let raw = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let trimmed = raw.trim_end();
    Some(if trimmed.chars().count() > 160 {
        let cut: String = trimmed.chars().take(157).collect();
        format!("{cut}...")
    } else {
        trimmed.to_string()
    })
}
