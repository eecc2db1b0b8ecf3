//! Parsing question files and checking them against the catalogue. Every problem is collected
//! with its line and column; a file with errors yields no advisor.

use std::path::{Path, PathBuf};

use super::Advisor;
use super::checker::Checker;
use super::raw::RawAdvisor;
use crate::catalog::Catalog;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ids::AdvisorId;
use crate::yaml;

/// Loads every `*.yaml` file in the folder, in name order. Returns the good advisors and every
/// problem found in any file.
pub fn load_all(folder: &Path, catalog: &Catalog) -> (Vec<Advisor>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let files = match files(folder) {
        Ok(files) => files,
        Err(error) => {
            problems.push(Diagnostic::error(
                folder,
                format!("cannot read the question folder: {error}"),
            ));
            return (Vec::new(), problems);
        }
    };
    let (languages, found) = super::Languages::load(folder);
    problems.extend(found);
    let mut advisors = Vec::new();
    for file in files {
        let loaded = match std::fs::read_to_string(&file) {
            Ok(text) => check_source_in(&file, &text, catalog, &languages),
            Err(_) => load_file(&file, catalog),
        };
        match loaded {
            Ok((advisor, warnings)) => {
                problems.extend(warnings);
                advisors.push(advisor);
            }
            Err(found) => problems.extend(found),
        }
    }
    super::experiment::check(&advisors, &mut problems);
    if advisors.is_empty() && !problems.has_errors() {
        problems.push(
            Diagnostic::error(folder, "there is no question file")
                .hint("add `<advisor-id>.yaml`; questions/README.md explains the format"),
        );
    }
    (advisors, problems)
}

/// The question files of the folder (`*.yaml`, `*.yml`), in name order.
pub fn files(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Loads one question file. `Ok` carries the advisor and its warnings; `Err` every problem.
pub fn load_file(file: &Path, catalog: &Catalog) -> Result<(Advisor, Diagnostics), Diagnostics> {
    match std::fs::read_to_string(file) {
        Ok(text) => check_source(file, &text, catalog),
        Err(error) => {
            let mut problems = file_name_problems(file);
            problems.push(Diagnostic::error(
                file,
                format!("cannot read the file: {error}"),
            ));
            Err(problems)
        }
    }
}

/// Parses and checks the text of a question file named `file` (its stem is the advisor id)
/// against the catalogue, as [`load_file`] does after reading it, with the language files of
/// the file's folder. `Ok` carries the advisor and its warnings; `Err` every problem.
pub fn check_source(
    file: &Path,
    text: &str,
    catalog: &Catalog,
) -> Result<(Advisor, Diagnostics), Diagnostics> {
    let folder = file.parent().unwrap_or(Path::new("."));
    let (languages, _) = super::Languages::load(folder);
    check_source_in(file, text, catalog, &languages)
}

/// [`check_source`] with the language files already read.
pub fn check_source_in(
    file: &Path,
    text: &str,
    catalog: &Catalog,
    languages: &super::Languages,
) -> Result<(Advisor, Diagnostics), Diagnostics> {
    let mut checker = Checker {
        file,
        catalog,
        problems: file_name_problems(file),
        locales: Vec::new(),
        languages,
    };
    let id = advisor_id(file);
    let raw: RawAdvisor = match yaml::parse(file, text) {
        Ok(raw) => raw,
        Err(problem) => {
            checker.problems.push(problem);
            return Err(checker.problems);
        }
    };
    let advisor = checker.advisor(raw, fingerprint(text.as_bytes()));
    if advisor
        .as_ref()
        .is_some_and(|advisor| advisor.address == super::Address::Formal)
    {
        checker
            .problems
            .extend(super::address::informal_words(file, text));
    }
    match (id, advisor) {
        (Ok(id), Some(mut advisor)) if !checker.problems.has_errors() => {
            advisor.id = id;
            Ok((advisor, checker.problems))
        }
        _ => Err(checker.problems),
    }
}

/// The file name is the advisor id.
fn advisor_id(file: &Path) -> Result<AdvisorId, crate::ids::IdError> {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    AdvisorId::parse(stem)
}

/// The problem with the file's name, if it is not a usable advisor id.
fn file_name_problems(file: &Path) -> Diagnostics {
    let mut problems = Diagnostics::default();
    if let Err(error) = advisor_id(file) {
        problems.push(
            Diagnostic::error(file, error.to_string())
                .hint("the file name is the advisor id, e.g. `jackets.yaml`"),
        );
    }
    problems
}

/// A stable fingerprint of a file (FNV-1a, 64 bits), the same on every machine and build.
fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Where the advisor's `title` is written: the top-level key, or else its value (for problems
/// about the advisor as a whole).
pub fn title_position(advisor: &Advisor) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(&advisor.file).ok()?;
    let key = text.lines().position(|line| {
        line.strip_prefix("title")
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    });
    if let Some(index) = key {
        return Some((index as u64 + 1, 1));
    }
    let raw: RawAdvisor = crate::yaml::parse(&advisor.file, &text).ok()?;
    Some((raw.title.referenced.line(), raw.title.referenced.column()))
}
