//! Integration tests: the real app on port 0, driven over HTTP, on the shipped editor files.

mod address;
mod analytics;
mod bench;
mod chat;
mod check;
mod context;
mod conversation;
mod durable;
mod errors;
mod every_path;
mod experiment;
mod guard;
mod handoff;
mod helpers;
mod import;
mod logs;
mod metrics;
mod openapi;
mod orders;
mod rasa;
mod redis;
mod reload;
mod retries;
mod shutdown;
mod simulate;
mod web;
