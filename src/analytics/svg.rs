//! Inline SVG charts for the report page: horizontal bars and interval whiskers. Presentation
//! attributes only (no script, no external reference), every label escaped, an `aria-label` and
//! a `<title>` on each chart; the page puts a table with the same numbers next to each. Also
//! `escape`, which every text of the page goes through.

use std::fmt::Write;

use super::stats::Interval;

const WIDTH: f64 = 640.0;
const LABEL: f64 = 200.0;
const AREA: f64 = 340.0;
const ROW: f64 = 24.0;

/// Horizontal bars, scaled to the largest value, each with its label and `shown` text.
pub(super) fn bars(title: &str, rows: &[(String, f64, String)]) -> String {
    let largest = rows.iter().map(|row| row.1).fold(0.0, f64::max);
    let height = ROW * rows.len() as f64 + 8.0;
    let mut svg = open(title, height);
    for (index, (label, value, shown)) in rows.iter().enumerate() {
        let y = 4.0 + ROW * index as f64;
        let width = if largest > 0.0 {
            value / largest * AREA
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#222">{}</text><rect x="{LABEL}" y="{}" width="{width:.1}" height="{}" fill="#3b6ea8"/><text x="{:.1}" y="{}" font-size="12" fill="#222">{}</text>"##,
            LABEL - 8.0,
            y + 15.0,
            escape(&shorten(label)),
            y + 3.0,
            ROW - 6.0,
            LABEL + width + 6.0,
            y + 15.0,
            escape(shown)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Estimates with their intervals on a 0 to 100 % axis: a dot and a whisker per row.
pub(super) fn intervals(title: &str, rows: &[(String, Interval)]) -> String {
    let height = ROW * rows.len() as f64 + 30.0;
    let mut svg = open(title, height);
    let x = |share: f64| LABEL + share.clamp(0.0, 1.0) * AREA;
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            svg,
            r##"<line x1="{0:.1}" y1="2" x2="{0:.1}" y2="{1}" stroke="#ccc"/><text x="{0:.1}" y="{2}" text-anchor="middle" font-size="11" fill="#555">{3} %</text>"##,
            x(tick),
            height - 18.0,
            height - 4.0,
            tick * 100.0
        );
    }
    for (index, (label, interval)) in rows.iter().enumerate() {
        let y = 4.0 + ROW * index as f64 + 11.0;
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#222">{}</text><line x1="{low:.1}" y1="{y}" x2="{high:.1}" y2="{y}" stroke="#222" stroke-width="2"/><line x1="{low:.1}" y1="{}" x2="{low:.1}" y2="{}" stroke="#222"/><line x1="{high:.1}" y1="{}" x2="{high:.1}" y2="{}" stroke="#222"/><circle cx="{:.1}" cy="{y}" r="5" fill="#c2410c"/>"##,
            LABEL - 8.0,
            y + 4.0,
            escape(&shorten(label)),
            y - 6.0,
            y + 6.0,
            y - 6.0,
            y + 6.0,
            x(interval.estimate),
            low = x(interval.low),
            high = x(interval.high),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Text safe in HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

fn open(title: &str, height: f64) -> String {
    let title = escape(title);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{title}" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}"><title>{title}</title>"#
    )
}

/// Long labels end in an ellipsis so they stay left of the bars (the table has them whole).
fn shorten(label: &str) -> String {
    if label.chars().count() <= 28 {
        label.to_string()
    } else {
        label.chars().take(27).chain(['…']).collect()
    }
}
