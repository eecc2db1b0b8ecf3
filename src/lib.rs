//! `advisor`: a guided product advisor. Customers answer a few usage questions, every answer
//! narrows a tantivy-indexed catalogue, and the conversation ends in a short, explained
//! shortlist. Served as a JSON HTTP API whose texts come from handlebars templates.

pub mod catalog;
pub mod diagnostics;
pub mod ids;
pub mod yaml;
pub mod questions;
pub mod dialogue;
pub mod ranking;
pub mod render;
pub mod shop;
pub mod cli;
pub mod http;
pub mod session;
pub mod settings;
pub mod telemetry;
