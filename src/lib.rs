//! broadsheet: a static news-site generator.
//!
//! Data flows one way: [`config`] → [`content`] → [`markdown`] → [`model`] → [`view`] →
//! [`pages`] → [`render`] → [`publish`]. [`pipeline`] runs the stages that `build`, `check`
//! and `serve` share; [`commands`] wires them for each command of the [`cli`].

// Diagnostics are the error type everywhere; they are made only when input is wrong, so their
// size on the error path does not matter.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod fingerprint;
pub mod inputs;
pub mod links;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod permalink;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod serve;
pub mod slug;
pub mod store;
pub mod theme;
pub mod view;
