//! Delimited text with a header row (Google TSV, Shopify CSV, any CSV): rows as cells with the
//! line each starts on, and rows that cannot be used (wrong column count, broken quoting)
//! reported instead of stopping the import.
//!
//! Lines are counted here rather than taken from the csv crate, which does not count blank
//! lines and so numbers every row after one too low.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

use super::item::Parsed;
use super::progress::Progress;

/// A reader over the rows after the header.
pub struct Table<R: Read> {
    reader: csv::Reader<Counting<R>>,
    lines: Rc<RefCell<LineBreaks>>,
    record: csv::ByteRecord,
    /// The header's cells as written (a byte-order mark removed).
    pub header: Vec<String>,
}

/// One row after the header.
#[derive(Debug, PartialEq)]
pub enum Row {
    /// A usable row: its first line and its cells (as many as the header has).
    Cells { line: u64, cells: Vec<String> },
    /// A row that cannot be used, and why.
    Bad { line: u64, message: String },
}

impl<R: Read> Table<R> {
    /// Reads the header; `Err` says why the input has none.
    pub fn open(input: R, delimiter: u8) -> Result<Self, String> {
        let lines = Rc::new(RefCell::new(LineBreaks::default()));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(Counting {
                inner: input,
                offset: 0,
                after_cr: false,
                lines: Rc::clone(&lines),
            });
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Err("the file is empty".into()),
            Err(error) => return Err(format!("the header row cannot be read: {error}")),
        }
        let mut header: Vec<String> = record
            .iter()
            .map(|cell| String::from_utf8_lossy(cell).trim().to_string())
            .collect();
        if let Some(first) = header.first_mut() {
            *first = first.trim_start_matches('\u{feff}').to_string();
        }
        Ok(Self {
            reader,
            lines,
            record,
            header,
        })
    }

    /// Hands every usable row with its line to `each`, in order. Every row is counted in
    /// `parsed`, bad rows are skipped into its problems, and the progress bar follows.
    pub fn for_each_row(
        mut self,
        parsed: &mut Parsed,
        progress: &Progress,
        mut each: impl FnMut(u64, Vec<String>, &mut Parsed),
    ) {
        while let Some(row) = self.next() {
            parsed.rows_read += 1;
            if parsed.rows_read.is_multiple_of(1024) {
                progress.set(self.reader.position().byte());
            }
            match row {
                Row::Bad { line, message } => parsed.problems.skip(line, message),
                Row::Cells { line, cells } => each(line, cells, parsed),
            }
        }
    }
}

impl<R: Read> Iterator for Table<R> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        let byte_before = self.reader.position().byte();
        let line_at = |byte: u64| self.lines.borrow_mut().line_at(byte);
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Err(error) => {
                let line = line_at(error.position().map_or(byte_before, |p| p.byte()));
                Some(Row::Bad {
                    line,
                    message: format!("the row cannot be read: {}", plain(&error)),
                })
            }
            Ok(true) => {
                let line = line_at(self.record.position().map_or(byte_before, |p| p.byte()));
                let mut cells: Vec<String> = self
                    .record
                    .iter()
                    .map(|cell| String::from_utf8_lossy(cell).into_owned())
                    .collect();
                let expected = self.header.len();
                let extra_empty =
                    cells.len() > expected && cells[expected..].iter().all(|c| c.trim().is_empty());
                if extra_empty {
                    cells.truncate(expected);
                }
                if cells.len() != expected {
                    return Some(Row::Bad {
                        line,
                        message: format!(
                            "the row has {} columns, the header has {expected}",
                            cells.len()
                        ),
                    });
                }
                Some(Row::Cells { line, cells })
            }
        }
    }
}

/// Passes the input through and notes where every line break is.
struct Counting<R> {
    inner: R,
    offset: u64,
    after_cr: bool,
    lines: Rc<RefCell<LineBreaks>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        for (at, byte) in buf[..read].iter().enumerate() {
            if *byte == b'\n' {
                lines
                    .pending
                    .push_back((self.offset + at as u64, self.after_cr));
            }
            self.after_cr = *byte == b'\r';
        }
        self.offset += read as u64;
        Ok(read)
    }
}

/// Line breaks read but not yet passed by a row: (offset of the `\n`, whether `\r` came before).
#[derive(Default)]
struct LineBreaks {
    pending: VecDeque<(u64, bool)>,
    passed: u64,
}

impl LineBreaks {
    /// The line of the first non-blank line at or after `byte` (rows are asked for in order).
    fn line_at(&mut self, byte: u64) -> u64 {
        while self.pending.front().is_some_and(|(at, _)| *at < byte) {
            self.pending.pop_front();
            self.passed += 1;
        }
        let mut start = byte;
        while let Some(&(at, after_cr)) = self.pending.front() {
            let blank = at == start || (after_cr && at == start + 1);
            if !blank {
                break;
            }
            self.pending.pop_front();
            self.passed += 1;
            start = at + 1;
        }
        self.passed + 1
    }
}

/// The csv crate's message without its own position, which the report gives itself.
fn plain(error: &csv::Error) -> String {
    let text = error.to_string();
    match text.split_once("): ") {
        Some((_, rest)) if text.starts_with("CSV") => rest.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_their_line_and_bad_column_counts_are_reported() {
        let text = "\u{feff}id\ttitle\n1\tOne\n2\n\n3\t\"Three\nlines\"\r\n\r\n\n4\tFour\t\t\n";
        let mut table = Table::open(text.as_bytes(), b'\t').expect("header");
        assert_eq!(table.header, ["id", "title"]);
        let rows: Vec<Row> = table.by_ref().collect();
        assert_eq!(
            rows,
            [
                Row::Cells {
                    line: 2,
                    cells: vec!["1".into(), "One".into()]
                },
                Row::Bad {
                    line: 3,
                    message: "the row has 1 columns, the header has 2".into()
                },
                Row::Cells {
                    line: 5,
                    cells: vec!["3".into(), "Three\nlines".into()]
                },
                Row::Cells {
                    line: 9,
                    cells: vec!["4".into(), "Four".into()]
                },
            ]
        );
    }

    #[test]
    fn an_empty_file_has_no_header() {
        assert!(Table::open(&b""[..], b',').is_err());
    }
}
