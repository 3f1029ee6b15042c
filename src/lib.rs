//! broadsheet: a static news-site generator.
//!
//! Data flows one way: [`config`] → [`content`] → [`markdown`] → [`library`] → [`render`] →
//! [`output`]. [`commands`] wires the stages for each command of the [`cli`].

pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod library;
pub mod markdown;
pub mod output;
pub mod permalink;
pub mod render;
pub mod slug;
pub mod theme;
