//! `advisor`: a guided product advisor. Customers answer a few usage questions, every answer
//! narrows a tantivy-indexed catalogue, and the conversation ends in a short, explained
//! shortlist. Served as a JSON HTTP API whose texts come from handlebars templates.

pub mod analytics;
pub mod bench;
pub mod catalog;
pub mod chat;
pub mod cli;
pub mod diagnostics;
pub mod dialogue;
pub mod handoff;
pub mod http;
pub mod ids;
pub mod import;
pub mod language;
pub mod perf;
pub mod questions;
pub mod ranking;
pub mod render;
pub mod schema;
pub mod session;
pub mod settings;
pub mod shop;
pub mod simulate;
pub mod synthetic;
pub mod telemetry;
pub mod yaml;
