//! What builds remember: each story file's parse and rendered Markdown, kept in memory by
//! `serve` between rebuilds and on disk by `build` between runs.

pub mod disk;
pub mod memo;
mod records;

pub use disk::{Store, Unusable};
pub use memo::{Body, ByFile, Memo};
