//! JSON Schemas of the editor files, generated from the very structs that read them, so an
//! editor's IDE (through the `# yaml-language-server: $schema=…` line at the top of each file)
//! offers completion and flags mistakes before `advisor check` runs.
//!
//! The schemas are shipped in `schemas/`; a test fails when they no longer match the types.
//! Draft-07 because that is the draft the common YAML language server understands.

use std::path::{Path, PathBuf};

use anyhow::Context;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;

/// Folder of the shipped schemas, relative to the repository root.
pub const DIR: &str = "schemas";

/// The schema files: file name and content.
pub fn all() -> Vec<(&'static str, String)> {
    vec![
        (
            "questions.schema.json",
            render::<crate::questions::RawAdvisor>(),
        ),
        (
            "catalog.schema.json",
            render::<crate::catalog::config::RawConfig>(),
        ),
        (
            "language.schema.json",
            render::<crate::questions::RawLanguage>(),
        ),
    ]
}

/// Writes every schema into `dir` and returns the files written.
pub fn write(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    all()
        .into_iter()
        .map(|(name, content)| {
            let file = dir.join(name);
            std::fs::write(&file, content)
                .with_context(|| format!("writing {}", file.display()))?;
            Ok(file)
        })
        .collect()
}

fn render<T: JsonSchema>() -> String {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    // A schema of plain data always serializes; an empty object would still be a valid schema.
    serde_json::to_string_pretty(&schema).unwrap_or_else(|_| "{}".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_schemas_match_the_types() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
        for (name, generated) in all() {
            let shipped = std::fs::read_to_string(root.join(name)).unwrap_or_default();
            assert!(
                shipped == generated,
                "schemas/{name} is out of date: run `cargo run -- schema` and commit the result"
            );
        }
    }

    #[test]
    fn schemas_are_draft_07_and_closed() {
        for (name, content) in all() {
            let schema: serde_json::Value = serde_json::from_str(&content).expect("JSON");
            assert_eq!(
                schema["$schema"], "http://json-schema.org/draft-07/schema#",
                "{name}"
            );
            assert_eq!(schema["additionalProperties"], false, "{name}");
            assert!(schema["required"].as_array().is_some_and(|r| !r.is_empty()));
        }
    }

    #[test]
    fn the_question_schema_describes_options_for_editors() {
        let (_, content) = &all()[0];
        let schema: serde_json::Value = serde_json::from_str(content).expect("JSON");
        let option = &schema["definitions"]["AnswerOption"];
        assert_eq!(option["additionalProperties"], false);
        assert!(option["properties"]["synonyms"]["description"].is_string());
        assert_eq!(option["properties"]["id"]["pattern"], r"^[a-z0-9_-]{1,64}$");
    }
}
